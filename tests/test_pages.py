"""Every dashboard page, run headless through Streamlit's AppTest on a temporary store.

The store holds the demo corpus, the hand-built corpus of tests/test_query.py
(invented people; one article full of HTML injection attempts) and, when the
shared data is present, the reference page.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from markdown_it import MarkdownIt
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lib.highlight import escape_markdown
from tests.conftest import REFERENCE_PAGE
from tests.streamlit_harness import PAGE_FILES, build_demo_store, heading, navigation_only_init
from tests.test_query import (ANALYSTS, FULL_NAME_DOC, SURNAME_DOC, XSS_BODY, XSS_QUOTE,
                              sample_documents, unnamed_documents)

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

    def make(page: Path | None = None, **params) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        for key, value in params.items():
            at.query_params[key] = value
        if page is not None and page.name != "home.py":
            at.switch_page(str(page))
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


def test_a_linked_surname_in_a_link_offers_the_full_name(app):
    at = app(REPO / "pages" / "quotes.py", person="Blair")
    assert_clean(at)
    assert any("Blair is counted as Tony Blair" in i.value for i in at.info)
    assert not any("Ignored" in i.value for i in at.info)
    at.button(key="linked-person").click().run()
    assert_clean(at)
    assert at.query_params["person"] == "Tony Blair"  # one value reads back as a str
    quotes = at.dataframe[0].value
    assert sorted(quotes.quote) == ["Talks went well,", "We will cut taxes,"]
    assert set(quotes.speaker) == {"Tony Blair"}


def test_quotes_spoken_by_is_the_default_for_a_selected_person(app):
    at = app(REPO / "pages" / "quotes.py", person="Tom Berg")
    assert set(at.dataframe[0].value.speaker) == {"Tom Berg"}
    at.radio[0].set_value("mentioning").run()
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
            "Speakers (CSV)", "Quotes (CSV)", "Talks about (CSV)"}


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
