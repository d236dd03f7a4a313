"""A link's ``?person=``/``?country=`` values read as the names the corpus uses.

Links are typed, pasted and shortened by people: "rafael teixeira", "RAFAEL TEIXEIRA",
"Rafael Teixeíra" and "Teixeira" all mean Rafael Teixeira when he is the only person
the corpus names so. A value is read, in this order, as
1. a name of the corpus, exactly;
2. a name spelled the same but for case and accents;
3. what the corpus counts it as: a bare surname linked to a full name ("Blair" -> Tony
   Blair, ``lib.query.person_aliases``), another name of a country or a nationality
   ("FRANCE", "French" -> France);
4. for people, a name that holds it as whole words ("Teixeira", "Rafael").
A value that several names fit equally is never picked for the visitor: it is reported
with the names it could be. Nothing here knows about Streamlit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from lib.countries import country_of_demonym, country_of_name

MAX_URL_VALUE = 200  # a longer query value is malformed, not a name
WORD = re.compile(r"\w+")


def name_words(text: str) -> tuple[str, ...]:
    """A name's words without case or accents: "Teixeíra-Lopes" -> ("teixeira", "lopes")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(WORD.findall(plain.casefold()))


def holds_words(name: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` is whole consecutive words of ``name``."""
    size = len(part)
    return 0 < size <= len(name) and any(
        name[start:start + size] == part for start in range(len(name) - size + 1))


def country_named(text: str) -> str | None:
    """The country another spelling of its name or a nationality names: "French" -> France."""
    country = country_of_name(text) or country_of_demonym(text)
    return country.name if country else None


@dataclass(frozen=True)
class LinkNames:
    """What a link's values for one filter name in the corpus."""

    selected: tuple[str, ...] = ()  # the corpus's names, in the link's order, each once
    # a value spelled otherwise than the corpus spells its name -> that name
    read_as: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # -> names it fits
    ignored: tuple[str, ...] = ()  # values naming nothing in the corpus (cut to MAX_URL_VALUE)

    @property
    def guessed(self) -> dict[str, str]:
        """The values read as another name, not just another spelling ("Teixeira"): the
        ones a visitor is told about."""
        return {value: name for value, name in self.read_as.items()
                if name_words(value) != name_words(name)}


class _NameIndex:
    """The options by their words, built only when a value is not spelled exactly."""

    def __init__(self, options: list[str], aliases: Mapping[str, str]):
        self.words = [(name_words(option), option) for option in options]
        self.by_words: dict[tuple[str, ...], list[str]] = {}
        for words, option in self.words:
            self.by_words.setdefault(words, []).append(option)
        allowed = set(options)
        self.aliases = {name_words(alias): name for alias, name in aliases.items()
                        if name in allowed}

    def holding(self, words: tuple[str, ...]) -> list[str]:
        return [option for name, option in self.words if holds_words(name, words)]


def match_names(
    values: Iterable[str],
    options: Iterable[str],
    *,
    aliases: Mapping[str, str] | None = None,
    other_name: Callable[[str], str | None] | None = None,
    by_part: bool = False,
) -> LinkNames:
    """Read URL values as names among ``options`` (the filter's choices, most mentioned
    first): exactly, then loosely (see the module's docstring). ``aliases``: alias -> the
    name it counts as; ``other_name``: another lookup (``country_named``); ``by_part``:
    a value may be whole words of one name."""
    options = list(dict.fromkeys(options))
    exact = set(options)
    index: _NameIndex | None = None
    selected: list[str] = []
    read_as: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    ignored: list[str] = []
    for value in values:
        value = value if isinstance(value, str) else str(value)
        if len(value) > MAX_URL_VALUE:
            ignored.append(value[:MAX_URL_VALUE])
            continue
        if value in exact:
            names = [value]
        else:
            index = index or _NameIndex(options, aliases or {})
            names = _loose_names(value, index, exact, other_name, by_part)
        if len(names) == 1:
            if names[0] != value:
                read_as[value] = names[0]
            if names[0] not in selected:
                selected.append(names[0])
        elif names:
            ambiguous[value] = tuple(names)
        else:
            ignored.append(value)
    return LinkNames(tuple(selected), read_as, ambiguous, tuple(ignored))


def _loose_names(value: str, index: _NameIndex, exact: set[str],
                 other_name: Callable[[str], str | None] | None, by_part: bool) -> list[str]:
    """The names a value not spelled as any of them may mean: one, several, or none."""
    words = name_words(value)
    if not words:
        return []
    if words in index.by_words:
        return index.by_words[words]
    if words in index.aliases:
        return [index.aliases[words]]
    if other_name is not None:
        other = other_name(value)
        if other in exact:
            return [other]
    return index.holding(words) if by_part else []
