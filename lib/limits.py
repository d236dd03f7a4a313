"""What one input may cost: every cap of the library, in one place.

The parse is linear in most things but not all (spaCy's memory grows with a
story's length, several quote rules look across the whole story), and the
hosted dashboard parses strangers' uploads in its own process. So an input a
real news page never resembles is refused with a one-line reason before it is
parsed. A long feature is under 100,000 characters and 1,000 paragraphs: every
cap below is several times that.
"""

from __future__ import annotations

import os

MEGABYTE = 1024 * 1024  # Streamlit's unit: `maxUploadSize = 20` is 20 * 1024 * 1024 bytes
# One file, page or paste as read (the dashboard's upload cap is the same: .streamlit/config.toml).
MAX_SOURCE_BYTES = int(os.environ.get("NEWS_MAX_SOURCE_BYTES", 20 * MEGABYTE))
# One document's text once decoded (HTML: the extracted article): twice a long
# feature, well under spaCy's own limit of 1,000,000 characters per story.
MAX_DOCUMENT_CHARS = 200_000
# spaCy tokens of one document (words and punctuation), counted only for a text
# longer than this: the parser's memory grows ~15 kB per token of a story, so this
# keeps a parse under 1 GB. A 100,000-character feature has ~20,000 tokens.
MAX_DOCUMENT_TOKENS = 40_000
# Non-blank lines of one document's text: each line is a paragraph, a caption or a
# headline; 100,000 tiny ones took gigabytes before this cap.
MAX_PARAGRAPHS = 2_000
# One whitespace-free run of characters: a long URL is ~2,000.
MAX_WORD_CHARS = 10_000
# Tags ("<") of one HTML page, counted before extraction, set generously (no saved-HTML
# news corpus to measure here): 100,000 tiny <p> tags cost trafilatura ~30 s before the
# text cap could act.
MAX_HTML_TAGS = 100_000
# Double quote marks in one document: a quote-heavy long feature has a few hundred.
MAX_QUOTE_MARKS = 5_000
# Files (or pastes and URLs) one dashboard submit may add; each is parsed in the
# dashboard's process.
MAX_FILES_PER_SUBMIT = 50
# URLs of one submit: each is fetched (up to its deadline) while the visitor waits.
MAX_URLS_PER_SUBMIT = 20

QUOTE_MARKS = "“„«”»\""  # the double marks the quote rules pair (lib/quotes/lexicon.py)


def size_text(size: int) -> str:
    """Bytes in the unit the caps are stated in: "20 MB", "20.5 MB", "312.0 kB"."""
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.1f}".removesuffix(".0") + " MB"
    return f"{size / 1024:.1f} kB" if size >= 1024 else f"{size} bytes"


def too_large(size: int, limit: int = MAX_SOURCE_BYTES) -> str:
    return f"too large ({size_text(size)}, over the {size_text(limit)} limit)"


def text_limit_error(text: str) -> str | None:
    """Why a document's text is refused before parsing, or None: each check is one
    linear pass, the cheapest first, so an absurd input costs no more than reading it."""
    if len(text) > MAX_DOCUMENT_CHARS:
        return (f"text too long ({len(text):,} characters, over the "
                f"{MAX_DOCUMENT_CHARS:,}-character limit)")
    marks = sum(text.count(mark) for mark in QUOTE_MARKS)
    if marks > MAX_QUOTE_MARKS:
        return f"too many quote marks ({marks:,}, over the limit of {MAX_QUOTE_MARKS:,})"
    lines = text.count("\n") + 1
    if lines > MAX_PARAGRAPHS:  # count the non-blank ones only when it could matter
        lines = sum(1 for line in text.split("\n") if line.strip())
        if lines > MAX_PARAGRAPHS:
            return (f"too many paragraphs ({lines:,} lines of text, over the limit of "
                    f"{MAX_PARAGRAPHS:,})")
    longest = max(map(len, text.split()), default=0)
    if longest > MAX_WORD_CHARS:
        return (f"a word of {longest:,} characters without a space (the limit is "
                f"{MAX_WORD_CHARS:,})")
    return None


def markup_limit_error(html: bytes) -> str | None:
    """Why a raw HTML page is refused before its text is extracted, or None."""
    tags = html.count(b"<")
    if tags > MAX_HTML_TAGS:
        return f"too much markup ({tags:,} tags, over the limit of {MAX_HTML_TAGS:,})"
    return None


def token_limit_error(token_count: int) -> str | None:
    if token_count > MAX_DOCUMENT_TOKENS:
        return (f"too many words and marks ({token_count:,} tokens, over the limit of "
                f"{MAX_DOCUMENT_TOKENS:,})")
    return None


def files_per_submit_error(count: int, urls: int = 0) -> str | None:
    """Why one dashboard submit of ``count`` inputs (``urls`` of them URLs) is refused, or
    None. Checked before any file is read or any URL fetched."""
    if count > MAX_FILES_PER_SUBMIT:
        return f"{count} files at once: at most {MAX_FILES_PER_SUBMIT} per submit"
    if urls > MAX_URLS_PER_SUBMIT:
        return f"{urls} URLs at once: at most {MAX_URLS_PER_SUBMIT} per submit"
    return None
