"""Overview: corpus figures, how to start, and adding pages to a private collection."""

from __future__ import annotations

import streamlit as st

from page_state import current_dashboard

from lib import query
from lib.highlight import escape_markdown
from lib.ingest import add_for_visitor
from lib.text import counted
from lib.visitor import Source, read_submission

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
        st.success(f"Added {counted(added, 'page')}. Bookmark or share this link to come back "
                   "to them.")
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
st.caption("What you add goes into a new private collection; only people with its link "
           "see it, together with the demo corpus.")
