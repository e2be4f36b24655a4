"""The status feed: live reports from HQ, sector by sector, until it stands down."""

from __future__ import annotations

from pytest_bdd import then, when

from hq_spec.mismatch import Mismatch, TableMismatch, expect
from steps.support.agency import Agency
from steps.support.cast import Actor
from steps.support.connection import FeedReading
from steps.support.vocabulary import phrase
from steps.support.wording import compared_table, table


def _reading(agency: Agency, actor: str) -> FeedReading:
    reading = agency.cast.seen(actor).feed_reading
    if reading is None:
        raise Mismatch(f"{actor} to have tuned in to the feed", f"{actor} never did")
    return reading


def _listeners(agency: Agency) -> list[tuple[Actor, FeedReading]]:
    listening = [(a, a.feed_reading) for a in agency.cast.all() if a.feed_reading is not None]
    if not listening:
        raise Mismatch("someone to have tuned in to the feed", "nobody did")
    return [(actor, reading) for actor, reading in listening if reading is not None]


def _ending(reading: FeedReading) -> str:
    return "and the feed ended" if reading.ended else "and the feed was still open at the deadline"


@when(phrase("{actor:Actor} tunes in to the status feed"))
def _(agency: Agency, actor: str) -> None:
    """Someone listens to the status feed until it ends (or the deadline passes)."""
    agency.tune_in(agency.cast[actor])


@then(phrase("{actor:Actor} hears these reports, in order:"))
def _(agency: Agency, actor: str, datatable: list[list[str]]) -> None:
    """The feed brought exactly these reports (kind, report), in this order, and nothing else."""
    reading = _reading(agency, actor)
    header, *rows = datatable
    heard = [[event.event, event.data] for event in reading.events]
    if reading.status != 200 or heard != rows:
        # The page shows the table heard against the one written; the console, row by row.
        raise TableMismatch(
            f"{actor} to hear these reports, in order:\n{table(header, rows)}",
            f"{actor} heard {len(heard)} report{'s' if len(heard) != 1 else ''}, "
            f"{_ending(reading)}:\n{compared_table(header, rows, heard)}",
            [header, *heard],
        )


@then(phrase('the feed ends after "{report}"'))
def _(agency: Agency, report: str) -> None:
    """Every listener's feed closed right after this report."""
    for listener, reading in _listeners(agency):
        last = reading.events[-1].data if reading.events else None
        heard = f'"{last}"' if last is not None else "no report at all"
        expect(
            reading.ended and last == report,
            expected=f'{listener.name}\'s feed to end after "{report}"',
            observed=f"{listener.name}'s last report was {heard}, {_ending(reading)}",
        )


@then(phrase("{names:Names} each hear {count:d} reports"))
def _(agency: Agency, names: list[str], count: int) -> None:
    """Each of these listeners heard the whole feed: this many reports, and the end."""
    for name in names:
        reading = _reading(agency, name)
        expect(
            len(reading.events) == count and reading.ended,
            expected=f"{name} to hear {count} reports and the end of the feed",
            observed=f"{name} heard {len(reading.events)} reports, {_ending(reading)}",
        )


@then("the feed arrives live, never stored or held back on the way")
def _(agency: Agency) -> None:
    """The feed comes as a live stream, marked not to be cached, nor buffered by a proxy."""
    for listener, reading in _listeners(agency):
        headers = reading.headers
        expect(
            headers.get("content-type", "").startswith("text/event-stream"),
            expected=f"{listener.name}'s feed to arrive live",
            observed=f"it arrived as a single answer ({headers.get('content-type', 'unlabelled')})",
        )
        kept = headers.get("cache-control") != "no-cache"
        held = headers.get("x-accel-buffering") != "no"
        expect(
            not kept and not held,
            expected=f"{listener.name}'s feed marked never to be stored or held back",
            observed=f"it may be {'stored' if kept else ''}{' and ' if kept and held else ''}"
            f"{'held back' if held else ''}",
        )
