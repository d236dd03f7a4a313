"""A link's names read as the corpus's names: exactly, then without case or accents,
through aliases and other names, then by a unique part; never a guess between several."""

from __future__ import annotations

import pytest

from lib.names import (
    MAX_URL_VALUE,
    LinkNames,
    country_named,
    holds_words,
    match_names,
    name_words,
)

PEOPLE = ["Rafael Teixeira", "Tom Berg", "Ana Lima", "Tony Blair", "Cherie Blair",
          "Marieke de Vos", "José Álvarez"]
ALIASES = {"Berg": "Tom Berg", "Dubois": "Claire Dubois"}  # Claire Dubois is out of scope
COUNTRIES = ["France", "United Kingdom", "Brazil", "Kenya"]


@pytest.mark.parametrize(("text", "words"), [
    ("Rafael Teixeira", ("rafael", "teixeira")),
    ("  RAFAEL   teixeíra ", ("rafael", "teixeira")),
    ("Teixeíra-Lopes", ("teixeira", "lopes")),
    ("José Álvarez", ("jose", "alvarez")),
    ("<script>", ("script",)),
    ("", ()),
    ("-- ..", ()),
])
def test_name_words(text, words):
    assert name_words(text) == words


@pytest.mark.parametrize(("name", "part", "expected"), [
    (("rafael", "teixeira"), ("teixeira",), True),
    (("rafael", "teixeira"), ("rafael", "teixeira"), True),
    (("marieke", "de", "vos"), ("de", "vos"), True),
    (("marieke", "de", "vos"), ("marieke", "vos"), False),  # not consecutive
    (("rafael", "teixeira"), ("teix",), False),  # not a whole word
    (("rafael", "teixeira"), ("teixeira", "rafael"), False),
    (("rafael",), ("rafael", "teixeira"), False),
    (("rafael", "teixeira"), (), False),
])
def test_holds_words(name, part, expected):
    assert holds_words(name, part) is expected


@pytest.mark.parametrize(("values", "selected", "read_as"), [
    (["Rafael Teixeira"], ["Rafael Teixeira"], {}),
    (["rafael teixeira"], ["Rafael Teixeira"], {"rafael teixeira": "Rafael Teixeira"}),
    (["RAFAEL TEIXEIRA"], ["Rafael Teixeira"], {"RAFAEL TEIXEIRA": "Rafael Teixeira"}),
    (["Rafael Teixeíra"], ["Rafael Teixeira"], {"Rafael Teixeíra": "Rafael Teixeira"}),
    (["Teixeira"], ["Rafael Teixeira"], {"Teixeira": "Rafael Teixeira"}),
    (["rafael"], ["Rafael Teixeira"], {"rafael": "Rafael Teixeira"}),
    (["jose alvarez"], ["José Álvarez"], {"jose alvarez": "José Álvarez"}),
    (["de vos"], ["Marieke de Vos"], {"de vos": "Marieke de Vos"}),
    (["Berg"], ["Tom Berg"], {"Berg": "Tom Berg"}),  # an alias of the corpus
    # one name once, in the link's order, however many ways the link spells it
    (["Tom Berg", "teixeira", "Rafael Teixeira", "tom berg"], ["Tom Berg", "Rafael Teixeira"],
     {"teixeira": "Rafael Teixeira", "tom berg": "Tom Berg"}),
    ([], [], {}),
])
def test_people_are_read_loosely(values, selected, read_as):
    names = match_names(values, PEOPLE, aliases=ALIASES, by_part=True)
    assert names == LinkNames(tuple(selected), read_as)


@pytest.mark.parametrize(("values", "ignored"), [
    (["Nobody"], ["Nobody"]),
    (["Teix"], ["Teix"]),  # part of a word is not a name
    (["Teixeira Rafael"], ["Teixeira Rafael"]),
    (["Dubois"], ["Dubois"]),  # an alias of someone not in scope
    (["", "<script>", " "], ["", "<script>", " "]),
    (["x" * 5000], ["x" * MAX_URL_VALUE]),
    (["Rafael Teixeira" + " " * MAX_URL_VALUE], ["Rafael Teixeira" + " " * (MAX_URL_VALUE - 15)]),
])
def test_values_naming_no_one_are_ignored(values, ignored):
    names = match_names(values, PEOPLE, aliases=ALIASES, by_part=True)
    assert names == LinkNames(ignored=tuple(ignored))


@pytest.mark.parametrize(("value", "could_be"), [
    ("Blair", ("Tony Blair", "Cherie Blair")),  # two people share the surname
    ("blair", ("Tony Blair", "Cherie Blair")),
    ("T", ()),  # no name holds the word "t" whole
])
def test_a_value_several_names_fit_is_not_picked(value, could_be):
    names = match_names([value, "Ana Lima"], PEOPLE, aliases=ALIASES, by_part=True)
    assert names.selected == ("Ana Lima",) and not names.read_as
    assert names.ambiguous == ({value: could_be} if could_be else {})
    assert names.ignored == (() if could_be else (value,))


def test_an_alias_of_the_corpus_outranks_a_shared_part():
    names = match_names(["Blair"], PEOPLE, aliases={"Blair": "Tony Blair"}, by_part=True)
    assert names.selected == ("Tony Blair",) and not names.ambiguous


def test_spellings_that_differ_only_in_accents_are_not_guessed_between():
    names = match_names(["muller"], ["Jonas Müller", "Jonas Muller", "Müller"], by_part=True)
    assert names.ambiguous == {} and names.selected == ("Müller",)
    both = match_names(["jonas muller"], ["Jonas Müller", "Jonas Muller"], by_part=True)
    assert both.ambiguous == {"jonas muller": ("Jonas Müller", "Jonas Muller")}


def test_parts_are_only_read_for_people():
    names = match_names(["Teixeira"], PEOPLE)
    assert names.ignored == ("Teixeira",) and not names.selected


@pytest.mark.parametrize(("values", "selected", "ignored"), [
    (["France"], ["France"], []),
    (["france", "FRANCE"], ["France"], []),
    (["French"], ["France"], []),  # a nationality
    (["the UK", "Britain"], ["United Kingdom"], []),  # the gazetteer's other names
    (["Brazilian"], ["Brazil"], []),
    (["Norway"], [], ["Norway"]),  # a country, but not one of the corpus
    (["Norwegian"], [], ["Norwegian"]),
    (["Fr"], [], ["Fr"]),
    (["Kingdom"], [], ["Kingdom"]),  # no parts for countries
])
def test_countries_are_read_by_their_other_names(values, selected, ignored):
    names = match_names(values, COUNTRIES, other_name=country_named)
    assert names.selected == tuple(selected) and names.ignored == tuple(ignored)


@pytest.mark.parametrize(("values", "guessed"), [
    (["rafael teixeira", "RAFAEL TEIXEIRA", "Rafael Teixeíra"], {}),  # the same name
    (["Teixeira"], {"Teixeira": "Rafael Teixeira"}),
    (["Berg", "tom berg"], {"Berg": "Tom Berg"}),
    (["Tom Berg"], {}),
])
def test_a_visitor_is_told_of_guessed_names_only(values, guessed):
    assert match_names(values, PEOPLE, aliases=ALIASES, by_part=True).guessed == guessed


@pytest.mark.parametrize(("text", "country"), [
    ("French", "France"), ("france", "France"), ("The UK", "United Kingdom"),
    ("Teixeira", None), ("", None),
])
def test_country_named(text, country):
    assert country_named(text) == country
