"""Canonical people across a corpus: one name for one person in every document.

Inside a document, lib.entities already turns "Mr Blair" into "Tony Blair" when
the document gives the full name. A document that only ever says "Blair" keeps
the bare surname; across the corpus that surname is linked to the full name that
ends with it, when one full name clearly dominates the corpus's full names with
that surname. Documents that name "Cherie Blair" keep her: only bare surnames
are linked, never one full name to another. Full names that differ only by middle
initials ("George W Bush", "George Bush") count together when one dominates.

Names the model tagged PERSON that are no person ("Yukos", "Labour", "Manchester
United") are told apart in two ways: by the name itself (``name_label``: a word
that marks a club, party, company or award, an acronym, a last-resort list; read
by lib.entities at parse time too), and by the corpus's vote (``non_people``): a
one-word name that the documents in scope tag as something else at least twice as
often as PERSON is that something else, unless it is written with an honorific or
is the surname of full person names in scope.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from lib.rules import rule_lines, rule_rows

# A knight is called by the given name ("Sir Keir"); a peer by the title ("Lord Janner").
KNIGHTHOODS = frozenset({"Sir", "Dame"})
PEERAGES = frozenset({"Lord", "Lady", "Baroness", "Baron"})
# A judge is called by the title and surname ("Mr Justice Forbes", "Lord Justice Rix").
JUDICIAL_TITLES = frozenset({"Lord Justice", "Lady Justice", "Mr Justice", "Mrs Justice"})

# A surname is linked only when one full name holds this share of the documents
# naming anybody in full with that surname; below it, "Blair" stays "Blair".
DOMINANT_SHARE = 0.9
# A one-word person name is something else when the documents tagging it otherwise
# are at least this many times the documents tagging it PERSON, and at least this many.
OTHERWISE_RATIO = 2
MIN_OTHERWISE_DOCUMENTS = 3
INITIAL = re.compile(r"[A-Z]\.?")


def surname_aliases(
    documents_per_name: Mapping[str, int], *, dominant_share: float = DOMINANT_SHARE
) -> dict[str, str]:
    """Map each one-word person name to the corpus's dominant full name ending with it;
    a peer with no first name in a document ("Lord Goldsmith") to the full name of
    that surname ("Peter Goldsmith"), a knight ("Sir Alex") to the one with that
    given name ("Alex Ferguson"), and a bare surname with no full name anywhere to
    its one titled form ("Falconer" -> "Lord Falconer").

    ``documents_per_name``: canonical person name -> number of documents naming it.
    """
    full_names_by_surname: dict[str, dict[str, int]] = defaultdict(dict)
    full_names_by_given_name: dict[str, dict[str, int]] = defaultdict(dict)
    titled_forms: dict[str, set[str]] = defaultdict(set)  # surname -> "Lord X", "Sir X"
    documents_as_first_name: dict[str, int] = defaultdict(int)
    for name, documents in documents_per_name.items():
        words = name.split()
        if len(words) == 2 and words[0] in PEERAGES | KNIGHTHOODS:
            titled_forms[words[1]].add(name)
        elif len(words) >= 2:
            full_names_by_surname[words[-1]][name] = documents
            full_names_by_given_name[words[0]][name] = documents
            documents_as_first_name[words[0]] += documents
    aliases = {}
    for name in documents_per_name:
        words = name.split()
        if len(words) == 2 and words[0] in PEERAGES | KNIGHTHOODS:
            by_name = full_names_by_surname if words[0] in PEERAGES else full_names_by_given_name
            best = _dominant(by_name.get(words[1], {}), dominant_share)
            if best:
                aliases[name] = best
            continue
        if len(words) != 1:
            continue
        if name not in full_names_by_surname:
            if len(titled_forms.get(name, ())) == 1:
                (aliases[name],) = titled_forms[name]
            continue
        # "Andrew" alone is Andrew Flintoff's first name more often than Rob
        # Andrew's surname: a word the corpus mostly uses first is no surname.
        if documents_as_first_name[name] >= sum(full_names_by_surname[name].values()):
            continue
        best = _dominant(full_names_by_surname[name], dominant_share)
        if best:
            aliases[name] = best
    return aliases


def _dominant(candidates: Mapping[str, int], dominant_share: float) -> str | None:
    """The full name holding ``dominant_share`` of the documents of these candidates
    (spellings of one person counted together), if one does."""
    if not candidates:
        return None
    variants: dict[str, dict[str, int]] = defaultdict(dict)  # one person, several spellings
    for full_name, documents in candidates.items():
        variants[_variant_key(full_name)][full_name] = documents
    best = max(variants.values(), key=lambda names: (sum(names.values()), max(names)))
    if sum(best.values()) < dominant_share * sum(candidates.values()):
        return None
    return max(best.items(), key=lambda item: (item[1], item[0]))[0]


def _variant_key(full_name: str) -> str:
    """ "George W Bush" and "George Bush" -> "george bush": middle initials left out."""
    first, *middle, last = full_name.split()
    if middle and all(INITIAL.fullmatch(word) for word in middle):
        return f"{first} {last}".casefold()
    return full_name.casefold()


# --------------------------------------------------------------------------- not people


@functools.cache
def _rules() -> tuple[dict[str, str], dict[str, str]]:
    """(known non-person name -> label, marker last word (casefolded) -> label)."""
    known = {row[0].strip(): row[1].strip() for row in rule_rows("non_people.tsv")}
    words = {row[0].strip().casefold(): row[1].strip() for row in rule_rows("non_person_words.tsv")}
    return known, words


def name_label(name: str) -> str | None:
    """What a name tagged PERSON is by the name alone, or None when it may be a person.

    "Manchester United", "Lib Dems" -> ORG and "Passion Oscar" -> WORK_OF_ART (the last
    word marks a club, party, company, competition or award: non_person_words.tsv); an
    acronym ("GPRS") -> ORG; a name of the last-resort list (non_people.tsv).
    """
    known, words = _rules()
    if name in known:
        return known[name]
    parts = name.split()
    if not parts:
        return None
    if len(parts) == 1 and len(name) > 1 and name.isupper():
        return "ORG"
    return words.get(parts[-1].casefold())


@functools.cache
def honorific_alternation() -> str:
    """honorifics.txt as a regular-expression alternation: "Mr|Mrs|Ms|..."."""
    return "|".join(re.escape(word) for word in rule_lines("honorifics.txt"))


@functools.cache
def honorific_pattern() -> str:
    """A regular expression (Python and DuckDB's RE2) for a mention opening with an honorific."""
    return rf"^(?:{honorific_alternation()})\.?\s"


@dataclass(frozen=True)
class LabelVote:
    """How the documents in scope tag one canonical name."""

    person: int  # documents tagging it PERSON
    otherwise: int  # documents tagging it with another label
    label: str | None = None  # the other label they use most
    honorific: bool = False  # written with an honorific somewhere ("Mr Ash")


def non_people(
    votes: Mapping[str, LabelVote], *, ratio: float = OTHERWISE_RATIO,
    min_documents: int = MIN_OTHERWISE_DOCUMENTS,
) -> dict[str, str]:
    """Names tagged PERSON that the corpus counts as something else -> that label.

    By the name itself (``name_label``), else, for a one-word name, by the vote:
    tagged otherwise in at least ``ratio`` times as many documents as PERSON, and
    in ``min_documents`` at least ("Labour": ORG in 156 documents, PERSON in 52).
    The vote never takes a name written with an honorific, nor the surname of full
    person names that as many documents name ("Smith", "Kilroy" of "Robert
    Kilroy-Silk", but not "Labour" of "New Labour" twice); nor a name of several
    words: the small model tags many a rare full name ORG ("Keanu Reeves"), and a
    wrong person lost is worse than a club kept.
    """
    found = {name: label for name, vote in votes.items()
             if vote.person and (label := name_label(name)) is not None}
    surname_documents: dict[str, int] = defaultdict(int)  # surname -> documents naming in full
    for name, vote in votes.items():
        words = name.split()
        if len(words) > 1 and name not in found:
            for surname in {words[-1], *words[-1].split("-")}:
                surname_documents[surname] += vote.person
    for name, vote in votes.items():
        if (
            vote.person
            and name not in found
            and len(name.split()) == 1
            and vote.label
            and not vote.honorific
            and vote.otherwise >= max(ratio * vote.person, min_documents)
            and surname_documents[name] < vote.otherwise
        ):
            found[name] = vote.label
    return found
