"""The guard at HQ's door: only holders of a valid X-HQ-Badge may recruit."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from starlette.requests import Request

from hero_hq.errors import VillainDetected

BADGE_HEADER = "x-hq-badge"


def badge_is_valid(presented: str | None, badges: Sequence[str]) -> bool:
    """Compare against every valid badge in constant time, so timing reveals nothing."""
    if presented is None:
        return False
    # Whitespace around a badge is no part of it, as for any HTTP field value (RFC 9110 5.5):
    # servers disagree on stripping it, so HQ strips both sides itself, as it does for HQ_BADGES.
    candidate = presented.strip(" \t").encode()
    matched = False
    for badge in badges:
        matched |= hmac.compare_digest(candidate, badge.encode())
    return matched


def check_badge(request: Request, badges: Sequence[str]) -> None:
    """Turn a villain away before anything of theirs is read (only the first header counts)."""
    if not badge_is_valid(request.headers.get(BADGE_HEADER), badges):
        raise VillainDetected()
