"""Every dashboard page, run headless through Streamlit's AppTest on a temporary store.

The store holds the demo corpus, the hand-built corpus of tests/test_query.py
(invented people; one article full of HTML injection attempts) and, when the
shared data is present, the reference page.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from markdown_it import MarkdownIt
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lib.highlight import escape_markdown
from lib.store import DEMO_COLLECTION, Store
from tests.conftest import REFERENCE_PAGE
from tests.streamlit_harness import PAGE_FILES, build_demo_store, heading, navigation_only_init
from tests.test_query import (ANALYSTS, FULL_NAME_DOC, OTHER_BLAIR_DOC, SURNAME_DOC, XSS_BODY,
                              XSS_HEADLINE, XSS_QUOTE, sample_documents, unnamed_documents)

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
TIMEOUT = 180
QUERIES = {
    "no filter": {},
    "person": {"person": "Emmanuel Macron"},
    "country": {"country": "France"},
    "unknown person": {"person": "No Such Person"},
}
REAL_TAG = re.compile(r"<[^>]*>")
UNSAFE_TAG = re.compile(r"^</?\s*(script|img|iframe)\b|\son\w+\s*=", re.IGNORECASE)


@pytest.fixture(autouse=True)
def navigation_only(monkeypatch):
    monkeypatch.setattr(PagesManager, "__init__", navigation_only_init())


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("store") / "news.duckdb")
    # optional here; the tests that need the reference page skip without it
    reference = (str(REFERENCE_PAGE),) if REFERENCE_PAGE.is_file() else ()
    # plus Tony Blair in full in one story and as "Blair" alone in another, and unnamed sources
    summary = build_demo_store(path, extra_inputs=reference, extra_documents=(
        *sample_documents(), FULL_NAME_DOC, SURNAME_DOC, *unnamed_documents()))
    assert not summary.failures, summary.failures
    return path


@pytest.fixture()
def app(store_path, monkeypatch):
    monkeypatch.setenv("NEWS_STORE", store_path)

    def make(page_file: Path | None = None, /, **params) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        for key, value in params.items():
            at.query_params[key] = value
        if page_file is not None and page_file.name != "home.py":
            at.switch_page(str(page_file))
        return at.run()

    return make


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def unsafe_markup(at: AppTest) -> list[str]:
    """HTML the browser would interpret that contains injected markup."""
    bodies = [h.value for h in at.html] + [m.value for m in at.markdown if m.proto.allow_html]
    return [tag for body in bodies for tag in REAL_TAG.findall(body) if UNSAFE_TAG.search(tag)]


def test_every_page_is_in_the_navigation():
    source = APP.read_text(encoding="utf-8")
    assert PAGE_FILES and all(f'"pages/{page.name}"' in source for page in PAGE_FILES)


@pytest.mark.parametrize("query", list(QUERIES), ids=list(QUERIES))
@pytest.mark.parametrize("page", PAGE_FILES, ids=[p.stem for p in PAGE_FILES])
def test_page_renders(app, page, query):
    at = app(page, **QUERIES[query])
    assert_clean(at)
    assert at.title[0].value == heading(page)
    notices = " ".join(i.value for i in at.info)
    if query == "unknown person":
        assert "No Such Person" in notices
        assert "person" not in at.query_params  # the bad value is dropped from the URL
    assert "Ignored" not in notices or query == "unknown person" or not REFERENCE_PAGE.is_file()


@pytest.mark.parametrize("page", PAGE_FILES, ids=[p.stem for p in PAGE_FILES])
def test_injected_html_is_shown_as_text(app, page):
    at = app(page, person="Tom Berg", country="Kenya")  # only the injection story is in view
    assert_clean(at)
    assert not unsafe_markup(at)
    html = " ".join(h.value for h in at.html)
    if page.stem == "stories":
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert XSS_BODY in at.dataframe[0].value.to_string() or "Tom Berg" in html
    if page.stem == "quotes":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert XSS_QUOTE in at.dataframe[0].value.quote.tolist()


def test_filters_narrow_every_page_to_stories_naming_them(app):
    stories = REPO / "pages" / "stories.py"
    everything = set(app(stories).dataframe[0].value.headline)
    tom = set(app(stories, person="Tom Berg").dataframe[0].value.headline)
    in_france = app(stories, person="Tom Berg", country="France")
    tom_in_france = set(in_france.dataframe[0].value.headline)
    assert tom_in_france == {"Ministers meet in Oslo"}
    assert tom_in_france < tom < everything


LIBRARY_FIRE = "Fire damages historic library in Edinburgh"  # data/samples/library-fire.html


@pytest.mark.parametrize(("params", "expected"), [
    ({"outlet": "Test Herald"}, {"Ministers meet in Oslo", "Farmers protest in Lyon"}),
    ({"from": "2024-02-01", "to": "2024-03-31"},
     {"Ministers meet in Oslo", "Farmers protest in Lyon"}),
    ({"to": "2024-01-31", "person": "Tom Berg"}, {XSS_HEADLINE}),
    ({"outlet": "Test Herald", "person": "Tom Berg", "country": "France"},
     {"Ministers meet in Oslo"}),
    ({"author": "Fiona MacLeod"}, {LIBRARY_FIRE}),  # the demo corpus's one article by her
    ({"person": "Morag Innes", "country": "United Kingdom", "outlet": "The Northern Courier",
      "author": "Fiona MacLeod", "from": "2026-03-01", "to": "2026-03-31"}, {LIBRARY_FIRE}),
    ({"author": "Fiona MacLeod", "to": "2026-03-13"}, set()),
])
def test_outlet_and_dates_in_the_url_narrow_the_stories(app, params, expected):
    at = app(REPO / "pages" / "stories.py", **params)
    assert_clean(at)
    assert not any("Ignored" in i.value for i in at.info)
    for key, value in params.items():  # the widgets hold them and the URL keeps them
        assert at.query_params[key] == value
    if expected:
        assert set(at.dataframe[0].value.headline) == expected
    else:
        assert not at.dataframe and any("No story is in view" in i.value for i in at.info)


def test_an_unknown_outlet_in_a_link_is_noticed_and_dropped(app):
    at = app(REPO / "pages" / "stories.py", outlet="No Such Outlet")
    assert_clean(at)
    assert any("No Such Outlet" in i.value for i in at.info)
    assert "outlet" not in at.query_params


TIMELINE = REPO / "pages" / "timeline.py"


def test_the_timeline_follows_its_switches_and_the_filters_from_the_url(app):
    at = app(TIMELINE, over="Countries", count="Quotes", country="France")
    assert_clean(at)
    assert at.query_params["over"] == "Countries" and at.query_params["count"] == "Quotes"
    rows = at.dataframe[0].value
    assert set(rows.name) == {"France"}  # the selected country, not the most mentioned
    assert rows.quotes.sum() == 4  # the 4 quotes of the Test Herald's two stories
    outlets = app(TIMELINE, over="Outlets")
    assert_clean(outlets)
    assert "Test Herald" in set(outlets.dataframe[0].value.name)
    assert any("no publication date" in c.value for c in outlets.caption)


def test_a_timeline_with_no_dated_story_in_view_says_so(app):
    at = app(TIMELINE, to="2024-01-31", person="Ana Lima")  # she is in no story that early
    assert_clean(at)
    assert any("No dated story" in i.value for i in at.info)


@pytest.mark.parametrize(("page", "label"), [
    ("stories", "Stories"), ("quotes", "Quotes"), ("entities", "Entities"),
    ("who_said_what", "Speakers"), ("who_said_what", "Their quotes"),
    ("who_said_what", "Talks about")])
def test_a_table_downloads_as_csv_and_json(app, page, label):
    at = app(REPO / "pages" / f"{page}.py")
    assert_clean(at)
    buttons = {button.label: button for button in at.download_button}
    assert {f"{label} (CSV)", f"{label} (JSON)"} <= set(buttons)
    assert all(buttons[f"{label} ({kind})"].proto.ignore_rerun for kind in ("CSV", "JSON"))


def test_which_quotes_of_a_person_a_link_opens(app):
    quotes = REPO / "pages" / "quotes.py"
    spoken = app(quotes, person="Tom Berg")
    assert_clean(spoken)
    assert spoken.radio(key="quotes").value == "spoken by them"
    assert set(spoken.dataframe[0].value.speaker) == {"Tom Berg"}
    around = app(quotes, person="Tom Berg", quotes="all in their stories")
    assert_clean(around)
    assert around.radio(key="quotes").value == "all in their stories"
    assert around.query_params["quotes"] == "all in their stories"
    assert {"Tom Berg", "Ana Lima"} <= set(around.dataframe[0].value.speaker)
    assert any("quotes=all+in+their+stories" in c.value for c in around.code)


SEARCH = REPO / "pages" / "search.py"


def test_a_search_in_the_link_finds_names_and_stories_with_matches_marked(app):
    at = app(SEARCH, find="Tom Berg")
    assert_clean(at)
    assert at.text_input(key="find").value == "Tom Berg"
    assert at.query_params["find"] == "Tom Berg"
    names = at.dataframe[0].value
    assert ("person", "Tom Berg") in set(zip(names.kind, names.name))
    snippets = [h.value for h in at.html if "hl-match" in h.value]
    # two words, each marked wherever it occurs
    assert snippets and all(">Tom</span>" in h and ">Berg</span>" in h for h in snippets)
    at.button(key="find-0").click().run()  # "Filter by Tom Berg"
    assert_clean(at)
    assert at.query_params["person"] == "Tom Berg"


def test_a_search_through_hostile_text_stays_text(app):
    at = app(SEARCH, find="onerror")
    assert_clean(at)
    assert not unsafe_markup(at)
    assert any("&lt;img src=x" in h.value for h in at.html)
    assert any(XSS_HEADLINE.replace("<", "\\<") in m.value or "script" in m.value
               for m in at.markdown)


def test_a_search_with_no_match_says_so(app):
    at = app(SEARCH, find="zzzz qqqq")
    assert_clean(at)
    assert any("No story in view" in c.value for c in at.caption)


def test_a_linked_surname_in_a_link_selects_the_full_name(app):
    at = app(REPO / "pages" / "quotes.py", person="Blair")
    assert_clean(at)
    assert any("“Blair” is read as Tony Blair" in i.value for i in at.info)
    assert not any("Ignored" in i.value for i in at.info)
    assert at.multiselect(key="person").value == ["Tony Blair"]
    assert at.query_params["person"] == "Tony Blair"  # one value reads back as a str
    quotes = at.dataframe[0].value
    assert sorted(quotes.quote) == ["Talks went well,", "We will cut taxes,"]
    assert set(quotes.speaker) == {"Tony Blair"}


@pytest.mark.parametrize("value", ["rafael teixeira", "Teixeira", "RAFAEL TEIXEIRA",
                                   "Rafael Teixeíra"])
def test_a_name_in_a_link_is_matched_loosely(app, value):
    at = app(REPO / "pages" / "quotes.py", person=value)
    assert_clean(at)
    notices = " ".join(i.value for i in at.info)
    assert "not in this corpus" not in notices
    assert at.multiselect(key="person").value == ["Rafael Teixeira"]
    assert at.query_params["person"] == "Rafael Teixeira"  # the link now names him as the corpus
    assert set(at.dataframe[0].value.speaker) == {"Rafael Teixeira"}
    # told only when the link named him otherwise than by his name in another case
    assert ("is read as Rafael Teixeira" in notices) is (value == "Teixeira")


def test_a_country_in_a_link_is_matched_by_case_and_nationality(app):
    for value in ("france", "FRANCE", "French"):
        at = app(REPO / "pages" / "stories.py", country=value, person="tom berg")
        assert_clean(at)
        assert at.multiselect(key="country").value == ["France"]
        assert at.multiselect(key="person").value == ["Tom Berg"]
        assert at.query_params["country"] == "France"
        assert set(at.dataframe[0].value.headline) == {"Ministers meet in Oslo"}


def test_an_unknown_name_beside_a_loose_one_is_still_noticed(app):
    at = app(REPO / "pages" / "quotes.py", person=["teixeira", "No Such Person"])
    assert_clean(at)
    assert any("“No Such Person”: not in this corpus" in i.value for i in at.info)
    assert at.multiselect(key="person").value == ["Rafael Teixeira"]
    assert at.query_params["person"] == "Rafael Teixeira"


@pytest.fixture()
def two_blairs(tmp_path, monkeypatch) -> str:
    """A corpus with Tony and Cherie Blair and no bare "Blair": the surname is theirs both."""
    path = tmp_path / "news.duckdb"
    with Store(str(path)) as store:
        store.add([*sample_documents(), FULL_NAME_DOC, OTHER_BLAIR_DOC],
                  collection=DEMO_COLLECTION)
    monkeypatch.setenv("NEWS_STORE", str(path))
    return str(path)


def test_a_name_several_people_fit_is_offered_not_picked(two_blairs):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["person"] = "blair"
    at.switch_page(str(REPO / "pages" / "quotes.py")).run()
    assert_clean(at)
    assert any("“blair” in this link could be Cherie Blair, Tony Blair" in i.value
               for i in at.info), [i.value for i in at.info]
    assert at.multiselect(key="person").value == []
    assert "person" not in at.query_params
    at.button(key="linked-person-Cherie Blair").click().run()
    assert_clean(at)
    assert at.multiselect(key="person").value == ["Cherie Blair"]
    assert at.query_params["person"] == "Cherie Blair"


def test_quotes_spoken_by_is_the_default_for_a_selected_person(app):
    at = app(REPO / "pages" / "quotes.py", person="Tom Berg")
    assert set(at.dataframe[0].value.speaker) == {"Tom Berg"}
    at.radio(key="quotes").set_value("all in their stories").run()
    assert set(at.dataframe[0].value.speaker) == {"Tom Berg", "Ana Lima"}


def test_clicking_an_entity_in_the_reader_sets_the_filter(app):
    at = app(REPO / "pages" / "stories.py", country="Kenya")
    [tom] = [b for b in at.button if b.key == "person-Tom Berg"]
    tom.click().run()
    assert_clean(at)
    assert at.multiselect(key="person").value == ["Tom Berg"]
    assert at.query_params.get("person") in ("Tom Berg", ["Tom Berg"])


def test_reference_page_quotes_for_zelensky(app, reference_page_path):
    at = app(REPO / "pages" / "quotes.py", person="Volodymyr Zelensky")
    assert_clean(at)
    rows = at.dataframe[0].value
    quotes = " | ".join(rows.quote)
    for expected in ("This is Russia's war specifically",
                     "Diplomatic discussions cannot be a pretext", "breaking"):
        assert expected in quotes
    assert set(rows.speaker) == {"Volodymyr Zelensky"}
    assert "Emmanuel Macron" not in set(rows.speaker)


# --------------------------------------------------------------------------- collections

PAGE_A = ("Harbour pilots strike in Tallinn\n\nPilots in Tallinn, Estonia, stopped work on "
          'Tuesday.\n\n"We will not move a ship until we are heard," said union leader Kadri Tamm.')
PAGE_B = ("<html><head><title>Bakers protest bread tax in Porto</title></head><body><article>"
          "<h1>Bakers protest bread tax in Porto</h1><p>Bakers in Porto, Portugal, closed their "
          "shops on Friday to protest a new tax on flour and bread.</p><p>\"The tax will close "
          "small bakeries across the country,\" said baker Rui Sousa, who has run his shop for "
          "thirty years.</p></article></body></html>")


def add_page(at: AppTest, name: str, data: bytes, *extra: tuple[str, bytes]) -> AppTest:
    uploader = at.file_uploader[0]
    uploader.upload(name, data, "text/plain")
    for other_name, other_data in extra:
        uploader.upload(other_name, other_data, "application/octet-stream")
    [submit] = [b for b in at.button if b.label == "Add to my collection"]
    return submit.click().run()


def headlines(at: AppTest) -> set[str]:
    at.switch_page(str(REPO / "pages" / "stories.py")).run()
    assert_clean(at)
    return set(at.dataframe[0].value.headline)


def test_visitors_collections_are_private_and_shareable(app):
    first = add_page(app(), "tallinn.txt", PAGE_A.encode(), ("broken.txt", b"\x00\x01\x02" * 500))
    assert not first.exception
    assert [e.value for e in first.error] and all(
        e.value.startswith(escape_markdown("error: broken.txt: ")) for e in first.error)
    assert len(first.error) == 1
    link = first.query_params["c"]
    second = add_page(app(), "porto.html", PAGE_B.encode())
    assert second.query_params["c"] != link

    demo = headlines(app())
    mine, theirs = headlines(first), headlines(second)
    assert "Harbour pilots strike in Tallinn" in mine - demo
    assert "Bakers protest bread tax in Porto" in theirs - demo
    assert "Bakers protest bread tax in Porto" not in mine
    assert "Harbour pilots strike in Tallinn" not in theirs
    assert demo <= mine and demo <= theirs

    shared = app(c=link)  # a fresh session opening the first visitor's link
    assert headlines(shared) == mine
    # adding from a shared link makes a new collection: the link's owner sees no change
    third = add_page(app(c=link), "porto.html", PAGE_B.encode())
    assert third.query_params["c"] not in (link, second.query_params["c"])
    assert headlines(app(c=link)) == mine


PAGE_C = ("Ferry fares rise in Gdansk\n\nFerry fares in Gdansk, Poland, rose by a third on "
          'Monday.\n\n"Families will stay at home," said passenger Ola Nowak.')


def paste(at: AppTest, text: str) -> AppTest:
    [box] = [t for t in at.text_area if t.label.startswith("...or paste")]
    box.set_value(text)
    [submit] = [b for b in at.button if b.label == "Add to my collection"]
    return submit.click().run()


def test_pasting_twice_keeps_both_pages(app):
    at = paste(paste(app(), PAGE_A), PAGE_C)
    assert_clean(at)
    assert {"Harbour pilots strike in Tallinn", "Ferry fares rise in Gdansk"} <= headlines(at)


def as_html(page: str) -> bytes:
    headline, *paragraphs = page.split("\n\n")
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (f"<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
            f"{body}</article></body></html>").encode()


def test_two_uploads_named_alike_keep_both_pages(app):
    at = add_page(app(), "index.html", PAGE_B.encode(), ("index.html", as_html(PAGE_A)))
    assert_clean(at)
    at = add_page(at, "index.html", as_html(PAGE_C))  # and once more, in a later submit
    assert {"Bakers protest bread tax in Porto", "Harbour pilots strike in Tallinn",
            "Ferry fares rise in Gdansk"} <= headlines(at)


def test_adding_to_a_copy_of_a_linked_collection_keeps_all_its_pages(app):
    owner = paste(paste(app(), PAGE_A), PAGE_C)
    link = owner.query_params["c"]
    visitor = add_page(app(c=link), "porto.html", PAGE_B.encode())
    assert visitor.query_params["c"] != link
    assert {"Harbour pilots strike in Tallinn", "Bakers protest bread tax in Porto",
            "Ferry fares rise in Gdansk"} <= headlines(visitor)
    assert "Bakers protest bread tax in Porto" not in headlines(app(c=link))


def test_too_many_files_in_one_submit_are_refused_in_one_line(app):
    from lib.limits import MAX_FILES_PER_SUBMIT

    uploader_files = [(f"page{n}.txt", PAGE_A.replace("Tuesday", f"day {n}").encode())
                      for n in range(MAX_FILES_PER_SUBMIT + 1)]
    at = add_page(app(), *uploader_files[0], *uploader_files[1:])
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"Nothing added: {MAX_FILES_PER_SUBMIT + 1} files at once: at most "
        f"{MAX_FILES_PER_SUBMIT} per submit."]
    assert "c" not in at.query_params and not at.success


def test_a_failed_add_makes_no_collection_and_no_link(app, store_path):
    def collections() -> int:
        # the app's own connection settings: DuckDB shares one database per process
        with duckdb.connect(store_path) as connection:
            return connection.execute("SELECT count(*) FROM collections").fetchone()[0]

    before = collections()
    at = add_page(app(), "broken.txt", b"\x00\x01\x02" * 500)
    assert not at.exception and len(at.error) == 1
    assert "c" not in at.query_params
    assert not at.success
    assert collections() == before


# Visitor text that Markdown would turn into a link, an image (fetched by every visitor's
# browser), coloured text or a formula.
MARKDOWN_ATTACKS = {
    "person": "[sign in](https://evil.example/login)",
    "country": "![x](https://host.example/t.png) :red[alarm] $x^2$",
}
STREAMLIT_MARKUP = re.compile(r"(?<!\\):[a-z]+\[|(?<!\\)\$")
# Streamlit links these by themselves, escaped or not
AUTOLINKS = re.compile(r"://|www\.|\w@", re.IGNORECASE)


def live_markup(body: str) -> list[str]:
    """What a Markdown body would render as a link, an image, colour or a formula."""
    rendered = MarkdownIt().render(body)
    return (re.findall(r"<(?:a|img)\b[^>]*>", rendered) + STREAMLIT_MARKUP.findall(body)
            + AUTOLINKS.findall(body.replace("\\", "")))


@pytest.mark.parametrize("page", PAGE_FILES, ids=[p.stem for p in PAGE_FILES])
def test_markdown_in_url_parameters_is_shown_as_text(app, page):
    at = app(page, **MARKDOWN_ATTACKS)
    assert_clean(at)
    notices = [i.value for i in at.info]
    assert any("sign in" in notice for notice in notices)
    bodies = notices + [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert [markup for body in bodies for markup in live_markup(body)] == []


def test_markdown_in_a_url_line_is_shown_as_text(app):
    at = app()
    [urls] = [t for t in at.text_area if t.label.startswith("...or give page URLs")]
    urls.set_value("[sign in](https://evil.example/login) ![x](https://host.example/t.png)")
    [submit] = [b for b in at.button if b.label == "Add to my collection"]
    at = submit.click().run()
    assert len(at.error) == 1 and "not an http(s) URL" in MarkdownIt().render(at.error[0].value)
    assert live_markup(at.error[0].value) == []


def test_the_url_box_refuses_server_paths_without_reading_them(app):
    """A folder typed into the URL box is one refusal, never a walk of the server's files."""
    at = app()
    [urls] = [t for t in at.text_area if t.label.startswith("...or give page URLs")]
    urls.set_value(str(REPO / "lib"))
    [submit] = [b for b in at.button if b.label == "Add to my collection"]
    at = submit.click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        escape_markdown(f"error: {REPO / 'lib'}: not an http(s) URL")]


def test_an_unknown_collection_link_falls_back_to_the_demo(app):
    at = app(c="not-a-real-collection")
    assert_clean(at)
    assert any("does not exist" in w.value for w in at.warning)
    assert "c" not in at.query_params


# --------------------------------------------------------------------------- unnamed sources

WHO_SAID_WHAT = REPO / "pages" / "who_said_what.py"


def unnamed_rows(speakers) -> list[str]:
    return [s for s in speakers.speaker if s.endswith("(unnamed)")]


def test_unnamed_sources_join_who_said_what_with_the_toggle(app):
    at = app(WHO_SAID_WHAT)
    assert_clean(at)
    assert at.toggle(key="unnamed").value is False
    assert "unnamed" not in at.query_params
    speakers = at.dataframe[0].value
    assert set(speakers.source) == {"named"} and not unnamed_rows(speakers)
    assert "Ana Lima" in set(speakers.speaker)

    # bound to ?unnamed= (the browser writes the URL when the visitor flips it; AppTest has
    # no browser, so the binding is checked on the widget and the URL read back below)
    assert at.toggle(key="unnamed").proto.query_param_key == "unnamed"
    at.toggle(key="unnamed").set_value(True).run()
    assert_clean(at)
    speakers = at.dataframe[0].value
    sources = speakers.source.tolist()
    assert "unnamed" in sources and sources == sorted(sources, key=lambda s: s != "named")
    analysts = speakers.set_index("speaker").loc[ANALYSTS]  # 3 quotes in 3 stories here
    assert analysts.source == "unnamed" and analysts.quotes >= 3 and analysts.stories >= 3
    assert not {"unknown", "unnamed"} & set(speakers.speaker)
    topics = at.dataframe[-1].value
    assert (ANALYSTS, "unnamed", "Norway") in set(zip(topics.speaker, topics.source, topics.name))

    at.toggle(key="unnamed").set_value(False).run()
    assert_clean(at)
    assert not unnamed_rows(at.dataframe[0].value)


def test_the_unnamed_toggle_is_read_from_the_url(app):
    at = app(WHO_SAID_WHAT, unnamed="true")
    assert_clean(at)
    assert at.toggle(key="unnamed").value is True
    assert at.query_params["unnamed"] == "true"
    assert ANALYSTS in unnamed_rows(at.dataframe[0].value)
    at.toggle(key="unnamed").set_value(False).run()
    assert_clean(at)
    assert not unnamed_rows(at.dataframe[0].value)
    malformed = app(WHO_SAID_WHAT, unnamed="yes")  # not a boolean: dropped, the toggle stays off
    assert_clean(malformed)
    assert malformed.toggle(key="unnamed").value is False
    assert "unnamed" not in malformed.query_params


@pytest.mark.parametrize("page", PAGE_FILES, ids=[p.stem for p in PAGE_FILES])
def test_no_download_button_reruns_the_page(app, page):
    """A download click that reruns the page replaces every deferred file's id on the
    server: a second CSV clicked during that rerun asked for a dropped id and never came."""
    at = app(page)
    assert_clean(at)
    rerunning = [button.label for button in at.download_button if not button.proto.ignore_rerun]
    assert rerunning == []
    if page == WHO_SAID_WHAT:
        assert {button.label for button in at.download_button} == {
            f"{table} ({kind})" for table in ("Speakers", "Their quotes", "Talks about")
            for kind in ("CSV", "JSON")}


def test_quotes_list_unnamed_sources_by_label_after_the_named(app):
    at = app(REPO / "pages" / "quotes.py")
    assert_clean(at)
    [facet] = [m for m in at.multiselect if m.label == "Speaker"]
    options = list(facet.options)
    unnamed = [i for i, option in enumerate(options) if option.endswith("(unnamed)")]
    assert ANALYSTS in options and "unnamed" not in options
    assert options[-1] == "unknown" and unnamed and unnamed == list(
        range(unnamed[0], len(options) - 1))  # named speakers, then unnamed, then unknown
    facet.set_value([ANALYSTS]).run()
    assert_clean(at)
    rows = at.dataframe[0].value
    assert set(rows.speaker) == {ANALYSTS}
    assert {"Inflation will ease,", "Markets are calm,", "Ports in Oslo reopen,"} <= set(rows.quote)
    assert {"Analysts", "analysts"} <= set(rows.speaker_mention)  # one label, either case
    assert any(escape_markdown(f"quote by {ANALYSTS}") in c.value for c in at.caption)
    assert any(f'title="speaker: {ANALYSTS}">' in h.value for h in at.html)  # the mention


# --------------------------------------------------------------------------- the store itself


def test_a_damaged_store_is_named_plainly_on_every_page(tmp_path, monkeypatch):
    path = tmp_path / "news.duckdb"
    path.write_bytes(b"not a database " * 500)
    monkeypatch.setenv("NEWS_STORE", str(path))
    for page in PAGE_FILES:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        if page.name != "home.py":
            at.switch_page(str(page))
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        [error] = at.error
        assert error.value == escape_markdown(
            f"cannot read the store {path} (IO Error: The file \"{path}\" exists, but it is "
            "not a valid DuckDB database file!); if it is damaged, move it aside and run "
            "`python -m lib ingest` to rebuild it")


def test_a_dashboard_started_during_an_ingest_waits_for_the_store(tmp_path, monkeypatch):
    from tests.test_store import held_by_another_process

    path = tmp_path / "news.duckdb"
    build_demo_store(path)
    monkeypatch.setenv("NEWS_STORE", str(path))
    with held_by_another_process(path, seconds=2):
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert at.title[0].value == "Who said what"


def test_a_running_dashboard_takes_pages_ingested_from_the_command_line(tmp_path, monkeypatch):
    import subprocess
    import sys

    path = tmp_path / "news.duckdb"
    build_demo_store(path)
    monkeypatch.setenv("NEWS_STORE", str(path))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()  # holds the store open
    assert "Ferry fares rise in Gdansk" not in headlines(at)
    (tmp_path / "gdansk.txt").write_text(PAGE_C)
    ingest = subprocess.run([sys.executable, "-m", "lib", "ingest", str(tmp_path / "gdansk.txt"),
                             "--store", str(path), "--workers", "1"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert ingest.returncode == 0 and "note: the store" in ingest.stderr, ingest.stderr
    assert "Ferry fares rise in Gdansk" in headlines(at.run())


# --------------------------------------------------------------------------- counts and tables


def test_counts_are_words_not_placeholders(app):
    at = app(WHO_SAID_WHAT)
    assert_clean(at)
    titles = [expander.label for expander in at.expander]
    assert titles and not [t for t in titles if "(s)" in t or "(ies)" in t or "\\(" in t]
    assert any(t.endswith(" 3 quotes in 1 story") for t in titles)
    one_speaker = app(WHO_SAID_WHAT, person="Alasdair Graham")  # one quote in the corpus
    assert [e.label for e in one_speaker.expander] == ["Alasdair Graham \\- 1 quote in 1 story"]
    one = app(REPO / "pages" / "quotes.py", person="Alasdair Graham")
    assert_clean(one)
    assert "1 quote" in [c.value for c in one.caption]


DATE_COLUMNS = ("date", "first_date", "last_date")


@pytest.mark.parametrize("page", PAGE_FILES, ids=[p.stem for p in PAGE_FILES])
def test_tables_show_missing_values_empty_and_dates_whole(app, page):
    at = app(page)
    assert_clean(at)
    for table in at.dataframe:
        # a pasted page has no outlet or date: the browser shows "None" unless told otherwise
        assert table.proto.HasField("placeholder") and table.proto.placeholder == ""
        columns = json.loads(table.proto.columns)
        for name in set(DATE_COLUMNS) & set(table.value.columns):
            assert columns[name]["type_config"] == {"type": "date", "format": "YYYY-MM-DD"}
            assert columns[name]["width"] >= 90  # pixels: "2026-03-14" whole, not "2026-0"


def select_row(at: AppTest, table, row: int) -> AppTest:
    """What a click on a table row does: its selection state, then a rerun."""
    assert table.key, "a selectable table has a key"
    at.session_state[table.key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def shown_whole(at: AppTest, quote: str) -> bool:
    """Every paragraph of the quote is on the page, uncut, as escaped Markdown."""
    bodies = [m.value for m in at.markdown]
    return all(escape_markdown(paragraph) in bodies for paragraph in quote.split("\n\n"))


def test_a_quote_selected_in_a_story_is_shown_whole(app):
    at = app(REPO / "pages" / "stories.py")
    quotes = at.dataframe[1]
    assert list(quotes.value.columns)[:2] == ["speaker", "text"]
    longest = int(quotes.value.text.str.len().idxmax())
    quote = quotes.value.text.iloc[longest]
    assert not shown_whole(at, quote)
    at = select_row(at, quotes, longest)
    assert_clean(at)
    assert shown_whole(at, quote)


def test_a_quote_selected_on_who_said_what_is_shown_whole(app):
    at = app(WHO_SAID_WHAT)
    section = at.expander[0].dataframe[0]
    quote = section.value.quote.iloc[1]
    assert not shown_whole(at, quote)
    at = select_row(at, section, 1)
    assert_clean(at)
    assert shown_whole(at, quote)


def test_a_quote_selected_on_the_quotes_page_opens_in_context(app):
    at = app(REPO / "pages" / "quotes.py")
    rows = at.dataframe[0].value
    picked = 3
    assert [s.index for s in at.selectbox if s.label.startswith("Open a quote")] == [0]
    at = select_row(at, at.dataframe[0], picked)
    assert_clean(at)
    assert [s.index for s in at.selectbox if s.label.startswith("Open a quote")] == [picked]
    speaker = escape_markdown(f"{rows.kind.iloc[picked]} quote by {rows.speaker.iloc[picked]}")
    assert any(c.value.startswith(speaker) for c in at.caption)
    quote = html.escape(rows.quote.iloc[picked], quote=False).split("\n\n")[0]
    assert quote in REAL_TAG.sub("", " ".join(h.value for h in at.html))  # the paragraph, marked


# --------------------------------------------------------------------------- links carry the view

QUOTES = REPO / "pages" / "quotes.py"
STORIES = REPO / "pages" / "stories.py"


def link_params(link: str) -> dict[str, str | list[str]]:
    """A link's query as AppTest query parameters (a repeated name: a list)."""
    params = parse_qs(urlsplit(link).query)
    return {name: values[0] if len(values) == 1 else values for name, values in params.items()}


def opened_quote(at: AppTest) -> tuple[str, str]:
    """The quote opened in context: its caption and its marked paragraphs."""
    [passage] = [c.value for c in at.caption if " quote by " in c.value]
    return passage, at.html[-1].value


def stored_id(store_path: str, sql: str, *params) -> str:
    """One id read from the test store (AppTest picks a choice by its id, and a page's
    choices show headlines and quotes, not ids)."""
    with Store(store_path) as store:
        [found] = store.frame(sql, list(params)).iloc[:, 0]
    return found


def test_a_link_with_search_facets_and_an_open_quote_reproduces_them(app, store_path):
    first = app(QUOTES)
    story_id = stored_id(store_path, "SELECT story_id FROM stories WHERE headline = ?",
                         "Markets calm")
    first.selectbox(key="quotes-story").set_value(story_id).run()
    first.text_input(key="q").set_value("calm").run()
    first.multiselect(key="speaker").set_value([ANALYSTS]).run()
    first.multiselect(key="kind").set_value(["direct"]).run()
    assert_clean(first)
    quote_id = first.selectbox(key="quote").value
    shown = first.dataframe[0].value

    linked = app(QUOTES, q="calm", speaker=ANALYSTS, kind="direct", story=story_id,
                 quote=quote_id)
    assert_clean(linked)
    assert linked.text_input(key="q").value == "calm"
    assert linked.multiselect(key="speaker").value == [ANALYSTS]
    assert linked.multiselect(key="kind").value == ["direct"]
    assert linked.selectbox(key="quotes-story").value == story_id
    rows = linked.dataframe[0].value
    assert rows.equals(shown) and list(rows.quote) == ["Markets are calm,"]
    assert set(rows.speaker) == {ANALYSTS} and set(rows.story) == {"Markets calm"}
    assert linked.selectbox(key="quote").value == quote_id
    assert opened_quote(linked) == opened_quote(first)
    assert not linked.info, [i.value for i in linked.info]  # nothing in the link was dropped


def test_a_link_with_a_page_and_a_quote_on_it_reproduces_them(app, store_path):
    first = app(QUOTES)
    first.number_input(key="quotes-page").set_value(2).run()
    last = first.dataframe[0].value.quote.iloc[-1]  # not the page's first: named in links
    first.selectbox(key="quote").set_value(
        stored_id(store_path, "SELECT quote_id FROM quotes WHERE text = ?", last)).run()
    assert_clean(first)
    quote_id, page_two = first.selectbox(key="quote").value, first.dataframe[0].value
    [link] = [c.value for c in first.code]
    assert link_params(link) == {"page": "2", "quote": quote_id}  # relative: no host in AppTest

    linked = app(QUOTES, **link_params(link))
    assert_clean(linked)
    assert linked.number_input(key="quotes-page").value == 2
    assert linked.dataframe[0].value.equals(page_two)
    assert linked.selectbox(key="quote").value == quote_id
    assert opened_quote(linked) == opened_quote(first)
    assert [c.value for c in linked.code] == [link]


def test_the_quote_link_carries_the_sidebar_filters_and_never_an_edit_key(app):
    at = app(QUOTES, person="Tom Berg", q="a", key="not-a-real-key")
    assert_clean(at)
    [link] = [c.value for c in at.code]
    params = link_params(link)
    assert params["person"] == "Tom Berg" and params["q"] == "a" and "key" not in params
    again = app(QUOTES, **params)
    assert opened_quote(again) == opened_quote(at)
    assert again.dataframe[0].value.equals(at.dataframe[0].value)


def test_unknown_linked_quote_values_are_dropped_with_a_notice(app):
    at = app(QUOTES, speaker=["Nobody Known", ANALYSTS], kind="shouted", story="no-story",
             quote="[sign in](https://evil.example/login)", page="99")
    assert_clean(at)
    notices = " ".join(i.value for i in at.info)
    for dropped in map(escape_markdown, ("Nobody Known", "shouted", "no-story", "[sign in]")):
        assert dropped in notices
    assert at.multiselect(key="speaker").value == [ANALYSTS]
    assert at.multiselect(key="kind").value == []
    assert at.selectbox(key="quotes-story").value is None
    assert "story" not in at.query_params and "quote" not in at.query_params
    assert live_markup(notices) == []


def test_a_linked_page_past_the_last_opens_the_last(app):
    last = app(QUOTES)
    pages = int(last.number_input(key="quotes-page").max)
    last.number_input(key="quotes-page").set_value(pages).run()
    at = app(QUOTES, page="99")
    assert_clean(at)
    assert at.number_input(key="quotes-page").value == pages
    assert at.dataframe[0].value.equals(last.dataframe[0].value)


def test_a_link_with_a_page_and_a_story_in_the_reader_reproduces_them(app, store_path,
                                                                     monkeypatch):
    monkeypatch.setattr("lib.query.STORIES_PER_PAGE", 5)  # pages of stories in a small corpus
    first = app(STORIES)
    pages = int(first.number_input(key="stories-page").max)
    assert pages > 1
    first.number_input(key="stories-page").set_value(pages).run()
    headline = first.dataframe[0].value.headline.iloc[-1]  # not the page's first
    story_id = stored_id(store_path, "SELECT story_id FROM stories WHERE headline = ?", headline)
    first.selectbox(key="reader-story").set_value(story_id).run()
    assert_clean(first)
    assert first.subheader[0].value == escape_markdown(headline)

    linked = app(STORIES, page=str(pages), story=story_id)
    assert_clean(linked)
    assert linked.number_input(key="stories-page").value == pages
    assert linked.dataframe[0].value.equals(first.dataframe[0].value)
    assert linked.selectbox(key="reader-story").value == story_id
    assert linked.subheader[0].value == escape_markdown(headline)
    assert [h.value for h in linked.html] == [h.value for h in first.html]

    dropped = app(STORIES, page="-3", story="no-such-story")
    assert_clean(dropped)
    assert any(escape_markdown("no-such-story") in i.value for i in dropped.info)
    assert dropped.number_input(key="stories-page").value == 1
    assert "story" not in dropped.query_params


# --------------------------------------------------------------------------- owners' collections

TALLINN, PORTO, GDANSK = ("Harbour pilots strike in Tallinn", "Bakers protest bread tax in Porto",
                          "Ferry fares rise in Gdansk")


def edit_params(at: AppTest) -> dict[str, str]:
    """The collection and edit key the visitor's address now holds (their bookmark)."""
    return {"c": at.query_params["c"], "key": at.query_params["key"]}


def test_reopening_ones_edit_link_adds_to_the_same_collection(app):
    owner = paste(app(), PAGE_A)
    bookmark = edit_params(owner)
    assert any(bookmark["key"] in c.value and bookmark["c"] in c.value for c in owner.code)

    again = paste(app(**bookmark), PAGE_C)  # a new session from the bookmark: no fork
    assert_clean(again)
    assert edit_params(again) == bookmark
    assert {TALLINN, GDANSK} <= headlines(app(c=bookmark["c"]))  # the view link sees both


def test_adding_from_a_view_link_or_a_wrong_key_forks(app):
    owner = paste(app(), PAGE_A)
    bookmark = edit_params(owner)
    for link in ({"c": bookmark["c"]}, {"c": bookmark["c"], "key": "not-the-key"}):
        visitor = app(**link)
        assert not [t for t in visitor.text_input if t.key == "collection-title"]  # read-only
        visitor = add_page(visitor, "porto.html", PAGE_B.encode())
        assert_clean(visitor)
        assert visitor.query_params["c"] != bookmark["c"]
        assert visitor.query_params["key"] not in (bookmark["key"], "not-the-key")
        assert {TALLINN, PORTO} <= headlines(visitor)
    assert PORTO not in headlines(app(**bookmark))
    wrong = app(c=bookmark["c"], key="not-the-key")
    assert any("edit key in this link does not open" in w.value for w in wrong.warning)
    assert "key" not in wrong.query_params and wrong.query_params["c"] == bookmark["c"]


def test_the_owner_renames_their_collection(app):
    bookmark = edit_params(paste(app(), PAGE_A))
    owner = app(**bookmark)
    owner.text_input(key="collection-title").input("Harbour [strikes](https://evil.example)")
    [rename] = [b for b in owner.button if b.label == "Rename"]
    rename.click().run()
    assert_clean(owner)
    named = escape_markdown("“Harbour [strikes](https://evil.example)”")
    for at in (owner, app(c=bookmark["c"])):  # the owner and anyone with the view link
        captions = [c.value for c in at.sidebar.caption]
        assert any(named in caption for caption in captions), captions
        assert [m for caption in captions for m in live_markup(caption)] == []


def test_the_owner_removes_a_page_from_their_collection(app, store_path):
    bookmark = edit_params(paste(paste(app(), PAGE_A), PAGE_C))
    owner = app(**bookmark)
    tallinn = stored_id(store_path, "SELECT doc_id FROM documents WHERE title = ?", TALLINN)
    owner.selectbox(key="remove-page").set_value(tallinn).run()
    owner.button(key="remove").click().run()
    assert_clean(owner)
    assert any("removed" in s.value for s in owner.success)
    assert edit_params(owner) == bookmark
    viewed = headlines(app(c=bookmark["c"]))
    assert GDANSK in viewed and TALLINN not in viewed
