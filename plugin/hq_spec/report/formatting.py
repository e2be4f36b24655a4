"""How the page writes values: durations, Markdown, and its data as packed JSON."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in a README is shown as text: the page must not run anything it was not built with.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown(text: str) -> Markup:
    return Markup(_MARKDOWN.render(text))  # noqa: S704 - markdown-it escapes, html is off


def duration(nanoseconds: int) -> str:
    """A duration as a person reads it: 0.4 ms, 12 ms, 1.25 s, 2 min 05 s."""
    milliseconds = nanoseconds / 1_000_000
    if milliseconds < 10:
        return f"{milliseconds:.1f} ms"
    if milliseconds < 1000:
        return f"{milliseconds:.0f} ms"
    seconds = milliseconds / 1000
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def packed_json(value: Any) -> str:
    """JSON, gzipped and in base64: a tenth of the bytes for the browser's parser to wade through.

    The page's script unpacks it with the browser's own DecompressionStream, offline.
    """
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")
