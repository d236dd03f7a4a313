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

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from lib.model import Entity, Quote
from lib.quotes.cues import (
    CUE_RULES,
    cue_attributions,
    cue_phrases,
    cue_verbs,
    is_cue_verb,
    speaker_head,
)
from lib.quotes.layouts import LAYOUT_RULES, layout_attributions
from lib.quotes.marks import MARK_RULES, attach_quote_marks
from lib.quotes.speakers import resolve_speakers
from lib.quotes.story import (
    Attribution,
    ParsedStory,
    QuotedSpan,
    Rule,
    has_quote_mark,
    paragraph_bounds,
    quoted_spans,
)

# Every rule, in the order it runs: a name here can be switched off (``disabled``).
RULES: tuple[Rule, ...] = CUE_RULES + LAYOUT_RULES + MARK_RULES


def extract_quotes(doc: Doc, entities: Sequence[Entity], *,
                   disabled: Iterable[str] = ()) -> list[Quote]:
    """Attributed quotes of one story (``doc.text``), in text order.

    ``disabled``: names of ``RULES`` to leave out (tests show what each rule adds).
    """
    off = frozenset(disabled)
    unknown = off - {rule.name for rule in RULES}
    if unknown:
        raise ValueError(f"no such quote rule: {', '.join(sorted(unknown))}")

    def kept(rules: Sequence[Rule]) -> tuple[Rule, ...]:
        return tuple(rule for rule in rules if rule.name not in off)

    text = doc.text
    story = ParsedStory(doc, quoted_spans(text), list(paragraph_bounds(text)), entities)
    found = list(cue_attributions(story, kept(CUE_RULES)))
    layout_attributions(story, found, kept(LAYOUT_RULES))
    attach_quote_marks(story, found, kept(MARK_RULES))
    resolve_speakers(story, found)
    quoted = {(q.start, q.end) for q in story.quotes}
    return [_to_quote(story, a, quoted) for a in _deduplicated(found)]


def _deduplicated(found: Iterable[Attribution]) -> list[Attribution]:
    seen, kept = set(), []
    for attribution in sorted(found, key=lambda a: a.content[0][0]):
        key = tuple(sorted(attribution.content))
        if key not in seen:
            seen.add(key)
            kept.append(attribution)
    return kept


def _to_quote(story: ParsedStory, attribution: Attribution,
              quoted: set[tuple[int, int]]) -> Quote:
    text = story.text
    spans = sorted(attribution.content)
    mention = attribution.mention
    return Quote(
        text=" ".join(text[s:e] for s, e in spans),
        kind="direct" if attribution.verbatim else _kind(story, spans, quoted),
        speaker=attribution.speaker,
        speaker_mention=text[mention[0]:mention[1]] if mention else "",
        cue=attribution.cue_text,
        spans=spans,
        speaker_span=mention,
        cue_span=attribution.cue_span,
        speaker_description=attribution.speaker_description,
        speaker_body=attribution.speaker_body,
    )


def _kind(story: ParsedStory, spans: Sequence[tuple[int, int]],
          quoted: set[tuple[int, int]]) -> str:
    if all(span in quoted for span in spans):
        return "direct"
    if any(has_quote_mark(story.text[s:e]) for s, e in spans):
        return "mixed"
    return "indirect"


__all__ = ["RULES", "QuotedSpan", "cue_phrases", "cue_verbs", "extract_quotes", "is_cue_verb",
           "quoted_spans", "speaker_head"]
