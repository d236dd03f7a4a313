"""Speaker resolution: the mention as written becomes a canonical name.

The entity it names, a document's author, a pronoun's antecedent, an earlier
mention of the same description, or "unknown" when nothing in the story
resolves it. "he" and "she" skip people of the other gender (an honorific, or
pronouns used with the name); a place that only modifies a noun is not the
speaker ("the Port of Rotterdam authority").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from lib.entities import person_name
from lib.model import UNKNOWN_SPEAKER, Entity
from lib.quotes.lexicon import (
    ASIDE_DEPS,
    AUTHOR_DEPS,
    CLAUSE_SUBJECT_DEPS,
    DETERMINERS,
    GROUP,
    LABEL_KINDS,
    NAME_DEPS,
    PERSON,
    PRONOUN_KINDS,
    RELATIVE_PRONOUNS,
    SPEAKER_LABELS,
    THING,
    UNRESOLVABLE_PRONOUNS,
    document_nouns,
    gender_words,
)
from lib.quotes.story import (
    Attribution,
    ParsedStory,
    name_like,
    token_end,
)


@dataclass(frozen=True, slots=True)
class _Mention:
    """An earlier mention a pronoun or a definite description may point back to."""

    position: int
    kind: str
    canonical: str
    head_lemma: str
    gender: str | None = None  # "m", "f" or unknown


def resolve_speakers(story: ParsedStory, found: Sequence[Attribution]) -> None:
    genders = person_genders(story.doc, story.entities, story.text)
    mentions = [_gendered(m, genders) for m in _salient_subjects(story)]
    for attribution in sorted(found, key=_speaker_position):
        if attribution.source is not None:
            _inherit_speaker(attribution)
            continue
        head = attribution.speaker_head
        if head is None:
            continue
        attribution.mention = mention_span(head)
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


def _speaker_position(attribution: Attribution) -> int:
    if attribution.source is not None:
        return attribution.content[0][0]
    head = attribution.speaker_head
    return head.idx if head is not None else attribution.cue_span[0]


def _inherit_speaker(attribution: Attribution) -> None:
    source = attribution.source
    while source.source is not None:
        source = source.source
    attribution.speaker, attribution.speaker_kind = source.speaker, source.speaker_kind
    attribution.mention, attribution.speaker_head = source.mention, source.speaker_head


def _salient_subjects(story: ParsedStory) -> Iterator[_Mention]:
    """Named subjects outside quote marks: what "he", "it" and "they" may mean."""
    for token in story.doc:
        if token.dep_ not in CLAUSE_SUBJECT_DEPS or story.in_quote(token.idx):
            continue
        entity = story.entity_at(token)
        if token.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in token.children):
            yield _Mention(token.idx, GROUP, phrase_text(mention_span(token), token.doc),
                           token.lemma_.casefold())
        elif entity is not None and entity.label in SPEAKER_LABELS:
            yield _Mention(token.idx, LABEL_KINDS.get(entity.label, THING), entity.canonical,
                           token.lemma_.casefold())


def _canonical_speaker(story: ParsedStory, head: Token, mentions: list[_Mention]) -> tuple[str, str]:
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
    return phrase_text(mention_span(head), head.doc, drop_determiner=True), kind


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


def _document_author(story: ParsedStory, head: Token) -> str | None:
    """ "A Russian Foreign Ministry statement" -> "Russian Foreign Ministry"."""
    tokens = sorted(
        (t for c in head.children if c.dep_ in AUTHOR_DEPS for t in c.subtree
         if t.dep_ != "case"),
        key=lambda t: t.i,
    )
    if not tokens:
        return None
    start, end = tokens[0].idx, token_end(tokens[-1])
    entity = next((e for e in story.entities if e.start == start and e.end == end), None)
    if entity is not None:
        return entity.canonical
    return story.text[start:end]


def _proper_name(story: ParsedStory, head: Token) -> str | None:
    """A name inside a common-noun phrase: "private energy provider DTEK" -> DTEK.

    A place that only modifies the head names no speaker: "the Port of Rotterdam
    authority" is that authority, not Rotterdam.
    """
    candidates = [head] + [t for c in head.children if c.dep_ in NAME_DEPS for t in c.subtree]
    for token in candidates:
        entity = story.entity_at(token)
        if entity is not None and entity.label in {"PERSON", "ORG"} and token.dep_ != "pobj":
            return entity.canonical
    names = sorted((t for t in candidates if name_like(t)), key=lambda t: t.i)
    if not names:
        return None
    if not name_like(head) and not any(t.dep_ == "appos" for t in names):
        return phrase_text(mention_span(head), head.doc, drop_determiner=True)
    run = [names[-1]]  # the run of proper nouns nearest the head
    for token in reversed(names[:-1]):
        if token.i != run[0].i - 1:
            break
        run.insert(0, token)
    written = head.doc[run[0].i:run[-1].i + 1].text
    return _full_person_name(story, written) or written


def _full_person_name(story: ParsedStory, written: str) -> str | None:
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
                 if c.dep_ == "compound" and c.idx < entity.start and name_like(c)]
    if not modifiers or token_end(modifiers[-1]) + 1 < entity.start:
        return None
    start = min(t.idx for m in modifiers for t in m.subtree)
    return head.doc.char_span(start, entity.end, alignment_mode="expand").text



def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children)


def _same_description(story: ParsedStory, mentions: Sequence[_Mention], head: Token) -> str | None:
    """ "the statement" -> the statement named earlier; "the ministry" -> a Ministry entity."""
    lemma = head.lemma_.casefold()
    earlier = [m for m in mentions if m.position < head.idx and m.head_lemma == lemma]
    if earlier:
        return max(earlier, key=lambda m: m.position).canonical
    named = [e for e in story.entities if e.end <= head.idx and e.label == "ORG"
             and lemma in e.text.casefold().split()]
    return named[-1].canonical if named else None


def mention_span(head: Token) -> tuple[int, int]:
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
    return kept[start].idx, token_end(kept[end])


def phrase_text(span: tuple[int, int], doc: Doc, *, drop_determiner: bool = False) -> str:
    text = doc.char_span(span[0], span[1], alignment_mode="expand").text
    if drop_determiner:
        first, _, rest = text.partition(" ")
        if first.casefold() in DETERMINERS and rest:
            text = rest
    return text.strip()
