"""The real app in a real headless Chromium: every page loads, shows its heading, no error box.

Starts `streamlit run app.py` on a free local port with a temporary store and
drives Debian's /usr/bin/chromium through Playwright. Screenshots go to the
test's temporary folder (printed with -s).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from lib.model import Entity, ParsedDocument, Story
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
LONG_NAME = "Alexandria Montgomery-Fairweather Ocasio"
# countries on both sides of the date line, and a name too long for an axis label
PACIFIC_TEXT = (f"{LONG_NAME} flew from Russia to the United States and on to Fiji; "
                "Russia and the United States sent ministers.")
PACIFIC_NAMES = {LONG_NAME: ("PERSON", None, None), "Russia": ("GPE", "Russia", "RUS"),
                 "United States": ("GPE", "United States", "USA"), "Fiji": ("GPE", "Fiji", "FJI")}
# (viewport, phone): a phone also sends a phone's user agent and has touch
SCREENS = {"desktop": ({"width": 1400, "height": 900}, False),
           "phone": ({"width": 390, "height": 844}, True)}
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/124.0 Mobile Safari/537.36")
# every page, the Entities page also with a person and a country, and with Russia in view
LAYOUT_URLS = {**{path or "home": path for path in PAGES},
               "entities-person-country": "entities?person=Tom+Berg&country=France",
               "entities-russia": "entities?country=Russia"}
# Elements of stMain wider than the window, unless an element inside stMain clips them
# (a table scrolls inside its own box); charts may not rely on that.
OVERFLOW_JS = """() => {
  const limit = window.innerWidth + 1;
  const main = document.querySelector('[data-testid="stMain"]');
  const name = (e) => e.tagName.toLowerCase() + (e.getAttribute('data-testid') ?
      `[${e.getAttribute('data-testid')}]` : '') + (e.classList.length ?
      '.' + [...e.classList].slice(0, 2).join('.') : '');
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== main; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= limit)
        return true;
    }
    return false;
  };
  const charts = '.js-plotly-plot, [data-testid="stPlotlyChart"], .js-plotly-plot svg';
  const wide = [];
  for (const e of main.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit) continue;
    if (e.matches(charts) || !clipped(e)) wide.push(`${name(e)} right=${Math.round(box.right)}`);
  }
  return {wide: wide.slice(0, 10), scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length};
}"""

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` to run browser tests",
                allow_module_level=True)


def pacific_document() -> ParsedDocument:
    entities = []
    for surface, (label, country, code) in PACIFIC_NAMES.items():
        start = PACIFIC_TEXT.find(surface)
        while start >= 0:
            entities.append(Entity(surface, label, country or surface, start,
                                   start + len(surface), country, code))
            start = PACIFIC_TEXT.find(surface, start + len(surface))
    story = Story("Across the date line", [PACIFIC_TEXT], [],
                  sorted(entities, key=lambda e: e.start), [])
    return ParsedDocument("p" * 64, "pacific.txt", story.headline, [story], date="2024-06-01")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    store_path = folder / "news.duckdb"
    # the injection article, and Tony Blair named in full in one story, as "Blair" in another
    build_demo_store(store_path, extra_documents=(*sample_documents(), FULL_NAME_DOC, SURNAME_DOC,
                                                  pacific_document()))
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


def sidebar_holds(page, values: list[str]) -> str:
    """The sidebar's text, spaces dropped, once it holds every value (a date input shows its
    parts apart: "2026 - 03 - 01"); a page's widgets settle after its first run."""
    wanted = [re.sub(r"\s+", "", value) for value in values]
    text = ""
    for _ in range(PAGE_TIMEOUT_MS // 250):
        text = re.sub(r"\s+", "", page.locator('[data-testid="stSidebar"]').inner_text())
        if all(value in text for value in wanted):
            break
        page.wait_for_timeout(250)
    return text


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
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Tom Berg").first.wait_for(
        timeout=PAGE_TIMEOUT_MS)  # the person filter, once the sidebar has settled
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
    # the person filter holds Tom Berg (the sidebar settles after the page's first run)
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Tom Berg").first.wait_for(
        timeout=PAGE_TIMEOUT_MS)
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
    sync_api.expect(page.get_by_label("Search the quotes")).to_have_value(
        "offered", timeout=PAGE_TIMEOUT_MS)
    shown = ["Tom Berg", "France", "Test Herald", "2024-03-01", "2024-03-31"]
    sidebar = sidebar_holds(page, shown)
    assert all(re.sub(r"\s+", "", value) in sidebar for value in shown), sidebar
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
        page.get_by_role("button", name="Quotes (JSON)").click()
    rows = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [(row["speaker"], row["quote"], row["kind"]) for row in rows] == [
        ("Tom Berg", "France had offered help", "indirect")]
    assert page.locator(ERROR_BOXES).count() == 0
    screenshot(page, folder / "every-filter-link.png")
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
    page.get_by_role("button", name="Their quotes (CSV)").click()
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


# What plotly drew: where three cities land on the map, how wide the world is next to its
# chart, the colour bar's and the bars' tick labels, how many names the heatmap labels.
DRAWN_JS = """() => {
  const plot = (key) => document.querySelector(`.st-key-${key} .js-plotly-plot`);
  const ticks = (element, selector) => [...element.querySelectorAll(selector)]
      .map(t => t.textContent);
  const world = plot('chart-map'), heat = plot('chart-cooccurrence');
  const project = world._fullLayout.geo._subplot.projection;
  const x = (lon, lat) => project([lon, lat])[0];
  return {
    newYork: x(-74, 40.7), london: x(-0.1, 51.5), moscow: x(37.6, 55.8),
    worldWidth: x(179.9, 0) - x(-179.9, 0), mapWidth: world.getBoundingClientRect().width,
    colorbar: ticks(world, '.colorbar .cbaxis text'),
    barTicks: plot('chart-country') ? ticks(plot('chart-country'), '.xtick text') : [],
    heatNames: heat ? heat.data[0].x.length : 0,
    heatTicks: heat ? [heat.querySelectorAll('.xtick text').length,
                       heat.querySelectorAll('.ytick text').length] : [],
    modebars: document.querySelectorAll('.modebar').length,
  };
}"""


def whole_numbers(labels: list[str]) -> bool:
    return bool(labels) and all(label.replace(",", "").isdigit() for label in labels)


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("path", ["entities", "entities?country=Russia"],
                         ids=["everything", "russia-us-fiji"])
def test_entities_charts_read_on_a_laptop_and_a_phone(server, browser, path, screen):
    url, folder = server
    viewport, phone = SCREENS[screen]
    options = {"user_agent": PHONE_AGENT, "is_mobile": True, "has_touch": True} if phone else {}
    page = browser.new_page(viewport=viewport, **options)
    open_and_wait(page, f"{url}/{path}", PAGE_TIMEOUT_MS, "Entities")
    page.locator("path.choroplethlocation").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # plotly draws after its element mounts
    drawn = page.evaluate(DRAWN_JS)
    # Greenwich in the middle: America left of Europe, Europe left of Russia
    assert drawn["newYork"] < drawn["london"] < drawn["moscow"], drawn
    # the colour bar and the count axes start at 0 and count in whole numbers
    assert whole_numbers(drawn["colorbar"]) and drawn["colorbar"][0] == "0", drawn
    assert whole_numbers(drawn["barTicks"]), drawn
    # every name on both heatmap axes
    assert drawn["heatTicks"] in ([], [drawn["heatNames"]] * 2), drawn
    if phone:
        assert drawn["worldWidth"] >= 0.9 * drawn["mapWidth"], drawn  # not a thumbnail
        assert drawn["modebars"] == 0, drawn  # nothing over the legends
    page.close()


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("name", list(LAYOUT_URLS))
def test_pages_fit_the_screen(server, browser, name, screen):
    """No chart or other element of a page is wider than a laptop's or a phone's window."""
    url, folder = server
    viewport, phone = SCREENS[screen]
    options = {"user_agent": PHONE_AGENT, "is_mobile": True, "has_touch": True} if phone else {}
    page = browser.new_page(viewport=viewport, **options)
    path = LAYOUT_URLS[name]
    open_and_wait(page, f"{url}/{path}", PAGE_TIMEOUT_MS, PAGES[path.split("?")[0]])
    if path.startswith("entities"):
        page.locator("path.choroplethlocation").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    screenshot(page, folder / f"{name}-{screen}.png")
    for number, chart in enumerate(page.locator('[data-testid="stPlotlyChart"]').all()):
        chart.screenshot(path=str(folder / f"{name}-{screen}-chart{number}.png"))
    layout = page.evaluate(OVERFLOW_JS)
    assert page.locator(ERROR_BOXES).count() == 0
    assert layout["wide"] == []
    assert layout["scrollWidth"] <= layout["innerWidth"]
    if path.startswith("entities"):
        assert layout["charts"] >= 3
    page.close()


def test_a_link_with_person_country_outlet_author_and_dates_opens_that_view(server, browser):
    """Every sidebar filter in one link: Stories lists and opens the one story they leave,
    and the Timeline draws it; the sidebar holds every value."""
    url, folder = server
    query = urlencode([("person", "Morag Innes"), ("country", "United Kingdom"),
                       ("outlet", "The Northern Courier"), ("author", "Fiona MacLeod"),
                       ("from", "2026-03-01"), ("to", "2026-03-31")])
    story = "Fire damages historic library in Edinburgh"
    page = open_page(browser, f"{url}/stories?{query}", "Stories")
    page.get_by_role("heading", name=story).wait_for(timeout=PAGE_TIMEOUT_MS)
    shown = ["Morag Innes", "United Kingdom", "The Northern Courier", "Fiona MacLeod",
             "2026-03-01", "2026-03-31"]
    sidebar = sidebar_holds(page, shown)
    assert all(re.sub(r"\s+", "", value) in sidebar for value in shown), sidebar
    assert page.locator(ERROR_BOXES).count() == 0
    screenshot(page, folder / "every-sidebar-filter-stories.png")
    page.close()
    timeline = open_page(browser, f"{url}/timeline?{query}&over=Countries", "Timeline")
    timeline.locator('[data-testid="stPlotlyChart"]').wait_for(timeout=PAGE_TIMEOUT_MS)
    assert timeline.get_by_text("United Kingdom").count() >= 1
    assert timeline.locator(ERROR_BOXES).count() == 0
    screenshot(timeline, folder / "every-sidebar-filter-timeline.png")
    timeline.close()
