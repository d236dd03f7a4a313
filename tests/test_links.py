"""What a link carries (lib.links): page numbers, linked ids, notices, links made to share."""

from __future__ import annotations

import pytest

from lib.highlight import escape_markdown
from lib import links
from lib.links import edit_link, ignored_notice, known_id, link_query, page_number, share_link
from lib.names import MAX_URL_VALUE


@pytest.mark.parametrize("raw, pages, expected", [
    ("3", 5, 3),
    (" 2 ", 5, 2),
    ("5", 5, 5),
    ("9", 5, 5),  # past the last page: the last
    ("0", 5, 1),
    ("-4", 5, 1),
    ("2", 1, 1),
    ("2", 0, 1),  # no page at all: still page 1
    (None, 5, 1),
    ("", 5, 1),
    ("two", 5, 1),
    ("2.5", 5, 1),
    ("1e9", 5, 1),
    ("9" * 400, 5, 5),
])
def test_a_linked_page_number_is_a_page_that_exists(raw, pages, expected):
    assert page_number(raw, pages) == expected


KNOWN = {"d1:0", "d1:0:2"}


@pytest.mark.parametrize("raw, expected", [
    ("d1:0", ("d1:0", None)),
    ("d1:0:2", ("d1:0:2", None)),
    (None, (None, None)),
    ("", (None, None)),
    ("d1:9", (None, "d1:9")),
    ("D1:0", (None, "D1:0")),  # ids are exact
    ("[x](https://evil.example)", (None, "[x](https://evil.example)")),
    ("x" * 1000, (None, "x" * MAX_URL_VALUE)),
])
def test_a_linked_id_is_kept_only_when_the_page_can_show_it(raw, expected):
    assert known_id(raw, KNOWN) == expected


def test_a_known_but_overlong_id_is_refused():
    long_id = "y" * (MAX_URL_VALUE + 1)
    assert known_id(long_id, {long_id}) == (None, long_id[:MAX_URL_VALUE])


@pytest.mark.parametrize("label, values, expected", [
    ("story", [], None),
    ("story", ["d9:0"], f"Ignored story “{escape_markdown('d9:0')}” in this link: not in this "
                        "view."),
    ("speaker", ["A", "B", "C", "D"], "Ignored speaker “A”, “B”, “C” in this link: not in "
                                      "this view."),
    ("quote", ["[sign in](https://evil.example/login)"],
     f"Ignored quote “{escape_markdown('[sign in](https://evil.example/login)')}” in this "
     "link: not in this view."),
    ("kind", ["k" * 100], f"Ignored kind “{'k' * 60}” in this link: not in this view."),
])
def test_ignored_link_values_are_named_as_text_on_one_line(label, values, expected):
    assert ignored_notice(label, values) == expected


@pytest.mark.parametrize("params, expected", [
    ({}, "?"),
    ({"quote": "d1:0:2"}, "?quote=d1%3A0%3A2"),
    ({"person": ["Tom Berg", "Ana Lima"], "q": "tax", "page": 2},
     "?person=Tom+Berg&person=Ana+Lima&q=tax&page=2"),
    ({"q": "", "speaker": [], "story": None, "kind": ("direct",)}, "?kind=direct"),
    ({"c": "abc", "key": "secret", "quote": "q1"}, "?c=abc&quote=q1"),  # never the edit key
    ({"q": "a&b=c#d"}, "?q=a%26b%3Dc%23d"),
])
def test_a_link_query_names_the_values_that_are_set(params, expected):
    assert link_query(params) == expected


@pytest.mark.parametrize("page_url, expected", [
    ("https://news.example/quotes", "https://news.example/quotes?quote=q1"),
    ("http://127.0.0.1:8501/quotes", "http://127.0.0.1:8501/quotes?quote=q1"),
    ("https://news.example/app/quotes?old=1#x", "https://news.example/app/quotes?quote=q1"),
    (None, "?quote=q1"),
    ("", "?quote=q1"),
    ("javascript:alert(1)//quotes", "?quote=q1"),
    ("/quotes", "?quote=q1"),
])
def test_a_shared_link_is_absolute_only_for_an_http_page_address(page_url, expected):
    assert share_link(page_url, "?quote=q1") == expected


@pytest.mark.parametrize("page_url, expected", [
    (None, "?c=Ab-1_x&key=K-9_y"),
    ("https://news.example/", "https://news.example/?c=Ab-1_x&key=K-9_y"),
    ("file:///etc/", "?c=Ab-1_x&key=K-9_y"),
])
def test_an_edit_link_names_the_collection_and_its_key(page_url, expected):
    assert edit_link(page_url, "Ab-1_x", "K-9_y") == expected


@pytest.mark.parametrize(("values", "known", "unknown"), [
    (["Tom Berg"], ["Tom Berg"], []),
    (["Tom Berg", "Nobody"], ["Tom Berg"], ["Nobody"]),
    (["tom berg"], ["Tom Berg"], ["tom berg"]),  # a facet's values are exact
    (["x" * 300], ["x" * 300], ["x" * 200]),  # too long to be a value: cut in the notice
    ([], ["Tom Berg"], []),
])
def test_unknown_values_are_those_a_bound_widget_drops(values, known, unknown):
    assert links.unknown_values(values, known) == unknown


def test_the_sidebar_filters_go_into_a_link_as_app_reads_them():
    import datetime as dt

    from lib.query import Filters

    filters = Filters(people=("Tom Berg", "Ana Lima"), countries=("France",),
                      outlets=("Test Herald",), authors=(), date_from=dt.date(2024, 2, 1))
    assert link_query(links.filter_params(filters)) == (
        "?person=Tom+Berg&person=Ana+Lima&country=France&outlet=Test+Herald&from=2024-02-01")
    assert link_query(links.filter_params(Filters())) == "?"


@pytest.mark.parametrize(("source", "address"), [
    ("https://news.example.org/a?x=1", "https://news.example.org/a?x=1"),
    ("http://example.org/", "http://example.org/"),
    ("HTTPS://EXAMPLE.ORG/A", "HTTPS://EXAMPLE.ORG/A"),
    ("/work/data/samples/page.txt", None),
    ("pasted text", None),
    ("javascript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("https://", None),
    ("https://example.org/a b", None),
    ("", None),
    (None, None),
])
def test_only_a_web_address_is_a_source_link(source, address):
    assert links.web_address(source) == address


def test_stories_and_quotes_link_to_their_source_page_only_when_it_is_on_the_web():
    import dataclasses

    from lib import query
    from lib.query import Filters
    from lib.store import Store
    from tests.test_query import sample_documents

    talks, xss = sample_documents()
    store = Store(":memory:")
    store.add([dataclasses.replace(talks, source="https://news.example.org/talks"),
               dataclasses.replace(xss, source="javascript:alert(1)")], collection="demo")
    with store.cursor() as cursor:
        stories = query.story_list(cursor, Filters())
        quotes = query.quote_rows(cursor, Filters(), limit=None)
    store.close()
    by_source = {source: link if isinstance(link, str) else None
                 for source, link in zip(stories.source, stories.link)}
    assert by_source == {"https://news.example.org/talks": "https://news.example.org/talks",
                         "javascript:alert(1)": None}
    assert set(quotes.link.dropna()) == {"https://news.example.org/talks"}
    assert quotes.link.isna().sum() == 1  # the injection article's one quote
