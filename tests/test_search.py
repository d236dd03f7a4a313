"""lib.query's search over the stories in view, on the hand-built corpus of test_query."""

from __future__ import annotations

import pytest

from lib import query
from lib.query import Filters
from lib.store import Store
from tests.test_query import XSS_HEADLINE, sample_documents

TALKS, PROTEST = "Ministers meet in Oslo", "Farmers protest in Lyon"


@pytest.fixture(scope="module")
def con():
    store = Store(":memory:")
    store.add(sample_documents(), collection="demo")
    with store.cursor() as cursor:
        yield cursor
    store.close()


@pytest.mark.parametrize(("words", "filters", "expected"), [
    (["oslo"], Filters(), [TALKS]),  # the headline or the text
    (["farmers", "lyon"], Filters(), [PROTEST]),  # every word
    (["farmers", "oslo"], Filters(), []),
    (["share the work"], Filters(), [TALKS]),  # a phrase
    (["tom berg"], Filters(), [TALKS, XSS_HEADLINE]),
    (["tom berg"], Filters(countries=("Norway",)), [TALKS]),  # only the stories in view
    (["onerror"], Filters(), [XSS_HEADLINE]),
    (["%"], Filters(), []),  # no pattern syntax
    ([], Filters(), []),
])
def test_search_stories_holds_every_word(con, words, filters, expected):
    found = query.search_stories(con, filters, words)
    assert sorted(found.rows.headline) == sorted(expected)
    assert found.total == len(expected)


def test_search_stories_pages_in_list_order(con):
    every = query.search_stories(con, Filters(), ["tom berg"])
    second = query.search_stories(con, Filters(), ["tom berg"], offset=1, limit=1)
    assert second.total == 2 and second.rows.headline.tolist() == every.rows.headline.tolist()[1:]
    beyond = query.search_stories(con, Filters(), ["tom berg"], offset=5, limit=1)
    assert beyond.rows.empty and beyond.total == 2


@pytest.mark.parametrize(("words", "filters", "expected"), [
    (["berg"], Filters(), [("person", "Tom Berg")]),
    (["TOM", "berg"], Filters(), [("person", "Tom Berg")]),
    (["fran"], Filters(), [("country", "France")]),
    (["tidewell"], Filters(), [("organisation", "Tidewell")]),
    (["lima"], Filters(countries=("Kenya",)), []),  # not named in the stories in view
    (["zzz"], Filters(), []),
])
def test_search_names_finds_people_countries_and_organisations(con, words, filters, expected):
    found = query.search_names(con, filters, words)
    assert list(zip(found.kind, found.name)) == expected
