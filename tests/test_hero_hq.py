"""Hero HQ's service contract, through Starlette's TestClient: unhappy paths first.

Ported from the tutorial's "Trial by Fire" suite, then grown to cover every rule of the contract.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import anyio
import httpx2
import pytest
from openapi_spec_validator import validate
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

import hero_hq.comms
import hero_hq.mission_log
from hero_hq.doors import DOORS, Door
from hero_hq.identity import COOKIE_NAME
from hero_hq.main import build_app
from hero_hq.openapi import UndocumentedDoor, paths_of
from hero_hq.routing import TrailingSlashFolding, requested_path
from hero_hq.settings import Settings
from steps.support.asgi import InProcessSocket

BADGE = {"X-HQ-Badge": "hq-badge-007"}
VOLT = {"name": "Volt", "power": "lightning", "wattage": 9001}
VILLAIN = {
    "error": {
        "code": "villain_detected",
        "message": "halt! that is not a valid HQ badge",
        "detail": {"hint": "send a valid X-HQ-Badge header"},
    }
}
WAIT = 2.0


@pytest.fixture
def client() -> Iterator[TestClient]:
    """A fresh HQ per test, its lifespan started."""
    with TestClient(build_app(Settings()), raise_server_exceptions=False) as started:
        yield started


def recruit(client: TestClient, paperwork: object = VOLT) -> int:
    response = client.post("/heroes/", json=paperwork, headers=BADGE)
    assert response.status_code == 201, response.text
    hero_id: int = response.json()["id"]
    return hero_id


def session_cookie(set_cookie: str | None) -> str:
    """Thread the cookie by hand: pull `lauren_session=<value>` out of a Set-Cookie header."""
    assert set_cookie is not None
    name_value = set_cookie.split(";", 1)[0]
    assert name_value.startswith("lauren_session=")
    return name_value


def who(client: TestClient, cookie: str | None) -> object:
    client.cookies.clear()  # TestClient keeps a jar; these tests thread cookies explicitly
    headers = {"cookie": cookie} if cookie else {}
    return client.get("/me/", headers=headers).json()


def errors(response: object) -> list[dict[str, str]]:
    body = response.json()  # type: ignore[attr-defined]
    assert body["error"]["code"] == "validation_error"
    assert body["error"]["message"] == "the paperwork is not in order"
    found: list[dict[str, str]] = body["error"]["detail"]["errors"]
    return found


# The guard ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-HQ-Badge": "nope"}, {"X-HQ-Badge": "HQ-BADGE-007"}, {"X-HQ-Badge": ""}],
    ids=["missing", "wrong", "wrong-case", "empty"],
)
def test_recruiting_without_a_valid_badge_is_403(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/heroes/", json=VOLT, headers=headers)
    assert response.status_code == 403
    assert response.json() == VILLAIN
    assert client.get("/heroes/").json() == []


def test_the_guard_runs_before_the_paperwork_is_read(client: TestClient) -> None:
    response = client.post("/heroes/", content=b"{not json", headers={"content-type": "text/plain"})
    assert response.status_code == 403
    assert response.json() == VILLAIN


def test_only_the_first_badge_header_counts(client: TestClient) -> None:
    bad_first = [("x-hq-badge", "nope"), ("x-hq-badge", "hq-badge-007")]
    good_first = list(reversed(bad_first))
    assert client.post("/heroes/", json=VOLT, headers=bad_first).status_code == 403
    assert client.post("/heroes/", json=VOLT, headers=good_first).status_code == 201


@pytest.mark.parametrize("badge", [" hq-badge-007", "hq-badge-007 ", "\thq-badge-007\t"])
def test_whitespace_around_a_presented_badge_is_no_part_of_it(
    client: TestClient, badge: str
) -> None:
    """Decided: strip both sides, as HTTP does for header values and HQ does for HQ_BADGES."""
    assert client.post("/heroes/", json=VOLT, headers={"X-HQ-Badge": badge}).status_code == 201


def test_whitespace_inside_a_badge_is_part_of_it(client: TestClient) -> None:
    assert (
        client.post("/heroes/", json=VOLT, headers={"X-HQ-Badge": "hq-badge -007"}).status_code
        == 403
    )


def test_badges_come_from_settings() -> None:
    settings = Settings.from_env({"HQ_BADGES": "cobalt-42, ember-9"})
    with TestClient(build_app(settings)) as client:
        assert client.post("/heroes/", json=VOLT, headers=BADGE).status_code == 403
        for badge in ("cobalt-42", "ember-9"):
            assert (
                client.post("/heroes/", json=VOLT, headers={"X-HQ-Badge": badge}).status_code == 201
            )


# Paperwork ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wattage", "kind"),
    [("9001", "int_type"), (9001.5, "int_type"), (9001.0, "int_type"), (True, "int_type"),
     (None, "int_type"), ("lots", "int_type"), (-5, "greater_than_equal"),
     (2**53, "less_than_equal")],
)  # fmt: skip
def test_wattage_must_be_a_json_integer_in_range(
    client: TestClient, wattage: object, kind: str
) -> None:
    response = client.post("/heroes/", json={**VOLT, "wattage": wattage}, headers=BADGE)
    assert response.status_code == 422
    [problem] = errors(response)
    assert problem["field"] == "wattage"
    assert problem["type"] == kind
    assert client.get("/heroes/").json() == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("name", "", "must not be empty"), ("name", "   ", "must not be blank"),
     ("name", "\u2800\u3164", "must not be blank"),
     ("name", "V" * 101, "must be at most 100 characters"), ("name", 123, "must be text"),
     ("power", None, "must be text"), ("power", "", "must not be empty")],
)  # fmt: skip
def test_names_and_powers_are_text_of_1_to_100_characters(
    client: TestClient, field: str, value: object, message: str
) -> None:
    response = client.post("/heroes/", json={**VOLT, field: value}, headers=BADGE)
    assert response.status_code == 422
    assert [(p["field"], p["message"]) for p in errors(response)] == [(field, message)]


HIDDEN = "must not contain control, format or bidirectional characters (found {})"


@pytest.mark.parametrize(
    ("value", "found"),
    [("\u200b", "U+200B"), ("\u2060", "U+2060"), ("\ufeff", "U+FEFF"), ("\u180e", "U+180E"),
     ("Volt\x00", "U+0000"), ("\u202eVolt", "U+202E"), ("Vo\u2066lt", "U+2066"),
     ("Volt\n", "U+000A"), ("\x85", "U+0085")],
)  # fmt: skip
def test_names_and_powers_hide_nothing_from_a_reader(
    client: TestClient, value: str, found: str
) -> None:
    for field in ("name", "power"):
        response = client.post("/heroes/", json={**VOLT, field: value}, headers=BADGE)
        assert response.status_code == 422
        [problem] = errors(response)
        assert (problem["field"], problem["message"]) == (field, HIDDEN.format(found))
        assert problem["type"] == "hidden_character"
    assert client.get("/heroes/").json() == []


@pytest.mark.parametrize("name", ["Zoë", "👩\u200d🚀", "Ivy \U0001f33f", "ناصر", "a\u0301"])
def test_names_a_reader_can_see_are_welcome(client: TestClient, name: str) -> None:
    response = client.post("/heroes/", json={**VOLT, "name": name}, headers=BADGE)
    assert response.status_code == 201
    assert response.json()["name"] == name


def test_boundaries_are_accepted(client: TestClient) -> None:
    hero = {"name": "V" * 100, "power": "p", "wattage": 0}
    assert client.post("/heroes/", json=hero, headers=BADGE).json() == {"id": 1, **hero}
    big = {**VOLT, "wattage": 2**53 - 1}
    assert client.post("/heroes/", json=big, headers=BADGE).json()["wattage"] == 2**53 - 1


def test_every_missing_field_is_listed_at_once(client: TestClient) -> None:
    response = client.post("/heroes/", json={"name": "Volt"}, headers=BADGE)
    assert errors(response) == [
        {"field": "power", "message": "is required", "type": "missing"},
        {"field": "wattage", "message": "is required", "type": "missing"},
    ]


@pytest.mark.parametrize("body", [[], None, "Volt", 3])
def test_the_paperwork_must_be_a_form(client: TestClient, body: object) -> None:
    headers = {**BADGE, "content-type": "application/json"}
    response = client.post("/heroes/", content=json.dumps(body).encode(), headers=headers)
    assert errors(response) == [
        {"field": "body", "message": "must be a form of named fields", "type": "model_type"}
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b'{"name": "Volt", oops', "the body is not valid JSON"),
     (b'{"name":"\xff"}', "the body is not valid JSON"),
     (b"", "a JSON body is required"), (b"   ", "a JSON body is required")],
)  # fmt: skip
def test_unreadable_paperwork_is_invalid_json(client: TestClient, raw: bytes, message: str) -> None:
    headers = {**BADGE, "content-type": "application/json"}
    response = client.post("/heroes/", content=raw, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_json"
    assert response.json()["error"]["message"] == message


def test_extra_fields_are_ignored(client: TestClient) -> None:
    response = client.post("/heroes/", json={**VOLT, "cape": True}, headers=BADGE)
    assert response.json() == {"id": 1, **VOLT}


def test_unicode_names_come_back_exactly(client: TestClient) -> None:
    hero = {**VOLT, "name": "Ünïcødé ⚡"}
    response = client.post("/heroes/", json=hero, headers=BADGE)
    assert "Ünïcødé ⚡".encode() in response.content  # raw UTF-8, not \\u escapes
    assert client.get("/heroes/1").json()["name"] == "Ünïcødé ⚡"


# The body and its type --------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", None, "application/xml"]
)
def test_json_endpoints_refuse_other_media_types(
    client: TestClient, content_type: str | None
) -> None:
    headers = {**BADGE, **({"content-type": content_type} if content_type else {})}
    response = client.post("/heroes/", content=json.dumps(VOLT).encode(), headers=headers)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert response.json()["error"]["detail"]["content_type"] == content_type
    assert client.get("/heroes/").json() == []


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/vnd.api+json"]
)
def test_json_media_types_with_parameters_or_suffixes_are_accepted(
    client: TestClient, content_type: str
) -> None:
    headers = {**BADGE, "content-type": content_type}
    assert (
        client.post("/heroes/", content=json.dumps(VOLT).encode(), headers=headers).status_code
        == 201
    )


def test_login_also_refuses_other_media_types(client: TestClient) -> None:
    response = client.post(
        "/me/login", content=b'{"hero_id": 1}', headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415


def test_a_declared_oversized_body_is_413(client: TestClient) -> None:
    body = json.dumps({**VOLT, "power": "x" * 70_000}).encode()
    response = client.post(
        "/heroes/", content=body, headers={**BADGE, "content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": {
            "code": "payload_too_large",
            "message": "the body exceeds 65536 bytes",
            "detail": {"limit": 65536},
        }
    }


def test_a_streamed_oversized_body_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "Volt", "power": "'
        for _ in range(80):
            yield b"x" * 1024
        yield b'", "wattage": 1}'

    headers = {**BADGE, "content-type": "application/json"}
    response = client.post("/heroes/", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert client.get("/heroes/").json() == []


# The roster -------------------------------------------------------------------------------


def test_recruit_then_fetch(client: TestClient) -> None:
    response = client.post("/heroes/", json=VOLT, headers=BADGE)
    assert response.status_code == 201
    assert response.content == b'{"id":1,"name":"Volt","power":"lightning","wattage":9001}'
    assert response.headers["content-type"] == "application/json"
    assert client.get("/heroes/1").json() == {"id": 1, **VOLT}


def test_the_roster_is_public_and_in_recruitment_order(client: TestClient) -> None:
    assert client.get("/heroes/").json() == []
    for name in ("Volt", "Tide", "Gale"):
        recruit(client, {**VOLT, "name": name})
    roster = client.get("/heroes/").json()
    assert [(h["id"], h["name"]) for h in roster] == [(1, "Volt"), (2, "Tide"), (3, "Gale")]


@pytest.mark.parametrize("hero_id", [999, 0, 2])
def test_missing_hero_is_a_clean_404(client: TestClient, hero_id: int) -> None:
    recruit(client)
    response = client.get(f"/heroes/{hero_id}")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "hero_not_found", "message": "no such hero", "detail": {"id": hero_id}}
    }


@pytest.mark.parametrize(
    "written", ["not-a-number", "1_0", "+1", "%EF%BC%91", "1.5", "-1", "1" * 19, "%201"]
)
def test_hero_ids_must_be_plain_ascii_digits(client: TestClient, written: str) -> None:
    for _ in range(10):
        recruit(client)
    response = client.get(f"/heroes/{written}")
    assert response.status_code == 422
    assert errors(response) == [
        {"field": "id", "message": "must be written with the digits 0-9", "type": "hero_id"}
    ]


def test_leading_zeros_are_still_digits(client: TestClient) -> None:
    recruit(client)
    assert client.get("/heroes/01").json()["id"] == 1


def test_a_full_roster_refuses_more_recruits() -> None:
    with TestClient(build_app(Settings(roster_max=2))) as client:
        recruit(client)
        recruit(client)
        response = client.post("/heroes/", json=VOLT, headers=BADGE)
        assert response.status_code == 409
        assert response.json()["error"] == {
            "code": "roster_full",
            "message": "the roster is full",
            "detail": {"limit": 2},
        }


# Paths and the error envelope -------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/heroes", "/heroes/", "/heroes/1", "/heroes/1/", "/status", "/status/", "/me", "/me/",
             "/missions/log", "/missions/log/", "/openapi.json", "/openapi.json/", "/docs", "/docs/"],
)  # fmt: skip
def test_paths_answer_with_and_without_the_trailing_slash(client: TestClient, path: str) -> None:
    recruit(client)
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/status//", 200), ("GET", "/status///////", 200), ("GET", "/me//", 200),
     ("POST", "/heroes//", 201), ("GET", "/heroes/1///", 200), ("GET", "/nowhere//", 404)],
)  # fmt: skip
def test_any_number_of_trailing_slashes_is_folded_never_redirected(
    client: TestClient, method: str, path: str, status: int
) -> None:
    recruit(client)
    response = client.request(
        method, path, json=VOLT, headers={**BADGE, "host": "evil.example"}, follow_redirects=False
    )
    assert response.status_code == status
    assert "location" not in response.headers
    assert "evil.example" not in response.text


def test_folding_leaves_the_servers_scope_as_sent() -> None:
    """The server logs the request from its own scope: folding must not rewrite it."""
    seen: list[Scope] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)

    scope: Scope = {"type": "http", "path": "/heroes/", "raw_path": b"/heroes/"}
    anyio.run(TrailingSlashFolding(inner), scope, None, None)
    assert scope == {"type": "http", "path": "/heroes/", "raw_path": b"/heroes/"}
    assert (seen[0]["path"], seen[0]["raw_path"]) == ("/heroes", b"/heroes")
    assert requested_path(seen[0]) == "/heroes/"


@pytest.mark.parametrize("path", ["/unknown", "/", "/HEROES/", "/missions", "/comms"])
def test_unknown_routes_are_404_naming_the_path(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "route_not_found",
            "message": f"No route matches GET {path}",
            "detail": {},
        }
    }


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("DELETE", "/heroes/1", ["GET", "HEAD"]), ("PUT", "/heroes/", ["GET", "HEAD", "POST"]),
     ("GET", "/me/login", ["POST"]), ("POST", "/openapi.json", ["GET", "HEAD"]),
     ("GET", "/missions/dispatch", ["POST"])],
)  # fmt: skip
def test_wrong_methods_are_405_with_allow(
    client: TestClient, method: str, path: str, allowed: list[str]
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == ", ".join(allowed)
    assert response.json() == {
        "error": {
            "code": "method_not_allowed",
            "message": f"{method} not allowed for {path}",
            "detail": {"allow": allowed},
        }
    }


def test_head_works_where_get_does(client: TestClient) -> None:
    response = client.head("/status/")
    assert response.status_code == 200
    assert response.content == b""


def test_an_unexpected_error_is_500_and_leaks_nothing() -> None:
    app = build_app(Settings())

    async def broken(request: Request) -> Response:
        raise RuntimeError("secret-sauce recipe at /srv/hq/secrets.py")

    app.router.routes.append(Route("/broken", broken))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken")
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "something went wrong inside HQ",
            "detail": {},
        }
    }
    assert b"secret" not in response.content
    assert b"Traceback" not in response.content


# Sessions -------------------------------------------------------------------------------


def test_login_is_remembered(client: TestClient) -> None:
    hero_id = recruit(client)
    response = client.post("/me/login", json={"hero_id": hero_id})
    assert response.json() == {"welcome": "Volt"}
    cookie = session_cookie(response.headers.get("set-cookie"))
    assert who(client, cookie) == {"identified": True, "hero_id": hero_id, "name": "Volt"}


def test_the_cookie_is_signed_and_protected(client: TestClient) -> None:
    recruit(client)
    set_cookie = client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"]
    value = session_cookie(set_cookie).split("=", 1)[1]
    session_id, _, signature = value.rpartition(".")
    assert len(session_id) == 43
    assert len(signature) == 64
    assert set_cookie.endswith("; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax")


def test_secure_cookies_when_configured() -> None:
    with TestClient(build_app(Settings.from_env({"HQ_COOKIE_SECURE": "1"}))) as client:
        recruit(client)
        set_cookie = client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"]
        assert set_cookie.endswith("; HttpOnly; SameSite=Lax; Secure")


def test_anonymous_visitors_get_no_cookie(client: TestClient) -> None:
    response = client.get("/me/")
    assert response.json() == {"identified": False}
    assert "set-cookie" not in response.headers


def test_logout_revokes_the_session_on_the_server(client: TestClient) -> None:
    recruit(client)
    cookie = session_cookie(client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"])
    client.cookies.clear()
    response = client.post("/me/logout", headers={"cookie": cookie})
    assert response.json() == {"farewell": True}
    assert (
        response.headers["set-cookie"]
        == "lauren_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
    )
    assert who(client, cookie) == {"identified": False}


def test_logout_always_succeeds(client: TestClient) -> None:
    response = client.post("/me/logout")
    assert response.json() == {"farewell": True}
    assert "Max-Age=0" in response.headers["set-cookie"]


def test_login_rotates_the_session(client: TestClient) -> None:
    recruit(client)
    recruit(client, {**VOLT, "name": "Tide"})
    first = session_cookie(client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"])
    client.cookies.clear()
    second_response = client.post("/me/login", json={"hero_id": 2}, headers={"cookie": first})
    second = session_cookie(second_response.headers["set-cookie"])
    assert second != first
    assert who(client, first) == {"identified": False}
    assert who(client, second) == {"identified": True, "hero_id": 2, "name": "Tide"}


def test_two_heroes_are_never_mixed_up(client: TestClient) -> None:
    recruit(client)
    recruit(client, {**VOLT, "name": "Tide"})
    volt = session_cookie(client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"])
    client.cookies.clear()
    tide = session_cookie(client.post("/me/login", json={"hero_id": 2}).headers["set-cookie"])
    assert who(client, volt) == {"identified": True, "hero_id": 1, "name": "Volt"}
    assert who(client, tide) == {"identified": True, "hero_id": 2, "name": "Tide"}


def test_an_unknown_hero_cannot_log_in(client: TestClient) -> None:
    response = client.post("/me/login", json={"hero_id": 999})
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": "no such hero to log in as",
            "detail": {"hero_id": 999},
        }
    }
    assert "set-cookie" not in response.headers
    assert "www-authenticate" not in response.headers


@pytest.mark.parametrize("hero_id", ["1", "abc", 1.0, None, True])
def test_login_needs_a_whole_hero_number(client: TestClient, hero_id: object) -> None:
    recruit(client)
    response = client.post("/me/login", json={"hero_id": hero_id})
    assert response.status_code == 422
    assert [p["field"] for p in errors(response)] == ["hero_id"]


@pytest.mark.parametrize(
    "forge",
    [lambda v: v[:-1] + ("0" if v[-1] != "0" else "1"), lambda v: v.rpartition(".")[0],
     lambda v: "garbage", lambda v: "", lambda v: "x" * 4000, lambda v: v + "." + v,
     lambda v: v.rpartition(".")[0] + "." + "0" * 64],
    ids=["tampered", "unsigned", "garbage", "empty", "oversized", "doubled", "zero-signature"],
)  # fmt: skip
def test_bad_cookies_are_simply_anonymous(client: TestClient, forge: object) -> None:
    recruit(client)
    real = session_cookie(client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"])
    forged = forge(real.split("=", 1)[1])  # type: ignore[operator]
    client.cookies.clear()
    response = client.get("/me/", headers={"cookie": f"lauren_session={forged}"})
    assert response.status_code == 200
    assert response.json() == {"identified": False}
    assert "set-cookie" not in response.headers


def test_the_cookie_name_is_case_sensitive(client: TestClient) -> None:
    recruit(client)
    real = session_cookie(client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"])
    assert who(client, real.replace("lauren_session", "LAUREN_SESSION")) == {"identified": False}


def test_a_cookie_signed_with_another_secret_is_anonymous() -> None:
    first, second = build_app(Settings()), build_app(Settings())
    with TestClient(first) as one, TestClient(second) as two:
        recruit(one)
        recruit(two)
        cookie = session_cookie(one.post("/me/login", json={"hero_id": 1}).headers["set-cookie"])
        assert who(two, cookie) == {"identified": False}


# The status feed --------------------------------------------------------------------------


def test_the_status_feed_streams_each_event_then_closes(client: TestClient) -> None:
    with client.stream("GET", "/missions/feed") as response:
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"
        chunks = list(response.iter_raw())
    assert chunks == [
        b"event: status\ndata: all quiet on sector 1\n\n",
        b"event: status\ndata: all quiet on sector 2\n\n",
        b"event: status\ndata: all quiet on sector 3\n\n",
        b"event: close\ndata: stand down\n\n",
    ]


# Dispatch -------------------------------------------------------------------------------


def test_dispatch_is_accepted_then_recorded(client: TestClient) -> None:
    assert client.get("/missions/log").json() == {"dispatched": []}
    response = client.post("/missions/dispatch?hero=Volt")
    assert response.status_code == 202
    assert response.json() == {"dispatched": "Volt"}
    client.post("/missions/dispatch?hero=Unknown%20Guy")
    assert client.get("/missions/log").json() == {"dispatched": ["Volt", "Unknown Guy"]}


def test_the_first_hero_named_is_dispatched(client: TestClient) -> None:
    assert client.post("/missions/dispatch?hero=A&hero=B").json() == {"dispatched": "A"}


@pytest.mark.parametrize(
    ("query", "problem"),
    [("", {"field": "hero", "message": "is required", "type": "missing"}),
     ("?hero=", {"field": "hero", "message": "must not be empty", "type": "string_too_short"}),
     ("?hero=%20%20", {"field": "hero", "message": "must not be blank", "type": "blank"}),
     ("?hero=%E2%80%AE", {"field": "hero", "type": "hidden_character", "message":
      "must not contain control, format or bidirectional characters (found U+202E)"}),
     ("?hero=" + "x" * 101, {"field": "hero", "message": "must be at most 100 characters",
                             "type": "string_too_long"})],
)  # fmt: skip
def test_dispatch_must_name_a_hero(client: TestClient, query: str, problem: dict[str, str]) -> None:
    response = client.post(f"/missions/dispatch{query}", json={"hero": "Volt"})
    assert response.status_code == 422
    assert errors(response) == [problem]
    assert client.get("/missions/log").json() == {"dispatched": []}


def test_the_mission_log_is_bounded() -> None:
    with TestClient(build_app(Settings(mission_log_max=3))) as client:
        for name in "ABCDE":
            client.post(f"/missions/dispatch?hero={name}")
        assert client.get("/missions/log").json() == {"dispatched": ["C", "D", "E"]}


# Comms ----------------------------------------------------------------------------------


@pytest.fixture
def comms(client: TestClient) -> Iterator[list[InProcessSocket]]:
    """Three comms clients, each wait with a deadline; closed afterwards."""
    assert client.portal is not None
    sockets = [InProcessSocket(client.portal, client.app, "/comms", within=WAIT) for _ in range(3)]
    yield sockets
    for socket in sockets:
        socket.close()


def frame(socket: InProcessSocket) -> object:
    text = socket.receive(WAIT)
    assert text is not None, "no frame arrived within the deadline"
    return json.loads(text)


def test_comms_broadcasts_to_everyone_including_the_sender(comms: list[InProcessSocket]) -> None:
    a, b, c = comms
    a.send_text(json.dumps({"event": "chat", "text": "assemble!"}))
    assert [frame(s) for s in (a, b, c)] == [{"chat": "assemble!"}] * 3
    assert all(s.receive(0.1) is None for s in comms)


def test_comms_accepts_the_data_wrapper(comms: list[InProcessSocket]) -> None:
    a, b, _ = comms
    a.send_text(json.dumps({"event": "chat", "text": "top", "data": {"text": "inner"}}))
    assert frame(b) == {"chat": "inner"}


@pytest.mark.parametrize(
    ("sent", "message", "detail"),
    [("{not json", "invalid JSON frame: key must be a string", {"fragment": "{not json"}),
     ("x" * 300, "invalid JSON frame: expected value", {"fragment": "x" * 120}),
     ("[" * 60_000, "invalid JSON frame: recursion limit exceeded", {"fragment": "[" * 120}),
     ('{"event":"chat","text":' + "[" * 5000 + "]" * 5000 + "}",
      "invalid JSON frame: recursion limit exceeded",
      {"fragment": ('{"event":"chat","text":' + "[" * 5000)[:120]}),
     ('{"event":"chat","text":' + "9" * 5000 + "}", "invalid JSON frame: number out of range",
      {"fragment": ('{"event":"chat","text":' + "9" * 5000)[:120]}),
     ('{"\\ud800":1}', "invalid JSON frame: unexpected end of hex escape",
      {"fragment": '{"\\ud800":1}'}),
     ('{"event":"\\ud800"}', "invalid JSON frame: unexpected end of hex escape",
      {"fragment": '{"event":"\\ud800"}'}),
     ('{"event":"chat","text":NaN}', "invalid JSON frame: expected value",
      {"fragment": '{"event":"chat","text":NaN}'}),
     ("[1,2]", "frame must be a JSON object with an 'event' field", {"received": "array"}),
     ('"chat"', "frame must be a JSON object with an 'event' field", {"received": "string"}),
     ('{"event":"dance","text":"x"}', "no handler for event 'dance'", {"event": "dance", "known": ["chat"]}),
     ('{"text":"no event"}', "frame missing required 'event' field", {"frame_keys": ["text"]}),
     ('{"event":5,"text":"x"}', "frame missing required 'event' field", {"frame_keys": ["event", "text"]}),
     ('{"event":"chat","text":123}', "validation error",
      {"event": "chat", "errors": [{"field": "text", "message": "must be text", "type": "string_type"}]}),
     ('{"event":"chat"}', "validation error",
      {"event": "chat", "errors": [{"field": "text", "message": "is required", "type": "missing"}]}),
     ('{"event":"chat","data":"hello"}', "validation error",
      {"event": "chat", "errors": [{"field": "data", "message": "must be a form of named fields",
                                    "type": "model_type"}]})],
)  # fmt: skip
def test_a_bad_frame_is_answered_to_its_sender_only(
    comms: list[InProcessSocket], sent: str, message: str, detail: dict[str, object]
) -> None:
    a, b, _ = comms
    a.send_text(sent)
    error = frame(a)
    assert error == {
        "error": {
            "code": "websocket_validation_error",
            "message": error["error"]["message"],
            "detail": detail,
        }
    }  # type: ignore[index]
    assert error["error"]["message"].startswith(message)  # type: ignore[index]
    assert b.receive(0.1) is None
    a.send_text(json.dumps({"event": "chat", "text": "still here"}))
    assert frame(a) == {"chat": "still here"}
    assert frame(b) == {"chat": "still here"}


def test_a_frame_hq_fails_on_costs_one_log_line_and_the_sender_stays(
    comms: list[InProcessSocket],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    a, b, _ = comms

    def breaks(text: str) -> str:
        raise RuntimeError("x" * 5000)

    monkeypatch.setattr(hero_hq.comms, "parse_frame", breaks)
    a.send_text(json.dumps({"event": "chat", "text": "boom"}))
    assert frame(a)["error"]["code"] == "websocket_internal_error"  # type: ignore[index]
    assert b.receive(0.1) is None
    [record] = [r for r in caplog.records if r.name == "hero_hq"]
    assert record.exc_info is None
    assert len(record.getMessage()) < 300
    monkeypatch.undo()
    a.send_text(json.dumps({"event": "chat", "text": "still here"}))
    assert frame(b) == {"chat": "still here"}


def test_binary_and_oversized_frames_are_refused(comms: list[InProcessSocket]) -> None:
    a, b, _ = comms
    a.send_bytes(b'{"event":"chat","text":"binary"}')
    assert frame(a) == {
        "error": {"code": "websocket_validation_error", "message": "no handler for binary frames",
                  "detail": {"size": 32}}
    }  # fmt: skip
    a.send_text(json.dumps({"event": "chat", "text": "x" * 70_000}))
    assert frame(a)["error"]["message"] == "frame too large"  # type: ignore[index]
    assert b.receive(0.1) is None


def test_a_client_that_leaves_does_not_break_the_others(comms: list[InProcessSocket]) -> None:
    a, b, c = comms
    c.close()
    a.send_text(json.dumps({"event": "chat", "text": "still there?"}))
    assert frame(a) == frame(b) == {"chat": "still there?"}


def test_comms_refuses_clients_past_its_limit() -> None:
    with TestClient(build_app(Settings(comms_max_clients=1))) as client:
        assert client.portal is not None
        first = InProcessSocket(client.portal, client.app, "/comms", within=WAIT)
        second = InProcessSocket(client.portal, client.app, "/comms", within=WAIT)
        refusal = second.receive(WAIT)
        assert refusal is not None
        assert json.loads(refusal)["error"]["code"] == "comms_full"
        assert second.receive(WAIT) is None
        assert second.closed
        first.close()
        second.close()


# Operations -----------------------------------------------------------------------------


def test_status_before_startup_and_once_started() -> None:
    app = build_app(Settings())
    memory = {"kind": "memory", "reachable": True}
    assert TestClient(app).get("/status/").json() == {
        "hq": "warming up",
        "grid": False,
        "store": memory,
    }
    with TestClient(app) as client:
        response = client.get("/status/")
        assert response.content == (
            b'{"hq":"online","grid":true,"store":{"kind":"memory","reachable":true}}'
        )
    assert app.state.hq.grid.powered is False  # shutdown powered the grid down


def test_every_app_is_isolated() -> None:
    with TestClient(build_app(Settings())) as one, TestClient(build_app(Settings())) as two:
        recruit(one)
        one.post("/missions/dispatch?hero=Volt")
        assert two.get("/heroes/").json() == []
        assert two.get("/missions/log").json() == {"dispatched": []}
        assert recruit(two) == 1


def test_the_openapi_document_tells_the_truth(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    paths = document["paths"]
    for path, operations in paths.items():
        for method in operations:
            concrete = path.replace("{id}", "1")
            assert (
                client.request(method.upper(), concrete).status_code != 404
                or path == "/heroes/{id}"
            )
    assert paths["/heroes/"]["post"]["responses"]["201"]["content"]["application/json"][
        "schema"
    ] == {"$ref": "#/components/schemas/Hero"}
    assert "202" in paths["/missions/dispatch"]["post"]["responses"]
    assert list(paths["/missions/feed"]["get"]["responses"]["200"]["content"]) == [
        "text/event-stream"
    ]
    assert document["components"]["securitySchemes"]["badge"] == {
        "type": "apiKey", "in": "header", "name": "X-HQ-Badge",
    }  # fmt: skip
    assert paths["/heroes/"]["post"]["security"] == [{"badge": []}]
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for operations in paths.values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert response["content"]["application/json"]["schema"] == envelope
    assert "/comms" in document["x-websockets"]


def test_every_door_is_served_and_documented_and_nothing_else(client: TestClient) -> None:
    """One list of doors: the app's routes and the document's paths are both made from it."""
    document = client.get("/openapi.json").json()
    served = {
        (route.path, tuple(sorted(getattr(route, "methods", None) or ())))
        for route in client.app.routes
    }  # type: ignore[attr-defined]
    expected = {
        (
            door.path.rstrip("/") or "/",
            tuple(sorted({*door.methods, *(["HEAD"] if "GET" in door.methods else [])})),
        )
        for door in DOORS
    }
    assert served == expected
    documented = {(path, m.upper()) for path, ops in document["paths"].items() for m in ops}
    assert documented == {(d.path, m) for d in DOORS for m in d.methods}
    assert list(document["x-websockets"]) == [d.path for d in DOORS if d.websocket]


def test_a_door_without_documentation_stops_the_document_being_written() -> None:
    secret = Door("/vault", lambda request: None, ("GET",))
    with pytest.raises(UndocumentedDoor, match=r"^GET /vault is served, not documented$"):
        paths_of([*DOORS, secret])
    with pytest.raises(UndocumentedDoor, match=r"^/docs documented, but HQ has no such door$"):
        paths_of([door for door in DOORS if door.path != "/docs"])


def test_the_session_cookie_is_named_once(client: TestClient) -> None:
    recruit(client)
    set_cookie = client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"]
    assert set_cookie.startswith(f"{COOKIE_NAME}=")
    document = client.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["session"]["name"] == COOKIE_NAME
    login = document["paths"]["/me/login"]["post"]["responses"]["200"]
    assert login["headers"]["Set-Cookie"]["description"] == COOKIE_NAME


def test_the_openapi_document_is_valid() -> None:
    with TestClient(build_app(Settings())) as client:
        validate(client.get("/openapi.json").json())


def test_the_api_page_works_offline(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "/heroes/{id}" in response.text
    assert "http://" not in response.text
    assert "https://" not in response.text


# Rates: logins, dispatches and chats per client ---------------------------------------------


def rated(**limits: int) -> TestClient:
    return TestClient(build_app(Settings(**limits)), client=("203.0.113.7", 50000))  # type: ignore[arg-type]


def assert_too_many(response: object, what: str, limit: int) -> None:
    assert response.status_code == 429  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["error"]["code"] == "too_many_requests"
    assert body["error"]["message"] == (
        f"too many {what} from this client: at most {limit} every 60 seconds"
    )
    retry_after = int(response.headers["retry-after"])  # type: ignore[attr-defined]
    assert 1 <= retry_after <= 60
    assert body["error"]["detail"] == {
        "limit": limit, "window_seconds": 60.0, "retry_after_seconds": retry_after,
    }  # fmt: skip


def test_a_login_flood_from_one_client_is_refused_and_logs_nobody_out() -> None:
    app = build_app(Settings(session_max=5, logins_per_minute=3))
    with (
        TestClient(app, client=("198.51.100.1", 1)) as victim,
        TestClient(app, client=("203.0.113.7", 2)) as flooder,
    ):
        recruit(victim)
        pass_of_victim = session_cookie(
            victim.post("/me/login", json={"hero_id": 1}).headers["set-cookie"]
        )
        answers = []
        for _ in range(50):
            flooder.cookies.clear()
            answers.append(flooder.post("/me/login", json={"hero_id": 1}))
        assert [a.status_code for a in answers[:3]] == [200] * 3
        for refused in answers[3:]:
            assert_too_many(refused, "logins", 3)
            assert "set-cookie" not in refused.headers
        assert who(victim, pass_of_victim) == {"identified": True, "hero_id": 1, "name": "Volt"}


def test_logging_in_with_a_live_pass_rotates_it_and_is_never_refused() -> None:
    with rated(logins_per_minute=1) as client:
        recruit(client)
        client.cookies.clear()
        current = session_cookie(
            client.post("/me/login", json={"hero_id": 1}).headers["set-cookie"]
        )
        for _ in range(5):
            client.cookies.clear()
            response = client.post("/me/login", json={"hero_id": 1}, headers={"cookie": current})
            assert response.status_code == 200
            old, current = current, session_cookie(response.headers["set-cookie"])
            assert who(client, old) == {"identified": False}
        assert anyio.run(client.app.state.hq.sessions.count) == 1  # type: ignore[attr-defined]


def test_concurrent_logins_with_one_pass_rotate_it_once_and_multiply_nothing() -> None:
    app = build_app(Settings(logins_per_minute=3))

    async def fifty_logins() -> list[int]:
        transport = httpx2.ASGITransport(app=app, client=("203.0.113.7", 1))
        async with httpx2.AsyncClient(transport=transport, base_url="http://hq") as client:
            await client.post("/heroes/", json=VOLT, headers=BADGE)
            login = await client.post("/me/login", json={"hero_id": 1})
            cookie = session_cookie(login.headers["set-cookie"])
            client.cookies.clear()

            async def one() -> int:
                answer = await client.post(
                    "/me/login", json={"hero_id": 1}, headers={"cookie": cookie}
                )
                return answer.status_code

            return list(await asyncio.gather(*(one() for _ in range(50))))

    statuses = asyncio.run(fifty_logins())
    # One rotation (free) and what is left of the allowance (3 - the first login = 2).
    assert statuses.count(200) == 3
    assert statuses.count(429) == 47
    assert asyncio.run(app.state.hq.sessions.count()) == 3


def test_dispatches_are_held_to_a_rate_per_client() -> None:
    with rated(dispatches_per_minute=2) as client:
        assert client.post("/missions/dispatch?hero=Volt").status_code == 202
        assert client.post("/missions/dispatch?hero=Tide").status_code == 202
        assert_too_many(client.post("/missions/dispatch?hero=Gale"), "dispatches", 2)
        assert client.get("/missions/log").json() == {"dispatched": ["Volt", "Tide"]}


def test_the_mission_log_is_serialised_once_per_change(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    serialised: list[object] = []
    real = hero_hq.mission_log.to_json

    def counting(value: object) -> bytes:
        serialised.append(value)
        return real(value)

    monkeypatch.setattr(hero_hq.mission_log, "to_json", counting)
    client.post("/missions/dispatch?hero=Volt")
    for _ in range(3):
        assert client.get("/missions/log").json() == {"dispatched": ["Volt"]}
    client.post("/missions/dispatch?hero=Tide")
    for _ in range(3):
        assert client.get("/missions/log").json() == {"dispatched": ["Volt", "Tide"]}
    assert len(serialised) == 2


def test_a_fast_talker_is_told_to_slow_down_and_nobody_hears_the_excess() -> None:
    with rated(chats_per_second=3) as client:
        assert client.portal is not None
        talker, listener = (
            InProcessSocket(client.portal, client.app, "/comms", within=WAIT) for _ in range(2)
        )
        for number in range(5):
            talker.send_text(json.dumps({"event": "chat", "text": f"m{number}"}))
        heard = [frame(listener) for _ in range(3)]
        assert heard == [{"chat": "m0"}, {"chat": "m1"}, {"chat": "m2"}]
        assert listener.receive(0.1) is None
        told = [frame(talker) for _ in range(5)]
        refusals = [t for t in told if "error" in t]  # type: ignore[operator]
        assert len(refusals) == 2
        for refusal in refusals:
            assert refusal["error"]["code"] == "too_many_requests"  # type: ignore[index]
            assert refusal["error"]["message"] == "too many chats: at most 3 a second"  # type: ignore[index]
        talker.close()
        listener.close()
