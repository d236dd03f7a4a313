"""Throughput on the BBC corpus: bare spaCy vs our parse vs ingest (1 and N workers), re-ingest.

    .venv/bin/python bench/ingest.py [--limit N] [--workers N] [--data DIR]

Same texts and same model for every stage. Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from lib.ingest import ingest  # noqa: E402
from lib.model import SourceDocument  # noqa: E402
from lib.nlp import load_pipeline  # noqa: E402
from lib.pipeline import parse_documents  # noqa: E402
from lib.sources import folder_files, read_source  # noqa: E402
from lib.store import Store  # noqa: E402

DEFAULT_DATA = REPO_DIR.parent / "shared" / "data" / "bbc"


def pick_files(data: Path, limit: int | None) -> list[str]:
    """Every k-th file, so a small sample still spans the five topics."""
    files = [str(path) for path in folder_files(data)]
    if limit and limit < len(files):
        files = files[:: len(files) // limit][:limit]
    return files


def seconds_of(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def report(label: str, words: int, seconds: float, baseline: float | None = None) -> float:
    ratio = f"{baseline / seconds:6.2f}x" if baseline else "  1.00x"
    print(f"{label:<34} {seconds:8.2f} s {words / seconds:10,.0f} words/s  {ratio}", flush=True)
    return seconds


def timed(label: str, words: int, action, baseline: float | None = None) -> float:
    return report(label, words, seconds_of(action), baseline)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="documents (default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=1,
                        help="alternate bare spaCy and the full parse this many times; "
                             "the fastest of each counts (the machine is shared and noisy)")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} is absent (shared data is not part of a fresh clone)")
        return 0

    files = pick_files(args.data, args.limit)
    sources = [source for source in map(read_source, files) if isinstance(source, SourceDocument)]
    texts = [source.text for source in sources]
    words = sum(len(text.split()) for text in texts)
    nlp = load_pipeline()
    list(nlp.pipe(["Warm up the pipeline once."]))
    print(f"{len(sources)} documents, {words:,} words, model {nlp.meta['name']} "
          f"{nlp.meta['version']}, {os.cpu_count()} cores\n")
    print(f"{'stage':<34} {'time':>10} {'throughput':>16}  vs spaCy")

    bare_runs, parse_runs = [], []
    for _ in range(max(1, args.repeats)):
        bare_runs.append(seconds_of(lambda: list(nlp.pipe(texts))))
        parse_runs.append(seconds_of(lambda: list(parse_documents(sources, nlp))))
    spacy_seconds = report("bare spaCy (nlp.pipe)", words, min(bare_runs))
    parse_seconds = report("parse_documents (full parse)", words, min(parse_runs), spacy_seconds)
    with tempfile.TemporaryDirectory() as scratch:
        with Store(Path(scratch) / "one.duckdb") as store:
            first = timed("ingest, 1 worker", words,
                          lambda: ingest(files, store, workers=1), spacy_seconds)
            again = timed("re-ingest unchanged, 1 worker", words,
                          lambda: ingest(files, store, workers=1), spacy_seconds)
        if args.workers > 1:
            with Store(Path(scratch) / "many.duckdb") as store:
                timed(f"ingest, {args.workers} workers (incl. start-up)", words,
                      lambda: ingest(files, store, workers=args.workers), spacy_seconds)
    overhead = parse_seconds / spacy_seconds - 1
    print(f"\nfull parse costs {overhead:+.1%} over bare spaCy "
          f"(target <= +15%: {'PASS' if overhead <= 0.15 else 'FAIL'})")
    print(f"ingest (1 worker, store writes included) costs {first / spacy_seconds - 1:+.1%} "
          "over bare spaCy")
    speedup = first / again
    print(f"re-ingest is {speedup:,.0f}x faster than the first ingest "
          f"(target >= 10x: {'PASS' if speedup >= 10 else 'FAIL'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
