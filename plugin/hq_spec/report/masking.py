"""Defence in depth for the page: secret headers and every cookie value are masked again.

The stream should arrive masked already; the page does not count on it. Header names are compared
case-insensitively; in `Cookie` and `Set-Cookie` every cookie keeps its name and loses its value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MASK = "…(masked)"
# Masked in every project: credentials by their standard names.
STANDARD_SECRET_HEADERS = ("authorization", "proxy-authorization")
COOKIE_HEADERS = ("cookie", "set-cookie")
# name=value pairs of a Cookie header, and the first pair of a Set-Cookie header
_COOKIE_PAIR = re.compile(r"(?P<lead>^|;)(?P<space>\s*)(?P<name>[^=;,\s]+)=(?P<value>[^;]*)")
_ATTRIBUTES = frozenset(
    {"expires", "max-age", "domain", "path", "samesite", "secure", "httponly", "priority"}
)


@dataclass(frozen=True)
class Masking:
    """Which headers hold secrets (lower case); cookie values are always masked."""

    headers: frozenset[str] = frozenset(STANDARD_SECRET_HEADERS)

    @classmethod
    def of(cls, headers: Iterable[str] = ()) -> Masking:
        """The standard secret headers plus a project's own."""
        return cls(frozenset(STANDARD_SECRET_HEADERS) | {name.lower() for name in headers})

    def header(self, name: str, value: str) -> str:
        lowered = name.lower()
        if lowered in self.headers:
            return value if value == MASK else MASK
        if lowered in COOKIE_HEADERS:
            return cookie_values_masked(value)
        return value

    def headers_of(self, headers: object) -> list[tuple[str, str]]:
        """Evidence headers (a mapping, or a list of pairs) as masked (name, value) pairs."""
        if isinstance(headers, dict):
            pairs = [(str(name), str(value)) for name, value in headers.items()]
        elif isinstance(headers, list):
            pairs = [
                (str(pair[0]), str(pair[1]))
                for pair in headers
                if isinstance(pair, list | tuple) and len(pair) == 2
            ]
        else:
            return []
        return [(name, self.header(name, value)) for name, value in pairs]


def cookie_values_masked(text: str) -> str:
    """Every `name=value` keeps its name; Set-Cookie attributes (Path=/, ...) stay readable."""

    def hide(pair: re.Match[str]) -> str:
        if pair["name"].lower() in _ATTRIBUTES or pair["value"] == MASK:
            return pair[0]
        return f"{pair['lead']}{pair['space']}{pair['name']}={MASK}"

    return _COOKIE_PAIR.sub(hide, text)
