"""HQ's API in the cast's terms: every URL, header and JSON body the steps need lives here."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from steps.support.cast import PERSONAS, Actor, Cast
from steps.support.connection import CommsLink, Exchange, FeedReading, HQConnection
from steps.support.deadlines import WAIT_SECONDS

JSON = "application/json"
# The doors of HQ the steps use, as HQ's contract names them: each is checked against the
# contract HQ publishes, and every other list of HQ's services is read from that contract.
ROSTER, HERO, IDENTITY, LOGIN, LOGOUT = (
    "/heroes/",
    "/heroes/{id}",
    "/me/",
    "/me/login",
    "/me/logout",
)
FEED, DISPATCH, MISSION_LOG = "/missions/feed", "/missions/dispatch", "/missions/log"
STATUS, CONTRACT, API_PAGE, COMMS = "/status/", "/openapi.json", "/docs", "/comms"
ADDRESSES = (ROSTER, HERO, IDENTITY, LOGIN, LOGOUT, FEED, DISPATCH, MISSION_LOG, STATUS, CONTRACT,
             API_PAGE)  # fmt: skip


class Agency:
    """One scenario's HQ and cast; steps act through it and read its last answers."""

    def __init__(self, connection: HQConnection, cast: Cast) -> None:
        self.connection = connection
        self.cast = cast
        self.hero_numbers: dict[str, int] = {}  # hero name -> the number HQ filed them under
        # Then steps check HQ's records through someone outside the cast, so that checking
        # introduces nobody into the scenario and touches no actor's pass.
        self.observer = Actor("the specification")
        self._latest: Actor | None = None  # whoever asked HQ something most recently

    @property
    def last_answer(self) -> Exchange | None:
        """HQ's answer to the scenario's latest request (made by any actor)."""
        return self._latest.last_answer if self._latest is not None else None

    @property
    def in_process(self) -> bool:
        return self.connection.in_process

    def send(
        self,
        actor: Actor,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw: bytes | None = None,
        content_type: str | None = JSON,
        session_pass: str | None = None,
        cookie: str | None = None,
        badges: bool = False,
    ) -> Exchange:
        # `cookie` is sent exactly as given, instead of the actor's own pass (a forgery).
        headers = [("cookie", cookie)] if cookie is not None else actor.cookie_header(session_pass)
        if badges:
            headers += actor.badge_headers()
        content = raw
        if body is not None:
            content = json.dumps(body, ensure_ascii=False).encode()
        if content is not None and content_type is not None:
            headers.append(("content-type", content_type))
        exchange = self.connection.request(
            actor.name, method, path, headers=headers, content=content
        )
        actor.take_pass(exchange.headers.get_list("set-cookie"))
        actor.last_answer = exchange
        if actor is not self.observer:
            self._latest = actor
        return exchange

    # The roster ----------------------------------------------------------------------------
    def recruit(
        self, actor: Actor, paperwork: Any = None, *, raw: bytes | None = None,
        content_type: str | None = JSON,
    ) -> Exchange:  # fmt: skip
        exchange = self.send(
            actor, "POST", ROSTER, body=paperwork, raw=raw, content_type=content_type,
            badges=True,
        )  # fmt: skip
        if exchange.status == 201:
            hero = exchange.json()
            self.hero_numbers[hero["name"]] = hero["id"]
        return exchange

    def standard_paperwork(self, name: str) -> tuple[str, int]:
        """A hero's standard power and wattage; naming the hero introduces them."""
        self.cast[name]
        return PERSONAS.get(name, ("courage", 100))

    def recruit_persona(self, actor: Actor, name: str) -> Exchange:
        power, wattage = self.standard_paperwork(name)
        return self.recruit(actor, {"name": name, "power": power, "wattage": wattage})

    def roster(self, actor: Actor) -> Exchange:
        return self.send(actor, "GET", ROSTER)

    def look_up(self, actor: Actor, hero_number: str) -> Exchange:
        return self.send(actor, "GET", HERO.format(id=quote(hero_number, safe="")))

    # Identity ------------------------------------------------------------------------------
    def log_in(self, actor: Actor, login: Any) -> Exchange:
        return self.send(actor, "POST", LOGIN, body=login)

    def who_am_i(
        self, actor: Actor, session_pass: str | None = None, *, cookie: str | None = None
    ) -> Exchange:
        return self.send(actor, "GET", IDENTITY, session_pass=session_pass, cookie=cookie)

    def log_out(self, actor: Actor) -> Exchange:
        return self.send(actor, "POST", LOGOUT, content_type=None)

    # Missions ------------------------------------------------------------------------------
    def dispatch(self, actor: Actor, hero: str | None) -> Exchange:
        query = "" if hero is None else f"?hero={quote(hero, safe='')}"
        return self.send(actor, "POST", DISPATCH + query, content_type=None)

    def mission_log(self, actor: Actor) -> Exchange:
        return self.send(actor, "GET", MISSION_LOG)

    def tune_in(self, actor: Actor, within: float = WAIT_SECONDS) -> FeedReading:
        reading = self.connection.read_feed(actor.name, FEED, within=within)
        actor.feed_reading = reading
        return reading

    # Comms ---------------------------------------------------------------------------------
    def join_comms(self, actor: Actor) -> CommsLink:
        if actor.link is None:
            actor.link = self.connection.open_comms(COMMS, within=WAIT_SECONDS, actor=actor.name)
        return actor.link

    def say(self, actor: Actor, frame: str | bytes) -> None:
        link = self.join_comms(actor)
        if isinstance(frame, bytes):
            link.send_bytes(frame)
            self.connection.note_frame(
                actor.name, "sent", f"<{len(frame)} bytes of binary data>", path=COMMS
            )
        else:
            link.send_text(frame)
            self.connection.note_frame(actor.name, "sent", frame, path=COMMS)

    def hear(self, actor: Actor, within: float = WAIT_SECONDS) -> str | None:
        if actor.link is None:
            raise AssertionError(f"{actor.name} is not on comms, so cannot hear anything")
        frame = actor.link.receive(within)
        if frame is not None:
            self.connection.note_frame(actor.name, "received", frame, path=COMMS)
        return frame

    def leave_comms(self, actor: Actor) -> None:
        if actor.link is not None:
            actor.link.close()
            actor.link = None

    # Operations ----------------------------------------------------------------------------
    def status(self, actor: Actor) -> Exchange:
        return self.send(actor, "GET", STATUS)

    def contract(self, actor: Actor) -> Exchange:
        return self.send(actor, "GET", CONTRACT)

    def api_page(self, actor: Actor) -> Exchange:
        return self.send(actor, "GET", API_PAGE)
