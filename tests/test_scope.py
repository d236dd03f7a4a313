"""lib.scope: a scope is resolved once, kept with the store, and never served stale."""

from __future__ import annotations

import pandas as pd
import pytest

from lib import query, scope
from lib.model import ParsedDocument
from lib.query import MENTIONING, Filters, QuoteSearch
from lib.store import Store
from tests.test_query import (
    FULL_NAME_DOC,
    SURNAME_DOC,
    assert_same,
    hidden_document,
    make_story,
    sample_documents,
    store_with,
    unnamed_documents,
)


def edited_talks() -> ParsedDocument:
    talks = sample_documents()[0]
    return ParsedDocument("9" * 64, talks.source, talks.title, talks.stories[:1],
                          outlet=talks.outlet, date=talks.date)


def prefix_of(cursor, collections=("demo",)) -> str:
    return scope.resolved_scope(cursor, collections).prefix


def scope_tables(cursor, prefix: str) -> set[str]:
    catalog, schema, stem = prefix.split("\x1f")
    return {row[0] for row in cursor.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
        "AND starts_with(table_name, ?)", [catalog, schema, stem + "_"]).fetchall()}


@pytest.fixture()
def store_path(tmp_path):
    path = tmp_path / "news.duckdb"
    store = store_with(("demo", sample_documents()), ("private", [hidden_document()]), path=path)
    store.close()
    return path


def test_a_scope_is_kept_in_the_store_and_read_by_the_next_process(store_path, monkeypatch):
    with Store(store_path) as store, store.cursor() as cursor:
        built = prefix_of(cursor)
        expected = query.top_entities(cursor, Filters())
    monkeypatch.setattr(scope, "_SCOPES", {})  # a new process knows nothing of it
    with Store(store_path) as store, store.cursor() as cursor:
        assert prefix_of(cursor) == built
        assert scope.people_in_scope(cursor, ("demo",)) == scope.ScopePeople({}, {})
        for kind, frame in query.top_entities(cursor, Filters()).items():
            pd.testing.assert_frame_equal(frame, expected[kind])


@pytest.mark.parametrize("written_first", [False, True])
def test_a_read_only_store_resolves_in_memory(store_path, written_first):
    if written_first:  # the same process resolved it in the writable store before
        with Store(store_path) as store, store.cursor() as cursor:
            query.prepare_views(cursor, ("demo",))
    with Store(store_path, read_only=True) as store, store.cursor() as cursor:
        assert prefix_of(cursor).startswith(scope.MEMORY_DATABASE + "\x1f")
        assert query.corpus_figures(cursor, Filters())["documents"] == 2
        assert query.corpus_figures(cursor, Filters(), unnamed=True)["documents"] == 2


@pytest.mark.parametrize(
    ("change", "demo_scope_rebuilt"),
    [
        # a visitor's pages in their own collection: everyone else's scope stays
        (lambda store: store.add([FULL_NAME_DOC], collection="visitor"), False),
        # a document joins the demo corpus
        (lambda store: store.add([SURNAME_DOC], collection="demo"), True),
        # a demo document is parsed again (same text, new rows)
        (lambda store: store.add(sample_documents()[:1], collection="demo"), True),
        # a demo file is edited: its new version replaces the old one under its path
        (lambda store: store.add([edited_talks()], collection="demo",
                                 sources={"9" * 64: "talks.txt"}), True),
    ],
)
def test_the_scope_follows_its_documents_only(store_path, change, demo_scope_rebuilt):
    with Store(store_path) as store:
        with store.cursor() as cursor:
            before = prefix_of(cursor)
            private_before = prefix_of(cursor, ("demo", "private"))
        change(store)
        with store.cursor() as cursor:
            assert (prefix_of(cursor) != before) == demo_scope_rebuilt
            if demo_scope_rebuilt:  # the scopes holding the changed documents are new too
                assert prefix_of(cursor, ("demo", "private")) != private_before


def test_a_new_release_of_the_rules_rebuilds_kept_scopes(store_path, monkeypatch):
    with Store(store_path) as store, store.cursor() as cursor:
        built = prefix_of(cursor)
    monkeypatch.setattr(scope, "SCOPE_FORMAT", "another release")
    with Store(store_path) as store, store.cursor() as cursor:
        assert prefix_of(cursor) != built


def test_the_least_recently_used_scopes_are_dropped(store_path, monkeypatch):
    monkeypatch.setattr(scope, "MAX_SCOPES", 2)
    monkeypatch.setattr(scope, "KEEP_RECENT_S", 0.0)
    with Store(store_path) as store, store.cursor() as cursor:
        oldest = prefix_of(cursor, ("demo",))
        assert scope_tables(cursor, oldest)
        prefix_of(cursor, ("private",))
        newest = prefix_of(cursor, ("demo", "private"))
        assert not scope_tables(cursor, oldest)  # its tables are gone
        assert scope_tables(cursor, newest)
        assert prefix_of(cursor, ("demo",)) not in (oldest, newest)  # built again when asked


def test_scopes_in_use_are_never_dropped(store_path, monkeypatch):
    monkeypatch.setattr(scope, "MAX_SCOPES", 1)  # KEEP_RECENT_S: all three were just used
    with Store(store_path) as store, store.cursor() as cursor:
        prefixes = [prefix_of(cursor, c) for c in (("demo",), ("private",), ("demo", "private"))]
        assert all(scope_tables(cursor, prefix) for prefix in prefixes)


def test_a_store_rebuilt_for_a_new_schema_drops_its_scopes(store_path, monkeypatch):
    with Store(store_path) as store, store.cursor() as cursor:
        prefix_of(cursor)
        cursor.execute("UPDATE meta SET value = 'old' WHERE key = 'schema_version'")
    with Store(store_path) as store, store.cursor() as cursor:
        assert not cursor.execute("SELECT count(*) FROM duckdb_schemas() "
                                  "WHERE schema_name = 'scopes'").fetchone()[0]


# Every query a page opens with, as pages call it: read from a summary kept with the scope
# once prepared, and equal to computing it afresh.
OPENING_QUERIES = [
    (query.corpus_figures, {}),
    (query.corpus_figures, {"unnamed": True}),
    (query.count_stories, {}),
    (query.story_list, {"limit": query.STORIES_PER_PAGE}),
    (query.top_entities, {"limit": query.ENTITIES_SHOWN}),
    (query.country_map, {}),
    (query.cooccurrence, {"top": query.ENTITIES_SHOWN}),
    (query.quote_facets, {"mode": MENTIONING}),
    (query.count_quotes, {"search": QuoteSearch(mode=MENTIONING)}),
    (query.quote_rows, {"search": QuoteSearch(mode=MENTIONING),
                        "limit": query.QUOTES_PER_PAGE}),
    (query.speaker_table, {"mode": MENTIONING}),
    (query.top_speaker_topics, {"mode": MENTIONING, "unnamed": True,
                                "limit": query.TOPICS_SHOWN}),
]


def as_values(frame: pd.DataFrame) -> list[list]:
    return frame.astype(object).where(frame.notna(), None).values.tolist()


@pytest.mark.parametrize(("function", "options"), OPENING_QUERIES,
                         ids=[f.__name__ for f, _ in OPENING_QUERIES])
def test_prepared_views_are_what_the_query_computes(store_path, monkeypatch, function, options):
    with Store(store_path) as store, store.cursor() as cursor:
        query.prepare_views(cursor, ("demo",))
        summaries = {t for t in scope_tables(cursor, prefix_of(cursor)) if "summary" in t}
        kept = function(cursor, Filters(), **options)
        assert summaries == {t for t in scope_tables(cursor, prefix_of(cursor))
                             if "summary" in t}, "prepare_views did not compute it ahead"
        monkeypatch.setattr(query, "summary", lambda con, _, sql, params: con.execute(sql, params))
        assert_same(kept, function(cursor, Filters(), **options))


def test_a_filtered_view_or_a_search_is_never_kept(store_path):
    with Store(store_path) as store, store.cursor() as cursor:
        query.prepare_views(cursor, ("demo",))
        prepared = scope_tables(cursor, prefix_of(cursor))
        query.top_entities(cursor, Filters(people=("Tom Berg",)))
        query.quote_rows(cursor, Filters(), QuoteSearch(search="share"))
        query.quote_rows(cursor, Filters(), offset=25)
        assert scope_tables(cursor, prefix_of(cursor)) == prepared


def many_stories(count: int) -> list[ParsedDocument]:
    """Stories quoting Ana Lima ``i + 1`` times each: the later, the more quoted."""
    documents = []
    for i in range(count):
        lines = [f'"Point {i}-{n} stands," Ana Lima said.' for n in range(i + 1)]
        story = make_story(f"Story {i}", lines,
                           [(f"Point {i}-{n} stands,", "direct", "Ana Lima", "Ana Lima", "said")
                            for n in range(i + 1)])
        documents.append(ParsedDocument(f"{i:064x}", f"{i}.txt", f"Story {i}", [story]))
    return documents


def test_quote_facets_offer_the_most_quoted_stories_and_speakers(monkeypatch):
    monkeypatch.setattr(query, "MAX_STORY_CHOICES", 2)
    monkeypatch.setattr(query, "MAX_SPEAKER_CHOICES", 1)
    store = store_with(("demo", many_stories(4) + sample_documents()))
    with store.cursor() as cursor:
        facets = query.quote_facets(cursor, Filters())
        assert [headline for _, headline in facets["stories"]] == ["Story 2", "Story 3"]
        assert facets["speakers"] == ["Ana Lima"]  # 11 quotes
        assert facets["kinds"] == ["direct", "indirect"]  # kinds are never cut
    store.close()


@pytest.mark.parametrize("shown", [1, 3, scope.FIRST_QUOTES_KEPT])
def test_a_speakers_section_lists_their_first_quotes_as_the_quotes_page_does(shown):
    store = store_with(("demo", many_stories(5) + sample_documents()))
    with store.cursor() as cursor:
        (section,) = query.speaker_sections(cursor, Filters(), ["Ana Lima"], quotes_shown=shown)
        listed = query.quote_rows(cursor, Filters(), QuoteSearch(speakers=("Ana Lima",)),
                                  limit=None)
        assert section.quotes.quote.tolist() == listed.quote.tolist()[:shown]
        assert section.more_quotes == max(len(listed) - shown, 0)
        page = query.quote_rows(cursor, Filters(), QuoteSearch(speakers=("Ana Lima",)),
                                offset=2, limit=3)
        # values, not dtypes: DuckDB gives an all-null text column (no outlet here) as
        # object holding None, a column with text as str holding NaN, whichever query reads it
        assert as_values(page) == as_values(listed.iloc[2:5])
    store.close()


@pytest.mark.parametrize("unnamed", [False, True])
@pytest.mark.parametrize("people", [(), ("Ana Lima",)])
def test_the_quotes_of_every_listed_speaker_are_those_of_their_sources(unnamed, people):
    """Who said what's CSV asks for the sources its table lists, not for every speaker's
    name (a list as long as the corpus's speakers): the same quotes."""
    store = store_with(("demo", unnamed_documents() + sample_documents()))
    filters = Filters(people=people)
    with store.cursor() as cursor:
        listed = query.speaker_table(cursor, filters, unnamed=unnamed).speaker
        by_name = query.quote_rows(cursor, filters, QuoteSearch(speakers=tuple(listed)),
                                   limit=None)
        by_source = query.quote_rows(
            cursor, filters, QuoteSearch(sources=tuple(query.speaker_sources(unnamed))),
            limit=None)
        assert len(by_name) and as_values(by_source) == as_values(by_name)
    store.close()


@pytest.mark.parametrize("shown", [0, scope.FIRST_QUOTES_KEPT + 1])
def test_a_section_shows_at_most_the_quotes_kept_per_story(shown):
    store = store_with(("demo", sample_documents()))
    with store.cursor() as cursor, pytest.raises(ValueError, match="quotes_shown"):
        query.speaker_sections(cursor, Filters(), ["Ana Lima"], quotes_shown=shown)
    store.close()


# Who said what with one country selected reads the scope's per-country sums: each
# function, for every country of a corpus and either switch, against the same function
# summing over the stories in view.
ONE_COUNTRY_QUERIES = {
    "speaker_table": lambda con, f, unnamed: query.speaker_table(con, f, unnamed=unnamed),
    "speaker_topics": lambda con, f, unnamed: query.speaker_topics(con, f, unnamed=unnamed),
    "speaker_topics of a page": lambda con, f, unnamed: query.speaker_topics(
        con, f, unnamed=unnamed, speakers=["Ana Lima", "Tom Berg", "analysts (unnamed)"]),
    "top_speaker_topics": lambda con, f, unnamed: query.top_speaker_topics(
        con, f, unnamed=unnamed, limit=2),
    "speaker_sections": lambda con, f, unnamed: query.speaker_sections(
        con, f, query.speaker_table(con, f, unnamed=unnamed).speaker.tolist(),
        unnamed=unnamed, quotes_shown=2),
}


@pytest.fixture(scope="module")
def countries_corpus():
    store = store_with(("demo", sample_documents() + unnamed_documents() + many_stories(3)))
    yield store
    store.close()


@pytest.mark.parametrize("unnamed", [False, True])
@pytest.mark.parametrize("name", ONE_COUNTRY_QUERIES)
def test_one_country_sums_are_what_the_view_gives(countries_corpus, monkeypatch, name,
                                                   unnamed):
    run = ONE_COUNTRY_QUERIES[name]
    with countries_corpus.cursor() as cursor:
        countries = query.filter_options(cursor, ("demo",))["countries"]
        assert len(countries) >= 3
        by_country = {c: run(cursor, Filters(countries=(c,)), unnamed) for c in countries}
        monkeypatch.setattr(query, "one_country_view", lambda filters: False)
        for country, kept in by_country.items():
            assert_same(kept, run(cursor, Filters(countries=(country,)), unnamed))
    assert any(len(getattr(kept, "rows", kept)) for kept in by_country.values())


@pytest.mark.parametrize(("filters", "one_country"), [
    (Filters(countries=("France",)), True),
    (Filters(countries=("France", "France")), True),  # a repeated value is one country
    (Filters(countries=("France", "Norway")), False),
    (Filters(people=("Ana Lima",), countries=("France",)), False),
    (Filters(people=("Ana Lima",)), False),
    (Filters(), False),
])
def test_which_views_read_the_per_country_sums(filters, one_country):
    assert query.one_country_view(filters) is one_country
