"""Who said what: one row per speaker, their quotes underneath, and whom they talk about."""

from __future__ import annotations

import streamlit as st

from page_state import (
    MISSING,
    current_dashboard,
    date_column,
    export_buttons,
    picked_page_offset,
    quote_mode,
    quote_table,
    whole_quote,
)

from lib import query
from lib.highlight import escape_markdown
from lib.query import QuoteSearch
from lib.text import counted

dash = current_dashboard()
PAGE_SIZE = query.SPEAKERS_PER_PAGE
QUOTES_SHOWN = query.QUOTES_PER_SPEAKER

st.title("Who said what")
mode = quote_mode(dash.filters.people)
# in the URL like the sidebar filters (?unnamed=true), so a link reproduces the view
unnamed = st.toggle(
    "Include unnamed sources", key="unnamed", bind="query-params",
    help='Sources a story describes but never names ("analysts", "a Home Office '
         'spokesman"): one row per description, after the named speakers.')

speakers = dash.q(query.speaker_table, dash.filters, mode=mode, unnamed=unnamed)
if speakers.empty:
    st.info("No attributed quote in the stories in view." if unnamed else
            "No named speaker in the stories in view. Try including unnamed sources.")
    st.stop()


def speakers_quotes():
    """Built only when a download is clicked: every quote in view of the speakers listed."""
    everything = dash.q(query.quote_rows, dash.filters,
                        QuoteSearch(mode=mode, sources=tuple(query.speaker_sources(unnamed))),
                        limit=None)
    return everything.drop(columns=["quote_id", "story_id"])


st.dataframe(
    speakers,
    hide_index=True,
    placeholder=MISSING,
    column_config={"speaker": "Speaker", "source": "Source", "quotes": "Quotes",
                   "stories": "Stories",
                   "kinds": "Kinds of quote", "countries": "Countries in their stories",
                   "first_date": date_column("First"), "last_date": date_column("Last")},
)
export_buttons("Speakers", "speakers", lambda: speakers, key="speakers-export")
export_buttons("Their quotes", "quotes", speakers_quotes, key="speaker-quotes-export")

st.subheader("What each speaker said")
start = picked_page_offset(len(speakers), PAGE_SIZE, "Speakers page (of {pages})")
shown = speakers.iloc[start : start + PAGE_SIZE]
sections = dash.q(query.speaker_sections, dash.filters, tuple(shown.speaker), mode=mode,
                  unnamed=unnamed, quotes_shown=QUOTES_SHOWN)
for row, section in zip(shown.itertuples(), sections):
    title = f"{row.speaker} - {counted(row.quotes, 'quote')} in {counted(row.stories, 'story')}"
    with st.expander(escape_markdown(title), expanded=start == 0 and row.Index == 0):
        selected = quote_table(section.quotes, f"said-{row.speaker}")
        if selected is not None:
            quote = section.quotes.iloc[selected]
            whole_quote(quote.quote, f"{quote.kind} quote by {row.speaker} · {quote.story}")
        if section.more_quotes:
            st.caption(f"{section.more_quotes} more on the Quotes page.")
        for kind, label in (("person", "Talks about people"), ("country", "Talks about countries")):
            if kind in section.talks_about:
                st.markdown(f"**{label}:** {escape_markdown(section.talks_about[kind])}")

st.subheader("Whom speakers talk about")
st.caption("People and countries named inside each speaker's quotes.")
topics = dash.q(query.top_speaker_topics, dash.filters, mode=mode, unnamed=unnamed,
                limit=query.TOPICS_SHOWN)
if topics.rows.empty:
    st.caption("No person or country named inside the quotes in view.")
else:
    if topics.pairs > len(topics.rows):
        st.caption(f"The {len(topics.rows):,} pairs named most often, of {topics.pairs:,}; "
                   "the CSV has them all.")
    st.dataframe(topics.rows, hide_index=True, placeholder=MISSING,
                 column_config={"speaker": "Speaker", "source": "Source", "about": "About",
                                "name": "Name",
                                "mentions": "Mentions", "quotes": "Quotes"})
    export_buttons("Talks about", "talks_about",
                   lambda: dash.q(query.speaker_topics, dash.filters, mode=mode,
                                  unnamed=unnamed), key="topics-export")
