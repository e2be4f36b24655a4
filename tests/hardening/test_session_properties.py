"""Session properties under hypothesis: forged cookies are anonymous, identities never cross."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from starlette.testclient import TestClient

from hero_hq.main import build_app
from hero_hq.settings import Settings

BADGE = {"X-HQ-Badge": "hq-badge-007"}
HEROES = ["Volt", "Tide", "Gale"]
COOKIE_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=';,"\\'),
    max_size=300,
)


def fresh_client() -> TestClient:
    client = TestClient(
        build_app(Settings(session_secret=b"property secret", logins_per_minute=1_000_000))
    )
    for name in HEROES:
        client.post("/heroes/", json={"name": name, "power": "p", "wattage": 1}, headers=BADGE)
    return client


def login(client: TestClient, hero_id: int, cookie: str | None = None) -> str:
    client.cookies.clear()
    headers = {"cookie": f"lauren_session={cookie}"} if cookie else {}
    set_cookie = client.post("/me/login", json={"hero_id": hero_id}, headers=headers).headers
    return set_cookie["set-cookie"].split(";", 1)[0].split("=", 1)[1]


def identity(client: TestClient, cookie_header: str | None) -> dict[str, object]:
    client.cookies.clear()
    response = client.get("/me/", headers={"cookie": cookie_header} if cookie_header else {})
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    body: dict[str, object] = response.json()
    return body


CLIENT = fresh_client()
GENUINE = login(CLIENT, 1)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=COOKIE_TEXT)
def test_any_forged_value_is_anonymous(value: str) -> None:
    if value != GENUINE:
        assert identity(CLIENT, f"lauren_session={value}") == {"identified": False}


@settings(max_examples=200, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(GENUINE) - 1), flip=st.integers(0, len(GENUINE) - 1)
)
def test_truncated_or_altered_genuine_cookies_are_anonymous(cut: int, flip: int) -> None:
    truncated = GENUINE[:cut]
    replacement = "A" if GENUINE[flip] != "A" else "B"
    altered = GENUINE[:flip] + replacement + GENUINE[flip + 1 :]
    for value in (truncated, altered):
        assert identity(CLIENT, f"lauren_session={value}") == {"identified": False}


@settings(max_examples=100, deadline=None)
@given(key=st.binary(min_size=1, max_size=64))
def test_re_signed_cookies_are_anonymous(key: bytes) -> None:
    session_id = GENUINE.rpartition(".")[0]
    signature = hmac.new(key, session_id.encode(), hashlib.sha256).hexdigest()
    if key != b"property secret":
        assert identity(CLIENT, f"lauren_session={session_id}.{signature}") == {"identified": False}


@settings(max_examples=50, deadline=None)
@given(size=st.integers(min_value=1_000, max_value=16_000))
def test_oversized_cookies_are_anonymous(size: int) -> None:
    assert identity(CLIENT, "lauren_session=" + "x" * size) == {"identified": False}


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(["LAUREN_SESSION", "Lauren_Session", "lauren_Session", "lauren-session"])
)
def test_mis_cased_or_misspelt_names_are_anonymous(name: str) -> None:
    assert identity(CLIENT, f"{name}={GENUINE}") == {"identified": False}


def test_duplicated_cookies_the_last_one_wins() -> None:
    other = login(CLIENT, 2)
    assert identity(CLIENT, f"lauren_session={GENUINE}; lauren_session={other}")["name"] == "Tide"
    assert identity(CLIENT, f"lauren_session={other}; lauren_session=forged")["identified"] is False


class LoginsAndLogouts(RuleBasedStateMachine):
    """Several browsers log in and out in any order; HQ must agree with a simple model."""

    def __init__(self) -> None:
        super().__init__()
        self.client = fresh_client()
        self.browsers: list[str | None] = [None, None, None]  # each browser's current cookie
        self.model: list[int | None] = [None, None, None]  # whom each browser should be
        self.revoked: list[str] = []

    @rule(browser=st.integers(0, 2), hero=st.integers(1, len(HEROES)))
    def log_in(self, browser: int, hero: int) -> None:
        old = self.browsers[browser]
        self.browsers[browser] = login(self.client, hero, old)
        if old:
            self.revoked.append(old)
        self.model[browser] = hero

    @precondition(lambda self: any(self.browsers))
    @rule(browser=st.integers(0, 2))
    def log_out(self, browser: int) -> None:
        cookie = self.browsers[browser]
        self.client.cookies.clear()
        headers = {"cookie": f"lauren_session={cookie}"} if cookie else {}
        assert self.client.post("/me/logout", headers=headers).json() == {"farewell": True}
        if cookie:
            self.revoked.append(cookie)
        self.browsers[browser], self.model[browser] = None, None

    @invariant()
    def everyone_is_who_the_model_says(self) -> None:
        for cookie, hero in zip(self.browsers, self.model, strict=True):
            expected: dict[str, object] = {"identified": False}
            if hero is not None:
                expected = {"identified": True, "hero_id": hero, "name": HEROES[hero - 1]}
            header = f"lauren_session={cookie}" if cookie else None
            assert identity(self.client, header) == expected

    @invariant()
    def revoked_cookies_identify_nobody(self) -> None:
        for cookie in self.revoked[-3:]:
            assert identity(self.client, f"lauren_session={cookie}") == {"identified": False}

    def teardown(self) -> None:
        self.client.close()


TestLoginsAndLogouts = LoginsAndLogouts.TestCase
TestLoginsAndLogouts.settings = settings(max_examples=15, stateful_step_count=12, deadline=None)
