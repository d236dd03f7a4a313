"""Who said what: the Streamlit entry point.

Builds what every page shares - the store, the visible collections, the sidebar
filters bound to the URL - and hands it to the page as a ``Dashboard`` in
``st.session_state["dashboard"]``. Pages only lay out what ``lib.query`` computes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FunctionType

import streamlit as st

from lib import links, query
from lib.highlight import escape_markdown
from lib.names import LinkNames, country_named, match_names
from lib.nlp import load_pipeline
from lib.store import (
    DEMO_COLLECTION,
    Store,
    StoreError,
    StoreLocked,
    default_store_path,
    has_staged,
)
from lib.visitor import linked_collection, may_edit, visible_collections
from page_state import add_to_filter

APP_DIR = Path(__file__).resolve().parent
LOCKED_RETRY_SECONDS = 5
MAX_OFFERED_NAMES = 5  # buttons for a link's value that several names fit
SAMPLES_DIR = APP_DIR / "data" / "samples"
# A local file, sent inline: a ":material/...:" page icon makes the browser fetch it from
# fonts.gstatic.com (the nav's Material icons come from Streamlit's bundled font).
FAVICON = APP_DIR / "static" / "favicon.svg"
PAGES = [
    st.Page("pages/home.py", title="Overview", icon=":material/home:", default=True),
    st.Page("pages/stories.py", title="Stories", icon=":material/article:"),
    st.Page("pages/entities.py", title="Entities", icon=":material/bar_chart:"),
    st.Page("pages/quotes.py", title="Quotes", icon=":material/format_quote:"),
    st.Page("pages/who_said_what.py", title="Who said what", icon=":material/groups:"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:"),
    st.Page("pages/search.py", title="Search", icon=":material/search:"),
]


@st.cache_resource(show_spinner=False)
def open_store(path: str) -> Store:
    """One store connection per process; every query takes its own cursor."""
    return Store(path)


@st.cache_resource(show_spinner="Loading the language model...")
def language_model():
    return load_pipeline()


@st.cache_resource(show_spinner="Preparing the demo corpus...")
def demo_corpus_ready(path: str) -> bool:
    """Ingest the bundled samples into the read-only demo collection once, if missing."""
    store = open_store(path)
    if store.has_documents(DEMO_COLLECTION):
        return True
    from lib.ingest import ingest

    store.ensure_collection(DEMO_COLLECTION, read_only=True)
    language_model()
    ingest([str(SAMPLES_DIR)], store, collection=DEMO_COLLECTION, workers=1)
    return True


def query_key(function: Callable) -> str:
    """What the cache knows a query function by: Streamlit cannot hash a function object,
    and its qualified name is the same on every rerun."""
    return f"{function.__module__}.{function.__qualname__}"


@st.cache_data(max_entries=1024, show_spinner=False, hash_funcs={FunctionType: query_key})
def cached_query(path: str, version: str, function: Callable, *args, **kwargs):
    """A ``lib.query`` function's result, cached until the corpus changes (``version``)."""
    with open_store(path).cursor() as cursor:
        return function(cursor, *args, **kwargs)


def run_query(path: str, version: str, function: Callable, *args, **kwargs):
    """``function(cursor, *args, **kwargs)`` through the cache. Only a function of
    ``lib.query`` is run: a page cannot cache any other callable by mistake."""
    name = getattr(function, "__name__", "")
    if getattr(function, "__module__", None) != query.__name__ or (
            getattr(query, name, None) is not function):
        raise TypeError(f"not a lib.query function: {function!r}")
    return cached_query(path, version, function, *args, **kwargs)


@dataclass(frozen=True)
class Dashboard:
    store_path: str
    version: str
    filters: query.Filters
    collection: str | None  # the visitor's own collection, if any
    owner_key: str | None = None  # the collection's edit key, when this visitor has it

    def q(self, function: Callable, *args, **kwargs):
        """Run a ``lib.query`` function, ``function(cursor, *args, **kwargs)``, through
        the cache."""
        return run_query(self.store_path, self.version, function, *args, **kwargs)

    @property
    def store(self) -> Store:
        return open_store(self.store_path)


def store_or_notice(path: str) -> Store:
    """The store, or a plain notice instead of every page: retried while another process
    (an ingest) holds it, a stop when it cannot be read."""
    try:
        return open_store(path)
    except StoreLocked as locked:
        st.info(escape_markdown(f"Please wait: {locked}. The dashboard opens it as soon as it "
                                f"is free; this page retries every {LOCKED_RETRY_SECONDS} "
                                "seconds."), icon=":material/lock:")
        time.sleep(LOCKED_RETRY_SECONDS)
        st.rerun()
    except StoreError as error:
        st.error(escape_markdown(str(error)))
        st.stop()


def visitor_collection(store: Store) -> tuple[str | None, str | None]:
    """The collection named by ``?c=`` (or made earlier in this session) and its edit key
    when ``&key=`` (or this session) holds the right one; both kept in the URL."""
    linked = st.query_params.get(links.COLLECTION)
    if linked:
        opened = linked_collection(store, linked)
        if opened:
            if st.session_state.get("collection") != opened:
                st.session_state.pop("owner_key", None)  # another collection's key
            st.session_state["collection"] = opened
        else:
            st.warning("The collection in this link does not exist; showing the demo corpus.")
            del st.query_params[links.COLLECTION]
    collection = st.session_state.get("collection")
    linked_key = st.query_params.get(links.OWNER_KEY)
    if linked_key and linked_key != st.session_state.get("owner_key"):
        if may_edit(store, collection, linked_key):
            st.session_state["owner_key"] = linked_key
        else:
            if collection:
                st.warning("The edit key in this link does not open this collection: it is "
                           "shown read-only.")
            del st.query_params[links.OWNER_KEY]
    owner_key = st.session_state.get("owner_key") if collection else None
    if collection and st.query_params.get(links.COLLECTION) != collection:
        st.query_params[links.COLLECTION] = collection  # survives page switches, can be shared
    if owner_key and st.query_params.get(links.OWNER_KEY) != owner_key:
        st.query_params[links.OWNER_KEY] = owner_key  # so a bookmark keeps editing
    return collection, owner_key


LINK_READING = "link-reading"  # a link's names, read before the rerun that rewrites it


def read_link(options: dict[str, list[str]], aliases: dict[str, str]) -> dict[str, LinkNames]:
    """The ``?person=``, ``?country=``, ``?outlet=`` and ``?author=`` values as the
    corpus's names (``lib.names``)."""
    return {
        "person": match_names(st.query_params.get_all("person"), options["people"],
                              aliases=aliases, by_part=True),
        "country": match_names(st.query_params.get_all("country"), options["countries"],
                               other_name=country_named),
        "outlet": match_names(st.query_params.get_all("outlet"), options["outlets"]),
        "author": match_names(st.query_params.get_all("author"), options["authors"]),
    }


def notice_link_names(key: str, label: str, names: LinkNames) -> None:
    """What became of a link's values that are not the corpus's names as spelled. URL
    values are the visitor's text: shown as text, never as Markdown."""
    if names.ignored:
        shown = ", ".join(f"“{escape_markdown(v[:60])}”" for v in names.ignored[:3])
        st.info(f"Ignored {label.lower()} filter {shown}: not in this corpus.",
                icon=":material/info:")
    if names.guessed:
        shown = "; ".join(f"“{escape_markdown(value[:60])}” is read as {escape_markdown(name)}"
                          for value, name in names.guessed.items())
        st.info(f"In this link {shown}.", icon=":material/info:")
    for value, could_be in list(names.ambiguous.items())[:3]:
        offered = could_be[:MAX_OFFERED_NAMES]
        more = len(could_be) - len(offered)
        st.info(f"“{escape_markdown(value[:60])}” in this link could be "
                f"{escape_markdown(', '.join(offered))}{f' or {more} more' if more else ''}: "
                "pick one.", icon=":material/info:")
        for name in offered:
            st.button(f"Filter by {escape_markdown(name)}", key=f"linked-{key}-{name}",
                      on_click=add_to_filter, args=(key, [name]))


# (Filters field, URL key, label, help): a story is in view when it names every selected
# person and country and comes from any selected outlet and author
EARLIEST_DAY, LATEST_DAY = dt.date(1800, 1, 1), dt.date(2200, 12, 31)
SIDEBAR_FILTERS = (
    ("people", "person", "Person", "Stories naming every selected person (most mentioned first)."),
    ("countries", "country", "Country",
     "Stories naming every selected country (most mentioned first)."),
    ("outlets", "outlet", "Outlet", "Stories from any selected outlet (most stories first)."),
    ("authors", "author", "Author", "Stories by any selected author (most stories first)."),
)


def sidebar_filters(dash_path: str, version: str, collections: tuple[str, ...]) -> query.Filters:
    """Person, country, outlet and author filters bound to ``?person=``, ``?country=``,
    ``?outlet=``, ``?author=``, read loosely (``lib.names``), and publication dates to
    ``?from=``/``?to=``; what a link named otherwise or not at all is noticed."""
    options = run_query(dash_path, version, query.filter_options, collections)
    reading = st.session_state.pop(LINK_READING, None)
    if reading is None:
        reading = read_link(options, run_query(dash_path, version, query.person_aliases,
                                               collections))
        rewritten = {key: names.selected for key, names in reading.items() if names.read_as}
        if rewritten:
            # A bound widget starts from the URL its run started with and drops values that
            # are not its options: the URL is rewritten to the names read and the script
            # rerun, so the filters start from them; the notices wait for that run.
            for key, names in rewritten.items():
                st.query_params[key] = list(names)
            st.session_state[LINK_READING] = reading
            st.rerun()
    selected = {}
    for field, key, label, help_text in SIDEBAR_FILTERS:
        notice_link_names(key, label, reading[key])
        if not options[field] and field in ("outlets", "authors"):
            selected[field] = []  # no story in the corpus names one: no empty list to offer
            continue
        with st.sidebar:
            selected[field] = st.multiselect(
                label,
                options[field],
                key=key,
                bind="query-params",
                placeholder=f"Any {label.lower()}",
                help=help_text,
                select_all=False,
            )
    days = options["days"]  # the first and last publication day, when any story has one
    dates = {"from": None, "to": None}
    if days:
        with st.sidebar:
            start, end = st.columns(2)
            for column, key, label in ((start, "from", "Published from"),
                                       (end, "to", "Published until")):
                dates[key] = column.date_input(
                    # any day: a link's range may run past the corpus's first or last
                    # story (a bound date outside min/max would be dropped from the URL)
                    label, value=None, min_value=EARLIEST_DAY, max_value=LATEST_DAY, key=key,
                    bind="query-params", format="YYYY-MM-DD",
                    help="Stories without a publication date are left out of any range.")
    return query.Filters(collections=collections, people=tuple(selected["people"]),
                         countries=tuple(selected["countries"]),
                         outlets=tuple(selected["outlets"]), authors=tuple(selected["authors"]),
                         date_from=dates["from"], date_to=dates["to"])


def collection_caption(store: Store, collection: str, owner_key: str | None) -> None:
    """What the sidebar says of the collection in view, and the link that shares it."""
    title = store.collection_title(collection)
    named = f"“{escape_markdown(title)}”" if title else "a collection of pages"
    with st.sidebar:
        if owner_key:
            st.caption(f"Viewing the demo corpus plus your {named}. This address holds its edit "
                       "key: keep it to add, rename or remove pages; share the view link "
                       "below instead.")
        else:
            st.caption(f"Viewing the demo corpus plus {named}, read-only: pages you add go "
                       "into a copy of your own.")
        st.code(links.share_link(st.context.url, links.link_query(
            {links.COLLECTION: collection})), language=None, wrap_lines=True)


def main() -> None:
    st.set_page_config(page_title="Who said what", page_icon=FAVICON,
                       layout="wide")
    navigation = st.navigation(PAGES)
    path = str(default_store_path())
    store = store_or_notice(path)
    if has_staged(path):
        with st.spinner("Adding the documents ingested while the dashboard was running..."):
            for problem in store.take_staged():
                st.warning(escape_markdown(f"Staged documents not added: {problem}"))
    demo_corpus_ready(path)
    collection, owner_key = visitor_collection(store)
    collections = visible_collections(collection)
    with store.cursor() as cursor:
        version = query.corpus_version(cursor)
    st.sidebar.caption("Filters apply to every page: a story is in view when it names "
                       "every selected person and country, comes from any selected outlet "
                       "and author, and was published in the date range.")
    filters = sidebar_filters(path, version, collections)
    if collection:
        collection_caption(store, collection, owner_key)
    st.session_state["dashboard"] = Dashboard(path, version, filters, collection, owner_key)
    navigation.run()


# Streamlit runs this file as __main__. A spawned worker process (ingest --workers)
# re-imports its parent's main module as __mp_main__ and must not start a dashboard.
if __name__ == "__main__":
    main()
