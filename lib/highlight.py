"""Escaped HTML for article text with people, places, quotes, speakers and cues marked.

Article text is untrusted: every character of it goes through ``html.escape``;
the only markup in the output is the ``<span>``/``<p>`` tags built here, with
fixed styles. Marks may overlap (a person named inside a quote): the text is cut
at every mark boundary and each piece carries the styles of all marks over it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lib.model import PARAGRAPH_SEPARATOR

# Inline styles (st.html keeps them); each kind changes a different property so
# overlapping marks stay readable together.
KIND_STYLES: dict[str, str] = {
    "quote": "background-color:#fff1b8",
    "speaker": "background-color:#cfe8ff;font-weight:600",
    "cue": "font-style:italic;text-decoration:underline dotted",
    "person": "border-bottom:2px solid #1c6dd0",
    "place": "border-bottom:2px solid #2b8a3e",
    "org": "border-bottom:2px dashed #868e96",
    "match": "background-color:#ffd8a8;outline:1px solid #e8590c",
}
KIND_NAMES = {
    "quote": "quote",
    "speaker": "speaker",
    "cue": "cue",
    "person": "person",
    "place": "place",
    "org": "organisation",
    "match": "search match",
}
PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")
# Where Markdown would start a link of its own: "scheme:/", "www." and "x@".
AUTOLINK_TRIGGERS = re.compile(r":/|(?<![^\W_])www\.|\w@", re.IGNORECASE)
WORD_JOINER = "\u2060"


@dataclass(frozen=True, slots=True)
class Mark:
    """A stretch of text to highlight: offsets into the text it is applied to."""

    start: int
    end: int
    kind: str  # a key of KIND_STYLES
    label: str | None = None  # shown on hover (canonical name, speaker, ...)


def entity_kind(label: str, country: str | None = None) -> str | None:
    """The highlight kind of a spaCy entity label, None for labels not shown."""
    if label == "PERSON":
        return "person"
    if label in PLACE_LABELS or country:
        return "place"
    if label == "ORG":
        return "org"
    return None


def highlight_html(text: str, marks: Iterable[Mark]) -> str:
    """``text`` escaped, with each marked stretch wrapped in a styled span."""
    usable = [m for m in marks if m.kind in KIND_STYLES and 0 <= m.start < m.end]
    cuts = sorted({0, len(text)} | {min(p, len(text)) for m in usable for p in (m.start, m.end)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        if start >= end:
            continue
        chunk = html.escape(text[start:end], quote=True)
        over = [m for m in usable if m.start <= start and end <= m.end]
        pieces.append(_wrap(chunk, over) if over else chunk)
    return "".join(pieces)


def _wrap(chunk: str, marks: Sequence[Mark]) -> str:
    kinds = list(dict.fromkeys(m.kind for m in marks))
    style = ";".join(KIND_STYLES[k] for k in kinds)
    titles = [f"{KIND_NAMES[m.kind]}: {m.label}" if m.label else KIND_NAMES[m.kind] for m in marks]
    title = html.escape(" | ".join(dict.fromkeys(titles)), quote=True)
    classes = " ".join(f"hl-{k}" for k in kinds)
    return f'<span class="{classes}" style="{style}" title="{title}">{chunk}</span>'


def paragraphs_html(
    paragraphs: Sequence[str], marks: Iterable[Mark], *, first_offset: int = 0
) -> str:
    """Paragraphs (joined by PARAGRAPH_SEPARATOR in the story text) as escaped ``<p>`` blocks.

    ``marks`` are offsets into the story text; ``first_offset`` is where the first
    of ``paragraphs`` starts in it (non-zero when showing a passage).
    """
    marks = list(marks)
    blocks = []
    position = first_offset
    for paragraph in paragraphs:
        end = position + len(paragraph)
        local = [
            Mark(max(m.start, position) - position, min(m.end, end) - position, m.kind, m.label)
            for m in marks
            if m.start < end and m.end > position
        ]
        body = highlight_html(paragraph, local).replace("\n", "<br>")
        blocks.append(f'<p style="line-height:1.7;margin:0 0 0.9em 0">{body}</p>')
        position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return "\n".join(blocks)


STORY_KINDS = tuple(kind for kind in KIND_STYLES if kind != "match")  # what a story marks


def legend_html(kinds: Iterable[str] = STORY_KINDS) -> str:
    return " ".join(
        f'<span style="{KIND_STYLES[k]};padding:0 4px">{html.escape(KIND_NAMES[k])}</span>'
        for k in kinds
    )


def escape_markdown(text: str) -> str:
    """Text shown through Markdown (headlines, labels) without it becoming markup or links.

    Escaping is not enough for links: Streamlit links bare URLs, "www." and e-mail
    addresses even when their characters are escaped, so an invisible word joiner breaks
    each such trigger.
    """
    unlinked = AUTOLINK_TRIGGERS.sub(lambda m: m[0][:-1] + WORD_JOINER + m[0][-1], text or "")
    return MARKDOWN_SPECIALS.sub(r"\\\1", unlinked).replace("\n", " ")


def plotly_text(text: str) -> str:
    """A name shown in a plotly chart as text: plotly renders tags such as <a href> and <b>
    in labels and hover boxes, and shows entities like &lt; as the character."""
    return html.escape(text or "", quote=False)


MAX_SEARCH_WORDS = 8  # words of a search that must all appear; more are dropped


def search_words(text: str) -> list[str]:
    """The words of a search, lowercased, each once, at most ``MAX_SEARCH_WORDS``; a
    phrase in double quotes is one word ("prime minister")."""
    found = re.findall(r'"([^"]+)"|(\S+)', text or "")
    words = [(phrase or word.strip('"')).strip().lower() for phrase, word in found]
    return list(dict.fromkeys(w for w in words if w))[:MAX_SEARCH_WORDS]


def match_marks(text: str, words: Sequence[str]) -> list[Mark]:
    """Where each word occurs in ``text``, case-insensitively, as "match" marks."""
    marks = []
    for word in words:
        for found in re.finditer(re.escape(word), text or "", flags=re.IGNORECASE):
            marks.append(Mark(found.start(), found.end(), "match"))
    return sorted(marks, key=lambda mark: (mark.start, mark.end))


def snippet_html(text: str, words: Sequence[str], *, width: int = 240) -> str:
    """About ``width`` characters of ``text`` around its first match, escaped, every match
    in it marked; "..." where the text is cut. The start when nothing matches."""
    marks = match_marks(text, words)
    centre = marks[0].start if marks else 0
    start = max(0, min(centre - width // 3, len(text) - width))
    end = min(len(text), start + width)
    if start > 0:  # whole words at the edges
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    local = [Mark(m.start - start, m.end - start, m.kind) for m in marks
             if m.start >= start and m.end <= end]
    body = highlight_html(text[start:end], local)
    return ("... " if start > 0 else "") + body + (" ..." if end < len(text) else "")
