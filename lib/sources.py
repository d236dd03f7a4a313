"""Reading inputs: text files in any common encoding, saved HTML, URLs, folders.

Every reader returns a ``SourceDocument`` or a ``SourceError`` (one line, no
traceback): a bad input never stops a corpus. URLs are fetched defensively
because the hosted dashboard fetches what strangers paste: only http(s), a
timeout and a size cap, and no connection to loopback, private, link-local,
reserved or multicast addresses, checked for every resolved address of every
redirect hop, and the connection goes to the address that was checked.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import os
import re
import socket
import ssl
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lib.limits import MAX_SOURCE_BYTES, markup_limit_error, too_large
from lib.model import (
    PARAGRAPH_SEPARATOR,
    SourceDocument,
    SourceError,
    StorySegment,
    one_line,
)

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
# Tried in order; latin-1 decodes any byte, so decoding never fails.
TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
BINARY_SNIFF_BYTES = 8192
MAX_CONTROL_CHAR_SHARE = 0.10  # more control characters than this in the head: not text
MIN_ARTICLE_WORDS = 8  # an HTML extraction shorter than this is navigation, not an article
URL_SCHEMES = ("http", "https")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "news-quotes/0.1 (+https://github.com/)"


class SourceFailure(ValueError):
    """Raised by ``source_from_bytes``: carries the one-line ``SourceError``."""

    def __init__(self, error: SourceError):
        super().__init__(error.reason)
        self.error = error


# --------------------------------------------------------------------------- text


NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def _referenced_character(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    printable = code in (9, 10, 13) or (32 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
                                        and not 0x7F <= code <= 0x9F)
    return chr(code) if printable else match.group(0)


def normalise_text(text: str) -> str:
    """One canonical form per text, so the same article always hashes alike."""
    # "Jos&#233;" in text saved from a web page is "José"
    text = NUMERIC_REFERENCE.sub(_referenced_character, text.lstrip("\ufeff"))
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


UTF32_BOMS = {b"\xff\xfe\x00\x00": "utf-32", b"\x00\x00\xfe\xff": "utf-32"}
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# UTF-16 without a BOM: in text that is mostly ASCII, one byte of every pair is NUL,
# always the same one (odd bytes in little-endian, even in big-endian).
UTF16_MIN_NUL_SHARE = 0.3  # of the pairs, NUL in the high byte
UTF16_MAX_OTHER_NUL_SHARE = 0.02  # of the pairs, NUL in the low byte


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark declares (UTF-32 first: its mark starts like UTF-16's)."""
    for bom, encoding in UTF32_BOMS.items():
        if data.startswith(bom):
            return encoding
    return "utf-16" if data.startswith(UTF16_BOMS) else None


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when NUL bytes sit at every other position, else None."""
    head = data[: BINARY_SNIFF_BYTES & ~1]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even_nuls, odd_nuls = head[0::2].count(0), head[1::2].count(0)
    for encoding, high, low in (("utf-16-le", odd_nuls, even_nuls),
                                ("utf-16-be", even_nuls, odd_nuls)):
        if high >= UTF16_MIN_NUL_SHARE * pairs and low <= UTF16_MAX_OTHER_NUL_SHARE * pairs:
            try:
                head.decode(encoding)
            except UnicodeDecodeError as error:
                if error.start < len(head) - 2:  # a lone surrogate: not UTF-16 after all
                    return None  # (a pair cut by the end of the head is fine)
            return encoding
    return None


def is_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the head: not a text file."""
    head = data[:BINARY_SNIFF_BYTES]
    encoding = bom_encoding(head) or utf16_without_bom(head)
    if encoding:  # judge the decoded characters, not the bytes
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f\v")
    return controls > MAX_CONTROL_CHAR_SHARE * max(len(head), 1)


def decode_text(data: bytes, *, declared: str | None = None) -> str:
    """Bytes -> str: a byte-order mark, UTF-16 without one, a declared charset, UTF-8
    (BOM or not), cp1252, latin-1."""
    encoding = bom_encoding(data) or utf16_without_bom(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    encodings = ((declared,) if declared else ()) + TEXT_ENCODINGS
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")  # unreachable: latin-1 decodes anything


def _text_document(source: str, data: bytes, *, kind: str, declared: str | None = None):
    if is_binary(data):
        return SourceError(source, "binary file, not text")
    text = normalise_text(decode_text(data, declared=declared))
    if not text:
        return SourceError(source, "empty file (no text)")
    return SourceDocument(source=source, text=text, content_hash=content_hash(text), kind=kind)


# --------------------------------------------------------------------------- HTML


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head


def _html_document(source: str, data: bytes, *, kind: str, url: str | None = None):
    """Main text through trafilatura, one paragraph per block, with its metadata; a live
    page's posts as its stories (``lib.live``)."""
    if is_binary(data):
        return SourceError(source, "binary file, not HTML")
    refusal = markup_limit_error(data)
    if refusal:
        return SourceError(source, refusal)
    import trafilatura  # slow to import: only when HTML comes in

    from lib import live

    try:
        # Parsed here only when the page may be live: its posts are read from the tree
        # trafilatura extracts from (trafilatura works on a copy), so it is parsed once.
        tree = trafilatura.load_html(data) if live.might_be_live(data) else None
        extracted = trafilatura.bare_extraction(
            data if tree is None else tree, url=url, with_metadata=True,
            include_comments=False, include_tables=False
        )
    except Exception as error:  # trafilatura raises assorted errors on broken markup
        return SourceError(source, f"HTML could not be read: {type(error).__name__}")
    body = normalise_text(extracted.text or "") if extracted is not None else ""
    posts = _live_posts(live, tree, main_text=body) if tree is not None else ()
    if posts:  # the text holds every post: it is what the hash and the caps are taken of
        lines = [line for post in posts for line in (post.headline, *post.paragraphs,
                                                    *post.captions)]
        text = normalise_text(PARAGRAPH_SEPARATOR.join(lines))
    else:
        text = PARAGRAPH_SEPARATOR.join(line.strip() for line in body.split("\n") if line.strip())
    if len(text.split()) < MIN_ARTICLE_WORDS:
        return SourceError(source, "no article text found in the HTML page")
    return SourceDocument(source=source, text=text, content_hash=content_hash(text), kind=kind,
                          stories=posts, **_page_metadata(extracted))


def _live_posts(live, tree, *, main_text: str) -> tuple[StorySegment, ...]:
    """A live page's posts, or () - also when its markup trips the reader: the page is
    then read as one story, as any other page is."""
    try:
        return live.live_posts(tree, main_text=main_text)
    except Exception:  # untrusted markup: one page must never stop a corpus
        return ()


def _page_metadata(extracted) -> dict[str, str | None]:
    """Title, outlet, date and author as trafilatura found them (JSON-LD, meta tags)."""
    if extracted is None:
        return {}
    return {"title": extracted.title or None,
            "outlet": extracted.sitename or extracted.hostname or None,
            "date": extracted.date or None,
            "author": extracted.author or None}


# --------------------------------------------------------------------------- bytes


def source_from_bytes(
    name: str, data: bytes, *, source: str | None = None, max_bytes: int = MAX_SOURCE_BYTES
) -> SourceDocument:
    """An upload or a paste -> SourceDocument; raises SourceFailure with a one-line reason."""
    result = _document_from_bytes(source or name, name, data, max_bytes=max_bytes)
    if isinstance(result, SourceError):
        raise SourceFailure(result)
    return replace(result, rereadable=False)


def _document_from_bytes(source: str, name: str, data: bytes, *, max_bytes: int):
    if len(data) > max_bytes:
        return SourceError(source, too_large(len(data), max_bytes))
    if not data.strip():
        return SourceError(source, "empty file (no text)")
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(data)):
        return _html_document(source, data, kind="html")
    return _text_document(source, data, kind="text")


# --------------------------------------------------------------------------- files


def read_file(path: str, *, max_bytes: int = MAX_SOURCE_BYTES) -> SourceDocument | SourceError:
    # The document is named by the path made printable: a newline or an undecodable
    # byte in a file name must not break the error line or the JSON Lines.
    source = one_line(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return SourceError(source, "no such file or directory")
    except PermissionError:
        return SourceError(source, "permission denied")
    except OSError as error:
        return SourceError(source, _cannot_read(error))
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            return SourceError(source, "is a directory")
        if not stat.S_ISREG(status.st_mode):  # a FIFO, socket or device never ends
            return SourceError(source, "not a regular file")
        if status.st_size > max_bytes:  # fail before reading a byte of it
            return SourceError(source, too_large(status.st_size, max_bytes))
        with open(descriptor, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return SourceError(source, _cannot_read(error))
    finally:
        os.close(descriptor)
    return _document_from_bytes(source, path, data, max_bytes=max_bytes)


def _cannot_read(error: OSError) -> str:
    return f"cannot read: {error.strerror or type(error).__name__}"


def folder_files(folder: Path) -> Iterator[Path]:
    """Supported files under a folder, recursively, sorted; hidden files and folders skipped."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path


# --------------------------------------------------------------------------- URLs


class FetchRefused(Exception):
    """A URL we will not fetch, or a fetch that failed: the message is the reason."""


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only globally routable unicast addresses: the server must not reach its own network."""
    mapped = getattr(address, "ipv4_mapped", None) or getattr(address, "sixtofour", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def resolve_host(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclass(frozen=True)
class FetchPolicy:
    """What a URL fetch may do. Tests allow loopback by passing their own ``allow_address``."""

    timeout: float = 10.0  # seconds for the whole fetch: every hop, header and byte
    max_bytes: int = MAX_SOURCE_BYTES
    max_redirects: int = 5
    allow_address: Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], bool] = field(
        default=is_public_address
    )
    resolve: Callable[[str, int], list[str]] = field(default=resolve_host)


DEFAULT_FETCH_POLICY = FetchPolicy()


def is_url(text: str) -> bool:
    return "://" in text[:16]


def checked_address(
    url: str, policy: FetchPolicy, deadline: _Deadline | None = None
) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) once every resolved address is allowed;
    the host lookup, too, only has what is left of ``deadline``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        raise FetchRefused(f"only http and https URLs are fetched, not {scheme or 'this'}")
    if parts.username or parts.password:
        raise FetchRefused("URLs with credentials are refused")
    host = parts.hostname
    if not host:
        raise FetchRefused("the URL has no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchRefused("the URL has an invalid port") from None
    deadline = deadline or _Deadline(policy.timeout)
    lookup = _RESOLVERS.submit(policy.resolve, host, port)
    try:
        addresses = lookup.result(timeout=deadline.remaining())
    except FutureTimeout:  # the system resolver has no timeout of its own
        raise FetchRefused(f"timed out after {policy.timeout:g} s") from None
    except (socket.gaierror, UnicodeError, OSError):
        raise FetchRefused(f"cannot resolve host {host}") from None
    if not addresses:
        raise FetchRefused(f"cannot resolve host {host}")
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])
        if not policy.allow_address(address):
            where = host if host == str(address) else f"{host} resolves to {address}, which"
            raise FetchRefused(f"refused: {where} is not a public address")
    return scheme, host, port, addresses[0]


# Host lookups run here so that a fetch can stop waiting for one at its deadline (a lookup
# left behind ends on its own, at the system resolver's timeout).
_RESOLVERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="resolve")


class _Deadline:
    """One deadline for a whole fetch: connect, TLS, request, headers, body, every hop."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; raises ``TimeoutError`` (``socket.timeout``) once there are none."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"timed out after {self.seconds:g} s")
        return left


class _DeadlineCalls:
    """Before every blocking call, the socket's timeout becomes what is left of the
    deadline. A socket timeout alone bounds each read: a server sending one byte a second
    would keep such a fetch alive for ever."""

    deadline: _Deadline

    def recv(self, *args, **kwargs):
        self.settimeout(self.deadline.remaining())
        return super().recv(*args, **kwargs)

    def recv_into(self, *args, **kwargs):
        self.settimeout(self.deadline.remaining())
        return super().recv_into(*args, **kwargs)

    def send(self, *args, **kwargs):
        self.settimeout(self.deadline.remaining())
        return super().send(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self.settimeout(self.deadline.remaining())
        return super().sendall(*args, **kwargs)


class _DeadlineSocket(_DeadlineCalls, socket.socket):
    """A plain socket under the deadline."""

    @classmethod
    def adopt(cls, sock: socket.socket, deadline: _Deadline) -> _DeadlineSocket:
        adopted = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        adopted.deadline = deadline
        adopted.settimeout(deadline.remaining())
        return adopted


class _DeadlineSSLSocket(_DeadlineCalls, ssl.SSLSocket):
    """The same over TLS, the handshake included (the ssl module reads the raw socket
    itself, so ``_DeadlineSocket`` alone does not cover it)."""

    def do_handshake(self, *args, **kwargs):
        self.settimeout(self.deadline.remaining())
        return super().do_handshake(*args, **kwargs)


def _pinned_socket(address: str, port: int, deadline: _Deadline) -> _DeadlineSocket:
    """A connection to the address already checked, whatever DNS says a moment later."""
    sock = socket.create_connection((address, port), deadline.remaining())
    return _DeadlineSocket.adopt(sock, deadline)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, deadline: _Deadline):
        super().__init__(host, port, timeout=deadline.seconds)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = _pinned_socket(self._address, self.port, self._deadline)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, deadline: _Deadline):
        context = ssl.create_default_context()
        context.sslsocket_class = _DeadlineSSLSocket
        super().__init__(host, port, timeout=deadline.seconds, context=context)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        sock = _pinned_socket(self._address, self.port, self._deadline)
        tls = self._context.wrap_socket(sock, server_hostname=self.host,
                                        do_handshake_on_connect=False)
        tls.deadline = self._deadline
        tls.do_handshake()
        self.sock = tls


def fetch_url(url: str, policy: FetchPolicy = DEFAULT_FETCH_POLICY) -> tuple[bytes, str, str]:
    """(body, content type, final URL); redirects followed by hand, each hop re-checked.

    The whole fetch - every hop's connect, TLS handshake, request, headers and body -
    has ``policy.timeout`` seconds, however slowly a server sends.
    """
    deadline = _Deadline(policy.timeout)
    for _ in range(policy.max_redirects + 1):
        scheme, host, port, address = checked_address(url, policy, deadline)
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, port, address, deadline)
        try:
            parts = urlsplit(url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request(
                "GET",
                target,
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                         "Accept": "text/html,text/plain;q=0.9,*/*;q=0.1"},
            )
            response = connection.getresponse()
            if response.status in REDIRECT_STATUSES:
                location = response.getheader("Location")
                if not location:
                    raise FetchRefused(f"HTTP {response.status} redirect without a Location")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"HTTP {response.status} {response.reason}".strip())
            body = _read_capped(response, policy)
            return body, response.getheader("Content-Type", ""), url
        except FetchRefused:
            raise
        except socket.timeout:  # TimeoutError: a socket timeout or the deadline
            raise FetchRefused(f"timed out after {policy.timeout:g} s") from None
        except ssl.SSLError as error:
            raise FetchRefused(f"TLS error: {error.reason or error}") from None
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            raise FetchRefused(f"fetch failed: {reason}") from None
        finally:
            connection.close()
    raise FetchRefused(f"more than {policy.max_redirects} redirects")


def _read_capped(response: http.client.HTTPResponse, policy: FetchPolicy) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchRefused(too_large(int(declared), policy.max_bytes))
    if response.getheader("Content-Encoding", "identity").lower() not in ("identity", ""):
        raise FetchRefused("compressed responses are not accepted")
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):  # each socket read bounded by the deadline
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchRefused(too_large(size, policy.max_bytes))
        chunks.append(chunk)
    return b"".join(chunks)


def read_url(url: str, *, policy: FetchPolicy = DEFAULT_FETCH_POLICY):
    try:
        body, content_type, final_url = fetch_url(url, policy)
    except FetchRefused as refusal:
        return SourceError(url, str(refusal))
    media_type, _, params = content_type.partition(";")
    media_type = media_type.strip().lower()
    charset = params.partition("charset=")[2].strip().strip('"') or None
    if not body.strip():
        return SourceError(url, "empty response")
    if media_type in ("text/html", "application/xhtml+xml") or (
        not media_type and looks_like_html(body)
    ):
        return _html_document(url, body, kind="url", url=final_url)
    if media_type == "text/plain" or not media_type:
        return _text_document(url, body, kind="url", declared=charset)
    return SourceError(url, f"unsupported content type {media_type}")


# --------------------------------------------------------------------------- entry points


def read_source(
    path: str,
    *,
    max_bytes: int = MAX_SOURCE_BYTES,
    policy: FetchPolicy = DEFAULT_FETCH_POLICY,
) -> SourceDocument | SourceError:
    """One file or URL. A file named explicitly is read whatever its extension."""
    if is_url(path):
        return read_url(path, policy=policy)
    return read_file(path, max_bytes=max_bytes)


def read_sources(
    paths: Iterable[str],
    *,
    max_bytes: int = MAX_SOURCE_BYTES,
    policy: FetchPolicy = DEFAULT_FETCH_POLICY,
) -> Iterator[SourceDocument | SourceError]:
    """Files, folders (recursive, sorted, only .txt/.html) and URLs, in the order given."""
    for path in expand_paths(paths):
        yield read_source(path, max_bytes=max_bytes, policy=policy)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Folders replaced by their supported files; files and URLs as given."""
    for path in paths:
        path = str(path)
        if not is_url(path) and os.path.isdir(path):
            yield from (str(file) for file in folder_files(Path(path)))
        else:
            yield path
