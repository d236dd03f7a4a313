"""Overview: corpus figures, how to start, and adding pages to a private collection."""

from __future__ import annotations

import streamlit as st

from page_state import current_dashboard

from lib import links, query
from lib.highlight import escape_markdown
from lib.ingest import add_for_visitor
from lib.text import counted
from lib.visitor import (MAX_TITLE_CHARS, Source, read_submission, remove_page,
                         rename_collection)

dash = current_dashboard()

st.title("Who said what")
st.caption("News pages turned into stories, people, places and attributed quotes.")

figures = dash.q(query.corpus_figures, dash.filters)
columns = st.columns(6)
for column, (label, value) in zip(columns, figures.items()):
    column.metric(label.capitalize(), f"{value:,}")
if dash.filters.narrowed:
    st.caption("Figures count only the stories in view (the sidebar filters apply).")

st.subheader("How to start")
st.markdown(
    """
1. **Stories** - read each story with its people, places and quotes highlighted.
2. **Entities** - who and where the news is about; click a bar or a country to filter.
3. **Quotes** - every quote with its speaker, cue and kind; search and open it in context.
4. **Who said what** - one row per speaker, what they said and whom they talk about.
5. **Timeline** - people, countries and outlets over time, by publication date.
6. **Search** - the stories that hold some words, matches marked, and the names that do.

Pick a person or a country in the sidebar to narrow every page to the stories that name them.
The bundled demo corpus is always shown; add your own pages below.
"""
)


def add_pages(items: list[Source]) -> None:
    bar = st.progress(0.0, text="Reading and parsing...")

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"{done} of {total} processed")

    result = add_for_visitor(items, dash.store, viewed_collection=dash.collection,
                             owner_key=dash.owner_key, progress=progress)
    st.session_state["add_report"] = (result.added, [str(f) for f in result.failures],
                                      result.owner_key != dash.owner_key)
    if result.added:
        st.session_state["collection"] = result.collection
        st.session_state["owner_key"] = result.owner_key
        st.query_params[links.COLLECTION] = result.collection
        st.query_params[links.OWNER_KEY] = result.owner_key
    st.rerun()  # the sidebar's people and countries now include the new pages


def edit_link() -> str:
    return links.edit_link(st.context.url, st.session_state["collection"],
                           st.session_state["owner_key"])


def rename(title_key: str) -> None:
    """A callback: the collection takes the name typed (its edit key is checked again)."""
    rename_collection(dash.store, dash.collection, dash.owner_key, st.session_state[title_key])


def remove(page_key: str) -> None:
    """A callback: the chosen page leaves the collection (its edit key is checked again)."""
    st.session_state["remove_report"] = remove_page(
        dash.store, dash.collection, dash.owner_key, st.session_state[page_key])


st.subheader("Add pages")
report = st.session_state.pop("add_report", None)
if report:
    added, failures, new_collection = report
    for failure in failures:
        st.error(escape_markdown(failure))  # names a file or URL the visitor typed
    if added and new_collection:
        st.success(f"Added {counted(added, 'page')} to a new collection. Bookmark this page: its "
                   "address is your edit link, the only way back to adding, renaming and "
                   "removing pages. The view link in the sidebar shares them read-only.")
        st.code(edit_link(), language=None, wrap_lines=True)
    elif added:
        st.success(f"Added {counted(added, 'page')} to your collection.")
with st.form("add_pages", clear_on_submit=True):
    uploads = st.file_uploader("Upload .txt or .html files", type=["txt", "html", "htm"],
                               accept_multiple_files=True)
    pasted = st.text_area("...or paste the text of a page", height=120)
    urls = st.text_area("...or give page URLs (one a line)", height=70)
    submitted = st.form_submit_button("Add to my collection", type="primary")
if submitted:
    submission = read_submission(uploads, pasted, urls)
    if submission.refusal:
        st.error(f"Nothing added: {submission.refusal}.")
    elif submission.sources:
        add_pages(submission.sources)
    else:
        st.warning("Nothing to add: upload a file, paste text or give a URL.")
if dash.owner_key:
    st.caption("Pages you add join your collection: everyone with its view link sees them.")
elif dash.collection:
    st.caption("This collection is read-only here (its link has no edit key): what you add "
               "goes into a new private collection holding its pages and yours.")
else:
    st.caption("What you add goes into a new private collection; only people with its link "
               "see it, together with the demo corpus.")

if dash.owner_key:
    st.subheader("Your collection")
    members = dash.store.collection_members(dash.collection)
    with st.form("rename_collection"):
        st.text_input("Name", value=dash.store.collection_title(dash.collection) or "",
                      max_chars=MAX_TITLE_CHARS, key="collection-title",
                      placeholder="a name shown with its pages")
        st.form_submit_button("Rename", on_click=rename, args=("collection-title",))
    if members:
        shown = {doc_id: f"{title or '(untitled)'} ({source})"
                 for doc_id, source, title in members}
        remove_col, button_col = st.columns([4, 1], vertical_alignment="bottom")
        remove_col.selectbox(f"Remove a page ({len(members)} in your collection)", list(shown),
                             format_func=shown.get, key="remove-page")
        button_col.button("Remove", key="remove", on_click=remove, args=("remove-page",))
    if st.session_state.pop("remove_report", False):
        st.success("Page removed from your collection.")
    st.markdown("**Edit link** (keep it private):")
    st.code(edit_link(), language=None, wrap_lines=True)
