"""Secrets never reach any output: configured header and cookie names are masked in any spelling."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

# The ini options (declared with the others in hq_spec.settings) naming what to mask.
HEADERS_OPTION = "hq_spec_mask_headers"
COOKIES_OPTION = "hq_spec_mask_cookies"
DEFAULT_HEADERS = ("authorization", "proxy-authorization")
MASK = "…(masked)"
# Where cookies travel: a request's Cookie header and a response's Set-Cookie headers.
COOKIE_HEADERS = frozenset({"cookie", "set-cookie"})
# A cookie pair inside either header ("name=value", separated by ";" or ", " between Set-Cookies).
COOKIE_PAIR = re.compile(r"(?P<name>[^\s;,=]+)=(?P<value>[^;,\s]*)")
# Shorter values are too common to scrub from free text without mangling it (and too short to be
# a real secret); they are still masked wherever they sit in a masked header.
SHORTEST_SCRUBBED = 4
# Values that hold no headers (checked by exact type: a subclass takes the long way).
LEAF_TYPES = frozenset({str, int, float, bool, type(None)})


def fingerprint(value: str) -> str:
    """A cookie value's stand-in: two different passes stay distinguishable, neither readable."""
    return hashlib.sha256(value.encode()).hexdigest()[:8] + MASK


@dataclass
class Masking:
    """Which header and cookie names are secret (compared case-insensitively), and what was hidden.

    `secrets` collects each raw value masked so far, so that the same value is also scrubbed where
    it turns up elsewhere (a body echoing it, a failure message quoting it).
    """

    headers: frozenset[str] = frozenset()
    cookies: frozenset[str] = frozenset()
    secrets: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, headers: Iterable[str], cookies: Iterable[str]) -> Masking:
        return cls(frozenset(h.strip().lower() for h in headers if h.strip()),
                   frozenset(c.strip().lower() for c in cookies if c.strip()))  # fmt: skip

    def hide(self, value: str) -> None:
        if len(value) >= SHORTEST_SCRUBBED:
            self.secrets.add(value)

    def header_value(self, name: str, value: str) -> str:
        key = name.lower()
        if key in self.headers:
            self.hide(value)
            return MASK  # a header secret (a badge, a token) is shown not even as a fingerprint
        if key in COOKIE_HEADERS and self.cookies:
            return COOKIE_PAIR.sub(self._cookie_pair, value)
        return value

    def _cookie_pair(self, match: re.Match[str]) -> str:
        if match["name"].lower() not in self.cookies or not match["value"]:
            return match[0]
        self.hide(match["value"])
        return f"{match['name']}={fingerprint(match['value'])}"

    def headers_shown(
        self, headers: Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> dict[str, str]:
        """Headers as evidence shows them: names in lower case, repeats joined, secrets out."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        shown: dict[str, str] = {}
        for name, value in pairs:
            key, masked = name.lower(), self.header_value(name, value)
            shown[key] = f"{shown[key]}, {masked}" if key in shown else masked
        return shown

    def scrub(self, text: str) -> str:
        """The text with every secret value seen so far replaced by the mask."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def evidence_payload(self, payload: Any) -> Any:
        """A copy of the payload with every `headers` entry masked, then every secret scrubbed."""
        masked = self._mask_headers(payload)
        return self._scrub_strings(masked) if self.secrets else masked

    def _mask_headers(self, value: Any) -> Any:
        if type(value) in LEAF_TYPES:  # most of a payload: settled without the Mapping check
            return value
        if isinstance(value, Mapping):
            return {
                key: self.headers_shown(item)
                if str(key).lower() == "headers" and isinstance(item, Mapping | list | tuple)
                else self._mask_headers(item)
                for key, item in value.items()
            }
        if isinstance(value, list | tuple):
            return [self._mask_headers(item) for item in value]
        return value

    def _scrub_strings(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, Mapping):
            return {key: self._scrub_strings(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._scrub_strings(item) for item in value]
        return value


def masking_of(config: pytest.Config) -> Masking:
    """A fresh Masking configured from the project's ini options (one per scenario)."""
    names = config.stash.get(NAMES_KEY, None)
    if names is None:
        try:
            headers, cookies = config.getini(HEADERS_OPTION), config.getini(COOKIES_OPTION)
        except ValueError:  # hq_spec.settings (which declares them) is not loaded: the defaults
            headers, cookies = list(DEFAULT_HEADERS), []
        names = config.stash[NAMES_KEY] = Masking.of(headers, cookies)
    return Masking(names.headers, names.cookies)


NAMES_KEY = pytest.StashKey[Masking]()
