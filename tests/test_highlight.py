"""Highlighting builds HTML only from escaped text; marks nest and split correctly."""

from __future__ import annotations

import re

import pytest

from lib.highlight import (
    MAX_SEARCH_WORDS,
    Mark,
    entity_kind,
    escape_markdown,
    highlight_html,
    legend_html,
    match_marks,
    paragraphs_html,
    plotly_text,
    search_words,
    snippet_html,
)

XSS = 'He wrote <script>alert(1)</script> and <img src=x onerror=alert(1)> "here"'
TAG = re.compile(r"<(/?)(\w+)")


def visible_text(markup: str) -> str:
    """The text a browser shows: our tags stripped, entities decoded."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def tags(markup: str) -> set[str]:
    return {name for _, name in TAG.findall(markup)}


@pytest.mark.parametrize(
    "marks",
    [
        [],
        [Mark(3, 8, "person", "<b>x</b>")],
        [Mark(0, len(XSS), "quote", 'x" onmouseover="alert(1)')],
        [Mark(11, 36, "quote"), Mark(19, 27, "place", "<script>")],
    ],
)
def test_article_markup_is_escaped(marks):
    markup = highlight_html(XSS, marks)
    assert "<script" not in markup and "<img" not in markup
    text_only = re.sub(r"<[^>]+>", "", markup)  # our spans removed, escaping kept
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text_only
    assert "&lt;img src=x onerror=alert(1)&gt;" in text_only
    assert tags(markup) <= {"span"}
    assert 'onmouseover="' not in markup  # a label cannot break out of the title attribute
    assert visible_text(markup) == XSS


@pytest.mark.parametrize(
    ("text", "marks", "expected_marked"),
    [
        ("Ana said hi", [Mark(0, 3, "speaker", "Ana Lima")], ["Ana"]),
        ("Ana said hi", [Mark(9, 11, "quote"), Mark(4, 8, "cue")], ["said", "hi"]),
        # overlap: the person inside the quote is one piece carrying both styles
        ('"Tom is late"', [Mark(1, 12, "quote"), Mark(1, 4, "person")], ["Tom", " is late"]),
        # marks beyond the text, empty, reversed or of unknown kind are ignored
        ("short", [Mark(2, 99, "place"), Mark(3, 3, "person"), Mark(4, 2, "quote"),
                   Mark(0, 2, "bogus")], ["ort"]),
    ],
)
def test_marked_pieces(text, marks, expected_marked):
    markup = highlight_html(text, marks)
    assert re.findall(r"<span[^>]*>(.*?)</span>", markup) == expected_marked
    assert visible_text(markup) == text


def test_overlapping_marks_carry_both_styles():
    marks = [Mark(1, 12, "quote"), Mark(1, 4, "person", "Tom Berg")]
    markup = highlight_html('"Tom is late"', marks)
    first = re.search(r'<span class="([^"]+)"[^>]*title="([^"]+)"', markup)
    assert first.group(1) == "hl-quote hl-person"
    assert "person: Tom Berg" in first.group(2)


def test_paragraphs_split_marks_at_paragraph_boundaries():
    paragraphs = ["One <b>", "Two & three"]
    # a quote running from the first paragraph into the second (offsets in the joined text)
    markup = paragraphs_html(paragraphs, [Mark(4, 12, "quote")])
    assert markup.count("<p") == 2
    assert re.findall(r"<span[^>]*>(.*?)</span>", markup) == ["&lt;b&gt;", "Two"]
    assert "&amp; three" in markup


def test_passage_offsets_are_shifted_by_first_offset():
    markup = paragraphs_html(["Second paragraph"], [Mark(13, 19, "quote")], first_offset=13)
    assert re.findall(r"<span[^>]*>(.*?)</span>", markup) == ["Second"]


@pytest.mark.parametrize(
    ("label", "country", "kind"),
    [("PERSON", None, "person"), ("GPE", "France", "place"), ("NORP", "France", "place"),
     ("ORG", None, "org"), ("DATE", None, None), ("ORG", "Kenya", "place")],
)
def test_entity_kind(label, country, kind):
    assert entity_kind(label, country) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[click](javascript:alert(1))", r"\[click\]\(javascript\:alert\(1\)\)"),
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\</script\>"),
        ("*bold* _it_ `code`", r"\*bold\* \_it\_ \`code\`"),
        ("Plain headline", "Plain headline"),
        (None, ""),
        # bare URLs, "www." and e-mail addresses: Streamlit links them even when escaped
        ("https://evil.example/x", "https\\:\u2060//evil\\.example/x"),
        ("see WWW.evil.example", "see WWW\u2060\\.evil\\.example"),
        ("mail bob@evil.example", "mail bob\u2060@evil\\.example"),
        (":red[alarm] $x^2$", r"\:red\[alarm\] \$x^2\$"),
        # no joiner where nothing would be linked
        ("Mr Sawww. 10:30 @home", r"Mr Sawww\. 10\:30 @home"),
    ],
)
def test_escape_markdown(text, expected):
    assert escape_markdown(text) == expected


def test_legend_names_every_kind():
    assert visible_text(legend_html()) == "quote speaker cue person place organisation"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('<a href="https://evil.example">Tony</a>', '&lt;a href="https://evil.example"&gt;Tony&lt;/a&gt;'),
        ("AT&T <b>", "AT&amp;T &lt;b&gt;"),
        ("Tony Blair", "Tony Blair"),
    ],
)
def test_plotly_text(name, expected):
    assert plotly_text(name) == expected


# --------------------------------------------------------------------------- search matches

@pytest.mark.parametrize(("text", "words"), [
    ("Iraq", ["iraq"]),
    ("  prime   MINISTER ", ["prime", "minister"]),
    ('"Prime Minister" said', ["prime minister", "said"]),
    ("war war WAR", ["war"]),  # each word once
    ("", []),
    ('""', []),
    (" ".join(f"w{i}" for i in range(12)), [f"w{i}" for i in range(MAX_SEARCH_WORDS)]),
])
def test_search_words(text, words):
    assert search_words(text) == words


def test_a_snippet_marks_every_match_and_escapes_the_rest():
    text = "Before. " * 40 + "The <b>Prime</b> minister met the prime minister. " + "After. " * 40
    html_out = snippet_html(text, ["prime", "<b>"], width=120)
    assert html_out.startswith("... ") and html_out.endswith(" ...")
    # "<b>" once (the closing tag is "</b>"), "Prime" and "prime": overlapping marks are
    # cut at every boundary, so count the matched texts, not the spans
    assert re.findall(r'class="hl-match"[^>]*>([^<]*)<', html_out) == [
        "&lt;b&gt;", "Prime", "prime"]
    assert "<b>" not in html_out and "&lt;b&gt;" in html_out


@pytest.mark.parametrize(("text", "words", "expected"), [
    ("short text", ["zzz"], "short text"),  # no match: the start, nothing marked
    ("a <i>b</i>", [], "a &lt;i&gt;b&lt;/i&gt;"),
])
def test_a_snippet_without_matches_is_the_escaped_start(text, words, expected):
    assert snippet_html(text, words) == expected


def test_match_marks_are_case_insensitive_and_literal():
    assert [(m.start, m.end) for m in match_marks("Iraq and IRAQ, i.raq", ["iraq"])] == [
        (0, 4), (9, 13)]  # "." is not a wildcard
    assert match_marks("anything", ["a.y"]) == []
