"""Dashboard at scale: page run times (Streamlit AppTest) and the app's memory, against targets.

    .venv/bin/python bench/pages.py [--store PATH] [--collection ID] [--runs N] [--memory]
    .venv/bin/python bench/pages.py --store bbc.duckdb --scale 100000 [--scale 1000000]
    (--page who_said_what: that page only, while working on it)

Always measures a scratch store holding the demo corpus; with --store (e.g. a store
made by `python -m lib ingest ../shared/data/bbc --store bbc.duckdb`) measures that
store too, showing its demo collection plus --collection if given (as a ?c= link).
Per page: the first run, the median warm run (queries cached) and the first run after
a filter change (person = each of the most mentioned people in turn, whose queries are
not cached yet): the median of those changes against the target, and the slowest.
--memory also starts `streamlit run app.py` on each store, opens every page in headless
Chromium (unfiltered, then filtered) and reads the server's resident memory.
--scale N replicates --store to N documents (bench/replicate.py: new document ids,
every derived id rewritten) into a scratch store and measures that instead, with the
targets of that scale. Filter changes are by person (the most mentioned, in turn) and by
country; the Quotes page is also timed searching for words (first run of each search).
Every figure with a target is marked PASS or FAIL.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402

from bench.replicate import replicate  # noqa: E402
from lib import query  # noqa: E402
from lib.store import Store  # noqa: E402
from lib.visitor import visible_collections  # noqa: E402
from tests.streamlit_harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_FILES,
    absolute_imports,
    build_demo_store,
    navigation_only_init,
    open_and_wait,
    streamlit_server,
    url_path,
)

APP = REPO_DIR / "app.py"
FILTER_CHANGES = 5  # one sample is at the mercy of a shared machine
SEARCHES = ("government", "economy", "we are", "war", "minister")
SERVER_TIMEOUT_S = 600
PAGE_TIMEOUT_MS = 600_000


@dataclass(frozen=True)
class Targets:
    """What a page must do at one corpus size (None: no target at that size)."""

    first: float | None
    warm: float | None
    filter: float
    search: float | None
    memory_mb: float | None


# the BBC corpus's targets from the earlier scale work; 100k and 1M from the scale issue
TARGETS_AT_BBC = Targets(first=None, warm=1.0, filter=0.3, search=None, memory_mb=1024)
TARGETS_AT_100K = Targets(first=1.0, warm=1.0, filter=0.3, search=0.5, memory_mb=1536)
TARGETS_AT_1M = Targets(first=2.0, warm=2.0, filter=1.0, search=None, memory_mb=None)


def targets_for(documents: int) -> Targets:
    if documents >= 1_000_000:
        return TARGETS_AT_1M
    if documents >= 100_000:
        return TARGETS_AT_100K
    return TARGETS_AT_BBC


def navigation_only() -> None:
    """As in tests/test_pages.py: keep AppTest from running pages/ as legacy pages. And
    compile each script once, as a server does: AppTest gives every run a new script
    cache, so each run would compile app.py and the page again (their AST rewrite for
    Streamlit's "magic" takes 0.05-0.1 s), which no visitor of a server ever waits for."""
    PagesManager.__init__ = navigation_only_init()
    shared = ScriptCache()
    local_script_runner.ScriptCache = app_test.ScriptCache = lambda: shared


def mark(value: float | None, target: float | None, unit: str = "s") -> str:
    if value is None:
        return "-"
    shown = f"{value:.3f}" if unit == "s" else f"{value:,.0f} {unit}"
    if target is None:
        return shown
    return f"{shown} {'PASS' if value <= target else 'FAIL'}"


def demo_store(folder: str) -> str:
    path = os.path.join(folder, "news.duckdb")
    build_demo_store(path)
    return path


def describe(path: str, collections: tuple[str, ...]) -> tuple[dict, list[str], list[str]]:
    """Corpus figures and the most mentioned people and countries (the filters applied)."""
    with Store(path, read_only=True) as store, store.cursor() as cursor:
        figures = query.corpus_figures(cursor, query.Filters(collections=collections))
        options = query.filter_options(cursor, collections)
    return figures, options["people"][:FILTER_CHANGES], options["countries"][:FILTER_CHANGES]


# --------------------------------------------------------------------------- run time


def timed_run(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"error: {at.exception[0].message}")
    return elapsed


def changes(at: AppTest, key: str, values: list[str]) -> list[float]:
    """The first run after each filter change (its queries not cached yet), then cleared."""
    times = []
    for value in values:
        at.multiselect(key=key).set_value([value])
        times.append(timed_run(at))
    at.multiselect(key=key).set_value([])
    at.run()
    return times


def bench_page(page: Path, people: list[str], countries: list[str], collection: str | None,
               runs: int) -> dict:
    at = AppTest.from_file(str(APP), default_timeout=1800)
    if collection:
        at.query_params["c"] = collection
    if page.name != "home.py":
        at.switch_page(str(page))
    first = timed_run(at)
    warm = statistics.median(timed_run(at) for _ in range(runs))
    by_person, by_country = changes(at, "person", people), changes(at, "country", countries)
    searches = []
    if page.name == "quotes.py":
        for words in SEARCHES:
            at.text_input[0].set_value(words)
            searches.append(timed_run(at))
    return {"page": page.stem, "first": first, "warm": warm,
            "person": statistics.median(by_person) if by_person else None,
            "country": statistics.median(by_country) if by_country else None,
            "slowest": max(by_person + by_country, default=None),
            "search": statistics.median(searches) if searches else None,
            "slowest_search": max(searches, default=None)}


def warm_process() -> float:
    """What a server does once, before or for its first visitor, whatever the page: import
    every module app.py and the pages import, and build one figure of each kind the pages
    draw (plotly loads its validators on first use). Without it, whichever page is timed
    first carries 1-2 s that no later page or visitor pays. Returns the seconds it took."""
    started = time.perf_counter()
    for script in (APP, *PAGE_FILES):
        for name, _ in absolute_imports(script):
            importlib.import_module(name)
    import plotly.graph_objects as go
    import plotly.io

    plotly.io.to_json(go.Figure([go.Bar(x=[1], y=["a"], orientation="h"),
                                 go.Choropleth(locations=["FRA"], z=[1]),
                                 go.Heatmap(z=[[1]], x=["a"], y=["a"])]))
    return time.perf_counter() - started


def bench_run_times(path: str, people: list[str], countries: list[str],
                    collection: str | None, runs: int, targets: Targets,
                    pages: list[Path]) -> None:
    os.environ["NEWS_STORE"] = path
    print(f"process warm-up, once per server (imports, plotly's first figure): "
          f"{warm_process():.2f} s")
    print(f"{'page':<16}{'first s':>14}{'warm s':>14}{'person s':>14}{'country s':>14}"
          f"{'slowest':>9}")
    for page in pages:
        row = bench_page(page, people, countries, collection, runs)
        slowest = f"{row['slowest']:.3f}" if row["slowest"] is not None else "-"
        print(f"{row['page']:<16}{mark(row['first'], targets.first):>14}"
              f"{mark(row['warm'], targets.warm):>14}{mark(row['person'], targets.filter):>14}"
              f"{mark(row['country'], targets.filter):>14}{slowest:>9}")
        if row["search"] is not None:
            print(f"{'  quotes search':<16}median of {len(SEARCHES)} "
                  f"{mark(row['search'], targets.search)}, slowest "
                  f"{row['slowest_search']:.3f} ({', '.join(map(repr, SEARCHES))})")


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


def bench_memory(path: str, person: str | None, collection: str | None,
                 targets: Targets) -> None:
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
          f"RSS {now:,.0f} MB, peak {mark(peak, targets.memory_mb, 'MB')}")


# --------------------------------------------------------------------------- main


def bench_store(label: str, path: str, collection: str | None, runs: int, memory: bool,
                pages: list[Path] = PAGE_FILES) -> None:
    collections = visible_collections(collection)
    figures, people, countries = describe(path, collections)
    targets = targets_for(figures["documents"])
    print(f"\n== {label}: {path}")
    print("   " + "  ".join(f"{k}: {v:,}" for k, v in figures.items()))
    print(f"   targets: first run <= {targets.first} s, warm run <= {targets.warm} s, filter "
          f"change <= {targets.filter} s, Quotes search <= {targets.search} s, server "
          f"memory <= {targets.memory_mb} MB (None: no target at this size)")
    print(f"   filter changes (median of {len(people)} each): person = "
          + ", ".join(map(repr, people)) + "; country = " + ", ".join(map(repr, countries)))
    if memory:  # first: the server needs the store file while no one else holds it open
        bench_memory(path, people[0] if people else None, collection, targets)
    bench_run_times(path, people, countries, collection, runs, targets, pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an existing store to measure besides the demo corpus")
    parser.add_argument("--collection", help="a collection of --store to show besides the demo")
    parser.add_argument("--scale", type=int, action="append", default=[],
                        help="replicate --store to this many documents and measure that "
                             "(repeatable: --scale 100000 --scale 1000000)")
    parser.add_argument("--scratch", default=tempfile.gettempdir(),
                        help="where --scale writes its stores (they are removed after)")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median shown)")
    parser.add_argument("--memory", action="store_true",
                        help="also measure a real server's memory (needs Chromium)")
    parser.add_argument("--skip-demo", action="store_true",
                        help="do not measure the demo corpus")
    parser.add_argument("--page", action="append", default=[],
                        choices=[page.stem for page in PAGE_FILES],
                        help="time only this page (repeatable; default: every page)")
    args = parser.parse_args()
    pages = [page for page in PAGE_FILES if page.stem in args.page] if args.page else PAGE_FILES
    if args.scale and not args.store:
        parser.error("--scale needs --store (the parsed store to replicate)")
    navigation_only()
    # AppTest runs pages outside a server; Streamlit's "missing ScriptRunContext" is harmless
    # here. A filter, not a level: Streamlit resets its loggers' levels when AppTest starts.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    with tempfile.TemporaryDirectory() as folder:
        if not args.skip_demo:
            bench_store("demo corpus", demo_store(folder), None, args.runs, args.memory,
                        pages)
        if args.store and not args.scale:
            bench_store("--store", args.store, args.collection, args.runs, args.memory,
                        pages)
    for documents in args.scale:
        with tempfile.TemporaryDirectory(dir=args.scratch) as folder:
            path = os.path.join(folder, f"scale-{documents}.duckdb")
            started = time.perf_counter()
            counts = replicate(args.store, path, documents, log=lambda line: None)
            print(f"\nreplicated {args.store} to {documents:,} documents in "
                  f"{time.perf_counter() - started:.0f} s: "
                  + ", ".join(f"{table} {count:,}" for table, count in counts.items()))
            bench_store(f"--scale {documents:,}", path, None, args.runs, args.memory,
                        pages)


if __name__ == "__main__":
    main()
