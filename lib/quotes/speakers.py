"""Speaker resolution: the mention as written becomes a name, or an unnamed source.

A mention ends in a name whenever the story gives one:
- a named entity is its canonical name ("Mr Zelensky" -> Volodymyr Zelensky);
- a pronoun is the nearest compatible candidate before it: in the latest sentence
  holding one, the last speaker or named subject, else the first person named
  there; "he" and "she" skip people of the other gender;
- a role or description is whoever the story gives it to: the same description
  earlier ("the spokesman"), an apposition or title ("Gordon Brown, the chancellor",
  "Chancellor Gordon Brown", "Smith, 25," for "the 25-year-old"), the organisation
  of the story for "the company", the country of the story for "the government";
  a person's role that no one holds, right after a sentence about a person, is that
  person ("Gordon Brown has called ... the UK chancellor predicted"), while a voice
  for others (a spokesman, an official, an analyst) never is;
- a document is its author ("a Conference Board survey").
Otherwise the source is unnamed: its description ("Home Office spokesman",
"analysts") and, when the phrase gives it, the body it speaks for ("Home Office");
and "unknown" when the story does not say at all ("I", "we"). A place that only
modifies a noun is not the speaker ("the Port of Rotterdam authority").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from lib.countries import country_of_demonym
from lib.entities import organisation_alias, person_name, title_words, written_person_name
from lib.model import UNKNOWN_SPEAKER, UNNAMED_SPEAKER, Entity
from lib.people import name_label
from lib.quotes.lexicon import (
    ANY,
    ASIDE_DEPS,
    AUTHOR_DEPS,
    BODY,
    BODY_DEPS,
    BODY_PREPOSITIONS,
    BODY_ROLE,
    CLAUSE_SUBJECT_DEPS,
    COVERED_ROLES,
    DETERMINERS,
    DOUBLE_MARKS,
    FINITE_TAGS,
    GOVERNMENT_ROLE,
    GROUP,
    LABEL_KINDS,
    NAME_DEPS,
    NATIONAL_BODIES,
    PEOPLE_ROLES,
    PERSON,
    PERSON_ROLE,
    PLURAL_TAGS,
    POSSESSIVE_DETERMINERS,
    PRONOUN_KINDS,
    PRONOUN_REFERENTS,
    PROXY_ROLE,
    RELATIVE_PRONOUNS,
    SENTENCE_ENDS,
    SPEAKER_LABELS,
    THING,
    UNRESOLVABLE_PRONOUNS,
    YEAR_OLD,
    authoring_verbs,
    cue_verbs,
    document_nouns,
    gender_words,
    speaker_roles,
)
from lib.quotes.marks import continued_attribution
from lib.quotes.story import (
    Attribution,
    ParsedStory,
    QuotedSpan,
    name_like,
    token_end,
)

# Entity labels a body may have; a person's role may serve a person too ("Mr
# Blair's spokesman").
BODY_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "PRODUCT"})
# Organisations a role noun of kind "body" may stand for; a "place" the gazetteers do
# not know is often a company the model took for one ("Electrolux" as GPE).
ORGANISATION_LABELS = frozenset({"ORG"})
# Places and nationalities: "the German company" is no name.
PLACE_OR_PEOPLE_LABELS = frozenset({"GPE", "LOC", "NORP"})
MISTAKEN_PLACE_LABELS = frozenset({"GPE"})  # a LOC ("Europe") is never a company
# How far back (in sentences) a role with no holder may find the person it refers to.
ROLE_REACH_SENTENCES = 1
# Rules whose speaker is a paragraph's label: a capitalised word there is a name.
LABEL_RULES = frozenset({"labelled_paragraph", "signed_post"})
# Who speaks of themselves: inside a quote, the quote's speaker.
FIRST_PERSON = frozenset({"i", "we"})
# A document is by, from or for its author ("a survey for the charity").
DOCUMENT_PREPOSITIONS = frozenset({"by", "from", "for"})
# Who may sign a quote with a verb after it (a name, or these).
SIGNING_PRONOUNS = frozenset({"he", "she"})
# Where a speaker's signature after a quote ends: its sentence, or a comma.
SIGNATURE_ENDS = SENTENCE_ENDS | {","}
# How a role is tied to a name in a phrase: apposition either way, or a title.
ROLE_DEPS = frozenset({"appos", "compound", "amod"})


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a mention turns out to be."""

    name: str  # canonical name, or UNNAMED_SPEAKER / UNKNOWN_SPEAKER
    kind: str  # PERSON, THING or GROUP: what a pronoun may point back to
    description: str = ""  # unnamed: the source as described
    body: str | None = None  # unnamed: the named body it speaks for
    gender: str | None = None  # "m", "f" or unknown


UNKNOWN = Speaker(UNKNOWN_SPEAKER, PERSON)
RoleHolder = tuple[tuple[str, ...], int, Speaker]  # (role words, position, holder)


@dataclass(frozen=True, slots=True)
class _Mention:
    """An earlier mention a pronoun or a definite description may point back to."""

    position: int
    speaker: Speaker
    head_lemma: str
    sentence: int
    salient: bool  # a speaker or a clause subject: preferred within its sentence


@dataclass(slots=True)
class _Resolver:
    """The candidates of one story, growing as speakers are resolved in text order."""

    story: ParsedStory
    sentences: list[Span]
    genders: dict[str, str]
    mentions: list[_Mention] = field(default_factory=list)
    roles: list[RoleHolder] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)
    titled: list[tuple[Token, Span]] = field(default_factory=list)
    organisations: list[Entity] = field(default_factory=list)  # "the company" may be these
    main_organisation: Entity | None = None
    name_words: frozenset[str] = frozenset()  # words of the story's names (no role words)
    capitalised: frozenset[str] = frozenset()  # those, and words capitalised inside a sentence
    lower_case: frozenset[str] = frozenset()  # words the story writes in lower case

    def __post_init__(self) -> None:
        self.sentence_starts = [sentence.start_char for sentence in self.sentences]
        self.titled = list(_titled_names(self.story))
        story = self.story
        self.organisations = [
            e for e in story.entities if not story.in_quote(e.start) and (
                e.label in ORGANISATION_LABELS
                or (e.label in MISTAKEN_PLACE_LABELS and not e.country))]
        counts: dict[str, int] = {}
        for entity in self.organisations:
            counts[entity.canonical] = counts.get(entity.canonical, 0) + 1
        top = max(counts.values(), default=0)
        # the one the story names most; of equals, the first named
        self.main_organisation = next((e for e in self.organisations
                                       if counts[e.canonical] == top), None)
        self.name_words = frozenset(word for e in self.story.entities
                                    if not _role_word(e.canonical) for word in e.text.split())
        self.capitalised = self.name_words | frozenset(
            t.text for t in self.story.tokens if t.is_title and not t.is_sent_start)
        self.lower_case = frozenset(t.text for t in self.story.tokens if t.is_lower)
        self.roles = list(_role_holders(self.story, self))
        self.mentions = sorted(_candidate_mentions(self.story, self), key=lambda m: m.position)

    def sentence_of(self, position: int) -> int:
        return bisect.bisect_right(self.sentence_starts, position) - 1

    def sentence_end(self, position: int) -> int:
        following = self.sentence_of(position) + 1
        return (self.sentence_starts[following] if following < len(self.sentence_starts)
                else len(self.story.text))

    def named(self, entity: Entity, head: Token | None = None) -> Speaker:
        kind = LABEL_KINDS.get(entity.label, THING)
        modified = _name_with_modifiers(head, entity) if head is not None else None
        name = modified or entity.canonical
        return Speaker(name, kind, gender=self.genders.get(name) if kind == PERSON else None)

    def add(self, head: Token, speaker: Speaker, *, salient: bool) -> None:
        mention = _Mention(head.idx, speaker, head.lemma_.casefold(), self.sentence_of(head.idx),
                           salient)
        bisect.insort(self.mentions, mention, key=lambda m: m.position)

    # ----------------------------------------------------------------- resolution

    def resolve(self, head: Token, content: Sequence[tuple[int, int]] = ()) -> Speaker:
        """The speaker ``head`` names; ``content``: what the speaker is said to have said."""
        lower = head.lower_ if not _acronym(head) else ""  # "the WHO", "the US": names
        if lower in PRONOUN_KINDS:
            kind = PRONOUN_KINDS[lower]
            # 'Mr Sullivan "made accounting decisions," he told the court': a person the
            # words are about is not who speaks them (a company may speak of itself)
            about = content if kind == PERSON else ()
            return self.antecedent(head.idx, kind, gender_words().get(lower), about=about)
        antecedent = _relative_antecedent(head) if lower else None
        if antecedent is not None:  # "officials who said that ...": the mention is "who"
            return self.resolve(antecedent, content)
        if lower in UNRESOLVABLE_PRONOUNS or lower in RELATIVE_PRONOUNS:
            return UNKNOWN
        return self.describe(head)

    def antecedent(self, position: int, kind: str, gender: str | None,
                   excluded: frozenset[str] = frozenset(), within: int | None = None,
                   about: Sequence[tuple[int, int]] = ()) -> Speaker:
        """The nearest compatible candidate: in the pronoun's own sentence, the last
        speaker or subject before it; else, in the latest earlier sentence that holds
        one, the last speaker or subject, else the first mention of that sentence."""
        referents = PRONOUN_REFERENTS[kind]
        own = self.sentence_of(position)
        candidates = [m for m in self.mentions if m.position < position
                      and m.speaker.kind in referents and m.speaker.name not in excluded
                      and (gender is None or m.speaker.gender in (None, gender))
                      and not any(start <= m.position < end for start, end in about)]
        # a mention in the pronoun's own sentence that is no subject comes last:
        # "The baby and his wife Sarah would be ..., he said" is not Sarah
        compatible = [m for m in candidates if m.salient or m.sentence < own] or candidates
        if within is not None:
            compatible = [m for m in compatible if m.sentence >= own - within]
        if not compatible:
            return Speaker(UNKNOWN_SPEAKER, kind)
        latest = max(m.sentence for m in compatible)
        here = [m for m in compatible if m.sentence == latest]
        salient = [m for m in here if m.salient]
        return salient[-1].speaker if salient else here[0].speaker

    def describe(self, head: Token) -> Speaker:
        """A noun phrase's speaker: a name, a role's holder, or an unnamed source."""
        story = self.story
        titled = next((name for _, name in self.titled if name.start <= head.i < name.end), None)
        if titled is not None:  # "Cardinal Cormac Murphy-O'Connor", whatever the model said
            return Speaker(titled.text, PERSON, gender=self.genders.get(titled.text))
        entity = story.entity_at(head)
        demonym = country_of_demonym(head.text) if entity is None or entity.label == "NORP" \
            else None
        if demonym is not None and head.tag_ not in PLURAL_TAGS and _is_definite(head):
            # "the American", "the Scot": a person of that nationality, the one just
            # written about, as "he" would be; not the country
            return self.person_just_named(head) or Speaker(
                UNNAMED_SPEAKER, PERSON, _description(head, self.capitalised, self.name_words),
                demonym.name)
        if entity is not None and entity.label in SPEAKER_LABELS and (
                not _role_word(entity.canonical)):  # "The Cardinal", "MPs": roles, not names
            return self.named(entity, head)
        start, end = mention_span(head)
        last = [e for e in story.entities if e.label == "PERSON" and start < e.start
                and e.end == end]
        between = story.tokens_between(start, last[-1].start) if last else []
        before = [t for t in between if t.lower_.rstrip(".") not in title_words()]
        if before and before[-1].pos_ in {"NOUN", "PROPN"} and not any(
                t.pos_ == "ADP" or t.tag_ == "POS" for t in between):
            # "Racial Equality chairman Trevor Phillips", however parsed; not "a spokesman
            # for Mr Prescott", "the mother of victim John Smith"
            return self.named(last[-1])
        lemma = head.lemma_.casefold()
        role = speaker_roles().get(lemma)
        if lemma in document_nouns():
            author = self.document_author(head)
            if author is not None:
                return author
        elif role not in PEOPLE_ROLES:
            name = _proper_name(story, head) or (
                self.opening_name(head) if role is None else None)
            if name:
                return name
        else:
            named = [self.named(e) for c in head.children if c.dep_ == "appos"
                     if (e := story.entity_at(c)) is not None and e.label in {"ORG", "PERSON"}]
            if named:  # "analysts Gartner"
                return named[0]
        plural = head.tag_ in PLURAL_TAGS
        if role == PROXY_ROLE:  # "Mr Spitzer's office added": Eliot Spitzer
            owner = next((e for c in head.children if c.dep_ == "poss"
                          if (e := story.entity_at(c)) is not None
                          and e.label in {"PERSON", "ORG"}), None)
            if owner is not None:
                return self.named(owner)
            role = BODY_ROLE
        if role == BODY_ROLE and not plural and self.names_a_body(head, lemma):
            # "Ukraine's energy ministry", "the Port of Oslo authority": a body of a named
            # one, or with a proper name, is itself named
            return Speaker(phrase_text(mention_span(head), head.doc, drop_determiner=True), BODY)
        if not plural or role == BODY_ROLE:
            held = self.held_role(head, role)
            if held is not None:
                return held
        kind = GROUP if plural else (PERSON if role in PEOPLE_ROLES else BODY if role == BODY_ROLE
                                     else THING)
        return Speaker(UNNAMED_SPEAKER, kind,
                       _description(head, self.capitalised, self.name_words),
                       self.body_of(head),
                       _role_gender(head))

    def opening_name(self, head: Token) -> Speaker | None:
        """A name the tagger took for a common noun or a number because it opens the
        sentence ("Napster claims", "Five said"): the surname of a full name the story
        writes ("Rowling said" -> JK Rowling), or a word the story capitalises on its own
        inside a sentence too; never a word it writes in lower case."""
        word = head.text
        if not (head.is_sent_start and head.is_title and head.pos_ in {"NOUN", "PROPN", "NUM"}
                and head.dep_ in CLAUSE_SUBJECT_DEPS):
            return None
        known = organisation_alias(word)
        if known:  # "Tories say": the party, however the story writes it elsewhere
            return Speaker(known, BODY)
        if word.casefold() in self.lower_case or _role_word(word) or name_label(word):
            return None  # a word of the story, a role, an award ("Oscar hopefuls")
        story = self.story
        full = _full_person_name(story, word)  # "Rowling said" -> "JK Rowling"
        if full:
            tagged = any(e.label == "PERSON" and e.canonical == full for e in story.entities)
            return Speaker(full, PERSON if tagged else ANY, gender=self.genders.get(full))
        # on its own inside a sentence, not as a word of a longer name ("Thames Valley Police")
        alone = any(t.text == word and not t.is_sent_start and (
            (entity := story.entity_at(t)) is None or entity.text == word) for t in story.tokens)
        if not alone:
            return None
        name = phrase_text(mention_span(head), head.doc, drop_determiner=True)  # "Number 10"
        # mostly organisations ("Napster", "Defra"): "he" never points back to one
        return Speaker(name, GROUP if head.tag_ in PLURAL_TAGS else BODY)

    def held_role(self, head: Token, role: str | None) -> Speaker | None:
        """The named holder of a role or description the story ties to a name."""
        lemma = head.lemma_.casefold()
        definite = _is_definite(head)
        if role is None and not definite:
            return None
        earlier = [m.speaker for m in self.mentions if m.position < head.idx
                   and m.head_lemma == lemma and m.speaker.name != UNKNOWN_SPEAKER]
        named_earlier = [s for s in earlier if s.name != UNNAMED_SPEAKER]
        if named_earlier:
            return named_earlier[-1]
        words = _role_words(head)
        # a person's role is its one holder wherever the story names them ("the men's
        # solicitor says ... Louise Christian, the men's solicitor"); a body's, named later,
        # only in the same sentence ("the firm" is not "MMC Capital, the company's private
        # equity firm" three paragraphs on)
        until = self.sentence_end(head.idx) if role not in PEOPLE_ROLES else None
        holder = _role_holder(self.roles, words, head.idx, until) if words else None
        if holder is not None:
            return holder
        age = YEAR_OLD.search(self.story.text, _own_modifiers_start(head), token_end(head))
        if age is not None:  # "the 25-year-old", not "the 25-year-old's mother"
            aged = self.people_of_age(age.group(1))
            if len(aged) == 1:
                return self.named(aged[0])
            # no one is given that age: the person just written about, as "he" would be
            return self.person_just_named(head) if definite and not aged else None
        if not definite:
            return None
        if earlier:  # "A spokesman said ... the spokesman added": the same unnamed source
            return earlier[-1]
        if role == PERSON_ROLE and head.tag_ not in PLURAL_TAGS and not _owned(head):
            # "Gordon Brown has called for ... the UK chancellor predicted": a role no one
            # else holds, right after a sentence about a person, refers back as "he" would
            covered = COVERED_ROLES.get(lemma, frozenset()) | {lemma}
            others = frozenset(s.name for held, _, s in self.roles if held[-1] not in covered)
            return self.person_just_named(head, others)
        if role == BODY_ROLE and head.tag_ not in PLURAL_TAGS:  # "the programme makers"
            return self.main_body(head, lemma)  # are many, not the story's company
        if role == GOVERNMENT_ROLE:
            return self.main_country(head)
        if role is None:
            named = [e for e in self.story.entities if e.end <= head.idx and e.label == "ORG"
                     and lemma in e.text.casefold().split()]
            return self.named(named[-1]) if named else None  # "the ministry" -> Foreign Ministry
        return None

    def person_just_named(self, head: Token,
                          excluded: frozenset[str] = frozenset()) -> Speaker | None:
        """The named person a description refers back to, as "he" would, within
        ROLE_REACH_SENTENCES ("Agassi was serving ... said the 34-year-old")."""
        speaker = self.antecedent(head.idx, PERSON, _role_gender(head), excluded,
                                  within=ROLE_REACH_SENTENCES)
        return speaker if speaker.name not in (UNKNOWN_SPEAKER, UNNAMED_SPEAKER) else None

    def document_author(self, head: Token) -> Speaker | None:
        """Who wrote a document: named in its phrase ("a Conference Board survey", "a
        survey by the firm"), or tied to the same document noun elsewhere in the story
        ("The survey, by PricewaterhouseCoopers, ...")."""
        author = _document_author(self.story, head)
        if author:
            return Speaker(author, THING)
        for by in _documents_by(head):
            speaker = self.describe(by)
            if speaker.name not in (UNNAMED_SPEAKER, UNKNOWN_SPEAKER):
                return Speaker(speaker.name, THING)
        return (_role_holder(self.roles, (head.lemma_.casefold(),), head.idx)
                or self.other_document_author(head))

    def other_document_author(self, head: Token) -> Speaker | None:
        """A document named by another noun is the same one: "The study, commissioned by
        Pact ... The report said" (a definite one: the author of the last document
        before), "according to a survey. A study by Pew found" (an indefinite one: the
        author of a document in the next sentence)."""
        documents = [(at, speaker) for held, at, speaker in self.roles
                     if len(held) == 1 and held[0] in document_nouns()]
        if _is_definite(head):
            before = [speaker for at, speaker in documents if at < head.idx]
            return before[-1] if before else None
        until = self.sentence_end(self.sentence_end(head.idx))
        after = {speaker.name: speaker for at, speaker in documents if head.idx < at < until}
        return next(iter(after.values())) if len(after) == 1 else None

    def people_of_age(self, age: str) -> list[Entity]:
        """ "the 25-year-old": the people the story gives that age ("Smith, 25,"), one
        mention each."""
        pattern = re.compile(rf"\s*,\s*(?:aged\s+)?{age}\b")
        people = {e.canonical: e for e in self.story.entities if e.label == "PERSON"
                  and pattern.match(self.story.text, e.end)}
        return list(people.values())

    def main_body(self, head: Token, lemma: str) -> Speaker | None:
        """ "the company": the organisation named with that word, else one named
        earlier in the same sentence, else the one the story names most (an
        organisation, not a place), if one is named before the mention; "the police",
        "the ministry": only one named with that word."""
        organisations = self.organisations
        before = [e for e in organisations if e.end <= head.idx]
        if not before:
            return None
        worded = [e for e in before if lemma in e.text.casefold().split()]
        if worded:
            return self.named(worded[-1])
        if lemma in NATIONAL_BODIES:
            return None  # "the police" is a force the story names, not its company
        sentence = self.sentence_of(head.idx)
        nearby = [e for e in before if self.sentence_of(e.start) == sentence]
        if nearby:
            return self.named(nearby[-1])
        return self.named(self.main_organisation)

    def main_country(self, head: Token) -> Speaker | None:
        """ "the government": the country in the phrase ("the Venezuelan government"),
        else the country the story names most before the mention."""
        body = self.body_of(head)
        if body is not None:
            return Speaker(body, BODY)
        counts: dict[str, int] = {}
        for entity in self.story.entities:
            if entity.end <= head.idx and entity.country and entity.label in {"GPE", "NORP"}:
                counts[entity.country] = counts.get(entity.country, 0) + 1
        if not counts:
            return None
        return Speaker(max(counts, key=lambda c: (counts[c], c)), BODY)

    def names_a_body(self, head: Token, lemma: str) -> bool:
        """A body's description that is its name: of a named body or with a proper name
        ("Ukraine's energy ministry", "the Port of Oslo authority", "the Russian
        ministry"); a company, a club or a group is one of many in its country, so "the
        German company" and "the Paris-based pressure group" name no one."""
        names = [t for c in head.children if c.dep_ in NAME_DEPS for t in c.subtree
                 if name_like(t)]
        body = self.body_of(head)
        if lemma not in NATIONAL_BODIES and " ".join(_role_words(head)[-2:]) not in NATIONAL_BODIES:
            # its country's places and nationalities do not name it
            names = [t for t in names if (e := self.story.entity_at(t)) is None
                     or e.label not in PLACE_OR_PEOPLE_LABELS]
            body = None if body in self.countries_of(head) else body
        return bool(names) or body is not None

    def countries_of(self, head: Token) -> set[str]:
        """Countries a description's places and nationalities stand for ("German")."""
        return {e.country for t in _body_tokens(head)
                if (e := self.story.entity_at(t)) is not None and e.country}

    def body_of(self, head: Token) -> str | None:
        """The named body in a description: "a Home Office spokesman" -> Home Office,
        "officials at the Treasury" -> Treasury, "American officials" -> United States."""
        for token in _body_tokens(head):
            entity = self.story.entity_at(token)
            if entity is None or entity.label not in BODY_LABELS | {"PERSON"}:
                continue
            if entity.label in {"GPE", "NORP"} and entity.country:
                return entity.country
            return entity.canonical
        return None


def resolve_speakers(story: ParsedStory, found: Sequence[Attribution]) -> None:
    sentences = list(story.doc.sents)  # Doc.sents walks the parse: once per story
    resolver = _Resolver(story, sentences, person_genders(sentences, story.entities, story.text))
    for attribution in found:
        _own_signature(story, attribution)
    for attribution in sorted(found, key=_speaker_position):
        if attribution.source is not None:
            _inherit_speaker(attribution)
            continue
        head = attribution.speaker_head
        if head is None:
            continue
        attribution.mention = mention_span(head)
        speaker = resolver.resolve(head, attribution.content)
        if speaker.name not in (UNKNOWN_SPEAKER, UNNAMED_SPEAKER) and not _is_name(speaker.name):
            # whatever path led here, a role word or a lower-case phrase is no name
            speaker = Speaker(UNNAMED_SPEAKER, speaker.kind,
                              _description(head, resolver.capitalised, resolver.name_words),
                              resolver.body_of(head), speaker.gender)
        if speaker.name == UNNAMED_SPEAKER and attribution.rule in LABEL_RULES and head.is_title:
            # a label opens its paragraph, where the tagger often reads a surname as a
            # common noun ("Sanders: ...")
            speaker = Speaker(phrase_text(mention_span(head), head.doc, drop_determiner=True), ANY)
        named = _named_aside(head, speaker.name)
        if named is not None:
            attribution.mention = mention_span(named)
        attribution.speaker, attribution.speaker_kind = speaker.name, speaker.kind
        attribution.speaker_description, attribution.speaker_body = (
            speaker.description, speaker.body)
        if speaker.name != UNKNOWN_SPEAKER:
            resolver.add(head, speaker, salient=True)
    for attribution in sorted(found, key=_speaker_position):  # then what continues them
        if attribution.source is not None:
            _inherit_speaker(attribution)
        else:
            _quoted_first_person(story, attribution, found)


def _own_signature(story: ParsedStory, attribution: Attribution) -> None:
    """A bare quote taken to continue the attribution before it whose sentence goes on
    to name its own speaker, whatever the verb: '"Why is this no proof?" Vitter
    demanded.', '"Let me talk," Trump shot back.' -- that subject speaks it, not the
    speaker before. A quote a cue's colon brought from the paragraph before ('X told
    him:' then '"...," Hannity started.') is one too. Only a name or a personal
    pronoun, a finite verb, and at most a particle or adverb may stand between the
    quote and the sentence's end or a comma ('"...?" Trump went on, as if ...')."""
    start, end = attribution.content[-1]
    quote = story.quote_at(start)
    if quote is None or quote.end != end:
        return
    if attribution.source is None and not _brought_by_colon(story, attribution, quote):
        return
    if attribution.source is not None and attribution.cue_token is not None:
        return
    after: list[Token] = []
    for token in story.paragraph_tokens(quote.end):
        if token.idx < quote.end or token.is_space:
            continue
        if token.text in SIGNATURE_ENDS or story.in_quote(token.idx):
            break
        after.append(token)
    verbs = [t for t in after if t.pos_ == "VERB" and t.tag_ in FINITE_TAGS]
    if len(verbs) != 1 or not after or after[-1].i + 1 >= len(after[-1].doc) or (
            after[-1].doc[after[-1].i + 1].text not in SIGNATURE_ENDS):
        return
    verb = verbs[0]
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subject is None or not (subject.lower_ in SIGNING_PRONOUNS or (
            subject.pos_ == "PROPN" and name_like(subject)) or (
            (entity := story.entity_at(subject)) is not None and entity.label in SPEAKER_LABELS)):
        return
    before = [t for t in after if t.i < verb.i]
    behind = [t for t in after if t.i > verb.i]
    if set(before) != set(subject.subtree) or len(behind) > 1 or any(
            t.dep_ not in {"prt", "advmod"} for t in behind):
        return
    attribution.source = None
    attribution.speaker_head = subject
    attribution.cue_token = verb
    attribution.cue_text, attribution.cue_span = verb.text, (verb.idx, token_end(verb))


def _brought_by_colon(story: ParsedStory, attribution: Attribution,
                      quote: QuotedSpan) -> bool:
    """The one quote a cue's colon took from the paragraph after the cue's own."""
    cue = attribution.cue_token
    return (cue is not None and len(attribution.content) == 1
            and story.paragraphs[story.paragraph_index(quote.start)][0] == quote.start
            and story.paragraph_index(quote.start) > story.paragraph_index(cue.idx))


def _quoted_first_person(story: ParsedStory, attribution: Attribution,
                         found: Sequence[Attribution]) -> None:
    """ "I said to myself ..." inside someone's quote: "I" is whoever speaks the quote
    around it, or the quote it continues ('Beattie said: "..." "I can tell you ..."')."""
    head = attribution.speaker_head
    if attribution.speaker != UNKNOWN_SPEAKER or head is None or head.lower_ not in FIRST_PERSON:
        return
    quote = story.quote_at(head.idx)
    if quote is None:
        # a quoted paragraph run into the next one loses its pairing of marks
        # ('him. "I can tell you ...'): a sentence that opens with a mark is quoted too
        sentence = head.sent
        if story.text[sentence.start_char] not in DOUBLE_MARKS:
            return
        quote = QuotedSpan(sentence.start_char + 1, sentence.end_char)  # the mark may close
        # the quote before as well
    others = [a for a in found if a is not attribution]
    outer = next((a for a in others
                  if any(start <= head.idx < end for start, end in a.content)), None)
    if outer is None:
        outer = continued_attribution(story, quote, others)
    if outer is not None and outer.speaker != UNKNOWN_SPEAKER:
        _take_speaker(attribution, outer)


def person_genders(sentences: Sequence[Span], entities: Sequence[Entity],
                   text: str) -> dict[str, str]:
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
    for sentence in sentences:
        named = {e.canonical: e.end for e in people
                 if sentence.start_char <= e.start < sentence.end_char}
        if len(named) != 1:
            continue
        ((canonical, end),) = named.items()
        pronoun = next((t for t in sentence if t.idx >= end and t.pos_ == "PRON"
                        and t.lower_ in words), None)
        if pronoun is not None:
            votes.setdefault(canonical, []).append(words[pronoun.lower_])
    voted = {name: max(set(v), key=v.count) for name, v in votes.items() if len(set(v)) == 1}
    return {**voted, **titled}


def _named_aside(head: Token, name: str) -> Token | None:
    """The aside that names the speaker when the head does not: 'With 50 days until the
    election, Minyon Moore, ..., called' (the parse made the name an aside of "election")."""
    surname = name.split()[-1] if _is_name(name) else ""
    if not surname or surname in head.text.split():
        return None
    return next((c for c in head.children
                 if c.dep_ == "appos" and any(t.text == surname for t in c.subtree)), None)


def _speaker_position(attribution: Attribution) -> int:
    if attribution.source is not None:
        return attribution.content[0][0]
    head = attribution.speaker_head
    return head.idx if head is not None else attribution.cue_span[0]


def _inherit_speaker(attribution: Attribution) -> None:
    source = attribution.source
    while source.source is not None:
        source = source.source
    _take_speaker(attribution, source)
    attribution.mention, attribution.speaker_head = source.mention, source.speaker_head


def _take_speaker(attribution: Attribution, source: Attribution) -> None:
    """The speaker of ``source`` (name, kind, description, body) for ``attribution``."""
    attribution.speaker, attribution.speaker_kind = source.speaker, source.speaker_kind
    attribution.speaker_description, attribution.speaker_body = (
        source.speaker_description, source.speaker_body)


# --------------------------------------------------------------------- candidates


def _candidate_mentions(story: ParsedStory, resolver: _Resolver) -> Iterator[_Mention]:
    """What a pronoun or a description may point back to, outside quote marks: every
    named person; organisations, places and groups that are not mere modifiers; and
    subjects that are descriptions ("The company reported ...", "Analysts expect")."""
    seen: set[int] = set()
    for entity in story.entities:
        if entity.label not in SPEAKER_LABELS or story.in_quote(entity.start):
            continue
        head = _entity_head(story, entity)
        if head is None or head.i in seen:
            continue
        if entity.label != "PERSON" and head.dep_ in {"compound", "amod", "poss", "nmod"}:
            continue  # "Microsoft shares", "the French economy": no one speaks
        if entity.label == "PERSON" and _modifies_a_noun(head):
            continue  # "a Linux or Mac version", "the Blair government"
        seen.add(head.i)
        yield _Mention(head.idx, resolver.named(entity), head.lemma_.casefold(),
                       resolver.sentence_of(head.idx), head.dep_ in CLAUSE_SUBJECT_DEPS)
    for _, name in resolver.titled:
        root = name.root
        seen.add(root.i)
        speaker = Speaker(name.text, PERSON, gender=resolver.genders.get(name.text))
        yield _Mention(name[0].idx, speaker,
                       root.lemma_.casefold(),
                       resolver.sentence_of(name[0].idx), root.dep_ in CLAUSE_SUBJECT_DEPS)
    for token in story.tokens:
        if (token.dep_ not in CLAUSE_SUBJECT_DEPS or token.i in seen or story.in_quote(token.idx)
                or token.pos_ not in {"NOUN", "PROPN"}):
            continue
        if token.pos_ == "PROPN" and story.entity_at(token) is None:
            full = _full_person_name(story, token.text)  # "Springsteen mocked Bono"
            if full:
                yield _Mention(token.idx, Speaker(full, PERSON, gender=resolver.genders.get(full)),
                               token.lemma_.casefold(), resolver.sentence_of(token.idx), True)
            continue
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in token.head.children):
            continue  # "Analysts expect rates to rise": "rates" is no one's subject
        if token.tag_ in PLURAL_TAGS or any(c.dep_ == "conj" for c in token.children):
            if story.entity_at(token) is None:  # "Analysts expect ...": they
                group = Speaker(UNNAMED_SPEAKER, GROUP,
                                _description(token, resolver.capitalised, resolver.name_words),
                                None)
                yield _Mention(token.idx, group, token.lemma_.casefold(),
                               resolver.sentence_of(token.idx), True)
        elif _is_definite(token) and speaker_roles().get(token.lemma_.casefold()) == BODY_ROLE:
            held = resolver.held_role(token, BODY_ROLE)  # "the label": its holder, or the story's
            if held is not None:
                yield _Mention(token.idx, held, token.lemma_.casefold(),
                               resolver.sentence_of(token.idx), True)
        elif token.lemma_.casefold() in document_nouns():  # "The report explored ... It said"
            author = resolver.document_author(token)
            if author is not None:
                yield _Mention(token.idx, author, token.lemma_.casefold(),
                               resolver.sentence_of(token.idx), True)


def _modifies_a_noun(head: Token) -> bool:
    """A name that only modifies a common noun, alone or in a list ("Linux or Mac")."""
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    return head.dep_ in {"compound", "amod", "nmod"} and head.head.pos_ == "NOUN"


def _entity_head(story: ParsedStory, entity: Entity) -> Token | None:
    """The entity's syntactic head: its token whose head lies outside it."""
    tokens = story.tokens_between(entity.start, entity.end)
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head.i == t.i),
                tokens[-1] if tokens else None)


def _role_holders(story: ParsedStory, resolver: _Resolver) -> Iterator[RoleHolder]:
    """(role words, position, holder) for every role the story ties to a name:
    "Gordon Brown, the chancellor", "the chancellor, Gordon Brown", "Chancellor
    Gordon Brown", "Time Warner, the media giant", "software firm Microsoft"."""
    for token in story.tokens:  # "The survey, by PricewaterhouseCoopers, found"
        if token.lemma_.casefold() not in document_nouns():
            continue
        author = _document_author(story, token)  # "the PricewaterhouseCoopers survey"
        if author:
            yield (token.lemma_.casefold(),), token.idx, Speaker(author, THING)
        for by in _documents_by(token):
            entity = story.entity_at(by)
            if entity is not None and entity.label in BODY_LABELS | {"PERSON"}:
                yield (token.lemma_.casefold(),), token.idx, Speaker(entity.canonical, THING)
            elif (named := _proper_name(story, by)) is not None:  # "advisers PwC conducted"
                yield (token.lemma_.casefold(),), token.idx, Speaker(named.name, THING)
    for title, name in resolver.titled:  # "Cardinal Cormac Murphy-O'Connor", untagged
        yield (title.lemma_.casefold(),), name.start_char, Speaker(name.text, PERSON)
    for entity in story.entities:
        if entity.label not in {"PERSON", "ORG"}:
            continue
        head = _entity_head(story, entity)
        if head is None:
            continue
        holder = resolver.named(entity)
        role_heads = [c for c in head.children
                      if c.dep_ in ROLE_DEPS and c.pos_ in {"NOUN", "PROPN"}
                      and not entity.start <= c.idx < entity.end]
        if head.dep_ == "appos" and head.head.pos_ == "NOUN":
            role_heads.append(head.head)
        # a title before the name, in the entity span or not: "Prime Minister Tony Blair"
        before = story.tokens_between(max(0, entity.start - 60), entity.start)
        title = []
        for token in reversed(before):
            if token.pos_ not in {"NOUN", "PROPN", "ADJ"} or story.entity_at(token) is not None:
                break
            title.insert(0, token)
        for token in story.tokens_between(entity.start, entity.end):
            if token.lemma_.casefold() not in speaker_roles() and token.pos_ != "ADJ":
                break
            title.append(token)
        if title and title[-1].lemma_.casefold() in speaker_roles():
            yield tuple(t.lemma_.casefold() for t in title), entity.start, holder
        for role in role_heads:
            if (role.lemma_.casefold() in speaker_roles() or role.dep_ == "appos"
                    or head.dep_ == "appos"):
                words = _role_words(role)
                if words:
                    yield words, entity.start, holder


def _documents_by(document: Token) -> Iterator[Token]:
    """Who a document is by, from or for: "a survey by the firm", "a report from
    Gartner", "a survey for the charity", "a leaflet published by the CPS", "PwC
    conducted the survey"."""
    for child in document.children:
        if child.dep_ == "prep" and child.lower_ in DOCUMENT_PREPOSITIONS:
            yield from (c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "acl" and child.lemma_.casefold() in authoring_verbs():
            yield from (c for agent in child.children if agent.dep_ == "agent"
                        for c in agent.children if c.dep_ == "pobj")
    verb = document.head
    if document.dep_ == "dobj" and verb.lemma_.casefold() in authoring_verbs():
        yield from (c for c in verb.children if c.dep_ == "nsubj")
    # "In a statement, Valve said ...": the speaker of the statement is its author
    if document.dep_ == "pobj" and verb.lower_ == "in" and verb.head.pos_ == "VERB" and (
            verb.head.lemma_.casefold() in cue_verbs()):
        yield from (c for c in verb.head.children if c.dep_ == "nsubj")


def _titled_names(story: ParsedStory) -> Iterator[tuple[Token, Span]]:
    """A capitalised person title or role right before two or more proper nouns the
    model did not tag as a person ("Cardinal Cormac Murphy-O'Connor", with
    "Murphy-O'Connor" tagged ORG): (title, the name's span)."""
    tokens = story.tokens
    roles = speaker_roles()
    for token in tokens:
        if not token.is_title or roles.get(token.lemma_.casefold()) not in PEOPLE_ROLES:
            continue
        end, words = token.i + 1, 0
        while end < len(tokens) and _in_name(story, tokens, end):
            words += tokens[end].text != "-"
            end += 1
        if words >= 2 and tokens[end - 1].text != "-" and not story.in_quote(token.idx):
            yield token, story.doc[token.i + 1:end]


def _in_name(story: ParsedStory, tokens: Sequence[Token], index: int) -> bool:
    """A word of a name after a title: a capitalised proper noun no person entity
    holds, or a hyphen inside one ("Murphy-O'Connor")."""
    token = tokens[index]
    if token.text == "-":
        return not tokens[index - 1].whitespace_ and not token.whitespace_
    entity = story.entity_at(token)
    return token.pos_ == "PROPN" and token.is_title and (entity is None or entity.label != "PERSON")


def _owned(head: Token) -> bool:
    """A role of someone else's: "his wife", "the mother of the victim"."""
    return any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in {"of", "for"})
               for c in head.children)


def _own_modifiers_start(head: Token) -> int:
    """Where the head's own modifiers start: "the 25-year-old" but not the owner in
    "the 25-year-old's mother"."""
    lefts = [c for c in head.lefts if c.dep_ not in {"poss", "det", "predet"}]
    return min((t.idx for c in lefts for t in c.subtree), default=head.idx)


def _role_words(head: Token) -> tuple[str, ...]:
    """The role as lemmas, its modifiers right before it included: "prime minister",
    "Tory leader", "chancellor"."""
    if head.pos_ != "NOUN":
        return ()
    modifiers = {t.i for t in head.lefts if t.dep_ in {"compound", "amod"}
                 and t.pos_ in {"NOUN", "ADJ", "PROPN"}}
    first = head.i
    while first - 1 in modifiers:
        first -= 1
    return tuple(t.lemma_.casefold() for t in head.doc[first:head.i + 1])


def _role_holder(roles: Sequence[RoleHolder], words: tuple[str, ...],
                 position: int, until: int | None = None) -> Speaker | None:
    """The holder of a role with these words: the last named before the mention, else
    the one named after it (before ``until``, when given) when there is only one."""
    nationalities = {word for word in words[:-1] if country_of_demonym(word)}

    def fits(held: tuple[str, ...]) -> bool:
        if held[-1] != words[-1] or not nationalities <= set(held):
            return False  # "the Japanese car maker" is no "car maker Peugeot"
        shorter, longer = sorted((held, words), key=len)
        return longer[-len(shorter):] == shorter

    matching = [(at, speaker) for held, at, speaker in roles if fits(held)]
    before = [speaker for at, speaker in matching if at < position]
    if before:
        return before[-1]
    after = {speaker.name: speaker for at, speaker in matching if until is None or at < until}
    return next(iter(after.values())) if len(after) == 1 else None


def _body_tokens(head: Token) -> Iterator[Token]:
    """Tokens of a description that may name whom it serves, nearest the head first."""
    for child in sorted(head.children, key=lambda c: abs(c.i - head.i)):
        if child.dep_ not in BODY_DEPS:
            continue
        if child.dep_ == "prep":
            if child.lower_ in BODY_PREPOSITIONS:
                yield from (t for c in child.children if c.dep_ == "pobj" for t in c.subtree)
            continue
        yield from child.subtree


def _description(head: Token, capitalised: frozenset[str] = frozenset(),
                 name_words: frozenset[str] = frozenset()) -> str:
    """The source as described, without determiner, possessive or asides:
    "A Home Office spokesman" -> "Home Office spokesman"; "Analysts" -> "analysts"."""
    start, end = mention_span(head)
    phrase = head.doc[head.left_edge.i:head.i + 1]
    age = YEAR_OLD.search(phrase.text)  # "the 25-year-old", not "old"
    start = min(start, phrase.start_char + age.start()) if age else start
    tokens = [t for t in head.doc.char_span(start, end, alignment_mode="expand")
              if not t.is_punct or t.text in {"-", "&"}]
    while tokens and (tokens[0].lower_ in DETERMINERS | POSSESSIVE_DETERMINERS
                      or tokens[0].dep_ == "poss" or tokens[0].tag_ == "POS"
                      or (tokens[0].head.dep_ == "poss" and tokens[0].head.i > tokens[0].i)):
        if tokens[0].dep_ == "poss" or tokens[0].head.dep_ == "poss":
            # "Mr Blair's official spokesman": the owner is the body, not the description
            owner_end = next((t.i for t in tokens if t.tag_ == "POS"), tokens[0].i)
            tokens = [t for t in tokens if t.i > owner_end]
            continue
        tokens = tokens[1:]
    if not tokens:
        return head.lower_
    text = head.doc[tokens[0].i:tokens[-1].i + 1].text
    first = tokens[0]
    # one form whatever the capitalisation: "Analysts", "the Chancellor" -> lower case,
    # but not a name's word ("Labour activists", "Cardinal Health chief")
    if first.is_title and first.text not in name_words and (
            _role_word(first.text) or (first.text not in capitalised and first.pos_ != "PROPN"
                                       and not first.ent_type_ and not first.is_upper)):
        text = text[:1].lower() + text[1:]  # "Analysts" at a sentence start is "analysts"
    return text


def _role_gender(head: Token) -> str | None:
    lemma = head.lemma_.casefold()
    if lemma.endswith("woman") or lemma in {"actress", "mother", "wife", "daughter", "sister"}:
        return "f"
    if lemma.endswith("man") or lemma in {"father", "husband", "son", "brother"}:
        return "m"
    return None


# ---------------------------------------------------------------------- names


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


def _document_author(story: ParsedStory, head: Token) -> str | None:
    """ "A Russian Foreign Ministry statement" -> "Russian Foreign Ministry"."""
    tokens = sorted(
        (t for c in head.children if c.dep_ in AUTHOR_DEPS for t in c.subtree
         if t.dep_ != "case"),
        key=lambda t: t.i,
    )
    tokens = [t for t in tokens if t.lower_ not in POSSESSIVE_DETERMINERS]
    if not tokens:
        return None
    start, end = tokens[0].idx, token_end(tokens[-1])
    entity = next((e for e in story.entities if e.start == start and e.end == end), None)
    if entity is not None:
        return entity.canonical
    if all(name_like(t) or t.ent_type_ in SPEAKER_LABELS for t in tokens):
        written = story.text[start:end]  # "A Russian Foreign Ministry statement"
        return None if _role_word(written) else written  # not "the Commission report"
    inside = [e for e in story.entities if start <= e.start and e.end <= end
              and e.label in BODY_LABELS | {"PERSON"}]
    if inside:  # "a new Conference Board survey" -> Conference Board
        return inside[-1].canonical
    return None  # "a new report", "the latest survey": no author


def _proper_name(story: ParsedStory, head: Token) -> Speaker | None:
    """A name inside a common-noun phrase: "private energy provider DTEK" -> DTEK.

    A place that only modifies the head names no speaker: "the Port of Rotterdam
    authority" is that authority, not Rotterdam.
    """
    candidates = [head] + [t for c in head.children if c.dep_ in NAME_DEPS for t in c.subtree]
    for token in candidates:
        entity = story.entity_at(token)
        if entity is not None and entity.label in {"PERSON", "ORG"} and token.dep_ != "pobj" and (
                not _role_word(entity.canonical)):
            if token.i == head.i or token.dep_ == "appos" or (
                    speaker_roles().get(head.lemma_.casefold()) == BODY_ROLE
                    or head.pos_ == "PROPN"):
                return Speaker(entity.canonical, LABEL_KINDS.get(entity.label, THING))
    names = sorted((t for t in candidates if name_like(t)), key=lambda t: t.i)
    if not names:
        return None
    if not name_like(head) and not any(t.dep_ == "appos" for t in names):
        return None  # "Goldman Sachs analysts": a description, not a name
    # the run of proper nouns holding the head, else the one nearest it: not "CompTIA" of
    # "Hugo Lueders, European director ... at CompTIA"
    last = head if name_like(head) else min(names, key=lambda t: abs(t.i - head.i))
    run = [last]
    for token in reversed([t for t in names if t.i < last.i]):
        if token.i != run[0].i - 1:
            break
        run.insert(0, token)
    written = head.doc[run[0].i:run[-1].i + 1].text
    if _role_word(written):
        return None  # "The Bank said", "MPs said": a role, not a name
    full = _full_person_name(story, written)
    return Speaker(full, PERSON) if full else Speaker(written, ANY)


def _full_person_name(story: ParsedStory, written: str) -> str | None:
    """ "Ms de Vos" -> "Marieke de Vos", and a surname NER missed ("Lopez, 58,
    told") -> "Maria Lopez": the one person whose name ends in the name's words,
    surname particles (de, van, al-) included."""
    name = person_name(written)
    if not name:
        return None
    matches = {e.canonical for e in story.entities if e.label == "PERSON"
               and (e.canonical == name or e.canonical.endswith(" " + name))}
    if not matches:  # the full name is written but tagged otherwise
        return written_person_name(name, story.text)
    return matches.pop() if len(matches) == 1 else None


def _name_with_modifiers(head: Token, entity: Entity) -> str | None:
    """ "Police Scotland": proper-noun modifiers before a non-person entity are part
    of the speaker's name, not a title to drop."""
    if entity.label == "PERSON":
        return None
    modifiers = [c for c in head.children
                 if c.dep_ == "compound" and c.idx < entity.start and name_like(c)]
    if not modifiers or token_end(modifiers[-1]) + 1 < entity.start:
        return None
    start = min(t.idx for m in modifiers for t in m.subtree)
    return head.doc.char_span(start, entity.end, alignment_mode="expand").text


def _is_name(name: str) -> bool:
    """A name has a capital letter and is more than one role word ("Bank", "MPs")."""
    return any(c.isupper() for c in name) and not _role_word(name)


def _role_word(name: str) -> bool:
    """A name that is only a role or document noun ("Bank", "MPs", "Committee")."""
    word = name.casefold()
    known = speaker_roles().keys() | document_nouns()
    return " " not in word and (word in known or word.removesuffix("s") in known)


def _acronym(token: Token) -> bool:
    """ "WHO", "US", "IT": capitals only, never a pronoun."""
    return len(token.text) > 1 and token.text.isupper()


def _is_definite(head: Token) -> bool:
    return any((c.dep_ == "det" and c.lower_ in {"the", "this", "that"})
               or (c.dep_ == "poss" and c.lower_ in POSSESSIVE_DETERMINERS)
               for c in head.children)


def mention_span(head: Token) -> tuple[int, int]:
    """The speaker as written, without asides, cut at commas around the head."""
    kept = [head] + [
        t for c in head.children if c.dep_ not in ASIDE_DEPS for t in c.subtree
        if not t.is_space  # a signature line's name: not the paragraph break after it
    ]
    kept.sort(key=lambda t: t.i)
    start = next(i for i, t in enumerate(kept) if t.i == head.i)
    end = start
    while start > 0 and kept[start - 1].i == kept[start].i - 1 and kept[start - 1].text != ",":
        start -= 1
    while end + 1 < len(kept) and kept[end + 1].i == kept[end].i + 1 and kept[end + 1].text != ",":
        end += 1
    return kept[start].idx, token_end(kept[end])


def phrase_text(span: tuple[int, int], doc: Doc, *, drop_determiner: bool = False) -> str:
    text = doc.char_span(span[0], span[1], alignment_mode="expand").text
    if drop_determiner:
        first, _, rest = text.partition(" ")
        if first.casefold() in DETERMINERS and rest:
            text = rest
    return text.strip()


__all__ = ["Speaker", "mention_span", "person_genders", "resolve_speakers"]
