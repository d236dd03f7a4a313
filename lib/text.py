"""Words for counts in captions and titles: "1 quote", "2 quotes", "1 story", "3 stories"."""

from __future__ import annotations

# Plurals that are not the noun plus "s".
IRREGULAR_PLURALS = {"person": "people"}
CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")


def plural(noun: str) -> str:
    """The English plural of a noun the dashboard counts ("story" -> "stories")."""
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if len(noun) > 1 and noun.endswith("y") and noun[-2] in CONSONANTS:
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def counted(count: int, noun: str, plural_form: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one: "1 quote", "1,200 quotes"."""
    word = noun if count == 1 else (plural_form or plural(noun))
    return f"{count:,} {word}"
