"""The status feed: live reports from HQ, sector by sector, until it stands down."""

from __future__ import annotations

from pytest_bdd import then, when

from hq_spec.mismatch import Mismatch, TableMismatch, expect
from steps.support.agency import Agency
from steps.support.connection import FeedReading
from steps.support.vocabulary import phrase


def _reading(agency: Agency, actor: str) -> FeedReading:
    reading = agency.feed.get(agency.cast[actor].name)
    if reading is None:
        raise Mismatch(f"{actor} to have tuned in to the feed", f"{actor} never did")
    return reading


@when(phrase("{actor:Actor} tunes in to the status feed"))
def _(agency: Agency, actor: str) -> None:
    """Someone listens to the status feed until it ends (or the deadline passes)."""
    agency.tune_in(agency.cast[actor])


@then(phrase("{actor:Actor} hears these reports, in order:"))
def _(agency: Agency, actor: str, datatable: list[list[str]]) -> None:
    """The feed brought exactly these reports (event, report), in this order, and nothing else."""
    reading = _reading(agency, actor)
    header, *rows = datatable
    heard = [[event.event, event.data] for event in reading.events]
    if reading.status != 200 or heard != rows:
        # the table as heard: the living documentation shows it against the one written
        raise TableMismatch(
            f"{actor} to hear these {len(rows)} reports, in order",
            f"{actor} heard {len(heard)} report{'s' if len(heard) != 1 else ''}"
            + ("" if reading.ended else " before the deadline passed"),
            [header, *heard],
        )


@then(phrase('the feed ends after "{report}"'))
def _(agency: Agency, report: str) -> None:
    """Every listener's feed closed right after this report."""
    for name, reading in agency.feed.items():
        last = reading.events[-1].data if reading.events else None
        expect(
            reading.ended and last == report,
            expected=f"{name}'s feed to end after {report!r}",
            observed=f"it {'ended' if reading.ended else 'was still open'} after {last!r}",
        )


@then(phrase("{names:Names} each hear {count:d} reports"))
def _(agency: Agency, names: list[str], count: int) -> None:
    """Each of these listeners heard the whole feed: this many reports, and the end."""
    for name in names:
        reading = _reading(agency, name)
        expect(
            len(reading.events) == count and reading.ended,
            expected=f"{name} to hear {count} reports and the end of the feed",
            observed=f"{name} heard {len(reading.events)}" + ("" if reading.ended else ", no end"),
        )


@then("the feed arrives as a live event stream that is never cached or buffered")
def _(agency: Agency) -> None:
    """The feed is an event stream, marked not to be cached, nor buffered by a proxy."""
    for name, reading in agency.feed.items():
        headers = reading.headers
        kind = headers.get("content-type", "")
        expect(
            kind.startswith("text/event-stream"),
            expected="an event stream",
            observed=f"{name} got {kind!r}",
        )
        expect(
            headers.get("cache-control") == "no-cache" and headers.get("x-accel-buffering") == "no",
            expected="the feed marked never to be cached or buffered",
            observed=f"cache-control={headers.get('cache-control')!r}, "
            f"x-accel-buffering={headers.get('x-accel-buffering')!r}",
        )
