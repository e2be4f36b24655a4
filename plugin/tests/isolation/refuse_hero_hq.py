"""A meta-path finder that refuses Hero HQ's modules: the plugin must work without them."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

REFUSED = frozenset({"hero_hq", "steps"})


class RefuseHeroHQ(MetaPathFinder):
    """The plugin knows nothing of Hero HQ: importing HQ or its steps fails in its tests."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in REFUSED:
            raise ModuleNotFoundError(
                f"{fullname} is refused: the plugin's tests run without Hero HQ", name=fullname
            )
        return None


def install() -> None:
    if not any(isinstance(finder, RefuseHeroHQ) for finder in sys.meta_path):
        sys.meta_path.insert(0, RefuseHeroHQ())


install()
