"""Places and nationalities -> countries (lib.countries): table-driven, with negatives."""

from __future__ import annotations

import pytest

from lib.countries import (
    country_by_code,
    country_for,
    country_of_demonym,
    country_of_name,
    is_known_place,
    normalize_name,
)

COUNTRY_OF_MENTION = [
    # a town's own name beats another city's old name (Dayton, Ohio was once "Venice")
    ("Venice", "GPE", "Italy"),
    # country names, as people write them
    ("Russia", "GPE", "Russia"),
    ("the UK", "GPE", "United Kingdom"),
    ("Britain", "GPE", "United Kingdom"),
    ("Great Britain", "GPE", "United Kingdom"),
    ("The United States", "GPE", "United States"),
    ("US", "GPE", "United States"),
    ("America", "GPE", "United States"),
    ("Russian Federation", "GPE", "Russia"),
    ("Korea, Republic of", "GPE", "South Korea"),
    ("South Korea", "GPE", "South Korea"),
    ("Holland", "GPE", "Netherlands"),
    ("Côte d'Ivoire", "GPE", "Ivory Coast"),
    ("Ukraine's", "GPE", "Ukraine"),
    # nationalities and demonyms
    ("French", "NORP", "France"),
    ("Russian", "NORP", "Russia"),
    ("Ukrainian", "NORP", "Ukraine"),
    ("British", "NORP", "United Kingdom"),
    ("Swiss", "NORP", "Switzerland"),
    ("American", "NORP", "United States"),
    ("Russians", "NORP", "Russia"),
    ("Frenchmen", "NORP", "France"),
    ("Britons", "NORP", "United Kingdom"),
    ("Scottish", "NORP", "United Kingdom"),
    ("Ukrainian", "GPE", "Ukraine"),  # the small model tags it GPE
    # cities and regions
    ("Kyiv", "GPE", "Ukraine"),
    ("Kiev", "GPE", "Ukraine"),
    ("Kharkiv", "GPE", "Ukraine"),
    ("Zaporizhzhia", "GPE", "Ukraine"),
    ("Dnipropetrovsk", "GPE", "Ukraine"),
    ("Kharkiv region", "GPE", "Ukraine"),
    ("Paris", "GPE", "France"),  # not Paris, Texas
    ("Moscow", "GPE", "Russia"),  # not Moscow, Idaho
    ("Texas", "GPE", "United States"),
    ("Scotland", "GPE", "United Kingdom"),
    ("Victoria", "GPE", "Australia"),  # the state before Hong Kong's district
    ("Santiago", "GPE", "Chile"),  # the capital before a Dominican province
    ("Manchester", "GPE", "United Kingdom"),  # city and district, not Jamaica's parish
    ("Valencia", "GPE", "Spain"),  # city and province, not Venezuela's bigger city
]

NO_COUNTRY = [
    ("Africa", "LOC"),  # continents are no country, whatever old town names say
    ("the Middle East", "LOC"),
    ("European", "NORP"),
    ("Western", "NORP"),
    ("pro-Ukraine Western", "NORP"),
    ("Muslim", "NORP"),
    ("Republicans", "NORP"),
    ("Europe", "LOC"),
    ("the North", "LOC"),  # a region of Cameroon is called "North"
    ("Central", "GPE"),  # and one of Botswana "Central"
    ("French", "ORG"),  # only places and nationalities get a country
    ("Paris", "PERSON"),
    ("Latest Ukraine", "GPE"),  # not a name as a whole (entities shrinks the span)
]


@pytest.mark.parametrize(("text", "label", "expected"), COUNTRY_OF_MENTION)
def test_country_of_mention(text, label, expected):
    country = country_for(text, label)
    assert country is not None and country.name == expected


@pytest.mark.parametrize(("text", "label"), NO_COUNTRY)
def test_no_country(text, label):
    assert country_for(text, label) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [("Russia", "RUS"), ("United Kingdom", "GBR"), ("United States", "USA"), ("France", "FRA"),
     ("Ukraine", "UKR"), ("Switzerland", "CHE"), ("South Korea", "KOR")],
)
def test_codes_are_iso_alpha3(name, code):
    assert country_of_name(name).code == code
    assert country_by_code(code).name == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Kyiv", True), ("Zaporizhzhia", True), ("Paris", True), ("Ukraine", True),
     # small towns are not trusted to overrule the tagger; nor lowercase words
     ("Obama", False), ("Zelensky", False), ("Vinatier", False), ("paris", False),
     ("Western", False)],
)
def test_is_known_place(text, expected):
    assert is_known_place(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("the United States", "united states"), ("Ukraine’s", "ukraine"),
     ("Zaporizhzhia", "zaporizhzhia"), ("  Côte  d'Ivoire ", "cote d'ivoire")],
)
def test_normalize_name(text, expected):
    assert normalize_name(text) == expected


def test_demonym_is_not_a_country_name():
    assert country_of_demonym("France") is None
    assert country_of_name("French") is None
