"""The DuckDB store: parsed documents keyed by content hash, grouped in collections.

A document is parsed once whatever collection it is added to; a collection only
lists its documents. One connection per Store; every call works on its own
cursor (DuckDB's per-thread handle), and writes are serialised by a lock, so one
Store can serve all the sessions of a Streamlit process.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from lib import schema
from lib.model import ParsedDocument, SourceDocument

# Bump when a table of lib/schema.py changes: tests/test_store.py pins what each version holds.
SCHEMA_VERSION = "4"
# The columns each version added to the one before it.
_ADDED_IN = {
    "3": ("ALTER TABLE collections ADD COLUMN title VARCHAR",
          "ALTER TABLE collections ADD COLUMN owner_key_hash VARCHAR"),
    "4": ("ALTER TABLE stories ADD COLUMN published VARCHAR",),
}
# An older version -> the statements that bring its tables to SCHEMA_VERSION's, when a
# release only added columns; any other version is rebuilt from the sources.
MIGRATIONS = {
    "2": _ADDED_IN["3"] + _ADDED_IN["4"],
    "3": _ADDED_IN["4"],
}
STORE_ENV_VAR = "NEWS_STORE"
DEFAULT_STORE = Path(__file__).resolve().parent.parent / "data" / "news.duckdb"
DEMO_COLLECTION = "demo"
DERIVED_SCHEMA = "scopes"  # tables lib.scope derives from the store's, rebuilt any time
# Child tables first: the order rows are deleted in when a document is replaced.
DOCUMENT_TABLES = ("quotes", "entities", "stories", "documents")

# A collection member to link: its document, its name there, whether it replaces an
# older version listed under that name (see _replace_members).
LINK_SCHEMA = pa.schema([*(schema.COLLECTION_DOCUMENTS.arrow_schema.field(name)
                           for name in ("doc_id", "source")),
                         pa.field("replaces", pa.bool_())])


class StoreError(RuntimeError):
    pass


class StoreLocked(StoreError):
    """Another process has the store open for writing: a running dashboard or an ingest."""

    def __init__(self, path: str, holder: int | None):
        self.path, self.holder = path, holder
        who = f"process {holder}" if holder else "another process"
        super().__init__(f"the store {path} is in use by {who} (a running dashboard or ingest)")


# DuckDB's words when another process holds the file: "... held in PROGRAM (PID 123)"
LOCK_HELD = re.compile(r"Could not set lock on file(?:.*?\(PID (\d+)\))?", re.DOTALL)
# Documents ingested while the store was locked wait beside it, one small store per run,
# until the process that holds it (or the next one to open it for writing) takes them.
STAGED_SUFFIX = ".staged"


def default_store_path() -> Path:
    configured = os.environ.get(STORE_ENV_VAR, "").strip()
    return Path(configured) if configured else DEFAULT_STORE


class Store:
    """``Store()`` opens $NEWS_STORE or data/news.duckdb; ``Store(":memory:")`` is scratch."""

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False):
        self.path = str(path) if path is not None else str(default_store_path())
        self.read_only = read_only
        self._write_lock = threading.Lock()
        if self.path != ":memory:" and not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        if read_only and self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreError(f"no store at {self.path}: run `python -m lib ingest` first")
        try:
            self._connection = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as error:
            raise _open_error(self.path, error) from None
        self._prepare_schema()
        # one-line reasons for staged runs that could not be taken when it opened
        self.staged_problems: list[str] = []
        if not read_only and self.path != ":memory:":
            self.staged_problems = self.take_staged()

    # ----------------------------------------------------------------- lifecycle

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A handle for the calling thread; close it when done (or use ``with``)."""
        return self._connection.cursor()

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def schema_version(self) -> str | None:
        with self.cursor() as cursor:
            tables = {row[0] for row in cursor.execute("SHOW TABLES").fetchall()}
            if "meta" not in tables:
                return None
            row = cursor.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchall()
        return row[0][0] if row else None

    def _prepare_schema(self) -> None:
        version = self.schema_version()
        if version == SCHEMA_VERSION:
            return
        if self.read_only:
            raise StoreError(
                f"the store {self.path} has schema version {version}, this code reads "
                f"{SCHEMA_VERSION}: run `python -m lib ingest` to rebuild it"
            )
        if version in MIGRATIONS:
            with self._writing() as cursor:
                # a release that only added columns: they are added, no row is lost
                # (visitors' collections live only here)
                for statement in MIGRATIONS[version]:
                    cursor.execute(statement)
                cursor.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                               [SCHEMA_VERSION])
            return
        with self._writing() as cursor:
            # Another version (or none): rebuild rather than misread its rows.
            for (table,) in cursor.execute("SHOW TABLES").fetchall():
                cursor.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
            # and what lib.scope derived from them
            cursor.execute(f"DROP SCHEMA IF EXISTS {DERIVED_SCHEMA} CASCADE")
            cursor.execute(schema.ddl())
            cursor.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", [SCHEMA_VERSION]
            )

    # ----------------------------------------------------------------- reads

    def frame(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        with self.cursor() as cursor:
            return cursor.execute(sql, params).df()

    def known(self, doc_ids: Iterable[str]) -> set[str]:
        """The ids among ``doc_ids`` already parsed and stored."""
        wanted = list(dict.fromkeys(doc_ids))
        if not wanted:
            return set()
        with self.cursor() as cursor:
            rows = cursor.execute(
                "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                [wanted],
            ).fetchall()
        return {row[0] for row in rows}

    def collection_exists(self, collection: str) -> bool:
        with self.cursor() as cursor:
            row = cursor.execute(
                "SELECT 1 FROM collections WHERE collection_id = ?", [collection]
            ).fetchall()
        return bool(row)

    def collection_is_read_only(self, collection: str) -> bool:
        with self.cursor() as cursor:
            row = cursor.execute(
                "SELECT read_only FROM collections WHERE collection_id = ?", [collection]
            ).fetchall()
        return bool(row and row[0][0])

    def collection_owner_hash(self, collection: str) -> str | None:
        """The hash of the collection's edit key; None for one nobody may edit."""
        return self._collection_value(collection, "owner_key_hash")

    def collection_title(self, collection: str) -> str | None:
        return self._collection_value(collection, "title")

    def _collection_value(self, collection: str, column: str) -> str | None:
        with self.cursor() as cursor:
            row = cursor.execute(
                f"SELECT {column} FROM collections WHERE collection_id = ?", [collection]
            ).fetchall()
        return row[0][0] if row else None

    def collection_members(self, collection: str) -> list[tuple[str, str, str | None]]:
        """(doc_id, source, title) of each document of a collection, by source."""
        with self.cursor() as cursor:
            return cursor.execute(
                "SELECT c.doc_id, c.source, d.title FROM collection_documents c "
                "JOIN documents d USING (doc_id) WHERE c.collection_id = ? "
                "ORDER BY c.source, c.doc_id",
                [collection],
            ).fetchall()

    def has_documents(self, collection: str) -> bool:
        """Whether a collection holds any document (one row read, whatever its size)."""
        with self.cursor() as cursor:
            row = cursor.execute(
                "SELECT 1 FROM collection_documents WHERE collection_id = ? LIMIT 1", [collection]
            ).fetchall()
        return bool(row)

    def document_ids(self, collection: str) -> list[str]:
        with self.cursor() as cursor:
            rows = cursor.execute(
                "SELECT doc_id FROM collection_documents WHERE collection_id = ? "
                "ORDER BY source, doc_id",
                [collection],
            ).fetchall()
        return [row[0] for row in rows]

    def totals(self, doc_ids: Iterable[str]) -> dict[str, int]:
        """Documents, stories, quotes, distinct people and countries over some documents."""
        ids = list(dict.fromkeys(doc_ids))
        with self.cursor() as cursor:
            row = cursor.execute(
                """
                WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS doc_id)
                SELECT
                  (SELECT count(*) FROM documents WHERE doc_id IN (FROM wanted)),
                  (SELECT count(*) FROM stories WHERE doc_id IN (FROM wanted)),
                  (SELECT count(*) FROM quotes WHERE doc_id IN (FROM wanted)),
                  (SELECT count(DISTINCT canonical) FROM entities
                     WHERE label = 'PERSON' AND doc_id IN (FROM wanted)),
                  (SELECT count(DISTINCT country_code) FROM entities
                     WHERE country_code IS NOT NULL AND doc_id IN (FROM wanted))
                """,
                [ids],
            ).fetchall()[0]
        return dict(zip(("documents", "stories", "quotes", "people", "countries"), row))

    # ----------------------------------------------------------------- writes

    @staticmethod
    def new_collection_id() -> str:
        """An unguessable id (the id is the only key to a collection); nothing is written
        until a document joins it."""
        return secrets.token_urlsafe(16)

    def create_collection(self, read_only: bool = False) -> str:
        """A new, empty collection under an unguessable id."""
        collection = self.new_collection_id()
        with self._writing() as cursor:
            cursor.execute("INSERT INTO collections (collection_id, read_only) VALUES (?, ?)",
                           [collection, read_only])
        return collection

    def set_owner(self, collection: str, key_hash: str) -> bool:
        """Give a collection nobody owns yet its edit key's hash; False if it has one (or
        does not exist): an owner is never replaced."""
        with self._writing() as cursor:
            claimed = cursor.execute(
                "UPDATE collections SET owner_key_hash = ? WHERE collection_id = ? "
                "AND owner_key_hash IS NULL AND NOT read_only RETURNING 1",
                [key_hash, collection],
            ).fetchall()
        return bool(claimed)

    def rename_collection(self, collection: str, title: str | None) -> None:
        with self._writing() as cursor:
            cursor.execute("UPDATE collections SET title = ? WHERE collection_id = ?",
                           [title, collection])

    def unlink(self, collection: str, doc_id: str) -> bool:
        """Take a document out of a collection (it stays stored for the others that list
        it); whether it was a member."""
        with self._writing() as cursor:
            removed = cursor.execute(
                "DELETE FROM collection_documents WHERE collection_id = ? AND doc_id = ? "
                "RETURNING 1",
                [collection, doc_id],
            ).fetchall()
        return bool(removed)

    def ensure_collection(self, collection: str, *, read_only: bool = False) -> None:
        with self._writing() as cursor:
            self._ensure_collection(cursor, collection, read_only)

    def link(
        self,
        collection: str,
        doc_ids: Iterable[str],
        sources: Mapping[str, str | SourceDocument] | None = None,
    ) -> int:
        """Put stored documents into a collection; returns how many were new to it.

        Without a source for a document (copying another collection) it joins under the
        name it was stored with and replaces nothing: members are documents, not names.
        """
        ids = list(dict.fromkeys(doc_ids))
        if not ids:
            return 0
        sources = sources or {}
        requested = pa.table(
            {"doc_id": ids,
             "source": [_source_name(sources.get(i)) for i in ids],
             "replaces": [_replaces_older(sources.get(i), default=False) for i in ids]},
            schema=LINK_SCHEMA,
        )
        with self._writing() as cursor:
            self._ensure_collection(cursor, collection)
            before = _count_members(cursor, collection)
            cursor.register("requested", requested)
            # Only documents the store holds can join a collection.
            stored = cursor.sql(
                "SELECT r.doc_id, coalesce(r.source, d.source) AS source, r.replaces "
                "FROM requested r JOIN documents d USING (doc_id)"
            ).to_arrow_table()
            cursor.unregister("requested")
            cursor.register("linked", stored)
            _replace_members(cursor, collection)
            added = _count_members(cursor, collection) - before
        return added

    def add(
        self,
        docs: Iterable[ParsedDocument],
        *,
        collection: str = DEMO_COLLECTION,
        sources: Mapping[str, str | SourceDocument] | None = None,
    ) -> int:
        """Store parsed documents (replacing any with the same id) in one transaction and link
        them to ``collection``. ``sources`` maps doc_id to its SourceDocument or path."""
        docs = list({doc.doc_id: doc for doc in docs}.values())
        if not docs:
            return 0
        sources = sources or {}
        frames = _frames(docs, sources)
        ids = [doc.doc_id for doc in docs]
        with self._writing() as cursor:
            cursor.register("replaced", pa.table({"doc_id": ids}))
            for table in DOCUMENT_TABLES:
                cursor.execute(
                    f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM replaced)"
                )
            for table, frame in frames.items():
                cursor.register("incoming", frame)
                columns = ", ".join(frame.column_names)
                cursor.execute(f"INSERT INTO {table} ({columns}) SELECT * FROM incoming")
                cursor.unregister("incoming")
            self._ensure_collection(cursor, collection)
            links = pa.table(
                {"doc_id": ids,
                 "source": [_source_name(sources.get(i)) or d.source
                            for i, d in zip(ids, docs)],
                 "replaces": [_replaces_older(sources.get(i), default=True) for i in ids]},
                schema=LINK_SCHEMA,
            )
            cursor.register("linked", links)
            _replace_members(cursor, collection)
        return len(docs)

    # ----------------------------------------------------------------- staging

    def take_staged(self) -> list[str]:
        """Bring in the documents that ingests staged while this store was locked.

        Each staged store joins in one transaction and is then deleted; one that cannot
        be read is renamed ``*.failed`` and named in the returned one-line reasons.
        """
        folder = staged_folder(self.path)
        if not folder.is_dir():
            return []
        problems = []
        for staged in sorted(folder.glob("*.duckdb")):
            try:
                self._take_one(staged)
            except (duckdb.Error, StoreError) as error:
                staged.replace(staged.with_suffix(".failed"))
                problems.append(f"{staged}: {str(error).splitlines()[0]}")
                continue
            staged.unlink(missing_ok=True)
        return problems

    def _take_one(self, staged: Path) -> None:
        with self._write_lock, self.cursor() as cursor:
            cursor.execute(f"ATTACH '{_sql_text(staged)}' AS staged (READ_ONLY)")
            try:
                version = cursor.execute(
                    "SELECT value FROM staged.meta WHERE key = 'schema_version'").fetchall()
                if version != [(SCHEMA_VERSION,)]:
                    raise StoreError(f"staged under another schema version ({version})")
                with _transaction(cursor):
                    # rows of documents this store does not hold yet, table by table, matched
                    # by column name, never by position
                    cursor.execute("CREATE TEMP TABLE incoming AS SELECT doc_id "
                                   "FROM staged.documents WHERE doc_id NOT IN "
                                   "(SELECT doc_id FROM documents)")
                    for table in reversed(DOCUMENT_TABLES):
                        cursor.execute(f"INSERT INTO {table} BY NAME SELECT * FROM staged.{table} "
                                       "WHERE doc_id IN (SELECT doc_id FROM incoming)")
                    cursor.execute("DROP TABLE incoming")
                    cursor.execute("INSERT INTO collections BY NAME "
                                   "SELECT * FROM staged.collections ON CONFLICT DO NOTHING")
                    for (collection,) in cursor.execute(
                            "SELECT DISTINCT collection_id FROM staged.collection_documents"
                    ).fetchall():
                        # paths and URLs from the command line: a new version replaces the old
                        cursor.register("linked", cursor.sql(
                            "SELECT doc_id, source, true AS replaces FROM "
                            "staged.collection_documents WHERE collection_id = $collection",
                            params={"collection": collection}).to_arrow_table())
                        _replace_members(cursor, collection)
            finally:
                cursor.execute("DETACH staged")

    @contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor in one write transaction, serialised with this store's other writes."""
        with self._write_lock, self.cursor() as cursor, _transaction(cursor):
            yield cursor

    @staticmethod
    def _ensure_collection(
        cursor: duckdb.DuckDBPyConnection, collection: str, read_only: bool = False
    ) -> None:
        cursor.execute(
            "INSERT INTO collections (collection_id, read_only) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING",
            [collection, read_only],
        )


def staged_folder(path: str | os.PathLike) -> Path:
    """Where ingests leave their documents while the store at ``path`` is locked."""
    return Path(f"{path}{STAGED_SUFFIX}")


def has_staged(path: str | os.PathLike) -> bool:
    """Whether complete staged ingests wait beside the store (cheap: one folder listing)."""
    folder = staged_folder(path)
    return folder.is_dir() and any(folder.glob("*.duckdb"))


def new_staging_path(path: str | os.PathLike) -> Path:
    """A fresh file for one staged ingest (renamed to ``*.duckdb`` once complete)."""
    folder = staged_folder(path)
    folder.mkdir(parents=True, exist_ok=True)
    # sorted by time: staged runs join in the order they were made
    return folder / f"{time.time_ns():020d}-{secrets.token_hex(4)}.part"


def _open_error(path: str, error: duckdb.Error) -> StoreError:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    locked = LOCK_HELD.search(message)
    if locked:
        return StoreLocked(path, int(locked[1]) if locked[1] else None)
    return StoreError(f"cannot read the store {path} ({message}); if it is damaged, move it "
                      "aside and run `python -m lib ingest` to rebuild it")


def _sql_text(value: object) -> str:
    return str(value).replace("'", "''")


@contextmanager
def _transaction(cursor: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing, and stamped with a new data version in the same transaction: every
    change the store commits changes the readers' cache key."""
    cursor.begin()
    try:
        yield
        _new_data_version(cursor)
        cursor.commit()
    except BaseException:
        cursor.rollback()
        raise


def _new_data_version(cursor: duckdb.DuckDBPyConnection) -> None:
    """A new random version, in the transaction of the change it marks: what a reader's
    cache is keyed on. Counts and times cannot say that a file was edited and reverted."""
    cursor.execute(
        "INSERT INTO meta (key, value) VALUES ('data_version', uuid()::VARCHAR) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )


def data_version(cursor: duckdb.DuckDBPyConnection) -> str | None:
    """The version written with the latest change; None in a store older than versions."""
    row = cursor.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()
    return row[0][0] if row else None


def _replace_members(cursor: duckdb.DuckDBPyConnection, collection: str) -> None:
    """Link the rows of the registered view ``linked`` (doc_id, source, replaces) to a
    collection.

    A path or URL that now has other content (an edited file) no longer lists its old
    version; an upload or a paste (``replaces`` false) never removes another member.
    """
    cursor.execute(
        "DELETE FROM collection_documents WHERE collection_id = ? "
        "AND source IN (SELECT source FROM linked WHERE replaces) "
        "AND doc_id NOT IN (SELECT doc_id FROM linked)",
        [collection],
    )
    cursor.execute(
        "INSERT INTO collection_documents (collection_id, doc_id, source) "
        "SELECT ?, doc_id, source FROM linked "
        "ON CONFLICT DO NOTHING",
        [collection],
    )
    cursor.unregister("linked")


def _count_members(cursor: duckdb.DuckDBPyConnection, collection: str) -> int:
    return cursor.execute(
        "SELECT count(*) FROM collection_documents WHERE collection_id = ?", [collection]
    ).fetchall()[0][0]


def _source_name(value: str | SourceDocument | None) -> str | None:
    return value.source if isinstance(value, SourceDocument) else value


def _replaces_older(value: str | SourceDocument | None, *, default: bool) -> bool:
    """Whether a member's source replaces an older version under the same name."""
    if isinstance(value, SourceDocument):
        return value.rereadable
    return True if isinstance(value, str) else default


def _frames(
    docs: list[ParsedDocument], sources: Mapping[str, str | SourceDocument]
) -> dict[str, pa.Table]:
    """Column-wise rows for every table, each value named by its column: one bulk insert
    per table per batch."""
    documents, stories = schema.DOCUMENTS.rows(), schema.STORIES.rows()
    entities, quotes = schema.ENTITIES.rows(), schema.QUOTES.rows()
    for doc in docs:
        known_source = sources.get(doc.doc_id)
        documents.append(
            doc_id=doc.doc_id, source=doc.source, title=doc.title, outlet=doc.outlet,
            date=doc.date, author=doc.author,
            kind=known_source.kind if isinstance(known_source, SourceDocument) else None,
            n_stories=len(doc.stories))
        for story_idx, story in enumerate(doc.stories):
            story_id = f"{doc.doc_id}:{story_idx}"
            stories.append(
                story_id=story_id, doc_id=doc.doc_id, story_idx=story_idx,
                headline=story.headline, paragraphs=list(story.paragraphs),
                captions=list(story.captions), n_entities=len(story.entities),
                n_quotes=len(story.quotes), published=story.published)
            for entity in story.entities:
                entities.append(
                    story_id=story_id, doc_id=doc.doc_id, start_char=entity.start,
                    end_char=entity.end, text=entity.text, label=entity.label,
                    canonical=entity.canonical, country=entity.country,
                    country_code=entity.country_code)
            for quote_idx, quote in enumerate(story.quotes):
                speaker_start, speaker_end = quote.speaker_span or (None, None)
                cue_start, cue_end = quote.cue_span or (None, None)
                quotes.append(
                    quote_id=f"{story_id}:{quote_idx}", story_id=story_id, doc_id=doc.doc_id,
                    quote_idx=quote_idx, text=quote.text, kind=quote.kind,
                    speaker=quote.speaker, speaker_mention=quote.speaker_mention,
                    cue=quote.cue, spans=[list(span) for span in quote.spans],
                    speaker_start=speaker_start, speaker_end=speaker_end,
                    cue_start=cue_start, cue_end=cue_end,
                    paragraph=story.paragraph_of(quote.start) if quote.spans else None,
                    speaker_description=quote.speaker_description,
                    speaker_body=quote.speaker_body)
    return {rows.table.name: rows.to_arrow() for rows in (documents, stories, entities, quotes)}
