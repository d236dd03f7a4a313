"""Canonical people across a corpus: one name for one person in every document.

Inside a document, lib.entities already turns "Mr Blair" into "Tony Blair" when
the document gives the full name. A document that only ever says "Blair" keeps
the bare surname; across the corpus that surname is linked to the full name that
ends with it, when one full name clearly dominates the corpus's full names with
that surname. Documents that name "Cherie Blair" keep her: only bare surnames
are linked, never one full name to another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

# A surname is linked only when one full name holds this share of the documents
# naming anybody in full with that surname; below it, "Blair" stays "Blair".
DOMINANT_SHARE = 0.9


def surname_aliases(
    documents_per_name: Mapping[str, int], *, dominant_share: float = DOMINANT_SHARE
) -> dict[str, str]:
    """Map each one-word person name to the corpus's dominant full name ending with it.

    ``documents_per_name``: canonical person name -> number of documents naming it.
    """
    full_names_by_surname: dict[str, dict[str, int]] = defaultdict(dict)
    documents_as_first_name: dict[str, int] = defaultdict(int)
    for name, documents in documents_per_name.items():
        words = name.split()
        if len(words) >= 2:
            full_names_by_surname[words[-1]][name] = documents
            documents_as_first_name[words[0]] += documents
    aliases = {}
    for name in documents_per_name:
        if len(name.split()) != 1 or name not in full_names_by_surname:
            continue
        # "Andrew" alone is Andrew Flintoff's first name more often than Rob
        # Andrew's surname: a word the corpus mostly uses first is no surname.
        if documents_as_first_name[name] >= sum(full_names_by_surname[name].values()):
            continue
        candidates = full_names_by_surname[name]
        best, best_documents = max(candidates.items(), key=lambda item: (item[1], item[0]))
        if best_documents >= dominant_share * sum(candidates.values()):
            aliases[name] = best
    return aliases
