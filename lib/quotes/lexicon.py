"""Every word list and label set the quote rules read, named.

Dependency labels are ClearNLP's, as spaCy's English pipelines use (textacy
style); word lists that users may extend are data files in ``lib/rules/``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from lib.rules import rule_lines, rule_rows

# Dependency labels (ClearNLP, as spaCy's English pipelines use), textacy style.
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
CLAUSE_SUBJECT_DEPS = SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | {"expl"}
CONTENT_DEPS = frozenset({"ccomp"})
# A participle or coordinated cue borrows the subject of the verb above it:
# "..., adding that", "was quoted as saying", "said X and added that".
CLIMB_DEPS = frozenset({"conj", "advcl", "xcomp", "pcomp", "prep", "acl"})
MAX_CLIMB = 4
# A cue's adverbials ("on Friday", "during a news conference"): where a parse may hang
# the reported clause from the last noun.
ADVERBIAL_DEPS = frozenset({"prep", "npadvmod", "advmod"})
# Children of a speaker's head that are asides, not part of the name:
# "Sir Vince Cable, who replaced ..., said" -> "Sir Vince Cable".
ASIDE_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "parataxis", "punct"})
# Children of a role noun that may name whom the role serves: "a Home Office
# spokesman", "Nato's chief", "officials at the Treasury", "a spokesman for Mr Prescott".
BODY_DEPS = frozenset({"compound", "poss", "amod", "nmod", "prep", "pobj"})
BODY_PREPOSITIONS = frozenset({"at", "for", "of", "from", "with", "in"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
# "Mr X's spokesman", "her spokesman": possessives that are no part of a description.
POSSESSIVE_DETERMINERS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
YEAR_OLD = re.compile(r"\b(\d{1,3})-year-old\b")
# Children that may carry the author of a document ("The FSB statement").
AUTHOR_DEPS = frozenset({"poss", "compound", "amod", "nmod", "npadvmod"})
# Children that may carry a proper name inside a common-noun phrase.
NAME_DEPS = frozenset({"compound", "appos", "nmod"})
# Tokens that may stand between a cue and its subject without breaking adjacency.
VERB_MODIFIER_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "prt"})

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"})
PERSON, THING, GROUP = "person", "thing", "group"
# What a pronoun may point back to: a person, an organisation or a country (BODY),
# a group, a thing (a document), or a name of no known kind (ANY: "E Hayot said").
BODY, ANY = "body", "any"
LABEL_KINDS = {"PERSON": PERSON, "NORP": GROUP, "ORG": BODY, "GPE": BODY}
# "they" stands for organisations too in British news ("Chelsea said they ...").
PRONOUN_REFERENTS = {PERSON: frozenset({PERSON, ANY}), THING: frozenset({THING, BODY, ANY}),
                     GROUP: frozenset({GROUP, BODY})}
PRONOUN_KINDS = {"he": PERSON, "she": PERSON, "him": PERSON, "her": PERSON,
                 "it": THING, "they": GROUP, "them": GROUP}
# First and second person outside quote marks: the author or the reader.
UNRESOLVABLE_PRONOUNS = frozenset({"i", "we", "you", "me", "us", "one",
                                   "this", "these", "those"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Pronouns for things, never for someone who speaks.
THING_PRONOUNS = frozenset({"it", "this", "that", "which", "these", "those"})
# Subjects that say no one spoke: "Nobody spoke about the cuts".
NEGATIVE_SUBJECTS = frozenset({"nobody", "no-one", "none", "nothing", "neither"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})

OPENING_MARKS = "“„«"
CLOSING_MARKS = "”»"
STRAIGHT_MARK = '"'
DOUBLE_MARKS = OPENING_MARKS + CLOSING_MARKS + STRAIGHT_MARK
EDGE_JUNK = " \t\n,;:-–—"
SENTENCE_ENDS = frozenset({".", "!", "?"})
DASHES = "-–—―"
GAP_PUNCT = frozenset({",", ":", ";", "-", "–", "—", "(", ")"})
MAX_GAP_TOKENS = 40
MIN_CONTENT_WORDS = 2
WORD = re.compile(r"\w")
MAX_LABEL_TOKENS = 6
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# What may stand between a quote ending in a comma and the verb after it: a speaker's
# noun phrase ('"...," Ramos, 58, told'), whatever the parse made of it.
SPEAKER_PHRASE_POS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "NUM", "PRON"})
POSSESSIVE_MARKS = frozenset({"'s", "’s"})
MAX_SPEAKER_TOKENS = 12
# '-- Donald J. Trump (@realDonaldTrump) June 29, 2016' closing an embedded post.
SIGNED_POST = re.compile(
    r"[-–—―]+\s*(?P<name>[^\n()—―]{1,60}?)\s*\(@\w{1,30}\)\s*"
    r"(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})"
)
PARAGRAPH = re.compile(r"[^\n]+")





def _words(name: str) -> frozenset[str]:
    """A rules file of one word per line, case aside."""
    return frozenset(line.casefold() for line in rule_lines(name))


@functools.cache
def cue_verbs() -> frozenset[str]:
    return frozenset(line.casefold() for line in rule_lines("cue_verbs.txt") if " " not in line)


def _pairs(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Lines of two words, case aside, in order."""
    for words in (line.casefold().split() for line in lines):
        if len(words) == 2:
            yield words[0], words[1]


@functools.cache
def cue_phrases() -> tuple[tuple[str, str], ...]:
    """Prepositional cues as (head word, child word): ("according", "to")."""
    return tuple(_pairs(line for line in rule_lines("cue_verbs.txt") if " " in line))


def _word_pairs(name: str) -> frozenset[tuple[str, str]]:
    """A rules file of two words per line."""
    return frozenset(_pairs(rule_lines(name)))


@functools.cache
def document_cues() -> frozenset[str]:
    """Verbs that report a document's words when a document is their subject: "read"."""
    return _words("quote_document_cues.txt")


@functools.cache
def idiom_cues() -> frozenset[tuple[str, str]]:
    """(verb lemma, object word) pairs that mean "say": ("put", "it")."""
    return _word_pairs("quote_idiom_cues.txt")


@functools.cache
def topic_verbs() -> frozenset[tuple[str, str]]:
    """(verb lemma, preposition): "speak about", whose object is what was spoken of."""
    return _word_pairs("quote_topic_verbs.txt")


@functools.cache
def non_cue_verbs() -> frozenset[str]:
    """The listed lemmas and their regular forms: the small model lemmatises some
    wrongly ("hopes" -> "hop"), so the word as written is checked too."""
    forms = set()
    for line in rule_lines("quote_non_cues.txt"):
        base = line.casefold()
        stem = base[:-1] if base.endswith("e") else base
        forms.update({base, base + "s", base + "es", base + "d", base + "ed", stem + "ing"})
        if base.endswith("y"):
            forms.update({base[:-1] + "ies", base[:-1] + "ied"})
    return frozenset(forms)


@functools.cache
def authoring_verbs() -> frozenset[str]:
    """Verbs whose subject or agent wrote a document ("PwC conducted the survey")."""
    return _words("quote_authoring_verbs.txt")


@functools.cache
def according_to_standards() -> frozenset[str]:
    """Nouns that "according to" follows as a standard, not a source ("plan", "code")."""
    return _words("quote_according_to_standards.txt")


@functools.cache
def cue_nouns() -> frozenset[str]:
    """Nouns of saying whose clause is their possessor's words ("Trump's claim that")."""
    return _words("quote_cue_nouns.txt")


@functools.cache
def infinitive_cues() -> frozenset[str]:
    """Verbs whose to-infinitive is what was said ("vowed to", "told them to")."""
    return _words("quote_infinitive_cues.txt")


@functools.cache
def characterising_verbs() -> frozenset[str]:
    return _words("quote_characterising_verbs.txt")


@functools.cache
def thing_verbs() -> frozenset[str]:
    """Verbs whose quoted object is a thing, not words ("played", "bought")."""
    return _words("quote_thing_verbs.txt")


@functools.cache
def non_speaker_labels() -> frozenset[str]:
    return _words("quote_non_speaker_labels.txt")


@functools.cache
def gender_words() -> dict[str, str]:
    """Honorific or pronoun -> "m" or "f"."""
    pairs = (line.split() for line in rule_lines("quote_gender_words.txt"))
    return {word.casefold(): gender for gender, word in pairs}


@functools.cache
def document_nouns() -> frozenset[str]:
    return _words("quote_document_nouns.txt")


PERSON_ROLE, VOICE_ROLE, BODY_ROLE, GOVERNMENT_ROLE = "person", "voice", "body", "government"
# Bodies a country has one of: "the Russian ministry" names one, "the German company" not.
NATIONAL_BODIES = frozenset({"police", "regulator", "ministry", "department", "commission",
                             "authority", "army", "federation", "government", "central bank"})
# A role that names others too: "the minister" may be the Education Secretary.
COVERED_ROLES = {"minister": frozenset({"secretary", "chancellor"})}
PROXY_ROLE = "proxy"  # "Mr Spitzer's office": its owner speaks
# Roles of people: their own, or one that speaks for others or comments on them.
PEOPLE_ROLES = frozenset({PERSON_ROLE, VOICE_ROLE})


@functools.cache
def speaker_roles() -> dict[str, str]:
    """Role noun lemma -> PERSON_ROLE, VOICE_ROLE, BODY_ROLE or GOVERNMENT_ROLE; a one-word
    person title ("cardinal", "president") is a person's role too."""
    titles = {line.casefold(): PERSON_ROLE for line in rule_lines("person_titles.txt")
              if line.isalpha() and len(line) > 3}
    return titles | {role.casefold(): kind for role, kind in rule_rows("speaker_roles.tsv")}
