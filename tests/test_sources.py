"""Reading inputs: encodings, binary and empty files, size caps, HTML, folders, safe URLs."""

from __future__ import annotations

import builtins
import http.server
import ipaddress
import socket
import threading
import time
from pathlib import Path

import pytest

from lib import sources
from lib.model import SourceDocument, SourceError
from lib.sources import (
    FetchPolicy,
    SourceFailure,
    content_hash,
    decode_text,
    is_public_address,
    normalise_text,
    read_file,
    read_source,
    read_sources,
    source_from_bytes,
)

ARTICLE_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour workers end strike - The Coastal Gazette</title>
<meta property="og:title" content="Harbour workers end strike">
<meta property="og:site_name" content="The Coastal Gazette">
<meta name="author" content="Ada Byrne">
<meta property="article:published_time" content="2025-05-02T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour workers end strike</h1>
<p>Dock workers at the northern harbour returned to work on Friday after a week-long strike over pay and night shifts.</p>
<p>"We have a fair deal at last," union leader Tom Reilly told reporters outside the harbour gates on Friday morning.</p>
<p>The port authority said ships delayed by the dispute would be unloaded over the weekend, and that extra crews had been hired.</p>
</article><footer>Copyright The Coastal Gazette</footer></body></html>"""

NO_ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Menu</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav></body></html>"""

BODY = "The minister said the talks would resume on Monday in the capital.\n"
LIVE_PAGE = Path(__file__).resolve().parent / "data" / "live" / "articles.html"


# --------------------------------------------------------------------------- text files


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (BODY.encode("utf-8"), BODY),
        (b"\xef\xbb\xbf" + BODY.encode("utf-8"), BODY),  # UTF-8 with a BOM
        ("Price: £100, “quoted”".encode("cp1252"), "Price: £100, “quoted”"),
        (b"caf\xe9 \x81", "café \x81"),  # 0x81 is not cp1252: latin-1 takes it
        ("Zürich said".encode("utf-16"), "Zürich said"),  # UTF-16 with a BOM
    ],
)
def test_decode_text_any_common_encoding(data, expected):
    assert decode_text(data) == expected


def test_cp1252_file_reads(tmp_path):
    path = tmp_path / "pound.txt"
    path.write_bytes(b"Tickets cost \xa340, the club said.\n")
    document = read_source(str(path))
    assert isinstance(document, SourceDocument)
    assert document.text == "Tickets cost £40, the club said."
    assert document.kind == "text"


def test_hash_ignores_line_endings_and_bom(tmp_path):
    unix, windows = tmp_path / "unix.txt", tmp_path / "windows.txt"
    unix.write_bytes(b"Headline here\n\nA paragraph of text.\n")
    windows.write_bytes(b"\xef\xbb\xbfHeadline here\r\n\r\nA paragraph of text.\r\n")
    first, second = read_source(str(unix)), read_source(str(windows))
    assert first.content_hash == second.content_hash == content_hash(first.text)
    assert first.text == "Headline here\n\nA paragraph of text."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jos&#233; Manuel Barroso", "José Manuel Barroso"),
        ("caf&#xE9; and &#X42;", "café and B"),
        # negatives: no character (NUL, a lone surrogate, past Unicode), or a named entity
        ("&#0; &#55296; &#1114112;", "&#0; &#55296; &#1114112;"),
        ("Fish &amp; chips &#233", "Fish &amp; chips &#233"),
    ],
)
def test_numeric_character_references_in_text(text, expected):
    """Text saved from a web page may keep "&#233;" for "é": the name is "José"."""
    assert normalise_text(text) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"some text\x00 with a NUL byte",
        bytes(range(0, 32)) * 20,  # control characters
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
    ],
)
def test_binary_file_is_an_error(tmp_path, data):
    path = tmp_path / "image.txt"
    path.write_bytes(data)
    result = read_source(str(path))
    assert isinstance(result, SourceError)
    assert "binary" in result.reason


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t "])
def test_empty_file_is_an_error(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    result = read_source(str(path))
    assert isinstance(result, SourceError)
    assert "empty" in result.reason


def test_oversized_file_fails_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    opened = []
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    result = read_file(str(path), max_bytes=1000)
    assert isinstance(result, SourceError)
    assert "too large" in result.reason
    assert opened == []


def test_missing_path_is_an_error(tmp_path):
    result = read_source(str(tmp_path / "nope.txt"))
    assert result == SourceError(str(tmp_path / "nope.txt"), "no such file or directory")


# --------------------------------------------------------------------------- HTML


def test_html_article_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    document = read_source(str(path))
    assert isinstance(document, SourceDocument), document
    assert document.kind == "html"
    assert document.title == "Harbour workers end strike"
    assert document.outlet == "The Coastal Gazette"
    assert document.author == "Ada Byrne"
    assert document.date == "2025-05-02"
    paragraphs = document.text.split("\n\n")
    assert any(p.startswith("Dock workers at the northern harbour") for p in paragraphs)
    assert any(p.startswith('"We have a fair deal at last,"') for p in paragraphs)
    assert "Home" not in paragraphs and not any("Copyright" in p for p in paragraphs)


def test_html_without_article_is_an_error(tmp_path):
    path = tmp_path / "menu.htm"
    path.write_text(NO_ARTICLE_HTML, encoding="utf-8")
    result = read_source(str(path))
    assert isinstance(result, SourceError)
    assert "no article text found" in result.reason


# --------------------------------------------------------------------------- uploads


def test_source_from_bytes_text_and_html():
    text = source_from_bytes("notes.txt", BODY.encode("cp1252"), source="upload:notes.txt")
    assert text.source == "upload:notes.txt" and text.text == BODY.strip()
    page = source_from_bytes("saved.html", ARTICLE_HTML.encode("utf-8"))
    assert page.kind == "html" and page.title == "Harbour workers end strike"
    sniffed = source_from_bytes("pasted", ARTICLE_HTML.encode("utf-8"))
    assert sniffed.kind == "html"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [("a.txt", b"", "empty"), ("a.txt", b"\x00\x01\x02" * 10, "binary"),
     ("a.html", NO_ARTICLE_HTML.encode(), "no article"), ("a.txt", b"x" * 1001, "too large")],
)
def test_source_from_bytes_failures(name, data, reason):
    with pytest.raises(SourceFailure) as failure:
        source_from_bytes(name, data, max_bytes=1000)
    assert reason in str(failure.value)
    assert failure.value.error.source == name


# --------------------------------------------------------------------------- folders


def test_folder_recursive_sorted_skips_hidden_and_unsupported(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text(BODY + "two")
    (tmp_path / "a.txt").write_text(BODY + "one")
    (tmp_path / "b" / "1.html").write_text(ARTICLE_HTML)
    (tmp_path / ".hidden.txt").write_text(BODY)
    (tmp_path / ".git" / "x.txt").write_text(BODY)
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "notes.md").write_text(BODY)
    results = list(read_sources([str(tmp_path)]))
    assert [r.source for r in results] == [
        str(tmp_path / "a.txt"), str(tmp_path / "b" / "1.html"), str(tmp_path / "b" / "2.txt")
    ]
    assert all(isinstance(r, SourceDocument) for r in results)


def test_one_bad_input_does_not_stop_the_others(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(BODY)
    bad.write_bytes(b"\x00" * 50)
    results = list(read_sources([str(bad), str(tmp_path / "missing"), str(good)]))
    assert [type(r) for r in results] == [SourceError, SourceError, SourceDocument]


# --------------------------------------------------------------------------- URLs: refusals


@pytest.fixture
def no_connections(monkeypatch):
    """Any attempt to open a socket fails the test: refusals happen before connecting."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://127.1/",
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://172.16.0.5/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8501/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "http://localhost:8501/",
    ],
)
def test_non_public_addresses_are_refused(url, no_connections):
    result = read_source(url)
    assert isinstance(result, SourceError)
    assert result.source == url
    assert result.reason.startswith("refused:") and "not a public address" in result.reason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/file.txt", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://example.com/", "only http and https"),
        ("http://user:secret@example.com/", "credentials"),
    ],
)
def test_other_schemes_and_credentials_are_refused(url, reason, no_connections):
    result = read_source(url)
    assert isinstance(result, SourceError) and reason in result.reason


def test_every_resolved_address_must_be_public(no_connections):
    # A name with one public and one private address (DNS rebinding, split horizon).
    policy = FetchPolicy(resolve=lambda host, port: ["93.184.216.34", "10.1.2.3"])
    result = read_source("http://news.example/story", policy=policy)
    assert isinstance(result, SourceError) and "10.1.2.3" in result.reason


def test_a_host_lookup_that_never_answers_ends_at_the_deadline(no_connections):
    answered = threading.Event()

    def hanging_resolver(host, port):
        answered.wait(30)  # a DNS server that never replies; released when the test ends
        return ["93.184.216.34"]

    policy = FetchPolicy(timeout=0.5, resolve=hanging_resolver)
    began = time.monotonic()
    result = read_source("http://news.example/story", policy=policy)
    answered.set()
    assert isinstance(result, SourceError) and result.reason == "timed out after 0.5 s"
    assert time.monotonic() - began < 10 * 0.5


@pytest.mark.parametrize(
    ("address", "public"),
    [("8.8.8.8", True), ("2001:4860:4860::8888", True), ("127.0.0.1", False),
     ("10.0.0.1", False), ("169.254.1.1", False), ("::1", False), ("ff02::1", False),
     ("240.0.0.1", False), ("::ffff:10.0.0.1", False), ("2002:7f00:1::", False)],
)
def test_is_public_address(address, public):
    assert is_public_address(ipaddress.ip_address(address)) is public


# --------------------------------------------------------------------------- URLs: a local server


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - http.server's naming
        status, headers, body, delay = self.routes.get(self.path, (404, {}, b"not found", 0))
        time.sleep(delay)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    _Handler.routes = {
        "/plain": (200, {"Content-Type": "text/plain; charset=cp1252"}, b"Fares rose to \xa35.", 0),
        "/page": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE_HTML.encode(), 0),
        "/hop": (302, {"Location": "/page"}, b"", 0),
        "/to-private": (302, {"Location": "http://10.0.0.1/page"}, b"", 0),
        "/to-other-loopback": (301, {"Location": "http://127.0.0.2/page"}, b"", 0),
        "/loop": (302, {"Location": "/loop"}, b"", 0),
        "/big": (200, {"Content-Type": "text/plain"}, b"word " * 1000, 0),
        "/slow": (200, {"Content-Type": "text/plain"}, b"late words", 2),
        "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4", 0),
        "/live": (200, {"Content-Type": "text/html; charset=utf-8"}, LIVE_PAGE.read_bytes(), 0),
    }
    yield base, httpd.server_port
    httpd.shutdown()


def only_local_test_server(address) -> bool:
    """The test hook: allow exactly the test server's address, nothing else."""
    return address == ipaddress.ip_address("127.0.0.1")


LOCAL = FetchPolicy(allow_address=only_local_test_server, timeout=5)


def test_default_policy_refuses_the_local_server(server):
    base, _ = server
    result = read_source(f"{base}/plain")
    assert isinstance(result, SourceError) and "not a public address" in result.reason


def test_fetch_plain_text_with_declared_charset(server):
    base, _ = server
    document = read_source(f"{base}/plain", policy=LOCAL)
    assert isinstance(document, SourceDocument), document
    assert document.text == "Fares rose to £5." and document.kind == "url"


def test_a_fetched_live_page_gives_one_story_per_post(server):
    base, _ = server
    document = read_source(f"{base}/live", policy=LOCAL)
    assert isinstance(document, SourceDocument), document
    assert document.kind == "url" and document.title == "Marathon day: live updates"
    assert [(story.headline, story.published) for story in document.stories] == [
        ("Winner crosses the line in record time", "2025-04-06T12:45:00+01:00"),
        ("Roads reopen in the east of the city", "2025-04-06T11:30:00+01:00"),
        ("Runners set off from the park", "2025-04-06T09:00:00+01:00")]


def test_fetch_html_after_a_redirect(server):
    base, _ = server
    document = read_source(f"{base}/hop", policy=LOCAL)
    assert isinstance(document, SourceDocument), document
    assert document.title == "Harbour workers end strike"
    assert document.source == f"{base}/hop"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-private", "10.0.0.1 is not a public address"),
        ("/to-other-loopback", "127.0.0.2 is not a public address"),
        ("/loop", "redirects"),
        ("/missing", "HTTP 404"),
        ("/pdf", "unsupported content type application/pdf"),
    ],
)
def test_fetch_failures(server, path, reason):
    base, _ = server
    result = read_source(f"{base}{path}", policy=LOCAL)
    assert isinstance(result, SourceError) and reason in result.reason


def test_fetch_size_cap(server):
    base, _ = server
    policy = FetchPolicy(allow_address=only_local_test_server, max_bytes=1000)
    result = read_source(f"{base}/big", policy=policy)
    assert isinstance(result, SourceError) and "too large" in result.reason


def test_fetch_timeout(server):
    base, _ = server
    policy = FetchPolicy(allow_address=only_local_test_server, timeout=0.5)
    started = time.monotonic()
    result = read_source(f"{base}/slow", policy=policy)
    assert isinstance(result, SourceError) and "timed out" in result.reason
    assert time.monotonic() - started < 2


def test_connection_goes_to_the_checked_address(server):
    # The host name resolves (through the policy) to the test server only.
    _, port = server
    policy = FetchPolicy(allow_address=only_local_test_server,
                         resolve=lambda host, port: ["127.0.0.1"])
    document = read_source(f"http://news.invalid:{port}/plain", policy=policy)
    assert isinstance(document, SourceDocument), document


def test_max_source_bytes_default_is_a_sane_cap():
    assert 1_000_000 <= sources.MAX_SOURCE_BYTES <= 100_000_000


# --------------------------------------------------------------------------- URLs: dripping

DRIP_INTERVAL_S = 0.2  # one byte this often: every single read is well inside any timeout
DRIP_DEADLINE_S = 1.0
DRIP_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + b"X-Drip: " + b"a" * 10_000
DRIP_BODY_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"


def _drip(connection: socket.socket, head: bytes, dripped: bytes, stop: threading.Event) -> None:
    """Send ``head`` at once, then ``dripped`` one byte at a time until the client leaves."""
    with connection:
        try:
            connection.recv(65536)  # the request
            connection.sendall(head)
            for byte in dripped:
                if stop.wait(DRIP_INTERVAL_S):
                    return
                connection.sendall(bytes([byte]))
        except OSError:
            return  # the client hung up: what a deadline does


@pytest.fixture
def dripping_server():
    """A server on 127.0.0.1 answering ``/headers`` by dripping its status and headers and
    ``/body`` by sending its headers, then dripping the body: 1 byte every 0.2 s; ``/hop``
    redirects to itself after 0.6 deadlines."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            request = connection.recv(65536, socket.MSG_PEEK)
            if b"GET /hop" in request:  # a redirect to itself, each hop 0.6 deadlines late
                stop.wait(0.6 * DRIP_DEADLINE_S)
                head, dripped = b"HTTP/1.1 302 Found\r\nLocation: /hop\r\n\r\n", b""
            elif b"GET /body" in request:
                head, dripped = DRIP_BODY_HEAD, b"word " * 20_000
            else:
                head, dripped = b"", DRIP_HEADERS
            threading.Thread(target=_drip, args=(connection, head, dripped, stop),
                             daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


@pytest.mark.parametrize("path", ["/headers", "/body"])
def test_a_dripping_server_is_cut_at_the_deadline(dripping_server, path):
    """Each byte arrives long before a read would time out; the fetch as a whole must not
    outlive its deadline (connect, headers, body and redirects share one)."""
    policy = FetchPolicy(allow_address=only_local_test_server, timeout=DRIP_DEADLINE_S)
    started = time.monotonic()
    result = read_source(f"{dripping_server}{path}", policy=policy)
    assert isinstance(result, SourceError), result
    assert result.reason == f"timed out after {DRIP_DEADLINE_S:g} s"
    assert "\n" not in result.reason
    assert time.monotonic() - started < 10 * DRIP_DEADLINE_S  # generous: a shared machine


def test_redirects_share_one_deadline(dripping_server):
    """Every hop answers within the deadline; together they do not (not "more than 5
    redirects": the fetch stops at its deadline)."""
    policy = FetchPolicy(allow_address=only_local_test_server, timeout=DRIP_DEADLINE_S)
    result = read_source(f"{dripping_server}/hop", policy=policy)
    assert isinstance(result, SourceError), result
    assert result.reason == f"timed out after {DRIP_DEADLINE_S:g} s"
