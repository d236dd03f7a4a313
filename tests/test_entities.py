"""Canonical entities (lib.entities).

The rules are tested on Docs whose entities we set by hand (a blank tokenizer,
no model), so each case states exactly what the tagger said; the reference page
is then run through the real model.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from lib.entities import clean_name, extract_entities, person_name
from lib.model import Entity

BLANK = spacy.blank("en")


def tagged(text: str, *ents: tuple[str, str]) -> Doc:
    """A Doc of text with the given (substring, label) entities, found left to right."""
    doc = BLANK(text)
    spans, position = [], 0
    for substring, label in ents:
        start = text.index(substring, position)
        span = doc.char_span(start, start + len(substring), label=label)
        assert span is not None, substring
        spans.append(span)
        position = start + len(substring)
    doc.ents = spans
    return doc


def canonicals(entities: list[Entity], label: str) -> list[str]:
    return [e.canonical for e in entities if e.label == label]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("President Emmanuel Macron", "Emmanuel Macron"),
        ("France's President Emmanuel Macron", "Emmanuel Macron"),
        ("Deputy Prime Minister Oleksiy Kuleba", "Oleksiy Kuleba"),
        ("Foreign Minister Jean-Noel Barrot", "Jean-Noel Barrot"),
        ("former President Donald Trump", "Donald Trump"),
        ("Mr. Zelensky", "Zelensky"),
        ("Health Secretary Wes Streeting", "Wes Streeting"),
        ("Trump's", "Trump"),
        ("Keir\n\nStarmer", "Keir Starmer"),
        # descriptions before the name
        ("Broadcaster Chris Evans", "Chris Evans"),
        ("Labour leader Tony Blair", "Tony Blair"),
        ("Tory Liam Fox", "Liam Fox"),  # a party before the name
        ("Lib Dem Norman Baker", "Norman Baker"),
        ("German Gref", "German Gref"),  # a given name that is also a nationality
        ("Swedish trades union official Ulf Carlsson", "Ulf Carlsson"),
        # negatives: names that start like titles, or are only a title
        ("Major", "Major"),
        ("John Major", "John Major"),
        ("Prime Minister", "Prime Minister"),
        ("Marshall Mathers", "Marshall Mathers"),
        ("Generalova", "Generalova"),
        ("Star Wars", "Star Wars"),
        ("Jan van der Berg", "Jan van der Berg"),
        ("Mary Queen of Scots", "Mary Queen of Scots"),
        ("Mohammed bin Rashid Al Maktoum", "Mohammed bin Rashid Al Maktoum"),
        ("Maria da Graca Foster", "Maria da Graca Foster"),
    ],
)
def test_person_name(text, expected):
    assert person_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("the Russian Armed Forces", "Russian Armed Forces"), ("NATO's", "NATO"),
     ("The  Foreign\nMinistry", "Foreign Ministry"), ("Theresa", "Theresa"), ("BBC", "BBC")],
)
def test_clean_name(text, expected):
    assert clean_name(text) == expected


def test_surname_and_title_resolve_to_full_name_across_stories():
    first = tagged(
        "President Anna Kowalska met the press. Ms Kowalska said she was pleased.",
        ("Anna Kowalska", "PERSON"), ("Kowalska", "PERSON"),
    )
    second = tagged("Later, Kowalska left for Warsaw.", ("Kowalska", "PERSON"), ("Warsaw", "GPE"))
    entities = extract_entities([first, second])
    assert canonicals(entities[0], "PERSON") == ["Anna Kowalska", "Anna Kowalska"]
    assert canonicals(entities[1], "PERSON") == ["Anna Kowalska"]
    assert [(e.canonical, e.country, e.country_code) for e in entities[1] if e.label == "GPE"] == [
        ("Warsaw", "Poland", "POL")
    ]


def test_offsets_point_at_the_mention():
    doc = tagged("He met Mr Tomasz Nowak in Kyiv.", ("Mr Tomasz Nowak", "PERSON"), ("Kyiv", "GPE"))
    for entity in extract_entities([doc])[0]:
        assert doc.text[entity.start:entity.end] == entity.text
    assert canonicals(extract_entities([doc])[0], "PERSON") == ["Tomasz Nowak"]


def test_shared_surname_stays_as_written():
    doc = tagged(
        "Hillary Clinton and Bill Clinton arrived. Clinton spoke first.",
        ("Hillary Clinton", "PERSON"), ("Bill Clinton", "PERSON"), ("Clinton", "PERSON"),
    )
    assert canonicals(extract_entities([doc])[0], "PERSON")[-1] == "Clinton"


def test_own_story_wins_over_the_document():
    first = tagged("Maria Silva spoke.", ("Maria Silva", "PERSON"))
    second = tagged(
        "Pedro Silva scored twice. Silva was delighted.",
        ("Pedro Silva", "PERSON"), ("Silva", "PERSON"),
    )
    assert canonicals(extract_entities([first, second])[1], "PERSON") == ["Pedro Silva"] * 2


def test_full_name_from_captions_resolves_a_surname():
    doc = tagged("Mr Horvath said talks would go on.", ("Horvath", "PERSON"))
    caption = "Hungary's Foreign Minister Peter Horvath at the summit"
    assert canonicals(extract_entities([doc], context=[caption])[0], "PERSON") == ["Peter Horvath"]
    # a place or a title right before the surname is not a given name
    misleading = "In Budapest Horvath waved; Minister Horvath smiled"
    assert canonicals(extract_entities([doc], context=[misleading])[0], "PERSON") == ["Horvath"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the full name written with another capitalisation of a mixed-case surname
        ("Stars including Leonardo diCaprio came. DiCaprio said so.", "Leonardo DiCaprio"),
        # negative: a plain surname never matches a lower-case word ("Brown may" is no May)
        ("Gordon Brown may go. May said so.", "May"),
    ],
)
def test_full_name_written_in_another_case(text, expected):
    surname = text.split(". ")[1].split()[0]
    doc = tagged(text, (surname, "PERSON"))
    assert canonicals(extract_entities([doc])[0], "PERSON") == [expected]


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        ("Charles Evans Jr sued. Evans said he was left out.",
         [("Charles Evans Jr", "PERSON"), ("Evans", "PERSON")], ["Charles Evans Jr"] * 2),
        # negative: two people end in the surname, the suffix aside
        ("Charles Evans Jr and Bill Evans sued. Evans said he was left out.",
         [("Charles Evans Jr", "PERSON"), ("Bill Evans", "PERSON"), ("Evans", "PERSON")],
         ["Charles Evans Jr", "Bill Evans", "Evans"]),
    ],
)
def test_surname_before_a_generational_suffix(text, ents, expected):
    entities = extract_entities([tagged(text, *ents)])[0]
    assert canonicals(entities, "PERSON") == expected


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        # a full name right after a person's role is a person, and so is its surname
        ("Olympic champion Carolina Kluft won. Kluft said she was tired.",
         [("Carolina Kluft", "ORG"), ("Kluft", "ORG")],
         [("PERSON", "Carolina Kluft"), ("PERSON", "Carolina Kluft")]),
        # negatives: a body's role word before a name; a club after a person's role
        ("The record label Sony Music said no.", [("Sony Music", "ORG")],
         [("ORG", "Sony Music")]),
        ("The manager Rovington United sacked said no.", [("Rovington United", "ORG")],
         [("ORG", "Rovington United")]),
    ],
)
def test_full_name_after_a_person_role(text, ents, expected):
    entities = extract_entities([tagged(text, *ents)])[0]
    assert [(e.label, e.canonical) for e in entities] == expected


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        # a name cut short after "of the", "for ... and" runs on over its capitalised words
        ("The Office of the Deputy Prime Minister (ODPM) said so.",
         [("Office of the", "ORG")], ["Office of the Deputy Prime Minister"]),
        ("The Organisation for Economic Co-operation and Development said so.",
         [("Organisation for Economic Co-operation and", "ORG")],
         ["Organisation for Economic Co-operation and Development"]),
        ("He won BBC Sports Personality of the Year in 2004.",
         [("BBC Sports Personality of", "ORG")], ["BBC Sports Personality of the Year"]),
        # a dangling dash or "and" is dropped; never run on over the next entity
        ("The Oscars - the biggest night - began.", [("Oscars - the", "ORG")], ["Oscars"]),
        ("Sweeney Todd and Mrs Lovett sang.", [("Sweeney Todd and", "ORG")], ["Sweeney Todd"]),
        ("The National Transition Government of Liberia said so.",
         [("National Transition Government of", "ORG"), ("Liberia", "GPE")],
         ["National Transition Government", "Liberia"]),
    ],
)
def test_name_cut_short(text, ents, expected):
    entities = extract_entities([tagged(text, *ents)])[0]
    assert [e.canonical for e in entities] == expected
    assert all(text[e.start:e.end] == e.text for e in entities)


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        # one organisation under one name, however the story writes it
        ("The Tories and the Conservative Party agreed.",
         [("Tories", "NORP"), ("Conservative Party", "ORG")],
         [("ORG", "Conservative Party"), ("ORG", "Conservative Party")]),
        ("Labour and the Lib Dem group voted.", [("Labour", "ORG"), ("Lib Dem", "ORG")],
         [("ORG", "Labour Party"), ("ORG", "Liberal Democrats")]),
        # negatives: a name that means several ("Democrats"); a nationality stays a country
        ("The Democrats and the French agreed.", [("Democrats", "NORP"), ("French", "NORP")],
         [("NORP", "Democrats"), ("NORP", "France")]),
    ],
)
def test_organisation_aliases(text, ents, expected):
    entities = extract_entities([tagged(text, *ents)])[0]
    assert [(e.label, e.canonical) for e in entities] == expected


def test_place_tagged_person_becomes_gpe():
    doc = tagged(
        "Kyiv faces pressure, and Kharkiv was hit. Mr Lviv said so.",
        ("Kyiv", "PERSON"), ("Kharkiv", "PERSON"), ("Lviv", "PERSON"),
    )
    entities = extract_entities([doc])[0]
    assert [(e.text, e.label, e.country) for e in entities] == [
        ("Kyiv", "GPE", "Ukraine"),
        ("Kharkiv", "GPE", "Ukraine"),
        ("Lviv", "PERSON", None),  # a title makes it a person, whatever the gazetteer says
    ]


def test_place_name_that_is_a_surname_in_the_document_stays_a_person():
    doc = tagged(
        "Denzel Washington starred. Washington said he loved it.",
        ("Denzel Washington", "PERSON"), ("Washington", "PERSON"),
    )
    entities = extract_entities([doc])[0]
    assert [(e.label, e.canonical) for e in entities] == [("PERSON", "Denzel Washington")] * 2


def test_full_name_with_another_label_becomes_person():
    doc = tagged(
        "Laurent Dubois was freed. Laurent Dubois thanked Mr Dubois's lawyers.",
        ("Laurent Dubois", "PERSON"), ("Laurent Dubois", "ORG"), ("Dubois's", "GPE"),
    )
    entities = extract_entities([doc])[0]
    assert [(e.label, e.canonical) for e in entities] == [("PERSON", "Laurent Dubois")] * 3


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        # a surname tagged otherwise beside the one full name ending in it
        ("Chelsea boss Rui Marques spoke. And Marques said the side were tired.",
         [("Chelsea", "ORG"), ("Rui Marques", "PERSON"), ("Marques", "ORG")],
         [("ORG", "Chelsea"), ("PERSON", "Rui Marques"), ("PERSON", "Rui Marques")]),
        ("Ana Ferro won in Rome. Ferro beat the holder.",
         [("Ana Ferro", "PERSON"), ("Rome", "GPE"), ("Ferro", "GPE")],
         [("PERSON", "Ana Ferro"), ("GPE", "Rome"), ("PERSON", "Ana Ferro")]),
        # negatives: two full names share it; the words around it say company; a place
        ("Ana Ferro and Rui Ferro won. Ferro beat the holder.",
         [("Ana Ferro", "PERSON"), ("Rui Ferro", "PERSON"), ("Ferro", "ORG")],
         [("PERSON", "Ana Ferro"), ("PERSON", "Rui Ferro"), ("ORG", "Ferro")]),
        ("Bill Ferrow retired. Ferrow shares fell 3%.",
         [("Bill Ferrow", "PERSON"), ("Ferrow", "ORG")],
         [("PERSON", "Bill Ferrow"), ("ORG", "Ferrow")]),
        ("Jack London wrote it. London was calm.",
         [("Jack London", "PERSON"), ("London", "GPE")],
         [("PERSON", "Jack London"), ("GPE", "London")]),
    ],
)
def test_surname_tagged_otherwise_is_the_person(text, ents, expected):
    entities = extract_entities([tagged(text, *ents)])[0]
    assert [(e.label, e.canonical) for e in entities] == expected


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        # a knight by the given name, a peer by the title
        ("Sir Keir Starmer spoke. Sir Keir said no.",
         [("Keir Starmer", "PERSON"), ("Keir", "PERSON")], ["Keir Starmer", "Keir Starmer"]),
        ("Lord Falconer agreed. Falconer said the bill would pass.",
         [("Falconer", "PERSON"), ("Falconer", "PERSON")], ["Lord Falconer", "Lord Falconer"]),
        ("Lord Janner spoke.", [("Lord Janner", "PERSON")], ["Lord Janner"]),
        # negatives: a peer whose full name is given; a knight with no full name keeps
        # the title, never the bare given name
        ("Charles Falconer, Lord Falconer, agreed. Lord Falconer said yes.",
         [("Charles Falconer", "PERSON"), ("Falconer", "PERSON"), ("Falconer", "PERSON")],
         ["Charles Falconer"] * 3),
        ("Sir Keir said no.", [("Keir", "PERSON")], ["Sir Keir"]),
        # a judge by the title and surname
        ("Lord Justice Rix and Mr Justice Forbes ruled. Rix said the law was clear.",
         [("Rix", "PERSON"), ("Forbes", "PERSON"), ("Rix", "PERSON")],
         ["Lord Justice Rix", "Mr Justice Forbes", "Lord Justice Rix"]),
        # negative: the judge's full name is given
        ("Sir Bernard Rix sat. Lord Justice Rix said the law was clear.",
         [("Bernard Rix", "PERSON"), ("Rix", "PERSON")], ["Bernard Rix", "Bernard Rix"]),
    ],
)
def test_knights_and_peers(text, ents, expected):
    entities = extract_entities([tagged(text, *ents)])[0]
    assert [e.canonical for e in entities if e.label == "PERSON"] == expected


@pytest.mark.parametrize(
    "name", ["Dubois Holdings", "General Mills", "the Premier League", "King's College"]
)
def test_org_stays_org_when_no_person_has_its_name(name):
    doc = tagged(f"{name} said profits rose.", (name, "ORG"))
    got = [(e.label, e.canonical) for e in extract_entities([doc])[0]]
    assert got == [("ORG", clean_name(name))]


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        # the words around one mention: a company, its shares, its officers...
        ("Shares in Varnok fell, and Varnok said it would appeal.",
         [("Varnok", "PERSON"), ("Varnok", "PERSON")], [("ORG", "Varnok")] * 2),
        ("The oil giant Varnok said so.", [("Varnok", "PERSON")], [("ORG", "Varnok")]),
        ("Varnok shares rose 4%.", [("Varnok", "PERSON")], [("ORG", "Varnok")]),
        ("Varnok's chief executive Ana Lima resigned.",
         [("Varnok's", "PERSON"), ("Ana Lima", "PERSON")],
         [("ORG", "Varnok"), ("PERSON", "Ana Lima")]),
        # ...a club and its players, a band, a work, an award
        ("Eastwick midfielder Tom Berg scored. Eastwick won.",
         [("Eastwick", "PERSON"), ("Tom Berg", "PERSON"), ("Eastwick", "PERSON")],
         [("ORG", "Eastwick"), ("PERSON", "Tom Berg"), ("ORG", "Eastwick")]),
        ("He made a winning return to Eastwick.", [("Eastwick", "PERSON")],
         [("ORG", "Eastwick")]),
        ("The band Glass Orchard toured.", [("Glass Orchard", "PERSON")],
         [("ORG", "Glass Orchard")]),
        ("The biopic Rayburn opened. Rayburn took $5m.",
         [("Rayburn", "PERSON"), ("Rayburn", "PERSON")], [("WORK_OF_ART", "Rayburn")] * 2),
        ("She starred in the Pemberly-winning film.", [("Pemberly", "PERSON")],
         [("WORK_OF_ART", "Pemberly")]),
        # the name itself: a club, party or award word last; a country of two words
        ("Rovington United's fans sang.", [("Rovington United's", "PERSON")],
         [("ORG", "Rovington United")]),
        ("The Lib Dems gained seats.", [("The Lib Dems", "PERSON")],
         [("ORG", "Liberal Democrats")]),
        ("She won an Oscar.", [("Oscar", "PERSON")], [("WORK_OF_ART", "Oscar")]),
        ("Talks in Sri Lanka went on.", [("Sri Lanka", "PERSON")], [("GPE", "Sri Lanka")]),
        # negatives: people stay people
        # a surname that is also a company's name, mentioned once as the company
        ("Bill Ferrow met staff. Ferrow shares rose, and Ferrow said he was glad.",
         [("Bill Ferrow", "PERSON"), ("Ferrow", "PERSON"), ("Ferrow", "PERSON")],
         [("PERSON", "Bill Ferrow"), ("ORG", "Ferrow"), ("PERSON", "Bill Ferrow")]),
        # a title elsewhere in the document keeps the others a person
        ("Shares in Tidewell fell. Mr Tidewell said he would stay.",
         [("Tidewell", "PERSON"), ("Tidewell", "PERSON")],
         [("ORG", "Tidewell"), ("PERSON", "Tidewell")]),
        # words that fit a person too
        ("Ana Lima supporters cheered, and a bid for Tom Berg failed.",
         [("Ana Lima", "PERSON"), ("Tom Berg", "PERSON")],
         [("PERSON", "Ana Lima"), ("PERSON", "Tom Berg")]),
        ("Documentary maker Jane Dorrit and broadcaster Ian Pell spoke.",
         [("Jane Dorrit", "PERSON"), ("Ian Pell", "PERSON")],
         [("PERSON", "Jane Dorrit"), ("PERSON", "Ian Pell")]),
        ("Oscar Pemberton, who won an award, spoke.", [("Oscar Pemberton", "PERSON")],
         [("PERSON", "Oscar Pemberton")]),
        ("Mr Varnok shares his views.", [("Mr Varnok", "PERSON")], [("PERSON", "Varnok")]),
    ],
)
def test_names_tagged_person_that_are_no_person(text, ents, expected):
    got = [(e.label, e.canonical) for e in extract_entities([tagged(text, *ents)])[0]]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        # a lone given name is the one full name of its story that starts with it
        ('Marek Dolan scored twice. "Marek is our best," said the coach.',
         [("Marek Dolan", "PERSON"), ("Marek", "PERSON")], ["Marek Dolan"] * 2),
        # two full names start with it: stays as written
        ("Marek Dolan and Marek Voss scored. Marek was happy.",
         [("Marek Dolan", "PERSON"), ("Marek Voss", "PERSON"), ("Marek", "PERSON")],
         ["Marek Dolan", "Marek Voss", "Marek"]),
        # a title makes it a surname
        ("Marek Dolan met Mr Marek.", [("Marek Dolan", "PERSON"), ("Marek", "PERSON")],
         ["Marek Dolan", "Marek"]),
        # a "full name" that is no person's ("Joe 90", "Yahoo Messenger" in the rules' sense)
        ("Joe 90 returns. Joe flies.", [("Joe 90", "PERSON"), ("Joe", "PERSON")],
         ["Joe 90", "Joe"]),
    ],
)
def test_given_name_resolves_within_its_story(text, ents, expected):
    assert canonicals(extract_entities([tagged(text, *ents)])[0], "PERSON") == expected


def test_place_span_with_extra_words_shrinks_to_the_place():
    doc = tagged("Latest Ukraine stories here.", ("Latest Ukraine", "GPE"))
    [entity] = extract_entities([doc])[0]
    assert (entity.text, entity.canonical, entity.country, entity.start) == (
        "Ukraine", "Ukraine", "Ukraine", 7,
    )


def test_nationalities_and_countries():
    doc = tagged(
        "The Ukrainian and British envoys met European and Swiss officials in the UK.",
        ("Ukrainian", "GPE"), ("British", "NORP"), ("European", "NORP"), ("Swiss", "NORP"),
        ("the UK", "GPE"),
    )
    got = [(e.label, e.canonical, e.country, e.country_code) for e in extract_entities([doc])[0]]
    assert got == [
        ("NORP", "Ukraine", "Ukraine", "UKR"),
        ("NORP", "United Kingdom", "United Kingdom", "GBR"),
        ("NORP", "European", None, None),
        ("NORP", "Switzerland", "Switzerland", "CHE"),
        ("GPE", "United Kingdom", "United Kingdom", "GBR"),
    ]


def test_city_keeps_its_name_and_gets_its_country():
    doc = tagged("Talks in Paris and Moscow.", ("Paris", "GPE"), ("Moscow", "GPE"))
    got = [(e.canonical, e.country) for e in extract_entities([doc])[0]]
    assert got == [("Paris", "France"), ("Moscow", "Russia")]


def test_entity_across_a_paragraph_break_is_trimmed():
    doc = tagged("He visited Kyiv.\n\nKyiv", ("Kyiv.\n\nKyiv", "GPE"))
    [entity] = extract_entities([doc])[0]
    assert "\n" not in entity.text and entity.canonical == "Kyiv"


def test_numbers_and_dates_are_not_entities():
    doc = tagged("On Tuesday 500 people came.", ("Tuesday", "DATE"), ("500", "CARDINAL"))
    assert extract_entities([doc]) == [[]]


def test_no_stories():
    assert extract_entities([]) == []


# -- the reference page, through the real model -------------------------------------

REFERENCE_PEOPLE = {
    "Emmanuel Macron", "Keir Starmer", "Volodymyr Zelensky", "Steve Witkoff", "Donald Trump",
    "Oleksiy Kuleba", "Ivan Fedorov", "Laurent Vinatier", "Jean-Noel Barrot", "Daniil Kasatkin",
    "Vladimir Putin",
}
NOT_PEOPLE = {"Kyiv", "Zaporizhzhia", "Zelensky", "Vinatier", "Macron", "Starmer", "Putin"}
REFERENCE_COUNTRIES = {
    "Ukraine", "Russia", "France", "United Kingdom", "United States", "Switzerland",
}


@pytest.fixture(scope="module")
def reference_entities(reference_page_path, nlp):
    from lib.segment import split_stories

    segments = split_stories(reference_page_path.read_text(encoding="utf-8"))
    docs = list(nlp.pipe(segment.text for segment in segments))
    context = [text for s in segments for text in (s.headline, *s.captions)]
    return docs, extract_entities(docs, context=context)


def test_reference_page_people(reference_entities):
    _, entities = reference_entities
    people = {e.canonical for story in entities for e in story if e.label == "PERSON"}
    assert REFERENCE_PEOPLE <= people
    assert not people & NOT_PEOPLE


def test_reference_page_countries(reference_entities):
    docs, entities = reference_entities
    assert REFERENCE_COUNTRIES <= {e.country for story in entities for e in story}
    pairs = {(e.text, e.country) for story in entities for e in story}
    assert {("French", "France"), ("Kyiv", "Ukraine"), ("Paris", "France")} <= pairs
    misread = {e.label for story in entities for e in story if e.text in ("Kyiv", "Zaporizhzhia")}
    assert misread == {"GPE"}
    for doc, story in zip(docs, entities, strict=True):
        assert all(doc.text[e.start:e.end] == e.text and "\n" not in e.text for e in story)
