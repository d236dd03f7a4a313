"""Caps on what one input may cost, and a parse that fails one document at a time."""

from __future__ import annotations

import pytest

from lib import limits
from lib.limits import files_per_submit_error, text_limit_error, too_large
from lib.model import ParsedDocument, SourceDocument, SourceError, one_line
from lib.pipeline import parse_documents
from lib.sources import content_hash, decode_text, is_binary, read_file

ARTICLE = """Council approves new bridge

The city council voted on Tuesday to build a new bridge across the river, ending a debate.

"This bridge will join two halves of the city," mayor Lena Hartmann told reporters.
"""


def document(name: str, text: str) -> SourceDocument:
    return SourceDocument(name, text, content_hash(text))


@pytest.mark.parametrize(("text", "reason"), [
    ("x" * (limits.MAX_DOCUMENT_CHARS + 1), "text too long"),
    ("a.\n\n" * (limits.MAX_PARAGRAPHS + 1), "too many paragraphs"),
    ("a\n" * (limits.MAX_PARAGRAPHS + 1), "too many paragraphs"),
    ("word " + "y" * (limits.MAX_WORD_CHARS + 1), "a word of"),
    ('"' * (limits.MAX_QUOTE_MARKS + 1), "too many quote marks"),
    ("“„«”»" * (limits.MAX_QUOTE_MARKS // 5 + 1), "too many quote marks"),
])
def test_absurd_texts_are_refused(text, reason):
    assert text_limit_error(text).startswith(reason)


@pytest.mark.parametrize("text", [
    ARTICLE,
    ARTICLE * 300,  # ~60,000 characters, 900 paragraphs: a long feature
    "a\n\n" * limits.MAX_PARAGRAPHS,  # blank lines do not count
    "see https://example.com/" + "p" * 2000,  # a long URL
])
def test_real_pages_pass(text):
    assert text_limit_error(text) is None


def test_an_html_page_of_absurd_markup_is_refused_before_extraction(tmp_path, monkeypatch):
    page = tmp_path / "tags.html"
    page.write_bytes(b"<html><body>" + b"<p>a</p>" * 100_000 + b"</body></html>")
    import trafilatura

    def never(*args, **kwargs):
        raise AssertionError("extraction ran")

    monkeypatch.setattr(trafilatura, "bare_extraction", never)
    result = read_file(str(page))
    assert isinstance(result, SourceError)
    assert result.reason == "too much markup (200,004 tags, over the limit of 100,000)"


def test_a_real_html_page_is_not_too_much_markup():
    body = "".join(f"<div class='c'><p>{ARTICLE}</p><a href='/x'>link</a></div>"
                   for _ in range(5_000)).encode()
    assert limits.markup_limit_error(b"<html><body>" + body + b"</body></html>") is None


def test_quote_marks_counted_are_those_the_quote_rules_pair():
    from lib.quotes.lexicon import DOUBLE_MARKS

    assert sorted(limits.QUOTE_MARKS) == sorted(DOUBLE_MARKS)


def test_size_limit_reads_as_the_readme_says():
    assert too_large(50 * limits.MEGABYTE, 20 * limits.MEGABYTE) == (
        "too large (50 MB, over the 20 MB limit)")
    assert too_large(22_000_000) == "too large (21 MB, over the 20 MB limit)"
    assert too_large(20 * limits.MEGABYTE + 300_000) == "too large (20.3 MB, over the 20 MB limit)"


def test_files_per_submit():
    assert files_per_submit_error(limits.MAX_FILES_PER_SUBMIT) is None
    assert files_per_submit_error(1000) == (
        f"1000 files at once: at most {limits.MAX_FILES_PER_SUBMIT} per submit")
    assert files_per_submit_error(limits.MAX_URLS_PER_SUBMIT, urls=limits.MAX_URLS_PER_SUBMIT) \
        is None
    assert files_per_submit_error(30, urls=30) == (
        f"30 URLs at once: at most {limits.MAX_URLS_PER_SUBMIT} per submit")


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text(tmp_path, encoding):
    text = "Zürich said “yes” on Monday.\n\nThe talks 😀 resume."
    data = text.encode(encoding)
    assert not is_binary(data)
    assert decode_text(data) == text
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    assert read_file(str(path)).text == text


def test_utf32_with_a_bom_is_text():
    text = "Zürich said yes."
    assert not is_binary(text.encode("utf-32"))
    assert decode_text(text.encode("utf-32")) == text


def test_nul_bytes_at_random_places_are_still_binary():
    assert is_binary(b"\x00\x01\x02\x00\x00\x07" * 500)
    assert is_binary(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def test_a_fifo_is_not_a_regular_file(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert read_file(str(fifo)) == SourceError(str(fifo), "not a regular file")


def test_one_line_escapes_what_would_break_a_line_or_utf8():
    assert one_line("plain café.txt") == "plain café.txt"
    assert one_line("new\nline\r\t.txt") == "new\\nline\\r\\t.txt"
    assert one_line("caf\udce9.txt") == "caf\\xe9.txt"  # os.fsdecode(b"caf\xe9.txt")
    assert one_line("a\u2028b\x85") == "a\\u2028b\\x85"
    assert str(SourceError("new\nline.txt", "bad\nreason")) == (
        "error: new\\nline.txt: bad\\nreason")


# --------------------------------------------------------------------------- parse


def test_a_story_over_spacys_limit_fails_alone(nlp, monkeypatch):
    monkeypatch.setattr(nlp, "max_length", 400)
    long_story = "Long story\n\n" + "The talks went on and on. " * 20
    results = list(parse_documents(
        [document("first", ARTICLE), document("long", long_story),
         document("last", ARTICLE.replace("Tuesday", "Friday"))], nlp))
    assert [type(r).__name__ for r in results] == ["ParsedDocument", "SourceError",
                                                   "ParsedDocument"]
    assert results[1].source == "long"
    assert "over the parser's limit of 400" in results[1].reason


class PoisonedPipeline:
    """The real pipeline, but ``pipe`` raises on a batch holding the word POISON."""

    def __init__(self, nlp):
        self.nlp, self.max_length = nlp, nlp.max_length

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        if any("POISON" in text for text in texts):
            raise ValueError("cannot parse this\nsecond line of the message")
        return self.nlp.pipe(texts, **kwargs)


def test_anything_the_pipe_raises_fails_one_document(nlp):
    sources = [document("first", ARTICLE), document("poison", ARTICLE + "\nPOISON here."),
               document("last", ARTICLE.replace("Tuesday", "Friday"))]
    results = list(parse_documents(sources, PoisonedPipeline(nlp)))
    assert [r.source for r in results] == ["first", "poison", "last"]
    assert isinstance(results[0], ParsedDocument) and isinstance(results[2], ParsedDocument)
    assert results[1] == SourceError("poison", "parse failed: ValueError: cannot parse this")


def test_caps_hold_for_documents_made_without_the_readers(nlp):
    flood = document("flood", "a.\n\n" * 40_000)
    (result,) = parse_documents([flood], nlp)
    assert isinstance(result, SourceError) and result.reason.startswith("too many paragraphs")


def test_a_document_of_too_many_tokens_is_refused_before_the_parse(nlp):
    commas = document("commas", "Headline\n\n" + ", " * (limits.MAX_DOCUMENT_TOKENS + 10))
    long_feature = document("feature", ARTICLE * 300)  # ~60,000 characters, ~13,000 tokens
    assert text_limit_error(commas.text) is None  # only the model's tokenizer can tell
    results = list(parse_documents([commas], nlp))
    assert results == [SourceError("commas", f"too many words and marks ("
                                   f"{limits.MAX_DOCUMENT_TOKENS + 10:,} tokens, over the limit "
                                   f"of {limits.MAX_DOCUMENT_TOKENS:,})")]
    assert len(nlp.tokenizer(long_feature.text)) < limits.MAX_DOCUMENT_TOKENS
