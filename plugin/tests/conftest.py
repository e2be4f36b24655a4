"""The plugin's tests run with Hero HQ refused, in this process and in every one it starts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ISOLATION = Path(__file__).parent / "isolation"

# Subprocesses (pytester, `python -m hq_spec.cli`) load isolation/sitecustomize.py: HQ refused.
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(ISOLATION), os.environ.get("PYTHONPATH", "")])
)
sys.path.insert(0, str(ISOLATION))
import refuse_hero_hq  # noqa: E402

refuse_hero_hq.install()
LEAKED = sorted(name for name in sys.modules if name.partition(".")[0] in refuse_hero_hq.REFUSED)
assert not LEAKED, f"Hero HQ modules were imported before the plugin's tests began: {LEAKED}"
