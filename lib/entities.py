"""spaCy entities -> canonical entities, per document (all its stories at once).

- People: titles and possessives stripped ("President Emmanuel Macron" ->
  "Emmanuel Macron"); a surname, or a title and surname ("Mr Zelensky"), becomes
  the one full name in the document that ends with it, looked for first in the
  mention's own story, then in the whole document, then in full names written
  in the text or the page's captions that the model did not tag.
  A surname shared by two full names (in the story, or in the document when
  the story has none) stays as written: a wrong person is worse than no merge.
- Corrections from the document itself: a span tagged otherwise that is a full
  person name elsewhere, or is written with an honorific ("Mr"), is a PERSON;
  a one-word PERSON span that the gazetteer knows as a place (or nationality)
  and that never follows a title nor is part of a longer person name is a GPE
  (or NORP); a place-tagged nationality word is NORP; a place span with extra
  words ("Latest Ukraine") shrinks to the place it holds.
- Names tagged PERSON that are no person, from the name itself (lib.people.name_label:
  "Manchester United", "Lib Dems", "Passion Oscar", an acronym; a country name of
  several words, "Sri Lanka") or from the words around one mention ("oil giant
  Yukos", "Everton midfielder", "Oscar-winning": rules/non_person_contexts.tsv),
  take the label the rule gives (ORG, WORK_OF_ART...). Evidence around one mention
  carries to the document's other mentions of that name, unless the document
  writes the name with a title or an honorific or as a full person name's surname.
- A lone given name ("Steven") is the one full name of its story that starts with it.
- Places and nationalities get their country (lib.countries); a country name's
  and a nationality's canonical is the country ("UK", "British" -> "United Kingdom").
- Other names: canonical is the name without a leading "the" or a possessive.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from lib.countries import (
    LEADING_ARTICLE,
    country_for,
    country_of_demonym,
    country_of_name,
    is_known_place,
    normalize_name,
)
from lib.model import Entity
from lib.people import (
    JUDICIAL_TITLES,
    KNIGHTHOODS,
    PEERAGES,
    honorific_alternation,
    name_label,
)
from lib.rules import rule_lines, rule_rows

NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
     "LANGUAGE"}
)
PLACE_LABELS = frozenset({"GPE", "LOC"})
# Labels the model gives a person's surname when it has the full name elsewhere.
SURNAME_LABELS = frozenset({"ORG", "GPE", "NORP", "PRODUCT", "FAC", "WORK_OF_ART"})
TRAILING_POSSESSIVE = re.compile(r"\s*['’]s?$")
# "Ukraine's President Volodymyr Zelensky": drop everything up to a possessive.
POSSESSIVE_PREFIX = re.compile(r"^.*?\S['’]s\s+(?=\S)")
EDGE_PUNCTUATION = " \t\n\"'“”‘’,.;:!?()[]"
# A name cut short by the model: it ends in a connector ...
OPEN_NAME_END = re.compile(r"\s(of|for|of the|for the|and)$", re.IGNORECASE)
CONNECTOR_INSIDE = re.compile(r"\s(?:of|for)\s")  # ... "and" only inside an institution's
# ... and the capitalised words it runs on to (connectors between them, none last)
NAME_RUN = re.compile(
    r"(?:\s+the(?=\s+[A-Z]))?(?:\s+[A-Z][\w'’-]*(?:\s+(?:of|for|and|the)(?=\s+[A-Z]))?)+")
DANGLING_NAME_END = re.compile(r"(?:\s+(?:-|–|—|and|the|of|for))+$")
# Captions and untagged text: up to two given names right before a surname.
GIVEN_NAME = re.compile(r"[A-Z][\w'’.-]*")
MAX_GIVEN_NAMES = 2
TITLE_LOOKBEHIND_CHARS = 40
# Titles a person is known by, judges' first ("Lord Justice" before "Lord").
_KNIGHT_OR_PEER_WORDS = "|".join(
    sorted(KNIGHTHOODS | PEERAGES | JUDICIAL_TITLES, key=lambda title: (-len(title), title))
).replace(" ", r"\s+")
KNIGHT_OR_PEER = re.compile(rf"(?<![\w-])({_KNIGHT_OR_PEER_WORDS})\s+$")
KNIGHT_OR_PEER_OPENING = re.compile(rf"({_KNIGHT_OR_PEER_WORDS})\s+\S")
KNIGHT_OR_PEER_REACH_CHARS = 16  # "Lord Justice " before a surname
# Generational suffixes after a surname ("Charles Evans Jr"), as lookup keys.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Lower-case words inside names: "Mohammed bin Rashid Al Maktoum", "Maria da Graca Foster".
NAME_PARTICLES = frozenset({
    "bin", "ibn", "bint", "al", "el", "abu", "da", "das", "de", "del", "della", "der", "di",
    "do", "dos", "du", "la", "le", "van", "von", "den", "ter", "ten", "y", "e", "zu"})


@dataclass(slots=True)
class _Mention:
    story: int
    start: int  # offsets in the story's doc.text
    end: int
    text: str  # as written: doc.text[start:end]
    label: str
    name: str  # cleaned: one space between words, no title, article or possessive
    titled: bool  # written with a personal title: "Mr Zelensky", "President Trump"
    honorific: bool  # written with an honorific: "Mr Ash" (even if tagged GPE)
    canonical: str = ""
    country: tuple[str, str] | None = None

    @property
    def key(self) -> str:
        return normalize_name(self.name)


# -- rules as data ---------------------------------------------------------------


@functools.cache
def _person_titles() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """person_titles.txt as (literal titles, regular expressions after "re:")."""
    literal, patterns = [], []
    for line in rule_lines("person_titles.txt"):
        (patterns if line.startswith("re:") else literal).append(line.removeprefix("re:"))
    return tuple(literal), tuple(patterns)


@functools.cache
def _title_pattern() -> str:
    literal, patterns = _person_titles()
    alternatives = [re.escape(t) for t in sorted(literal, key=len, reverse=True)] + list(patterns)
    modifiers = "|".join(re.escape(m) for m in rule_lines("title_modifiers.txt"))
    return rf"(?:(?i:{modifiers})[\s-]+)*(?:{'|'.join(alternatives)})\.?"


@functools.cache
def _leading_title() -> re.Pattern[str]:
    return re.compile(rf"^{_title_pattern()}\s+(?=\S)")


@functools.cache
def _trailing_title() -> re.Pattern[str]:
    """A title right before a mention ("... said Mr |Zelensky")."""
    return re.compile(rf"(?<![\w-]){_title_pattern()}\s+$")


@functools.cache
def _honorifics() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(an honorific opening a span, an honorific right before a span)."""
    words = honorific_alternation()
    return re.compile(rf"^(?:{words})\.?\s+\S"), re.compile(rf"(?<![\w-])(?:{words})\.?\s+$")


# (text before a mention, text after it, the label they give it): None matches anything
_ContextRule = tuple[re.Pattern[str] | None, re.Pattern[str] | None, str]


@functools.cache
def _non_person_contexts() -> tuple[_ContextRule, ...]:
    """non_person_contexts.tsv as (text before the mention, text after it, label)."""
    rules = []
    for pattern, label in rule_rows("non_person_contexts.tsv"):
        before, after = pattern.strip().split("{name}")
        rules.append((
            re.compile(rf"(?<![\w-]){before}$", re.IGNORECASE) if before else None,
            re.compile(after, re.IGNORECASE) if after else None,
            label.strip(),
        ))
    return tuple(rules)


@functools.cache
def title_words() -> frozenset[str]:
    """Every word of every literal title and modifier: never a given name."""
    words = set()
    for line in _person_titles()[0] + tuple(rule_lines("title_modifiers.txt")):
        words.update(word.casefold() for word in re.split(r"[\s-]+", line))
    return frozenset(words)


# -- names -----------------------------------------------------------------------


def clean_name(text: str) -> str:
    """One space between words, no leading "the", no trailing possessive."""
    text = " ".join(text.replace("’", "'").split()).strip(EDGE_PUNCTUATION)
    return TRAILING_POSSESSIVE.sub("", LEADING_ARTICLE.sub("", text)).strip(EDGE_PUNCTUATION)


def strip_titles(name: str) -> tuple[str, bool]:
    """("Emmanuel Macron", True) for "France's President Emmanuel Macron"; a description
    before the name goes too ("Broadcaster Chris Evans", "Swedish trades union
    official Ulf Carlsson" -> "Ulf Carlsson")."""
    stripped = POSSESSIVE_PREFIX.sub("", name)
    titled = False
    while True:
        if match := _leading_title().match(stripped):
            stripped, titled = stripped[match.end():], True
        elif described := _leading_description(stripped):
            stripped = described
        else:
            return stripped, titled


def _leading_description(name: str) -> str | None:
    """The name after the words that describe the person: up to the last word that is
    lower case or a role ("broadcaster", "official"), or a party ("Tory"), when two or
    more capitalised words follow it ("Labour leader Tony Blair", "Tory Liam Fox"; not
    "Star Wars", "Marieke de Vos")."""
    words = name.split()
    # a party before the name: "Tory Liam Fox", "Lib Dem Norman Baker"
    cut = next((k for k in (2, 1) if len(words) - k >= 2
                and organisation_alias(" ".join(words[:k]))), None)
    for index, word in enumerate(words[:-2]):
        rest = words[index + 1:]
        describes = word.casefold() in _descriptor_words() or (
            word.islower() and word not in NAME_PARTICLES)
        if describes and all(w[:1].isupper() for w in rest):
            cut = index + 1
    return " ".join(words[cut:]) if cut else None


@functools.cache
def _speaker_roles() -> dict[str, str]:
    """rules/speaker_roles.tsv: role noun -> kind (person, voice, body, ...)."""
    return {role.casefold(): kind for role, kind in rule_rows("speaker_roles.tsv")}


@functools.cache
def _descriptor_words() -> frozenset[str]:
    """Role nouns that describe a person before the name."""
    return frozenset(_speaker_roles())


def person_name(text: str) -> str:
    """The bare name of a PERSON mention: no title, possessive or extra spaces."""
    return strip_titles(clean_name(text))[0]


def _trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding blanks; a span across paragraphs keeps its
    wordiest piece (the small model sometimes runs an entity over a blank line)."""
    pieces = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n]+", text[start:end])]
    if not pieces:
        return start, start
    start, end = max(pieces, key=lambda p: sum(ch.isalpha() for ch in text[p[0]:p[1]]))
    while start < end and text[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in " \t\n\"“”,;:!?(":
        end -= 1
    return start, end


def _completed_span(text: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """A name the model cut short ends in "of", "for" or "of the": it runs on over
    the capitalised words after it ("the Office of the" + "Deputy Prime Minister");
    one cut after "and" does too when it is an institution's ("Organisation for Economic
    Co-operation and" + "Development"), else loses the "and"; a trailing dash or
    connector with no name after is dropped ("Oscars - the", "Sweeney Todd and")."""
    name = text[start:end]
    opened = OPEN_NAME_END.search(name)
    if opened is not None and (opened.group(1).casefold() != "and"
                               or CONNECTOR_INSIDE.search(name[:opened.start()])):
        run = NAME_RUN.match(text, end, limit)  # never over the next entity
        if run is not None:
            return start, run.end()
    dangling = DANGLING_NAME_END.search(name)
    return (start, start + dangling.start()) if dangling and dangling.start() > 0 else (start, end)


def _mentions(doc: Doc, story: int) -> list[_Mention]:
    text = doc.text
    mentions = []
    ents = list(doc.ents)
    for index, ent in enumerate(ents):
        if ent.label_ not in NAME_LABELS:
            continue
        limit = ents[index + 1].start_char if index + 1 < len(ents) else len(text)
        start, end = _completed_span(
            text, *_trimmed_span(text, ent.start_char, ent.end_char), limit)
        cleaned = clean_name(text[start:end])
        before = text[max(0, start - TITLE_LOOKBEHIND_CHARS):start]
        opening, preceding = _honorifics()
        honorific = bool(opening.search(cleaned) or preceding.search(before))
        if ent.label_ == "PERSON":
            name, titled = strip_titles(cleaned)
            titled = titled or bool(_trailing_title().search(before))
        else:
            name, titled = cleaned, False
        if any(ch.isalpha() for ch in name):
            mentions.append(
                _Mention(story, start, end, text[start:end], ent.label_, name, titled, honorific)
            )
    return mentions


# -- corrections from the document itself ----------------------------------------


def _full_names(mentions: Iterable[_Mention]) -> dict[str, str]:
    """key -> name of every person mention of two words or more."""
    return {m.key: m.name for m in mentions if m.label == "PERSON" and len(m.name.split()) > 1}


@functools.cache
def _person_role_words() -> frozenset[str]:
    """Lower-case words for a person's role ("captain", "champion", "director"): the
    person and voice roles of rules/speaker_roles.tsv."""
    return frozenset(role for role, kind in _speaker_roles().items()
                     if kind in {"person", "voice"} and " " not in role)


# Labels a full name after a person's role may wrongly have.
ROLE_NAMED_LABELS = frozenset({"ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"})
ROLE_BEFORE = re.compile(r"([a-z]+)\s+$")


def _correct_role_named(mentions: list[_Mention], texts: Sequence[str]) -> None:
    """A full name right after a person's role is a person whatever the model said:
    "heptathlon champion Carolina Kluft", "France captain Fabien Pelous" tagged ORG."""
    for mention in mentions:
        if (mention.label not in ROLE_NAMED_LABELS or not 2 <= len(mention.name.split()) <= 3
                or not _looks_like_full_name(mention.name) or country_of_name(mention.name)):
            continue
        text = texts[mention.story]
        role = ROLE_BEFORE.search(text, max(0, mention.start - TITLE_LOOKBEHIND_CHARS),
                                  mention.start)
        if role is not None and role.group(1) in _person_role_words():
            mention.label = "PERSON"


def _correct_labels(mentions: list[_Mention]) -> None:
    full_names = _full_names(mentions)
    for mention in mentions:
        if mention.label != "PERSON" and (mention.key in full_names or mention.honorific):
            mention.label, mention.name, mention.titled = "PERSON", *strip_titles(mention.name)
    full_names = _full_names(mentions)
    name_words = {word for key in full_names for word in key.split()}
    titled_keys = {m.key for m in mentions if m.titled}
    for mention in mentions:
        if mention.label == "PERSON" and len(mention.name.split()) == 1:
            if mention.key in name_words or mention.key in titled_keys:
                continue
            if country_of_demonym(mention.name):
                mention.label = "NORP"
            elif is_known_place(mention.name):
                mention.label = "GPE"
        elif mention.label == "PERSON":  # "Sri Lanka" tagged PERSON
            if not (mention.titled or mention.honorific) and country_of_name(mention.name):
                mention.label = "GPE"
        elif mention.label in PLACE_LABELS:
            _correct_place(mention)


def _correct_place(mention: _Mention) -> None:
    if country_for(mention.name, mention.label):
        if not country_of_name(mention.name) and country_of_demonym(mention.name):
            mention.label = "NORP"  # "Ukrainian" tagged GPE
        return
    # "Latest Ukraine": the longest run of words, from either end, that is a place.
    words = list(re.finditer(r"\S+", mention.name))
    for size in range(len(words) - 1, 0, -1):
        for chosen in (words[-size:], words[:size]):
            part = mention.name[chosen[0].start():chosen[-1].end()]
            offset = mention.text.find(part)
            if offset >= 0 and is_known_place(part):
                mention.start += offset
                mention.end = mention.start + len(part)
                mention.text = mention.name = part
                return


def _correct_non_people(mentions: list[_Mention], texts: Sequence[str]) -> None:
    """Mentions tagged PERSON that their name or the words around them show to be
    something else take that label; evidence around one mention carries to the
    document's other mentions of the name, unless the document writes it with a
    title or an honorific, or as the surname of a full person name ("Ford shares"
    is the company, "Ford" beside "Bill Ford" stays the man)."""
    evidence: dict[str, str] = {}  # key -> label found around one of its mentions
    for mention in mentions:
        if mention.label != "PERSON" or mention.titled or mention.honorific:
            continue
        label = name_label(mention.name)
        if label is None:
            label = _context_label(mention, texts[mention.story])
            if label is not None:
                evidence.setdefault(mention.key, label)
        if label is not None:
            mention.label = label
    if not evidence:
        return
    protected = {m.key for m in mentions if m.titled or m.honorific}
    for key in _full_names(mentions):
        surname = key.split()[-1]
        protected.update({surname, *surname.split("-")})
    for mention in mentions:
        if mention.label == "PERSON" and mention.key in evidence and mention.key not in protected:
            mention.label = evidence[mention.key]


def _correct_surnames(mentions: list[_Mention], texts: Sequence[str]) -> None:
    """A one-word name tagged otherwise that is the surname of exactly one full person
    name in the document is that person ("Jose Mourinho ... And Mourinho said", with
    "Mourinho" tagged ORG), unless it is a place or a nationality or the words around
    it say what else it is ("Ford shares")."""
    surnames: dict[str, set[str]] = {}
    for key in _full_names(mentions):
        surnames.setdefault(key.split()[-1], set()).add(key)
    for mention in mentions:
        if (mention.label == "PERSON" or mention.label not in SURNAME_LABELS
                or " " in mention.key or len(surnames.get(mention.key, ())) != 1):
            continue
        if (is_known_place(mention.name) or country_of_demonym(mention.name)
                or _context_label(mention, texts[mention.story]) is not None):
            continue
        mention.label = "PERSON"


def _context_label(mention: _Mention, text: str) -> str | None:
    """The label the words right around a mention give it (non_person_contexts.tsv)."""
    inside = mention.text.replace("’", "'")
    at = inside.find(mention.name)
    before = text[max(0, mention.start - TITLE_LOOKBEHIND_CHARS):mention.start]
    after = text[mention.end:mention.end + TITLE_LOOKBEHIND_CHARS]
    if at >= 0:  # an article or a possessive written inside the span
        before, after = before + inside[:at], inside[at + len(mention.name):] + after
    before, after = before.replace("’", "'"), after.replace("’", "'")
    for before_rule, after_rule, label in _non_person_contexts():
        if (before_rule is None or before_rule.search(before)) and (
            after_rule is None or after_rule.match(after)
        ):
            return label
    return None


# -- people ----------------------------------------------------------------------


def _resolve_people(mentions: list[_Mention], texts: Sequence[str]) -> None:
    people = [m for m in mentions if m.label == "PERSON"]
    document_names = _full_names(people)
    story_names: dict[int, dict[str, str]] = {}
    for mention in people:
        story_names.setdefault(mention.story, {}).update(_full_names([mention]))
    written_names: dict[str, str | None] = {}  # surname key -> name found in plain text
    for mention in people:
        candidates = _longer_names(mention.key, story_names.get(mention.story, {}))
        if not candidates:
            candidates = _longer_names(mention.key, document_names)
        title = _knighthood_or_peerage(mention, texts[mention.story]) \
            if " " not in mention.key else None
        if not candidates and title in KNIGHTHOODS:
            # "Sir Keir" is Keir Starmer: a knight is called by the given name
            candidates = {name for key, name in document_names.items()
                          if key.split()[0] == mention.key}
        if not candidates and " " not in mention.key and _may_be_given_name(mention):
            # "Steven" in a story naming Steven Gerrard (and no other Steven)
            candidates = {name for key, name in story_names.get(mention.story, {}).items()
                          if key.split()[0] == mention.key and _looks_like_full_name(name)}
        if not candidates and " " not in mention.key:
            if mention.key not in written_names:
                written_names[mention.key] = _written_full_name(mention.name, texts)
            found = written_names[mention.key]
            candidates = {found} if found else set()
        mention.canonical = candidates.pop() if len(candidates) == 1 else mention.name
        if not candidates and title and mention.canonical == mention.name:
            # "Lord Janner", "Sir Keir": no full name given, the title is how they are known
            mention.canonical = f"{title} {mention.name}"
    peers = {m.key: m.canonical for m in people if m.canonical != m.name and " " not in m.key
             and m.canonical.split()[0] in PEERAGES | KNIGHTHOODS}
    for mention in people:  # "Lord Falconer ... Falconer said": the same peer
        if mention.canonical == mention.name and mention.key in peers:
            mention.canonical = peers[mention.key]


def _longer_names(key: str, full_names: dict[str, str]) -> set[str]:
    """Full names that end with these words, or with them and a generational suffix:
    "vinatier" -> {"Laurent Vinatier"}, "evans" -> {"Charles Evans Jr"}."""
    def ends_with_key(full: str) -> bool:
        words = full.split()
        if len(words) > 2 and words[-1].rstrip(".") in NAME_SUFFIXES:
            words = words[:-1]
        return " ".join(words).endswith(" " + key)

    if key in full_names:
        longer = {n for k, n in full_names.items() if k != key and ends_with_key(k)}
        return longer or {full_names[key]}
    return {name for k, name in full_names.items() if ends_with_key(k)}


def _knighthood_or_peerage(mention: _Mention, text: str) -> str | None:
    """ "Sir", "Lord", "Mr Justice" ... written right before a one-word person mention,
    or opening it."""
    match = KNIGHT_OR_PEER.search(
        text, max(0, mention.start - KNIGHT_OR_PEER_REACH_CHARS), mention.start) or (
        KNIGHT_OR_PEER_OPENING.match(mention.text))
    return " ".join(match.group(1).split()) if match else None


def _may_be_given_name(mention: _Mention) -> bool:
    """Not titled ("Mr Steven" is a surname), nor a country or a nationality ("Briton").
    (A city may be: "Serena" is one, and "Serena Williams" a person.)"""
    return not (mention.titled or country_of_name(mention.name)
                or country_of_demonym(mention.name))


def _looks_like_full_name(name: str) -> bool:
    """Capitalised first and last words, no digits, no one-letter lowercase word: not
    "Joe 90", "Bolton v Derby" nor a name the name rules know ("Yahoo Messenger" stays)."""
    first, *middle, last = name.split()
    return (
        bool(GIVEN_NAME.fullmatch(first) and GIVEN_NAME.fullmatch(last))
        and not any(ch.isdigit() for ch in name)
        and all(GIVEN_NAME.fullmatch(word) or (word.isalpha() and len(word) > 1)
                for word in middle)
        and name_label(name) is None
    )


def _written_full_name(surname: str, texts: Sequence[str]) -> str | None:
    """The one "Given Surname" written anywhere in texts (captions included), if one."""
    found = set()
    run = rf"(?:[A-Z][\w'’.-]*\s+){{1,{MAX_GIVEN_NAMES + 2}}}"  # titles may precede given names
    written = re.escape(surname)
    if any(c.isupper() for c in surname[1:]):  # "Leonardo diCaprio" is DiCaprio (not "may")
        written = f"[{surname[0].upper()}{surname[0].lower()}]{re.escape(surname[1:])}"
    pattern = re.compile(rf"({run}){written}\b")
    for text in texts:
        for match in pattern.finditer(text):
            given = _given_names(match.group(1).split())
            if given:
                found.add(" ".join(given + [surname]))
    return found.pop() if len(found) == 1 else None


@functools.lru_cache(maxsize=256)  # asked once per mention of a story: scan its text once
def written_person_name(surname: str, text: str) -> str | None:
    """The one full person name ending in ``surname`` written in ``text``, whatever the
    model tagged it ("captain Fabien Pelous" as ORG): not for a place, a nationality or
    a title ("Leicester" is not "BBC Radio Leicester", "Prince" not "Half-Blood Prince")."""
    if (" " in surname or surname.casefold() in title_words() or is_known_place(surname)
            or country_of_demonym(surname)):
        return None
    written = _written_full_name(surname, [text])
    return written if written and _looks_like_full_name(written) else None


def _given_names(words: list[str]) -> list[str]:
    """The given names ending a run of capitalised words, read backwards until a
    title, a possessive, a function word or a place ("In Paris Macron" has none)."""
    given: list[str] = []
    for word in reversed(words):
        folded = word.casefold()
        if (
            folded in title_words()
            or folded in STOP_WORDS
            or word.endswith(("'s", "’s", ".", ","))
            or not GIVEN_NAME.fullmatch(word)
            or is_known_place(word)
            or country_of_demonym(word)
            or len(given) == MAX_GIVEN_NAMES
        ):
            break
        given.insert(0, word)
    return given


# -- canonical names and countries -----------------------------------------------


@functools.cache
def _organisation_aliases() -> dict[str, str]:
    return {normalize_name(alias): name for alias, name in rule_rows("organisation_aliases.tsv")}


def organisation_alias(name: str) -> str | None:
    """The one name of an organisation known by several ("Tories" -> Conservative
    Party: rules/organisation_aliases.tsv), or None."""
    return _organisation_aliases().get(normalize_name(name))


def _resolve_others(mention: _Mention) -> None:
    country = country_for(mention.name, mention.label)
    mention.country = (country.name, country.code) if country else None
    alias = organisation_alias(mention.name) if not country else None
    if alias:  # "Tories", "Conservatives": one party, counted as an organisation
        mention.canonical, mention.label = alias, "ORG"
    elif country and (mention.label == "NORP" or country_of_name(mention.name) == country):
        mention.canonical = country.name
    else:
        mention.canonical = mention.name


def extract_entities(docs: Sequence[Doc], *, context: Sequence[str] = ()) -> list[list[Entity]]:
    """Canonical entities of one document: one list per story (one Doc per story).

    ``context`` is optional extra text of the same document (headlines,
    captions) where a full name may be written that the stories only give by
    surname; it is read for names only, never tagged.
    """
    mentions = [m for story, doc in enumerate(docs) for m in _mentions(doc, story)]
    texts = [doc.text for doc in docs]  # Doc.text joins every token: once per story
    _correct_role_named(mentions, texts)
    _correct_labels(mentions)
    _correct_non_people(mentions, texts)
    _correct_surnames(mentions, texts)
    _resolve_people(mentions, texts + list(context))
    for mention in mentions:
        if mention.label != "PERSON":
            _resolve_others(mention)
    entities: list[list[Entity]] = [[] for _ in docs]
    for mention in mentions:
        country, code = mention.country or (None, None)
        entities[mention.story].append(
            Entity(
                text=mention.text,
                label=mention.label,
                canonical=mention.canonical,
                start=mention.start,
                end=mention.end,
                country=country,
                country_code=code,
            )
        )
    return entities
