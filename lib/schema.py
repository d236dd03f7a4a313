"""The store's tables, each declared once: the DDL and the Arrow schemas are made from it.

Bump SCHEMA_VERSION in lib/store.py when a table changes: a store written under
another version is rebuilt, never misread. Documents are keyed by content hash
(doc_id) and parsed once, whatever collection they belong to; collections only
list which documents they hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType  # the SQL type is made from it: the two cannot disagree
    constraint: str = ""  # "PRIMARY KEY" or "NOT NULL"
    default: str | None = None  # an SQL expression DuckDB fills the column with
    comment: str = ""

    @property
    def sql_type(self) -> str:
        return sql_type(self.type)

    def ddl(self) -> str:
        parts = [self.name, self.sql_type, self.constraint]
        if self.default is not None:
            parts.append(f"DEFAULT {self.default}")
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Index:
    name: str
    column: str


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()  # a key of several columns; one column's is its constraint
    indexes: tuple[Index, ...] = ()

    @cached_property
    def arrow_schema(self) -> pa.Schema:
        """The columns rows are written with; a column with a DEFAULT is left to DuckDB."""
        return pa.schema([(c.name, c.type) for c in self.columns if c.default is None])

    def ddl(self) -> str:
        entries = [(column.ddl(), column.comment) for column in self.columns]
        if self.primary_key:
            entries.append((f"PRIMARY KEY ({', '.join(self.primary_key)})", ""))
        body = []
        for number, (entry, comment) in enumerate(entries, start=1):
            comma = "," if number < len(entries) else ""
            # after the comma: "--" runs to the end of the line
            body.append(f"    {entry}{comma}" + (f"  -- {comment}" if comment else ""))
        statements = [f"CREATE TABLE IF NOT EXISTS {self.name} (\n" + "\n".join(body) + "\n);"]
        statements += [f"CREATE INDEX IF NOT EXISTS {index.name} ON {self.name} ({index.column});"
                       for index in self.indexes]
        return "\n".join(statements)

    def rows(self) -> Rows:
        return Rows(self)


class Rows:
    """A table's rows gathered column by column, every value given by its column's name:
    a value in the wrong column, or a column left out, cannot go unnoticed."""

    def __init__(self, table: Table):
        self.table = table
        self._columns: dict[str, list] = {name: [] for name in table.arrow_schema.names}

    def append(self, **values) -> None:
        if values.keys() != self._columns.keys():
            missing = sorted(self._columns.keys() - values.keys())
            unknown = sorted(values.keys() - self._columns.keys())
            raise ValueError(f"a row of {self.table.name}: missing {missing}, unknown {unknown}")
        for name, value in values.items():
            self._columns[name].append(value)

    def to_arrow(self) -> pa.Table:
        return pa.table(self._columns, schema=self.table.arrow_schema)


# DuckDB's names for the Arrow types the store uses
SQL_TYPES = (
    (pa.types.is_string, "VARCHAR"),
    (pa.types.is_int32, "INTEGER"),
    (pa.types.is_boolean, "BOOLEAN"),
    (pa.types.is_timestamp, "TIMESTAMP"),
)


def sql_type(arrow_type: pa.DataType) -> str:
    """DuckDB's name for an Arrow type; lists as ``TYPE[]``."""
    if pa.types.is_list(arrow_type):
        return sql_type(arrow_type.value_type) + "[]"
    for is_type, name in SQL_TYPES:
        if is_type(arrow_type):
            return name
    raise ValueError(f"no SQL type declared for the Arrow type {arrow_type}")


STRING = pa.string()
INT32 = pa.int32()
STRING_LIST = pa.list_(pa.string())

META = Table("meta", (
    Column("key", STRING, "PRIMARY KEY"),
    Column("value", STRING),
))

DOCUMENTS = Table("documents", (
    Column("doc_id", STRING, "PRIMARY KEY", comment="hex sha256 of the document text"),
    Column("source", STRING, "NOT NULL", comment="path or URL first seen"),
    Column("title", STRING),
    Column("outlet", STRING),
    Column("date", STRING, comment="ISO date when known"),
    Column("author", STRING),
    Column("kind", STRING, comment="text | html | url"),
    Column("n_stories", INT32),
    Column("ingested_at", pa.timestamp("us"), default="current_timestamp"),
))

COLLECTIONS = Table("collections", (
    Column("collection_id", STRING, "PRIMARY KEY", comment='"demo", or an unguessable token'),
    Column("read_only", pa.bool_(), default="FALSE"),
    Column("created_at", pa.timestamp("us"), default="current_timestamp"),
    Column("title", STRING, comment="the name its owner gave it, if any"),
    Column("owner_key_hash", STRING,
           comment="sha256 of its edit key (lib.visitor); NULL: nobody may edit it"),
))

COLLECTION_DOCUMENTS = Table("collection_documents", (
    Column("collection_id", STRING, "NOT NULL"),
    Column("doc_id", STRING, "NOT NULL"),
    Column("source", STRING, comment="path or URL in this collection"),
), primary_key=("collection_id", "doc_id"))

STORIES = Table("stories", (
    Column("story_id", STRING, "PRIMARY KEY", comment="doc_id || ':' || story_idx"),
    Column("doc_id", STRING, "NOT NULL"),
    Column("story_idx", INT32, "NOT NULL"),
    Column("headline", STRING),
    Column("paragraphs", STRING_LIST),
    Column("captions", STRING_LIST),
    Column("n_entities", INT32),
    Column("n_quotes", INT32),
    # last: a store of version 3 gains it by ALTER TABLE, which adds columns at the end
    Column("published", STRING, comment="ISO 8601 time of a live page's post, when known"),
))

ENTITIES = Table("entities", (
    Column("story_id", STRING, "NOT NULL"),
    Column("doc_id", STRING, "NOT NULL"),
    Column("start_char", INT32,
           comment="offsets in the story text (paragraphs joined by a blank line)"),
    Column("end_char", INT32),
    Column("text", STRING),
    Column("label", STRING),
    Column("canonical", STRING),
    Column("country", STRING),
    Column("country_code", STRING),
), indexes=(Index("entities_story", "story_id"), Index("entities_canonical", "canonical")))

QUOTES = Table("quotes", (
    Column("quote_id", STRING, "PRIMARY KEY", comment="story_id || ':' || quote_idx"),
    Column("story_id", STRING, "NOT NULL"),
    Column("doc_id", STRING, "NOT NULL"),
    Column("quote_idx", INT32),
    Column("text", STRING),
    Column("kind", STRING),
    Column("speaker", STRING),
    Column("speaker_mention", STRING),
    Column("cue", STRING),
    Column("spans", pa.list_(pa.list_(INT32)), comment="content pieces, [[start, end], ...]"),
    Column("speaker_start", INT32),
    Column("speaker_end", INT32),
    Column("cue_start", INT32),
    Column("cue_end", INT32),
    Column("paragraph", INT32, comment="index of the paragraph where the quote starts"),
    Column("speaker_description", STRING,
           comment='an unnamed source as described ("Home Office spokesman")'),
    Column("speaker_body", STRING,
           comment='the body an unnamed source speaks for ("Home Office")'),
), indexes=(Index("quotes_story", "story_id"), Index("quotes_speaker", "speaker")))

TABLES = (META, DOCUMENTS, COLLECTIONS, COLLECTION_DOCUMENTS, STORIES, ENTITIES, QUOTES)


def ddl() -> str:
    """Every table and index, as one script to run on an empty store."""
    return "\n\n".join(table.ddl() for table in TABLES) + "\n"
