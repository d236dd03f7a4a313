"""What a dashboard visitor may add and see (lib.visitor): URL lines, uploads, pastes, the
per-submit caps, the visible collections and the collections a link may open."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lib.limits import MAX_FILES_PER_SUBMIT, MAX_SOURCE_BYTES, MAX_URLS_PER_SUBMIT, too_large
from lib.model import SourceDocument, SourceError
from lib.store import Store
from lib.visitor import (
    MAX_TITLE_CHARS,
    NotOwner,
    Submission,
    collection_title,
    key_matches,
    linked_collection,
    may_edit,
    new_owner_key,
    owner_key_hash,
    read_submission,
    remove_page,
    rename_collection,
    uploaded_sources,
    url_input,
    visible_collections,
)

PAGE = "Harbour pilots strike\n\nPilots in Tallinn stopped work on Tuesday, the union said."


@dataclass
class Upload:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


class Unread:
    """An upload that must not be read."""

    name = "unread.txt"

    def getvalue(self) -> bytes:
        raise AssertionError("an upload was read")


@pytest.mark.parametrize("line, url", [
    ("https://example.com/news/1", "https://example.com/news/1"),
    ("http://example.com", "http://example.com"),
    ("  HTTPS://Example.com/a?b=c  ", "HTTPS://Example.com/a?b=c"),
])
def test_an_http_url_is_fetched(line, url):
    assert url_input(line) == url


@pytest.mark.parametrize("line", [
    "/etc/passwd",  # a server file
    "lib",  # a folder beside the app
    "../data/news.duckdb",
    "C:\\Windows\\win.ini",
    "file:///etc/passwd",  # other schemes
    "FILE://localhost/etc/passwd",
    "ftp://example.com/page.txt",
    "javascript:alert(1)",
    "example.com/news",  # no scheme
    "http:/example.com",  # no host
    "http://",
    "https:///etc/passwd",
    "http://[::1",  # a malformed host
    "/tmp/x://y",  # "://" in a path
    "[sign in](https://evil.example/login)",
])
def test_anything_else_is_refused_before_it_is_read(line):
    assert url_input(line) == SourceError(line.strip(), "not an http(s) URL")


def test_a_refused_line_is_shown_cut_short():
    refused = url_input("/" + "x" * 1000)
    assert isinstance(refused, SourceError) and len(refused.source) == 200


@pytest.mark.parametrize("uploads, pasted, expected", [
    ([Upload("page.txt", PAGE.encode())], "", [("page.txt", "text")]),
    ([Upload("page.html", f"<html><body><article><h1>Harbour</h1><p>{PAGE}</p></article>"
                          "</body></html>".encode())], "", [("page.html", "html")]),
    ([], PAGE, [("pasted text", "text")]),
    ([], "<html><body><p>pasted markup is text</p></body></html>", [("pasted text", "text")]),
    ([Upload("a.txt", PAGE.encode()), Upload("a.txt", PAGE.encode())], PAGE,
     [("a.txt", "text"), ("a.txt", "text"), ("pasted text", "text")]),
    ([], "", []),
    ([], "  \n\t \n", []),  # a blank paste is no input
    (None, "", []),
])
def test_uploads_and_pastes_become_sources(uploads, pasted, expected):
    sources = uploaded_sources(uploads, pasted)
    assert all(isinstance(source, SourceDocument) for source in sources)
    assert [(source.source, source.kind) for source in sources] == expected
    # an upload or a paste is a page of its own: it never replaces another of its name
    assert not any(source.rereadable for source in sources)


@pytest.mark.parametrize("upload, reason", [
    (Upload("empty.txt", b""), "empty file (no text)"),
    (Upload("blank.txt", b" \n\n "), "empty file (no text)"),
    (Upload("broken.txt", b"\x00\x01\x02" * 500), "binary file, not text"),
    (Upload("huge.txt", b"word " * (MAX_SOURCE_BYTES // 5 + 1)),
     too_large(MAX_SOURCE_BYTES + 5)),
    (Upload("image.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500), "binary file, not HTML"),
])
def test_a_bad_upload_is_refused_alone(upload, reason):
    good = Upload("good.txt", PAGE.encode())
    refused, kept = uploaded_sources([upload, good], "")
    assert refused == SourceError(upload.name, reason)
    assert isinstance(kept, SourceDocument) and kept.source == "good.txt"


def test_a_submit_is_its_uploads_then_its_paste_then_its_urls():
    submission = read_submission([Upload("page.txt", PAGE.encode())], PAGE + " Again.",
                                 "https://example.com/a\n\n  /etc/passwd \n")
    assert submission.refusal is None
    assert [getattr(s, "source", s) for s in submission.sources] == [
        "page.txt", "pasted text", "https://example.com/a", "/etc/passwd"]
    assert submission.sources[3] == SourceError("/etc/passwd", "not an http(s) URL")


@pytest.mark.parametrize("uploads, pasted, urls", [
    ([], "", ""),
    (None, "   ", " \n \n"),
])
def test_a_submit_of_nothing_has_no_sources_and_no_refusal(uploads, pasted, urls):
    assert read_submission(uploads, pasted, urls) == Submission()


@pytest.mark.parametrize("uploads, pasted, urls, refusal", [
    ([Unread()] * (MAX_FILES_PER_SUBMIT + 1), "", "",
     f"{MAX_FILES_PER_SUBMIT + 1} files at once: at most {MAX_FILES_PER_SUBMIT} per submit"),
    ([Unread()] * MAX_FILES_PER_SUBMIT, "a paste counts too", "",
     f"{MAX_FILES_PER_SUBMIT + 1} files at once: at most {MAX_FILES_PER_SUBMIT} per submit"),
    ([Unread()], "", "\n".join(["https://example.com/"] * (MAX_URLS_PER_SUBMIT + 1)),
     f"{MAX_URLS_PER_SUBMIT + 1} URLs at once: at most {MAX_URLS_PER_SUBMIT} per submit"),
], ids=["uploads", "uploads and a paste", "URLs"])
def test_too_much_at_once_is_refused_before_anything_is_read(uploads, pasted, urls, refusal):
    assert read_submission(uploads, pasted, urls) == Submission(refusal=refusal)


def test_at_the_caps_a_submit_is_read():
    urls = "\n".join(f"https://example.com/{n}" for n in range(MAX_URLS_PER_SUBMIT))
    uploads = [Upload(f"{n}.txt", PAGE.encode()) for n in range(
        MAX_FILES_PER_SUBMIT - MAX_URLS_PER_SUBMIT)]
    submission = read_submission(uploads, "", urls)
    assert submission.refusal is None and len(submission.sources) == MAX_FILES_PER_SUBMIT


@pytest.mark.parametrize("collection, visible", [
    (None, ("demo",)),
    ("", ("demo",)),
    ("Xy3-token", ("demo", "Xy3-token")),
])
def test_a_visitor_sees_the_demo_and_their_own_collection(collection, visible):
    assert visible_collections(collection) == visible


def test_a_link_opens_only_an_existing_collection_other_than_the_demo(tmp_path):
    with Store(tmp_path / "news.duckdb") as store:
        theirs = store.create_collection()
        store.ensure_collection("demo", read_only=True)
        assert linked_collection(store, theirs) == theirs
        for link in ("demo", "no-such-collection", "", theirs.upper()):
            assert linked_collection(store, link) is None


# --------------------------------------------------------------------------- ownership

KEY = "k3y-Of-The-0wner_xyz"


@pytest.mark.parametrize("stored, key, matches", [
    (owner_key_hash(KEY), KEY, True),
    (owner_key_hash(KEY), KEY.upper(), False),
    (owner_key_hash(KEY), KEY + " ", False),
    (owner_key_hash(KEY), "", False),
    (owner_key_hash(KEY), None, False),
    (owner_key_hash(KEY), owner_key_hash(KEY), False),  # the hash itself opens nothing
    (None, KEY, False),  # a collection nobody owns
    ("", "", False),
    (owner_key_hash("x" * 500), "x" * 500, False),  # a key longer than any made
])
def test_only_the_edit_key_itself_matches_its_hash(stored, key, matches):
    assert key_matches(stored, key) is matches


def test_edit_keys_are_new_each_time_and_stored_only_as_hashes():
    keys = {new_owner_key() for _ in range(50)}
    assert len(keys) == 50 and all(len(key) >= 32 for key in keys)
    assert all(KEY not in owner_key_hash(KEY) and len(owner_key_hash(k)) == 64 for k in keys)


@pytest.mark.parametrize("text, title", [
    ("Harbour strikes", "Harbour strikes"),
    ("  Harbour\n\tstrikes  ", "Harbour strikes"),
    ("a\x00b\x1bc", "a b c"),
    ("x" * 200, "x" * MAX_TITLE_CHARS),
    ("[sign in](https://evil.example)", "[sign in](https://evil.example)"),  # escaped on show
    ("", None),
    ("   \n ", None),
    (None, None),
])
def test_a_collection_title_is_one_trimmed_line(text, title):
    assert collection_title(text) == title


@pytest.fixture
def owned(tmp_path):
    """A store with the demo and a collection owned by KEY holding one document."""
    from tests.test_store import make_doc

    with Store(tmp_path / "news.duckdb") as store:
        store.ensure_collection("demo", read_only=True)
        collection = store.create_collection()
        store.add([make_doc("d1"), make_doc("d2", "other.txt")], collection=collection)
        assert store.set_owner(collection, owner_key_hash(KEY))
        yield store, collection


@pytest.mark.parametrize("key, editable", [(KEY, True), (None, False), ("", False),
                                           ("not-the-key", False)])
def test_only_the_edit_key_opens_a_collection_for_changes(owned, key, editable):
    store, collection = owned
    assert may_edit(store, collection, key) is editable
    assert not may_edit(store, "demo", key)
    assert not may_edit(store, "no-such-collection", key)
    assert not may_edit(store, None, key)


def test_an_owner_is_never_replaced(owned):
    store, collection = owned
    assert not store.set_owner(collection, owner_key_hash("intruder"))
    assert not store.set_owner("demo", owner_key_hash("intruder"))  # read-only
    assert may_edit(store, collection, KEY) and not may_edit(store, collection, "intruder")


def test_the_owner_renames_and_removes_pages_and_nobody_else_does(owned):
    store, collection = owned
    with pytest.raises(NotOwner):
        rename_collection(store, collection, "not-the-key", "Mine now")
    with pytest.raises(NotOwner):
        remove_page(store, collection, None, "d1")
    assert store.collection_title(collection) is None
    assert [doc for doc, *_ in store.collection_members(collection)] == ["d2", "d1"]

    assert rename_collection(store, collection, KEY, "  Harbour\npages ") == "Harbour pages"
    assert store.collection_title(collection) == "Harbour pages"
    assert remove_page(store, collection, KEY, "d1") is True
    assert remove_page(store, collection, KEY, "d1") is False  # no longer in it
    assert store.document_ids(collection) == ["d2"]
    assert store.known(["d1"]) == {"d1"}  # still stored: other collections may list it
    assert rename_collection(store, collection, KEY, " ") is None
    assert store.collection_title(collection) is None
