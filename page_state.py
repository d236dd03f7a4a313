"""What every page file starts with: the dashboard that app.py built for this run."""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

from lib.highlight import escape_markdown
from lib.query import MENTIONING, SPOKEN_BY, page_count, page_offset

APP_PATH = Path(__file__).resolve().parent / "app.py"


def current_dashboard():
    """The ``app.Dashboard`` of this run.

    Until a server has run ``st.navigation`` once, Streamlit treats the
    ``pages/`` folder the old way: a fresh server's first request for a page URL
    (a shared link) runs that page file alone, without app.py. Then we run the
    entry point here instead; it sets up the store and filters and runs the
    page the URL names, and this bare run stops.
    """
    dashboard = st.session_state.get("dashboard")
    if dashboard is None:
        runpy.run_path(str(APP_PATH), run_name="__main__")
        st.stop()
    return dashboard


# Column headings of every quote table, whichever columns a page shows.
QUOTE_COLUMNS = {
    "speaker": "Speaker",
    "quote": st.column_config.TextColumn("Quote", width="large"),
    "text": st.column_config.TextColumn("Quote", width="large"),
    "cue": "Cue",
    "kind": "Kind",
    "story": "Story",
    "outlet": "Outlet",
    "date": "Date",
    "speaker_mention": "Speaker as written",
}


QUOTE_MODE_LABELS = {SPOKEN_BY: "spoken by them", MENTIONING: "all quotes in stories mentioning them"}


def quote_mode(people) -> str:
    """Quotes spoken by the selected people (the default) or all quotes in their stories."""
    if not people:
        return MENTIONING
    who = escape_markdown(", ".join(people))
    return st.radio(f"Quotes of the selected people ({who})", list(QUOTE_MODE_LABELS),
                    format_func=QUOTE_MODE_LABELS.get, horizontal=True)


def add_to_filter(key: str, names: list[str]) -> None:
    """A callback: add names to the sidebar filter ``key`` (the URL follows)."""
    current = list(st.session_state.get(key) or [])
    st.session_state[key] = current + [name for name in dict.fromkeys(names) if name not in current]


def picked_page_offset(total: int, page_size: int, label: str) -> int:
    """The row offset of the page the visitor picks; a page number input only when there is
    more than one page. ``label`` may name ``{pages}`` and ``{total}``."""
    pages = page_count(total, page_size)
    page = st.number_input(label.format(pages=pages, total=total), 1, pages, 1) if pages > 1 else 1
    return page_offset(page, total, page_size)
