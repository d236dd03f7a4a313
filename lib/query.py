"""What the dashboard shows, computed in DuckDB: filters, figures, chart data, table rows.

Every query starts from the same two views: the documents of the collections
the visitor may see, and the *stories in view* - those naming EVERY selected
person and country. Pages show only what lies in the stories in view. Counts
for charts are aggregated in SQL so pages stay fast on thousands of documents.
All functions take a DuckDB connection (or cursor) and return plain Python or
pandas frames; nothing here knows about Streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import ClassVar

import duckdb
import pandas as pd

from lib.highlight import Mark, entity_kind
from lib.model import PARAGRAPH_SEPARATOR, QUOTE_KINDS
from lib.scope import (  # noqa: F401  (unnamed_label and its SQL are part of this API)
    FIRST_QUOTES_KEPT,
    NAMED_SOURCE,
    UNKNOWN_SOURCE,
    UNNAMED_LABEL_SQL,
    UNNAMED_SOURCE,
    people_in_scope,
    resolved_scope,
    scope_version,
    summary,
    unnamed_label,
)
from lib.store import DEMO_COLLECTION

SPOKEN_BY = "spoken_by"  # quotes whose speaker is a selected person
MENTIONING = "mentioning"  # every quote in the stories in view
ENTITY_KINDS = ("person", "country", "organisation")
# The filter a chart's entities feed (organisations are shown, not filtered on).
FILTER_FIELD = {"person": "people", "country": "countries"}
# What pages show at once; ``prepare_views`` computes the same first pages ahead.
ENTITIES_SHOWN = 15  # bars per entity chart, people in the co-occurrence heatmap
STORIES_PER_PAGE = 20
QUOTES_PER_PAGE = 25
SPEAKERS_PER_PAGE = 15  # sections on Who said what
QUOTES_PER_SPEAKER = FIRST_QUOTES_KEPT
MAX_SPEAKER_CHOICES = 2000  # choices in the Quotes page's speaker and story lists
MAX_STORY_CHOICES = 500
TOPICS_SHOWN = 500  # rows of Who said what's topics table sent to the browser on every run


@dataclass(frozen=True)
class Filters:
    """What the visitor looks at: visible collections, the selected people and countries
    (stories naming every one), outlets and authors (stories from any one), and a range of
    publication dates (inclusive; a story without a date is out of any range)."""

    collections: tuple[str, ...] = (DEMO_COLLECTION,)
    people: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def narrowed(self) -> bool:
        """Anything selected beyond the collections: the view is not the whole scope."""
        return bool(self.people or self.countries or self.outlets or self.authors
                    or self.date_from or self.date_to)

    def params(self) -> dict:
        return {
            "collections": list(self.collections),
            "people": list(self.people),
            "countries": list(self.countries),
            "n_people": len(set(self.people)),
            "n_countries": len(set(self.countries)),
            # the one country of a view that reads the per-country sums (one_country_view)
            "country": self.countries[0] if self.countries else None,
            "outlets": list(self.outlets),
            "authors": list(self.authors),
            "date_from": self.date_from,
            "date_to": self.date_to,
        }


# What every query reads, over the visitor's resolved scope (``lib.scope``): the documents
# in scope, the name maps, the people, organisations and countries of each story (one row
# per story and name, with its mentions), quotes as the scope counts them, and the
# *stories in view*: those naming every selected person and country.
VIEW_SQL = """
WITH scope_docs AS (SELECT doc_id FROM {docs}),
person_alias AS (SELECT alias, person FROM {person_alias}),
non_person AS (SELECT name, label FROM {non_person}),
story_people AS (SELECT * FROM {story_people}),
story_organisations AS (SELECT * FROM {story_organisations}),
story_countries AS (SELECT * FROM {story_countries}),
scope_quotes AS (SELECT * FROM {quotes}),
scope_stories AS (SELECT * FROM {stories}),
quote_topics AS (SELECT * FROM {quote_topics}),
speaker_story_countries AS (SELECT * FROM {speaker_countries}),
speaker_stories AS (SELECT * FROM {speaker_stories}),
country_speakers AS (SELECT * FROM {country_speakers}),
country_speaker_kinds AS (SELECT * FROM {country_speaker_kinds}),
country_speaker_countries AS (SELECT * FROM {country_speaker_countries}),
country_topics AS (SELECT * FROM {country_topics}),
view AS (
    SELECT story_no, story_id, doc_id FROM {stories}
    WHERE ($n_people = 0 OR story_no IN (
            SELECT story_no FROM {story_people} WHERE list_contains($people::VARCHAR[], person)
            GROUP BY story_no HAVING count(*) = $n_people))
      AND ($n_countries = 0 OR story_no IN (
            SELECT story_no FROM {story_countries}
            WHERE list_contains($countries::VARCHAR[], country)
            GROUP BY story_no HAVING count(*) = $n_countries))
      AND (len($outlets::VARCHAR[]) = 0 OR list_contains($outlets::VARCHAR[], outlet))
      AND (len($authors::VARCHAR[]) = 0 OR list_contains($authors::VARCHAR[], author))
      AND ($date_from::DATE IS NULL OR day >= $date_from::DATE)
      AND ($date_to::DATE IS NULL OR day <= $date_to::DATE)
)
"""
_PARAMETER = re.compile(r"\$(\w+)")


def _execute(con: duckdb.DuckDBPyConnection, sql: str, filters: Filters, extra: dict,
             summarized: bool = False):
    """``sql`` after the scope's views (``VIEW_SQL``), with the parameters it names.

    ``summarized``: a query a page opens with, whose parameters are switches and sizes,
    never visitor text. Over the whole scope (no person or country selected) its result
    is kept with the scope (``lib.scope.summary``) and read from there next time.
    """
    scope = resolved_scope(con, filters.collections)
    full = VIEW_SQL.format(**scope.table_names()) + sql
    offered = filters.params() | extra | {
        "named": NAMED_SOURCE, "unnamed": UNNAMED_SOURCE, "unknown": UNKNOWN_SOURCE}
    params = {name: offered[name] for name in set(_PARAMETER.findall(full))}
    if summarized and not filters.narrowed:
        return summary(con, scope, full, params)
    return con.execute(full, params)


def _frame(con: duckdb.DuckDBPyConnection, sql: str, filters: Filters, *,
           summarized: bool = False, **extra) -> pd.DataFrame:
    return _execute(con, sql, filters, extra, summarized).df()


def _rows(con: duckdb.DuckDBPyConnection, sql: str, filters: Filters, *,
          summarized: bool = False, **extra) -> list[tuple]:
    return _execute(con, sql, filters, extra, summarized).fetchall()


# --------------------------------------------------------------------------- people


def person_aliases(
    con: duckdb.DuckDBPyConnection, collections: Sequence[str]
) -> dict[str, str]:
    """Bare surname -> the full name it counts as, within the visible collections
    (resolved once per scope and corpus version, see ``lib.scope``)."""
    return people_in_scope(con, collections).aliases


def non_person_names(
    con: duckdb.DuckDBPyConnection, collections: Sequence[str]
) -> dict[str, str]:
    """Names tagged PERSON that count as something else in the visible collections ->
    its label ("Labour" -> "ORG"): left out of the people, ORG ones counted as
    organisations."""
    return people_in_scope(con, collections).non_people


def people_count(
    con: duckdb.DuckDBPyConnection, collections: Sequence[str],
    doc_ids: Iterable[str] | None = None,
) -> int:
    """Distinct people as the dashboard counts them (``story_people``: surnames linked,
    non-people left out) in the visible collections, or only in ``doc_ids`` of them.
    The ingest summary's count: over a whole collection it is ``corpus_figures``' people."""
    ids = None if doc_ids is None else list(dict.fromkeys(doc_ids))
    return int(_rows(
        con,
        """
        SELECT count(DISTINCT person) FROM story_people
        WHERE $every_document OR doc_id IN (SELECT unnest($doc_ids::VARCHAR[]))
        """,
        Filters(collections=tuple(collections)),
        every_document=ids is None,
        doc_ids=ids or [],
    )[0][0])


# --------------------------------------------------------------------------- corpus


def corpus_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever documents or collection memberships change: the cache key of queries."""
    return scope_version(con)


def corpus_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, unnamed: bool = False
) -> dict[str, int]:
    """Documents, stories, quotes, speakers, people and countries in the stories in view.
    Speakers are the named ones, plus each unnamed source's label with ``unnamed``."""
    row = _rows(
        con,
        """
        SELECT
          (SELECT count(DISTINCT doc_id) FROM view),
          (SELECT count(*) FROM view),
          (SELECT count(*) FROM scope_quotes WHERE story_no IN (SELECT story_no FROM view)),
          (SELECT count(DISTINCT speaker_label) FROM scope_quotes
             WHERE list_contains($sources::VARCHAR[], source)
               AND story_no IN (SELECT story_no FROM view)),
          (SELECT count(DISTINCT person) FROM story_people
             WHERE story_no IN (SELECT story_no FROM view)),
          (SELECT count(DISTINCT country) FROM story_countries
             WHERE story_no IN (SELECT story_no FROM view))
        """,
        filters,
        summarized=True,
        sources=speaker_sources(unnamed),
    )[0]
    names = ("documents", "stories", "quotes", "speakers", "people", "countries")
    return dict(zip(names, (int(value) for value in row)))


def filter_options(
    con: duckdb.DuckDBPyConnection, collections: Sequence[str]
) -> dict[str, list]:
    """Choices for the sidebar filters over the visible collections: people and countries
    most mentioned first, outlets and authors with most stories first, and ``days``: the
    first and last publication day (empty when no story has a date)."""
    scope = Filters(collections=tuple(collections))
    people = _rows(
        con,
        """
        SELECT person FROM story_people
        GROUP BY person ORDER BY sum(mentions) DESC, person
        """,
        scope,
        summarized=True,
    )
    countries = _rows(
        con,
        """
        SELECT country FROM story_countries
        WHERE story_no IN (SELECT story_no FROM view)
        GROUP BY country ORDER BY sum(mentions) DESC, country
        """,
        scope,
        summarized=True,
    )
    # outlets and authors, most stories first; the first and last publication day
    sources = _rows(
        con,
        """
        SELECT 'outlet' AS field, outlet AS name, count(*) AS n FROM scope_stories
        WHERE outlet IS NOT NULL AND outlet <> '' GROUP BY outlet
        UNION ALL
        SELECT 'author', author, count(*) FROM scope_stories
        WHERE author IS NOT NULL AND author <> '' GROUP BY author
        UNION ALL
        SELECT 'day', min(day)::VARCHAR, 0 FROM scope_stories HAVING min(day) IS NOT NULL
        UNION ALL
        SELECT 'day', max(day)::VARCHAR, 1 FROM scope_stories HAVING max(day) IS NOT NULL
        ORDER BY field, n DESC, name
        """,
        scope,
        summarized=True,
    )
    by_field: dict[str, list[str]] = {"outlet": [], "author": [], "day": []}
    for field_name, name, _ in sources:
        by_field[field_name].append(name)
    days = sorted(by_field["day"])
    return {"people": [r[0] for r in people], "countries": [r[0] for r in countries],
            "outlets": by_field["outlet"], "authors": by_field["author"],
            "days": [dt.date.fromisoformat(day) for day in days]}


# --------------------------------------------------------------------------- pagination


def page_count(total: int, page_size: int) -> int:
    return max(1, math.ceil(total / page_size)) if page_size > 0 else 1


def page_offset(page: int, total: int, page_size: int) -> int:
    """Row offset of a 1-based page, clamped to the pages that exist."""
    page = min(max(1, page), page_count(total, page_size))
    return (page - 1) * page_size


# --------------------------------------------------------------------------- stories


def count_stories(con: duckdb.DuckDBPyConnection, filters: Filters) -> int:
    return int(_rows(con, "SELECT count(*) FROM view", filters, summarized=True)[0][0])


def story_list(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, offset: int = 0,
    limit: int | None = 20,
) -> pd.DataFrame:
    """One row per story in view: headline, outlet, date, counts; newest first (every one
    with ``limit=None``: a download)."""
    return _frame(
        con,
        """
        , shown AS (  -- the page first: counts only for the stories shown
            SELECT s.story_no, s.story_id, s.headline, s.outlet, s.date, s.title AS page,
                   s.source, s.link, s.n_quotes AS quotes
            FROM scope_stories s WHERE s.story_no IN (SELECT story_no FROM view)
            ORDER BY s.story_no
            LIMIT $limit OFFSET $offset
        ), people AS (
            SELECT story_no, count(*) AS people FROM story_people
            WHERE story_no IN (SELECT story_no FROM shown) GROUP BY story_no
        ), places AS (
            SELECT story_no, count(*) AS countries FROM story_countries
            WHERE story_no IN (SELECT story_no FROM shown) GROUP BY story_no
        )
        SELECT shown.story_id, headline, outlet, date, page, source, link,
               coalesce(people.people, 0) AS people,
               coalesce(places.countries, 0) AS countries, quotes
        FROM shown LEFT JOIN people USING (story_no) LEFT JOIN places USING (story_no)
        ORDER BY story_no
        """,
        filters,
        summarized=offset == 0 and limit is not None,  # the first page: later ones are rare
        limit=None if limit is None else int(limit),
        offset=int(offset),
    )


@dataclass
class StoryDetail:
    story_id: str
    headline: str
    paragraphs: list[str]
    captions: list[str]
    page: str | None
    outlet: str | None
    date: str | None
    source: str | None
    entities: pd.DataFrame  # one row per mention
    quotes: pd.DataFrame  # one row per quote
    marks: list[Mark] = field(default_factory=list)
    published: str | None = None  # a live page's post: when it was published, if known


def story_detail(
    con: duckdb.DuckDBPyConnection, filters: Filters, story_id: str
) -> StoryDetail | None:
    """One story of the visible collections with its mentions, quotes and highlights."""
    rows = _rows(
        con,
        """
        SELECT s.story_id, s.headline, s.paragraphs, s.captions, d.title, d.outlet, d.date,
               d.source, s.published
        FROM stories s JOIN documents d ON d.doc_id = s.doc_id
        WHERE s.story_id = $story_id AND s.doc_id IN (SELECT doc_id FROM scope_docs)
        """,
        filters,
        story_id=story_id,
    )
    if not rows:
        return None
    sid, headline, paragraphs, captions, page, outlet, date, source, published = rows[0]
    entities = _frame(
        con,
        """
        SELECT e.start_char, e.end_char, e.text, coalesce(n.label, e.label) AS label,
               CASE WHEN e.label = 'PERSON' AND n.label IS NULL
                    THEN coalesce(a.person, e.canonical) ELSE e.canonical END AS canonical,
               e.country, e.country_code
        FROM entities e LEFT JOIN person_alias a ON a.alias = e.canonical
        LEFT JOIN non_person n ON e.label = 'PERSON' AND n.name = e.canonical
        WHERE e.story_id = $story_id ORDER BY e.start_char
        """,
        filters,
        story_id=story_id,
    )
    quotes = _frame(
        con,
        """
        SELECT quote_id, quote_idx, text, kind, speaker_label AS speaker, speaker_mention, cue,
               spans, speaker_start, speaker_end, cue_start, cue_end, paragraph
        FROM scope_quotes WHERE story_id = $story_id ORDER BY quote_idx
        """,
        filters,
        story_id=story_id,
    )
    marks = entity_marks(entities) + quote_marks(quotes)
    return StoryDetail(sid, headline or "", list(paragraphs or []), list(captions or []),
                       page, outlet, date, source, entities, quotes, marks, published)


def entity_marks(entities: pd.DataFrame) -> list[Mark]:
    marks = []
    for row in entities.itertuples(index=False):
        country = row.country if _present(row.country) else None
        kind = entity_kind(row.label, country)
        if kind is not None:
            label = country if kind == "place" and country else row.canonical
            marks.append(Mark(int(row.start_char), int(row.end_char), kind, label))
    return marks


def quote_marks(quotes: pd.DataFrame) -> list[Mark]:
    marks = []
    for row in quotes.itertuples(index=False):
        marks.extend(_one_quote_marks(row))
    return marks


def _one_quote_marks(row) -> list[Mark]:
    marks = [Mark(int(s), int(e), "quote", f"{row.kind} quote by {row.speaker}")
             for s, e in _spans(row.spans)]
    if _present(row.speaker_start) and _present(row.speaker_end):
        marks.append(Mark(int(row.speaker_start), int(row.speaker_end), "speaker", row.speaker))
    if _present(row.cue_start) and _present(row.cue_end):
        marks.append(Mark(int(row.cue_start), int(row.cue_end), "cue", row.cue))
    return marks


def _spans(spans) -> list[tuple[int, int]]:
    if spans is None:
        return []
    return [(int(pair[0]), int(pair[1])) for pair in spans if pair is not None and len(pair) == 2]


def _present(value) -> bool:
    return value is not None and not pd.isna(value)


def story_people_and_places(detail: StoryDetail) -> tuple[list[str], list[str]]:
    """The people and countries a story names, most mentioned first (for filter buttons)."""
    entities = detail.entities
    people = entities[entities.label == "PERSON"].canonical.value_counts()
    countries = entities[entities.country.notna()].country.value_counts()
    return list(people.index), list(countries.index)


# --------------------------------------------------------------------------- entities


# kind -> (name column, table of names per story)
_ENTITY_SOURCE = {
    "person": ("person", "story_people"),
    "country": ("country", "story_countries"),
    "organisation": ("organisation", "story_organisations"),
}


def entity_counts(
    con: duckdb.DuckDBPyConnection, filters: Filters, kind: str, *, limit: int = 15
) -> pd.DataFrame:
    """Most mentioned people / countries / organisations: name, mentions, stories (, iso3)."""
    return top_entities(con, filters, (kind,), limit=limit)[kind]


def top_entities(
    con: duckdb.DuckDBPyConnection, filters: Filters, kinds: Sequence[str] = ENTITY_KINDS,
    *, limit: int | None = 15,
) -> dict[str, pd.DataFrame]:
    """``entity_counts`` for several kinds in one query (the stories in view found once);
    every name with ``limit=None`` (a download)."""
    parts = []
    for kind in kinds:
        column, table = _ENTITY_SOURCE[kind]
        iso = "any_value(country_code)" if kind == "country" else "NULL::VARCHAR"
        parts.append(f"""
            SELECT '{kind}' AS kind, {column} AS name, sum(mentions)::BIGINT AS mentions,
                   count(*) AS stories, {iso} AS iso3
            FROM {table} WHERE story_no IN (SELECT story_no FROM view)
            GROUP BY {column}""")
    frame = _frame(
        con,
        f"""
        SELECT * FROM ({" UNION ALL ".join(parts)})
        QUALIFY $limit::BIGINT IS NULL OR row_number() OVER (
            PARTITION BY kind ORDER BY mentions DESC, stories DESC, name) <= $limit
        ORDER BY kind, mentions DESC, stories DESC, name
        """,
        filters,
        summarized=limit is not None,
        limit=None if limit is None else int(limit),
    )
    columns = {kind: ["name", "mentions", "stories"] + (["iso3"] if kind == "country" else [])
               for kind in kinds}
    return {kind: frame[frame.kind == kind][columns[kind]].reset_index(drop=True)
            for kind in kinds}


def entity_table(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every person, country and organisation named in the stories in view, most mentioned
    first within each kind: kind, name, mentions, stories, iso3 (a download)."""
    every = top_entities(con, filters, limit=None)
    return pd.concat([frame.assign(kind=kind) for kind, frame in every.items()],
                     ignore_index=True)[["kind", "name", "mentions", "stories", "iso3"]]


def country_map(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every country in view with its ISO alpha-3 code, for a choropleth."""
    return _frame(
        con,
        """
        SELECT country AS name, any_value(country_code) AS iso3,
               sum(coded)::BIGINT AS mentions, count(*) AS stories
        FROM story_countries
        WHERE coded > 0 AND story_no IN (SELECT story_no FROM view)
        GROUP BY country ORDER BY mentions DESC, name
        """,
        filters,
        summarized=True,
    )


def cooccurrence(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, top: int = 12
) -> pd.DataFrame:
    """Pairs among the ``top`` most mentioned people, with the stories naming both."""
    return _frame(
        con,
        """
        , people AS (
            SELECT story_no, person FROM story_people
            WHERE story_no IN (SELECT story_no FROM view)
        ), top_people AS (
            SELECT person FROM people GROUP BY person
            ORDER BY count(*) DESC, person LIMIT $top
        ), kept AS (
            SELECT * FROM people WHERE person IN (SELECT person FROM top_people)
        )
        SELECT a.person AS person, b.person AS with_person, count(*) AS stories
        FROM kept a JOIN kept b ON a.story_no = b.story_no AND a.person < b.person
        GROUP BY ALL ORDER BY stories DESC, person, with_person
        """,
        filters,
        summarized=True,
        top=int(top),
    )


def cooccurrence_matrix(pairs: pd.DataFrame) -> pd.DataFrame:
    """Symmetric person x person table of shared stories from ``cooccurrence`` pairs."""
    if pairs.empty:
        return pd.DataFrame()
    names = sorted(set(pairs.person) | set(pairs.with_person))
    matrix = pd.DataFrame(0, index=names, columns=names, dtype="int64")
    for row in pairs.itertuples(index=False):
        matrix.loc[row.person, row.with_person] = row.stories
        matrix.loc[row.with_person, row.person] = row.stories
    return matrix


def selection_values(
    selection: Mapping | None, *, iso_to_name: Mapping[str, str] | None = None
) -> list[str]:
    """Names picked in a plotly chart selection (bar: customdata/y/x, map: location).

    Charts put the entity name first in ``customdata``; a map point may carry only
    its ISO code, translated with ``iso_to_name``.
    """
    points = ((selection or {}).get("selection") or {}).get("points") or []
    names = []
    for point in points:
        name = _point_name(point, iso_to_name or {})
        if name and name not in names:
            names.append(name)
    return names


def _point_name(point: Mapping, iso_to_name: Mapping[str, str]) -> str | None:
    custom = point.get("customdata")
    if isinstance(custom, (list, tuple)) and custom and isinstance(custom[0], str):
        return custom[0]
    if isinstance(custom, str):
        return custom
    location = point.get("location")
    if isinstance(location, str):
        return iso_to_name.get(location)
    for axis in ("y", "x"):
        value = point.get(axis)
        if isinstance(value, str):
            return value
    return None


def filter_after_selection(
    current: Sequence[str], kind: str, picked: Sequence[str], options: Iterable[str]
) -> list[str] | None:
    """The new value of the filter a chart of ``kind`` feeds, or None when nothing changes.

    Picked names join the current selection (a story in view must name them all);
    names the filter does not offer are dropped.
    """
    if kind not in FILTER_FIELD:
        return None
    allowed = set(options)
    added = [name for name in picked if name in allowed and name not in current]
    return list(current) + added if added else None


# --------------------------------------------------------------------------- over time

TIMELINE_KINDS = ("person", "country", "outlet")
TIMELINE_NAMES = 5  # lines drawn when nobody is picked: the most mentioned in view
# A day of the view's span -> the period its stories are counted by: days up to two
# months, weeks up to two years, months beyond (a line of a few dozen points).
TIMELINE_PERIODS = ((62, "day"), (730, "week"))
# Per kind: one row per story and name with its mentions (an outlet: its stories), and
# how a story's quotes are counted for the name (a person's: the quotes they spoke).
_TIMELINE_NAMES = {
    "person": "SELECT story_no, person AS name, mentions FROM story_people",
    "country": "SELECT story_no, country AS name, mentions FROM story_countries",
    "outlet": "SELECT story_no, outlet AS name, 1 AS mentions FROM scope_stories "
              "WHERE outlet IS NOT NULL AND outlet <> ''",
}


@dataclass(frozen=True)
class Timeline:
    """Stories, mentions and quotes per period for a few names of one kind."""

    rows: pd.DataFrame  # period (first day), name, stories, mentions, quotes
    period: str  # "day", "week" or "month"
    undated: int  # stories in view without a publication day, left out


def timeline_period(first: dt.date | None, last: dt.date | None) -> str:
    """The period to count by for a view whose stories run from ``first`` to ``last``."""
    span = (last - first).days if first and last else 0
    return next((period for days, period in TIMELINE_PERIODS if span <= days), "month")


def timeline(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, kind: str = "person",
    names: Sequence[str] = (), top: int = TIMELINE_NAMES,
) -> Timeline:
    """Per period of the publication day, for ``names`` (or the ``top`` most mentioned
    of ``kind`` in view): the stories in view naming each, their mentions, and quotes (a
    person's: the quotes they spoke there; a country's or outlet's: every quote of those
    stories). Stories without a day are counted apart (``undated``)."""
    if kind not in TIMELINE_KINDS:
        raise ValueError(f"kind must be one of {TIMELINE_KINDS}, not {kind!r}")
    first, last, undated = _rows(
        con,
        """
        SELECT min(s.day), max(s.day), count(*) FILTER (s.day IS NULL)
        FROM scope_stories s WHERE s.story_no IN (SELECT story_no FROM view)
        """,
        filters,
    )[0]
    period = timeline_period(first, last)
    quoted_by = "q.speaker_label" if kind == "person" else "NULL"
    rows = _frame(
        con,
        f"""
        , dated AS (
            SELECT story_no, day FROM scope_stories
            WHERE day IS NOT NULL AND story_no IN (SELECT story_no FROM view)
        ), named AS (
            SELECT n.* FROM ({_TIMELINE_NAMES[kind]}) n
            WHERE n.story_no IN (SELECT story_no FROM dated)
        ), picked AS (
            SELECT name FROM named
            WHERE len($names::VARCHAR[]) = 0 OR list_contains($names::VARCHAR[], name)
            GROUP BY name ORDER BY sum(mentions) DESC, name
            LIMIT CASE WHEN len($names::VARCHAR[]) = 0 THEN $top END
        ), story_quotes AS (
            SELECT q.story_no, {quoted_by} AS speaker, count(*) AS quotes
            FROM scope_quotes q WHERE q.story_no IN (SELECT story_no FROM dated)
            GROUP BY ALL
        )
        SELECT date_trunc($period, d.day)::DATE AS period, n.name, count(*) AS stories,
               sum(n.mentions)::BIGINT AS mentions, coalesce(sum(q.quotes), 0)::BIGINT AS quotes
        FROM named n JOIN dated d USING (story_no)
        LEFT JOIN story_quotes q ON q.story_no = n.story_no
             AND (q.speaker IS NULL OR q.speaker = n.name)
        WHERE n.name IN (SELECT name FROM picked)
        GROUP BY ALL ORDER BY period, n.name
        """,
        filters,
        names=list(names),
        top=int(top),
        period=period,
    )
    return Timeline(rows, period, int(undated))


# --------------------------------------------------------------------------- search

SEARCH_NAMES_SHOWN = 30


def _all_words(column: str, words: Sequence[str]) -> str:
    """SQL true when the lowercased ``column`` holds every one of ``words`` ($word0...)."""
    return " AND ".join(f"contains({column}, $word{i})" for i in range(len(words))) or "FALSE"


def _word_params(words: Sequence[str]) -> dict:
    return {f"word{i}": word.lower() for i, word in enumerate(words)}


def search_names(
    con: duckdb.DuckDBPyConnection, filters: Filters, words: Sequence[str], *,
    limit: int = SEARCH_NAMES_SHOWN,
) -> pd.DataFrame:
    """People, countries and organisations named in the stories in view whose name holds
    every word (case-insensitive): kind, name, stories, mentions; most mentioned first."""
    words = list(words)
    return _frame(
        con,
        f"""
        , named AS (
            SELECT 'person' AS kind, person AS name, story_no, mentions FROM story_people
            UNION ALL
            SELECT 'country', country, story_no, mentions FROM story_countries
            UNION ALL
            SELECT 'organisation', organisation, story_no, mentions FROM story_organisations
        )
        SELECT kind, name, count(*) AS stories, sum(mentions)::BIGINT AS mentions
        FROM named
        WHERE story_no IN (SELECT story_no FROM view) AND {_all_words("lower(name)", words)}
        GROUP BY kind, name
        ORDER BY mentions DESC, stories DESC, name, kind
        LIMIT $limit
        """,
        filters,
        limit=int(limit),
        **_word_params(words),
    )


@dataclass(frozen=True)
class StoryMatches:
    """One page of the stories in view whose headline or text holds every searched word."""

    rows: pd.DataFrame  # story_id, headline, outlet, date, source, text (for a snippet)
    total: int


def search_stories(
    con: duckdb.DuckDBPyConnection, filters: Filters, words: Sequence[str], *,
    offset: int = 0, limit: int = STORIES_PER_PAGE,
) -> StoryMatches:
    """The stories in view whose headline or paragraphs hold every word (case-insensitive),
    in list order (newest first), one page, with their text for a snippet. A scan of the
    stories' text: fine for tens of thousands of stories, not indexed for millions."""
    words = list(words)
    rows = _frame(
        con,
        f"""
        , matched AS (
            SELECT n.story_no, n.story_id, n.headline, n.outlet, n.date, n.source,
                   array_to_string(s.paragraphs, ' ') AS text
            FROM scope_stories n JOIN stories s USING (story_id)
            WHERE n.story_no IN (SELECT story_no FROM view)
              AND {_all_words("lower(coalesce(n.headline, '') || ' ' || "
                              "array_to_string(s.paragraphs, ' '))", words)}
        )
        SELECT story_id, headline, outlet, date, source, text, count(*) OVER () AS total
        FROM matched ORDER BY story_no LIMIT $limit OFFSET $offset
        """,
        filters,
        limit=int(limit),
        offset=int(offset),
        **_word_params(words),
    )
    total = int(rows.total.iloc[0]) if len(rows) else (
        0 if offset == 0 else search_stories(con, filters, words, limit=1).total)
    return StoryMatches(rows.drop(columns="total"), total)


# --------------------------------------------------------------------------- quotes


def _quote_where(mode: str, filters: Filters) -> str:
    if mode == SPOKEN_BY and filters.people:
        return "AND list_contains($people::VARCHAR[], q.speaker)"
    return ""


@dataclass(frozen=True)
class QuoteSearch:
    """Which quotes of the stories in view a table shows: spoken by the selected people
    or all quotes mentioning them, narrowed by text, speakers, kinds, one story and whom
    they are from (``sources``: named, unnamed, unknown; what Who said what lists)."""

    mode: str = SPOKEN_BY
    search: str = ""
    speakers: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    story_id: str | None = None
    sources: tuple[str, ...] = ()

    def sql(self, filters: Filters) -> tuple[str, dict]:
        """The WHERE clauses (after ``WHERE TRUE``) over ``scope_quotes q``, and their params."""
        clauses = [_quote_where(self.mode, filters)]
        params: dict = {}
        if self.search:
            clauses.append("AND contains(q.search_text, lower($search))")
            params["search"] = self.search
        if self.speakers:
            clauses.append("AND list_contains($speakers::VARCHAR[], q.speaker_label)")
            params["speakers"] = list(self.speakers)
        if self.kinds:
            clauses.append("AND list_contains($kinds::VARCHAR[], q.kind)")
            params["kinds"] = list(self.kinds)
        if self.story_id:
            clauses.append("AND q.story_id = $story_id")
            params["story_id"] = self.story_id
        if self.sources:
            clauses.append("AND list_contains($quote_sources::VARCHAR[], q.source)")
            params["quote_sources"] = list(self.sources)
        return " ".join(clauses), params


def quote_rows(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    search: QuoteSearch = QuoteSearch(),
    *,
    offset: int = 0,
    limit: int | None = 25,
) -> pd.DataFrame:
    """Quotes in the stories in view that the search selects, newest first, one page
    (every one with ``limit=None``)."""
    where, params = search.sql(filters)
    if limit is None:
        return _frame(
            con,
            f"""
            SELECT {_QUOTE_ROW_COLUMNS}
            FROM scope_quotes q
            WHERE q.story_no IN (SELECT story_no FROM view) {where}
            ORDER BY q.listing_order
            """,
            filters,
            **params,
        )
    # The page's quotes first, reading only what sorts them; what they show after.
    shown = _frame(
        con,
        f"""
        SELECT q.listing_order
        FROM scope_quotes q
        WHERE q.story_no IN (SELECT story_no FROM view) {where}
        ORDER BY q.listing_order
        LIMIT $limit OFFSET $offset
        """,
        filters,
        summarized=search == QuoteSearch(mode=search.mode) and offset == 0,
        limit=int(limit),
        offset=int(offset),
        **params,
    )
    return _quotes_at(con, filters, shown.listing_order).drop(columns="listing_order")


# What a quote table shows of each quote (``quote_rows``), over ``scope_quotes q``.
_QUOTE_ROW_COLUMNS = """q.quote_id, q.speaker_label AS speaker, q.text AS quote, q.cue, q.kind,
               q.headline AS story, q.outlet, q.date, q.speaker_mention, q.link, q.story_id"""


def _quotes_at(
    con: duckdb.DuckDBPyConnection, filters: Filters, places: Iterable[int]
) -> pd.DataFrame:
    """The quote rows tables show (``quote_rows``' columns and ``listing_order``) of one page
    of quotes, by their place in the list, in that order. The scope's quotes are stored in
    list order, so the places' min/max find the row groups holding them; ``= ANY(list)``
    is a filter on the scan, where a long ``IN (...)`` of literals becomes a join that
    reads every quote's text (150 scattered places at 1M quotes: 0.05 s against 0.4 s)."""
    return _frame(
        con,
        f"""
        SELECT {_QUOTE_ROW_COLUMNS}, q.listing_order
        FROM scope_quotes q WHERE q.listing_order = ANY($places::BIGINT[])
        ORDER BY q.listing_order
        """,
        filters,
        places=[int(place) for place in places],
    )


def count_quotes(
    con: duckdb.DuckDBPyConnection, filters: Filters, search: QuoteSearch = QuoteSearch()
) -> int:
    where, params = search.sql(filters)
    return int(_rows(
        con,
        f"SELECT count(*) FROM scope_quotes q WHERE q.story_no IN (SELECT story_no FROM view) "
        f"{where}",
        filters,
        summarized=search == QuoteSearch(mode=search.mode),
        **params,
    )[0][0])


def quote_facets(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, mode: str = SPOKEN_BY
) -> dict[str, list]:
    """Choices for the quote filters: speakers (named ones most quoted first, then unnamed
    sources' labels, then unknown), kinds, stories. A list a visitor can pick from, so
    the most quoted ``MAX_SPEAKER_CHOICES`` speakers and ``MAX_STORY_CHOICES`` stories
    (the search finds the others)."""
    where = _quote_where(mode, filters)
    # one pass: a row per speaker, per kind and per story (grouping sets)
    rows = _rows(
        con,
        f"""
        , facets AS (
            SELECT grouping(q.speaker_label, q.kind, q.story_no) AS facet, q.speaker_label,
                   q.kind, q.story_no, count(*) AS n, any_value(q.source) AS source
            FROM scope_quotes q WHERE q.story_no IN (SELECT story_no FROM view) {where}
            GROUP BY GROUPING SETS ((q.speaker_label), (q.kind), (q.story_no))
        ), kept AS (
            SELECT * FROM facets
            QUALIFY facet = $only_kind OR row_number() OVER (
                PARTITION BY facet ORDER BY CASE WHEN facet <> $only_speaker THEN 0
                    WHEN source = $named THEN 0 WHEN source = $unnamed THEN 1 ELSE 2 END,
                n DESC, speaker_label, story_no)
                <= CASE facet WHEN $only_speaker THEN $max_speakers ELSE $max_stories END
        )
        SELECT k.facet, k.speaker_label, k.kind, s.story_id, s.headline, k.n, k.source
        FROM kept k LEFT JOIN scope_stories s ON s.story_no = k.story_no
        """,
        filters,
        summarized=True,
        only_kind=_ONLY_KIND,
        only_speaker=_ONLY_SPEAKER,
        max_speakers=MAX_SPEAKER_CHOICES,
        max_stories=MAX_STORY_CHOICES,
    )
    by_facet: dict[str, list] = {"speaker": [], "kind": [], "story": []}
    for facet, speaker, kind, story_id, headline, n, source in rows:
        if facet == _ONLY_SPEAKER:
            by_facet["speaker"].append((_SOURCE_ORDER.get(source, len(_SOURCE_ORDER)), -n,
                                        speaker or "", speaker))
        elif facet == _ONLY_KIND:
            by_facet["kind"].append(kind)
        else:
            by_facet["story"].append((headline or "", story_id))
    kinds = set(by_facet["kind"])
    return {
        "speakers": [speaker for *_, speaker in sorted(by_facet["speaker"])],
        "kinds": [k for k in QUOTE_KINDS if k in kinds] + sorted(kinds - set(QUOTE_KINDS)),
        "stories": [(story_id, headline or "(untitled)")
                    for headline, story_id in sorted(by_facet["story"])],
    }


# grouping(speaker_label, kind, story_no): a bit set for each column NOT grouped by
_ONLY_SPEAKER, _ONLY_KIND = 0b011, 0b101
_SOURCE_ORDER = {NAMED_SOURCE: 0, UNNAMED_SOURCE: 1, UNKNOWN_SOURCE: 2}  # speakers apart


@dataclass
class Passage:
    """The paragraph(s) holding a quote, with the quote, its speaker and cue marked."""

    headline: str
    paragraphs: list[str]
    first_offset: int  # where the first paragraph starts in the story text
    marks: list[Mark]
    speaker: str
    kind: str


def quote_passage(
    con: duckdb.DuckDBPyConnection, filters: Filters, quote_id: str
) -> Passage | None:
    rows = _rows(
        con,
        """
        SELECT s.headline, s.paragraphs, q.kind, q.speaker_label, q.cue, q.spans,
               q.speaker_start, q.speaker_end, q.cue_start, q.cue_end
        FROM scope_quotes q JOIN stories s ON s.story_id = q.story_id
        WHERE q.quote_id = $quote_id
        """,
        filters,
        quote_id=quote_id,
    )
    if not rows:
        return None
    headline, paragraphs, *fields = rows[0]
    quote = SimpleNamespace(**dict(zip(
        ("kind", "speaker", "cue", "spans", "speaker_start", "speaker_end", "cue_start",
         "cue_end"), fields)))  # the attributes _one_quote_marks reads from a table row
    marks = _one_quote_marks(quote)
    paragraphs = list(paragraphs or [])
    points = [m.start for m in marks] + [m.end - 1 for m in marks]
    first, last = _paragraph_range(paragraphs, points)
    first_offset = sum(len(p) + len(PARAGRAPH_SEPARATOR) for p in paragraphs[:first])
    return Passage(headline or "", paragraphs[first : last + 1], first_offset, marks,
                   str(quote.speaker), str(quote.kind))


def _paragraph_range(paragraphs: Sequence[str], offsets: Sequence[int]) -> tuple[int, int]:
    if not paragraphs or not offsets:
        return 0, max(len(paragraphs) - 1, 0)
    starts, position = [], 0
    for paragraph in paragraphs:
        starts.append(position)
        position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    indexes = [max(i for i, start in enumerate(starts) if start <= max(offset, 0))
               for offset in offsets]
    return min(indexes), max(indexes)


# --------------------------------------------------------------------------- who said what


def speaker_sources(unnamed: bool) -> list[str]:
    """The sources whose speakers are rows: named, and unnamed ones when asked; never unknown."""
    return [NAMED_SOURCE, UNNAMED_SOURCE] if unnamed else [NAMED_SOURCE]


def one_country_view(filters: Filters) -> bool:
    """The stories in view are those naming one country, nothing else selected: Who said what
    then reads the scope's per-country sums (``lib.scope``'s country_* tables), the same
    figures as summing over the view's quotes, without reading each of them."""
    return (len(set(filters.countries)) == 1
            and not replace(filters, countries=()).narrowed)


def speaker_table(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, mode: str = SPOKEN_BY,
    unnamed: bool = False,
) -> pd.DataFrame:
    """One row per canonical speaker: source, quotes, stories, kinds, countries, first/last
    date. Named speakers only, unless ``unnamed``: then also one row per unnamed source's
    label ("analysts (unnamed)"), after the named ones. Unknown is never a row."""
    if one_country_view(filters):
        speakers = """
        , kinds AS (
            SELECT speaker_label AS speaker,
                   string_agg(kind || ' ' || quotes, ', ' ORDER BY quotes DESC, kind) AS kinds
            FROM country_speaker_kinds
            WHERE country = $country AND list_contains($sources::VARCHAR[], source)
            GROUP BY speaker_label
        ), countries AS (
            SELECT speaker_label AS speaker,
                   string_agg(named_too, ', ' ORDER BY mentions DESC, named_too) AS countries
            FROM country_speaker_countries
            WHERE country = $country AND list_contains($sources::VARCHAR[], source)
            GROUP BY speaker_label
        ), speakers AS (
            SELECT s.speaker_label AS speaker, s.source, s.quotes, s.stories, kinds.kinds,
                   countries.countries, s.first_date, s.last_date
            FROM country_speakers s JOIN kinds ON kinds.speaker = s.speaker_label
            LEFT JOIN countries ON countries.speaker = s.speaker_label
            WHERE s.country = $country AND list_contains($sources::VARCHAR[], s.source)
        )"""
    else:
        where = _quote_where(mode, filters)
        speakers = f"""
        , said AS (
            SELECT q.* REPLACE (q.speaker_label AS speaker)
            FROM scope_quotes q WHERE q.story_no IN (SELECT story_no FROM view)
              AND list_contains($sources::VARCHAR[], q.source) {where}
        ), speaker_countries AS (
            SELECT q.speaker_label AS speaker, q.country, sum(q.mentions) AS n
            FROM speaker_story_countries q WHERE q.story_no IN (SELECT story_no FROM view)
              AND list_contains($sources::VARCHAR[], q.source) {where}
            GROUP BY ALL
        ), kinds AS (
            SELECT speaker, string_agg(kind || ' ' || n, ', ' ORDER BY n DESC, kind) AS kinds
            FROM (SELECT speaker, kind, count(*) AS n FROM said GROUP BY ALL) GROUP BY speaker
        ), speakers AS (
            SELECT said.speaker, any_value(said.source) AS source, count(*) AS quotes,
                   count(DISTINCT said.story_no) AS stories,
                   any_value(kinds.kinds) AS kinds,
                   (SELECT string_agg(country, ', ' ORDER BY n DESC, country)
                      FROM speaker_countries c WHERE c.speaker = said.speaker) AS countries,
                   min(said.date) AS first_date, max(said.date) AS last_date
            FROM said
            JOIN kinds ON kinds.speaker = said.speaker
            GROUP BY said.speaker
        )"""
    return _frame(
        con,
        speakers + """
        SELECT * FROM speakers ORDER BY source <> $named, quotes DESC, stories DESC, speaker
        """,
        filters,
        summarized=True,
        sources=speaker_sources(unnamed),
    )


def _topic_pairs(filters: Filters, mode: str, speakers: Sequence[str] | None) -> str:
    """The ``pairs`` of speaker and person or country named inside their quotes, as a CTE
    (``speaker_topics``' columns): over the view's quotes, or one country's sums."""
    only = ("AND list_contains($speakers::VARCHAR[], q.speaker_label)"
            if speakers is not None else "")
    if one_country_view(filters):
        return f"""
        , pairs AS (
            SELECT q.speaker_label AS speaker, q.source, q.about, q.name, q.mentions, q.quotes
            FROM country_topics q
            WHERE q.country = $country AND list_contains($sources::VARCHAR[], q.source) {only}
        )"""
    return f"""
        , pairs AS (
            SELECT q.speaker_label AS speaker, q.source, q.about, q.name,
                   sum(q.mentions)::BIGINT AS mentions, count(*) AS quotes
            FROM quote_topics q
            WHERE q.story_no IN (SELECT story_no FROM view)
              AND list_contains($sources::VARCHAR[], q.source) {_quote_where(mode, filters)}
              {only}
            GROUP BY q.speaker_label, q.source, q.about, q.name
        )"""


def speaker_topics(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, mode: str = SPOKEN_BY,
    unnamed: bool = False, speakers: Sequence[str] | None = None, summarized: bool = False,
) -> pd.DataFrame:
    """People and countries each speaker talks about: entities inside their quote spans.
    Speakers as in ``speaker_table``: named only, unless ``unnamed``; only ``speakers``
    (one page of them) when given."""
    return _frame(
        con,
        _topic_pairs(filters, mode, speakers) + """
        SELECT * FROM pairs ORDER BY source <> $named, speaker, mentions DESC, name
        """,
        filters,
        summarized=speakers is None or summarized,
        sources=speaker_sources(unnamed),
        speakers=list(speakers or []),
    )


@dataclass(frozen=True)
class SpeakerSection:
    """What one speaker said, as the Who said what page lists it under their name."""

    speaker: str
    quotes: pd.DataFrame  # their first quotes in view: COLUMNS
    more_quotes: int  # how many more are in view
    talks_about: dict[str, str]  # "person"/"country" -> "Gordon Brown (3), Iraq (1)"

    COLUMNS: ClassVar[tuple[str, ...]] = ("quote", "cue", "kind", "story", "date")


def speaker_sections(
    con: duckdb.DuckDBPyConnection, filters: Filters, speakers: Sequence[str], *,
    mode: str = SPOKEN_BY, unnamed: bool = False, quotes_shown: int = 10,
) -> list[SpeakerSection]:
    """One section per speaker of one page of the speaker table, in its order: one query
    and one grouping for the page, not one scan of every quote and topic per speaker."""
    speakers = list(speakers)
    if not 0 < quotes_shown <= FIRST_QUOTES_KEPT:
        raise ValueError(f"quotes_shown must be 1 to {FIRST_QUOTES_KEPT}, not {quotes_shown}")
    where, params = QuoteSearch(mode=mode, speakers=tuple(speakers)).sql(filters)
    # the page Who said what opens with is kept with the scope; later pages are not
    opening = (not filters.narrowed and speakers == list(
        speaker_table(con, filters, mode=mode, unnamed=unnamed).speaker[:SPEAKERS_PER_PAGE]))
    # each speaker's first quotes in the Quotes page's order and how many they have, by
    # their place in the list, from one row per story and speaker (``speaker_stories``,
    # sorted by speaker: only the page's speakers' rows are read): a story's quotes are
    # together in the list, so a speaker's first n quotes lie in the n stories where they
    # come first; what the quotes show is read after, for those places only
    ranked = _frame(
        con,
        f"""
        SELECT speaker, unnest(first) AS listing_order, said FROM (
            SELECT q.speaker_label AS speaker, sum(q.quotes)::BIGINT AS said,
                   list_sort(flatten(min_by(q.orders, q.first_order, $shown)))[1:$shown]
                       AS first
            FROM speaker_stories q
            WHERE q.story_no IN (SELECT story_no FROM view) {where}
            GROUP BY q.speaker_label)
        ORDER BY speaker, listing_order
        """,
        filters,
        summarized=opening,
        shown=int(quotes_shown),
        **params,
    )
    shown = _quotes_at(con, filters, ranked.listing_order).set_index("listing_order")
    quotes = shown.loc[ranked.listing_order, list(SpeakerSection.COLUMNS)].reset_index(drop=True)
    said = ranked.drop_duplicates("speaker").set_index("speaker").said.to_dict()
    # one slice per speaker: the rows are grouped by speaker, in the page's quote order
    bounds = ranked.speaker.ne(ranked.speaker.shift()).to_numpy().nonzero()[0].tolist()
    rows_of = {ranked.speaker.iat[start]: quotes.iloc[start:end].reset_index(drop=True)
               for start, end in zip(bounds, bounds[1:] + [len(ranked)])}
    topics = speaker_topics(con, filters, mode=mode, unnamed=unnamed, speakers=speakers,
                            summarized=opening)
    # "Gordon Brown (3), Iraq (1)" per speaker and kind, in the topics' order (most named first)
    items = topics.name.astype(str) + " (" + topics.mentions.astype(str) + ")"
    listed = items.groupby([topics.speaker, topics.about], sort=False).agg(", ".join).to_dict()
    sections = []
    for speaker in speakers:
        sections.append(SpeakerSection(
            speaker,
            rows_of.get(speaker, quotes.iloc[:0].reset_index(drop=True)),
            max(int(said.get(speaker, 0)) - quotes_shown, 0),
            {kind: listed[speaker, kind] for kind in ("person", "country")
             if (speaker, kind) in listed}))
    return sections


@dataclass(frozen=True)
class TopTopics:
    """The speaker-topic pairs a page shows, and how many there are in all."""

    rows: pd.DataFrame  # speaker_topics' columns, the pairs named most often first
    pairs: int


def top_speaker_topics(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, mode: str = SPOKEN_BY,
    unnamed: bool = False, limit: int = 500,
) -> TopTopics:
    """``speaker_topics`` cut to the ``limit`` pairs named most often, counted and cut in
    the one grouping: a page shows these on every run and leaves the whole table to its
    CSV download, built only when asked."""
    rows = _frame(
        con,
        _topic_pairs(filters, mode, None) + """
        SELECT *, count(*) OVER () AS pairs FROM pairs
        ORDER BY mentions DESC, quotes DESC, speaker, name, about, source
        LIMIT $limit
        """,
        filters,
        summarized=True,
        sources=speaker_sources(unnamed),
        limit=int(limit),
    )
    pairs = int(rows.pairs.iloc[0]) if len(rows) else 0
    return TopTopics(rows.drop(columns="pairs"), pairs)


# --------------------------------------------------------------------------- ahead of visitors


def prepare_views(con: duckdb.DuckDBPyConnection, collections: Sequence[str]) -> None:
    """Resolve a scope and compute what each page opens with (no person or country
    selected), so the first visitor after an ingest finds them ready: ``python -m lib
    ingest`` runs this for the collection it filled. Filtered views are computed when asked."""
    filters = Filters(collections=tuple(collections))
    opening = QuoteSearch(mode=MENTIONING)  # the Quotes page with no person selected
    filter_options(con, collections)
    count_stories(con, filters)
    story_list(con, filters, limit=STORIES_PER_PAGE)
    top_entities(con, filters, limit=ENTITIES_SHOWN)
    country_map(con, filters)
    cooccurrence(con, filters, top=ENTITIES_SHOWN)
    quote_facets(con, filters, mode=MENTIONING)
    count_quotes(con, filters, opening)
    quote_rows(con, filters, opening, limit=QUOTES_PER_PAGE)
    for unnamed in (False, True):  # Who said what's "Include unnamed sources" switch
        corpus_figures(con, filters, unnamed=unnamed)
        speakers = speaker_table(con, filters, mode=MENTIONING, unnamed=unnamed)
        top_speaker_topics(con, filters, mode=MENTIONING, unnamed=unnamed,
                           limit=TOPICS_SHOWN)
        speaker_sections(con, filters, speakers.speaker[:SPEAKERS_PER_PAGE], mode=MENTIONING,
                         unnamed=unnamed, quotes_shown=QUOTES_PER_SPEAKER)
