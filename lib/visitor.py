"""What a dashboard visitor may add and see.

The hosted dashboard takes strangers' uploads, pastes and URLs, so what becomes a
source is decided here, in plain Python with its own tests; pages/home.py and
app.py only lay out the widgets and call these.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
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
OWNER_KEY_BYTES = 24  # of an edit key's randomness: as unguessable as a collection id
MAX_TITLE_CHARS = 80
_TITLE_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")

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


# --------------------------------------------------------------------------- ownership
#
# A collection's id (``?c=``) lets anyone view it; its edit key (``&key=``), shown to the
# visitor who made it, lets them add pages, rename it and remove pages. The store keeps
# only the key's hash, so a copy of the store gives nobody edit rights.


class NotOwner(PermissionError):
    """A change to a collection without its edit key."""


def new_owner_key() -> str:
    return secrets.token_urlsafe(OWNER_KEY_BYTES)


def owner_key_hash(key: str) -> str:
    """What the store keeps of an edit key: a random key needs no slow hash."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(stored_hash: str | None, key: str | None) -> bool:
    """Whether ``key`` is the edit key whose hash is stored (compared in constant time)."""
    if not stored_hash or not key or len(key) > SHOWN_INPUT_CHARS:
        return False
    return hmac.compare_digest(stored_hash, owner_key_hash(key))


def may_edit(store: Store, collection: str | None, key: str | None) -> bool:
    """Whether ``key`` opens ``collection`` for changes: never the demo corpus."""
    if not collection or not key or collection == DEMO_COLLECTION:
        return False
    return key_matches(store.collection_owner_hash(collection), key)


def collection_title(text: str | None) -> str | None:
    """A visitor's name for their collection as kept: one line, trimmed and cut short;
    None for a blank one (the collection goes back to having no name)."""
    title = _TITLE_SPACE.sub(" ", text or "").strip()[:MAX_TITLE_CHARS].strip()
    return title or None


def rename_collection(store: Store, collection: str, key: str | None, text: str) -> str | None:
    """Rename a collection its edit key opens; returns the name kept."""
    if not may_edit(store, collection, key):
        raise NotOwner("renaming a collection needs its edit link")
    title = collection_title(text)
    store.rename_collection(collection, title)
    return title


def remove_page(store: Store, collection: str, key: str | None, doc_id: str) -> bool:
    """Take a page out of a collection its edit key opens; whether it was in it."""
    if not may_edit(store, collection, key):
        raise NotOwner("removing a page needs the collection's edit link")
    return store.unlink(collection, doc_id)
