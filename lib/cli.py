"""``python -m lib parse|ingest|export``: JSON Lines out, one error line per failed input.

Exit status: 0 when every input went through, 1 when any failed (the others are
still processed), 2 on a usage or store error. No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import time
import warnings
from collections.abc import Iterator, Sequence

from lib.model import SourceDocument, SourceError

EXIT_OK, EXIT_FAILURES, EXIT_ERROR = 0, 1, 2
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "charset_normalizer", "distributed")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib",
        description="Turn news pages into stories, people, countries and quotes.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="print one JSON object per document (JSON Lines)")
    parse.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or http(s) URL")
    ingest = commands.add_parser("ingest", help="parse into the DuckDB store")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or http(s) URL")
    target = ingest.add_mutually_exclusive_group()
    target.add_argument("--store", help="store file (default: $NEWS_STORE or data/news.duckdb)")
    target.add_argument("--parquet", metavar="FOLDER",
                        help="write Parquet partitions (one per batch) instead of a store")
    ingest.add_argument("--workers", type=_positive, help="parse processes (default: one per core)")
    ingest.add_argument("--collection", help="collection id (default: the demo collection)")
    ingest.add_argument("--batch-size", type=_positive, default=None, help="documents per batch")
    ingest.add_argument(
        "--scheduler", metavar="ADDRESS", help="dask.distributed scheduler to parse on"
    )
    export = commands.add_parser("export", help="copy a store into a new Parquet partition")
    export.add_argument("--store", help="store file (default: $NEWS_STORE or data/news.duckdb)")
    export.add_argument("--parquet", metavar="FOLDER", required=True,
                        help="partitions folder (created if absent)")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def report(error: SourceError) -> None:
    print(str(error).splitlines()[0], file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- parse


def run_parse(paths: Sequence[str]) -> int:
    from lib.sources import read_sources

    failed = False

    def documents() -> Iterator[SourceDocument]:
        nonlocal failed
        for result in read_sources(paths):
            if isinstance(result, SourceError):
                failed = True
                report(result)
            else:
                yield result

    stream = documents()
    first = next(stream, None)
    if first is not None:  # load spaCy only when there is something to parse
        from lib.nlp import load_pipeline
        from lib.pipeline import parse_documents

        for parsed in parse_documents(itertools.chain([first], stream), load_pipeline()):
            if isinstance(parsed, SourceError):
                failed = True
                report(parsed)
            else:
                sys.stdout.write(json.dumps(parsed.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
    return EXIT_FAILURES if failed else EXIT_OK


# --------------------------------------------------------------------------- ingest


def run_ingest(args: argparse.Namespace) -> int:
    from lib.store import DEMO_COLLECTION, Store, StoreLocked, default_store_path, new_staging_path

    if args.scheduler:
        _require_distributed()
    collection = args.collection or DEMO_COLLECTION
    if args.parquet:
        return _ingest_into_partitions(args, collection)
    target = args.store or str(default_store_path())
    try:
        store = Store(target)
    except StoreLocked as locked:
        # A running dashboard holds the store: parse beside it; the dashboard takes the
        # staged documents at its next page view (any writer does, when it opens the store).
        staging = new_staging_path(target)
        print(f"note: {locked}; staging this run in {staging.with_suffix('.duckdb')}",
              file=sys.stderr)
        with Store(staging) as store:
            summary = _ingest_with_progress(args, store, collection)
        staging.rename(staging.with_suffix(".duckdb"))  # complete: now it may be taken
        print(_summary_lines(summary, f"{target} (staged; joins it when next opened)",
                             collection))
        return EXIT_FAILURES if summary.failures else EXIT_OK
    for problem in store.staged_problems:
        print(f"note: a staged run was not added: {problem}", file=sys.stderr)
    with store:
        summary = _ingest_with_progress(args, store, collection)
        seconds = _prepare_views(store, collection)
    print(_summary_lines(summary, store.path, collection))
    print(f"dashboard views: prepared in {seconds:.1f} s")
    return EXIT_FAILURES if summary.failures else EXIT_OK


def _require_distributed() -> None:
    """--scheduler parses on dask.distributed, which `make run` does not install: say where
    it comes from before any store is opened."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise RuntimeError("--scheduler needs dask.distributed: "
                           ".venv/bin/pip install -r requirements-dev.txt") from None


def _prepare_views(store, collection: str) -> float:
    """What the dashboard opens with on this collection, computed now rather than for the
    first visitor (a pass over the corpus: seconds at 100,000 documents); its seconds."""
    from lib.query import prepare_views
    from lib.store import DEMO_COLLECTION
    from lib.visitor import visible_collections

    started = time.perf_counter()
    # what a link to this collection shows (the demo corpus is always in view)
    collections = visible_collections(None if collection == DEMO_COLLECTION else collection)
    with store.cursor() as cursor:
        prepare_views(cursor, collections)
    return time.perf_counter() - started


def _ingest_into_partitions(args: argparse.Namespace, collection: str) -> int:
    from lib.partitions import PartitionStore

    with PartitionStore(args.parquet) as store:
        summary = _ingest_with_progress(args, store, collection)
    print(_summary_lines(summary, f"{store.path} (Parquet partitions)", collection))
    return EXIT_FAILURES if summary.failures else EXIT_OK


def _ingest_with_progress(args: argparse.Namespace, store, collection: str):
    from tqdm import tqdm

    from lib.ingest import BATCH_SIZE, ingest

    with tqdm(unit="doc", file=sys.stderr, disable=None, dynamic_ncols=True) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        def on_failure(error: SourceError) -> None:
            tqdm.write(str(error).splitlines()[0], file=sys.stderr)

        return ingest(
            args.paths,
            store,
            collection=collection,
            workers=args.workers,
            batch_size=args.batch_size or BATCH_SIZE,
            progress=progress,
            on_failure=on_failure,
            scheduler=args.scheduler,
        )


def _summary_lines(summary, store_path: str, collection: str) -> str:
    return (
        f"documents: {summary.documents} ({summary.parsed} parsed, "
        f"{summary.skipped_known} already stored, {summary.repeats} repeats)\n"
        f"stories: {summary.stories}\nquotes: {summary.quotes}\n"
        f"people: {summary.people}\ncountries: {summary.countries}\n"
        f"failures: {len(summary.failures)}\n"
        f"store: {store_path} (collection {collection})"
    )


# --------------------------------------------------------------------------- export


def run_export(args: argparse.Namespace) -> int:
    from lib.partitions import export_store, open_partitions
    from lib.store import default_store_path

    source = args.store or str(default_store_path())
    part = export_store(source, args.parquet)
    with open_partitions(args.parquet) as partitions:
        (documents,) = partitions.execute("SELECT count(*) FROM documents").fetchone()
    print(f"partition: {part} ({source})\ndocuments: {documents} in {args.parquet}")
    return EXIT_OK


# --------------------------------------------------------------------------- main


def _quiet() -> None:
    warnings.filterwarnings("ignore")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet()
    try:
        if args.command == "parse":
            return run_parse(args.paths)
        if args.command == "export":
            return run_export(args)
        return run_ingest(args)
    except KeyboardInterrupt:
        print("error: interrupted (batches already written are kept)", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `... | head`: the reader left, nothing to say
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # the one place an unexpected error becomes one line
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"error: {message}", file=sys.stderr)
        return EXIT_ERROR
