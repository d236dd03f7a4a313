"""Overview: corpus figures, how to start, and adding pages to a private collection."""

from __future__ import annotations

import streamlit as st

from page_state import current_dashboard

from lib import query
from lib.highlight import escape_markdown
from lib.ingest import add_for_visitor
from lib.limits import files_per_submit_error
from lib.model import SourceError
from lib.sources import SourceFailure, is_url, source_from_bytes

dash = current_dashboard()

st.title("Who said what")
st.caption("News pages turned into stories, people, places and attributed quotes.")

figures = dash.q(query.corpus_figures, dash.filters)
columns = st.columns(6)
for column, (label, value) in zip(columns, figures.items()):
    column.metric(label.capitalize(), f"{value:,}")
if dash.filters.people or dash.filters.countries:
    st.caption("Figures count only the stories in view (the sidebar filters apply).")

st.subheader("How to start")
st.markdown(
    """
1. **Stories** - read each story with its people, places and quotes highlighted.
2. **Entities** - who and where the news is about; click a bar or a country to filter.
3. **Quotes** - every quote with its speaker, cue and kind; search and open it in context.
4. **Who said what** - one row per speaker, what they said and whom they talk about.

Pick a person or a country in the sidebar to narrow every page to the stories that name them.
The bundled demo corpus is always shown; add your own pages below.
"""
)


def url_input(line: str):
    """A URL typed by a visitor, to fetch; anything else (a server path!) is refused
    here, before ingest would read a file or walk a folder."""
    return line if is_url(line) else SourceError(line[:200], "not an http(s) URL")


def uploaded_sources(uploads, pasted: str) -> list:
    items = []
    for upload in uploads or []:
        try:
            items.append(source_from_bytes(upload.name, upload.getvalue()))
        except SourceFailure as failure:
            items.append(failure.error)
    if pasted.strip():
        try:
            items.append(source_from_bytes("pasted.txt", pasted.encode("utf-8"),
                                           source="pasted text"))
        except SourceFailure as failure:
            items.append(failure.error)
    return items


def add_pages(items: list) -> None:
    bar = st.progress(0.0, text="Reading and parsing...")

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"{done} of {total} processed")

    result = add_for_visitor(items, dash.store, own_collection=st.session_state.get(
        "own_collection"), viewed_collection=dash.collection, progress=progress)
    st.session_state["add_report"] = (result.added, [str(f) for f in result.failures])
    if result.added:
        st.session_state["own_collection"] = st.session_state["collection"] = result.collection
        st.query_params["c"] = result.collection
    st.rerun()  # the sidebar's people and countries now include the new pages


st.subheader("Add pages")
report = st.session_state.pop("add_report", None)
if report:
    added, failures = report
    for failure in failures:
        st.error(escape_markdown(failure))  # names a file or URL the visitor typed
    if added:
        st.success(f"Added {added} page(s). Bookmark or share this link to come back to them.")
with st.form("add_pages", clear_on_submit=True):
    uploads = st.file_uploader("Upload .txt or .html files", type=["txt", "html", "htm"],
                               accept_multiple_files=True)
    pasted = st.text_area("...or paste the text of a page", height=120)
    urls = st.text_area("...or give page URLs (one a line)", height=70)
    submitted = st.form_submit_button("Add to my collection", type="primary")
if submitted:
    url_lines = [line.strip() for line in urls.splitlines() if line.strip()]
    count = len(uploads or []) + bool(pasted.strip()) + len(url_lines)
    refusal = files_per_submit_error(count, urls=len(url_lines))  # before reading any file
    if refusal:
        st.error(f"Nothing added: {refusal}.")
    elif count:
        add_pages(uploaded_sources(uploads, pasted) + [url_input(line) for line in url_lines])
    else:
        st.warning("Nothing to add: upload a file, paste text or give a URL.")
st.caption("What you add goes into a new private collection; only people with its link "
           "see it, together with the demo corpus.")
