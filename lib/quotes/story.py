"""The parsed story the quote rules read, the attributions they produce, and the
span helpers they share (quote marks, paragraphs, clause content)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from lib.model import UNKNOWN_SPEAKER, Entity
from lib.quotes.lexicon import (
    CLOSING_MARKS,
    DOUBLE_MARKS,
    EDGE_JUNK,
    MIN_CONTENT_WORDS,
    OPENING_MARKS,
    PARAGRAPH,
    STRAIGHT_MARK,
    THING,
    WORD,
)


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """Text between double quote marks, marks included."""

    start: int
    end: int  # a quote still open at its paragraph's end (UK style) ends there


def paragraph_bounds(text: str) -> Iterator[tuple[int, int]]:
    for match in PARAGRAPH.finditer(text):
        yield match.start(), match.end()


def quoted_spans(text: str) -> list[QuotedSpan]:
    """Pair double quote marks per paragraph, forgiving of any imbalance.

    Straight and curly marks pair with each other; a mark that opens inside an
    open quote is ignored, a stray closing mark too; a quote still open at the
    end of its paragraph runs to that end (the next paragraph reopens it).
    """
    spans = []
    for start, end in paragraph_bounds(text):
        spans.extend(
            span for span in _quoted_in_paragraph(text, start, end)
            if WORD.search(text, span.start, span.end)
        )
    return spans


def _quoted_in_paragraph(text: str, start: int, end: int) -> Iterator[QuotedSpan]:
    opened = None
    nested = 0  # curly quotes open inside the open quote: '“... what he calls “hell” ...”'
    index = start
    while index < end:
        char = text[index]
        width = 2 if char == "'" and text.startswith(TWO_APOSTROPHES, index) else 1
        straight = char == STRAIGHT_MARK or width == 2
        if opened is None and (char in OPENING_MARKS or straight
                               or (char in CLOSING_MARKS and _opens_here(text, index, start, end))):
            opened = index
        elif opened is not None and char in OPENING_MARKS and text[opened] in OPENING_MARKS and (
                not _closes_here(text, index, end) and _closed_twice(text, index, end, nested)):
            nested += 1
        elif opened is not None and nested and char in CLOSING_MARKS:
            nested -= 1
        elif opened is not None and (char in CLOSING_MARKS or straight
                                     or (char in OPENING_MARKS and _closes_here(text, index, end))):
            yield QuotedSpan(opened, min(index + width, end))
            opened = None
        index += width
    if opened is not None:
        yield QuotedSpan(opened, end)


# Two apostrophes as one double mark, as the New York Times prints them: "''Not now,'' he said".
TWO_APOSTROPHES = "''"


def _closed_twice(text: str, index: int, end: int, nested: int) -> bool:
    """An opening mark inside an open quote nests when the rest of the paragraph closes
    both (and the quotes nested so far); otherwise it is a typo and is ignored."""
    rest = text[index + 1:end]
    closing = sum(rest.count(mark) for mark in CLOSING_MARKS)
    opening = sum(rest.count(mark) for mark in OPENING_MARKS)
    return closing >= opening + nested + 2


def _opens_here(text: str, index: int, start: int, end: int) -> bool:
    """A closing mark typed where a quote opens: '”Fear. I am ...”' (after a space or at
    the paragraph's start, before a word)."""
    return ((index == start or text[index - 1].isspace() or text[index - 1] in "([")
            and index + 1 < end and text[index + 1].isalnum())


def _closes_here(text: str, index: int, end: int) -> bool:
    """An opening mark typed where a quote closes: '... is 51 percent.“' (after a
    word or a stop, before a space or the paragraph's end)."""
    return (not text[index - 1].isspace()
            and (index + 1 == end or text[index + 1].isspace()))


@dataclass(slots=True)
class Attribution:
    content: list[tuple[int, int]]
    cue_text: str
    cue_span: tuple[int, int]
    cue_token: Token | None
    speaker_head: Token | None
    source: Attribution | None = None  # a continuation borrows this one's speaker
    speaker: str = UNKNOWN_SPEAKER
    speaker_kind: str = THING
    speaker_description: str = ""  # an unnamed source as described
    speaker_body: str | None = None  # the body an unnamed source speaks for
    mention: tuple[int, int] | None = None
    verbatim: bool = False  # the speaker's own words without quote marks (a signed post)
    rule: str = ""  # the name of the rule that found it

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)


@dataclass(frozen=True, slots=True)
class Rule:
    """One attribution rule: its name (to switch it off, to test it) and its function."""

    name: str
    apply: Callable[..., object]


@dataclass(slots=True)
class ParsedStory:
    """What every rule reads: the doc, its quote marks, paragraphs and entities."""

    doc: Doc
    quotes: list[QuotedSpan]
    paragraphs: list[tuple[int, int]]
    entities: Sequence[Entity]
    starts: list[int] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)  # made once: iterating a Doc makes them anew
    token_starts: list[int] = field(default_factory=list)
    quote_starts: list[int] = field(default_factory=list)
    text: str = ""  # doc.text joins every token on each access: read it once
    entity_by_token: dict[int, Entity] | None = None  # built on first use

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.starts = [start for start, _ in self.paragraphs]
        self.tokens = list(self.doc)
        self.token_starts = [token.idx for token in self.tokens]
        self.quote_starts = [quote.start for quote in self.quotes]

    def quote_at(self, position: int) -> QuotedSpan | None:
        """The quote-mark span holding ``position``, if any (sorted, never overlapping)."""
        index = bisect.bisect_right(self.quote_starts, position) - 1
        return self.quotes[index] if index >= 0 and position < self.quotes[index].end else None

    def in_quote(self, position: int) -> bool:
        return self.quote_at(position) is not None

    def paragraph_index(self, position: int) -> int:
        return max(bisect.bisect_right(self.starts, position) - 1, 0)

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """Tokens starting in [start, end)."""
        first = bisect.bisect_left(self.token_starts, start)
        last = bisect.bisect_left(self.token_starts, end)
        return self.tokens[first:last]

    def paragraph_tokens(self, position: int) -> list[Token]:
        start, end = self.paragraphs[self.paragraph_index(position)] if self.paragraphs else (0, 0)
        return self.tokens_between(start, end)

    def entity_at(self, token: Token) -> Entity | None:
        """The first entity (in list order) holding the token's start."""
        if self.entity_by_token is None:
            self.entity_by_token = {}
            for entity in self.entities:
                first = bisect.bisect_left(self.token_starts, entity.start)
                last = bisect.bisect_left(self.token_starts, entity.end)
                for index in range(max(first - 1, 0), last):
                    if entity.start <= self.token_starts[index] < entity.end:
                        self.entity_by_token.setdefault(index, entity)
        return self.entity_by_token.get(token.i)


def token_end(token: Token) -> int:
    return token.idx + len(token.text)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_JUNK:
        start += 1
    while end > start and (text[end - 1] in EDGE_JUNK or text[end - 1] == "."):
        end -= 1
    return start, end


def clause_content(story: ParsedStory, start: int, end: int, cue: int) -> list[tuple[int, int]]:
    """A clause's content in the cue's paragraph, widened to whole quote spans.

    Only quote spans: those spans (a direct quote).
    """
    text = story.text
    paragraph_start, paragraph_end = story.paragraphs[story.paragraph_index(cue)]
    start, end = trim_span(text, max(start, paragraph_start), min(end, paragraph_end))
    # Only the quotes near the clause (sorted, never overlapping): a story's every
    # quote per clause would make a quote-heavy story quadratic.
    first = max(bisect.bisect_right(story.quote_starts, start) - 1, 0)
    last = bisect.bisect_left(story.quote_starts, end)
    for quote in story.quotes[first:last]:
        if quote.start < start < quote.end:
            start = quote.start
        if quote.start < end < quote.end:
            end = quote.end
    if len(text[start:end].split()) < MIN_CONTENT_WORDS and not has_quote_mark(text[start:end]):
        return []
    inner = [q for q in story.quotes[first:last] if start <= q.start and q.end <= end]
    outside, position = [], start
    for quote in inner:
        outside.append(text[position:quote.start])
        position = quote.end
    outside.append(text[position:end])
    if inner and not WORD.search("".join(outside)):
        return [(q.start, q.end) for q in inner]
    return [(start, end)]



def has_quote_mark(text: str) -> bool:
    return any(mark in text for mark in DOUBLE_MARKS) or TWO_APOSTROPHES in text


def overlaps_found(span: tuple[int, int], found: Iterable[Attribution]) -> bool:
    return any(s < span[1] and span[0] < e for a in found for s, e in a.content)


def name_like(token: Token) -> bool:
    """A proper noun, or a capitalised word the tagger missed ("DTEK" as NOUN)."""
    if token.pos_ == "PROPN":
        return True
    return token.is_alpha and token.pos_ == "NOUN" and any(c.isupper() for c in token.text) and (
        not token.is_sent_start
    )
