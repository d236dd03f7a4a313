"""Two layouts that speak without a verb: a paragraph labelled "Name: claim"
(headlines, transcripts) and an embedded post signed "-- Name (@handle) date"."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Token

from lib.quotes.lexicon import (
    FINITE_TAGS,
    MAX_LABEL_TOKENS,
    MIN_CONTENT_WORDS,
    SIGNED_POST,
    SPEAKER_LABELS,
    document_nouns,
    non_speaker_labels,
)
from lib.quotes.story import (
    Attribution,
    ParsedStory,
    Rule,
    overlaps_found,
    token_end,
    trim_span,
)


MAX_LABEL_ASIDE_TOKENS = 8  # ", in a statement on Monday", ", in an interview with CNN"


def labelled_paragraphs(story: ParsedStory, found: list[Attribution]) -> Iterator[Attribution]:
    """'Trump: Cruz has a long way to go' -- a short name, a colon, a claim.

    Headlines and transcripts put the speaker before a colon at the start of a
    paragraph; a label with a verb of its own is a sentence, and a claim needs a
    verb or quote marks ('Breitbart News Daily: A World at War' is a title).
    """
    for start, end in story.paragraphs:
        tokens = [t for t in story.tokens_between(start, end) if not t.is_space]
        reach = MAX_LABEL_TOKENS + MAX_LABEL_ASIDE_TOKENS + 1
        colon = next((i for i, t in enumerate(tokens[:reach]) if t.text == ":"), None)
        if not colon:
            continue
        label, claim = _label_without_aside(tokens[:colon]), tokens[colon + 1:]
        head = _label_speaker(story, label)
        if head is None or not _is_claim(claim):
            continue
        content = trim_span(story.text, token_end(tokens[colon]), end)
        if content[1] - content[0] < 2 or overlaps_found(content, found):
            continue
        colon_span = (tokens[colon].idx, tokens[colon].idx + 1)
        yield Attribution([content], ":", colon_span, None, head)


def _label_without_aside(label: Sequence[Token]) -> Sequence[Token]:
    """'Tom Baker, in a statement' -> 'Tom Baker': a prepositional aside after a comma
    says where the words were spoken; a label longer than that is a sentence (none)."""
    comma = next((i for i, t in enumerate(label) if t.text == ","), None)
    if comma is None:
        return label if len(label) <= MAX_LABEL_TOKENS else ()
    aside = label[comma + 1:]
    if (comma > MAX_LABEL_TOKENS or not aside or aside[0].pos_ != "ADP"
            or len(aside) > MAX_LABEL_ASIDE_TOKENS
            or any(t.pos_ in {"VERB", "AUX"} or t.text == "," for t in aside)):
        return label if len(label) <= MAX_LABEL_TOKENS else ()
    return label[:comma]


def _label_speaker(story: ParsedStory, label: Sequence[Token]) -> Token | None:
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


def signed_posts(story: ParsedStory, found: list[Attribution]) -> Iterator[Attribution]:
    """An embedded post signed '-- Name (@handle) June 29, 2016': the name's words.

    The social-media embed form (tweets, posts): the post's text, then a dash,
    the author's name and handle, and a date. The words are the author's own.
    """
    text = story.text
    for start, end in story.paragraphs:
        for match in SIGNED_POST.finditer(text, start, end):
            opening = text.rfind(">", start, match.start())  # an embed's own tag
            content = trim_span(text, max(start, opening + 1), match.start())
            if content[1] - content[0] < 2 or overlaps_found(content, found):
                continue
            name = [t for t in story.tokens_between(match.start("name"), match.end("name"))
                    if not t.is_punct]
            if not name:
                continue
            dash = (match.start(), match.start() + 1)
            yield Attribution([content], text[dash[0]:dash[1]], dash, None, name[-1],
                               verbatim=True)


# In order; each skips text an earlier attribution holds.
LAYOUT_RULES: tuple[Rule, ...] = (
    Rule("signed_post", signed_posts),
    Rule("labelled_paragraph", labelled_paragraphs),
)


def layout_attributions(story: ParsedStory, found: list[Attribution],
                        rules: Sequence[Rule]) -> None:
    """Adds what each layout rule finds to ``found`` as it goes."""
    for rule in rules:
        for attribution in rule.apply(story, found):
            attribution.rule = rule.name
            found.append(attribution)
