"""Quotes: every quote in view with speaker, cue, kind and story; search; open in context."""

from __future__ import annotations

import streamlit as st

from page_state import current_dashboard, picked_page_offset, quote_mode, quote_table

from lib import query
from lib.highlight import escape_markdown, legend_html, paragraphs_html
from lib.query import QUOTES_PER_PAGE, QuoteSearch
from lib.text import counted

dash = current_dashboard()
PAGE_SIZE = QUOTES_PER_PAGE

st.title("Quotes")
mode = quote_mode(dash.filters.people)

facets = dash.q(query.quote_facets, dash.filters, mode=mode)
search_col, speaker_col, kind_col, story_col = st.columns([2, 2, 1, 2])
search = search_col.text_input("Search the quotes", placeholder="a word or phrase").strip()
speakers = speaker_col.multiselect("Speaker", facets["speakers"], placeholder="Any speaker")
kinds = kind_col.multiselect("Kind", facets["kinds"], placeholder="Any kind")
stories = dict(facets["stories"])
story = story_col.selectbox("Story", [None, *stories],
                            format_func=lambda s: stories.get(s, "Any story"))

criteria = QuoteSearch(mode=mode, search=search, speakers=tuple(speakers), kinds=tuple(kinds),
                       story_id=story)
total = dash.q(query.count_quotes, dash.filters, criteria)
if not total:
    st.info("No quote matches. Try another search or remove a filter.")
    st.stop()
offset = picked_page_offset(total, PAGE_SIZE, "Page (of {pages}; {total:,} quotes)")
rows = dash.q(query.quote_rows, dash.filters, criteria, offset=offset, limit=PAGE_SIZE)
st.caption(counted(total, "quote"))
selected = quote_table(rows.drop(columns=["quote_id", "story_id"]), "quotes")

st.subheader("In context")
labels = {row.quote_id: f"{row.speaker}: {row.quote[:90]}" for row in rows.itertuples()}
# the row selected in the table, else the page's first quote; the list picks another
quote_id = st.selectbox("Open a quote in its paragraph", list(labels), format_func=labels.get,
                        index=selected or 0)
passage = dash.q(query.quote_passage, dash.filters, quote_id)
if passage is not None:
    st.caption(escape_markdown(f"{passage.kind} quote by {passage.speaker} · {passage.headline}"))
    st.html(f"<div>{legend_html(('quote', 'speaker', 'cue'))}</div>")
    st.html(paragraphs_html(passage.paragraphs, passage.marks, first_offset=passage.first_offset))
