"""Corpus-level person names: bare surnames linked to the dominant full name."""

from __future__ import annotations

import pytest

from lib.people import surname_aliases


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
        ({}, {}),
    ],
)
def test_surname_aliases(documents_per_name, expected):
    assert surname_aliases(documents_per_name) == expected


def test_dominant_share_is_a_parameter():
    counts = {"Brown": 3, "Gordon Brown": 10, "Nick Brown": 8}
    assert surname_aliases(counts, dominant_share=0.5) == {"Brown": "Gordon Brown"}
