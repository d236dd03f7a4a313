"""The DuckDB store: round trip, content-hash keys, collections, schema versions, threads."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from contextlib import contextmanager

import duckdb
import pytest

from lib import schema
from lib import store as store_module
from lib.model import Entity, ParsedDocument, Quote, SourceDocument, Story
from lib.store import (
    SCHEMA_VERSION,
    Store,
    StoreError,
    StoreLocked,
    data_version,
    has_staged,
    new_staging_path,
    staged_folder,
)


def make_doc(doc_id: str, source: str = "page.txt", *, n_stories: int = 1) -> ParsedDocument:
    stories = []
    for index in range(n_stories):
        paragraphs = [f"Story {index} opens.", '"We will rebuild," Ana Lopez said.']
        text_offset = len(paragraphs[0]) + 2  # the second paragraph in Story.text
        stories.append(
            Story(
                headline=f"Headline {index}",
                paragraphs=paragraphs,
                captions=["A caption"],
                entities=[
                    Entity("Ana Lopez", "PERSON", "Ana Lopez", text_offset + 20, text_offset + 29),
                    Entity("Spanish", "NORP", "Spain", 0, 7, "Spain", "ESP"),
                ],
                quotes=[
                    Quote("We will rebuild,", "direct", "Ana Lopez", "Ana Lopez", "said",
                          spans=[(text_offset + 1, text_offset + 17)],
                          speaker_span=(text_offset + 20, text_offset + 29),
                          cue_span=(text_offset + 30, text_offset + 34)),
                ],
                published=f"2025-01-02T09:{index:02d}:00+00:00" if index == 0 else None,
            )
        )
    return ParsedDocument(doc_id=doc_id, source=source, title="Title", stories=stories,
                          outlet="Gazette", date="2025-01-02", author="Ada")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "news.duckdb") as opened:
        yield opened


def test_round_trip(store):
    source = SourceDocument("page.html", "text", "d1", kind="html")
    assert store.add([make_doc("d1", "page.html", n_stories=2)], sources={"d1": source}) == 1
    document = store.frame("SELECT * FROM documents").iloc[0]
    assert (document.doc_id, document.kind, document.n_stories, document.outlet) == (
        "d1", "html", 2, "Gazette")
    stories = store.frame("SELECT * FROM stories ORDER BY story_idx")
    assert list(stories.story_id) == ["d1:0", "d1:1"]
    assert list(stories.paragraphs[0]) == ["Story 0 opens.", '"We will rebuild," Ana Lopez said.']
    assert list(stories.captions[0]) == ["A caption"]
    assert list(stories.published.fillna("")) == ["2025-01-02T09:00:00+00:00", ""]
    quote = store.frame("SELECT * FROM quotes WHERE story_id = 'd1:0'").iloc[0]
    assert quote.quote_id == "d1:0:0" and quote.speaker == "Ana Lopez"
    assert [list(span) for span in quote.spans] == [[17, 33]]
    assert (quote.speaker_start, quote.cue_end, quote.paragraph) == (36, 50, 1)
    entities = store.frame("SELECT * FROM entities WHERE story_id = 'd1:0' ORDER BY start_char")
    assert list(entities.canonical) == ["Spain", "Ana Lopez"]
    assert store.totals(["d1"]) == {"documents": 1, "stories": 2, "quotes": 2, "people": 1,
                                   "countries": 1}


# What the declared tables were when SCHEMA_VERSION was last bumped: a store on disk of
# that version holds exactly these columns.
SCHEMA_FINGERPRINTS = {"2": "a4e33c51f972f587", "3": "2215601794003828",
                       "4": "8f5ac0ffd6cbb9b6"}


def schema_fingerprint() -> str:
    declared = [(t.name, [(c.name, c.sql_type, c.constraint, c.default) for c in t.columns],
                 t.primary_key, t.indexes) for t in schema.TABLES]
    return hashlib.sha256(repr(declared).encode()).hexdigest()[:16]


def test_a_changed_table_bumps_the_schema_version():
    assert SCHEMA_FINGERPRINTS.get(SCHEMA_VERSION) == schema_fingerprint(), (
        "the declared tables changed: bump SCHEMA_VERSION in lib/store.py (stores of the old "
        "version are then rebuilt) and pin the new fingerprint here")


@pytest.mark.parametrize("table", schema.TABLES, ids=[t.name for t in schema.TABLES])
def test_the_ddl_has_the_columns_of_the_arrow_schema(table):
    with duckdb.connect() as connection:
        connection.execute(table.ddl())
        created = connection.execute(f"DESCRIBE {table.name}").fetchall()
        connection.register("written", table.arrow_schema.empty_table())
        written = connection.execute("DESCRIBE written").fetchall()
    by_default = [name for name, _, _, _, default, _ in created if default is not None]
    assert by_default == [c.name for c in table.columns if c.default is not None]
    # name and DuckDB type, in the declared order, of every column rows are written with
    assert [row[:2] for row in created if row[0] not in by_default] == [
        row[:2] for row in written]
    assert [row[0] for row in created] == [c.name for c in table.columns]


def test_the_store_is_created_from_the_declaration(store):
    for table in schema.TABLES:
        assert list(store.frame(f"SELECT * FROM {table.name} LIMIT 0").columns) == [
            column.name for column in table.columns]


def test_every_column_round_trips_a_parsed_document(store):
    """Each value comes back in its own column (the int columns of a row all differ, so
    two of them swapped would show)."""
    doc = make_doc("d1", "page.html", n_stories=2)
    story, quote = doc.stories[0], doc.stories[0].quotes[0]
    person = next(entity for entity in story.entities if entity.label == "PERSON")
    store.add([doc], sources={"d1": SourceDocument("page.html", "text", "d1", kind="html")})

    def row(sql: str) -> dict:
        with store.cursor() as cursor:
            rows = cursor.execute(sql).fetchall()
            names = [column[0] for column in cursor.description]
        assert len(rows) == 1
        return dict(zip(names, rows[0]))

    assert row("SELECT * EXCLUDE (ingested_at) FROM documents") == {
        "doc_id": "d1", "source": "page.html", "title": "Title", "outlet": "Gazette",
        "date": "2025-01-02", "author": "Ada", "kind": "html", "n_stories": 2}
    assert row("SELECT * FROM stories WHERE story_idx = 0") == {
        "story_id": "d1:0", "doc_id": "d1", "story_idx": 0, "headline": "Headline 0",
        "paragraphs": story.paragraphs, "captions": story.captions, "n_entities": 2,
        "n_quotes": 1, "published": "2025-01-02T09:00:00+00:00"}
    assert row("SELECT * FROM entities WHERE story_id = 'd1:0' AND label = 'PERSON'") == {
        "story_id": "d1:0", "doc_id": "d1", "start_char": person.start,
        "end_char": person.end, "text": person.text, "label": "PERSON",
        "canonical": person.canonical, "country": None, "country_code": None}
    assert row("SELECT * FROM quotes WHERE quote_id = 'd1:0:0'") == {
        "quote_id": "d1:0:0", "story_id": "d1:0", "doc_id": "d1", "quote_idx": 0,
        "text": quote.text, "kind": quote.kind, "speaker": quote.speaker,
        "speaker_mention": quote.speaker_mention, "cue": quote.cue,
        "spans": [list(span) for span in quote.spans],
        "speaker_start": quote.speaker_span[0], "speaker_end": quote.speaker_span[1],
        "cue_start": quote.cue_span[0], "cue_end": quote.cue_span[1], "paragraph": 1,
        "speaker_description": quote.speaker_description, "speaker_body": quote.speaker_body}


@pytest.mark.parametrize("values, message", [
    ({"key": "k"}, r"missing \['value'\], unknown \[\]"),
    ({"key": "k", "value": "v", "vale": "v"}, r"missing \[\], unknown \['vale'\]"),
], ids=["a column left out", "a misspelt column"])
def test_a_row_names_every_column_and_no_other(values, message):
    with pytest.raises(ValueError, match=message):
        schema.META.rows().append(**values)


def test_known_and_collections(store):
    store.add([make_doc("d1"), make_doc("d2", "other.txt")])
    assert store.known(["d1", "d3", "d2"]) == {"d1", "d2"}
    assert store.known([]) == set()
    assert store.document_ids("demo") == ["d2", "d1"]  # ordered by source: other < page


def test_a_document_is_stored_once_whatever_the_collection(store):
    store.add([make_doc("d1")], collection="a")
    store.add([make_doc("d1")], collection="b")
    assert store.frame("SELECT count(*) AS n FROM documents").n[0] == 1
    assert store.frame("SELECT count(*) AS n FROM stories").n[0] == 1
    assert store.document_ids("a") == store.document_ids("b") == ["d1"]


def test_create_collection_is_unguessable(store):
    first, second = store.create_collection(), store.create_collection(read_only=True)
    assert first != second and len(first) >= 22
    assert store.collection_exists(first) and not store.collection_exists("guess")
    assert store.collection_is_read_only(second) and not store.collection_is_read_only(first)
    assert store.document_ids(first) == []


def test_link_only_stored_documents(store):
    store.add([make_doc("d1")])
    collection = store.create_collection()
    assert store.link(collection, ["d1", "never-stored"], {"d1": "mine.txt"}) == 1
    assert store.link(collection, ["d1"]) == 0
    assert store.document_ids(collection) == ["d1"]
    assert store.frame(
        "SELECT source FROM collection_documents WHERE collection_id = ?", [collection]
    ).source[0] == "mine.txt"


def test_an_edited_source_replaces_its_old_version_in_the_collection(store):
    store.add([make_doc("old", "page.txt"), make_doc("other", "other.txt")])
    store.add([make_doc("new", "page.txt")])
    assert set(store.document_ids("demo")) == {"other", "new"}
    assert store.known(["old"]) == {"old"}  # still parsed, for any collection that holds it


def pasted(doc_id: str, name: str = "pasted text") -> SourceDocument:
    """An upload or a paste: a page of its own whatever its name."""
    return SourceDocument(name, "text", doc_id, rereadable=False)


def test_pastes_and_uploads_under_one_name_are_all_kept(store):
    store.add([make_doc("first", "pasted text")], sources={"first": pasted("first")})
    store.add([make_doc("second", "pasted text")], sources={"second": pasted("second")})
    store.add([make_doc("a", "index.html"), make_doc("b", "index.html")],
              sources={"a": pasted("a", "index.html"), "b": pasted("b", "index.html")})
    assert set(store.document_ids("demo")) == {"first", "second", "a", "b"}
    # the same, when a paste's document was already stored and is only linked
    collection = store.create_collection()
    store.link(collection, ["first"], {"first": pasted("first")})
    store.link(collection, ["second"], {"second": pasted("second")})
    assert set(store.document_ids(collection)) == {"first", "second"}


def test_a_copy_of_a_collection_keeps_every_member_and_later_pastes(store):
    store.add([make_doc("first", "pasted text")], collection="theirs",
              sources={"first": pasted("first")})
    store.add([make_doc("second", "pasted text")], collection="theirs",
              sources={"second": pasted("second")})
    copy = store.create_collection()
    assert store.link(copy, store.document_ids("theirs")) == 2
    store.add([make_doc("third", "pasted text")], collection=copy,
              sources={"third": pasted("third")})
    assert set(store.document_ids(copy)) == {"first", "second", "third"}
    assert set(store.document_ids("theirs")) == {"first", "second"}


def test_add_is_one_transaction(store, monkeypatch):
    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_module, "_replace_members", fail)
    with pytest.raises(RuntimeError):
        store.add([make_doc("d1"), make_doc("d2", "b.txt")])
    assert store.known(["d1", "d2"]) == set()
    assert store.frame("SELECT count(*) AS n FROM stories").n[0] == 0


def test_re_adding_replaces_rows_not_duplicates(store):
    store.add([make_doc("d1", n_stories=2)])
    store.add([make_doc("d1", n_stories=1)])
    assert store.frame("SELECT count(*) AS n FROM stories").n[0] == 1
    assert store.frame("SELECT count(*) AS n FROM quotes").n[0] == 1


def test_other_schema_version_is_rebuilt(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        connection.execute("INSERT INTO meta VALUES ('schema_version', 'ancient')")
        connection.execute("CREATE TABLE documents (doc_id INTEGER, junk VARCHAR)")
        connection.execute("INSERT INTO documents VALUES (1, 'x')")
    with Store(path) as rebuilt:
        assert rebuilt.schema_version() == SCHEMA_VERSION
        assert rebuilt.known(["1"]) == set()
        rebuilt.add([make_doc("d1")])
    with Store(path, read_only=True) as reopened:
        assert reopened.known(["d1"]) == {"d1"}


# The columns each older version lacks, as the statements that take them out of a fresh store.
OLDER_VERSIONS = {
    "2": ("ALTER TABLE collections DROP COLUMN owner_key_hash",
          "ALTER TABLE collections DROP COLUMN title",
          "ALTER TABLE stories DROP COLUMN published"),
    "3": ("ALTER TABLE stories DROP COLUMN published",),
}


def test_every_migrated_version_is_pinned_here():
    assert set(OLDER_VERSIONS) == set(store_module.MIGRATIONS)


@pytest.mark.parametrize("version", sorted(OLDER_VERSIONS))
def test_a_store_of_an_older_version_gains_the_new_columns_and_keeps_its_rows(tmp_path, version):
    path = tmp_path / f"v{version}.duckdb"
    with Store(path) as store:
        store.add([make_doc("d1")], collection="visitor-pages")
        fresh = {table.name: store.frame(f"DESCRIBE {table.name}") for table in schema.TABLES}
    with duckdb.connect(str(path)) as connection:  # as that version left it
        for statement in OLDER_VERSIONS[version]:
            connection.execute(statement)
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [version])
    with pytest.raises(StoreError, match="schema version"):
        Store(path, read_only=True)  # a reader never migrates
    with Store(path) as migrated:
        assert migrated.schema_version() == SCHEMA_VERSION
        for table, columns in fresh.items():
            assert migrated.frame(f"DESCRIBE {table}").equals(columns), table
        assert migrated.known(["d1"]) == {"d1"}
        members = migrated.frame("SELECT collection_id, doc_id FROM collection_documents")
        assert ("visitor-pages", "d1") in set(zip(members.collection_id, members.doc_id))
        stories = migrated.frame("SELECT story_id, headline, published FROM stories")
        assert list(stories.headline) == ["Headline 0"] and stories.published.isna().all()
        migrated.add([make_doc("d2")])  # rows of the new version go in
        assert migrated.frame("SELECT published FROM stories WHERE doc_id = 'd2'"
                              ).published[0] == "2025-01-02T09:00:00+00:00"


def test_read_only_never_rebuilds(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        connection.execute("INSERT INTO meta VALUES ('schema_version', 'ancient')")
    with pytest.raises(StoreError, match="schema version"):
        Store(path, read_only=True)
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_default_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_STORE", str(tmp_path / "env" / "store.duckdb"))
    with Store() as opened:
        assert opened.path == str(tmp_path / "env" / "store.duckdb")
    assert (tmp_path / "env" / "store.duckdb").is_file()


def test_threads_share_one_store(store):
    errors = []

    def work(worker: int) -> None:
        try:
            for index in range(5):
                doc_id = f"w{worker}-{index}"
                store.add([make_doc(doc_id, f"{doc_id}.txt")], collection=f"c{worker % 2}")
                assert doc_id in store.known([doc_id])
        except Exception as error:  # reported below, with the thread's error
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.document_ids("c0")) == len(store.document_ids("c1")) == 15


# --------------------------------------------------------------------------- locks and staging


@contextmanager
def held_by_another_process(path, seconds: float = 60):
    """Another process with the store open for writing, as a running dashboard has it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); time.sleep(float(sys.argv[2]))", str(path), str(seconds)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_store_held_by_another_process_says_so(tmp_path):
    path = tmp_path / "news.duckdb"
    Store(path).close()
    with held_by_another_process(path) as holder:
        with pytest.raises(StoreLocked) as locked:
            Store(path)
    assert locked.value.holder == holder.pid
    assert str(locked.value) == (f"the store {path} is in use by process {holder.pid} "
                                 "(a running dashboard or ingest)")


def test_a_damaged_store_is_named_with_what_to_do(tmp_path):
    path = tmp_path / "news.duckdb"
    path.write_bytes(b"not a database " * 500)
    with pytest.raises(StoreError) as damaged:
        Store(path)
    message = str(damaged.value)
    assert "\n" not in message and str(path) in message and "rebuild" in message
    assert not isinstance(damaged.value, StoreLocked)


def stage(path, docs, collection="demo", name=None):
    staging = new_staging_path(path)
    with Store(staging) as staged:
        staged.add(docs, collection=collection)
    return staging.rename(staging.with_suffix(".duckdb") if name is None
                          else staging.with_name(name))


def test_staged_ingests_join_the_store_when_it_is_opened(tmp_path):
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        store.add([make_doc("old", "page.txt"), make_doc("kept", "other.txt")])
        with store.cursor() as cursor:
            before = data_version(cursor)
    stage(path, [make_doc("new", "page.txt"), make_doc("kept", "other.txt")])
    stage(path, [make_doc("elsewhere", "x.txt")], collection="mine")
    assert has_staged(path)
    with Store(path) as store:
        assert set(store.document_ids("demo")) == {"new", "kept"}  # page.txt was edited
        assert store.document_ids("mine") == ["elsewhere"]
        assert store.frame("SELECT count(*) AS n FROM stories WHERE doc_id = 'kept'").n[0] == 1
        with store.cursor() as cursor:
            assert data_version(cursor) != before
    assert not has_staged(path) and not list(staged_folder(path).iterdir())


def test_staged_rows_join_by_column_name_not_position(tmp_path):
    path = tmp_path / "news.duckdb"
    staged = stage(path, [make_doc("d1")])
    with duckdb.connect(str(staged)) as connection:  # the same columns in reverse order
        columns = ", ".join(reversed(schema.QUOTES.arrow_schema.names))
        connection.execute(f"CREATE TABLE reversed AS SELECT {columns} FROM quotes")
        connection.execute("DROP TABLE quotes")
        connection.execute("ALTER TABLE reversed RENAME TO quotes")
    with Store(path) as store:
        quote = store.frame("SELECT * FROM quotes").iloc[0]
    assert (quote.quote_id, quote.speaker_start, quote.speaker_end, quote.cue_end) == (
        "d1:0:0", 36, 45, 50)


def test_a_running_store_takes_staged_ingests_and_sets_a_bad_one_aside(tmp_path):
    path = tmp_path / "news.duckdb"
    with Store(path) as store:
        stage(path, [make_doc("d1")])
        (staged_folder(path) / "0-broken.duckdb").write_bytes(b"junk" * 100)
        problems = store.take_staged()
        assert store.document_ids("demo") == ["d1"]
    assert len(problems) == 1 and "0-broken.duckdb" in problems[0]
    assert [p.name for p in staged_folder(path).iterdir()] == ["0-broken.failed"]


def test_opening_a_store_reports_a_staged_run_it_could_not_take(tmp_path):
    path = tmp_path / "news.duckdb"
    Store(path).close()
    staged_folder(path).mkdir()
    (staged_folder(path) / "0-broken.duckdb").write_bytes(b"junk" * 100)
    with Store(path) as store:
        assert len(store.staged_problems) == 1 and "0-broken.duckdb" in store.staged_problems[0]


def test_has_documents_says_whether_a_collection_holds_any():
    with Store(":memory:") as store:
        assert not store.has_documents("demo")
        store.ensure_collection("demo")
        assert not store.has_documents("demo")  # a collection with no member yet
        store.add([make_doc("a" * 64)], collection="demo")
        assert store.has_documents("demo") and not store.has_documents("other")
