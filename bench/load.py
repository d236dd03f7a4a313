"""Many visitors at once: N concurrent visitors on one `streamlit run app.py`, timed.

    .venv/bin/python bench/load.py --store FILE [--visitors 1,10,25] [--rounds 1]
        [--server-option NAME=VALUE] [--compare NAME=VALUE] [--no-browsers]

Copies the store (it is never modified) and serves the copy with `streamlit run app.py`,
headless on a free local port. One browser visitor first opens every page to warm the
server's caches (not counted). Then, for each N, N visitors start together and each
opens, in turn, Overview, Stories, Entities, Quotes, Who said what and a filtered link:

- server alone: each page is what a browser asks of the server - a new session on
  Streamlit's websocket and one run - with no browser: the server's own latency;
- browsers: headless Chromium, one context per visitor; a page is done when its heading
  shows and Streamlit's "running" status widget has gone. On a small machine the N
  Chromiums compete with the server for the CPU: the CPU columns say who used it.

Per N: pages, errors (a timeout, an exception or error box), p50/p95/max page time; the
server's script runs and full garbage collections, timed inside the server; CPU seconds
of the server and of the browsers. The acceptance figure: the 10-visitor median page time
no worse than 3x the 1-visitor one, 0 errors. `--compare runner.postScriptGC=true`
measures again on a server with that option (before/after in one run).

A BBC store: `.venv/bin/python -m lib ingest ../shared/data/bbc --store FILE`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from tests.streamlit_harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_FILES,
    free_port,
    heading,
    url_path,
    wait_until_healthy,
)

RATIO_TARGET = 3.0
SERVER_TIMEOUT_S = 180
PAGE_TIMEOUT_MS = 600_000
RERUN_FOLLOWS = 2  # ForwardMsg.script_finished FINISHED_EARLY_FOR_RERUN: another run follows
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'
ORDER = ("home", "stories", "entities", "quotes", "who_said_what")  # page files, menu order
FILTERED = ("quotes", {"person": "Tony Blair"})  # the filtered link every visitor opens

# Runs `streamlit` with ScriptRunner._run_script timed and full (generation 2) garbage
# collections timed: one JSON line per script run or collection appended to
# $LOAD_RUN_LOG. The app itself is unchanged.
SERVER_LAUNCHER = """
import gc, json, os, sys, threading, time
from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

_run_script = script_runner.ScriptRunner._run_script
_log = open(os.environ["LOAD_RUN_LOG"], "a", buffering=1)
_lock = threading.Lock()

def write(record):
    with _lock:
        _log.write(json.dumps(record) + "\\n")

def timed(self, rerun_data):
    start = time.time()
    try:
        return _run_script(self, rerun_data)
    finally:
        write({"kind": "run", "start": start, "seconds": time.time() - start,
               "page": rerun_data.page_name or rerun_data.page_script_hash,
               "query": rerun_data.query_string})

_gc_started = {}

def full_collections(phase, info):
    if info["generation"] != 2:
        return
    if phase == "start":
        _gc_started[threading.get_ident()] = time.time()
    elif threading.get_ident() in _gc_started:
        start = _gc_started.pop(threading.get_ident())
        write({"kind": "gc", "start": start, "seconds": time.time() - start})

script_runner.ScriptRunner._run_script = timed
gc.callbacks.append(full_collections)
sys.argv = ["streamlit", *sys.argv[1:]]
sys.exit(cli.main())
"""


def pages(base: str) -> list[tuple[str, str]]:
    """(url, heading) of every page in the menu's order, then the filtered link."""
    by_stem = {page.stem: page for page in PAGE_FILES}
    listed = [(f"{base}/{url_path(by_stem[stem])}", heading(by_stem[stem])) for stem in ORDER]
    stem, params = FILTERED
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
    return listed + [(f"{base}/{url_path(by_stem[stem])}?{query}", heading(by_stem[stem]))]


def start_server(store: str, port: int, run_log: str, options: list[str]) -> subprocess.Popen:
    """`streamlit run app.py` (timed, see SERVER_LAUNCHER); ``options`` like
    "runner.postScriptGC=true" override .streamlit/config.toml."""
    flags = [part for option in options for part in ("--" + option.split("=", 1)[0],
                                                     option.split("=", 1)[1])]
    return subprocess.Popen(
        [sys.executable, "-c", SERVER_LAUNCHER, "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", *flags],
        cwd=REPO_DIR, env=os.environ | {"NEWS_STORE": store, "LOAD_RUN_LOG": run_log},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def open_page(tab, url: str, title: str) -> str | None:
    """Open url and wait for its run to end; None, or what went wrong (one line)."""
    try:
        await tab.goto(url, timeout=PAGE_TIMEOUT_MS)
        await tab.get_by_role("heading", name=title, level=1).wait_for(timeout=PAGE_TIMEOUT_MS)
        await tab.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=PAGE_TIMEOUT_MS)
    except Exception as error:  # a timeout or a crashed tab: an error of this page
        return f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
    if await tab.locator(ERROR_BOXES).count():
        return "error box on the page: " + (await tab.locator(ERROR_BOXES).first.inner_text())[:160]
    return None


async def visitor(browser, urls: list[tuple[str, str]], rounds: int, start: asyncio.Event):
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = await context.new_page()
    await start.wait()
    results = []
    for _ in range(rounds):
        for url, title in urls:
            began = time.perf_counter()
            error = await open_page(tab, url, title)
            results.append((url, time.perf_counter() - began, error))
    await context.close()
    return results


async def crowd(browser, urls, n: int, rounds: int) -> tuple[list, float]:
    """n browser visitors starting together: ((url, seconds, error) per page, wall seconds)."""
    start = asyncio.Event()
    tasks = [asyncio.create_task(visitor(browser, urls, rounds, start)) for _ in range(n)]
    await asyncio.sleep(1.0)  # contexts open before the clock starts
    began = time.perf_counter()
    start.set()
    results = [row for rows in await asyncio.gather(*tasks) for row in rows]
    return results, time.perf_counter() - began


# --------------------------------------------------------------------------- the server alone


async def protocol_page(base: str, url: str) -> str | None:
    """What a browser asks of the server for one page, without a browser: a new session on
    Streamlit's websocket, one rerun request, every message read until the run finishes."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    parts = urllib.parse.urlsplit(url[len(base):] or "/")
    request = BackMsg()
    request.rerun_script.page_name = parts.path.strip("/")
    request.rerun_script.query_string = parts.query
    stream = base.replace("http://", "ws://") + "/_stcore/stream"
    error = None
    try:
        async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=PAGE_TIMEOUT_MS / 1000) as socket:
            await socket.send(request.SerializeToString())
            while True:
                message = ForwardMsg()
                message.ParseFromString(await socket.recv())
                kind = message.WhichOneof("type")
                if kind == "page_not_found":
                    error = "page not found"
                elif (kind == "delta" and message.delta.WhichOneof("type") == "new_element"
                      and message.delta.new_element.WhichOneof("type") == "exception"):
                    error = "exception: " + message.delta.new_element.exception.message[:120]
                elif kind == "script_finished" and message.script_finished != RERUN_FOLLOWS:
                    return error
    except Exception as failure:
        return f"{type(failure).__name__}: {str(failure).splitlines()[0][:160]}"


async def protocol_visitor(base: str, urls, rounds: int, start: asyncio.Event):
    await start.wait()
    results = []
    for _ in range(rounds):
        for url, _title in urls:
            began = time.perf_counter()
            error = await protocol_page(base, url)
            results.append((url, time.perf_counter() - began, error))
    return results


async def protocol_crowd(base: str, urls, n: int, rounds: int) -> tuple[list, float]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(protocol_visitor(base, urls, rounds, start)) for _ in range(n)]
    await asyncio.sleep(0.2)
    began = time.perf_counter()
    start.set()
    results = [row for rows in await asyncio.gather(*tasks) for row in rows]
    return results, time.perf_counter() - began


# --------------------------------------------------------------------------- figures


def _process_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds of it and its reaped children), from Linux /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (name) "
        ppid, cpu = int(fields[1]), sum(int(value) for value in fields[11:15]) / ticks
        table[int(entry)] = (ppid, cpu)
    return table


def tree_cpu(root: int, table: dict[int, tuple[int, float]], skip: int = -1) -> float:
    """CPU seconds of root and its descendants (but not skip's tree)."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid == skip or pid not in table:
            continue
        total += table[pid][1]
        todo.extend(children.get(pid, []))
    return total


def cpu_split(server_pid: int) -> tuple[float, float]:
    """(server CPU seconds, browser CPU seconds: this process's other children) so far."""
    if not Path("/proc/self/stat").is_file():
        return float("nan"), float("nan")
    table = _process_table()
    own = table[os.getpid()][1]
    return tree_cpu(server_pid, table), tree_cpu(os.getpid(), table, skip=server_pid) - own


def server_memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of the server in MB, from Linux /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    return tuple(int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def server_log(run_log: str, kind: str, since: float, until: float) -> list[float]:
    """Durations of the server's script runs (kind "run") or full collections ("gc")."""
    durations = []
    for line in Path(run_log).read_text().splitlines():
        record = json.loads(line)
        if record["kind"] == kind and since <= record["start"] <= until:
            durations.append(record["seconds"])
    return durations


HEADER = (f"{'':>22}{'':>6}{'':>7}{'page time':^29} | {'server script runs':^25} | "
          f"{'full GCs':^11} | {'CPU s':^15}"
          f"\n{'visitors':>22}{'pages':>6}{'errors':>7}{'p50 s':>7}{'p95 s':>7}{'max s':>7}"
          f"{'wall s':>8} | {'runs':>11}{'p50 s':>7}{'p95 s':>7} | {'n':>4}{'sum s':>7} | "
          f"{'server':>6}{'browsers':>9}")


def report(label: str, results: list, wall: float, runs: list[float],
           collections: list[float], cpu: list[float], base: str) -> float:
    """One row of figures, and the errors; returns the median page time."""
    nan = float("nan")
    times = [seconds for _, seconds, error in results if not error]
    errors = [f"{url[len(base):]}: {error}" for url, _, error in results if error]
    median = statistics.median(times) if times else nan
    print(f"{label:>22}{len(results):>6}{len(errors):>7}{median:>7.2f}"
          f"{percentile(times, 0.95) if times else nan:>7.2f}{max(times, default=nan):>7.2f}"
          f"{wall:>8.1f} | {len(runs):>11}{statistics.median(runs) if runs else nan:>7.2f}"
          f"{percentile(runs, 0.95) if runs else nan:>7.2f} | {len(collections):>4}"
          f"{sum(collections):>7.1f} | {cpu[0]:>6.0f}{cpu[1]:>9.0f}", flush=True)
    for error in errors[:5]:
        print(f"{'error':>22} {error}")
    return median


async def timed_crowd(label, run, server, run_log: str, base: str) -> float:
    """Run one crowd (a coroutine factory) and report it; returns its median page time."""
    since, cpu_before = time.time(), cpu_split(server.pid)
    results, wall = await run()
    cpu = [after - before for after, before in zip(cpu_split(server.pid), cpu_before)]
    until = time.time()
    return report(label, results, wall, server_log(run_log, "run", since, until),
                  server_log(run_log, "gc", since, until), cpu, base)


async def measure(store: str, counts: list[int], rounds: int, options: list[str],
                  browsers: bool) -> dict[tuple[str, int], float]:
    """Median page times {(mode, visitors): seconds} on a fresh server with ``options``."""
    from playwright.async_api import async_playwright

    medians = {}
    with tempfile.TemporaryDirectory() as folder:
        copy = os.path.join(folder, "store.duckdb")
        shutil.copyfile(store, copy)
        run_log = os.path.join(folder, "runs.jsonl")
        Path(run_log).touch()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(copy, port, run_log, options)
        try:
            wait_until_healthy(base, server, SERVER_TIMEOUT_S)
            urls = pages(base)
            print(f"\n== streamlit run app.py {' '.join('--' + o for o in options)}".rstrip()
                  + f" (a copy of {store})")
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                           args=CHROMIUM_ARGS, headless=True)
                warm, _ = await crowd(browser, urls, 1, 1)  # caches filled, not counted
                print(f"warm-up (1 browser visitor, not counted): "
                      f"{sum(s for _, s, _ in warm):.1f} s, "
                      f"{sum(1 for *_, e in warm if e)} error(s)")
                print(HEADER)
                for n in counts:
                    medians["server", n] = await timed_crowd(
                        f"{n} (server alone)", lambda: protocol_crowd(base, urls, n, rounds),
                        server, run_log, base)
                    if browsers:
                        medians["browsers", n] = await timed_crowd(
                            f"{n} (browsers)", lambda: crowd(browser, urls, n, rounds),
                            server, run_log, base)
                await browser.close()
            now, peak = server_memory_mb(server.pid)
            print(f"server memory: RSS {now:,.0f} MB, peak {peak:,.0f} MB")
        finally:
            stop_server(server)
    for mode in ("server", "browsers"):
        if (mode, 1) in medians and (mode, 10) in medians:
            ratio = medians[mode, 10] / medians[mode, 1]
            verdict = "PASS" if ratio <= RATIO_TARGET else "FAIL"
            who = "browser visitors" if mode == "browsers" else "visitors, server alone"
            print(f"median page time, 10 / 1 {who}: {ratio:.1f}x "
                  f"(target <= {RATIO_TARGET:g}x) {verdict}")
    return medians


async def bench(args) -> None:
    counts = [int(n) for n in args.visitors.split(",") if n.strip()]
    print("each visitor opens, in turn: /, /" + ", /".join(
        u.split("/", 3)[3] for u, _ in pages("http://x")[1:]))
    print("server alone: the same requests over Streamlit's websocket, no browser; "
          "browsers: headless Chromium, one context per visitor")
    await measure(args.store, counts, args.rounds, args.server_option, not args.no_browsers)
    for option in args.compare:
        await measure(args.store, counts, args.rounds, [*args.server_option, option],
                      not args.no_browsers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True,
                        help="a store to serve (copied first; e.g. one of the BBC corpus)")
    parser.add_argument("--visitors", default="1,10,25",
                        help="concurrent visitor counts, comma-separated (default 1,10,25)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="times each visitor opens the list of pages (default 1)")
    parser.add_argument("--server-option", action="append", default=[], metavar="NAME=VALUE",
                        help="a Streamlit option for the server, e.g. runner.postScriptGC=true")
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=VALUE",
                        help="measure again on a server with this option too (before/after)")
    parser.add_argument("--no-browsers", action="store_true",
                        help="only the server alone (protocol-level visitors, no Chromium)")
    args = parser.parse_args()
    if not Path(args.store).is_file():
        raise SystemExit(f"error: no store at {args.store}: build one with\n"
                         f"  .venv/bin/python -m lib ingest ../shared/data/bbc --store "
                         f"{args.store}")
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"error: no Chromium at {CHROMIUM}: `apt-get install -y chromium`")
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
