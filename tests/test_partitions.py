"""lib.partitions: the store as Parquet partitions, and every lib.query function on them.

The demo store the page tests use is exported to partitions; each query function must
give on the partitions' views exactly what it gives on the DuckDB file.
"""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lib import query
from lib.ingest import ingest
from lib.partitions import (
    DATA_FILE,
    PartitionsError,
    PartitionStore,
    committed_parts,
    export_store,
    open_partitions,
    write_partition,
)
from lib.query import MENTIONING, Filters, QuoteSearch
from lib.store import DEMO_COLLECTION, Store
from tests.streamlit_harness import REPO_DIR, build_demo_store
from tests.test_cli import ARTICLE, error_lines, run, summary_count
from tests.test_query import (
    FULL_NAME_DOC,
    SURNAME_DOC,
    assert_same,
    document,
    hidden_document,
    sample_documents,
    story_naming,
    unnamed_documents,
)

SAMPLES = REPO_DIR / "data" / "samples"
PRIVATE = "private"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    """The page tests' demo store (parsed samples and hand-built documents), plus a
    document in another collection."""
    path = tmp_path_factory.mktemp("demo") / "news.duckdb"
    summary = build_demo_store(path, extra_documents=(
        *sample_documents(), FULL_NAME_DOC, SURNAME_DOC, *unnamed_documents()))
    assert not summary.failures, summary.failures
    with Store(path) as store:
        store.add([hidden_document()], collection=PRIVATE)
    return path


@pytest.fixture(scope="module")
def exported(demo_store, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("partitions")
    export_store(demo_store, folder)
    return folder


@pytest.fixture(scope="module")
def engines(demo_store, exported):
    """(the DuckDB file, the Parquet partitions of the same corpus)."""
    with Store(demo_store, read_only=True) as store, store.cursor() as file_con, \
            open_partitions(exported) as parquet_con:
        yield file_con, parquet_con


# --------------------------------------------------------------------------- every query


def first_story(con, filters: Filters) -> str:
    stories = query.story_list(con, filters, limit=1).story_id
    return stories[0] if len(stories) else "no story in view"


def first_quote(con, filters: Filters) -> str:
    quotes = query.quote_rows(con, filters, limit=1).quote_id
    return quotes[0] if len(quotes) else "no quote in view"


def first_speakers(con, filters: Filters) -> list[str]:
    return list(query.speaker_table(con, filters, unnamed=True).speaker[:5])


# name (the lib.query function, then how it is called) -> the call
QUERIES = {
    "people_count": lambda con, f: query.people_count(con, f.collections),
    "person_aliases": lambda con, f: query.person_aliases(con, f.collections),
    "non_person_names": lambda con, f: query.non_person_names(con, f.collections),
    "filter_options": lambda con, f: query.filter_options(con, f.collections),
    "corpus_figures": lambda con, f: query.corpus_figures(con, f),
    "corpus_figures (unnamed)": lambda con, f: query.corpus_figures(con, f, unnamed=True),
    "count_stories": lambda con, f: query.count_stories(con, f),
    "story_list": lambda con, f: query.story_list(con, f, limit=100),
    "story_list (page 2)": lambda con, f: query.story_list(con, f, offset=2, limit=2),
    "story_detail": lambda con, f: query.story_detail(con, f, first_story(con, f)),
    "entity_counts": lambda con, f: query.entity_counts(con, f, "organisation"),
    "top_entities": lambda con, f: query.top_entities(con, f),
    "country_map": lambda con, f: query.country_map(con, f),
    "cooccurrence": lambda con, f: query.cooccurrence(con, f),
    "quote_rows": lambda con, f: query.quote_rows(con, f, limit=None),
    "quote_rows (mentioning, search)": lambda con, f: query.quote_rows(
        con, f, QuoteSearch(mode=MENTIONING, search="the"), limit=None),
    "count_quotes": lambda con, f: query.count_quotes(con, f),
    "quote_facets": lambda con, f: query.quote_facets(con, f),
    "quote_facets (mentioning)": lambda con, f: query.quote_facets(con, f, mode=MENTIONING),
    "quote_passage": lambda con, f: query.quote_passage(con, f, first_quote(con, f)),
    "speaker_table": lambda con, f: query.speaker_table(con, f),
    "speaker_table (unnamed)": lambda con, f: query.speaker_table(con, f, unnamed=True),
    "speaker_topics": lambda con, f: query.speaker_topics(con, f, unnamed=True),
    "speaker_sections": lambda con, f: query.speaker_sections(
        con, f, first_speakers(con, f), unnamed=True),
    "top_speaker_topics": lambda con, f: query.top_speaker_topics(con, f, limit=5),
    "timeline": lambda con, f: query.timeline(con, f),
    "timeline (countries)": lambda con, f: query.timeline(con, f, kind="country"),
    "timeline (outlets)": lambda con, f: query.timeline(con, f, kind="outlet"),
    "search_names": lambda con, f: query.search_names(con, f, ["a"]),
    "entity_table": lambda con, f: query.entity_table(con, f),
    "search_stories": lambda con, f: query.search_stories(con, f, ["the"]),
}
# Public lib.query functions taking a connection that are not compared above, and why.
NOT_COMPARED = {
    "corpus_version": "each engine has its own versions: tested on its own below",
    "prepare_views": "returns nothing: the queries it runs are compared after it below",
}
FILTERS = {
    "no filter": Filters(),
    "a person": Filters(people=("Ana Lima",)),
    "a person named by surname too": Filters(people=("Tony Blair",)),
    "a country": Filters(countries=("France",)),
    "two collections": Filters(collections=(DEMO_COLLECTION, PRIVATE)),
    "an outlet": Filters(outlets=("Test Herald",)),
    "a date range": Filters(date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 12, 31)),
}


def query_functions() -> set[str]:
    """The public functions of lib.query whose first parameter is a connection."""
    return {name for name, function in inspect.getmembers(query, inspect.isfunction)
            if function.__module__ == query.__name__ and not name.startswith("_")
            and next(iter(inspect.signature(function).parameters), None) == "con"}


def test_every_query_function_is_compared():
    compared = {name.split(" (")[0] for name in QUERIES}
    assert compared | set(NOT_COMPARED) == query_functions()


@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
def test_each_filter_keeps_some_of_the_corpus(engines, filters):
    """The comparisons below compare something: every filter leaves stories and quotes."""
    file_con, _ = engines
    everything = query.corpus_figures(file_con, Filters(collections=(DEMO_COLLECTION, PRIVATE)))
    figures = query.corpus_figures(file_con, filters)
    assert 0 < figures["stories"] <= everything["stories"]
    assert figures["quotes"] > 0


@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
@pytest.mark.parametrize("name", QUERIES)
def test_a_query_gives_the_same_on_parquet_as_on_the_store(engines, name, filters):
    file_con, parquet_con = engines
    assert_same(QUERIES[name](parquet_con, filters), QUERIES[name](file_con, filters))


def test_queries_agree_after_prepare_views(exported, engines):
    """What ``python -m lib ingest`` prepares for a store, prepared on partitions: the
    pages' opening queries then read kept summaries, and still agree with the store."""
    file_con, _ = engines
    scope = Filters(collections=(DEMO_COLLECTION, PRIVATE))
    with open_partitions(exported) as con:
        query.prepare_views(con, scope.collections)
        for name in ("corpus_figures", "story_list", "top_entities", "speaker_table"):
            assert_same(QUERIES[name](con, scope), QUERIES[name](file_con, scope))


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    "make_folder",
    [
        pytest.param(lambda folder: folder / "absent", id="no folder"),
        pytest.param(lambda folder: folder, id="an empty folder"),
        pytest.param(lambda folder: uncommitted_copy(folder), id="data files, no commit mark"),
    ],
)
def test_no_partitions_is_a_clear_error(tmp_path, make_folder):
    folder = make_folder(tmp_path)
    with pytest.raises(PartitionsError, match=r"no Parquet partitions in .*python -m lib ingest"):
        open_partitions(folder)


def uncommitted_copy(folder: Path) -> Path:
    """A documents file half written, in a partition never committed."""
    target = folder / "documents" / "part=99999999999999999999-0000" / DATA_FILE
    target.parent.mkdir(parents=True)
    target.write_bytes(b"half a file")
    return folder


def test_a_partition_without_its_commit_mark_is_not_read(tmp_path, exported):
    folder = tmp_path / "copy"
    shutil.copytree(exported, folder)
    with open_partitions(folder) as before:
        expected = query.corpus_figures(before, Filters())
    PartitionStore(folder).add([V1], sources={V1.doc_id: "a.txt"})
    with open_partitions(folder) as committed:
        assert query.corpus_figures(committed, Filters())["documents"] == expected["documents"] + 1
    newest = committed_parts(folder)[-1]
    (folder / "meta" / f"part={newest}" / DATA_FILE).unlink()  # as if its writer died here
    with open_partitions(folder) as after:
        assert query.corpus_figures(after, Filters()) == expected
        assert after.execute("SELECT count(*) FROM stories WHERE doc_id = ?",
                             [V1.doc_id]).fetchone()[0] == 0


def test_partitions_of_another_schema_version_are_refused(tmp_path, exported):
    folder = tmp_path / "copy"
    shutil.copytree(exported, folder)
    (mark,) = folder.glob(f"meta/*/{DATA_FILE}")
    pq.write_table(pa.table({"key": ["schema_version"], "value": ["0"]}), mark)
    with pytest.raises(PartitionsError, match=r"schema versions \['0'\], this code reads"):
        open_partitions(folder)


def test_the_views_see_a_partition_committed_after_they_were_opened(tmp_path):
    partitions = PartitionStore(tmp_path)
    partitions.add([FULL_NAME_DOC], sources={FULL_NAME_DOC.doc_id: "d.txt"})
    with open_partitions(tmp_path) as con:
        version = query.corpus_version(con)
        assert query.corpus_figures(con, Filters())["documents"] == 1
        partitions.add([SURNAME_DOC], sources={SURNAME_DOC.doc_id: "e.txt"})
        assert query.corpus_figures(con, Filters())["documents"] == 2
        assert query.corpus_version(con) != version
        assert query.corpus_version(con) == query.corpus_version(con)


# --------------------------------------------------------------------------- writing


def test_a_store_exported_twice_counts_once(tmp_path, demo_store, engines):
    file_con, _ = engines
    export_store(demo_store, tmp_path)
    export_store(demo_store, tmp_path)
    assert len(committed_parts(tmp_path)) == 2
    with open_partitions(tmp_path) as twice:
        for table in ("documents", "stories", "entities", "quotes", "collection_documents",
                      "collections"):
            counts = [con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                      for con in (twice, file_con)]
            assert counts[0] == counts[1], table
        assert query.corpus_figures(twice, Filters()) == query.corpus_figures(file_con, Filters())
        assert_same(query.quote_rows(twice, Filters(), limit=None),
                    query.quote_rows(file_con, Filters(), limit=None))


def version_of(letter: str, headline: str, text: str):
    """A document read from one file: same letter, same text -> same doc_id."""
    return document(letter, story_naming(headline, text, {"Ana Lima": "Ana Lima"}))


# Two headlines: story_list orders stories of one date by title, and no further.
V1 = version_of("1", "Harbour opens", "Ana Lima opened the harbour.")
V2 = version_of("2", "New harbour opens", "Ana Lima opened the new harbour.")


@pytest.mark.parametrize(
    ("writes", "members"),
    [
        pytest.param([(V1, "a.txt"), (V1, "a.txt")], [(V1, "a.txt")], id="written twice"),
        pytest.param([(V1, "a.txt"), (V2, "a.txt")], [(V2, "a.txt")], id="an edited file"),
        pytest.param([(V1, "a.txt"), (V2, "a.txt"), (V1, "a.txt")], [(V1, "a.txt")],
                     id="edited, then reverted"),
        pytest.param([(V1, "a.txt"), (V2, "b.txt")], [(V1, "a.txt"), (V2, "b.txt")],
                     id="two files"),
        pytest.param([(V1, "a.txt"), (V1, "b.txt")], [(V1, "a.txt")],
                     id="one text under two names: its first name"),
    ],
)
def test_a_re_ingested_document_is_counted_once_as_in_a_store(tmp_path, writes, members):
    """Each write is a partition of its own; the collection lists what a Store lists."""
    partitions, store = PartitionStore(tmp_path), Store(":memory:")
    for doc, source in writes:
        for target in (partitions, store):
            target.add([doc], sources={doc.doc_id: source})
    expected = {(doc.doc_id, source) for doc, source in members}
    with open_partitions(tmp_path) as con, store.cursor() as file_con:
        for engine in (con, file_con):
            rows = engine.execute("SELECT doc_id, source FROM collection_documents").fetchall()
            assert set(rows) == expected and len(rows) == len(expected)
        assert query.corpus_figures(con, Filters()) == query.corpus_figures(file_con, Filters())
        assert_same(query.story_list(con, Filters()), query.story_list(file_con, Filters()))
    store.close()


def test_a_name_kept_by_partitions_where_a_store_forgets_it(tmp_path):
    """A known difference: a Store lists a document under one name, so when that name gets
    new content the document leaves even if another file still holds it; partitions keep
    it under the other name."""
    writes = [(V1, "a.txt"), (V1, "b.txt"), (V2, "a.txt")]
    partitions, store = PartitionStore(tmp_path), Store(":memory:")
    for doc, source in writes:
        for target in (partitions, store):
            target.add([doc], sources={doc.doc_id: source})
    with open_partitions(tmp_path) as con, store.cursor() as file_con:
        listed = [set(engine.execute("SELECT doc_id, source FROM collection_documents")
                      .fetchall()) for engine in (con, file_con)]
    assert listed == [{(V2.doc_id, "a.txt"), (V1.doc_id, "b.txt")}, {(V2.doc_id, "a.txt")}]
    store.close()


def test_linking_known_documents_writes_memberships_only(tmp_path):
    partitions = PartitionStore(tmp_path)
    partitions.add([V1], sources={V1.doc_id: "a.txt"}, collection="first")
    assert partitions.known([V1.doc_id, V2.doc_id]) == {V1.doc_id}
    assert partitions.link("second", [V1.doc_id, V2.doc_id]) == 1  # V2 is not stored
    with open_partitions(tmp_path) as con:
        assert con.execute("SELECT count(*) FROM _documents").fetchone()[0] == 1
        # without a source given, a member is named as its document was first stored
        assert sorted(con.execute("SELECT collection_id, source FROM collection_documents")
                      .fetchall()) == [("first", "a.txt"), ("second", V1.source)]
        assert query.corpus_figures(con, Filters(collections=("second",)))["documents"] == 1


def test_an_empty_partition_store_knows_nothing(tmp_path):
    with PartitionStore(tmp_path / "new") as partitions:
        assert partitions.known([V1.doc_id]) == set()
        assert partitions.link(DEMO_COLLECTION, [V1.doc_id]) == 0
        assert partitions.add([]) == 0
        assert committed_parts(partitions.folder) == []


def test_write_partition_copies_partitions_too(tmp_path, exported, engines):
    """Views carry the store's table names, so partitions copy into one (compaction)."""
    file_con, _ = engines
    with open_partitions(exported) as con:
        write_partition(con, tmp_path)
    with open_partitions(tmp_path) as copy:
        assert_same(query.speaker_table(copy, Filters()), query.speaker_table(file_con, Filters()))


# --------------------------------------------------------------------------- the Dask path


def test_ingest_on_a_dask_cluster_writes_the_stores_documents(tmp_path, demo_store):
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            PartitionStore(tmp_path) as partitions:
        summary = ingest([str(SAMPLES)], partitions, batch_size=2,
                         scheduler=cluster.scheduler_address)
    assert summary.failures == [] and summary.parsed == 3
    assert len(committed_parts(tmp_path)) == 2  # one partition per batch of two
    with Store(demo_store, read_only=True) as store, store.cursor() as file_con, \
            open_partitions(tmp_path) as con:
        for table in ("documents", "stories", "entities", "quotes"):
            sql = (f"SELECT * FROM {table} WHERE doc_id IN (SELECT doc_id FROM documents "
                   "WHERE starts_with(source, $samples)) ORDER BY ALL")
            frames = [engine.execute(sql, {"samples": str(SAMPLES)}).df()
                      for engine in (con, file_con)]
            for frame in frames:
                frame.drop(columns=["ingested_at"], errors="ignore", inplace=True)
            assert len(frames[0]) > 0, table
            pd.testing.assert_frame_equal(frames[0], frames[1])
    with PartitionStore(tmp_path) as partitions:  # again: every document is known
        again = ingest([str(SAMPLES)], partitions, workers=1)
    assert (again.parsed, again.skipped_known, again.documents) == (0, 3, 3)


# --------------------------------------------------------------------------- the command line


def test_ingest_into_partitions_and_again(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "one.txt").write_text(ARTICLE)
    folder = tmp_path / "partitions"
    first = run("ingest", str(tmp_path / "corpus"), "--parquet", str(folder), "--workers", "1")
    assert first.returncode == 0 and error_lines(first) == []
    assert "documents: 1 (1 parsed, 0 already stored, 0 repeats)" in first.stdout
    assert f"store: {folder} (Parquet partitions)" in first.stdout
    with open_partitions(folder) as con:
        assert summary_count(first, "people") == query.corpus_figures(con, Filters())["people"]
    second = run("ingest", str(tmp_path / "corpus"), "--parquet", str(folder))
    assert second.returncode == 0 and error_lines(second) == []
    assert "documents: 1 (0 parsed, 1 already stored, 0 repeats)" in second.stdout


def test_export_a_store(tmp_path, demo_store, engines):
    file_con, _ = engines
    result = run("export", "--store", str(demo_store), "--parquet", str(tmp_path))
    assert result.returncode == 0 and error_lines(result) == []
    (part,) = committed_parts(tmp_path)
    documents = file_con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert result.stdout.splitlines() == [f"partition: {part} ({demo_store})",
                                          f"documents: {documents} in {tmp_path}"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--store", "{tmp}/absent.duckdb", "--parquet", "{tmp}/out"],
         "error: no store at {tmp}/absent.duckdb"),
        (["ingest", "{tmp}", "--store", "{tmp}/s.duckdb", "--parquet", "{tmp}/out"],
         "argument --parquet: not allowed with argument --store"),
        (["export", "--store", "{tmp}/s.duckdb"],
         "the following arguments are required: --parquet"),
    ],
    ids=["no such store", "a store and partitions", "no partitions folder"],
)
def test_command_line_errors_exit_2_in_one_line(tmp_path, args, message):
    result = run(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.returncode == 2
    assert message.format(tmp=tmp_path) in error_lines(result)[-1]
    assert not (tmp_path / "out").exists()
