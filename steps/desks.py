"""Desks: HQ served by several desks at once, which must act as one HQ.

With --hq-cluster K each desk is its own HQ process sharing one Redis; in-process and live, one
HQ serves every desk, so these scenarios hold there too (trivially, as they should).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pytest_bdd import given, then, when

from hq_spec.mismatch import Mismatch, expect
from steps.support.agency import Agency
from steps.support.cast import Actor
from steps.support.checks import expect_answer
from steps.support.cluster import ClusterHQ
from steps.support.connection import Exchange
from steps.support.vocabulary import phrase
from steps.support.wording import answer_in_words, names_list, refusal


def _cluster(agency: Agency) -> ClusterHQ | None:
    connection = agency.connection
    return connection if isinstance(connection, ClusterHQ) else None


def _desks(agency: Agency) -> range:
    cluster = _cluster(agency)
    return range(1, (cluster.desk_count if cluster else 1) + 1)


def _ask_at(
    agency: Agency, desk: int, person: Actor, path: str, session_pass: str | None = None
) -> Exchange:
    """A GET at a given desk (whoever's desk it is), with the person's pass if any."""
    cluster = _cluster(agency)
    headers = person.cookie_header(session_pass)
    if cluster is None:
        return agency.connection.request(person.name, "GET", path, headers=headers)
    return cluster.request_at(desk, person.name, "GET", path, headers=headers)


@given(phrase("{actor:Actor} is at desk {desk:d}"))
@when(phrase("{actor:Actor} goes to desk {desk:d}"))
def _(agency: Agency, actor: str, desk: int) -> None:
    """From now on this actor is served by this desk (with one HQ, every desk is the same)."""
    cluster = _cluster(agency)
    if cluster is not None:
        cluster.seat(agency.cast[actor].name, desk)


@then(phrase("every desk recognises {actor:Actor} as {hero:Hero}"))
def _(agency: Agency, actor: str, hero: str) -> None:
    """Each desk, shown this actor's pass, says it is this hero."""
    number = agency.hero_numbers.get(hero)
    for desk in _desks(agency):
        exchange = _ask_at(agency, desk, agency.cast.seen(actor), "/me/")
        identity = expect_answer(exchange, 200, f"desk {desk} to say who {actor} is")
        expect(
            identity == {"identified": True, "hero_id": number, "name": hero},
            expected=f"desk {desk} to recognise {actor} as {hero}",
            observed=f"at desk {desk}, {answer_in_words(exchange)}",
        )


@then(phrase("no desk recognises {actor:Actor}'s previous pass"))
def _(agency: Agency, actor: str) -> None:
    """The pass this actor was last given opens nothing at any desk."""
    passes = agency.cast.seen(actor).passes
    if not passes:
        raise Mismatch(f"{actor} to have been given a pass", f"HQ never gave {actor} one")
    for desk in _desks(agency):
        exchange = _ask_at(agency, desk, agency.cast.seen(actor), "/me/", session_pass=passes[-1])
        identity = expect_answer(exchange, 200, f"desk {desk} to answer who {actor} is")
        expect(
            identity == {"identified": False},
            expected=f"desk {desk} not to recognise {actor}'s previous pass",
            observed=f"at desk {desk}, {answer_in_words(exchange)}",
        )


@when(phrase("{count:d} heroes are recruited at each of {desks:d} desks at once"))
def _(agency: Agency, count: int, desks: int) -> None:
    """The quartermaster recruits at every desk at the same moment."""
    cluster = _cluster(agency)
    quartermaster = agency.cast["the quartermaster"]
    headers = [*quartermaster.badge_headers(), ("content-type", "application/json")]
    clients = cluster.desk_clients() if cluster else [agency.connection.http]

    def recruit(desk: int, n: int) -> tuple[int, Any]:
        paperwork = {"name": f"Desk{desk}Hero{n}", "power": "teamwork", "wattage": 100}
        client = clients[(desk - 1) % len(clients)]
        answer = client.post("/heroes/", headers=headers, content=json.dumps(paperwork))
        return answer.status_code, answer.json()

    jobs = [(desk, n) for n in range(1, count + 1) for desk in range(1, desks + 1)]
    with ThreadPoolExecutor(max_workers=desks * 4) as pool:
        answers = list(pool.map(lambda job: recruit(*job), jobs))
    refused = [body for status, body in answers if status != 201]
    first = refusal(refused[0].get("error") or {}) if refused else ""
    expect(
        not refused,
        expected="every recruit filed",
        observed=f"{len(refused)} of them were not filed; {first}",
    )
    for _status, hero in answers:
        agency.hero_numbers[hero["name"]] = hero["id"]


@then(phrase("every desk shows the same {count:d} heroes, numbered 1 to {last:d}"))
def _(agency: Agency, count: int, last: int) -> None:
    """Each desk's roster holds exactly these heroes, each under the number HQ filed them with."""
    numbers = sorted(agency.hero_numbers.values())
    expect(
        numbers == list(range(1, last + 1)) and len(numbers) == count,
        expected=f"{count} heroes filed under the numbers 1 to {last}, none twice",
        observed=f"they were filed under {names_list(numbers)}",
    )
    filed = {name: number for name, number in agency.hero_numbers.items()}
    for desk in _desks(agency):
        exchange = _ask_at(agency, desk, agency.observer, "/heroes/")
        roster = expect_answer(exchange, 200, f"desk {desk} to show the roster")
        shown = {hero["name"]: hero["id"] for hero in roster}
        expect(
            shown == filed and [hero["id"] for hero in roster] == numbers,
            expected=f"desk {desk} to show the {count} heroes in number order",
            observed=f"desk {desk} showed {len(roster)}, first {names_list(list(shown)[:5])}",
        )
