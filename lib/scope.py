"""A visitor's scope, resolved once: the tables every dashboard query reads.

A scope is the documents of the collections a visitor may see. What a name counts as
depends on the scope (a bare surname is linked to a full name, a name tagged PERSON
that is no person counts as what it is: ``lib.people``), so resolving it is a pass over
every mention and quote in scope. That pass used to run inside every query; now it runs
once per scope and leaves plain tables (``ScopeTables``) in the store's ``scopes``
schema (in memory when the store is read-only): the people, organisations and
countries of each story with their mentions counted, and the quotes with their
speakers resolved and labelled. Queries then only filter and aggregate, and what a page
opens with (no filter) is kept with the scope too (``summary``).

A scope is keyed by its collections and the documents they hold (``_scope_key``), so a
change to those documents is never served stale, while pages a visitor adds to their
own collection leave everyone else's scope as it is. Scopes not used for a while are
dropped; the most recently used are kept (``MAX_SCOPES``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from lib.model import UNKNOWN_SPEAKER, UNNAMED_SPEAKER
from lib.people import LabelVote, honorific_pattern, non_people, surname_aliases
from lib.store import DERIVED_SCHEMA, data_version

SCOPES_SCHEMA = DERIVED_SCHEMA  # where a writable store keeps its resolved scopes
MEMORY_DATABASE = "scope_cache"  # where a read-only store's are built, in memory
MAX_SCOPES = 6  # resolved scopes kept per store (the demo corpus, visitors' collections)
KEEP_RECENT_S = 60.0  # a scope used this recently is never dropped (a query may be reading it)
# Whom a quote is from (``scope_quotes.source``): a named person or body, an unnamed
# source ("analysts", "a Home Office spokesman") or unknown (the story does not say).
NAMED_SOURCE, UNNAMED_SOURCE, UNKNOWN_SOURCE = "named", UNNAMED_SPEAKER, UNKNOWN_SPEAKER


def unnamed_label(description: str | None, body: str | None) -> str:
    """How the dashboard names an unnamed source: its description, plus the body it speaks
    for when the description does not already say it, marked as unnamed.

    ("analysts", None) -> "analysts (unnamed)"; ("Home Office spokesman", "Home Office")
    -> "Home Office spokesman (unnamed)"; ("spokesman", "Cairn Energy") -> "spokesman,
    Cairn Energy (unnamed)". ``UNNAMED_LABEL_SQL`` computes the same in the store.
    """
    description, body = (description or "").strip(" "), (body or "").strip(" ")
    if body and body.lower() not in description.lower():
        description = f"{description}, {body}" if description else body
    return f"{description or 'source'} ({UNNAMED_SPEAKER})"


# ``unnamed_label`` over a quotes row (speaker_description, speaker_body), in SQL.
UNNAMED_LABEL_SQL = f"""(CASE
    WHEN coalesce(trim(speaker_body), '') = ''
      OR contains(lower(coalesce(trim(speaker_description), '')), lower(trim(speaker_body)))
      THEN coalesce(nullif(trim(speaker_description), ''), 'source')
    WHEN coalesce(trim(speaker_description), '') = '' THEN trim(speaker_body)
    ELSE trim(speaker_description) || ', ' || trim(speaker_body)
  END || ' ({UNNAMED_SPEAKER})')"""

# A bare surname ("Blair") counts as the full name it is linked to ("Tony Blair")
# by lib.people.surname_aliases, and a name tagged PERSON that is no person
# ("Yukos", "Labour") counts as what it is by lib.people.non_people, over the
# documents in scope only. Their input: each name tagged PERSON in scope, the
# documents tagging it PERSON and otherwise, the other label they use most, and
# whether a PERSON mention writes it with an honorific ($honorific, a regular expression).
PEOPLE_IN_SCOPE_SQL = """
WITH scoped AS (
    SELECT doc_id, label, canonical, text FROM entities
    WHERE doc_id IN (SELECT doc_id FROM collection_documents
                     WHERE list_contains($collections::VARCHAR[], collection_id))
), labels AS (
    SELECT canonical, label, count(DISTINCT doc_id) AS documents,
           bool_or(label = 'PERSON' AND regexp_matches(text, $honorific)) AS honorific
    FROM scoped
    WHERE canonical IN (SELECT canonical FROM scoped WHERE label = 'PERSON')
    GROUP BY canonical, label
), otherwise AS (
    SELECT canonical, count(DISTINCT doc_id) AS documents FROM scoped
    WHERE label <> 'PERSON' AND canonical IN (SELECT canonical FROM scoped WHERE label = 'PERSON')
    GROUP BY canonical
)
SELECT l.canonical,
       max(l.documents) FILTER (WHERE l.label = 'PERSON') AS person,
       coalesce(any_value(o.documents), 0) AS otherwise,
       arg_max(l.label, (l.documents, l.label)) FILTER (WHERE l.label <> 'PERSON') AS label,
       bool_or(l.honorific) AS honorific
FROM labels l LEFT JOIN otherwise o USING (canonical)
GROUP BY l.canonical
"""

# The resolving pass, over the store's tables and the scope's two name maps ({person_alias},
# {non_person}): person mentions with bare surnames linked and non-people left out;
# organisations, with the names the corpus counts as organisations; quotes with their
# speaker linked, whom they are from (source) and the label pages show (speaker_label).
RESOLVE_SQL = """
WITH scope_docs AS (SELECT doc_id FROM {docs}),
person_mentions AS (
    SELECT e.story_id, e.doc_id, coalesce(a.person, e.canonical) AS person,
           e.start_char, e.end_char
    FROM entities e LEFT JOIN {person_alias} a ON a.alias = e.canonical
    WHERE e.label = 'PERSON' AND e.doc_id IN (SELECT doc_id FROM scope_docs)
      AND e.canonical NOT IN (SELECT name FROM {non_person})
),
organisation_mentions AS (
    SELECT e.story_id, e.doc_id, e.canonical AS organisation FROM entities e
    WHERE e.doc_id IN (SELECT doc_id FROM scope_docs)
      AND (e.label = 'ORG' OR (e.label = 'PERSON' AND e.canonical IN (
            SELECT name FROM {non_person} WHERE label = 'ORG')))
),
quotes_in_scope AS (
    SELECT q.* REPLACE (coalesce(a.person, q.speaker) AS speaker),
           CASE WHEN q.speaker = $unnamed THEN """ + UNNAMED_LABEL_SQL + """ END AS unnamed_label
    FROM quotes q LEFT JOIN {person_alias} a ON a.alias = q.speaker
    WHERE q.doc_id IN (SELECT doc_id FROM scope_docs)
),
unnamed_spelling AS (  -- one spelling per label whatever its case: the most used, then the first
    SELECT lower(unnamed_label) AS label_key, unnamed_label AS spelling
    FROM quotes_in_scope WHERE unnamed_label IS NOT NULL
    GROUP BY unnamed_label
    QUALIFY row_number() OVER (PARTITION BY lower(unnamed_label)
                               ORDER BY count(*) DESC, unnamed_label) = 1
),
scope_quotes AS (
    SELECT q.* EXCLUDE (unnamed_label),
           CASE WHEN q.unnamed_label IS NOT NULL THEN $unnamed
                WHEN q.speaker IS NULL OR q.speaker = $unknown THEN $unknown
                ELSE $named END AS source,
           coalesce(u.spelling, q.speaker, $unknown) AS speaker_label
    FROM quotes_in_scope q LEFT JOIN unnamed_spelling u ON u.label_key = lower(q.unnamed_label)
),
topic_mentions AS (  -- the people (linked) and countries named in each story, and where
    SELECT story_id, start_char, end_char, 'person' AS about, person AS name
    FROM person_mentions
    UNION ALL
    SELECT story_id, start_char, end_char, 'country', country FROM entities
    WHERE country IS NOT NULL AND label <> 'PERSON' AND doc_id IN (SELECT doc_id FROM scope_docs)
)
"""

FIRST_QUOTES_KEPT = 10  # quotes per speaker and story whose list places speaker_stories keeps

# table -> what it holds, selected over RESOLVE_SQL: one row per story and name (its
# mentions counted), so that counting stories needs no DISTINCT; sorted by story so that
# a story's rows sit together (DuckDB skips row groups by their min/max).
RESOLVED_TABLES = {
    # what a list of stories shows and sorts by, with its document's title, outlet and date
    # story_no: the story's place in lists (newest first), and its key in every other
    # table of the scope: an integer joins and sorts far faster than a 66-character id
    "stories": "SELECT row_number() OVER (ORDER BY d.date DESC NULLS LAST, d.title, "
               "s.story_idx, s.story_id) AS story_no, s.story_id, s.doc_id, s.story_idx, "
               "s.headline, s.n_quotes, d.title, d.outlet, d.date, d.author, d.source, "
               "try_cast(left(d.date, 10) AS DATE) AS day, "
               # the page a reader can open: a web address, never a path on this machine
               "CASE WHEN regexp_matches(d.source, '^https?://[^\\s]+$') THEN d.source END "
               "AS link "
               "FROM stories s JOIN documents d USING (doc_id) "
               "WHERE s.doc_id IN (SELECT doc_id FROM scope_docs) ORDER BY story_no",
    "story_people": "SELECT n.story_no, any_value(m.doc_id) AS doc_id, m.person, "
                    "count(*) AS mentions FROM person_mentions m JOIN {stories} n USING (story_id) "
                    "GROUP BY n.story_no, m.person ORDER BY n.story_no, m.person",
    "story_organisations": "SELECT n.story_no, m.organisation, count(*) AS mentions "
                           "FROM organisation_mentions m JOIN {stories} n USING (story_id) "
                           "GROUP BY n.story_no, m.organisation ORDER BY n.story_no",
    # coded: the mentions with an ISO code, what the map draws
    "story_countries": "SELECT n.story_no, e.country, any_value(e.country_code) AS country_code, "
                       "count(*) AS mentions, count(e.country_code) AS coded "
                       "FROM entities e JOIN {stories} n USING (story_id) "
                       "WHERE e.country IS NOT NULL "
                       "GROUP BY n.story_no, e.country ORDER BY n.story_no, e.country",
    # with what quote tables show and sort by (their story's headline, outlet and date) and
    # search_text, what the Quotes search matches, lowercased once rather than per search
    "quotes": "SELECT q.*, n.story_no, lower(q.text) AS search_text, n.headline, n.outlet, "
              "n.date, n.link, row_number() OVER (ORDER BY n.date DESC NULLS LAST, n.headline, "
              "q.story_id, q.quote_idx) AS listing_order "
              "FROM scope_quotes q JOIN {stories} n USING (story_id) "
              "ORDER BY listing_order",
    # whom and where each quote talks about: the people and countries inside its pieces
    # (not the speaker), their mentions counted; the pairing of every quote with every
    # name of its story is the costly part of Who said what, so it is done here once;
    # sorted by speaker, as Who said what reads it for a page of speakers
    "quote_topics": "SELECT n.story_no, q.quote_id, q.speaker, q.speaker_label, q.source, "
                    "t.about, t.name, count(*) AS mentions "
                    "FROM (SELECT *, unnest(spans) AS span FROM scope_quotes) q "
                    "JOIN topic_mentions t ON t.story_id = q.story_id "
                    "AND t.start_char >= q.span[1] AND t.end_char <= q.span[2] "
                    "JOIN {stories} n ON n.story_id = q.story_id "
                    "WHERE t.name IS NOT NULL AND t.name <> q.speaker_label "
                    "GROUP BY ALL ORDER BY q.speaker_label, n.story_no, q.quote_id",
    # the countries of the stories each speaker is quoted in: Who said what's column,
    # paired here once rather than for every filtered view
    "speaker_countries": "SELECT q.speaker_label, q.speaker, q.source, q.story_no, c.country, "
                         "c.mentions FROM (SELECT DISTINCT speaker_label, speaker, source, "
                         "story_no FROM {quotes}) q JOIN {story_countries} c USING (story_no) "
                         "ORDER BY q.story_no",
    # one row per story and speaker: their quotes there and the places of the first
    # FIRST_QUOTES_KEPT in the list; sorted by speaker, so a page of speakers reads only
    # their row groups (Who said what's sections)
    "speaker_stories": "SELECT story_no, speaker_label, speaker, source, any_value(date) AS date, "
                       "count(*) AS quotes, min(listing_order) AS first_order, "
                       "list(listing_order ORDER BY listing_order)[1:" + str(FIRST_QUOTES_KEPT)
                       + "] AS orders FROM {quotes} GROUP BY ALL "
                       "ORDER BY speaker_label, first_order",
    # Who said what with one country selected, the filter visitors change most, summed
    # here per country so that it reads a few rows, not every quote of the stories naming
    # it (the United Kingdom is named in 40% of the BBC's). Each is what the page's query
    # computes over those stories: see lib.query's one_country_view.
    "country_speakers": "SELECT c.country, s.speaker_label, s.source, "
                        "sum(s.quotes)::BIGINT AS quotes, count(DISTINCT s.story_no) AS stories, "
                        "min(s.date) AS first_date, max(s.date) AS last_date "
                        "FROM {speaker_stories} s JOIN {story_countries} c USING (story_no) "
                        "GROUP BY ALL ORDER BY c.country",
    "country_speaker_kinds": "SELECT c.country, q.speaker_label, q.source, q.kind, "
                             "count(*) AS quotes "
                             "FROM {quotes} q JOIN {story_countries} c USING (story_no) "
                             "GROUP BY ALL ORDER BY c.country",
    # the countries named in a speaker's stories that name ``country``
    "country_speaker_countries": "SELECT named.country, s.speaker_label, s.source, "
                                 "other.country AS named_too, sum(other.mentions) AS mentions "
                                 "FROM {speaker_stories} s "
                                 "JOIN {story_countries} named USING (story_no) "
                                 "JOIN {story_countries} other USING (story_no) "
                                 "GROUP BY ALL ORDER BY named.country",
    "country_topics": "SELECT c.country, q.speaker_label, q.source, q.about, q.name, "
                      "sum(q.mentions)::BIGINT AS mentions, count(*) AS quotes "
                      "FROM {quote_topics} q JOIN {story_countries} c USING (story_no) "
                      "GROUP BY ALL ORDER BY c.country",
}
NAME_MAP_SCHEMA = pa.schema([("name", pa.string()), ("target", pa.string())])
TABLE_ROLES = ("docs", "person_alias", "non_person", *RESOLVED_TABLES)


def _scope_format() -> str:
    """What resolving a scope depends on besides the data: these tables' SQL and the people
    rules (``lib/people.py`` and its rule files). A store keeps its scopes across restarts,
    so a new release's different tables or rules must not read an older build."""
    people = Path(__file__).with_name("people.py")
    rules = sorted(Path(__file__).with_name("rules").glob("*.t*"))
    digest = hashlib.sha256()
    for part in (RESOLVE_SQL, PEOPLE_IN_SCOPE_SQL, json.dumps(RESOLVED_TABLES)):
        digest.update(part.encode("utf-8"))
    for path in (people, *rules):
        digest.update(path.read_bytes())
    return digest.hexdigest()


SCOPE_FORMAT = _scope_format()


@dataclass(frozen=True)
class ScopePeople:
    aliases: dict[str, str]  # bare surname -> full name
    non_people: dict[str, str]  # name tagged PERSON -> the label it counts under


@dataclass(frozen=True)
class ScopeTables:
    """The resolved tables of one scope: qualified table names, all starting with ``prefix``."""

    prefix: str
    people: ScopePeople
    docs: str
    person_alias: str  # alias -> person
    non_person: str  # name -> label
    stories: str
    story_people: str
    story_organisations: str
    story_countries: str
    quotes: str
    quote_topics: str
    speaker_countries: str
    speaker_stories: str
    country_speakers: str
    country_speaker_kinds: str
    country_speaker_countries: str
    country_topics: str

    def table_names(self) -> dict[str, str]:
        """role -> qualified table name, as ``VIEW_SQL`` templates name them."""
        return {role: getattr(self, role) for role in TABLE_ROLES}


_BUILD_LOCK = threading.Lock()  # one scope built at a time: a build is a pass over the corpus
_SCOPES: dict[str, ScopeTables] = {}  # table prefix -> tables (prefixes are unique)
_LAST_USED: dict[str, float] = {}
_FOUND: dict[tuple, str] = {}  # (store file, version, collections) -> prefix, this process
MAX_FOUND = 1024


def scope_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever documents or collection memberships change: the cache key of queries."""
    version = data_version(con)
    if version is not None:
        return version
    # a store written before versions: its counts and latest ingest time
    documents, latest = con.execute(
        "SELECT count(*), coalesce(max(ingested_at)::VARCHAR, '') FROM documents"
    ).fetchone()
    (members,) = con.execute("SELECT count(*) FROM collection_documents").fetchone()
    return f"{documents}:{members}:{latest}"


def resolved_scope(con: duckdb.DuckDBPyConnection, collections: Sequence[str]) -> ScopeTables:
    """The resolved tables of the documents in ``collections``, built on first use.

    A writable store keeps them in its ``scopes`` schema, so they outlive the process
    (``python -m lib ingest`` prepares the demo corpus's before a dashboard opens it);
    a read-only one builds them in memory.
    """
    path, read_only = con.execute("SELECT path, readonly FROM duckdb_databases() "
                                  "WHERE database_name = current_database()").fetchone()
    # this process found it before, at this store version and access: no catalog lookups
    # (a store file's path names it; an in-memory store has none and is looked up each
    # time; a read-only connection keeps its own scopes, in memory)
    asked = ((SCOPE_FORMAT, path, read_only, scope_version(con),
              tuple(sorted(set(collections)))) if path else None)
    prefix = _FOUND.get(asked)
    if prefix in _SCOPES:
        _LAST_USED[prefix] = time.monotonic()
        return _SCOPES[prefix]
    database = _scopes_database(con)
    key = _scope_key(con, database, collections)
    found = _registered(con, database, key)
    if found is None:
        with _BUILD_LOCK:
            found = _registered(con, database, key)
            if found is None:
                found = _build(con, database, key, collections)
    _LAST_USED[found.prefix] = time.monotonic()
    if asked is not None:
        if len(_FOUND) >= MAX_FOUND:
            _FOUND.clear()
        _FOUND[asked] = found.prefix
    return found


def people_in_scope(con: duckdb.DuckDBPyConnection, collections: Sequence[str]) -> ScopePeople:
    return resolved_scope(con, collections).people


def summary(
    con: duckdb.DuckDBPyConnection, scope: ScopeTables, sql: str, params: dict
) -> duckdb.DuckDBPyConnection:
    """The result of ``sql`` (a query over the whole scope, no filter) from a table kept
    with the scope: computed once per scope, then read. For the bounded set of queries a
    page opens with (their parameters are page sizes and switches, never visitor text)."""
    digest = hashlib.sha256(
        json.dumps([sql, sorted(params.items())], default=str).encode("utf-8")).hexdigest()
    suffix = f"summary_{digest[:16]}"
    table = _qualified(scope.prefix, suffix)
    catalog, schema, stem = scope.prefix.split("\x1f")
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ?", [catalog, schema, f"{stem}_{suffix}"]).fetchone()[0]
    if not exists:
        try:
            con.execute(f"CREATE TABLE {table} AS {sql}", params)
        except duckdb.CatalogException:  # another thread made it first: the same rows
            pass
    return con.execute(f"SELECT * FROM {table}")


@dataclass(frozen=True)
class Database:
    """A catalog and schema holding resolved scopes; ``str()`` is its quoted SQL name."""

    catalog: str
    schema: str

    def __str__(self) -> str:
        return f"{_quoted(self.catalog)}.{_quoted(self.schema)}"


def _scopes_database(con: duckdb.DuckDBPyConnection) -> Database:
    """Where resolved scopes live: the store's ``scopes`` schema when it is writable, an
    in-memory database attached as ``scope_cache`` when it is read-only."""
    current, read_only = con.execute(
        "SELECT database_name, readonly FROM duckdb_databases() "
        "WHERE database_name = current_database()").fetchone()
    if read_only:
        catalog, schema = MEMORY_DATABASE, "main"
        attached = con.execute("SELECT count(*) FROM duckdb_databases() "
                               "WHERE database_name = ?", [catalog]).fetchone()[0]
        if not attached:
            with _BUILD_LOCK:
                try:
                    # READ_WRITE: in a read-only store it would open read-only too
                    con.execute(f"ATTACH ':memory:' AS {catalog} (READ_WRITE)")
                except duckdb.BinderException:  # another thread attached it first
                    pass
    else:
        catalog, schema = current, SCOPES_SCHEMA
    database = Database(catalog, schema)
    present = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = 'keys'", [catalog, schema]).fetchone()[0]
    if present:
        return database
    with _BUILD_LOCK:
        if not read_only:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {database}")
        con.execute(f"CREATE TABLE IF NOT EXISTS {database}.registry "
                    "(scope_key VARCHAR PRIMARY KEY, prefix VARCHAR)")
        # (store version, collections) -> the scope key their documents give
        con.execute(f"CREATE TABLE IF NOT EXISTS {database}.keys "
                    "(asked VARCHAR PRIMARY KEY, scope_key VARCHAR)")
    return database


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _scope_key(
    con: duckdb.DuckDBPyConnection, database: Database, collections: Sequence[str]
) -> str:
    """What the scope's tables depend on: its collections and the documents they hold now.

    Any change to the store changes its version; only a change to these documents
    (joined, left or parsed again: ``ingested_at``) changes the key, so a visitor adding
    pages to their own collection does not rebuild everyone else's scope. The documents
    are read once per store version and scope.
    """
    names = sorted(set(collections))
    version = scope_version(con)
    asked = hashlib.sha256("\x1f".join([SCOPE_FORMAT, version, *names]).encode("utf-8")
                           ).hexdigest()
    row = con.execute(f"SELECT scope_key FROM {database}.keys WHERE asked = ?",
                      [asked]).fetchone()
    if row:
        return row[0]
    documents, fingerprint = con.execute(
        """
        SELECT count(*), coalesce(bit_xor(hash(d.doc_id, d.ingested_at)), 0)::VARCHAR
        FROM documents d WHERE d.doc_id IN (
            SELECT doc_id FROM collection_documents
            WHERE list_contains(?::VARCHAR[], collection_id))
        """,
        [names],
    ).fetchone()
    key = hashlib.sha256("\x1f".join([SCOPE_FORMAT, str(documents), fingerprint, *names])
                         .encode("utf-8")).hexdigest()
    try:
        con.execute(f"INSERT INTO {database}.keys VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [asked, key])
    except duckdb.TransactionException:  # another thread wrote the same row first
        pass
    return key


def _registered(
    con: duckdb.DuckDBPyConnection, database: Database, key: str
) -> ScopeTables | None:
    row = con.execute(f"SELECT prefix FROM {database}.registry WHERE scope_key = ?",
                      [key]).fetchone()
    if not row:
        return None
    prefix = row[0]
    if prefix not in _SCOPES:  # built by an earlier process: its name maps are in its tables
        names = _names(prefix)
        _SCOPES[prefix] = ScopeTables(prefix=prefix, people=ScopePeople(
            dict(con.execute(f"SELECT alias, person FROM {names['person_alias']}").fetchall()),
            dict(con.execute(f"SELECT name, label FROM {names['non_person']}").fetchall()),
        ), **names)
    return _SCOPES[prefix]


def _names(prefix: str) -> dict[str, str]:
    return {role: _qualified(prefix, role) for role in TABLE_ROLES}


def _qualified(prefix: str, suffix: str) -> str:
    """``catalog.schema.stem`` + suffix -> a quoted SQL name (file names may hold hyphens)."""
    catalog, schema, stem = prefix.split("\x1f")
    return ".".join(_quoted(part) for part in (catalog, schema, f"{stem}_{suffix}"))


def _build(
    con: duckdb.DuckDBPyConnection, database: Database, key: str, collections: Sequence[str]
) -> ScopeTables:
    _drop_unused(con, database)
    prefix = "\x1f".join((database.catalog, database.schema, f"s{secrets.token_hex(6)}"))
    names = _names(prefix)
    collection_list = sorted(set(collections))
    con.execute(
        f"CREATE TABLE {names['docs']} AS SELECT DISTINCT doc_id FROM collection_documents "
        "WHERE list_contains(?::VARCHAR[], collection_id) ORDER BY doc_id",
        [collection_list],
    )
    people = _resolve_people(con, collection_list)
    for table, mapping, columns in (
        ("person_alias", people.aliases, "name AS alias, target AS person"),
        ("non_person", people.non_people, "name, target AS label"),
    ):
        con.register("name_map", pa.table({"name": list(mapping),
                                           "target": list(mapping.values())},
                                          schema=NAME_MAP_SCHEMA))
        con.execute(f"CREATE TABLE {names[table]} AS SELECT {columns} FROM name_map")
        con.unregister("name_map")
    params = {"named": NAMED_SOURCE, "unnamed": UNNAMED_SOURCE, "unknown": UNKNOWN_SOURCE}
    for table, select in RESOLVED_TABLES.items():  # in order: later ones read {stories}
        sql = (RESOLVE_SQL + select).format(**names)
        con.execute(f"CREATE TABLE {names[table]} AS {sql}",
                    {k: v for k, v in params.items() if f"${k}" in sql})
    tables = ScopeTables(prefix=prefix, people=people, **names)
    _SCOPES[prefix] = tables
    con.execute(f"INSERT INTO {database}.registry VALUES (?, ?)", [key, prefix])
    return tables


def _resolve_people(con: duckdb.DuckDBPyConnection, collections: list[str]) -> ScopePeople:
    rows = con.execute(PEOPLE_IN_SCOPE_SQL, {
        "collections": collections, "honorific": honorific_pattern()}).fetchall()
    votes = {name: LabelVote(person or 0, otherwise, label, bool(honorific))
             for name, person, otherwise, label, honorific in rows}
    others = non_people(votes)
    return ScopePeople(
        surname_aliases({name: vote.person for name, vote in votes.items()
                         if vote.person and name not in others}),
        others,
    )


def _drop_unused(con: duckdb.DuckDBPyConnection, database: Database) -> None:
    """Make room for one more scope: drop the least recently used beyond ``MAX_SCOPES - 1``,
    never one used in the last ``KEEP_RECENT_S`` (a query may still be reading it)."""
    rows = con.execute(f"SELECT scope_key, prefix FROM {database}.registry").fetchall()
    now = time.monotonic()
    kept = len(rows)
    for scope_key, prefix in sorted(rows, key=lambda row: _LAST_USED.get(row[1], 0.0)):
        if kept < MAX_SCOPES or now - _LAST_USED.get(prefix, 0.0) < KEEP_RECENT_S:
            break
        _SCOPES.pop(prefix, None)
        _LAST_USED.pop(prefix, None)
        catalog, schema, stem = prefix.split("\x1f")
        for (table,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
            "AND schema_name = ? AND starts_with(table_name, ?)", [catalog, schema, stem + "_"]
        ).fetchall():
            con.execute(f"DROP TABLE IF EXISTS {_quoted(catalog)}.{_quoted(schema)}."
                        f"{_quoted(table)}")
        con.execute(f"DELETE FROM {database}.registry WHERE scope_key = ?", [scope_key])
        con.execute(f"DELETE FROM {database}.keys WHERE scope_key = ?", [scope_key])
        kept -= 1
