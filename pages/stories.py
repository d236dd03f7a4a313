"""Stories: the stories in view, and a reader with people, places and quotes highlighted."""

from __future__ import annotations

import streamlit as st

from page_state import (
    MISSING,
    add_to_filter,
    current_dashboard,
    date_column,
    export_buttons,
    keep_in_url,
    linked_choice,
    picked_page_offset,
    quote_table,
    whole_quote,
)

from lib import links, query
from lib.highlight import escape_markdown, legend_html, paragraphs_html
from lib.query import STORIES_PER_PAGE, story_people_and_places

dash = current_dashboard()
PAGE_SIZE = STORIES_PER_PAGE
MAX_FILTER_BUTTONS = 12


st.title("Stories")
total = dash.q(query.count_stories, dash.filters)
if not total:
    st.info("No story is in view: none names every selected person and country from the "
            "outlets, authors and dates selected. Remove a filter in the sidebar.")
    st.stop()

offset = picked_page_offset(total, PAGE_SIZE, "Page (of {pages}; {total:,} stories)",
                            key="stories-page", listing=dash.filters)
rows = dash.q(query.story_list, dash.filters, offset=offset, limit=PAGE_SIZE)
st.dataframe(
    rows.drop(columns=["story_id", "source"]),
    hide_index=True,
    placeholder=MISSING,
    column_config={
        "headline": st.column_config.TextColumn("Headline", width="large"),
        "outlet": st.column_config.TextColumn("Outlet"),
        "date": date_column("Date"),
        "page": st.column_config.TextColumn("Page"),
        "link": st.column_config.LinkColumn("Source", display_text="open the page"),
        "people": st.column_config.NumberColumn("People"),
        "countries": st.column_config.NumberColumn("Countries"),
        "quotes": st.column_config.NumberColumn("Quotes"),
    },
)

export_buttons("Stories", "stories",
               lambda: dash.q(query.story_list, dash.filters, limit=None), key="stories-export")

headlines = dict(zip(rows.story_id, rows.headline.fillna("(untitled)")))
linked_story = st.query_params.get(links.STORY)
if "reader-story" not in st.session_state and linked_story and linked_story not in headlines:
    # a linked story off this page (the corpus changed since): still opened, listed first
    linked = dash.q(query.story_detail, dash.filters, linked_story[:links.MAX_URL_VALUE])
    if linked is not None:
        headlines = {linked_story: linked.headline or "(untitled)", **headlines}
linked_choice("reader-story", links.STORY, headlines, "story")
story_id = st.selectbox("Read a story", list(headlines), format_func=headlines.get,
                        key="reader-story")
# the page's first story is what opens anyway: the link names only another
keep_in_url(links.STORY, None if story_id == next(iter(headlines), None) else story_id)
detail = dash.q(query.story_detail, dash.filters, story_id)
if detail is None:
    st.stop()

st.subheader(escape_markdown(detail.headline) or "(untitled)")
# a live page's post: its own time rather than the page's date
meta = [detail.outlet, detail.published or detail.date,
        detail.page if detail.page != detail.headline else None]
st.caption(escape_markdown(" · ".join(str(m) for m in meta if m)) or "Outlet and date unknown")
source_page = links.web_address(detail.source)
if source_page:  # only a web address: a path on the server means nothing to a reader
    st.link_button("Open the source page", source_page, icon=":material/open_in_new:")
reader, side = st.columns([3, 1])
with reader:
    st.html(f"<div>{legend_html()}</div>")
    st.html(paragraphs_html(detail.paragraphs, detail.marks))
    if detail.captions:
        with st.expander("Image captions"):
            for caption in detail.captions:
                st.text(caption)
with side:
    people, countries = story_people_and_places(detail)
    for label, key, names in (("People", "person", people), ("Countries", "country", countries)):
        st.markdown(f"**{label}**")
        if not names:
            st.caption("none found")
        for name in names[:MAX_FILTER_BUTTONS]:
            shown = escape_markdown(name)  # labels and tooltips are Markdown
            st.button(shown, key=f"{key}-{name}", on_click=add_to_filter, args=(key, [name]),
                      help=f"Filter every page to stories naming {shown}")
    orgs = detail.entities[detail.entities.label == "ORG"].canonical.value_counts()
    if len(orgs):
        st.markdown("**Organisations**")
        st.caption(escape_markdown(", ".join(orgs.index[:MAX_FILTER_BUTTONS])))

st.markdown("**Quotes in this story**")
if detail.quotes.empty:
    st.caption("No attributed quotes found in this story.")
else:
    quotes = detail.quotes[["speaker", "text", "cue", "kind", "speaker_mention"]]
    selected = quote_table(quotes, "story-quotes")
    if selected is not None:
        quote = quotes.iloc[selected]
        whole_quote(quote.text, f"{quote.kind} quote by {quote.speaker}")
