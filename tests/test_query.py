"""lib.query on a small hand-built corpus (invented people and stories) in a scratch store."""

from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd
import pytest

from lib import query
from lib.model import (
    PARAGRAPH_SEPARATOR,
    UNKNOWN_SPEAKER,
    UNNAMED_SPEAKER,
    Entity,
    ParsedDocument,
    Quote,
    Story,
)
from lib.people import surname_aliases
from lib.query import MENTIONING, SPOKEN_BY, Filters, QuoteSearch
from lib.store import Store

# (surface, label, canonical, country, ISO alpha-3); every occurrence in a story is a mention.
PEOPLE = [("Ana Lima", "PERSON", "Ana Lima", None, None),
          ("Tom Berg", "PERSON", "Tom Berg", None, None),
          ("Claire Dubois", "PERSON", "Claire Dubois", None, None)]
PLACES = [("Oslo", "GPE", "Oslo", "Norway", "NOR"), ("Norway", "GPE", "Norway", "Norway", "NOR"),
          ("Brazil", "GPE", "Brazil", "Brazil", "BRA"),
          ("France", "GPE", "France", "France", "FRA"),
          ("Lyon", "GPE", "Lyon", "France", "FRA"), ("Kenya", "GPE", "Kenya", "Kenya", "KEN"),
          ("Tidewell", "ORG", "Tidewell", None, None)]
XSS_HEADLINE = "<script>alert(1)</script> Breaking"
XSS_BODY = "Tom Berg wrote <img src=x onerror=alert(1)> in Kenya."
XSS_QUOTE = "<script>alert(1)</script> is not a quote,"


def make_story(headline: str, paragraphs: list[str], quotes=()) -> Story:
    """A parsed story; ``quotes`` are (content, kind, speaker, speaker as written, cue)."""
    text = PARAGRAPH_SEPARATOR.join(paragraphs)
    entities = []
    for surface, label, canonical, country, code in PEOPLE + PLACES:
        start = text.find(surface)
        while start >= 0:
            entities.append(Entity(surface, label, canonical, start, start + len(surface),
                                   country, code))
            start = text.find(surface, start + len(surface))
    entities.sort(key=lambda e: e.start)
    parsed_quotes = []
    for content, kind, speaker, mention, cue in quotes:
        start = text.index(content)
        end = start + len(content)
        after = text.find(mention, end)  # the speaker as written after the quote, else before
        mention_at = after if after >= 0 else text.index(mention)
        cue_at = text.index(cue, min(end, mention_at))
        parsed_quotes.append(Quote(content, kind, speaker, mention, cue, [(start, end)],
                                   (mention_at, mention_at + len(mention)),
                                   (cue_at, cue_at + len(cue))))
    return Story(headline, paragraphs, [], entities, parsed_quotes)


def sample_documents() -> list[ParsedDocument]:
    talks = make_story(
        "Ministers meet in Oslo",
        ["Ana Lima met Tom Berg in Oslo on Monday, with Tidewell staff.",
         '"Norway and Brazil will share the work," Ana Lima said.',
         "Tom Berg said France had offered help."],
        [("Norway and Brazil will share the work,", "direct", "Ana Lima", "Ana Lima", "said"),
         ("France had offered help", "indirect", "Tom Berg", "Tom Berg", "said")],
    )
    protest = make_story(
        "Farmers protest in Lyon",
        ["Farmers marched in Lyon, France.", '"We cannot wait," said Claire Dubois.',
         '"Prices are too high," one farmer said.'],
        [("We cannot wait,", "direct", "Claire Dubois", "Claire Dubois", "said"),
         ("Prices are too high,", "direct", UNKNOWN_SPEAKER, "one farmer", "said")],
    )
    xss = make_story(
        XSS_HEADLINE,
        [XSS_BODY, f'"{XSS_QUOTE}" Tom Berg said.'],
        [(XSS_QUOTE, "direct", "Tom Berg", "Tom Berg", "said")],
    )
    return [
        ParsedDocument("a" * 64, "talks.txt", "Talks page", [talks, protest],
                       outlet="Test Herald", date="2024-03-02"),
        ParsedDocument("b" * 64, "xss.html", XSS_HEADLINE, [xss], outlet=None, date="2024-01-15"),
    ]


def hidden_document() -> ParsedDocument:
    secret = make_story("Secret story", ['"Only the owner sees this," Ana Lima said in Kenya.'],
                        [("Only the owner sees this,", "direct", "Ana Lima", "Ana Lima", "said")])
    return ParsedDocument("c" * 64, "secret.txt", "Secret page", [secret])


@pytest.fixture()
def con():
    store = Store(":memory:")
    store.add(sample_documents(), collection="demo")
    store.add([hidden_document()], collection="private")
    with store.cursor() as cursor:
        yield cursor
    store.close()


def story_ids(con, filters: Filters) -> set[str]:
    return set(query.story_list(con, filters, limit=100).headline)


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("people", "countries", "expected"),
    [
        ((), (), {"Ministers meet in Oslo", "Farmers protest in Lyon", XSS_HEADLINE}),
        (("Tom Berg",), (), {"Ministers meet in Oslo", XSS_HEADLINE}),
        (("Tom Berg", "Ana Lima"), (), {"Ministers meet in Oslo"}),
        ((), ("France",), {"Ministers meet in Oslo", "Farmers protest in Lyon"}),
        (("Tom Berg",), ("France",), {"Ministers meet in Oslo"}),
        (("Tom Berg",), ("France", "Kenya"), set()),  # no story names both countries
        (("Claire Dubois", "Ana Lima"), (), set()),
        (("Nobody",), (), set()),
    ],
)
def test_a_story_is_in_view_when_it_names_every_selection(con, people, countries, expected):
    filters = Filters(people=people, countries=countries)
    assert story_ids(con, filters) == expected
    assert query.count_stories(con, filters) == len(expected)


def test_collections_limit_what_is_visible(con):
    assert "Secret story" not in story_ids(con, Filters())
    assert "Secret story" in story_ids(con, Filters(collections=("demo", "private")))
    secret_id = "c" * 64 + ":0"
    assert query.story_detail(con, Filters(), secret_id) is None
    assert query.quote_passage(con, Filters(), secret_id + ":0") is None
    assert query.story_detail(con, Filters(collections=("private",)), secret_id) is not None
    assert "Kenya" in query.filter_options(con, ["demo", "private"])["countries"]


def test_corpus_figures_count_the_stories_in_view(con):
    assert query.corpus_figures(con, Filters()) == {
        "documents": 2, "stories": 3, "quotes": 5, "speakers": 3, "people": 3, "countries": 4}
    assert query.corpus_figures(con, Filters(countries=("Kenya",))) == {
        "documents": 1, "stories": 1, "quotes": 1, "speakers": 1, "people": 1, "countries": 1}


def test_filter_options_most_mentioned_first(con):
    options = query.filter_options(con, ["demo"])
    assert options["people"] == ["Tom Berg", "Ana Lima", "Claire Dubois"]
    assert options["countries"][0] == "France"  # France + Lyon: 3 mentions
    assert set(options["countries"]) == {"France", "Norway", "Brazil", "Kenya"}


# --------------------------------------------------------------------------- stories


def test_story_list_rows_and_paging(con):
    rows = query.story_list(con, Filters(), limit=2)
    # newest first
    assert list(rows.headline) == ["Ministers meet in Oslo", "Farmers protest in Lyon"]
    first = rows.iloc[0]
    assert (first.outlet, first.date, first.people, first.countries, first.quotes) == (
        "Test Herald", "2024-03-02", 2, 3, 2)
    assert list(query.story_list(con, Filters(), offset=2, limit=2).headline) == [XSS_HEADLINE]


def test_story_detail_marks_people_places_and_quotes(con):
    detail = query.story_detail(con, Filters(), "a" * 64 + ":0")
    text = PARAGRAPH_SEPARATOR.join(detail.paragraphs)
    marked = {(m.kind, text[m.start:m.end]) for m in detail.marks}
    assert {("person", "Ana Lima"), ("person", "Tom Berg"), ("place", "Oslo"),
            ("org", "Tidewell"), ("quote", "Norway and Brazil will share the work,"),
            ("speaker", "Ana Lima"), ("cue", "said")} <= marked
    assert query.story_people_and_places(detail) == (["Ana Lima", "Tom Berg"],
                                                     ["Norway", "Brazil", "France"])


@pytest.mark.parametrize(
    ("total", "size", "pages"), [(0, 20, 1), (20, 20, 1), (21, 20, 2), (5, 0, 1)]
)
def test_page_count(total, size, pages):
    assert query.page_count(total, size) == pages


@pytest.mark.parametrize(("page", "offset"), [(1, 0), (2, 20), (3, 40), (9, 40), (0, 0), (-3, 0)])
def test_page_offset_is_clamped(page, offset):
    assert query.page_offset(page, 45, 20) == offset


# --------------------------------------------------------------------------- entities


def test_entity_counts(con):
    people = query.entity_counts(con, Filters(), "person")
    assert people.iloc[0][["name", "mentions", "stories"]].tolist() == ["Tom Berg", 4, 2]
    countries = query.entity_counts(con, Filters(), "country")
    top_country = countries.iloc[0][["name", "mentions", "stories", "iso3"]].tolist()
    assert top_country == ["France", 3, 2, "FRA"]
    orgs = query.entity_counts(con, Filters(), "organisation")
    assert orgs.name.tolist() == ["Tidewell"]
    assert query.entity_counts(con, Filters(people=("Claire Dubois",)), "person").name.tolist() == [
        "Claire Dubois"]


def test_top_entities_match_entity_counts_per_kind(con):
    filters = Filters(people=("Tom Berg",))
    top = query.top_entities(con, filters, limit=2)
    assert set(top) == set(query.ENTITY_KINDS)
    for kind, frame in top.items():
        assert frame.equals(query.entity_counts(con, filters, kind, limit=2))
        assert len(frame) <= 2


def test_country_map_has_iso_codes(con):
    frame = query.country_map(con, Filters(people=("Tom Berg",)))
    assert dict(zip(frame.iso3, frame.mentions)) == {"NOR": 2, "FRA": 1, "BRA": 1, "KEN": 1}


def test_cooccurrence_pairs_and_matrix(con):
    pairs = query.cooccurrence(con, Filters())
    assert pairs.values.tolist() == [["Ana Lima", "Tom Berg", 1]]
    matrix = query.cooccurrence_matrix(pairs)
    assert matrix.loc["Tom Berg", "Ana Lima"] == matrix.loc["Ana Lima", "Tom Berg"] == 1
    assert matrix.loc["Tom Berg", "Tom Berg"] == 0
    assert query.cooccurrence_matrix(query.cooccurrence(con, Filters(countries=("Kenya",)))).empty


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"selection": {"points": [{"customdata": ["Tom Berg"], "y": "Tom Berg", "x": 4}]}},
         ["Tom Berg"]),
        ({"selection": {"points": [{"y": "Ana Lima", "x": 2}]}}, ["Ana Lima"]),
        ({"selection": {"points": [{"location": "FRA", "z": 3}]}}, ["France"]),
        ({"selection": {"points": [{"location": "XXX"}]}}, []),
        ({"selection": {"points": [{"customdata": ["Tom Berg"]}, {"customdata": ["Tom Berg"]},
                                   {"customdata": "Ana Lima"}]}}, ["Tom Berg", "Ana Lima"]),
        ({"selection": {"points": [], "box": [], "lasso": []}}, []),
        ({"selection": {"points": [{"x": 3, "y": 4}]}}, []),  # numbers name nothing
        ({}, []),
        (None, []),
    ],
)
def test_selection_values(selection, expected):
    assert query.selection_values(selection, iso_to_name={"FRA": "France"}) == expected


@pytest.mark.parametrize(
    ("current", "kind", "picked", "expected"),
    [
        ([], "person", ["Tom Berg"], ["Tom Berg"]),
        (["Ana Lima"], "person", ["Tom Berg"], ["Ana Lima", "Tom Berg"]),
        (["Tom Berg"], "person", ["Tom Berg"], None),  # already selected: nothing changes
        ([], "person", ["Not An Option"], None),
        ([], "country", ["France"], ["France"]),
        ([], "organisation", ["Tidewell"], None),  # organisations are not a filter
        ([], "person", [], None),
    ],
)
def test_filter_after_selection(current, kind, picked, expected):
    options = ["Tom Berg", "Ana Lima", "France"]
    assert query.filter_after_selection(current, kind, picked, options) == expected


# --------------------------------------------------------------------------- quotes


def test_spoken_by_versus_mentioning(con):
    tom = Filters(people=("Tom Berg",))
    spoken = query.quote_rows(con, tom, QuoteSearch(SPOKEN_BY))
    assert set(spoken.speaker) == {"Tom Berg"}
    assert sorted(spoken.quote) == sorted(["France had offered help", XSS_QUOTE])
    mentioning = query.quote_rows(con, tom, QuoteSearch(MENTIONING))
    assert sorted(mentioning.speaker) == ["Ana Lima", "Tom Berg", "Tom Berg"]
    assert query.count_quotes(con, tom, QuoteSearch(SPOKEN_BY)) == 2
    # with no person selected both modes list every quote in view
    assert query.count_quotes(con, Filters(), QuoteSearch(SPOKEN_BY)) == 5


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"search": "CANNOT"}, ["We cannot wait,"]),
        ({"search": "%"}, []),  # no wildcard: searched as text
        ({"kinds": ("indirect",)}, ["France had offered help"]),
        ({"speakers": ("Claire Dubois", UNKNOWN_SPEAKER)},
         ["We cannot wait,", "Prices are too high,"]),
        ({"story_id": "b" * 64 + ":0"}, [XSS_QUOTE]),
        ({"search": "wait", "kinds": ("indirect",)}, []),
    ],
)
def test_quote_search_and_facets(con, criteria, expected):
    rows = query.quote_rows(con, Filters(), QuoteSearch(**criteria))
    assert sorted(rows.quote) == sorted(expected)
    assert query.count_quotes(con, Filters(), QuoteSearch(**criteria)) == len(expected)


def test_quote_rows_paginate(con):
    everything = query.quote_rows(con, Filters(), limit=None)
    first = query.quote_rows(con, Filters(), limit=3)
    rest = query.quote_rows(con, Filters(), offset=3, limit=3)
    assert list(first.quote_id) + list(rest.quote_id) == list(everything.quote_id)


def test_quote_facets(con):
    facets = query.quote_facets(con, Filters())
    assert facets["speakers"][0] == "Tom Berg"
    assert facets["kinds"] == ["direct", "indirect"]
    assert {headline for _, headline in facets["stories"]} == {
        "Ministers meet in Oslo", "Farmers protest in Lyon", XSS_HEADLINE}


def test_quote_passage_is_the_quotes_paragraph_with_marks(con):
    passage = query.quote_passage(con, Filters(), "a" * 64 + ":1:0")  # Claire Dubois
    assert passage.paragraphs == ['"We cannot wait," said Claire Dubois.']
    shift = passage.first_offset
    local = {(m.kind, passage.paragraphs[0][m.start - shift:m.end - shift]) for m in passage.marks}
    assert local == {("quote", "We cannot wait,"), ("speaker", "Claire Dubois"), ("cue", "said")}
    assert passage.speaker == "Claire Dubois"


# --------------------------------------------------------------------------- who said what


def test_speaker_table(con):
    table = query.speaker_table(con, Filters()).set_index("speaker")
    assert UNKNOWN_SPEAKER not in table.index
    tom = table.loc["Tom Berg"]
    assert (tom.quotes, tom.stories, tom.kinds, tom.first_date, tom.last_date) == (
        2, 2, "direct 1, indirect 1", "2024-01-15", "2024-03-02")
    assert tom.countries.split(", ")[0] == "Norway"  # most mentioned in his stories
    spoken = query.speaker_table(con, Filters(people=("Tom Berg",)), mode=SPOKEN_BY)
    assert spoken.speaker.tolist() == ["Tom Berg"]
    mentioning = query.speaker_table(con, Filters(people=("Tom Berg",)), mode=MENTIONING)
    assert sorted(mentioning.speaker) == ["Ana Lima", "Tom Berg"]


def test_speaker_topics_are_entities_inside_quotes(con):
    topics = query.speaker_topics(con, Filters())
    about = {(r.speaker, r.about, r.name) for r in topics.itertuples()}
    assert about == {("Ana Lima", "country", "Norway"), ("Ana Lima", "country", "Brazil"),
                     ("Tom Berg", "country", "France")}


def test_speaker_sections_follow_the_page_of_speakers(con):
    sections = query.speaker_sections(con, Filters(), ["Tom Berg", "Ana Lima", "Nobody"],
                                      quotes_shown=1)
    assert [(s.speaker, len(s.quotes), s.more_quotes, s.talks_about) for s in sections] == [
        ("Tom Berg", 1, 1, {"country": "France (1)"}),
        ("Ana Lima", 1, 0, {"country": "Brazil (1), Norway (1)"}),
        ("Nobody", 0, 0, {}),  # a speaker with nothing in view: an empty section, no error
    ]
    every_quote = query.quote_rows(con, Filters(), QuoteSearch(speakers=("Tom Berg",)),
                                   limit=None)
    assert sections[0].quotes.quote.tolist() == every_quote.quote.tolist()[:1]  # newest first
    assert list(sections[0].quotes.columns) == ["quote", "cue", "kind", "story", "date"]


def test_top_speaker_topics_is_the_page_cut_of_speaker_topics(con):
    every = query.speaker_topics(con, Filters())
    top = query.top_speaker_topics(con, Filters(), limit=2)
    assert len(every) == 3 and top.pairs == 3 and len(top.rows) == 2
    most_named = every.sort_values(["mentions", "quotes", "speaker", "name"],
                                   ascending=[False, False, True, True])
    assert top.rows.equals(most_named.head(2).reset_index(drop=True))
    assert list(top.rows.columns) == list(every.columns)
    assert query.top_speaker_topics(con, Filters(), limit=5).rows.equals(
        most_named.reset_index(drop=True))


def test_top_speaker_topics_of_a_view_without_topics_is_empty(con):
    top = query.top_speaker_topics(con, Filters(people=("Nobody",)))
    assert top.rows.empty and top.pairs == 0


def test_corpus_version_changes_with_the_corpus(con):
    store = Store(":memory:")
    with store.cursor() as cursor:
        before = query.corpus_version(cursor)
        store.add(sample_documents(), collection="demo")
        after_add = query.corpus_version(cursor)
        store.link("other", ["a" * 64])
        after_link = query.corpus_version(cursor)
    assert len({before, after_add, after_link}) == 3
    store.close()


def test_corpus_version_changes_when_an_edited_file_is_reverted():
    """Edit a file, ingest, revert it, ingest: the old text is only linked again, and no
    count or time changes, yet cached results of the edit must not be served."""
    original, edited = sample_documents()[:2]
    store = Store(":memory:")
    with store.cursor() as cursor:
        store.add([original], collection="demo", sources={original.doc_id: "page.txt"})
        store.add([edited], collection="demo", sources={edited.doc_id: "page.txt"})
        after_edit = query.corpus_version(cursor)
        store.link("demo", [original.doc_id], {original.doc_id: "page.txt"})
        assert store.document_ids("demo") == [original.doc_id]
        assert query.corpus_version(cursor) != after_edit
    store.close()


# --------------------------------------------------------------------------- people at corpus scale


def story_naming(headline: str, text: str, people: dict[str, str], said: str | None = None,
                 speaker: str | None = None) -> Story:
    """A one-paragraph story; ``people``: surface -> canonical; ``speaker`` says ``said``."""
    entities = []
    for surface, canonical in people.items():
        start = text.find(surface)
        while start >= 0:
            entities.append(Entity(surface, "PERSON", canonical, start, start + len(surface)))
            start = text.find(surface, start + len(surface))
    quotes = []
    if said:
        start = text.index(said)
        mention = text.index(speaker, start + len(said))
        cue = text.index("said", start + len(said))
        quotes.append(Quote(said, "direct", people[speaker], speaker, "said",
                            [(start, start + len(said))], (mention, mention + len(speaker)),
                            (cue, cue + 4)))
    return Story(headline, [text], [], sorted(entities, key=lambda e: e.start), quotes)


def document(letter: str, story: Story) -> ParsedDocument:
    return ParsedDocument(letter * 64, f"{letter}.txt", story.headline, [story], date="2024-05-01")


FULL_NAME_DOC = document("d", story_naming(
    "Budget day", '"We will cut taxes," Tony Blair said.', {"Tony Blair": "Tony Blair"},
    said="We will cut taxes,", speaker="Tony Blair"))
SURNAME_DOC = document("e", story_naming(
    "Summit ends", '"Talks went well," Blair said after meeting Ana Lima.',
    {"Blair": "Blair", "Ana Lima": "Ana Lima"}, said="Talks went well,", speaker="Blair"))
OTHER_BLAIR_DOC = document("f", story_naming(
    "Charity gala", "Cherie Blair opened the gala.", {"Cherie Blair": "Cherie Blair"}))


def store_with(*collections: tuple[str, list[ParsedDocument]], path=":memory:") -> Store:
    store = Store(path)
    for collection, documents in collections:
        store.add(documents, collection=collection)
    return store


@pytest.fixture()
def blair():
    """One document names Tony Blair in full; another only says "Blair"."""
    store = store_with(("demo", [FULL_NAME_DOC, SURNAME_DOC]))
    with store.cursor() as cursor:
        yield cursor
    store.close()


def test_a_bare_surname_counts_as_the_dominant_full_name(blair):
    assert query.person_aliases(blair, ["demo"]) == {"Blair": "Tony Blair"}
    tony = Filters(people=("Tony Blair",))
    assert query.filter_options(blair, ["demo"])["people"] == ["Tony Blair", "Ana Lima"]
    assert story_ids(blair, tony) == {"Budget day", "Summit ends"}
    people = query.entity_counts(blair, Filters(), "person")
    assert people.iloc[0][["name", "mentions", "stories"]].tolist() == ["Tony Blair", 2, 2]
    assert "Blair" not in set(people.name)
    assert query.cooccurrence(blair, Filters()).values.tolist() == [["Ana Lima", "Tony Blair", 1]]
    assert query.corpus_figures(blair, Filters())["people"] == 2


def test_a_linked_surname_speaks_as_the_full_name(blair):
    tony = Filters(people=("Tony Blair",))
    spoken = query.quote_rows(blair, tony, QuoteSearch(SPOKEN_BY))
    assert sorted(spoken.quote) == ["Talks went well,", "We will cut taxes,"]
    assert set(spoken.speaker) == {"Tony Blair"}
    assert set(spoken.speaker_mention) == {"Tony Blair", "Blair"}  # as written stays as written
    assert query.quote_facets(blair, Filters())["speakers"] == ["Tony Blair"]
    table = query.speaker_table(blair, Filters())
    assert table[["speaker", "quotes", "stories"]].values.tolist() == [["Tony Blair", 2, 2]]
    detail = query.story_detail(blair, Filters(), "e" * 64 + ":0")
    assert query.story_people_and_places(detail)[0] == ["Tony Blair", "Ana Lima"]
    assert list(detail.quotes.speaker) == ["Tony Blair"]


@pytest.mark.parametrize(
    "collections",
    [
        # two full names share the surname equally
        (("demo", [FULL_NAME_DOC, SURNAME_DOC, OTHER_BLAIR_DOC]),),
        # no full name in scope
        (("demo", [SURNAME_DOC]),),
        # the full name only in another visitor's collection changes nothing here
        (("demo", [SURNAME_DOC]), ("private", [FULL_NAME_DOC])),
    ],
    ids=["two full names", "no full name", "full name out of scope"],
)
def test_surnames_stay_bare_without_one_dominant_full_name_in_scope(collections):
    store = store_with(*collections)
    with store.cursor() as cursor:
        assert query.person_aliases(cursor, ["demo"]) == {}
        assert "Blair" in query.filter_options(cursor, ["demo"])["people"]
        assert "Blair" in query.quote_facets(cursor, Filters())["speakers"]
        assert "Blair" in set(query.speaker_table(cursor, Filters()).speaker)
    store.close()


def test_aliases_follow_the_scope_and_the_corpus(tmp_path):
    store = store_with(("demo", [SURNAME_DOC]), ("private", [FULL_NAME_DOC]),
                       path=tmp_path / "news.duckdb")
    with store.cursor() as cursor:
        assert query.person_aliases(cursor, ["demo"]) == {}
        assert query.person_aliases(cursor, ["demo", "private"]) == {"Blair": "Tony Blair"}
        assert query.filter_options(cursor, ["demo", "private"])["people"][0] == "Tony Blair"
        store.add([OTHER_BLAIR_DOC], collection="private")  # now two Blairs: cache must not hold
        assert query.person_aliases(cursor, ["demo", "private"]) == {}
    store.close()


def test_sql_aliases_apply_the_rule_of_lib_people():
    documents = [FULL_NAME_DOC, SURNAME_DOC, OTHER_BLAIR_DOC,
                 document("g", story_naming("Again", "Tony Blair spoke.",
                                            {"Tony Blair": "Tony Blair"}))]
    for members in (documents[:2], documents[:3], documents, documents[1:]):
        store = store_with(("demo", members))
        documents_per_name = {}
        for parsed in members:
            for name in {e.canonical for s in parsed.stories for e in s.entities}:
                documents_per_name[name] = documents_per_name.get(name, 0) + 1
        with store.cursor() as cursor:
            assert query.person_aliases(cursor, ["demo"]) == surname_aliases(documents_per_name)
        store.close()


# --------------------------------------------------------------------------- not people


def tagged_document(letter: str, text: str, tags: dict[str, tuple[str, str]]) -> ParsedDocument:
    """A one-story document; ``tags``: surface -> (label, canonical), each occurrence a
    mention unless a longer one holds it ("Ferrow" in "Lena Ferrow")."""
    entities: list[Entity] = []
    for surface, (label, canonical) in sorted(tags.items(), key=lambda tag: -len(tag[0])):
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if not any(e.start < end and start < e.end for e in entities):
                entities.append(Entity(surface, label, canonical, start, end))
            start = text.find(surface, end)
    story = Story(f"Story {letter}", [text], [], sorted(entities, key=lambda e: e.start), [])
    return document(letter, story)


PERSON = "PERSON"
# Brackwell, a company the model tagged PERSON in one document and ORG in three;
# Rovington United, a club tagged PERSON; Lena Ferrow, a person whose surname is
# also a company's name, tagged ORG once.
MIXED_DOC = tagged_document("h", "Brackwell met Lena Ferrow at Rovington United.", {
    "Brackwell": (PERSON, "Brackwell"), "Lena Ferrow": (PERSON, "Lena Ferrow"),
    "Rovington United": (PERSON, "Rovington United")})
COMPANY_DOCS = [
    tagged_document("i", "Brackwell profits rose.", {"Brackwell": ("ORG", "Brackwell")}),
    tagged_document("j", "Brackwell cut jobs.", {"Brackwell": ("ORG", "Brackwell")}),
    tagged_document("k", "Brackwell sold Ferrow to a rival.", {
        "Brackwell": ("ORG", "Brackwell"), "Ferrow": ("ORG", "Ferrow")}),
]
FERROW_DOC = tagged_document("l", "Lena Ferrow spoke. Ferrow smiled.", {
    "Lena Ferrow": (PERSON, "Lena Ferrow"), "Ferrow": (PERSON, "Lena Ferrow")})


@pytest.fixture()
def mixed():
    store = store_with(("demo", [MIXED_DOC, *COMPANY_DOCS, FERROW_DOC]))
    with store.cursor() as cursor:
        yield cursor
    store.close()


def test_names_that_are_no_person_count_as_what_they_are(mixed):
    assert query.non_person_names(mixed, ["demo"]) == {
        "Brackwell": "ORG", "Rovington United": "ORG"}
    assert query.filter_options(mixed, ["demo"])["people"] == ["Lena Ferrow"]
    people = query.entity_counts(mixed, Filters(), "person")
    assert people[["name", "mentions", "stories"]].values.tolist() == [["Lena Ferrow", 3, 2]]
    orgs = query.entity_counts(mixed, Filters(), "organisation")
    assert orgs[["name", "mentions", "stories"]].values.tolist() == [
        ["Brackwell", 4, 4], ["Ferrow", 1, 1], ["Rovington United", 1, 1]]
    assert query.corpus_figures(mixed, Filters())["people"] == 1
    assert story_ids(mixed, Filters(people=("Brackwell",))) == set()
    detail = query.story_detail(mixed, Filters(), "h" * 64 + ":0")
    assert list(zip(detail.entities.canonical, detail.entities.label)) == [
        ("Brackwell", "ORG"), ("Lena Ferrow", PERSON), ("Rovington United", "ORG")]
    assert query.story_people_and_places(detail)[0] == ["Lena Ferrow"]


def test_the_vote_follows_the_scope(tmp_path):
    store = store_with(("demo", [MIXED_DOC]), ("private", COMPANY_DOCS),
                       path=tmp_path / "news.duckdb")
    with store.cursor() as cursor:
        # only the document tagging it PERSON in view: Brackwell is a person here
        assert query.non_person_names(cursor, ["demo"]) == {"Rovington United": "ORG"}
        assert "Brackwell" in query.filter_options(cursor, ["demo"])["people"]
        assert query.non_person_names(cursor, ["demo", "private"])["Brackwell"] == "ORG"
        assert "Brackwell" not in query.filter_options(cursor, ["demo", "private"])["people"]
    store.close()


def test_an_honorific_keeps_a_name_a_person():
    titled = tagged_document("m", "Mr Brackwell resigned.", {
        "Mr Brackwell": (PERSON, "Brackwell")})
    store = store_with(("demo", [titled, *COMPANY_DOCS]))
    with store.cursor() as cursor:
        assert query.non_person_names(cursor, ["demo"]) == {}
        assert query.filter_options(cursor, ["demo"])["people"] == ["Brackwell"]
    store.close()


def test_people_count_is_the_dashboards(mixed, blair):
    for cursor, expected in ((mixed, 1), (blair, 2)):
        assert query.people_count(cursor, ["demo"]) == expected
        assert query.people_count(cursor, ["demo"]) == query.corpus_figures(
            cursor, Filters())["people"]
    assert query.people_count(mixed, ["demo"], ["h" * 64]) == 1
    assert query.people_count(mixed, ["demo"], ["i" * 64, "j" * 64]) == 0
    assert query.people_count(mixed, ["demo"], []) == 0
    assert query.people_count(blair, ["demo"], ["e" * 64]) == 2  # "Blair" counts as Tony Blair
    assert query.people_count(blair, ["private"]) == 0


# --------------------------------------------------------------------------- unnamed sources


@pytest.mark.parametrize(
    ("description", "body", "label"),
    [
        ("analysts", None, "analysts (unnamed)"),
        ("Home Office spokesman", "Home Office", "Home Office spokesman (unnamed)"),
        ("spokesman", "Cairn Energy", "spokesman, Cairn Energy (unnamed)"),
        ("spokesman for the environment ministry", "Environment Ministry",
         "spokesman for the environment ministry (unnamed)"),  # the body, whatever its case
        ("economists at Banco Austral", "Banco Austral", "economists at Banco Austral (unnamed)"),
        ("American officials", "United States", "American officials, United States (unnamed)"),
        ("porte-parole de la Société", "Société", "porte-parole de la Société (unnamed)"),
        (" Most voters ", "", "Most voters (unnamed)"),
        ("", "Cairn Energy", "Cairn Energy (unnamed)"),
        ("", None, "source (unnamed)"),
        (None, None, "source (unnamed)"),
    ],
)
def test_unnamed_label_is_the_same_in_python_and_sql(description, body, label):
    assert query.unnamed_label(description, body) == label
    with duckdb.connect() as db:
        (in_sql,) = db.execute(
            f"SELECT {query.UNNAMED_LABEL_SQL} FROM (SELECT $d::VARCHAR AS speaker_description,"
            " $b::VARCHAR AS speaker_body)", {"d": description, "b": body}).fetchone()
    assert in_sql == label


def said_by_unnamed(story: Story, mention: str, description: str, body: str | None = None):
    """Make the quote whose speaker is written ``mention`` an unnamed source's."""
    for quote in story.quotes:
        if quote.speaker_mention == mention:
            quote.speaker, quote.speaker_description, quote.speaker_body = (
                UNNAMED_SPEAKER, description, body)
    return story


def unnamed_documents() -> list[ParsedDocument]:
    """Analysts in three stories (spelt "Analysts" once, as the parser may), two unnamed
    spokesmen, one named person and one unknown speaker."""
    rates = said_by_unnamed(said_by_unnamed(make_story(
        "Rates held",
        ['"Inflation will ease," Analysts said.', '"We are watching prices," Ana Lima said.',
         '"Nothing is decided," a spokesman for Cairn Energy said.'],
        [("Inflation will ease,", "direct", "?", "Analysts", "said"),
         ("We are watching prices,", "direct", "Ana Lima", "Ana Lima", "said"),
         ("Nothing is decided,", "direct", "?", "a spokesman for Cairn Energy", "said")],
    ), "Analysts", "Analysts"), "a spokesman for Cairn Energy", "spokesman", "Cairn Energy")
    markets = said_by_unnamed(said_by_unnamed(make_story(
        "Markets calm",
        ['"Markets are calm," analysts said.', '"No comment," a Home Office spokesman said.',
         '"It was loud," someone said.'],
        [("Markets are calm,", "direct", "?", "analysts", "said"),
         ("No comment,", "direct", "?", "a Home Office spokesman", "said"),
         ("It was loud,", "direct", UNKNOWN_SPEAKER, "someone", "said")],
    ), "analysts", "analysts"), "a Home Office spokesman", "Home Office spokesman", "Home Office")
    ports = said_by_unnamed(make_story(
        "Ports reopen",
        ['"Ports in Oslo reopen," analysts said.'],
        [("Ports in Oslo reopen,", "direct", "?", "analysts", "said")],
    ), "analysts", "analysts")
    return [ParsedDocument("u" * 64, "rates.txt", "Rates page", [rates, markets],
                           date="2024-06-01"),
            ParsedDocument("v" * 64, "ports.txt", "Ports page", [ports], date="2024-06-02")]


ANALYSTS = "analysts (unnamed)"
UNNAMED_LABELS = [ANALYSTS, "Home Office spokesman (unnamed)",
                  "spokesman, Cairn Energy (unnamed)"]


@pytest.fixture()
def unnamed_con():
    store = store_with(("demo", unnamed_documents()))
    with store.cursor() as cursor:
        yield cursor
    store.close()


def test_unnamed_sources_are_no_speaker_rows_by_default(unnamed_con):
    table = query.speaker_table(unnamed_con, Filters())
    assert table[["speaker", "source"]].values.tolist() == [["Ana Lima", "named"]]
    assert set(query.speaker_topics(unnamed_con, Filters()).speaker) <= {"Ana Lima"}
    assert query.corpus_figures(unnamed_con, Filters())["speakers"] == 1


def test_unnamed_sources_are_their_own_rows_after_the_named_ones(unnamed_con):
    table = query.speaker_table(unnamed_con, Filters(), unnamed=True)
    assert table.speaker.tolist()[0] == "Ana Lima"
    assert table.source.tolist() == ["named", "unnamed", "unnamed", "unnamed"]
    assert sorted(table.speaker[1:]) == sorted(UNNAMED_LABELS)
    # "Analysts" and "analysts" in three stories are one row, spelt the way most quotes do
    analysts = table.set_index("speaker").loc[ANALYSTS]
    assert (analysts.quotes, analysts.stories, analysts.first_date, analysts.last_date) == (
        3, 3, "2024-06-01", "2024-06-02")
    assert not {UNKNOWN_SPEAKER, UNNAMED_SPEAKER} & set(table.speaker)  # never a row
    assert query.corpus_figures(unnamed_con, Filters(), unnamed=True)["speakers"] == 4
    topics = query.speaker_topics(unnamed_con, Filters(), unnamed=True)
    assert [(r.speaker, r.source, r.name) for r in topics.itertuples()] == [
        (ANALYSTS, "unnamed", "Norway")]


def test_the_speakers_quotes_follow_the_option(unnamed_con):
    """What the Who said what page downloads: the quotes of the speakers in its table."""
    def quotes(unnamed: bool) -> list[str]:
        speakers = tuple(query.speaker_table(unnamed_con, Filters(), unnamed=unnamed).speaker)
        return sorted(query.quote_rows(unnamed_con, Filters(), QuoteSearch(speakers=speakers),
                                       limit=None).quote)
    assert quotes(False) == ["We are watching prices,"]
    assert quotes(True) == sorted(["We are watching prices,", "Inflation will ease,",
                                   "Markets are calm,", "Ports in Oslo reopen,", "No comment,",
                                   "Nothing is decided,"])


def test_every_quote_is_listed_with_its_speaker_label(unnamed_con):
    rows = query.quote_rows(unnamed_con, Filters(), limit=None)
    assert len(rows) == query.count_quotes(unnamed_con, Filters()) == 7
    assert sorted(set(rows.speaker)) == sorted(["Ana Lima", UNKNOWN_SPEAKER, *UNNAMED_LABELS])
    assert set(rows.speaker_mention[rows.speaker == ANALYSTS]) == {"Analysts", "analysts"}
    facets = query.quote_facets(unnamed_con, Filters())
    assert facets["speakers"] == ["Ana Lima", ANALYSTS, *sorted(UNNAMED_LABELS[1:]),
                                  UNKNOWN_SPEAKER]  # named, unnamed, unknown
    picked = query.quote_rows(unnamed_con, Filters(), QuoteSearch(speakers=(ANALYSTS,)))
    assert sorted(picked.quote) == ["Inflation will ease,", "Markets are calm,",
                                    "Ports in Oslo reopen,"]


def test_an_unnamed_quotes_passage_marks_its_mention_as_the_speaker(unnamed_con):
    passage = query.quote_passage(unnamed_con, Filters(), "u" * 64 + ":0:2")
    assert passage.speaker == "spokesman, Cairn Energy (unnamed)"
    [paragraph], shift = passage.paragraphs, passage.first_offset
    local = {(m.kind, paragraph[m.start - shift:m.end - shift], m.label) for m in passage.marks}
    assert ("speaker", "a spokesman for Cairn Energy", passage.speaker) in local
    assert ("quote", "Nothing is decided,", f"direct quote by {passage.speaker}") in local
    detail = query.story_detail(unnamed_con, Filters(), "u" * 64 + ":1")
    assert list(detail.quotes.speaker) == [ANALYSTS, "Home Office spokesman (unnamed)",
                                           UNKNOWN_SPEAKER]


def assert_same(got, expected) -> None:
    """Two results of lib.query functions equal: frames exactly, dataclasses field by
    field, dicts, lists and tuples item by item, anything else by ==."""
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(got, expected)
    elif dataclasses.is_dataclass(expected):
        assert type(got) is type(expected)
        for field in dataclasses.fields(expected):
            assert_same(getattr(got, field.name), getattr(expected, field.name))
    elif isinstance(expected, dict):
        assert got.keys() == expected.keys()
        for key in expected:
            assert_same(got[key], expected[key])
    elif isinstance(expected, (list, tuple)):
        assert len(got) == len(expected)
        for got_item, expected_item in zip(got, expected):
            assert_same(got_item, expected_item)
    else:
        assert got == expected
