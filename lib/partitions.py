"""Parquet partitions: the store's tables as append-only Parquet files, queried by DuckDB.

Past one DuckDB file (one writer process, one disk), a corpus lives in a folder of
partitions, one per ingest batch or export::

    FOLDER/<table>/part=<part id>/data.parquet     documents, stories, entities, quotes,
                                                   collections, collection_documents
    FOLDER/meta/part=<part id>/data.parquet        written last: the partition's commit mark

``open_partitions(FOLDER)`` gives a DuckDB connection whose views carry the store's table
names, so every ``lib.query`` function runs on it unchanged. Partitions are never
rewritten; these rules keep append-only writes from counting anything twice:

- a partition counts once its meta file exists (data files are renamed into place first);
- a document's rows come from the latest partition holding its doc_id: the doc_id is the
  hash of the text, so the same text gives the same rows, and a later parse replaces them;
- per collection and source (path or URL), the latest partition naming that source says
  which document it is: an edited file's old version leaves the collection, as in a Store.

Part ids sort by the writer's clock, so "latest" is the greatest id; concurrent writers
need no lock because each writes only its own new partition.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from lib.model import ParsedDocument, SourceDocument
from lib.store import DEMO_COLLECTION, SCHEMA_VERSION, Store

# The tables a partition holds, as the store names them.
DOCUMENT_TABLES = ("documents", "stories", "entities", "quotes")
MEMBERSHIP_TABLES = ("collections", "collection_documents")
DATA_TABLES = DOCUMENT_TABLES + MEMBERSHIP_TABLES
META_TABLE = "meta"
DATA_FILE = "data.parquet"
PARTITION_KEY = "part"


class PartitionsError(RuntimeError):
    pass


def new_part_id() -> str:
    """Sortable by time (the latest partition wins), unique across concurrent writers."""
    return f"{time.time_ns():020d}-{secrets.token_hex(4)}"


def committed_parts(folder: str | os.PathLike) -> list[str]:
    """The ids of the partitions whose commit mark is written, oldest first."""
    marks = Path(folder).glob(f"{META_TABLE}/{PARTITION_KEY}=*/{DATA_FILE}")
    return sorted(mark.parent.name.split("=", 1)[1] for mark in marks)


# --------------------------------------------------------------------------- writing


def write_partition(cursor: duckdb.DuckDBPyConnection, folder: str | os.PathLike) -> str:
    """Copy every table the cursor reads under the store's names (a Store, a scratch Store,
    or partitions opened by ``open_partitions``) into a new partition; returns its id."""
    folder, part = Path(folder), new_part_id()
    for table in DATA_TABLES:
        target = _partition_file(folder, table, part)
        temporary = target.with_name(DATA_FILE + ".tmp")  # not matched by readers' *.parquet
        cursor.execute(f"COPY (SELECT * FROM {table}) TO '{_sql_text(temporary)}' "
                       "(FORMAT PARQUET)")
        temporary.replace(target)
    _write_commit_mark(folder, part)
    return part


def export_store(store_path: str | os.PathLike, folder: str | os.PathLike) -> str:
    """A DuckDB store's whole content as one new partition; returns its id."""
    with Store(store_path, read_only=True) as store, store.cursor() as cursor:
        return write_partition(cursor, folder)


def _partition_file(folder: Path, table: str, part: str) -> Path:
    directory = folder / table / f"{PARTITION_KEY}={part}"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / DATA_FILE


def _write_commit_mark(folder: Path, part: str) -> None:
    target = _partition_file(folder, META_TABLE, part)
    temporary = target.with_name(DATA_FILE + ".tmp")
    pq.write_table(pa.table({"key": ["schema_version"], "value": [SCHEMA_VERSION]}), temporary)
    temporary.replace(target)


class PartitionStore:
    """What an ingest writes to with ``--parquet``: the Store calls ``lib.ingest`` makes,
    each write a new partition (one per parsed batch), each read over the partitions."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = str(self.folder)
        self._empty: Store | None = None  # what reads see before the first partition

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection over the partitions written so far (close it when done)."""
        if committed_parts(self.folder):
            return open_partitions(self.folder)
        if self._empty is None:
            self._empty = Store(":memory:")
        return self._empty.cursor()

    # The store's own reads, run on the partitions' views: they need only cursor().
    known = Store.known
    totals = Store.totals

    def add(
        self,
        docs: Iterable[ParsedDocument],
        *,
        collection: str = DEMO_COLLECTION,
        sources: Mapping[str, str | SourceDocument] | None = None,
    ) -> int:
        """Parsed documents, linked to ``collection``, as one new partition."""
        with Store(":memory:") as scratch:
            added = scratch.add(docs, collection=collection, sources=sources)
            if added:
                with scratch.cursor() as cursor:
                    write_partition(cursor, self.folder)
        return added

    def link(
        self,
        collection: str,
        doc_ids: Iterable[str],
        sources: Mapping[str, str | SourceDocument] | None = None,
    ) -> int:
        """Documents already in the partitions, linked to ``collection`` by a new partition
        of memberships only; returns how many documents it names."""
        ids = list(dict.fromkeys(doc_ids))
        if not ids:
            return 0
        with self.cursor() as reader:
            stored = reader.execute(
                "SELECT doc_id, source FROM documents "
                "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids],
            ).fetchall()
        names = {doc_id: _source_name((sources or {}).get(doc_id)) or stored_source
                 for doc_id, stored_source in stored}
        if not names:
            return 0
        with Store(":memory:") as scratch, scratch.cursor() as cursor:
            scratch.ensure_collection(collection)
            cursor.executemany("INSERT INTO collection_documents VALUES (?, ?, ?)",
                               [(collection, doc_id, name) for doc_id, name in names.items()])
            write_partition(cursor, self.folder)
        return len(names)

    def close(self) -> None:
        if self._empty is not None:
            self._empty.close()

    def __enter__(self) -> PartitionStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _source_name(value: str | SourceDocument | None) -> str | None:
    return value.source if isinstance(value, SourceDocument) else value


def _sql_text(value: object) -> str:
    return str(value).replace("'", "''")


# --------------------------------------------------------------------------- reading


def open_partitions(folder: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the store's tables as views over the committed
    partitions of ``folder``. The views read the files at each query: a partition
    committed later is seen, and changes ``meta``'s data_version (the queries' cache key)."""
    folder = Path(folder)
    if not committed_parts(folder):
        raise PartitionsError(
            f"no Parquet partitions in {folder}: write some with "
            f"`python -m lib ingest PATHS --parquet {folder}` or `python -m lib export`")
    connection = duckdb.connect()
    try:
        connection.execute(_views_sql(folder))
        _check_schema_version(connection, folder)
    except BaseException:
        connection.close()
        raise
    return connection


def _check_schema_version(connection: duckdb.DuckDBPyConnection, folder: Path) -> None:
    versions = {row[0] for row in connection.execute(
        "SELECT DISTINCT value FROM _meta WHERE key = 'schema_version'").fetchall()}
    if versions != {SCHEMA_VERSION}:
        raise PartitionsError(
            f"the partitions in {folder} have schema versions {sorted(versions)}, this code "
            f"reads {SCHEMA_VERSION}: write them again from the sources")


def _read(folder: Path, table: str) -> str:
    pattern = _sql_text(folder.resolve() / table / f"{PARTITION_KEY}=*" / "*.parquet")
    return (f"read_parquet('{pattern}', hive_partitioning = true, "
            f"hive_types = {{'{PARTITION_KEY}': VARCHAR}})")


def _views_sql(folder: Path) -> str:
    """The views: underscored ones for the raw partitions, then the store's table names."""
    statements = [
        f"CREATE VIEW _meta AS SELECT * FROM {_read(folder, META_TABLE)}",
        "CREATE VIEW _parts AS SELECT DISTINCT part FROM _meta",  # the committed ones
    ]
    for table in DATA_TABLES:
        statements.append(f"CREATE VIEW _{table} AS SELECT * FROM {_read(folder, table)} "
                          "WHERE part IN (SELECT part FROM _parts)")
    statements.append(  # which partition each document's rows come from: the latest
        "CREATE VIEW _document_part AS "
        "SELECT doc_id, max(part) AS part FROM _documents GROUP BY doc_id")
    for table in DOCUMENT_TABLES:
        statements.append(
            f"CREATE VIEW {table} AS SELECT r.* EXCLUDE (part) FROM _{table} r "
            "SEMI JOIN _document_part l ON r.doc_id = l.doc_id AND r.part = l.part")
    statements += [
        # The first partition naming a collection made it (a Store keeps its first row).
        """CREATE VIEW collections AS
           SELECT collection_id, arg_min(read_only, part) AS read_only,
                  arg_min(created_at, part) AS created_at
           FROM _collections GROUP BY collection_id""",
        # Per collection and source, the latest partition naming it lists its document;
        # a document under two names keeps the first, as a Store does.
        """CREATE VIEW collection_documents AS
           WITH latest AS (
               SELECT collection_id, source, max(part) AS part
               FROM _collection_documents GROUP BY collection_id, source
           )
           SELECT r.collection_id, r.doc_id, arg_min(r.source, r.part) AS source
           FROM _collection_documents r SEMI JOIN latest l
             ON r.collection_id = l.collection_id AND r.part = l.part
            AND r.source IS NOT DISTINCT FROM l.source
           GROUP BY r.collection_id, r.doc_id""",
        # What lib.store.data_version reads: new whenever a partition is committed.
        f"""CREATE VIEW meta AS
           SELECT 'schema_version' AS key, '{SCHEMA_VERSION}' AS value
           UNION ALL
           SELECT 'data_version', md5(string_agg(part, ',' ORDER BY part)) FROM _parts""",
    ]
    return ";\n".join(statements)
