"""JSON text written by the standard library's C encoder, called directly: no per-call setup.

`json.JSONEncoder.encode` builds a fresh C encoder (and a closure for floats) at every call. The
Cucumber Messages stream and every piece of evidence call it thousands of times a run with the same
options, so the C encoder is built once and reused; where the C accelerator is missing (another
Python implementation), the standard encoder is used as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json import encoder as json_encoder
from typing import Any


def encoder(*, separators: tuple[str, str] = (", ", ": ")) -> Callable[[Any], str]:
    """Text as `json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=...)`
    writes it (characters beyond ASCII kept as they are; values are plain trees, never cyclic)."""
    standard = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=separators)
    make = getattr(json_encoder, "c_make_encoder", None)
    if make is None:
        return standard.encode
    item_separator, key_separator = separators
    write = make(
        None, standard.default, json_encoder.encode_basestring, None, key_separator,
        item_separator, False, False, True,
    )  # fmt: skip
    join = "".join

    def encode(value: Any) -> str:
        return join(write(value, 0))

    return encode
