"""An answer about an object (a step function, a parser) worked out once per object, then kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Key = TypeVar("Key")
Answer = TypeVar("Answer")


def remembered(known: dict[Key, Answer], key: Key, work: Callable[[Key], Answer]) -> Answer:
    """`work(key)`, kept in `known` the first time; an object that cannot be a key (an unhashable
    callable) is worked out every time, as it was before anything was kept."""
    try:
        return known[key]
    except KeyError:
        found = known[key] = work(key)
        return found
    except TypeError:
        return work(key)


def remembered_by_identity(
    known: dict[int, tuple[object, Answer]], key: object, work: Callable[[Any], Answer]
) -> Answer:
    """`work(key)`, kept by the object's identity (for objects that compare by value, such as the
    protocol's messages); the object is kept with its answer, so that its identity is never
    another's."""
    found = known.get(id(key))
    if found is None or found[0] is not key:
        found = known[id(key)] = (key, work(key))
    return found[1]
