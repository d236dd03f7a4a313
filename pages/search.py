"""Search: the people, countries and organisations, and the stories, that hold some words."""

from __future__ import annotations

import streamlit as st

from page_state import MISSING, add_to_filter, current_dashboard, picked_page_offset

from lib import query
from lib.highlight import escape_markdown, search_words, snippet_html
from lib.text import counted

dash = current_dashboard()
FILTER_KEY = {"person": "person", "country": "country"}  # sidebar widget keys
NAMES_WITH_BUTTONS = 6

st.title("Search")
# in the URL like the sidebar filters (?find=...), so a link reproduces the search
text = st.text_input("Search stories and names", key="find", bind="query-params",
                     placeholder='words, or "a phrase in quotes"',
                     help="Every word must appear (case does not matter), in the stories in "
                          "view: the sidebar filters apply.")
words = tuple(search_words(text))
if not words:
    st.caption("Type words to find the stories that hold them all and the people, countries "
               "and organisations whose names do.")
    st.stop()

st.subheader("Names")
names = dash.q(query.search_names, dash.filters, words)
if names.empty:
    st.caption("No person, country or organisation in view has these words in their name.")
else:
    st.dataframe(names, hide_index=True, placeholder=MISSING,
                 column_config={"kind": "Kind", "name": "Name", "stories": "Stories",
                                "mentions": "Mentions"})
    filterable = names[names.kind.isin(list(FILTER_KEY))].head(NAMES_WITH_BUTTONS)
    for column, row in zip(st.columns(NAMES_WITH_BUTTONS), filterable.itertuples()):
        column.button(f"Filter by {escape_markdown(row.name)}", key=f"find-{row.Index}",
                      on_click=add_to_filter, args=(FILTER_KEY[row.kind], [row.name]))

first = dash.q(query.search_stories, dash.filters, words, limit=query.STORIES_PER_PAGE)
st.subheader(f"Stories: {counted(first.total, 'story')}")
if not first.total:
    st.caption("No story in view holds every word.")
    st.stop()
start = picked_page_offset(first.total, query.STORIES_PER_PAGE, "Page (of {pages})")
matches = first if start == 0 else dash.q(query.search_stories, dash.filters, words,
                                          offset=start, limit=query.STORIES_PER_PAGE)
for row in matches.rows.itertuples():
    where = " · ".join(escape_markdown(str(part)) for part in (row.outlet, row.date)
                       if isinstance(part, str) and part)
    st.markdown(f"**{escape_markdown(row.headline or '(untitled)')}**"
                + (f"  \n{where}" if where else ""))
    # the story's text is escaped by snippet_html; only its own marks are markup
    st.html(f'<p style="line-height:1.6;margin:0 0 1.2em 0">'
            f"{snippet_html(row.text or row.headline or '', words)}</p>")
