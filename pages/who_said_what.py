"""Who said what: one row per speaker, their quotes underneath, and whom they talk about."""

from __future__ import annotations

import streamlit as st

from page_state import QUOTE_COLUMNS, current_dashboard, picked_page_offset, quote_mode

from lib.highlight import escape_markdown
from lib.query import QuoteSearch

dash = current_dashboard()
PAGE_SIZE = 15
QUOTES_SHOWN = 10

st.title("Who said what")
mode = quote_mode(dash.filters.people)
# in the URL like the sidebar filters (?unnamed=true), so a link reproduces the view
unnamed = st.toggle(
    "Include unnamed sources", key="unnamed", bind="query-params",
    help='Sources a story describes but never names ("analysts", "a Home Office '
         'spokesman"): one row per description, after the named speakers.')

speakers = dash.q("speaker_table", dash.filters, mode=mode, unnamed=unnamed)
if speakers.empty:
    st.info("No attributed quote in the stories in view." if unnamed else
            "No named speaker in the stories in view. Try including unnamed sources.")
    st.stop()
topics = dash.q("speaker_topics", dash.filters, mode=mode, unnamed=unnamed)


def quotes_csv() -> str:
    """Built only when the button is clicked: every quote in view of the speakers listed."""
    everything = dash.q("quote_rows", dash.filters,
                        QuoteSearch(mode=mode, speakers=tuple(speakers.speaker)),
                        limit=None)
    return everything.drop(columns=["quote_id", "story_id"]).to_csv(index=False)


st.dataframe(
    speakers,
    hide_index=True,
    column_config={"speaker": "Speaker", "source": "Source", "quotes": "Quotes",
                   "stories": "Stories",
                   "kinds": "Kinds of quote", "countries": "Countries in their stories",
                   "first_date": "First", "last_date": "Last"},
)
left, right, _ = st.columns([1, 1, 2])
left.download_button("Speakers (CSV)", lambda: speakers.to_csv(index=False), "speakers.csv",
                     "text/csv")
right.download_button("Quotes (CSV)", quotes_csv, "quotes.csv", "text/csv")

st.subheader("What each speaker said")
start = picked_page_offset(len(speakers), PAGE_SIZE, "Speakers page (of {pages})")
shown = speakers.iloc[start : start + PAGE_SIZE]
# only the quotes of the speakers on this page
quotes = dash.q("quote_rows", dash.filters, QuoteSearch(mode=mode, speakers=tuple(shown.speaker)),
                limit=None)
for row in shown.itertuples():
    title = f"{row.speaker} - {row.quotes} quote(s) in {row.stories} story(ies)"
    with st.expander(escape_markdown(title), expanded=start == 0 and row.Index == 0):
        said = quotes[quotes.speaker == row.speaker]
        st.dataframe(said[["quote", "cue", "kind", "story", "date"]].head(QUOTES_SHOWN),
                     hide_index=True,
                     column_config=QUOTE_COLUMNS)
        if len(said) > QUOTES_SHOWN:
            st.caption(f"{len(said) - QUOTES_SHOWN} more on the Quotes page.")
        about = topics[topics.speaker == row.speaker]
        for kind, label in (("person", "Talks about people"), ("country", "Talks about countries")):
            names = about[about.about == kind]
            if not names.empty:
                listed = ", ".join(f"{n.name} ({n.mentions})" for n in names.itertuples())
                st.markdown(f"**{label}:** {escape_markdown(listed)}")

st.subheader("Whom speakers talk about")
st.caption("People and countries named inside each speaker's quotes.")
if topics.empty:
    st.caption("No person or country named inside the quotes in view.")
else:
    st.dataframe(topics, hide_index=True,
                 column_config={"speaker": "Speaker", "source": "Source", "about": "About",
                                "name": "Name",
                                "mentions": "Mentions", "quotes": "Quotes"})
    st.download_button("Talks about (CSV)", lambda: topics.to_csv(index=False),
                       "talks_about.csv", "text/csv")
