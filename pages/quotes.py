"""Quotes: every quote in view with speaker, cue, kind and story; search; open in context."""

from __future__ import annotations

import streamlit as st

from page_state import (QUOTE_MODE_LABELS, current_dashboard, export_buttons,
                        ignore_unknown_linked, keep_in_url, linked_choice, picked_page_offset,
                        quote_mode, quote_table)

from lib import links, query
from lib.highlight import escape_markdown, legend_html, paragraphs_html
from lib.query import QUOTES_PER_PAGE, QuoteSearch
from lib.text import counted

dash = current_dashboard()
PAGE_SIZE = QUOTES_PER_PAGE

st.title("Quotes")
mode = quote_mode(dash.filters.people)

facets = dash.q(query.quote_facets, dash.filters, mode=mode)
stories = dict(facets["stories"])
# a link's values: the bound widgets drop what the page cannot show; say which
ignore_unknown_linked(links.SPEAKER, facets["speakers"], "speaker")
ignore_unknown_linked(links.KIND, facets["kinds"], "kind")
linked_choice("quotes-story", links.STORY, stories, "story")
search_col, speaker_col, kind_col, story_col = st.columns([2, 2, 1, 2])
search = search_col.text_input("Search the quotes", placeholder="a word or phrase",
                               key=links.SEARCH, bind="query-params",
                               max_chars=links.MAX_SEARCH_CHARS).strip()
speakers = speaker_col.multiselect("Speaker", facets["speakers"], placeholder="Any speaker",
                                   key=links.SPEAKER, bind="query-params")
kinds = kind_col.multiselect("Kind", facets["kinds"], placeholder="Any kind",
                             key=links.KIND, bind="query-params")
story = story_col.selectbox("Story", [None, *stories], key="quotes-story",
                            format_func=lambda s: stories.get(s, "Any story"))
keep_in_url(links.STORY, story)

criteria = QuoteSearch(mode=mode, search=search, speakers=tuple(speakers), kinds=tuple(kinds),
                       story_id=story)
total = dash.q(query.count_quotes, dash.filters, criteria)
if not total:
    st.info("No quote matches. Try another search or remove a filter.")
    st.stop()
offset = picked_page_offset(total, PAGE_SIZE, "Page (of {pages}; {total:,} quotes)",
                            key="quotes-page", listing=(dash.filters, criteria))
rows = dash.q(query.quote_rows, dash.filters, criteria, offset=offset, limit=PAGE_SIZE)
st.caption(counted(total, "quote"))
selected = quote_table(rows.drop(columns=["quote_id", "story_id"]), "quotes")
export_buttons("Quotes", "quotes",
               lambda: dash.q(query.quote_rows, dash.filters, criteria, limit=None),
               key="quotes-export")  # every quote the search selects, not one page

st.subheader("In context")
labels = {row.quote_id: f"{row.speaker}: {row.quote[:90]}" for row in rows.itertuples()}
linked_quote = st.query_params.get(links.QUOTE)
if "quote" not in st.session_state and linked_quote and linked_quote not in labels:
    # a linked quote off this page (the corpus changed since): still opened, listed first
    linked = dash.q(query.quote_passage, dash.filters, linked_quote[:links.MAX_URL_VALUE])
    if linked is not None:
        labels = {linked_quote: f"{linked.speaker}: (linked) {linked.headline[:80]}", **labels}
linked_choice(links.QUOTE, links.QUOTE, labels, "quote")
if selected is not None:  # a row newly selected in the table opens that quote
    picked = rows.quote_id.iloc[selected]
    if st.session_state.get("quotes-selected") != picked:
        st.session_state["quotes-selected"] = picked
        st.session_state[links.QUOTE] = picked
quote_id = st.selectbox("Open a quote in its paragraph", list(labels), format_func=labels.get,
                        key=links.QUOTE)
# the page's first quote is what opens anyway: the link names only another
keep_in_url(links.QUOTE, None if quote_id == next(iter(labels), None) else quote_id)
passage = dash.q(query.quote_passage, dash.filters, quote_id)
if passage is not None:
    st.caption(escape_markdown(f"{passage.kind} quote by {passage.speaker} · {passage.headline}"))
    st.html(f"<div>{legend_html(('quote', 'speaker', 'cue'))}</div>")
    st.html(paragraphs_html(passage.paragraphs, passage.marks, first_offset=passage.first_offset))
    page = offset // PAGE_SIZE + 1
    link = links.share_link(st.context.url, links.link_query({
        **links.filter_params(dash.filters), links.COLLECTION: dash.collection,
        "quotes": QUOTE_MODE_LABELS[mode] if dash.filters.people else None,
        links.SEARCH: search, links.SPEAKER: speakers, links.KIND: kinds, links.STORY: story,
        links.PAGE: page if page > 1 else None, links.QUOTE: quote_id}))
    st.caption("Link to this quote (with its search and filters; copy it with the button on "
               "the right):")
    st.code(link, language=None, wrap_lines=True)
