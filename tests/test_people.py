"""Corpus-level person names: bare surnames linked to the dominant full name, and
names tagged PERSON that the name itself or the corpus's vote shows to be no person."""

from __future__ import annotations

import pytest

from lib.people import LabelVote, name_label, non_people, surname_aliases


@pytest.mark.parametrize(
    ("documents_per_name", "expected"),
    [
        ({"Blair": 4, "Tony Blair": 40}, {"Blair": "Tony Blair"}),
        # One dominant full name among several: linked.
        ({"Blair": 4, "Tony Blair": 95, "Cherie Blair": 5}, {"Blair": "Tony Blair"}),
        # No clear winner: a guess would be wrong half the time, so no link.
        ({"Brown": 3, "Gordon Brown": 10, "Nick Brown": 8}, {}),
        # A full name is never merged into another full name.
        ({"Tony Blair": 40, "Cherie Blair": 5}, {}),
        # A surname nobody in the corpus carries in full stays as it is.
        ({"Zelensky": 2}, {}),
        # Only the last word counts as a surname.
        ({"Tony": 2, "Tony Blair": 40}, {}),
        # A word the corpus mostly uses as a first name is no surname.
        ({"Andrew": 3, "Rob Andrew": 2, "Andrew Flintoff": 9, "Andrew Murray": 4}, {}),
        ({"Andrew": 3, "Rob Andrew": 12, "Andrew Flintoff": 2}, {"Andrew": "Rob Andrew"}),
        # Spellings of one full name that differ by middle initials count together,
        # and the bare surname goes to the most used spelling.
        ({"Quill": 3, "Harold J Quill": 26, "Harold Quill": 5, "Harold J. Quill": 1,
          "Maisie Quill": 2}, {"Quill": "Harold J Quill"}),
        # A middle name is no initial: two people, no clear winner.
        ({"Quill": 3, "Harold Quill": 5, "Harold Bertram Quill": 5}, {}),
        # A peer named by the title where a document gives no first name is the
        # surname's full name; a knight is the given name's; a bare surname with no
        # full name anywhere is its one titled form.
        ({"Lord Goldsmith": 27, "Peter Goldsmith": 35}, {"Lord Goldsmith": "Peter Goldsmith"}),
        ({"Sir Alex": 3, "Alex Ferguson": 50}, {"Sir Alex": "Alex Ferguson"}),
        ({"Falconer": 5, "Lord Falconer": 20}, {"Falconer": "Lord Falconer"}),
        # ... but a peer no full name ends with stays, and two titled forms are no link
        ({"Lord Janner": 2, "Greville Smith": 4}, {}),
        ({"Hurd": 2, "Lord Hurd": 3, "Sir Hurd": 1}, {}),
        ({}, {}),
    ],
)
def test_surname_aliases(documents_per_name, expected):
    assert surname_aliases(documents_per_name) == expected


def test_dominant_share_is_a_parameter():
    counts = {"Brown": 3, "Gordon Brown": 10, "Nick Brown": 8}
    assert surname_aliases(counts, dominant_share=0.5) == {"Brown": "Gordon Brown"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Rovington United", "ORG"),  # a club word last
        ("Lib Dems", "ORG"),  # a party
        ("Lib Dem", "ORG"),
        ("Tarrow plc", "ORG"),
        ("Oscar", "WORK_OF_ART"),  # an award, alone or after a film's name
        ("Quiet Harbour Oscar", "WORK_OF_ART"),
        ("Grammy Awards", "WORK_OF_ART"),
        ("Hopwell Cup", "EVENT"),
        ("QXR", "ORG"),  # an acronym
        ("Labour", "ORG"),  # the last-resort list: the party the model tags PERSON
        # negatives: people, whatever words they share with the rules
        ("Oscar Pemberton", None),  # a given name that is also an award
        ("Ana Lima", None),
        ("Tom Cityson", None),  # whole words only
        ("Ed", None),
        ("Labour Smith", None),  # the list holds exact names
        ("JK Rowling-Hart", None),
        ("", None),
    ],
)
def test_name_label(name, expected):
    assert name_label(name) == expected


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        # Tagged ORG in three times as many documents as PERSON: an organisation.
        ({"Brackwell": LabelVote(10, 30, "ORG")}, {"Brackwell": "ORG"}),
        ({"Brackwell": LabelVote(2, 4, "GPE")}, {"Brackwell": "GPE"}),
        # Not twice as many, or too few documents to tell: stays a person.
        ({"Brackwell": LabelVote(10, 15, "ORG")}, {}),
        ({"Brackwell": LabelVote(1, 2, "ORG")}, {}),
        # Written with an honorific somewhere ("Mr Brackwell"): a person.
        ({"Brackwell": LabelVote(2, 8, "ORG", honorific=True)}, {}),
        # A full name is never taken by the vote: the model tags rare names ORG.
        ({"Keanu Marlow": LabelVote(1, 6, "ORG")}, {}),
        # The surname of full names that as many documents name is a person...
        ({"Ferrow": LabelVote(2, 5, "ORG"), "Lena Ferrow": LabelVote(6, 0)}, {}),
        ({"Kilby": LabelVote(1, 3, "GPE"), "Robert Kilby-Hart": LabelVote(5, 0)}, {}),
        # ...but not of a stray full name that few documents name.
        ({"Labourite": LabelVote(5, 40, "ORG"), "New Labourite": LabelVote(2, 9, "GPE")},
         {"Labourite": "ORG"}),
        # A person whose surname is also a company's, tagged ORG once: a person.
        ({"Lena Ferrow": LabelVote(4, 1, "ORG"), "Ferrow": LabelVote(2, 1, "ORG")}, {}),
        # The name itself decides, whatever the tags.
        ({"Rovington United": LabelVote(40, 0)}, {"Rovington United": "ORG"}),
        # A club word in a full name does not shield its "surname" from the vote.
        ({"United": LabelVote(2, 9, "ORG"), "Rovington United": LabelVote(40, 0)},
         {"United": "ORG", "Rovington United": "ORG"}),
        # Names never tagged PERSON are not the people's business.
        ({"Tidewell": LabelVote(0, 5, "ORG")}, {}),
        ({}, {}),
    ],
)
def test_non_people(votes, expected):
    assert non_people(votes) == expected


def test_vote_thresholds_are_parameters():
    votes = {"Brackwell": LabelVote(10, 15, "ORG")}
    assert non_people(votes, ratio=1.5) == {"Brackwell": "ORG"}
    assert non_people({"Brackwell": LabelVote(1, 2, "ORG")}, min_documents=2) == {
        "Brackwell": "ORG"}
