"""Outlet, author and date filters, and the timeline, on the hand-built corpus of test_query.

The sample corpus: "Talks page" (Test Herald, 2024-03-02) holds two stories ("Ministers
meet in Oslo", "Farmers protest in Lyon"); the injection article has no outlet and is
dated 2024-01-15. A third document here has an author and no date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib import query
from lib.model import ParsedDocument
from lib.query import Filters
from lib.store import Store
from tests.test_query import XSS_HEADLINE, make_story, sample_documents

TALKS, PROTEST = "Ministers meet in Oslo", "Farmers protest in Lyon"
UNDATED = "Ana Lima speaks in Nairobi"
JAN, MARCH = dt.date(2024, 1, 15), dt.date(2024, 3, 2)


def undated_document() -> ParsedDocument:
    story = make_story(UNDATED, ['"Kenya is ready," Ana Lima said in Nairobi.'],
                       [("Kenya is ready,", "direct", "Ana Lima", "Ana Lima", "said")])
    return ParsedDocument("e" * 64, "nairobi.html", UNDATED, [story], outlet="Test Herald",
                          author="Wanjiru Kamau")


@pytest.fixture(scope="module")
def con():
    store = Store(":memory:")
    store.add(sample_documents() + [undated_document()], collection="demo")
    with store.cursor() as cursor:
        yield cursor
    store.close()


def headlines(con, filters: Filters) -> set[str]:
    return set(query.story_list(con, filters, limit=50).headline)


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(), {TALKS, PROTEST, XSS_HEADLINE, UNDATED}),
    (Filters(outlets=("Test Herald",)), {TALKS, PROTEST, UNDATED}),
    (Filters(outlets=("No Such Outlet",)), set()),
    (Filters(authors=("Wanjiru Kamau",)), {UNDATED}),
    (Filters(outlets=("Test Herald",), authors=("Wanjiru Kamau",)), {UNDATED}),
    (Filters(date_from=dt.date(2024, 2, 1)), {TALKS, PROTEST}),  # undated: out of any range
    (Filters(date_to=dt.date(2024, 2, 1)), {XSS_HEADLINE}),
    (Filters(date_from=JAN, date_to=JAN), {XSS_HEADLINE}),  # both ends included
    (Filters(date_from=MARCH, date_to=JAN), set()),
    (Filters(countries=("France",), date_from=MARCH), {TALKS, PROTEST}),
    (Filters(people=("Tom Berg",), outlets=("Test Herald",)), {TALKS}),
])
def test_outlet_author_and_date_narrow_the_stories_in_view(con, filters, expected):
    assert headlines(con, filters) == expected
    assert query.count_stories(con, filters) == len(expected)


def test_filter_options_offer_outlets_authors_and_the_days_covered(con):
    options = query.filter_options(con, ["demo"])
    assert options["outlets"] == ["Test Herald"]
    assert options["authors"] == ["Wanjiru Kamau"]
    assert options["days"] == [JAN, MARCH]


def test_a_corpus_without_dates_offers_no_days():
    store = Store(":memory:")
    store.add([undated_document()], collection="demo")
    with store.cursor() as cursor:
        assert query.filter_options(cursor, ["demo"])["days"] == []
        assert query.timeline(cursor, Filters()).rows.empty
        assert query.timeline(cursor, Filters()).undated == 1
    store.close()


@pytest.mark.parametrize(("first", "last", "period"), [
    (None, None, "day"),
    (JAN, JAN, "day"),
    (JAN, JAN + dt.timedelta(days=62), "day"),
    (JAN, JAN + dt.timedelta(days=63), "week"),
    (JAN, JAN + dt.timedelta(days=730), "week"),
    (JAN, JAN + dt.timedelta(days=731), "month"),
])
def test_the_period_follows_the_span_of_the_view(first, last, period):
    assert query.timeline_period(first, last) == period


def rows_of(timeline: query.Timeline) -> list[tuple]:
    return [(r.period.date(), r.name, r.stories, r.mentions, r.quotes)
            for r in timeline.rows.itertuples()]


def test_a_persons_timeline_counts_their_stories_mentions_and_own_quotes(con):
    line = query.timeline(con, Filters(), kind="person", names=["Tom Berg"])
    assert line.period == "day" and line.undated == 1
    berg = rows_of(line)
    assert [(period, stories, quotes) for period, _, stories, _, quotes in berg] == [
        (JAN, 1, 1), (MARCH, 1, 1)]  # he speaks once in each; Ana Lima's quote is not his
    assert all(mentions >= 1 for *_, mentions, _ in berg)


def test_a_countrys_and_an_outlets_timeline_count_every_quote_of_their_stories(con):
    france = rows_of(query.timeline(con, Filters(), kind="country", names=["France"]))
    assert [(p, stories, quotes) for p, _, stories, _, quotes in france] == [(MARCH, 2, 4)]
    herald = rows_of(query.timeline(con, Filters(), kind="outlet"))
    assert [(p, name, stories, quotes) for p, name, stories, _, quotes in herald] == [
        (MARCH, "Test Herald", 2, 4)]  # its undated story is left out


def test_without_names_the_timeline_draws_the_most_mentioned_in_view(con):
    line = query.timeline(con, Filters(), kind="person", top=2)
    assert set(line.rows.name) == {"Tom Berg", "Ana Lima"}
    narrowed = query.timeline(con, Filters(date_to=dt.date(2024, 2, 1)), kind="person")
    assert set(narrowed.rows.name) == {"Tom Berg"} and set(narrowed.rows.period.dt.date) == {JAN}
    with pytest.raises(ValueError, match="kind"):
        query.timeline(con, Filters(), kind="author")


@pytest.mark.parametrize("filters", [
    Filters(outlets=("Test Herald",)), Filters(authors=("Wanjiru Kamau",)),
    Filters(date_from=JAN), Filters(date_to=MARCH),
])
def test_any_narrowing_is_never_summarized_nor_read_from_one_countrys_sums(filters):
    assert filters.narrowed
    assert not query.one_country_view(filters)
    assert not query.one_country_view(Filters(countries=("France",), outlets=filters.outlets,
                                              authors=filters.authors,
                                              date_from=filters.date_from,
                                              date_to=filters.date_to))
