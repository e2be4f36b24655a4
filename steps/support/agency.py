"""HQ's API in the cast's terms: every URL, header and JSON body the steps need lives here."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from steps.support.cast import PERSONAS, Actor, Cast
from steps.support.connection import CommsLink, Exchange, FeedReading, HQConnection
from steps.support.deadlines import WAIT_SECONDS

JSON = "application/json"
COMMS = "/comms"  # the comms channel's path, as HQ documents it


class Agency:
    """One scenario's HQ and cast; steps act through it and read its last answers."""

    def __init__(self, connection: HQConnection, cast: Cast) -> None:
        self.connection = connection
        self.cast = cast
        self.hero_numbers: dict[str, int] = {}  # hero name -> the number HQ filed them under
        self.answers: dict[str, Exchange] = {}  # actor name -> that actor's last answer
        self.feed: dict[str, FeedReading] = {}
        self.pair: tuple[Exchange, Exchange] | None = None  # the same request, spelled two ways

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
        badges: bool = False,
    ) -> Exchange:
        headers = actor.cookie_header(session_pass)
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
        self.answers[actor.name] = exchange
        return exchange

    # The roster ----------------------------------------------------------------------------
    def recruit(
        self, actor: Actor, paperwork: Any = None, *, raw: bytes | None = None,
        content_type: str | None = JSON,
    ) -> Exchange:  # fmt: skip
        exchange = self.send(
            actor, "POST", "/heroes/", body=paperwork, raw=raw, content_type=content_type,
            badges=True,
        )  # fmt: skip
        if exchange.status == 201:
            hero = exchange.json()
            self.hero_numbers[hero["name"]] = hero["id"]
        return exchange

    def recruit_persona(self, actor: Actor, name: str) -> Exchange:
        power, wattage = PERSONAS.get(name, ("courage", 100))
        return self.recruit(actor, {"name": name, "power": power, "wattage": wattage})

    def roster(self, actor: Actor) -> Exchange:
        return self.send(actor, "GET", "/heroes/")

    def look_up(self, actor: Actor, hero_number: str) -> Exchange:
        return self.send(actor, "GET", f"/heroes/{quote(hero_number, safe='')}")

    # Identity ------------------------------------------------------------------------------
    def log_in(self, actor: Actor, login: Any) -> Exchange:
        return self.send(actor, "POST", "/me/login", body=login)

    def who_am_i(self, actor: Actor, session_pass: str | None = None) -> Exchange:
        return self.send(actor, "GET", "/me/", session_pass=session_pass)

    def log_out(self, actor: Actor) -> Exchange:
        return self.send(actor, "POST", "/me/logout", content_type=None)

    # Missions ------------------------------------------------------------------------------
    def dispatch(self, actor: Actor, hero: str | None) -> Exchange:
        query = "" if hero is None else f"?hero={quote(hero, safe='')}"
        return self.send(actor, "POST", f"/missions/dispatch{query}", content_type=None)

    def mission_log(self, actor: Actor) -> Exchange:
        return self.send(actor, "GET", "/missions/log")

    def tune_in(self, actor: Actor, within: float = WAIT_SECONDS) -> FeedReading:
        reading = self.connection.read_feed(actor.name, "/missions/feed", within=within)
        self.feed[actor.name] = reading
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
        return self.send(actor, "GET", "/status/")

    def contract(self, actor: Actor) -> dict[str, Any]:
        document: dict[str, Any] = self.send(actor, "GET", "/openapi.json").json()
        return document

    def api_page(self, actor: Actor) -> Exchange:
        return self.send(actor, "GET", "/docs")
