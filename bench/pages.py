"""Warm run time of every dashboard page (Streamlit AppTest), unfiltered and after a filter change.

    .venv/bin/python bench/pages.py [--store PATH] [--collection ID] [--runs N]

Without --store: a scratch store with the demo corpus. With --store (e.g. a store
made by `python -m lib ingest ../shared/data/bbc --store bbc.duckdb`) the pages
show its demo collection, plus --collection if given (as a visitor's ?c= link).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from lib import query  # noqa: E402
from lib.ingest import ingest  # noqa: E402
from lib.store import DEMO_COLLECTION, Store  # noqa: E402

APP = REPO_DIR / "app.py"
PAGES = sorted((REPO_DIR / "pages").glob("*.py"))


def navigation_only() -> None:
    """As in tests/test_pages.py: keep AppTest from running pages/ as legacy pages."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def demo_store(folder: str) -> str:
    path = os.path.join(folder, "news.duckdb")
    with Store(path) as store:
        store.ensure_collection(DEMO_COLLECTION, read_only=True)
        ingest([str(REPO_DIR / "data" / "samples")], store, collection=DEMO_COLLECTION, workers=1)
    return path


def top_person(path: str, collections: tuple[str, ...]) -> str | None:
    with Store(path, read_only=True) as store, store.cursor() as cursor:
        people = query.filter_options(cursor, collections)["people"]
    return people[0] if people else None


def timed_run(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"error: {at.exception[0].message}")
    return elapsed


def bench_page(page: Path, person: str | None, collection: str | None, runs: int) -> dict:
    at = AppTest.from_file(str(APP), default_timeout=600)
    if collection:
        at.query_params["c"] = collection
    if page.name != "home.py":
        at.switch_page(str(page))
    cold = timed_run(at)
    warm = statistics.median(timed_run(at) for _ in range(runs))
    changed = None
    if person:
        at.multiselect(key="person").set_value([person])
        changed = timed_run(at)  # first run with the new filter: queries not cached yet
    return {"page": page.stem, "cold": cold, "warm": warm, "filter": changed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an existing store (default: a scratch demo store)")
    parser.add_argument("--collection", help="a collection to show besides the demo one")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median shown)")
    args = parser.parse_args()
    navigation_only()
    with tempfile.TemporaryDirectory() as folder:
        path = args.store or demo_store(folder)
        os.environ["NEWS_STORE"] = path
        collections = (DEMO_COLLECTION, args.collection) if args.collection else (DEMO_COLLECTION,)
        with Store(path, read_only=True) as store, store.cursor() as cursor:
            figures = query.corpus_figures(cursor, query.Filters(collections=collections))
        person = top_person(path, collections)
        print(f"store: {path}  " + "  ".join(f"{k}: {v:,}" for k, v in figures.items()))
        print(f"filter change: person = {person!r}")
        print(f"{'page':<16}{'cold s':>9}{'warm s':>9}{'filter s':>10}")
        for page in PAGES:
            row = bench_page(page, person, args.collection, args.runs)
            changed = f"{row['filter']:>10.3f}" if row["filter"] is not None else f"{'-':>10}"
            print(f"{row['page']:<16}{row['cold']:>9.3f}{row['warm']:>9.3f}{changed}")


if __name__ == "__main__":
    main()
