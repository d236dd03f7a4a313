"""The real app in a real headless Chromium: every page loads, shows its heading, no error box.

Starts `streamlit run app.py` on a free local port with a temporary store and
drives Debian's /usr/bin/chromium through Playwright. Screenshots go to the
test's temporary folder (printed with -s).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.streamlit_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_FILES,
    build_demo_store,
    heading,
    open_and_wait,
    streamlit_server,
    url_path,
)
from tests.test_query import FULL_NAME_DOC, SURNAME_DOC, XSS_BODY, sample_documents

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120
PAGE_TIMEOUT_MS = 90_000
# url path -> heading
PAGES = {url_path(page): heading(page) for page in PAGE_FILES}
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` to run browser tests",
                allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    store_path = folder / "news.duckdb"
    # the injection article, and Tony Blair named in full in one story, as "Blair" in another
    build_demo_store(store_path, extra_documents=(*sample_documents(), FULL_NAME_DOC, SURNAME_DOC))
    with streamlit_server(store_path, START_TIMEOUT) as (url, _process):
        yield url, folder


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


def open_page(browser, url: str, heading: str, dialogs: list | None = None):
    # tall: Streamlit scrolls inside its own container, so a "full page" shot is the viewport
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    if dialogs is not None:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_and_wait(page, url, PAGE_TIMEOUT_MS, heading)
    return page


def screenshot(page, shot: Path) -> None:
    """After tables, HTML and charts have replaced their loading skeletons."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # plotly draws after its element mounts
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")


def leaves_the_machine(address: str) -> bool:
    """A request to another host (data: and blob: URLs are the page's own)."""
    parts = urlsplit(address)
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS


def test_shared_link_is_the_first_request_of_a_fresh_server(server, browser):
    """A shared link opened before anyone has loaded the home page (runs first in this module).

    Streamlit runs a pages/ file alone until st.navigation has run once in the
    process; the page must still get the dashboard, filter and all.
    """
    url, folder = server
    page = open_page(browser, f"{url}/quotes?person=Tom+Berg", "Quotes")
    assert page.locator(ERROR_BOXES).count() == 0
    assert "Tom Berg" in page.locator('[data-testid="stMultiSelect"]').first.inner_text()
    screenshot(page, folder / "first-request-quotes.png")
    page.close()


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "home" for p in PAGES])
def test_page_loads_without_error(server, browser, path):
    url, folder = server
    shot = folder / f"{path or 'home'}.png"
    page = open_page(browser, f"{url}/{path}", PAGES[path])
    screenshot(page, shot)
    assert page.locator(ERROR_BOXES).count() == 0
    page.close()


def test_filtered_url_shows_injected_html_as_text(server, browser):
    url, folder = server
    shot = folder / "stories-filtered.png"
    dialogs: list[str] = []
    page = open_page(browser, f"{url}/stories?person=Tom+Berg&country=Kenya", "Stories", dialogs)
    assert page.locator(ERROR_BOXES).count() == 0
    page.get_by_text(XSS_BODY).first.wait_for(timeout=PAGE_TIMEOUT_MS)  # shown, as text
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []  # alert(1) never ran
    selected = page.locator('[data-testid="stMultiSelect"]').first.inner_text()
    assert "Tom Berg" in selected
    screenshot(page, shot)
    page.close()


def test_world_map_draws_countries_without_a_cdn(server, browser):
    """Country shapes come from the app's static/ folder; this sandbox reaches no CDN."""
    url, folder = server
    page = open_page(browser, f"{url}/entities", "Entities")
    page.locator("path.choroplethlocation").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert page.locator("path.choroplethlocation").count() >= 5
    page.close()


@pytest.mark.parametrize(("value", "name"), [
    ("Blair", "Tony Blair"),  # an older link's bare surname, linked to the full name
    ("Teixeira", "Rafael Teixeira"),  # the only person of that name
    ("rafael+teixeira", "Rafael Teixeira"),
], ids=["alias", "surname", "lower case"])
def test_a_name_in_a_link_is_read_loosely_and_the_url_rewritten(server, browser, value, name):
    url, folder = server
    page = open_page(browser, f"{url}/quotes?person={value}", "Quotes")
    page.wait_for_function(
        "name => document.querySelector('[data-testid=\"stMultiSelect\"]')"
        "?.innerText.includes(name)", arg=name, timeout=PAGE_TIMEOUT_MS)
    # Streamlit rewrites the address with history.replaceState, which page.url misses
    page.wait_for_function("query => window.location.search.includes(query)",
                           arg="person=" + name.replace(" ", "+"), timeout=PAGE_TIMEOUT_MS)
    assert "not in this corpus" not in page.locator("body").inner_text()
    assert page.locator(ERROR_BOXES).count() == 0
    screenshot(page, folder / f"quotes-link-{value}.png")
    page.close()


def test_markdown_in_the_url_is_shown_as_text(server, browser):
    """A link, an image, coloured text and a formula put in the URL stay the visitor's text."""
    url, folder = server
    query = urlencode({"person": "[sign in](https://evil.example/login)",
                       "country": "![x](https://host.example/t.png) :red[alarm] $x^2$"})
    requested: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    page.on("request", lambda request: requested.append(request.url))
    open_and_wait(page, f"{url}/?{query}", PAGE_TIMEOUT_MS, "Who said what")
    notice = page.locator('[data-testid="stAlertContentInfo"]').first
    notice.wait_for(timeout=PAGE_TIMEOUT_MS)
    # shown as typed (an invisible word joiner keeps Streamlit from linking the address)
    assert "[sign in](https://evil.example/login)" in notice.inner_text().replace("\u2060", "")
    assert ":red[alarm]" in page.locator("body").inner_text()
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src*="host.example"]').count() == 0
    assert page.locator(".katex").count() == 0
    assert not [address for address in requested if urlsplit(address).hostname == "host.example"]
    screenshot(page, folder / "markdown-in-url.png")
    page.close()


def test_opening_every_page_requests_nothing_from_another_host(server, browser):
    """Icons, favicon and fonts come from the app: a page opened offline is whole, and no
    third party hears who opened which page (a Material favicon is fetched from gstatic)."""
    url, _ = server
    outside: list[str] = []
    for path, page_heading in PAGES.items():
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        page.on("request", lambda request: outside.append(request.url)
                if leaves_the_machine(request.url) else None)
        open_and_wait(page, f"{url}/{path}", PAGE_TIMEOUT_MS, page_heading)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stSkeleton\"]')",
            timeout=PAGE_TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)
        icon = page.locator("link[rel='shortcut icon']").get_attribute("href")
        assert icon.startswith("data:image/svg+xml"), icon  # the app's own, sent inline
        page.close()
    assert outside == []


def test_a_quote_link_opens_the_same_quote_in_context(server, browser):
    """A link with a search, speaker and kind facets and a quote, as a colleague opens it."""
    url, folder = server
    talks = sample_documents()[0]
    offered = talks.stories[0].quotes[1]  # Tom Berg's indirect quote in "Ministers meet in Oslo"
    assert offered.text == "France had offered help"
    quote_id = f"{talks.doc_id}:0:1"  # how the store names a quote: document, story, place
    query = urlencode([("q", "e"), ("speaker", "Tom Berg"), ("speaker", "Ana Lima"),
                       ("kind", "indirect"), ("kind", "direct"), ("quote", quote_id)])
    page = open_page(browser, f"{url}/quotes?{query}", "Quotes")
    context = page.get_by_text("indirect quote by Tom Berg · Ministers meet in Oslo")
    context.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.locator('[data-testid="stHtml"]').filter(has_text=offered.text).wait_for(
        timeout=PAGE_TIMEOUT_MS)  # the quote's paragraph, marked
    assert page.get_by_label("Search the quotes").input_value() == "e"
    facets = page.locator('[data-testid="stMultiSelect"]').all_inner_texts()
    assert any("Tom Berg" in f and "Ana Lima" in f for f in facets)
    assert any("indirect" in f and "direct" in f for f in facets)
    # the link shown to copy is absolute here (the browser told the page its address)
    shared = page.locator('[data-testid="stCode"]').last.inner_text()
    assert shared.startswith(f"{url}/quotes?") and "quote=" in shared
    assert page.locator(ERROR_BOXES).count() == 0
    screenshot(page, folder / "quote-link.png")
    page.close()


def test_a_link_with_every_filter_opens_the_same_view_and_exports_it(server, browser):
    """A link carrying person, country, outlet, dates, a Quotes search and a facet: the
    page shows that view, and its JSON download holds exactly the quotes it lists."""
    url, folder = server
    query = urlencode([("person", "Tom Berg"), ("country", "France"), ("outlet", "Test Herald"),
                       ("from", "2024-03-01"), ("to", "2024-03-31"), ("q", "offered"),
                       ("kind", "indirect")])
    page = open_page(browser, f"{url}/quotes?{query}", "Quotes")
    page.get_by_text("indirect quote by Tom Berg · Ministers meet in Oslo").wait_for(
        timeout=PAGE_TIMEOUT_MS)
    assert page.get_by_label("Search the quotes").input_value() == "offered"
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    for shown in ("Tom Berg", "France", "Test Herald", "2024/03/01", "2024/03/31"):
        assert shown in sidebar or shown.replace("/", "-") in sidebar, shown
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
        page.get_by_role("button", name="Quotes (JSON)").click()
    rows = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [(row["speaker"], row["quote"], row["kind"]) for row in rows] == [
        ("Tom Berg", "France had offered help", "indirect")]
    assert page.locator(ERROR_BOXES).count() == 0
    screenshot(page, folder / "every-filter-link.png")
    page.close()
