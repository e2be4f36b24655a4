"""Masking: configured header and cookie names, in any letter case, and the values they carried."""

from __future__ import annotations

import pytest

from hq_spec.evidence import Evidence, EvidenceLog
from hq_spec.masking import MASK, Masking, fingerprint

MASKING = ("X-HQ-Badge",), ("lauren_session",)


@pytest.mark.parametrize("name", ["X-HQ-Badge", "x-hq-badge", "X-Hq-BADGE", "X-HQ-BADGE"])
def test_a_secret_header_is_masked_in_any_spelling(name: str) -> None:
    masking = Masking.of(*MASKING)
    assert masking.headers_shown([(name, "badge-4711")]) == {"x-hq-badge": MASK}


@pytest.mark.parametrize("name", ["lauren_session", "LAUREN_SESSION", "Lauren_Session"])
@pytest.mark.parametrize("header", ["Cookie", "cookie", "Set-Cookie", "SET-COOKIE"])
def test_a_secret_cookie_is_masked_in_any_spelling(name: str, header: str) -> None:
    masking = Masking.of(*MASKING)
    shown = masking.headers_shown([(header, f"theme=dark; {name}=pass-9001; Path=/")])
    assert shown == {header.lower(): f"theme=dark; {name}={fingerprint('pass-9001')}; Path=/"}


def test_other_headers_and_cookies_and_empty_passes_stay_readable() -> None:
    masking = Masking.of(*MASKING)
    shown = masking.headers_shown(
        {"Content-Type": "application/json", "Cookie": "theme=dark; lauren_session="}
    )
    assert shown == {"content-type": "application/json", "cookie": "theme=dark; lauren_session="}


def test_two_different_passes_stay_distinguishable() -> None:
    masking = Masking.of(*MASKING)
    first = masking.headers_shown([("Cookie", "lauren_session=pass-one")])
    second = masking.headers_shown([("Cookie", "lauren_session=pass-two")])
    assert first != second


def test_authorization_is_masked_by_default() -> None:
    masking = Masking.of(("authorization",), ())
    assert masking.headers_shown([("Authorization", "Bearer abc.def")]) == {"authorization": MASK}


def test_a_masked_value_is_scrubbed_wherever_else_the_evidence_quotes_it() -> None:
    log = EvidenceLog(Masking.of(*MASKING))
    log.record(
        Evidence(
            "http",
            "Sneaky",
            "GET / with badge-4711",
            {
                "request": {"headers": [("X-Hq-Badge", "badge-4711")]},
                "response": {"headers": {}, "body": '{"echo": "badge-4711"}'},
            },
        )
    )
    [evidence] = log.drain()
    assert "badge-4711" not in str(evidence.as_json())
    assert evidence.summary == f"GET / with {MASK}"
    assert log.masking.scrub("HQ answered badge-4711") == f"HQ answered {MASK}"
