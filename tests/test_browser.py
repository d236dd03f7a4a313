"""The real app in a real headless Chromium: every page loads, shows its heading, no error box.

Starts `streamlit run app.py` on a free local port with a temporary store and
drives Debian's /usr/bin/chromium through Playwright. Screenshots go to the
test's temporary folder (printed with -s).
"""

from __future__ import annotations

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


def test_an_older_surname_link_offers_the_full_name_and_updates_the_url(server, browser):
    url, folder = server
    page = open_page(browser, f"{url}/quotes?person=Blair", "Quotes")
    page.get_by_role("button", name="Filter by Tony Blair").click(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMultiSelect\"]')"
        "?.innerText.includes('Tony Blair')", timeout=PAGE_TIMEOUT_MS)
    # Streamlit rewrites the address with history.replaceState, which page.url misses
    page.wait_for_function("() => window.location.search.includes('person=Tony+Blair')",
                           timeout=PAGE_TIMEOUT_MS)
    assert page.locator(ERROR_BOXES).count() == 0
    screenshot(page, folder / "quotes-linked-surname.png")
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


def test_two_quick_downloads_both_arrive(server, browser):
    """A second CSV clicked while the first click is still being answered is not lost.

    A click that reruns the page replaces every deferred download's server-side id, so
    a second click sent with the old id used to fail (MediaFileStorageError).
    """
    url, folder = server
    page = browser.new_page(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
    open_and_wait(page, f"{url}/who_said_what", PAGE_TIMEOUT_MS, "Who said what")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("button", name="Speakers (CSV)").click()
    page.wait_for_timeout(150)
    page.get_by_role("button", name="Quotes (CSV)").click()
    for _ in range(80):  # up to 20 s for both files
        if len(downloads) >= 2:
            break
        page.wait_for_timeout(250)
    files = {download.suggested_filename: Path(download.path()).read_text(encoding="utf-8")
             for download in downloads}
    assert sorted(files) == ["quotes.csv", "speakers.csv"]
    assert files["speakers.csv"].startswith("speaker,") and files["speakers.csv"].count("\n") > 1
    assert files["quotes.csv"].startswith("speaker,") and files["quotes.csv"].count("\n") > 1
    assert page.locator(ERROR_BOXES).count() == 0
    page.close()
