"""The dashboard's queries timed on a DuckDB store and on Parquet partitions of its corpus.

    .venv/bin/python bench/partitions.py --store FILE --parquet FOLDER [--parquet FOLDER ...]
    .venv/bin/python bench/partitions.py --write 256 [--data DIR]

For the store file (opened read-only) and each partitions folder (``python -m lib
export`` or ``python -m lib ingest --parquet``): size on disk and partition count; the
cold start, a new connection's first ``corpus_figures`` (it resolves the scope: lib.scope
builds its tables in memory for both); then a few ``lib.query`` functions on a warm
connection (median of ``--repeat`` runs, milliseconds) with no filter and with the most
mentioned person selected. Every engine must give the same corpus figures, or the script
says so and exits 1.

``--write N`` parses N files of ``--data`` (the BBC corpus) once, then times writing them
as an ingest does, batch by batch (which are known, then add), to a new store file and
to a new partitions folder: the writer's cost against the parse's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from lib import query  # noqa: E402
from lib.ingest import BATCH_SIZE  # noqa: E402
from lib.partitions import PartitionStore, committed_parts, open_partitions  # noqa: E402
from lib.store import DEMO_COLLECTION, Store  # noqa: E402

DEFAULT_DATA = REPO_DIR.parent / "shared" / "data" / "bbc"

QUERIES: dict[str, Callable] = {
    "corpus_figures": lambda con, f: query.corpus_figures(con, f),
    "filter_options": lambda con, f: query.filter_options(con, f.collections),
    "story_list": lambda con, f: query.story_list(con, f),
    "top_entities": lambda con, f: query.top_entities(con, f),
    "quote_rows": lambda con, f: query.quote_rows(con, f),
    "speaker_table": lambda con, f: query.speaker_table(con, f),
    "speaker_topics": lambda con, f: query.speaker_topics(con, f),
}


def median_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def cold_start_ms(connect: Callable[[], duckdb.DuckDBPyConnection], scope, repeat: int) -> float:
    def first_query() -> None:
        with connect() as con:
            query.corpus_figures(con, scope)

    return median_ms(first_query, repeat)


def write_costs(data: Path, limit: int) -> None:
    from lib.nlp import load_pipeline
    from lib.pipeline import parse_documents
    from lib.sources import folder_files, read_source

    files = [str(path) for path in folder_files(data)][:limit]
    sources = list({doc.content_hash: doc for doc in map(read_source, files)}.values())
    started = time.perf_counter()
    parsed = list(parse_documents(sources, load_pipeline()))
    parse_s = time.perf_counter() - started
    by_id = {source.content_hash: source for source in sources}
    batches = [parsed[i : i + BATCH_SIZE] for i in range(0, len(parsed), BATCH_SIZE)]

    def write_all(target) -> None:
        for batch in batches:
            target.known(doc.doc_id for doc in batch)
            target.add(batch, sources=by_id)

    with tempfile.TemporaryDirectory() as scratch:
        with Store(Path(scratch) / "s.duckdb") as store:
            store_s = median_ms(lambda: write_all(store), 1) / 1000
        with PartitionStore(Path(scratch) / "parts") as partitions:
            parquet_s = median_ms(lambda: write_all(partitions), 1) / 1000
    print(f"{len(parsed)} documents in {len(batches)} batches: parse {parse_s:.1f} s, "
          f"write to a store file {store_s:.2f} s ({store_s / parse_s:.1%}), "
          f"to partitions {parquet_s:.2f} s ({parquet_s / parse_s:.1%})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store file")
    parser.add_argument("--parquet", action="append", metavar="FOLDER",
                        help="partitions of the same corpus (repeatable)")
    parser.add_argument("--collection", default=DEMO_COLLECTION)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", type=int, metavar="N", help="time writing N parsed files")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="corpus for --write")
    args = parser.parse_args(argv)
    if args.write:
        if not args.data.is_dir():
            print(f"error: no corpus at {args.data}", file=sys.stderr)
            return 2
        write_costs(args.data, args.write)
        return 0
    if not (args.store and args.parquet):
        parser.error("--store and --parquet are needed to time queries")
    connectors = {"store file": lambda: duckdb.connect(args.store, read_only=True)}
    for folder in args.parquet:
        connectors[Path(folder).name] = lambda folder=folder: open_partitions(folder)
    scope = query.Filters(collections=(args.collection,))
    # before any connection stays open: DuckDB shares one open file's instance, and
    # with it the scopes built in memory, between the connections of a process
    cold = [f"{cold_start_ms(connect, scope, args.repeat):.0f}" for connect in connectors.values()]
    engines = {name: connect() for name, connect in connectors.items()}
    (person, *_) = query.filter_options(engines["store file"], scope.collections)["people"]
    filters = {"no filter": scope,
               f"person={person}": query.Filters(collections=scope.collections,
                                                 people=(person,))}
    figures = {name: query.corpus_figures(con, scope) for name, con in engines.items()}
    if len({tuple(f.items()) for f in figures.values()}) != 1:
        print(f"error: the engines disagree: {figures}", file=sys.stderr)
        return 1
    print(f"corpus: {figures['store file']}")
    sizes = [f"{size_mb(Path(args.store)):.1f} MB"] + [
        f"{size_mb(Path(folder)):.1f} MB, {len(committed_parts(folder))} partitions"
        for folder in args.parquet]
    header = ["query (ms, median)", *engines]
    rows = [["on disk", *sizes],
            ["cold start (new connection, first query)", *cold]]
    for filter_name, chosen in filters.items():
        for name, run in QUERIES.items():
            rows.append([f"{name}, {filter_name}",
                         *(f"{median_ms(lambda: run(con, chosen), args.repeat):.0f}"
                           for con in engines.values())])
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    for con in engines.values():
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
