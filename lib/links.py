"""What a page's link carries: URL values read back as a view, and a view written as a link.

A link is the visitor's text: every value read from it is checked here against what the
page can show, and what it cannot show is dropped and named in a one-line notice.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from urllib.parse import urlencode, urlsplit

from lib.highlight import escape_markdown
from lib.names import MAX_URL_VALUE
from lib.query import Filters

# Query parameter names: short, stable, part of every shared link.
SEARCH = "q"
SPEAKER = "speaker"
KIND = "kind"
STORY = "story"
PAGE = "page"
QUOTE = "quote"
COLLECTION = "c"
OWNER_KEY = "key"  # a collection's edit key: never put in a link made for sharing
MAX_SEARCH_CHARS = 200
SHOWN_IGNORED = 3  # values named in an "Ignored ..." notice
SHOWN_IGNORED_CHARS = 60


def page_number(raw: object, pages: int) -> int:
    """A ``?page=`` value as a page that exists: 1 when absent or not a whole number,
    else clamped to 1..pages."""
    try:
        page = int(str(raw).strip())
    except ValueError:
        return 1
    return min(max(page, 1), max(pages, 1))


def known_id(raw: object, known: Collection[str]) -> tuple[str | None, str | None]:
    """A linked id -> (the id, None) when the page can show it, (None, the value cut short)
    when not, (None, None) when the link names none."""
    if raw is None or raw == "":
        return None, None
    value = str(raw)
    if len(value) <= MAX_URL_VALUE and value in known:
        return value, None
    return None, value[:MAX_URL_VALUE]


def unknown_values(values: Iterable[object], known: Collection[str]) -> list[str]:
    """The linked values a widget bound to them drops (not among ``known``), cut short."""
    return [value[:MAX_URL_VALUE] for value in map(str, values)
            if len(value) > MAX_URL_VALUE or value not in known]


def ignored_notice(label: str, values: Sequence[str]) -> str | None:
    """One line naming the linked values a page dropped, as text (never Markdown)."""
    if not values:
        return None
    shown = ", ".join(f"“{escape_markdown(value[:SHOWN_IGNORED_CHARS])}”"
                      for value in values[:SHOWN_IGNORED])
    return f"Ignored {label} {shown} in this link: not in this view."


def web_address(source: str | None) -> str | None:
    """A document's source as a link a reader can open: an http(s) address, else None (a
    path on the server, a pasted text, a javascript: or data: URL)."""
    if not source or any(c.isspace() for c in source):
        return None
    parts = urlsplit(source)
    return source if parts.scheme in ("http", "https") and parts.netloc else None


def filter_params(filters: Filters) -> dict[str, object]:
    """The sidebar filters as the link's values (app.py binds its widgets to these keys)."""
    return {"person": list(filters.people), "country": list(filters.countries),
            "outlet": list(filters.outlets), "author": list(filters.authors),
            "from": filters.date_from.isoformat() if filters.date_from else None,
            "to": filters.date_to.isoformat() if filters.date_to else None}


def link_query(params: Mapping[str, object]) -> str:
    """``?name=value&...`` for the values that are set (a list repeats its name), in the
    order given; the collection's edit key is never part of it."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if name == OWNER_KEY or value is None or value == "":
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs.extend((name, str(item)) for item in values if item not in (None, ""))
    return f"?{urlencode(pairs)}" if pairs else "?"


def share_link(page_url: str | None, query: str) -> str:
    """The link to share: absolute when the browser told the page its http(s) address,
    otherwise relative to the page (the server does not know its host)."""
    parts = urlsplit(page_url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{parts.path}{query}"
    return query


def edit_link(page_url: str | None, collection: str, owner_key: str) -> str:
    """The link that opens a collection for changes: only ever shown to its owner."""
    return share_link(page_url, f"?{urlencode([(COLLECTION, collection), (OWNER_KEY, owner_key)])}")
