"""Dashboard at scale: page run times (Streamlit AppTest) and the app's memory, against targets.

    .venv/bin/python bench/pages.py [--store PATH] [--collection ID] [--runs N] [--memory]

Always measures a scratch store holding the demo corpus; with --store (e.g. a store
made by `python -m lib ingest ../shared/data/bbc --store bbc.duckdb`) measures that
store too, showing its demo collection plus --collection if given (as a ?c= link).
Per page: the first run, the median warm run (queries cached) and the first run after
a filter change (person = each of the most mentioned people in turn, whose queries are
not cached yet): the median of those changes against the target, and the slowest.
--memory also starts `streamlit run app.py` on each store, opens every page in headless
Chromium (unfiltered, then filtered) and reads the server's resident memory.
Every figure with a target is marked PASS or FAIL.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from lib import query  # noqa: E402
from lib.store import DEMO_COLLECTION, Store  # noqa: E402
from tests.streamlit_harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_FILES,
    build_demo_store,
    navigation_only_init,
    open_and_wait,
    streamlit_server,
    url_path,
)

APP = REPO_DIR / "app.py"
WARM_TARGET_S = 1.0
FILTER_CHANGES = 5  # one sample is at the mercy of a shared machine
FILTER_TARGET_S = 0.3
MEMORY_TARGET_MB = 1024
SERVER_TIMEOUT_S = 180
PAGE_TIMEOUT_MS = 180_000


def navigation_only() -> None:
    """As in tests/test_pages.py: keep AppTest from running pages/ as legacy pages."""
    PagesManager.__init__ = navigation_only_init()


def mark(value: float | None, target: float, unit: str = "s") -> str:
    if value is None:
        return "-"
    verdict = "PASS" if value <= target else "FAIL"
    shown = f"{value:.3f}" if unit == "s" else f"{value:,.0f} {unit}"
    return f"{shown} {verdict}"


def demo_store(folder: str) -> str:
    path = os.path.join(folder, "news.duckdb")
    build_demo_store(path)
    return path


def describe(path: str, collections: tuple[str, ...]) -> tuple[dict, list[str]]:
    """Corpus figures and the most mentioned people (the filters the bench applies)."""
    with Store(path, read_only=True) as store, store.cursor() as cursor:
        figures = query.corpus_figures(cursor, query.Filters(collections=collections))
        people = query.filter_options(cursor, collections)["people"]
    return figures, people[:FILTER_CHANGES]


# --------------------------------------------------------------------------- run time


def timed_run(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"error: {at.exception[0].message}")
    return elapsed


def bench_page(page: Path, people: list[str], collection: str | None, runs: int) -> dict:
    at = AppTest.from_file(str(APP), default_timeout=600)
    if collection:
        at.query_params["c"] = collection
    if page.name != "home.py":
        at.switch_page(str(page))
    cold = timed_run(at)
    warm = statistics.median(timed_run(at) for _ in range(runs))
    changed = []
    for person in people:
        at.multiselect(key="person").set_value([person])
        changed.append(timed_run(at))  # first run with this filter: queries not cached yet
    return {"page": page.stem, "cold": cold, "warm": warm,
            "filter": statistics.median(changed) if changed else None,
            "slowest": max(changed) if changed else None}


def bench_run_times(path: str, people: list[str], collection: str | None, runs: int) -> None:
    os.environ["NEWS_STORE"] = path
    print(f"{'page':<16}{'first s':>9}{'warm s (<= 1)':>16}{'filter s (<= 0.3)':>20}"
          f"{'slowest':>9}")
    for page in PAGE_FILES:
        row = bench_page(page, people, collection, runs)
        slowest = f"{row['slowest']:.3f}" if row["slowest"] is not None else "-"
        print(f"{row['page']:<16}{row['cold']:>9.3f}{mark(row['warm'], WARM_TARGET_S):>16}"
              f"{mark(row['filter'], FILTER_TARGET_S):>20}{slowest:>9}")


# --------------------------------------------------------------------------- memory


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process in MB, from Linux /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    kb = {key: int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM")}
    return kb["VmRSS"] / 1024, kb["VmHWM"] / 1024


def open_every_page(url: str, query_string: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 2000})
        for page in PAGE_FILES:
            open_and_wait(tab, f"{url}/{url_path(page)}{query_string}", PAGE_TIMEOUT_MS)
        browser.close()


def bench_memory(path: str, person: str | None, collection: str | None) -> None:
    """Resident memory of a real `streamlit run app.py` after it served every page."""
    if not Path(CHROMIUM).is_file() or not Path("/proc/self/status").is_file():
        print("memory: skipped (needs Linux /proc and Chromium)")
        return
    with streamlit_server(path, SERVER_TIMEOUT_S) as (url, server):
        params = [("c", collection)] if collection else []
        open_every_page(url, "?" + urllib.parse.urlencode(params) if params else "")
        if person:
            open_every_page(url, "?" + urllib.parse.urlencode(params + [("person", person)]))
        now, peak = memory_mb(server.pid)
    print(f"memory of `streamlit run app.py` after every page (unfiltered and filtered): "
          f"RSS {now:,.0f} MB, peak {mark(peak, MEMORY_TARGET_MB, 'MB')} "
          f"(target <= {MEMORY_TARGET_MB} MB)")


# --------------------------------------------------------------------------- main


def bench_store(label: str, path: str, collection: str | None, runs: int, memory: bool) -> None:
    collections = (DEMO_COLLECTION, collection) if collection else (DEMO_COLLECTION,)
    figures, people = describe(path, collections)
    print(f"\n== {label}: {path}")
    print("   " + "  ".join(f"{k}: {v:,}" for k, v in figures.items()))
    print(f"   filter changes (median of {len(people)}): person = "
          + ", ".join(repr(person) for person in people))
    if memory:  # first: the server needs the store file while no one else holds it open
        bench_memory(path, people[0] if people else None, collection)
    bench_run_times(path, people, collection, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an existing store to measure besides the demo corpus")
    parser.add_argument("--collection", help="a collection of --store to show besides the demo")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median shown)")
    parser.add_argument("--memory", action="store_true",
                        help="also measure a real server's memory (needs Chromium)")
    args = parser.parse_args()
    navigation_only()
    # AppTest runs pages outside a server; Streamlit's "missing ScriptRunContext" is harmless
    # here. A filter, not a level: Streamlit resets its loggers' levels when AppTest starts.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    print(f"targets: warm run <= {WARM_TARGET_S} s, filter change <= {FILTER_TARGET_S} s, "
          f"server memory <= {MEMORY_TARGET_MB} MB")
    with tempfile.TemporaryDirectory() as folder:
        bench_store("demo corpus", demo_store(folder), None, args.runs, args.memory)
        if args.store:
            bench_store("--store", args.store, args.collection, args.runs, args.memory)


if __name__ == "__main__":
    main()
