"""Typed records that flow through the library: source -> parse -> store -> query.

Offsets are Python character offsets into ``Story.text`` (the story's paragraphs
joined by ``PARAGRAPH_SEPARATOR``), so a quote or a mention can be highlighted
where it stands without re-parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARAGRAPH_SEPARATOR = "\n\n"
UNKNOWN_SPEAKER = "unknown"  # the story does not say who
# A source the story describes but never names ("analysts", "a Home Office spokesman"):
# Quote.speaker_description says who, Quote.speaker_body whom they speak for.
UNNAMED_SPEAKER = "unnamed"

QUOTE_KINDS = ("direct", "mixed", "indirect")


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """One input as read from disk or the web, before any parsing."""

    source: str  # the path or URL as the user gave it
    text: str  # plain text; for HTML, the extracted main text
    content_hash: str  # hex sha256 of ``text``: the document id
    title: str | None = None
    outlet: str | None = None
    date: str | None = None  # ISO 8601 date when known
    author: str | None = None
    kind: str = "text"  # "text" | "html" | "url"
    # A path or URL can be read again, and its new content replaces the old version in a
    # collection. An upload or a paste cannot: each is a page of its own whatever its name.
    rereadable: bool = True
    # Stories the reader already cut out (a live page's posts, see lib.live): when given,
    # the parse takes them instead of cutting ``text``, which still holds all of them.
    stories: tuple[StorySegment, ...] = ()


@dataclass(frozen=True, slots=True)
class StorySegment:
    """A story cut out of a page, before NLP."""

    headline: str
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601 time of a live page's post, when known

    @property
    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)


@dataclass(slots=True)
class Entity:
    """One entity mention with its canonical name."""

    text: str  # as written
    label: str  # spaCy label: PERSON, GPE, NORP, ORG, LOC, FAC, ...
    canonical: str  # "Volodymyr Zelensky" for "Mr Zelensky"; "France" for "French"
    start: int  # offsets in Story.text
    end: int
    country: str | None = None  # common English country name, for places and nationalities
    country_code: str | None = None  # ISO 3166 alpha-3

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "label": self.label,
            "canonical": self.canonical,
            "country": self.country,
            "country_code": self.country_code,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Quote:
    """An attributed quote: direct, mixed (partly quoted) or indirect (reported)."""

    text: str  # the quoted or reported content, pieces of a split quote joined by " "
    kind: str  # one of QUOTE_KINDS
    speaker: str  # canonical name of a person or body, UNNAMED_SPEAKER or UNKNOWN_SPEAKER
    speaker_mention: str  # the speaker as written ("he", "Mr Zelensky", "the statement")
    cue: str  # the cue as written ("said", "according to", "added", ":")
    spans: list[tuple[int, int]] = field(default_factory=list)  # content pieces in Story.text
    speaker_span: tuple[int, int] | None = None
    cue_span: tuple[int, int] | None = None
    speaker_description: str = ""  # an unnamed source as described: "Home Office spokesman"
    speaker_body: str | None = None  # the body an unnamed source speaks for: "Home Office"

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans) if self.spans else -1

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans) if self.spans else -1

    def pieces(self, story_text: str) -> list[str]:
        """The content as written, one text per span in order: the words a reader finds on
        the page (a split quote's ``text`` is its pieces joined, which the page never has)."""
        return [story_text[s:e] for s, e in self.spans]

    def to_json(self, story_text: str) -> dict:
        """The quote of the JSON contract; ``story_text`` is the text its offsets are into."""
        return {
            "text": self.text,
            "pieces": self.pieces(story_text),
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "speaker_description": self.speaker_description,
            "speaker_body": self.speaker_body,
            "cue": self.cue,
            "spans": [list(s) for s in self.spans],
            "speaker_span": list(self.speaker_span) if self.speaker_span else None,
            "cue_span": list(self.cue_span) if self.cue_span else None,
        }


@dataclass(slots=True)
class Story:
    headline: str
    paragraphs: list[str]
    captions: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    published: str | None = None  # ISO 8601 time of a live page's post, when known

    @property
    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph holding a Story.text offset."""
        position = 0
        for index, paragraph in enumerate(self.paragraphs):
            position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
            if offset < position:
                return index
        return max(len(self.paragraphs) - 1, 0)

    def to_json(self) -> dict:
        return {
            "headline": self.headline,
            "paragraphs": list(self.paragraphs),
            "captions": list(self.captions),
            "published": self.published,
            "entities": [e.to_json() for e in self.entities],
            "quotes": [q.to_json(self.text) for q in self.quotes],
        }


@dataclass(slots=True)
class ParsedDocument:
    doc_id: str  # the content hash
    source: str
    title: str
    stories: list[Story]
    outlet: str | None = None
    date: str | None = None
    author: str | None = None

    def to_json(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date,
            "author": self.author,
            "stories": [s.to_json() for s in self.stories],
        }


@dataclass(frozen=True, slots=True)
class SourceError:
    """An input that could not be read or parsed: reported, never fatal to a corpus."""

    source: str
    reason: str  # one line, no traceback

    def __str__(self) -> str:
        return f"error: {one_line(self.source)}: {one_line(self.reason)}"

    @classmethod
    def from_exception(cls, source: str, doing: str, error: BaseException) -> SourceError:
        """``doing`` ("parse failed") for ``error``: its type and the first line of its
        message (spaCy's run to paragraphs)."""
        first_line = next(iter(str(error).splitlines()), "")
        return cls(source, f"{doing}: {type(error).__name__}: {first_line}")


# Characters that would break a line of output or its UTF-8: control characters (a
# newline in a file name), Unicode line separators, and lone surrogates (the
# undecodable bytes of a non-UTF-8 file name, as Python's os functions give them).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return repr(match.group())[1:-1] if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` as one printable line of valid UTF-8, escaped as Python writes a string
    ("new\\nline.txt", "caf\\xe9.txt"); ordinary text comes back unchanged."""
    return _UNPRINTABLE.sub(_escaped, text)


__all__ = [
    "PARAGRAPH_SEPARATOR",
    "QUOTE_KINDS",
    "UNKNOWN_SPEAKER",
    "UNNAMED_SPEAKER",
    "Entity",
    "ParsedDocument",
    "Quote",
    "SourceDocument",
    "SourceError",
    "Story",
    "StorySegment",
    "one_line",
]
