"""Who said what: the Streamlit entry point.

Builds what every page shares - the store, the visible collections, the sidebar
filters bound to the URL - and hands it to the page as a ``Dashboard`` in
``st.session_state["dashboard"]``. Pages only lay out what ``lib.query`` computes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FunctionType

import streamlit as st

from lib import links, query
from lib.highlight import escape_markdown
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
SAMPLES_DIR = APP_DIR / "data" / "samples"
PAGES = [
    st.Page("pages/home.py", title="Overview", icon=":material/home:", default=True),
    st.Page("pages/stories.py", title="Stories", icon=":material/article:"),
    st.Page("pages/entities.py", title="Entities", icon=":material/bar_chart:"),
    st.Page("pages/quotes.py", title="Quotes", icon=":material/format_quote:"),
    st.Page("pages/who_said_what.py", title="Who said what", icon=":material/groups:"),
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


def offer_linked_names(key: str, linked: dict[str, str]) -> None:
    """An older link's bare surname ("?person=Blair"): offer the full name it now counts as.

    Streamlit keeps a widget bound to the URL from being rewritten on a link's first
    run, so the visitor picks the name; a click updates the filter and the URL.
    """
    shown = "; ".join(f"{escape_markdown(alias)} is counted as {escape_markdown(name)}"
                      for alias, name in linked.items())
    st.info(f"In this corpus {shown}.", icon=":material/info:")
    names = list(dict.fromkeys(linked.values()))
    st.button(f"Filter by {escape_markdown(', '.join(names))}", key=f"linked-{key}",
              on_click=add_to_filter, args=(key, names))


def sidebar_filters(dash_path: str, version: str, collections: tuple[str, ...]) -> query.Filters:
    """Person and country filters bound to ``?person=``/``?country=``; unknown values noticed."""
    options = run_query(dash_path, version, query.filter_options, collections)
    aliases = {"people": run_query(dash_path, version, query.person_aliases, collections)}
    selected = {}
    for field, key, label in (("people", "person", "Person"), ("countries", "country", "Country")):
        requested = st.query_params.get_all(key)
        _, ignored = query.split_known(requested, options[field])
        linked = query.linked_names(ignored, aliases.get(field, {}), options[field])
        ignored = [value for value in ignored if value not in linked]
        if ignored:
            # URL values are the visitor's text: shown as text, never as Markdown
            shown = ", ".join(f"“{escape_markdown(v[:60])}”" for v in ignored[:3])
            st.info(f"Ignored {label.lower()} filter {shown}: not in this corpus.",
                    icon=":material/info:")
        if linked:
            offer_linked_names(key, linked)
        with st.sidebar:
            selected[field] = st.multiselect(
                label,
                options[field],
                key=key,
                bind="query-params",
                placeholder=f"Any {label.lower()}",
                help=f"Stories naming every selected {label.lower()} (most mentioned first).",
                select_all=False,
            )
    return query.Filters(collections=collections, people=tuple(selected["people"]),
                         countries=tuple(selected["countries"]))


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
    st.set_page_config(page_title="Who said what", page_icon=":material/format_quote:",
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
                       "every selected person and country.")
    filters = sidebar_filters(path, version, collections)
    if collection:
        collection_caption(store, collection, owner_key)
    st.session_state["dashboard"] = Dashboard(path, version, filters, collection, owner_key)
    navigation.run()


# Streamlit runs this file as __main__. A spawned worker process (ingest --workers)
# re-imports its parent's main module as __mp_main__ and must not start a dashboard.
if __name__ == "__main__":
    main()
