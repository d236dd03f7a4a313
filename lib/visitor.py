"""What a dashboard visitor may add and see.

The hosted dashboard takes strangers' uploads, pastes and URLs, so what becomes a
source is decided here, in plain Python with its own tests; pages/home.py and
app.py only lay out the widgets and call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from lib.limits import files_per_submit_error
from lib.model import SourceDocument, SourceError
from lib.sources import URL_SCHEMES, SourceFailure, is_url, source_from_bytes
from lib.store import DEMO_COLLECTION, Store

PASTE_FILE_NAME = "pasted.txt"  # read as plain text, whatever it looks like
PASTE_SOURCE = "pasted text"  # what the collection lists a paste as
SHOWN_INPUT_CHARS = 200  # of a refused URL line, in its one-line error

Source = SourceDocument | SourceError


class Upload(Protocol):
    """A file a visitor uploaded (Streamlit's UploadedFile is one)."""

    name: str

    def getvalue(self) -> bytes: ...


@dataclass(frozen=True)
class Submission:
    """What one submit of the add-pages form becomes."""

    sources: list[Source] = field(default_factory=list)  # empty: nothing was given
    refusal: str | None = None  # why nothing is added; then no input was read


def read_submission(uploads: Sequence[Upload] | None, pasted: str, urls: str) -> Submission:
    """The sources of one submit: its uploads, then its paste, then its URLs (one a line).

    Too many inputs at once are refused before any file is read or any URL checked."""
    url_lines = [line.strip() for line in urls.splitlines() if line.strip()]
    count = len(uploads or []) + bool(pasted.strip()) + len(url_lines)
    refusal = files_per_submit_error(count, urls=len(url_lines))
    if refusal:
        return Submission(refusal=refusal)
    return Submission(uploaded_sources(uploads, pasted) + [url_input(line) for line in url_lines])


def url_input(line: str) -> str | SourceError:
    """A URL typed by a visitor, to fetch; anything else (a server path!) is refused
    here, before ingest would read a file or walk a folder."""
    line = line.strip()
    try:
        parts = urlsplit(line)
    except ValueError:  # a malformed host, such as "http://[::1"
        parts = None
    # is_url too: it is what makes ingest fetch the line rather than open it as a path
    if parts and parts.scheme.lower() in URL_SCHEMES and parts.hostname and is_url(line):
        return line
    return SourceError(line[:SHOWN_INPUT_CHARS], "not an http(s) URL")


def uploaded_sources(uploads: Sequence[Upload] | None, pasted: str) -> list[Source]:
    """Each upload, then the paste if it is not blank: a document, or why it is not one."""
    sources: list[Source] = [_from_bytes(upload.name, upload.getvalue())
                             for upload in uploads or []]
    if pasted.strip():
        sources.append(_from_bytes(PASTE_FILE_NAME, pasted.encode("utf-8"),
                                   source=PASTE_SOURCE))
    return sources


def _from_bytes(name: str, data: bytes, *, source: str | None = None) -> Source:
    try:
        return source_from_bytes(name, data, source=source)
    except SourceFailure as failure:
        return failure.error


def visible_collections(collection: str | None) -> tuple[str, ...]:
    """What a visitor sees: the demo corpus, and their own collection when they have one."""
    return (DEMO_COLLECTION, collection) if collection else (DEMO_COLLECTION,)


def linked_collection(store: Store, linked: str) -> str | None:
    """The collection a ``?c=`` link opens: one that exists, other than the demo corpus
    (always in view); None for any other link."""
    if linked and linked != DEMO_COLLECTION and store.collection_exists(linked):
        return linked
    return None
