"""Quote marks no cue claimed: each rule, in the order of ``MARK_RULES``, may
attribute them; what none claims -- scare quotes, titles, nicknames -- is no quote."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from lib.quotes.cues import (
    colon_after,
    cue_of,
    has_speaker_subject,
    is_cue_verb,
    own_words,
    speaker_head,
    speaker_here,
)
from lib.quotes.lexicon import (
    CLOSING_MARKS,
    DASHES,
    DOUBLE_MARKS,
    FINITE_TAGS,
    GAP_PUNCT,
    MAX_CLIMB,
    MAX_GAP_TOKENS,
    MAX_SPEAKER_TOKENS,
    POSSESSIVE_MARKS,
    PRONOUN_KINDS,
    SPEAKER_LABELS,
    SPEAKER_PHRASE_POS,
    STRAIGHT_MARK,
    UNRESOLVABLE_PRONOUNS,
    VERB_MODIFIER_DEPS,
    WORD,
    characterising_verbs,
    document_nouns,
    speaker_roles,
    thing_verbs,
)
from lib.quotes.story import (
    Attribution,
    ParsedStory,
    QuotedSpan,
    Rule,
    clause_content,
    name_like,
    overlaps_found,
    token_end,
)
from lib.segment import SIGNATURE_MAX_WORDS


def attach_quote_marks(story: ParsedStory, found: list[Attribution],
                       rules: Sequence[Rule]) -> None:
    """Quote marks no attribution holds yet: the first rule of ``MARK_RULES`` that
    attributes them wins.

    Adds to ``found`` as it goes, so a continuation can continue one.
    """
    for quote in story.quotes:
        if overlaps_found((quote.start, quote.end), found):
            continue
        for rule in rules:
            attribution = rule.apply(story, quote, found)
            if attribution is None:
                continue
            if not any(a is attribution for a in found):
                attribution.rule = rule.name
                found.append(attribution)
            break


def cue_beside(story: ParsedStory, quote: QuotedSpan,
               found: Sequence[Attribution]) -> Attribution | None:
    """'"...," she said': the cue beside the quote; a quote beside a cue that already
    attributes text in its paragraph is another piece of it ('"A," she said, "B"')."""
    verb = adjacent_cue(story, quote)
    if verb is None:
        return None
    existing = next((a for a in reversed(found) if a.cue_token is not None
                     and a.cue_token.i == verb.i and a.rule in CUE_OWNERS), None)
    if existing is None:
        return Attribution(_object_holding(story, verb, quote), *cue_of(verb), verb,
                           speaker_here(story, verb))
    if _same_paragraph(story, existing.end, quote.start):
        existing.content.append((quote.start, quote.end))  # split quote
        return existing
    return None


def _object_holding(story: ParsedStory, verb: Token, quote: QuotedSpan) -> list[tuple[int, int]]:
    """The quote, or the cue's whole complement when the quote is only part of it:
    'promising lower taxes and "jobs, jobs, jobs"', 'reported "2,521 shootings" in the
    city since January' are mixed quotes."""
    if verb.idx > quote.start:
        return [(quote.start, quote.end)]
    holder = _child_holding(verb, quote)
    if holder is None or holder.dep_ not in COMPLEMENT_DEPS:
        return [(quote.start, quote.end)]
    words = [t for t in holder.subtree if not (t.is_punct or t.is_space)]
    if all(quote.start <= t.idx < quote.end for t in words):
        return [(quote.start, quote.end)]
    return clause_content(story, holder.left_edge.idx, max(quote.end, token_end(holder.right_edge)),
                          verb.idx) or [(quote.start, quote.end)]


def continued(story: ParsedStory, quote: QuotedSpan,
              found: Sequence[Attribution]) -> Attribution | None:
    """A bare quote continuing the attribution just before it, with its speaker."""
    source = continued_attribution(story, quote, found)
    if source is None:
        return None
    return Attribution([(quote.start, quote.end)], source.cue_text, source.cue_span, None,
                       source.speaker_head, source)


def _same_paragraph(story: ParsedStory, a: int, b: int) -> bool:
    return story.paragraph_index(max(a - 1, 0)) == story.paragraph_index(b)


def adjacent_cue(story: ParsedStory, quote: QuotedSpan) -> Token | None:
    """A cue right after the quote ('"...," she said'), else right before it."""
    here = story.paragraph_tokens(quote.start)
    after = [t for t in here if t.idx >= quote.end]
    for verb in after:
        if story.in_quote(verb.idx):
            break
        if _quote_cue(story, verb) and _gap_after_quote_ok(story, quote, verb):
            return verb
    before = [t for t in here if token_end(t) <= quote.start]
    for verb in reversed(before):
        if story.in_quote(verb.idx):
            break
        if _quote_cue(story, verb) and _gap_before_quote_ok(story, verb, quote):
            return verb
    return None


def _quote_cue(story: ParsedStory, token: Token) -> bool:
    # 'He did not suggest retaliation. "Our goal ..."': what was not said is no cue
    return (is_cue_verb(token) and not any(c.dep_ == "neg" for c in token.children)
            and speaker_here(story, token) is not None)


def _gap_after_quote_ok(story: ParsedStory, quote: QuotedSpan, verb: Token) -> bool:
    """Between '"...,"' and 'said' only the speaker, auxiliaries and commas; a quote
    closed by a full stop ends its sentence: '"... Betty." Harriet Harman told' is no
    cue of it."""
    if story.text[quote.start:quote.end].rstrip(DOUBLE_MARKS + "'’ ").endswith("."):
        return False
    speaker = speaker_head(verb)
    allowed = set(speaker.subtree) if speaker is not None else set()
    # '"...," as Mr Smith put it': the clause's own "as" ('"..." while Muse said' is
    # another clause)
    allowed |= {c for c in verb.children
                if c.dep_ in VERB_MODIFIER_DEPS or (c.dep_ == "mark" and c.lower_ == "as")}
    gap = [t for t in story.tokens_between(quote.end, verb.idx) if not t.is_space]
    return len(gap) <= MAX_GAP_TOKENS and all(
        t in allowed or t.text in GAP_PUNCT or (t.is_quote and t.idx < quote.end) for t in gap
    )


def _gap_before_quote_ok(story: ParsedStory, verb: Token, quote: QuotedSpan) -> bool:
    """Between 'said' and '"...' only the cue's own words and punctuation."""
    allowed = own_words(verb)
    gap = [t for t in story.tokens_between(token_end(verb), quote.start) if not t.is_space]
    if len(gap) > MAX_GAP_TOKENS or not all(t in allowed or t.is_punct for t in gap):
        return False
    # 'said: "', 'said, "', 'said "' -- not a quoted term deep in a phrase ('to the "X"')
    return not gap or gap[-1].is_punct or any(
        t.head.i == verb.i for t in story.tokens_between(quote.start, quote.end)
    )


def characterised(story: ParsedStory, quote: QuotedSpan,
                  found: Sequence[Attribution] = ()) -> Attribution | None:
    """'Graham called both candidates "crazy"': quoted words in a characterising verb's
    complement are a mixed quote of its subject; a quoted name in a phrase is not."""
    verb = _characterising_verb(_governing_verb(story, quote))
    if verb is None:
        return None
    speaker = speaker_here(story, verb)
    if speaker is None:
        return None
    content = clause_content(story, token_end(verb), _phrase_end(verb, quote), verb.idx)
    if not content:
        return None
    return Attribution(content, *cue_of(verb), verb, speaker)


SPEAKING_PRONOUNS = frozenset({"he", "she", "they", "who"})
MAX_TITLE_WORDS = 8
TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to",
                               "for", "with", "by", "from"})
# Where a verb whose clause holds a quote counts as the main one, not an embedded one.
MAIN_CLAUSE_DEPS = frozenset({"ROOT", "conj"})
# How a clause or phrase hangs below the verb that may speak it.
EMBEDDING_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "pobj",
                            "prep", "dobj"})
PHRASE_LINK_DEPS = frozenset({"prep", "pobj", "dobj", "pcomp"})
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd"})
# A cue's complement that may hold a quote with words of the reporter around it.
COMPLEMENT_DEPS = frozenset({"dobj", "xcomp", "ccomp", "oprd"})


def spoken_of(story: ParsedStory, quote: QuotedSpan,
              found: Sequence[Attribution] = ()) -> Attribution | None:
    """'Trump likened the refugees to a "vicious snake"': quoted words in the complement
    of any verb whose subject can speak are a mixed quote of that subject (after the
    listed verbs and the layouts have had their turn)."""
    if not _well_paired(story, quote):
        return None  # '... pride." But Beckham revealed ... "': the marks no longer pair
    verb = _governing_verb(story, quote)
    if (verb is None or story.in_quote(verb.idx)
            or not _same_paragraph(story, verb.idx + 1, quote.start)):
        return None  # a parse run over a paragraph break, or quoted words' own verb
    above = _speaking_verb_above(story, verb)
    # 'a report found that money was coming from "..."': the report's words, not money's
    main = _main_verb(verb) if above is None and verb.dep_ not in MAIN_CLAUSE_DEPS else None
    if above is None and (_names_a_title(story, quote) or _whole_object(verb, quote)
                          or _no_ones_words(story, quote, verb, main)):
        return None  # 'The band played "Bohemian Rhapsody"', 'went to buy "fresh bread"'
    verb = above or main or verb
    speaker = speaker_here(story, verb)
    if speaker is None or speaker.lower_ in UNRESOLVABLE_PRONOUNS:
        return None  # "I", "we" outside quote marks: most often marks that no longer pair
    if not _speaks(verb) and not _can_speak(story, speaker):
        return None  # 'Robots are learning lessons on "robotiquette"'
    content = clause_content(story, token_end(verb), _phrase_end(verb, quote), verb.idx)
    if not content:
        return None
    return Attribution(content, *cue_of(verb), verb, speaker)


def _can_speak(story: ParsedStory, head: Token) -> bool:
    """A subject that may have words of its own: a person, a body or a group by name, a
    pronoun for one, a role ("the minister", "critics") or a document ("the report")."""
    if head.lower_ in SPEAKING_PRONOUNS:
        return True
    # the head or a noun it governs: '52 percent of registered voters', 'the chair of the DNC'
    for token in head.subtree:
        entity = story.entity_at(token)
        if entity is not None and entity.label in SPEAKER_LABELS:
            return True
        lemma = token.lemma_.casefold()
        if token.pos_ in {"NOUN", "PROPN"} and (
                lemma in speaker_roles() or lemma in document_nouns() or name_like(token)):
            return True
    return False


def _well_paired(story: ParsedStory, quote: QuotedSpan) -> bool:
    """An opening mark before a word, after a space or a bracket; a closing mark after
    one: a mark in the wrong position opens the words between two quotes instead."""
    text = story.text
    opens_well = quote.start + 1 < len(text) and not text[quote.start + 1].isspace() and (
        quote.start == 0 or text[quote.start - 1].isspace() or text[quote.start - 1] in "([—–-")
    closing = text[quote.end - 1]
    closes_well = closing not in DOUBLE_MARKS or not text[quote.end - 2].isspace()
    return opens_well and closes_well


def _no_ones_words(story: ParsedStory, quote: QuotedSpan, verb: Token,
                   main: Token | None) -> bool:
    """Scare quotes ('the so-called "coalition"', 'the "coalition of the willing"') or the
    object of a verb acting on things ('buy "fresh bread"')."""
    before = story.text[max(quote.start - 12, 0):quote.start].casefold().rstrip()
    # 'a meeting of the "coalition of the willing"': "the" makes the quoted words a name
    return before.endswith(("so-called", " the")) or any(
        v is not None and v.lemma_.casefold() in thing_verbs() for v in (verb, main))


def _names_a_title(story: ParsedStory, quote: QuotedSpan) -> bool:
    """Quoted words that are a name, each word capitalised: 'the "War On Drugs"'."""
    words = [w for w in story.text[quote.start:quote.end].split() if WORD.search(w)]
    return bool(words) and len(words) <= MAX_TITLE_WORDS and all(
        w.strip(DOUBLE_MARKS + "'‘’.,;:!?()")[:1].isupper() or w.casefold() in TITLE_SMALL_WORDS
        for w in words)


def _whole_object(verb: Token, quote: QuotedSpan) -> bool:
    """The quote is the verb's object as a whole ('played "Bohemian Rhapsody"'): a thing
    the verb acts on, not words someone spoke."""
    for child in verb.children:
        if child.dep_ in OBJECT_DEPS:
            words = [t for t in child.subtree if not t.is_punct and t.dep_ not in {"det", "poss"}]
            if words and all(quote.start <= t.idx < quote.end for t in words):
                return True
    return False


def _main_verb(verb: Token) -> Token | None:
    """The verb of the sentence's main clause, when it comes before ``verb``."""
    root = verb.sent.root
    return root if root.pos_ == "VERB" and root.i < verb.i else None


def _speaking_verb_above(story: ParsedStory, verb: Token) -> Token | None:
    """A cue or characterising verb whose clause holds ``verb``'s: 'going on to say that
    the country has spent "hundreds of years ..."' is said, not spent."""
    token = verb
    for _ in range(MAX_CLIMB):
        if token.dep_ not in EMBEDDING_DEPS or token.head.i == token.i:
            return None
        token = token.head
        while (token.pos_ != "VERB" and token.head.i != token.i
               and token.dep_ in PHRASE_LINK_DEPS):
            token = token.head  # 'accused X of ...': through the phrase to its verb
        if token.pos_ == "VERB" and _speaks(token) and speaker_here(story, token) is not None:
            return token
    return None


def _speaks(verb: Token) -> bool:
    return is_cue_verb(verb) or verb.lemma_.casefold() in characterising_verbs()


def _phrase_end(verb: Token, quote: QuotedSpan) -> int:
    """The end of the verb's complement holding the quote: 'called for more
    "flexibility" for advisers in Iraq' runs on past the quoted word."""
    holder = _child_holding(verb, quote)
    if holder is None or holder.dep_ not in {"prep", "dobj", "oprd", "xcomp"}:
        return quote.end
    return max(quote.end, token_end(holder.right_edge))


def _child_holding(verb: Token, quote: QuotedSpan) -> Token | None:
    """The verb's dependent whose phrase holds the quote's start."""
    return next((c for c in verb.children
                 if c.left_edge.idx <= quote.start < token_end(c.right_edge)), None)


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


def _governing_verb(story: ParsedStory, quote: QuotedSpan) -> Token | None:
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


def dash_signed(story: ParsedStory, quote: QuotedSpan,
                found: Sequence[Attribution] = ()) -> Attribution | None:
    """ '"..." -- Jane Doe' closing a paragraph, or as the next paragraph on its own (a
    quote gallery): the name after the dash is the speaker."""
    text = story.text
    index = story.paragraph_index(quote.start)
    _, paragraph_end = story.paragraphs[index]
    rest = text[quote.end:paragraph_end].strip()
    if not rest and index + 1 < len(story.paragraphs):
        signature_start, paragraph_end = story.paragraphs[index + 1]  # the signature line
        rest = text[signature_start:paragraph_end].strip()
    if not rest or rest[0] not in DASHES or len(rest.split()) > SIGNATURE_MAX_WORDS:
        return None
    dash = text.index(rest[0], quote.end)
    names = [t for t in story.tokens_between(dash + 1, paragraph_end) if name_like(t)]
    if not names:
        return None
    head = names[0]
    while head.head.i != head.i and head.head in names:
        head = head.head
    return Attribution([(quote.start, quote.end)], rest[0], (dash, dash + 1), None, head)


def named_after(story: ParsedStory, quote: QuotedSpan,
                found: Sequence[Attribution] = ()) -> Attribution | None:
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


def _opens_sentence(story: ParsedStory, quote: QuotedSpan) -> bool:
    """The quote starts its paragraph or follows a sentence end, a colon or another quote."""
    start, _ = story.paragraphs[story.paragraph_index(quote.start)]
    before = story.text[start:quote.start].rstrip()
    return not before or before[-1] in ".!?:" + CLOSING_MARKS + STRAIGHT_MARK


def _phrase_speaker_attribution(
    story: ParsedStory, quote: QuotedSpan, phrase: Sequence[Token], verb: Token
) -> Attribution | None:
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
    return Attribution([(quote.start, quote.end)], *cue_of(verb), verb, head)


def colon_introduced(story: ParsedStory, quote: QuotedSpan,
                     found: Sequence[Attribution] = ()) -> Attribution | None:
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
    if verb.pos_ != "VERB" or not has_speaker_subject(verb):
        return None
    closing = colon_after(verb)
    if closing is None or closing.i != colon.i:
        return None
    speaker = speaker_here(story, verb)
    if speaker is None:
        return None
    return Attribution([(quote.start, quote.end)], *cue_of(verb), verb, speaker)


def continued_attribution(story: ParsedStory, quote: QuotedSpan,
                          found: Sequence[Attribution]) -> Attribution | None:
    """The attribution a bare quote continues: the last one, ending just before it.

    A quote that opens its paragraph continues the previous paragraph's last
    attribution; inside a paragraph, only one that ends right before the quote.
    """
    earlier = [a for a in found if a.end <= quote.start]
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


# Rules whose cue a later quote beside it may join as a split quote's next piece.
CUE_OWNERS = frozenset({"according_to", "reporting_verb", "cue_beside"})

# In order: quote marks go to the first rule that attributes them.
MARK_RULES: tuple[Rule, ...] = (
    Rule("cue_beside", cue_beside),
    Rule("characterised", characterised),
    Rule("dash_signed", dash_signed),
    Rule("named_after", named_after),
    Rule("colon_introduced", colon_introduced),
    Rule("continued", continued),
    Rule("spoken_of", spoken_of),
)
