"""Counts in words: one thing singular, every other count plural."""

from __future__ import annotations

import pytest

from lib.text import counted, plural


@pytest.mark.parametrize(("noun", "expected"), [
    ("quote", "quotes"),
    ("story", "stories"),
    ("page", "pages"),
    ("speaker", "speakers"),
    ("person", "people"),
    ("day", "days"),  # a vowel before the y: just an s
    ("match", "matches"),
    ("box", "boxes"),
    ("y", "ys"),
])
def test_plural(noun, expected):
    assert plural(noun) == expected


@pytest.mark.parametrize(("count", "noun", "expected"), [
    (1, "quote", "1 quote"),
    (2, "quote", "2 quotes"),
    (0, "quote", "0 quotes"),
    (1, "story", "1 story"),
    (3, "story", "3 stories"),
    (1_200, "quote", "1,200 quotes"),
    (-1, "page", "-1 pages"),
    (1, "person", "1 person"),
    (5, "person", "5 people"),
])
def test_counted(count, noun, expected):
    assert counted(count, noun) == expected


def test_a_given_plural_form_wins():
    assert counted(2, "criterion", "criteria") == "2 criteria"
    assert counted(1, "criterion", "criteria") == "1 criterion"
