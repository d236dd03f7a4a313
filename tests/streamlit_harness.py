"""Running the real app for tests and benchmarks: AppTest set-up, a server, a browser."""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager

from lib.ingest import IngestSummary, ingest
from lib.model import ParsedDocument
from lib.store import DEMO_COLLECTION, Store

REPO_DIR = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted((REPO_DIR / "pages").glob("*.py"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling hosts this
# sandbox cannot reach.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def navigation_only_init():
    """A PagesManager.__init__ that keeps the legacy pages/ mode off.

    AppTest re-detects the pages/ folder before every run and then runs a page as
    a legacy multipage script. A real server checks once and st.navigation
    switches that mode off for good; this does the same before each AppTest run.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    return init


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, timeout_s: float) -> None:
    """Wait for a `streamlit run` process to answer its health check, or raise."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited: {server.stdout.read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("streamlit did not start in time")


@contextlib.contextmanager
def streamlit_server(store_path: str, timeout_s: float) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run app.py` on a free local port over the store at store_path.

    Yields (base url, process) once the server answers its health check; stops it after.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=REPO_DIR, env=os.environ | {"NEWS_STORE": str(store_path)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, timeout_s)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def url_path(page: Path) -> str:
    """The URL path st.navigation gives a page file: the default page lives at "/"."""
    return "" if page.stem == "home" else page.stem


def heading(page: Path) -> str:
    """The first st.title(...) literal of a page file."""
    for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "title"
                and node.args and isinstance(node.args[0], ast.Constant)):
            return node.args[0].value
    raise AssertionError(f"{page.name} has no st.title heading")


def build_demo_store(
    path, *, extra_inputs: tuple = (), extra_documents: tuple[ParsedDocument, ...] = ()
) -> IngestSummary:
    """A store with the bundled demo corpus (plus extras) in the read-only demo collection."""
    with Store(path) as store:
        store.ensure_collection(DEMO_COLLECTION, read_only=True)
        summary = ingest([str(REPO_DIR / "data" / "samples"), *extra_inputs], store,
                         collection=DEMO_COLLECTION, workers=1)
        if extra_documents:
            store.add(list(extra_documents), collection=DEMO_COLLECTION)
    return summary


def open_and_wait(tab, url: str, timeout_ms: float, heading_text: str | None = None) -> None:
    """Go to url in a Playwright tab; wait for its h1 (``heading_text`` if given) and for
    the script run to end (Streamlit's status widget shows while it runs)."""
    tab.goto(url, timeout=timeout_ms)
    title = (tab.get_by_role("heading", name=heading_text, level=1) if heading_text
             else tab.locator("h1").first)
    title.wait_for(timeout=timeout_ms)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def absolute_imports(path: Path) -> list[tuple[str, bool]]:
    """(module, imported at module level) for every absolute import in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(name, id(node) in module_level) for name in names]
    return found
