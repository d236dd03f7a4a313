"""What every page file starts with: the dashboard that app.py built for this run."""

from __future__ import annotations

import hashlib
import runpy
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import links
from lib.export import EXPORT_FORMATS, export
from lib.highlight import escape_markdown
from lib.model import PARAGRAPH_SEPARATOR
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


# st.dataframe's text for a missing value (by default "None"): a pasted page has no outlet
# or date, and its row shows empty cells there.
MISSING = ""
DATE_WIDTH = 100  # pixels: a whole "2026-03-14", whatever the first rows hold


def date_column(label: str):
    """An ISO date column shown whole ("2026-03-14"); a missing date stays empty."""
    return st.column_config.DateColumn(label, format="YYYY-MM-DD", width=DATE_WIDTH)


# Column headings of every quote table, whichever columns a page shows.
QUOTE_COLUMNS = {
    "speaker": "Speaker",
    "quote": st.column_config.TextColumn("Quote", width="large"),
    "text": st.column_config.TextColumn("Quote", width="large"),
    "cue": "Cue",
    "kind": "Kind",
    "story": "Story",
    "outlet": "Outlet",
    "date": date_column("Date"),
    "speaker_mention": "Speaker as written",
    "link": st.column_config.LinkColumn("Source", display_text="open the page"),
}


def table_key(name: str, frame: pd.DataFrame) -> str:
    """A selectable table's key that changes with its rows, so a selection made in one
    page of rows never points into another."""
    # the rows' values as text: a page of rows hashes in microseconds, where pandas'
    # hash_pandas_object on Arrow strings took 4 ms a table (15 tables on Who said what)
    rows = hashlib.blake2b(repr(frame.to_numpy().tolist()).encode("utf-8"), digest_size=6)
    return f"{name}-{rows.hexdigest()}"


def quote_table(quotes: pd.DataFrame, name: str) -> int | None:
    """A quote table whose rows a reader selects (its cells cut long quotes short): the
    position of the selected row, if any."""
    event = st.dataframe(quotes, hide_index=True, column_config=QUOTE_COLUMNS,
                         placeholder=MISSING, key=table_key(name, quotes), on_select="rerun",
                         selection_mode="single-row")
    rows = [row for row in event.selection.rows if 0 <= row < len(quotes)]
    if not rows:
        st.caption("Select a row to read the whole quote.")
    return rows[0] if rows else None


def whole_quote(text: str, about: str) -> None:
    """A selected quote in full below its table, paragraph by paragraph, as text."""
    with st.container(border=True):
        st.caption(escape_markdown(about))
        for paragraph in str(text).split(PARAGRAPH_SEPARATOR):
            st.markdown(escape_markdown(paragraph))


# a choice's label is what a link carries (?quotes=in+their+stories): short words
QUOTE_MODE_LABELS = {SPOKEN_BY: "spoken by them", MENTIONING: "all in their stories"}
QUOTE_MODE_OF = {label: mode for mode, label in QUOTE_MODE_LABELS.items()}


def quote_mode(people) -> str:
    """Quotes spoken by the selected people (the default) or all quotes in their stories;
    in the link (``?quotes=``), so a colleague opens the same list."""
    if not people:
        return MENTIONING
    who = escape_markdown(", ".join(people))
    label = st.radio(f"Quotes of the selected people ({who})", list(QUOTE_MODE_OF),
                     horizontal=True, key="quotes", bind="query-params")
    return QUOTE_MODE_OF.get(label, SPOKEN_BY)


def add_to_filter(key: str, names: list[str]) -> None:
    """A callback: add names to the sidebar filter ``key`` (the URL follows)."""
    current = list(st.session_state.get(key) or [])
    st.session_state[key] = current + [name for name in dict.fromkeys(names) if name not in current]


def picked_page_offset(total: int, page_size: int, label: str, *, key: str | None = None,
                       listing: object = None) -> int:
    """The row offset of the page the visitor picks; a page number input only when there is
    more than one page. ``label`` may name ``{pages}`` and ``{total}``.

    With a widget ``key`` the page is kept in the link (``?page=``): read from it on the
    page's first run, clamped to the pages there are, and back to page 1 when ``listing``
    (what is listed: the search, the filters) changes."""
    pages = page_count(total, page_size)
    if key is None:
        page = st.number_input(label.format(pages=pages, total=total), 1, pages, 1) \
            if pages > 1 else 1
        return page_offset(page, total, page_size)
    listed_key = f"{key}-listing"
    if key not in st.session_state:
        st.session_state[key] = links.page_number(st.query_params.get(links.PAGE), pages)
    elif st.session_state.get(listed_key, listing) != listing:
        st.session_state[key] = 1
    else:
        st.session_state[key] = links.page_number(st.session_state[key], pages)
    st.session_state[listed_key] = listing
    page = st.number_input(label.format(pages=pages, total=total), 1, pages, key=key) \
        if pages > 1 else 1
    keep_in_url(links.PAGE, page if page > 1 else None)
    return page_offset(page, total, page_size)


def keep_in_url(param: str, value: str | int | None) -> None:
    """Write a view's value to the link (``None``: the default, left out)."""
    if value is None:
        st.query_params.pop(param, None)
    elif st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)


def linked_choice(key: str, param: str, known, label: str) -> None:
    """On the page's first run, start the choice widget ``key`` at the id in ``?param=`` when
    the page can show it (``known``: its ids); a one-line notice names one it cannot."""
    if key in st.session_state:
        return
    chosen, ignored = links.known_id(st.query_params.get(param), known)
    if chosen is not None:
        st.session_state[key] = chosen
    notice = links.ignored_notice(label, [ignored] if ignored else [])
    if notice:
        st.info(notice, icon=":material/info:")
        st.query_params.pop(param, None)


def ignore_unknown_linked(param: str, options, label: str) -> None:
    """A notice for the values of ``?param=`` that a widget bound to it will drop."""
    notice = links.ignored_notice(label, links.unknown_values(st.query_params.get_all(param),
                                                              options))
    if notice:
        st.info(notice, icon=":material/info:")


def export_buttons(label: str, file_stem: str, rows: Callable[[], pd.DataFrame], *,
                   key: str) -> None:
    """CSV and JSON downloads of a table as the page filters it (``rows``), built only when
    clicked. on_click="ignore": a click that reran the page would replace every deferred
    file's id on the server, and a second file clicked meanwhile would never arrive."""
    for column, file_format in zip(st.columns([1, 1, 3])[:2], EXPORT_FORMATS):
        column.download_button(
            f"{label} ({file_format.upper()})",
            lambda file_format=file_format: export(rows(), file_format),
            f"{file_stem}.{file_format}", EXPORT_FORMATS[file_format], on_click="ignore",
            key=f"{key}-{file_format}")
