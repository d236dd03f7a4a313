"""Quote attribution: who said what in one story.

Three passes over one parsed story, after GenderGapTracker's design:

1. cues: a reporting verb (``lib/rules/cue_verbs.txt``, or any verb shaped like
   one: a speaker subject and a finite clausal complement) gives a speaker and a
   content; so does "according to X". A colon after the cue introduces the quote
   that follows, in the same paragraph or the next. Two layouts speak without a
   verb: a paragraph labelled "Name: claim" (headlines, transcripts) and an
   embedded post signed "-- Name (@handle) date".
2. quote marks left over: attached to a cue beside them ('"A," she said, "B"' is
   one quote), or continuing the speaker of the quote just before (a bare quoted
   paragraph). The rest -- scare quotes, titles, nicknames -- are not quotes.
3. speakers: the mention as written becomes a canonical name (the entity it
   names, a document's author, a pronoun's antecedent, an earlier mention of the
   same description), or "unknown" when nothing in the story resolves it. "he" and
   "she" skip people of the other gender (an honorific, or pronouns used with the
   name); a place that only modifies a noun is not the speaker ("the Port of
   Rotterdam authority").

Content wholly inside quote marks is "direct"; content with some quoted words is
"mixed"; the rest is "indirect".
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from lib.entities import person_name
from lib.model import UNKNOWN_SPEAKER, Entity, Quote
from lib.rules import rule_lines

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
# Children that may carry the author of a document ("The FSB statement").
AUTHOR_DEPS = frozenset({"poss", "compound", "amod", "nmod", "npadvmod"})
# Children that may carry a proper name inside a common-noun phrase.
NAME_DEPS = frozenset({"compound", "appos", "nmod"})
# Tokens that may stand between a cue and its subject without breaking adjacency.
VERB_MODIFIER_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "prt"})

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"})
PERSON, THING, GROUP = "person", "thing", "group"
LABEL_KINDS = {"PERSON": PERSON, "NORP": GROUP}
PRONOUN_KINDS = {"he": PERSON, "she": PERSON, "him": PERSON, "her": PERSON,
                 "it": THING, "they": GROUP, "them": GROUP}
# First and second person outside quote marks: the author or the reader.
UNRESOLVABLE_PRONOUNS = frozenset({"i", "we", "you", "me", "us", "one"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
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


# ---------------------------------------------------------------- rules as data


@functools.cache
def cue_verbs() -> frozenset[str]:
    return frozenset(line.casefold() for line in rule_lines("cue_verbs.txt") if " " not in line)


@functools.cache
def cue_phrases() -> tuple[tuple[str, str], ...]:
    """Prepositional cues as (head word, child word): ("according", "to")."""
    pairs = (line.casefold().split() for line in rule_lines("cue_verbs.txt") if " " in line)
    return tuple((words[0], words[1]) for words in pairs if len(words) == 2)


@functools.cache
def non_cue_verbs() -> frozenset[str]:
    return frozenset(line.casefold() for line in rule_lines("quote_non_cues.txt"))


@functools.cache
def characterising_verbs() -> frozenset[str]:
    return frozenset(line.casefold() for line in rule_lines("quote_characterising_verbs.txt"))


@functools.cache
def non_speaker_labels() -> frozenset[str]:
    return frozenset(line.casefold() for line in rule_lines("quote_non_speaker_labels.txt"))


@functools.cache
def gender_words() -> dict[str, str]:
    """Honorific or pronoun -> "m" or "f"."""
    pairs = (line.split() for line in rule_lines("quote_gender_words.txt"))
    return {word.casefold(): gender for gender, word in pairs}


@functools.cache
def document_nouns() -> frozenset[str]:
    return frozenset(line.casefold() for line in rule_lines("quote_document_nouns.txt"))


# ---------------------------------------------------------------- quote marks


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """Text between double quote marks, marks included."""

    start: int
    end: int  # a quote still open at its paragraph's end (UK style) ends there


def paragraph_bounds(text: str) -> Iterator[tuple[int, int]]:
    for match in PARAGRAPH.finditer(text):
        yield match.start(), match.end()


def quoted_spans(text: str) -> list[QuotedSpan]:
    """Pair double quote marks per paragraph, forgiving of any imbalance.

    Straight and curly marks pair with each other; a mark that opens inside an
    open quote is ignored, a stray closing mark too; a quote still open at the
    end of its paragraph runs to that end (the next paragraph reopens it).
    """
    spans = []
    for start, end in paragraph_bounds(text):
        spans.extend(
            span for span in _quoted_in_paragraph(text, start, end)
            if WORD.search(text, span.start, span.end)
        )
    return spans


def _quoted_in_paragraph(text: str, start: int, end: int) -> Iterator[QuotedSpan]:
    opened = None
    for index in range(start, end):
        char = text[index]
        if opened is None and (char in OPENING_MARKS or char == STRAIGHT_MARK):
            opened = index
        elif opened is not None and (char in CLOSING_MARKS or char == STRAIGHT_MARK):
            yield QuotedSpan(opened, index + 1)
            opened = None
    if opened is not None:
        yield QuotedSpan(opened, end)


# ---------------------------------------------------------------- attributions


@dataclass(slots=True)
class _Attribution:
    content: list[tuple[int, int]]
    cue_text: str
    cue_span: tuple[int, int]
    cue_token: Token | None
    speaker_head: Token | None
    source: _Attribution | None = None  # a continuation borrows this one's speaker
    speaker: str = UNKNOWN_SPEAKER
    speaker_kind: str = THING
    mention: tuple[int, int] | None = None
    verbatim: bool = False  # the speaker's own words without quote marks (a signed post)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)


@dataclass(slots=True)
class _Story:
    """What the passes share: the doc, its quote marks, paragraphs and entities."""

    doc: Doc
    quotes: list[QuotedSpan]
    paragraphs: list[tuple[int, int]]
    entities: Sequence[Entity]
    found: list[_Attribution] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    token_starts: list[int] = field(default_factory=list)
    quote_starts: list[int] = field(default_factory=list)
    text: str = ""  # doc.text joins every token on each access: read it once

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.starts = [start for start, _ in self.paragraphs]
        self.token_starts = [token.idx for token in self.doc]
        self.quote_starts = [quote.start for quote in self.quotes]

    def in_quote(self, position: int) -> bool:
        """Inside quote marks (the spans are sorted and never overlap)."""
        index = bisect.bisect_right(self.quote_starts, position) - 1
        return index >= 0 and position < self.quotes[index].end

    def paragraph_index(self, position: int) -> int:
        return max(bisect.bisect_right(self.starts, position) - 1, 0)

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """Tokens starting in [start, end)."""
        first = bisect.bisect_left(self.token_starts, start)
        last = bisect.bisect_left(self.token_starts, end)
        return list(self.doc[first:last])

    def paragraph_tokens(self, position: int) -> list[Token]:
        start, end = self.paragraphs[self.paragraph_index(position)] if self.paragraphs else (0, 0)
        return self.tokens_between(start, end)

    def entity_at(self, token: Token) -> Entity | None:
        return next((e for e in self.entities if e.start <= token.idx < e.end), None)


def extract_quotes(doc: Doc, entities: Sequence[Entity]) -> list[Quote]:
    """Attributed quotes of one story (``doc.text``), in text order."""
    text = doc.text
    story = _Story(doc, quoted_spans(text), list(paragraph_bounds(text)), entities)
    story.found.extend(cue_attributions(story))
    story.found.extend(_signed_posts(story))
    story.found.extend(_labelled_paragraphs(story))
    attach_quote_marks(story)
    resolve_speakers(story)
    return [_to_quote(story, a) for a in _deduplicated(story.found)]


# ---------------------------------------------------------------- pass 1: cues


def cue_attributions(story: _Story) -> Iterator[_Attribution]:
    for token in story.doc:
        if story.in_quote(token.idx):
            continue  # a cue inside quote marks belongs to the quoted speaker's words
        attribution = _phrase_cue_attribution(story, token) or _verb_attribution(story, token)
        if attribution is not None:
            yield attribution


def is_cue_verb(token: Token) -> bool:
    """A listed reporting verb, or a verb shaped like one (subject + finite clause)."""
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.casefold()
    if lemma in cue_verbs():
        return True
    # "he's certain ...": a contracted "'s" is no verb of saying, whatever its lemma
    return lemma.isalpha() and lemma not in non_cue_verbs() and _has_speaker_subject(token) and (
        _finite_complement(token) is not None
    )


def _has_speaker_subject(verb: Token) -> bool:
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None:
        return False
    return subject.ent_type_ in SPEAKER_LABELS or subject.lower_ in PRONOUN_KINDS


def _finite_complement(verb: Token) -> Token | None:
    return next(
        (c for c in verb.children
         if c.dep_ in CONTENT_DEPS and any(g.dep_ in CLAUSE_SUBJECT_DEPS for g in c.children)),
        None,
    )


def _verb_attribution(story: _Story, verb: Token) -> _Attribution | None:
    if not is_cue_verb(verb):
        return None
    speaker = _speaker_here(story, verb)
    if speaker is None:
        return None
    complements = _reported_clauses(story, verb)
    content = _colon_content(story, verb)
    if complements and not content:
        first, last = complements[0], complements[-1]
        content = _clause_content(story, first.left_edge.idx,
                                  _quoted_conjunct_end(story, verb, last), verb.idx)
    if not content:
        return None
    return _Attribution(content, *_cue_of(verb), verb, speaker)


def _reported_clauses(story: _Story, verb: Token) -> list[Token]:
    """The cue's clausal complements in its paragraph that make its content.

    One after the cue wins over one before it ('In a statement released after the
    senator suspended his campaign, Cruz said he is certain ...'); complements that
    follow one another are one clause the parse broke up ('He says there is no one
    in the race is "on pace ..."').
    """
    here = story.paragraph_index(verb.idx)
    complements = [c for c in verb.children
                   if c.dep_ in CONTENT_DEPS and story.paragraph_index(c.idx) == here]
    if not complements and verb.lemma_.casefold() in cue_verbs():
        hung = _misattached_clause(verb)
        return [hung] if hung is not None and story.paragraph_index(hung.idx) == here else []
    after = [c for c in complements if c.i > verb.i]
    if not after or (complements[0].i < verb.i and story.in_quote(complements[0].idx)):
        return complements[:1]  # '"...," Spencer said, as fighters worked out': the quote
    clauses = [after[0]]
    for complement in after[1:]:
        if complement.left_edge.i != clauses[-1].right_edge.i + 1:
            break
        clauses.append(complement)
    return clauses


def _misattached_clause(verb: Token) -> Token | None:
    """A listed cue's reported clause the parse hung elsewhere.

    'said on Friday during a news conference that he may wait': a relative clause
    of a noun in the cue's adverbials whose "that" is a complementizer (it has a
    subject of its own) is what was said. 'said legalizing it could put thousands
    to work': a verb complement holding a finite clause is too.
    """
    for child in verb.children:
        if child.dep_ == "xcomp" and child.i > verb.i and any(
                t.dep_ in CONTENT_DEPS and any(g.dep_ in CLAUSE_SUBJECT_DEPS for g in t.children)
                for t in child.subtree):
            return child
    pending = [c for c in verb.children if c.i > verb.i and c.dep_ in ADVERBIAL_DEPS]
    while pending:
        token = pending.pop(0)
        for child in token.children:
            if child.dep_ in {"relcl", "acl"} and _complementizer_clause(child):
                return child
            if child.dep_ in ADVERBIAL_DEPS | {"pobj"}:
                pending.append(child)
    return None


def _complementizer_clause(clause: Token) -> bool:
    children = list(clause.children)
    # ... and no reported clause of its own: 'at the conference that he organised
    # that the plan was dead' is his organising, then what he said
    return any(c.dep_ == "mark" and c.lower_ == "that" and c.i < clause.i for c in children) and (
        any(c.dep_ in CLAUSE_SUBJECT_DEPS for c in children)
        and not any(c.dep_ in CONTENT_DEPS for c in children))


def _quoted_conjunct_end(story: _Story, verb: Token, complement: Token) -> int:
    """The reported clause's end, past a clause joined to the cue that quotes the
    speaker: 'X says there's a "long road ahead" but he feels Cruz will "win"'."""
    end = _complement_end(complement)
    for conj in verb.children:
        if (conj.dep_ == "conj" and conj.i > complement.i
                and any(c.dep_ in CLAUSE_SUBJECT_DEPS for c in conj.children)
                and not is_cue_verb(conj)
                and story.paragraph_index(conj.idx) == story.paragraph_index(verb.idx)
                and _has_mark(story.text[conj.left_edge.idx:_token_end(conj.right_edge)])):
            end = max(end, _token_end(conj.right_edge))
    return end


def _complement_end(complement: Token) -> int:
    """Where the reported clause ends: before a second cue that shares the speaker
    ('he said he found Trump "charming" and called his rise "unheard of"')."""
    end = _token_end(complement.right_edge)
    for conj in complement.children:
        lemma = conj.lemma_.casefold()
        if conj.dep_ == "conj" and conj.pos_ == "VERB" and (
            lemma in cue_verbs() or lemma in characterising_verbs()
        ) and not any(c.dep_ in CLAUSE_SUBJECT_DEPS for c in conj.children):
            joiners = [c for c in complement.children
                       if c.dep_ in {"cc", "punct"} and c.i < conj.left_edge.i]
            end = min(end, joiners[-1].idx if joiners else conj.left_edge.idx)
    return end


def _phrase_cue_attribution(story: _Story, token: Token) -> _Attribution | None:
    """ "..., according to X": X is the speaker, the clause the phrase modifies the content."""
    for head_word, child_word in cue_phrases():
        if token.lower_ != head_word:
            continue
        child = next((c for c in token.children if c.lower_ == child_word), None)
        speaker = child and next((c for c in child.children if c.dep_ == "pobj"), None)
        if speaker is None or token.head.i == token.i:
            continue
        content = _clause_without(story, token.head, token)
        if story.paragraph_index(speaker.idx) != story.paragraph_index(token.idx):
            continue
        if content:
            cue_end = _token_end(child)
            return _Attribution(content, story.text[token.idx:cue_end],
                                (token.idx, cue_end), token, speaker)
    return None


def _cue_of(verb: Token) -> tuple[str, tuple[int, int]]:
    """The cue as written: the verb and its particle ("pointed out")."""
    end = _token_end(verb)
    particle = next((c for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1), None)
    if particle is not None:
        end = _token_end(particle)
    last = particle if particle is not None else verb
    return verb.doc[verb.i:last.i + 1].text, (verb.idx, end)


def _speaker_here(story: _Story, verb: Token) -> Token | None:
    """The cue's speaker when it stands in the cue's paragraph (parses run over breaks)."""
    speaker = speaker_head(verb)
    if speaker is not None and story.in_quote(speaker.idx):
        speaker = _name_after_quote(story, speaker, verb)
    if speaker is None or story.paragraph_index(speaker.idx) != story.paragraph_index(verb.idx):
        return None
    return speaker


def _name_after_quote(story: _Story, inside: Token, verb: Token) -> Token | None:
    """'"Very good reporter," Trump, the frontrunner, said' parsed with the quoted
    words as subject: quoted words name no speaker; the name after them does."""
    quote = next(q for q in story.quotes if q.start <= inside.idx < q.end)
    names = [t for t in story.tokens_between(quote.end, verb.idx) if _name_like(t)]
    if not names:
        return None
    head = names[0]
    while head.dep_ in {"compound", "flat"} and head.head in names:
        head = head.head
    return head


def speaker_head(verb: Token) -> Token | None:
    """The head of the cue's speaker: its subject, or the subject of the verb above."""
    token = verb
    for _ in range(MAX_CLIMB):
        deps = SUBJECT_DEPS if token.i == verb.i else SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
        subject = _nearest_subject(token, deps)
        if subject is not None and not (token.i != verb.i and _quoted_after(verb, subject)):
            return subject  # "who" in "officials who said": resolved in pass 3
        if token.i == verb.i and (stray := _stray_apposition(verb)) is not None:
            return stray
        if token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
            return None
        if token.i == verb.i and any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in token.children):
            return None  # "he was told that": the subject is the listener
        token = _reported_clause_owner(token.head)
    return None


def _stray_apposition(verb: Token) -> Token | None:
    """A finite cue with no subject right after an apposition the parse hung
    elsewhere: 'In a statement to the Observer, her adviser, Jake Sullivan, said:'."""
    if verb.tag_ not in FINITE_TAGS or verb.dep_ != "ROOT":
        return None
    before = verb.i - 1
    while before >= 0 and verb.doc[before].text == ",":
        before -= 1
    if before < 0 or before == verb.i - 1:
        return None  # the speaker is set off by commas, as an apposition is
    token = verb.doc[before]
    while token.dep_ in {"compound", "flat"} and token.head.i > token.i:
        token = token.head
    return token if token.dep_ == "appos" and token.pos_ in {"PROPN", "NOUN"} else None


def _nearest_subject(verb: Token, deps: frozenset[str]) -> Token | None:
    """The verb's subject; of two (a misparse: "In Salem, New Hampshire, Trump went"),
    the one nearest the verb."""
    subjects = [c for c in verb.children if c.dep_ in deps]
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


def _quoted_after(verb: Token, subject: Token) -> bool:
    """A subject past a quote mark after the cue: 'telling the crowd, "Some people
    get ..."' -- the quoted words' own subject, which a parse may hang the cue from."""
    return subject.i > verb.i and any(t.is_quote for t in verb.doc[verb.i + 1:subject.i])


def _reported_clause_owner(token: Token) -> Token:
    """A listed cue above the reported clause a participle hangs from: "Trump told
    Newsmax that Romney "had ...", adding" -- adding is Trump's, not Romney's."""
    head = token.head
    if token.dep_ in CONTENT_DEPS and head.i < token.i and head.lemma_.casefold() in cue_verbs():
        return head
    return token


def _token_end(token: Token) -> int:
    return token.idx + len(token.text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_JUNK:
        start += 1
    while end > start and (text[end - 1] in EDGE_JUNK or text[end - 1] == "."):
        end -= 1
    return start, end


def _clause_content(story: _Story, start: int, end: int, cue: int) -> list[tuple[int, int]]:
    """A clause's content in the cue's paragraph, widened to whole quote spans.

    Only quote spans: those spans (a direct quote).
    """
    text = story.text
    paragraph_start, paragraph_end = story.paragraphs[story.paragraph_index(cue)]
    start, end = _trim(text, max(start, paragraph_start), min(end, paragraph_end))
    for quote in story.quotes:
        if quote.start < start < quote.end:
            start = quote.start
        if quote.start < end < quote.end:
            end = quote.end
    if len(text[start:end].split()) < MIN_CONTENT_WORDS and not _has_mark(text[start:end]):
        return []
    inner = [q for q in story.quotes if start <= q.start and q.end <= end]
    outside, position = [], start
    for quote in inner:
        outside.append(text[position:quote.start])
        position = quote.end
    outside.append(text[position:end])
    if inner and not WORD.search("".join(outside)):
        return [(q.start, q.end) for q in inner]
    return [(start, end)]


def _clause_without(story: _Story, head: Token, cut: Token) -> list[tuple[int, int]]:
    """The clause under ``head`` minus the phrase under ``cut``: the longer side."""
    left = (head.left_edge.idx, cut.left_edge.idx)
    right = (_token_end(cut.right_edge), _token_end(head.right_edge))
    start, end = max(left, right, key=lambda span: span[1] - span[0])
    return _clause_content(story, start, end, cut.idx) if end > start else []


def _colon_content(story: _Story, verb: Token) -> list[tuple[int, int]]:
    """'X wrote on X: "..."': the quote after the colon, here or opening the next paragraph."""
    text = story.text
    colon = _colon_after(verb)
    if colon is None:
        return []
    paragraph = story.paragraph_index(colon.idx)
    _, paragraph_end = story.paragraphs[paragraph]
    rest = text[colon.idx + 1:paragraph_end]
    if rest.strip():
        quote = next((q for q in story.quotes if q.start > colon.idx), None)
        if quote is not None and not text[colon.idx + 1:quote.start].strip():
            return [(quote.start, quote.end)]
        return _clause_content(story, colon.idx + 1, paragraph_end, colon.idx)
    if paragraph + 1 < len(story.paragraphs):
        next_start, _ = story.paragraphs[paragraph + 1]
        quote = next((q for q in story.quotes if q.start == next_start), None)
        if quote is not None:
            return [(quote.start, quote.end)]
    return []


def _colon_after(verb: Token) -> Token | None:
    """A colon closing the cue's clause: only the cue's own words stand between."""
    allowed = _own_words(verb)
    for token in verb.doc[verb.i + 1: verb.i + 1 + MAX_GAP_TOKENS]:
        if token.text == ":":
            return token
        if token.is_space or token.text in SENTENCE_ENDS or token not in allowed:
            return None
    return None


def _own_words(verb: Token) -> set[Token]:
    """The verb's subtree without its clausal complement: speaker, adverbials, particles."""
    content = {t for c in verb.children if c.dep_ in CONTENT_DEPS for t in c.subtree}
    return {t for t in verb.subtree if t not in content}


def _has_mark(text: str) -> bool:
    return any(mark in text for mark in DOUBLE_MARKS)


# ---------------------------------------------------------------- pass 1b: layouts


def _labelled_paragraphs(story: _Story) -> Iterator[_Attribution]:
    """'Trump: Cruz has a long way to go' -- a short name, a colon, a claim.

    Headlines and transcripts put the speaker before a colon at the start of a
    paragraph; a label with a verb of its own is a sentence, and a claim needs a
    verb or quote marks ('Breitbart News Daily: A World at War' is a title).
    """
    for start, end in story.paragraphs:
        tokens = [t for t in story.tokens_between(start, end) if not t.is_space]
        colon = next((i for i, t in enumerate(tokens[:MAX_LABEL_TOKENS + 1]) if t.text == ":"),
                     None)
        if not colon:
            continue
        label, claim = tokens[:colon], tokens[colon + 1:]
        head = _label_speaker(story, label)
        if head is None or not _is_claim(claim):
            continue
        content = _trim(story.text, _token_end(tokens[colon]), end)
        if content[1] - content[0] < 2 or _overlaps(content, story.found):
            continue
        colon_span = (tokens[colon].idx, tokens[colon].idx + 1)
        yield _Attribution([content], ":", colon_span, None, head)


def _label_speaker(story: _Story, label: Sequence[Token]) -> Token | None:
    """The speaker a paragraph label names: no verb, a name or a document noun."""
    if not label or any(t.pos_ in {"VERB", "AUX"} for t in label):
        return None
    if " ".join(t.lower_ for t in label) in non_speaker_labels():
        return None
    # Capitalised nouns count: a label opens its paragraph, where the tagger
    # often reads a surname as a common noun ("Trump: ...").
    named = [t for t in label if t.pos_ == "PROPN" or (t.pos_ == "NOUN" and t.text[:1].isupper())
             or (story.entity_at(t) is not None and story.entity_at(t).label in SPEAKER_LABELS)]
    if not named and label[-1].lemma_.casefold() not in document_nouns():
        return None
    inside = {t.i for t in label}
    tops = [t for t in label if t.head.i not in inside or t.head.i == t.i]
    return tops[-1] if tops and tops[-1].pos_ in {"PROPN", "NOUN", "PRON"} else label[-1]


def _is_claim(claim: Sequence[Token]) -> bool:
    words = [t for t in claim if t.is_alpha]
    return len(words) >= MIN_CONTENT_WORDS and any(
        t.pos_ in {"VERB", "AUX"} or t.tag_ in FINITE_TAGS or t.is_quote for t in claim
    )


def _overlaps(span: tuple[int, int], found: Iterable[_Attribution]) -> bool:
    return any(s < span[1] and span[0] < e for a in found for s, e in a.content)


def _signed_posts(story: _Story) -> Iterator[_Attribution]:
    """An embedded post signed '-- Name (@handle) June 29, 2016': the name's words.

    The social-media embed form (tweets, posts): the post's text, then a dash,
    the author's name and handle, and a date. The words are the author's own.
    """
    text = story.text
    for start, end in story.paragraphs:
        for match in SIGNED_POST.finditer(text, start, end):
            opening = text.rfind(">", start, match.start())  # an embed's own tag
            content = _trim(text, max(start, opening + 1), match.start())
            if content[1] - content[0] < 2 or _overlaps(content, story.found):
                continue
            name = [t for t in story.tokens_between(match.start("name"), match.end("name"))
                    if not t.is_punct]
            if not name:
                continue
            dash = (match.start(), match.start() + 1)
            yield _Attribution([content], text[dash[0]:dash[1]], dash, None, name[-1],
                               verbatim=True)


# ---------------------------------------------------------------- pass 2: quote marks


def attach_quote_marks(story: _Story) -> None:
    """Quote marks no cue claimed: beside a cue, or continuing the quote before.

    Adds to ``story.found`` as it goes, so a continuation can continue one.
    """
    by_cue = {a.cue_token.i: a for a in story.found if a.cue_token is not None}
    for quote in story.quotes:
        if _overlaps((quote.start, quote.end), story.found):
            continue
        verb = _adjacent_cue(story, quote)
        if verb is not None:
            existing = by_cue.get(verb.i)
            if existing is not None and _same_paragraph(story, existing.end, quote.start):
                existing.content.append((quote.start, quote.end))  # split quote
                continue
            if existing is None:
                attribution = _Attribution([(quote.start, quote.end)], *_cue_of(verb), verb,
                                           _speaker_here(story, verb))
                by_cue[verb.i] = attribution
                story.found.append(attribution)
                continue
        attribution = (_characterised(story, quote) or _dash_signed(story, quote)
                       or _named_after(story, quote) or _colon_introduced(story, quote))
        if attribution is not None:
            story.found.append(attribution)
            continue
        source = _continued_attribution(story, quote)
        if source is not None:
            attribution = _Attribution([(quote.start, quote.end)], source.cue_text,
                                       source.cue_span, None, source.speaker_head, source)
            story.found.append(attribution)


def _same_paragraph(story: _Story, a: int, b: int) -> bool:
    return story.paragraph_index(max(a - 1, 0)) == story.paragraph_index(b)


def _adjacent_cue(story: _Story, quote: QuotedSpan) -> Token | None:
    """A cue right after the quote ('"...," she said'), else right before it."""
    here = story.paragraph_tokens(quote.start)
    after = [t for t in here if t.idx >= quote.end]
    for verb in after:
        if story.in_quote(verb.idx):
            break
        if _quote_cue(story, verb) and _gap_after_quote_ok(story, quote, verb):
            return verb
    before = [t for t in here if _token_end(t) <= quote.start]
    for verb in reversed(before):
        if story.in_quote(verb.idx):
            break
        if _quote_cue(story, verb) and _gap_before_quote_ok(story, verb, quote):
            return verb
    return None


def _quote_cue(story: _Story, token: Token) -> bool:
    return is_cue_verb(token) and _speaker_here(story, token) is not None


def _gap_after_quote_ok(story: _Story, quote: QuotedSpan, verb: Token) -> bool:
    """Between '"...,"' and 'said' only the speaker, auxiliaries and commas."""
    speaker = speaker_head(verb)
    allowed = set(speaker.subtree) if speaker is not None else set()
    allowed |= {c for c in verb.children if c.dep_ in VERB_MODIFIER_DEPS}
    gap = [t for t in story.tokens_between(quote.end, verb.idx) if not t.is_space]
    return len(gap) <= MAX_GAP_TOKENS and all(
        t in allowed or t.text in GAP_PUNCT or (t.is_quote and t.idx < quote.end) for t in gap
    )


def _gap_before_quote_ok(story: _Story, verb: Token, quote: QuotedSpan) -> bool:
    """Between 'said' and '"...' only the cue's own words and punctuation."""
    allowed = _own_words(verb)
    gap = [t for t in story.tokens_between(_token_end(verb), quote.start) if not t.is_space]
    if len(gap) > MAX_GAP_TOKENS or not all(t in allowed or t.is_punct for t in gap):
        return False
    # 'said: "', 'said, "', 'said "' -- not a quoted term deep in a phrase ('to the "X"')
    return not gap or gap[-1].is_punct or any(
        t.head.i == verb.i for t in story.tokens_between(quote.start, quote.end)
    )


def _characterised(story: _Story, quote: QuotedSpan) -> _Attribution | None:
    """'Graham called both candidates "crazy"': quoted words in a characterising verb's
    complement are a mixed quote of its subject; a quoted name in a phrase is not."""
    verb = _characterising_verb(_governing_verb(story, quote))
    if verb is None:
        return None
    speaker = _speaker_here(story, verb)
    if speaker is None:
        return None
    content = _clause_content(story, _token_end(verb), _phrase_end(verb, quote), verb.idx)
    if not content:
        return None
    return _Attribution(content, *_cue_of(verb), verb, speaker)


def _phrase_end(verb: Token, quote: QuotedSpan) -> int:
    """The end of the verb's complement holding the quote: 'called for more
    "flexibility" for advisers in Iraq' runs on past the quoted word."""
    holder = next((c for c in verb.children
                   if c.left_edge.idx <= quote.start < _token_end(c.right_edge)), None)
    if holder is None or holder.dep_ not in {"prep", "dobj", "oprd", "xcomp"}:
        return quote.end
    return max(quote.end, _token_end(holder.right_edge))


def _characterising_verb(verb: Token | None) -> Token | None:
    """The verb itself when listed, or a listed verb it complements through a
    preposition: 'accuses Sanders of subjecting her to an "artful smear"'."""
    for _ in range(MAX_CLIMB):
        if verb is None:
            return None
        if verb.lemma_.casefold() in characterising_verbs():
            return verb
        if verb.dep_ not in {"pcomp", "xcomp"}:
            return None
        verb = verb.head if verb.head.pos_ == "VERB" else verb.head.head
    return None


def _governing_verb(story: _Story, quote: QuotedSpan) -> Token | None:
    """The first verb above the quoted words, outside the quote, after no clause of its own."""
    inside = story.tokens_between(quote.start, quote.end)
    tops = [t for t in inside if not quote.start <= t.head.idx < quote.end]
    token = tops[0].head if tops else None
    for _ in range(MAX_CLIMB):
        if token is None or token.idx > quote.start:
            return None
        if token.pos_ == "VERB":
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _dash_signed(story: _Story, quote: QuotedSpan) -> _Attribution | None:
    """ '"..." -- Jane Doe' closing a paragraph: the name after the dash is the speaker."""
    text = story.text
    _, paragraph_end = story.paragraphs[story.paragraph_index(quote.start)]
    rest = text[quote.end:paragraph_end].strip()
    if not rest or rest[0] not in DASHES or len(rest.split()) > 8:
        return None
    dash = text.index(rest[0], quote.end)
    names = [t for t in story.tokens_between(dash + 1, paragraph_end) if _name_like(t)]
    if not names:
        return None
    head = names[0]
    while head.head.i != head.i and head.head in names:
        head = head.head
    return _Attribution([(quote.start, quote.end)], rest[0], (dash, dash + 1), None, head)


def _named_after(story: _Story, quote: QuotedSpan) -> _Attribution | None:
    """'"...," Ramos, 58, told AFP' or '"...," Trump barked': a quote that ends in a
    comma, then a noun phrase and a finite verb, is the noun phrase's, whatever the
    verb and however the parse hung the phrase (as a conjunct, or the verb as an
    apposition of the quoted words)."""
    inner = story.text[quote.start:quote.end].rstrip(CLOSING_MARKS + STRAIGHT_MARK + " ")
    if not inner.endswith(",") or not _opens_sentence(story, quote):
        return None  # 'the cast of "Planet of the Apes," X reacted': a title in a phrase
    gap: list[Token] = []
    for token in story.paragraph_tokens(quote.start):
        if token.idx < quote.end or token.is_space:
            continue
        if token.pos_ == "VERB" and gap and (token.tag_ in FINITE_TAGS or (
                token.tag_ == "VBN" and gap[-1].text != ",")):
            # a participle after a comma is a description ('McFadden, known as')
            return _phrase_speaker_attribution(story, quote, gap, token)
        if story.in_quote(token.idx) or len(gap) >= MAX_SPEAKER_TOKENS or not (
            token.text == "," or token.pos_ in SPEAKER_PHRASE_POS
            or token.text in POSSESSIVE_MARKS
        ):
            return None
        gap.append(token)
    return None


def _opens_sentence(story: _Story, quote: QuotedSpan) -> bool:
    """The quote starts its paragraph or follows a sentence end, a colon or another quote."""
    start, _ = story.paragraphs[story.paragraph_index(quote.start)]
    before = story.text[start:quote.start].rstrip()
    return not before or before[-1] in ".!?:" + CLOSING_MARKS + STRAIGHT_MARK


def _phrase_speaker_attribution(
    story: _Story, quote: QuotedSpan, phrase: Sequence[Token], verb: Token
) -> _Attribution | None:
    """The speaker in a noun phrase: its first named speaker (person, organisation,
    group, place) or pronoun. A phrase with none ('"Hamlet," the new play, opened')
    or whose name only owns its head ('"Jaws," Spielberg's first hit, opened') names
    no speaker."""
    if phrase[0].text == ",":
        return None  # '"...," , said' is no speaker phrase
    head = next((t for t in phrase if t.lower_ in PRONOUN_KINDS or (
        (entity := story.entity_at(t)) is not None and entity.label in SPEAKER_LABELS)), None)
    if head is None:
        return None
    entity = story.entity_at(head)
    while entity is not None and head.i + 1 < len(head.doc) and (
            head.doc[head.i + 1].idx < entity.end):
        head = head.doc[head.i + 1]  # the last word of the name
    following = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else head
    if POSSESSIVE_MARKS & {head.text, following.text}:
        return None
    return _Attribution([(quote.start, quote.end)], *_cue_of(verb), verb, head)


def _colon_introduced(story: _Story, quote: QuotedSpan) -> _Attribution | None:
    """'She then addressed the supporters again: "..."': a quote right after a colon
    closing a clause whose subject is a person, group or organisation, whatever its
    verb (a listed cue may also introduce the next paragraph)."""
    text = story.text
    before = text[:quote.start].rstrip()
    if not before.endswith(":"):
        return None
    colon_at = len(before) - 1
    if "\n" in text[colon_at:quote.start]:
        return None  # a list of quoted paragraphs after 'He listed the qualities:' is no speech
    colon = next((t for t in story.tokens_between(colon_at, colon_at + 1) if t.text == ":"), None)
    if colon is None:
        return None
    verb = colon.head
    if verb.pos_ != "VERB" or not _has_speaker_subject(verb):
        return None
    closing = _colon_after(verb)
    if closing is None or closing.i != colon.i:
        return None
    speaker = _speaker_here(story, verb)
    if speaker is None:
        return None
    return _Attribution([(quote.start, quote.end)], *_cue_of(verb), verb, speaker)


def _continued_attribution(story: _Story, quote: QuotedSpan) -> _Attribution | None:
    """The attribution a bare quote continues: the last one, ending just before it.

    A quote that opens its paragraph continues the previous paragraph's last
    attribution; inside a paragraph, only one that ends right before the quote.
    """
    earlier = [a for a in story.found if a.end <= quote.start]
    if not earlier:
        return None
    last = max(earlier, key=lambda a: a.end)
    paragraph = story.paragraph_index(quote.start)
    opens_paragraph = story.paragraphs[paragraph][0] == quote.start
    last_paragraph = story.paragraph_index(max(last.end - 1, 0))
    if opens_paragraph:
        return last if last_paragraph == paragraph - 1 else None
    between = story.text[last.end:quote.start]
    return last if last_paragraph == paragraph and not WORD.search(between) else None


# ---------------------------------------------------------------- pass 3: speakers


@dataclass(frozen=True, slots=True)
class _Mention:
    """An earlier mention a pronoun or a definite description may point back to."""

    position: int
    kind: str
    canonical: str
    head_lemma: str
    gender: str | None = None  # "m", "f" or unknown


def resolve_speakers(story: _Story) -> None:
    genders = person_genders(story.doc, story.entities, story.text)
    mentions = [_gendered(m, genders) for m in _salient_subjects(story)]
    for attribution in sorted(story.found, key=_speaker_position):
        if attribution.source is not None:
            _inherit_speaker(attribution)
            continue
        head = attribution.speaker_head
        if head is None:
            continue
        attribution.mention = _mention_span(head)
        attribution.speaker, attribution.speaker_kind = _canonical_speaker(story, head, mentions)
        if attribution.speaker != UNKNOWN_SPEAKER:
            mentions.append(_gendered(_Mention(head.idx, attribution.speaker_kind,
                                               attribution.speaker, head.lemma_.casefold()),
                                      genders))


def _gendered(mention: _Mention, genders: dict[str, str]) -> _Mention:
    if mention.kind != PERSON or mention.canonical not in genders:
        return mention
    return _Mention(mention.position, mention.kind, mention.canonical, mention.head_lemma,
                    genders[mention.canonical])


def person_genders(doc: Doc, entities: Sequence[Entity], text: str) -> dict[str, str]:
    """Canonical person -> "m"/"f" from an honorific before a mention ("Ms de Vos"),
    else from the pronouns after the only person named in a sentence."""
    words = gender_words()
    people = [e for e in entities if e.label == "PERSON"]
    titled: dict[str, str] = {}
    for entity in people:
        before = text[max(0, entity.start - 12):entity.start].split()
        first = entity.text.split()[0].rstrip(".") if entity.text.split() else ""
        for word in (first, before[-1].rstrip(".") if before else ""):
            if word[:1].isupper() and word.casefold() in words:
                titled.setdefault(entity.canonical, words[word.casefold()])
    votes: dict[str, list[str]] = {}
    for sentence in doc.sents:
        named = {e.canonical: e.end for e in people if sentence.start_char <= e.start < sentence.end_char}
        if len(named) != 1:
            continue
        ((canonical, end),) = named.items()
        pronoun = next((t for t in sentence if t.idx >= end and t.pos_ == "PRON"
                        and t.lower_ in words), None)
        if pronoun is not None:
            votes.setdefault(canonical, []).append(words[pronoun.lower_])
    voted = {name: max(set(v), key=v.count) for name, v in votes.items() if len(set(v)) == 1}
    return {**voted, **titled}


def _speaker_position(attribution: _Attribution) -> int:
    if attribution.source is not None:
        return attribution.content[0][0]
    head = attribution.speaker_head
    return head.idx if head is not None else attribution.cue_span[0]


def _inherit_speaker(attribution: _Attribution) -> None:
    source = attribution.source
    while source.source is not None:
        source = source.source
    attribution.speaker, attribution.speaker_kind = source.speaker, source.speaker_kind
    attribution.mention, attribution.speaker_head = source.mention, source.speaker_head


def _salient_subjects(story: _Story) -> Iterator[_Mention]:
    """Named subjects outside quote marks: what "he", "it" and "they" may mean."""
    for token in story.doc:
        if token.dep_ not in CLAUSE_SUBJECT_DEPS or story.in_quote(token.idx):
            continue
        entity = story.entity_at(token)
        if token.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in token.children):
            yield _Mention(token.idx, GROUP, _phrase(_mention_span(token), token.doc),
                           token.lemma_.casefold())
        elif entity is not None and entity.label in SPEAKER_LABELS:
            yield _Mention(token.idx, LABEL_KINDS.get(entity.label, THING), entity.canonical,
                           token.lemma_.casefold())


def _canonical_speaker(story: _Story, head: Token, mentions: list[_Mention]) -> tuple[str, str]:
    lower = head.lower_
    if lower in PRONOUN_KINDS:
        return _antecedent(mentions, head.idx, PRONOUN_KINDS[lower], gender_words().get(lower))
    antecedent = _relative_antecedent(head)
    if antecedent is not None:  # "officials who said that ...": the mention is "who"
        return _canonical_speaker(story, antecedent, mentions)
    if lower in UNRESOLVABLE_PRONOUNS or lower in RELATIVE_PRONOUNS:
        return UNKNOWN_SPEAKER, PERSON
    entity = story.entity_at(head)
    if entity is not None and entity.label in SPEAKER_LABELS:
        kind = LABEL_KINDS.get(entity.label, THING)
        return _name_with_modifiers(head, entity) or entity.canonical, kind
    if head.lemma_.casefold() in document_nouns():
        author = _document_author(story, head)
        if author:
            return author, THING
    name = _proper_name(story, head)
    if name:
        return name, THING
    kind = GROUP if head.tag_ in {"NNS", "NNPS"} else THING
    if _is_definite(head):
        earlier = _same_description(story, mentions, head)
        if earlier:
            return earlier, kind
    return _phrase(_mention_span(head), head.doc, drop_determiner=True), kind


def _relative_antecedent(head: Token) -> Token | None:
    """The noun a relative pronoun subject stands for: "Jeb Bush, who said" -> Bush."""
    if head.lower_ not in RELATIVE_PRONOUNS:
        return None
    clause = head.head
    while clause.dep_ in {"conj", "xcomp", "advcl"} and clause.head.i != clause.i:
        clause = clause.head  # "who left and said", "who went on to say"
    if clause.dep_ != "relcl" or clause.head.i == clause.i:
        return None
    return clause.head


def _antecedent(mentions: Sequence[_Mention], position: int, kind: str,
                gender: str | None = None) -> tuple[str, str]:
    """The latest earlier mention of the pronoun's kind; "she" skips a known man."""
    compatible = [m for m in mentions if m.position < position and m.kind == kind
                  and (gender is None or m.gender in (None, gender))]
    if not compatible:
        return UNKNOWN_SPEAKER, kind
    latest = max(compatible, key=lambda m: m.position)
    return latest.canonical, kind


def _document_author(story: _Story, head: Token) -> str | None:
    """ "A Russian Foreign Ministry statement" -> "Russian Foreign Ministry"."""
    tokens = sorted(
        (t for c in head.children if c.dep_ in AUTHOR_DEPS for t in c.subtree
         if t.dep_ != "case"),
        key=lambda t: t.i,
    )
    if not tokens:
        return None
    start, end = tokens[0].idx, _token_end(tokens[-1])
    entity = next((e for e in story.entities if e.start == start and e.end == end), None)
    if entity is not None:
        return entity.canonical
    return story.text[start:end]


def _proper_name(story: _Story, head: Token) -> str | None:
    """A name inside a common-noun phrase: "private energy provider DTEK" -> DTEK.

    A place that only modifies the head names no speaker: "the Port of Rotterdam
    authority" is that authority, not Rotterdam.
    """
    candidates = [head] + [t for c in head.children if c.dep_ in NAME_DEPS for t in c.subtree]
    for token in candidates:
        entity = story.entity_at(token)
        if entity is not None and entity.label in {"PERSON", "ORG"} and token.dep_ != "pobj":
            return entity.canonical
    names = sorted((t for t in candidates if _name_like(t)), key=lambda t: t.i)
    if not names:
        return None
    if not _name_like(head) and not any(t.dep_ == "appos" for t in names):
        return _phrase(_mention_span(head), head.doc, drop_determiner=True)
    run = [names[-1]]  # the run of proper nouns nearest the head
    for token in reversed(names[:-1]):
        if token.i != run[0].i - 1:
            break
        run.insert(0, token)
    written = head.doc[run[0].i:run[-1].i + 1].text
    return _full_person_name(story, written) or written


def _full_person_name(story: _Story, written: str) -> str | None:
    """ "Ms de Vos" -> "Marieke de Vos", and a surname NER missed ("Lopez, 58,
    told") -> "Maria Lopez": the one person whose name ends in the name's words,
    surname particles (de, van, al-) included."""
    name = person_name(written)
    if not name:
        return None
    matches = {e.canonical for e in story.entities if e.label == "PERSON"
               and (e.canonical == name or e.canonical.endswith(" " + name))}
    return matches.pop() if len(matches) == 1 else None


def _name_with_modifiers(head: Token, entity: Entity) -> str | None:
    """ "Police Scotland": proper-noun modifiers before a non-person entity are part
    of the speaker's name, not a title to drop."""
    if entity.label == "PERSON":
        return None
    modifiers = [c for c in head.children
                 if c.dep_ == "compound" and c.idx < entity.start and _name_like(c)]
    if not modifiers or _token_end(modifiers[-1]) + 1 < entity.start:
        return None
    start = min(t.idx for m in modifiers for t in m.subtree)
    return head.doc.char_span(start, entity.end, alignment_mode="expand").text


def _name_like(token: Token) -> bool:
    """A proper noun, or a capitalised word the tagger missed ("DTEK" as NOUN)."""
    if token.pos_ == "PROPN":
        return True
    return token.is_alpha and token.pos_ == "NOUN" and any(c.isupper() for c in token.text) and (
        not token.is_sent_start
    )


def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children)


def _same_description(story: _Story, mentions: Sequence[_Mention], head: Token) -> str | None:
    """ "the statement" -> the statement named earlier; "the ministry" -> a Ministry entity."""
    lemma = head.lemma_.casefold()
    earlier = [m for m in mentions if m.position < head.idx and m.head_lemma == lemma]
    if earlier:
        return max(earlier, key=lambda m: m.position).canonical
    named = [e for e in story.entities if e.end <= head.idx and e.label == "ORG"
             and lemma in e.text.casefold().split()]
    return named[-1].canonical if named else None


def _mention_span(head: Token) -> tuple[int, int]:
    """The speaker as written, without asides, cut at commas around the head."""
    kept = [head] + [
        t for c in head.children if c.dep_ not in ASIDE_DEPS for t in c.subtree
    ]
    kept.sort(key=lambda t: t.i)
    start = next(i for i, t in enumerate(kept) if t.i == head.i)
    end = start
    while start > 0 and kept[start - 1].i == kept[start].i - 1 and kept[start - 1].text != ",":
        start -= 1
    while end + 1 < len(kept) and kept[end + 1].i == kept[end].i + 1 and kept[end + 1].text != ",":
        end += 1
    return kept[start].idx, _token_end(kept[end])


def _phrase(span: tuple[int, int], doc: Doc, *, drop_determiner: bool = False) -> str:
    text = doc.char_span(span[0], span[1], alignment_mode="expand").text
    if drop_determiner:
        first, _, rest = text.partition(" ")
        if first.casefold() in DETERMINERS and rest:
            text = rest
    return text.strip()


# ---------------------------------------------------------------- output


def _deduplicated(found: Iterable[_Attribution]) -> list[_Attribution]:
    seen, kept = set(), []
    for attribution in sorted(found, key=lambda a: a.content[0][0]):
        key = tuple(sorted(attribution.content))
        if key not in seen:
            seen.add(key)
            kept.append(attribution)
    return kept


def _to_quote(story: _Story, attribution: _Attribution) -> Quote:
    text = story.text
    spans = sorted(attribution.content)
    mention = attribution.mention
    return Quote(
        text=" ".join(text[s:e] for s, e in spans),
        kind="direct" if attribution.verbatim else _kind(story, spans),
        speaker=attribution.speaker,
        speaker_mention=text[mention[0]:mention[1]] if mention else "",
        cue=attribution.cue_text,
        spans=spans,
        speaker_span=mention,
        cue_span=attribution.cue_span,
    )


def _kind(story: _Story, spans: Sequence[tuple[int, int]]) -> str:
    quoted = {(q.start, q.end) for q in story.quotes}
    if all(span in quoted for span in spans):
        return "direct"
    if any(_has_mark(story.text[s:e]) for s, e in spans):
        return "mixed"
    return "indirect"


__all__ = ["QuotedSpan", "extract_quotes", "is_cue_verb", "quoted_spans", "speaker_head"]
