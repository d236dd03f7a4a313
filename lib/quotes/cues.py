"""Clause-level attribution: a reporting verb or "according to" gives a speaker and
the clause it reports.

A cue is a verb listed in ``lib/rules/cue_verbs.txt``, or any verb shaped like
one: a speaker subject and a finite clausal complement. A colon after the cue
introduces the quote that follows, in the same paragraph or the next.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Token

from lib.quotes.lexicon import (
    ADVERBIAL_DEPS,
    CLAUSE_SUBJECT_DEPS,
    CLIMB_DEPS,
    CONTENT_DEPS,
    FINITE_TAGS,
    MAX_CLIMB,
    MAX_GAP_TOKENS,
    NEGATIVE_SUBJECTS,
    PASSIVE_SUBJECT_DEPS,
    PRONOUN_KINDS,
    SENTENCE_ENDS,
    SPEAKER_LABELS,
    SUBJECT_DEPS,
    THING_PRONOUNS,
    UNRESOLVABLE_PRONOUNS,
    according_to_standards,
    characterising_verbs,
    cue_nouns,
    cue_phrases,
    cue_verbs,
    document_cues,
    document_nouns,
    idiom_cues,
    infinitive_cues,
    non_cue_verbs,
    speaker_roles,
    topic_verbs,
)
from lib.quotes.story import (
    Attribution,
    ParsedStory,
    Rule,
    clause_content,
    has_quote_mark,
    name_like,
    token_end,
)

# Who may report a belief of their own in a clause of a cue: "he thinks".
BELIEVING_PRONOUNS = frozenset({"he", "she"})


def cue_attributions(story: ParsedStory, rules: Sequence[Rule]) -> Iterator[Attribution]:
    """What each token says as a cue: the first rule of ``CUE_RULES`` that takes it."""
    for token in story.tokens:
        if story.in_quote(token.idx):
            continue  # a cue inside quote marks belongs to the quoted speaker's words
        for rule in rules:
            attribution = rule.apply(story, token)
            if attribution is not None:
                attribution.rule = rule.name
                yield attribution
                break


def is_cue_verb(token: Token) -> bool:
    """A listed reporting verb, or a verb shaped like one (subject + finite clause)."""
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.casefold()
    if lemma in cue_verbs() or any((lemma, c.lower_) in idiom_cues() for c in token.children
                                   if c.dep_ == "dobj"):
        return True
    if lemma in document_cues():  # '"...," read the statement', not 'he read "Ulysses"'
        return any(c.lemma_.casefold() in document_nouns() for c in token.children
                   if c.dep_ in SUBJECT_DEPS or (c.dep_ == "dobj" and c.i > token.i))
    # "he's certain ...": a contracted "'s" is no verb of saying, whatever its lemma
    return lemma.isalpha() and lemma not in non_cue_verbs() and (
        token.lower_ not in non_cue_verbs()) and has_speaker_subject(token) and (
        _finite_complement(token) is not None
    )


def has_speaker_subject(verb: Token) -> bool:
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


def verb_attribution(story: ParsedStory, verb: Token) -> Attribution | None:
    infinitive = _reported_infinitive(verb)
    if not is_cue_verb(verb) and infinitive is None:
        return None
    speaker = speaker_here(story, verb)
    if speaker is None:
        return None
    complements = _reported_clauses(story, verb)
    content = colon_content(story, verb)
    if complements and not content:
        first, last = complements[0], complements[-1]
        content = clause_content(story, first.left_edge.idx,
                                  _quoted_conjunct_end(story, verb, last), verb.idx)
    if not complements and not content:
        content = _parenthetical_content(story, verb)
    if not complements and not content and infinitive is not None:
        content = _infinitive_content(story, verb, infinitive)
    if not complements and not content and (question := _asked_question(verb)) is not None:
        if story.paragraph_index(question.idx) == story.paragraph_index(verb.idx):
            content = clause_content(story, question.left_edge.idx, _complement_end(question),
                                      verb.idx)
    if not content:
        return None
    return Attribution(content, *cue_of(verb), verb, speaker)


def _reported_clauses(story: ParsedStory, verb: Token) -> list[Token]:
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
    # 'The spot concludes with footage of Trump saying last week, "That makes me smart"':
    # a nearer verb of saying with its own subject says it, whatever the parse hung where
    complements = [c for c in complements if c.i < verb.i or not _nearer_cue(verb, c)]
    after = [c for c in complements if c.i > verb.i]
    if not after or (complements[0].i < verb.i and story.in_quote(complements[0].idx)):
        return complements[:1]  # '"...," Spencer said, as fighters worked out': the quote
    clauses = [after[0]]
    for complement in after[1:]:
        if complement.left_edge.i != clauses[-1].right_edge.i + 1:
            break
        clauses.append(complement)
    return clauses


WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
QUESTION_MARKS = frozenset({"if", "whether"})


def _asked_question(verb: Token) -> Token | None:
    """ 'asked the students if they were serious' (parsed as an adverbial clause),
    'asked Obama what he thought' (a wh-word object): the question asked."""
    if verb.pos_ != "VERB" or verb.lemma_.casefold() != "ask":
        return None
    listener = {t for c in verb.children if c.dep_ == "dobj" and c.i > verb.i for t in c.subtree}
    for child in verb.children:
        if child.i < verb.i:
            continue
        # ... right after the cue or its listener: 'asked for help if it rains' is a condition
        if child.dep_ == "advcl" and child.left_edge.lower_ in QUESTION_MARKS and all(
                t in listener for t in verb.doc[verb.i + 1:child.left_edge.i]):
            return child
        if child.dep_ == "dobj" and child.tag_ in WH_TAGS and any(
                c.dep_ in {"relcl", "ccomp"} for c in child.children):
            return child
    return None


def _reported_infinitive(verb: Token) -> Token | None:
    """ 'vowed to cut taxes', 'told his aides to wait': the to-infinitive after a verb
    of promising or asking (rules/quote_infinitive_cues.txt) is what was said."""
    if verb.pos_ != "VERB" or verb.lemma_.casefold() not in infinitive_cues() or (
            verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children)):
        return None  # 'when asked to do so by police': the listener's side
    infinitive = next((c for c in verb.children
                       if c.dep_ == "xcomp" and c.i > verb.i and c.pos_ in {"VERB", "AUX"}
                       and any(a.dep_ == "aux" and a.lower_ == "to" and a.i < c.i
                               for a in c.children)), None)
    if infinitive is None or infinitive.left_edge.tag_ in WH_TAGS:
        return None  # 'told them what to say': a question, not what was said
    return infinitive


def _infinitive_content(story: ParsedStory, verb: Token,
                        infinitive: Token) -> list[tuple[int, int]]:
    """The infinitive's clause, with the listener it is addressed to ('told his aides')."""
    start = infinitive.left_edge
    listener = next((c for c in verb.children
                     if c.dep_ == "dobj" and verb.i < c.i < infinitive.i), None)
    if listener is not None:
        start = listener.left_edge
    if story.paragraph_index(infinitive.idx) != story.paragraph_index(verb.idx):
        return []
    return clause_content(story, start.idx, _complement_end(infinitive), verb.idx)


def _parenthetical_content(story: ParsedStory, verb: Token) -> list[tuple[int, int]]:
    """'The hashtag, he said, was even more popular': a listed cue set off by commas
    inside the clause it reports (parsed as that clause's parataxis) reports the
    clause around it -- both sides, without the cue; from an adverbial clause, the
    clause it modifies too ('Though that went well, he said, this would not'). A
    clause in quote marks is left to the marks pass ('"A," he said, "B"')."""
    head = verb.head
    if verb.dep_ == "parataxis" and head.dep_ == "advcl" and head.head.i > verb.i:
        head = head.head
    if verb.dep_ != "parataxis" or verb.lemma_.casefold() not in cue_verbs() or (
            head.pos_ not in {"VERB", "AUX"} or story.in_quote(head.idx)
            # quoted words before the cue: '"A," he said, "B"' (a quoted fragment after it
            # is a mixed quote: 'the weapons, he added, are like "nuclear bombs"', unless
            # the clause has a speaker of its own: 'The critics, he said, called it "a fraud"')
            or has_quote_mark(story.text[head.left_edge.idx:verb.left_edge.idx])
            or (_says_or_characterises(head)
                and has_quote_mark(story.text[head.left_edge.idx:token_end(head.right_edge)]))
            or not _has_subject(head)):
        return []
    here = story.paragraph_index(verb.idx)
    if story.paragraph_index(head.idx) != here:
        return []
    spans = []
    for start, end in ((head.left_edge.idx, verb.left_edge.idx),
                       (token_end(verb.right_edge), token_end(head.right_edge))):
        if end > start:
            spans += clause_content(story, start, end, verb.idx)
    return spans


def _nearer_cue(verb: Token, complement: Token) -> bool:
    """A listed participle of saying between ``verb`` and its complement, with its own
    subject or right after a name ("footage of Tom Baker saying"), and no clause of its
    own. (A finite cue there is mostly a relative clause: 'said instead of the "bonfire"
    Labour had promised, there had been ...'.)"""
    doc = verb.doc
    return any(
        t.tag_ == "VBG" and t.lemma_.casefold() in cue_verbs()
        and (any(c.dep_ in SUBJECT_DEPS for c in t.children) or doc[t.i - 1].pos_ == "PROPN")
        # nothing said of its own ('with Tom Baker saying nothing beside her, that ...'),
        # and only punctuation between its words and the clause
        and not any(c.dep_ in CONTENT_DEPS | {"dobj"} for c in t.children)
        and all(g.is_punct for g in doc[t.right_edge.i + 1:complement.left_edge.i])
        for t in doc[verb.i + 1:complement.left_edge.i])


def _has_subject(clause: Token) -> bool:
    """A subject of the clause, or of its auxiliary ('the president has grown
    exasperated', parsed with "president" under "grown")."""
    return any(c.dep_ in CLAUSE_SUBJECT_DEPS for c in clause.children) or any(
        g.dep_ in CLAUSE_SUBJECT_DEPS for c in clause.children if c.dep_ in {"aux", "auxpass"}
        for g in c.children)


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
        if child.dep_ == "advcl" and child.i > verb.i and _unmarked_finite_clause(child) and (
                not any(t.tag_ == "CC" for t in verb.doc[verb.i:child.left_edge.i])):
            return child  # ('did reply with one but efforts from X sealed it': two clauses)
    pending = [c for c in verb.children if c.i > verb.i and c.dep_ in ADVERBIAL_DEPS]
    while pending:
        token = pending.pop(0)
        for child in token.children:
            if child.dep_ in {"relcl", "acl"} and _complementizer_clause(child):
                return child
            if child.dep_ in ADVERBIAL_DEPS | {"pobj"}:
                pending.append(child)
    return None


def _unmarked_finite_clause(clause: Token) -> bool:
    """'said after the convention he would not accept ...': a finite clause with its own
    subject and no word to join it ("if", "when", "because") is a complement the parse
    read as an adverbial."""
    children = list(clause.children)
    return (any(c.dep_ in CLAUSE_SUBJECT_DEPS and c.i < clause.i for c in children)
            and (clause.tag_ in FINITE_TAGS or any(c.dep_ == "aux" and c.tag_ in FINITE_TAGS
                                                   for c in children))
            and not any(c.dep_ == "mark" or c.tag_ in WH_TAGS for c in children)
            and clause.left_edge.tag_ not in WH_TAGS)


def _complementizer_clause(clause: Token) -> bool:
    children = list(clause.children)
    # ... and no reported clause of its own: 'at the conference that he organised
    # that the plan was dead' is his organising, then what he said
    return any(c.dep_ == "mark" and c.lower_ == "that" and c.i < clause.i for c in children) and (
        any(c.dep_ in CLAUSE_SUBJECT_DEPS for c in children)
        and not any(c.dep_ in CONTENT_DEPS for c in children))


def _quoted_conjunct_end(story: ParsedStory, verb: Token, complement: Token) -> int:
    """The reported clause's end, past a clause joined to the cue that quotes the
    speaker: 'X says there's a "long road ahead" but he feels Cruz will "win"'."""
    end = _complement_end(complement)
    for conj in verb.children:
        if (conj.dep_ == "conj" and conj.i > complement.i
                and any(c.dep_ in CLAUSE_SUBJECT_DEPS for c in conj.children)
                and not is_cue_verb(conj)
                and story.paragraph_index(conj.idx) == story.paragraph_index(verb.idx)
                and has_quote_mark(story.text[conj.left_edge.idx:token_end(conj.right_edge)])):
            end = max(end, token_end(conj.right_edge))
    return end


def _says_or_characterises(verb: Token) -> bool:
    """A listed verb of saying or of characterising, by its lemma."""
    lemma = verb.lemma_.casefold()
    return lemma in cue_verbs() or lemma in characterising_verbs()


def _complement_end(complement: Token) -> int:
    """Where the reported clause ends: before a second cue that shares the speaker
    ('he said he found Trump "charming" and called his rise "unheard of"')."""
    end = token_end(complement.right_edge)
    for conj in complement.children:
        if conj.dep_ == "conj" and conj.pos_ == "VERB" and _says_or_characterises(conj) and not any(
                c.dep_ in CLAUSE_SUBJECT_DEPS for c in conj.children):
            joiners = [c for c in complement.children
                       if c.dep_ in {"cc", "punct"} and c.i < conj.left_edge.i]
            end = min(end, joiners[-1].idx if joiners else conj.left_edge.idx)
    return end


def phrase_cue_attribution(story: ParsedStory, token: Token) -> Attribution | None:
    """ "..., according to X": X is the speaker, the clause the phrase modifies the content."""
    for head_word, child_word in cue_phrases():
        if token.lower_ != head_word:
            continue
        child = next((c for c in token.children if c.lower_ == child_word), None)
        speaker = child and next((c for c in child.children if c.dep_ == "pobj"), None)
        if speaker is None or token.head.i == token.i or _is_standard(story, speaker):
            continue
        content = clause_without(story, token.head, token)
        if story.paragraph_index(speaker.idx) != story.paragraph_index(token.idx):
            continue
        if content:
            cue_end = token_end(child)
            return Attribution(content, story.text[token.idx:cue_end],
                                (token.idx, cue_end), token, speaker)
    return None


def _is_standard(story: ParsedStory, noun: Token) -> bool:
    """ "according to plan", "according to the ministerial code": a standard followed,
    no one's words (a name is a source whatever its head: "according to the Code Group")."""
    return story.entity_at(noun) is None and noun.lemma_.casefold() in according_to_standards()


def cue_of(verb: Token) -> tuple[str, tuple[int, int]]:
    """The cue as written: the verb and its particle ("pointed out")."""
    end = token_end(verb)
    particle = next((c for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1), None)
    if particle is not None:
        end = token_end(particle)
    last = particle if particle is not None else verb
    return verb.doc[verb.i:last.i + 1].text, (verb.idx, end)


def speaker_here(story: ParsedStory, verb: Token) -> Token | None:
    """The cue's speaker when it stands in the cue's paragraph (parses run over breaks)."""
    speaker = speaker_head(verb)
    if speaker is not None and story.in_quote(speaker.idx):
        speaker = _name_after_quote(story, speaker, verb)
    if speaker is None or story.paragraph_index(speaker.idx) != story.paragraph_index(verb.idx):
        return None
    return speaker


def _name_after_quote(story: ParsedStory, inside: Token, verb: Token) -> Token | None:
    """'"Very good reporter," Trump, the frontrunner, said' parsed with the quoted
    words as subject: quoted words name no speaker; the name after them does."""
    quote = story.quote_at(inside.idx)  # the caller found ``inside`` in quote marks
    names = [t for t in story.tokens_between(quote.end, verb.idx) if name_like(t)]
    if not names:
        return None
    head = names[0]
    while head.dep_ in {"compound", "flat"} and head.head in names:
        head = head.head
    return head


def speaker_head(verb: Token) -> Token | None:
    """The head of the cue's speaker: its subject, or the subject of the verb above."""
    reporter = _parenthetical_reporter(verb) or _reporter_of_belief(verb)
    if reporter is not None:
        return reporter
    token = verb
    for _ in range(MAX_CLIMB):
        deps = SUBJECT_DEPS if token.i == verb.i else SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
        subject = _nearest_subject(token, deps)
        if subject is not None and not (token.i != verb.i and _quoted_after(verb, subject)):
            return _unclosed_apposition(subject, token) or subject  # "who": resolved later
        if token.i == verb.i and (stray := _stray_apposition(verb)) is not None:
            return stray
        if token.i == verb.i and (inverted := _inverted_object(verb)) is not None:
            return inverted
        if token.i == verb.i and (doer := _participle_doer(verb)) is not None:
            return doer
        if token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
            return None
        if token.i == verb.i and any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in token.children):
            return None  # "he was told that": the subject is the listener
        owner = _reported_clause_owner(token.head)
        if owner.i == token.head.i and (controller := _object_controller(token)) is not None:
            return controller  # (inside a cue's reported clause the cue's speaker says it)
        token = owner
    return None


def _unclosed_apposition(subject: Token, verb: Token) -> Token | None:
    """'To understand the real Dred Scott, Chief Justice Roberts said': a name the parse
    made an aside of the subject, though no comma closes it before the verb, is the
    subject ('Gordon Brown, the chancellor, said' closes its aside)."""
    asides = [c for c in subject.children if c.dep_ == "appos" and c.i > subject.i]
    if len(asides) != 1:
        return None  # 'Rabbi Marvin Hier, founder of the group the Simon Wiesenthal Center
        # said': the comma left out after a first aside; he speaks
    aside = asides[0]
    if (aside.pos_ == "PROPN" and aside.right_edge.i == verb.i - 1
            and verb.doc[subject.i + 1].text == ","
            # 'Tom Baker, Anna Berg and Peter Novak said': a list, all of them
            and not any(g.dep_ in {"cc", "conj"} for g in aside.children)):
        return aside
    return None


def _parenthetical_reporter(verb: Token) -> Token | None:
    """A clause with no verb of saying that a parenthetical cue reports: 'the media,
    the senator said, considered him a "fringe candidate"' -- the words are the
    senator's. A verb of saying or characterising keeps its own subject."""
    if _says_or_characterises(verb):
        return None
    for child in verb.children:
        if child.dep_ == "parataxis" and child.lemma_.casefold() in cue_verbs() and not any(
                c.dep_ in CONTENT_DEPS for c in child.children):
            subject = _nearest_subject(child, SUBJECT_DEPS)
            if subject is not None and subject.pos_ in {"PROPN", "NOUN", "PRON"}:
                return subject
    return None


def _reporter_of_belief(verb: Token) -> Token | None:
    """A belief a speaker reports of themselves: 'Trump told reporters that he thinks
    the vote is "a great thing"', 'X says there is a "long road ahead" but he feels
    ...' -- the pronoun is the reporting speaker, named in the cue's clause."""
    if verb.pos_ != "VERB" or _says_or_characterises(verb):
        return None
    subject = _nearest_subject(verb, SUBJECT_DEPS)
    if subject is None or subject.lower_ not in BELIEVING_PRONOUNS:
        return None
    token = verb
    for _ in range(MAX_CLIMB):
        if token.dep_ not in CONTENT_DEPS | {"conj", "advcl"} or token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ == "VERB" and token.lemma_.casefold() in cue_verbs():
            reporter = speaker_head(token)
            if reporter is None or reporter.lower_ in PRONOUN_KINDS:
                return None  # "he said he thinks": the pronoun nearest the words
            return reporter
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


def _inverted_object(verb: Token) -> Token | None:
    """A listed cue right after a quote, its speaker parsed as its object: '"...,"
    added a New Hampshire Democrat.' -- the noun phrase right after the cue."""
    lemma = verb.lemma_.casefold()
    if verb.tag_ not in FINITE_TAGS or (lemma not in cue_verbs() and lemma not in document_cues()):
        return None
    before = verb.i - 1
    while before >= 0 and verb.doc[before].text == ",":
        before -= 1
    if before < 0 or not verb.doc[before].is_quote:
        return None
    return next((c for c in verb.children if c.dep_ in {"dobj", "attr"}
                 and c.left_edge.i == verb.i + 1 and c.pos_ in {"NOUN", "PROPN"}), None)


def _participle_doer(verb: Token) -> Token | None:
    """A participle cue right after a name the parse did not hang it from: 'footage
    of Hillary Clinton asking, "..."' -- the name, not the subject above ("the ad")."""
    if verb.tag_ != "VBG" or verb.i == 0:
        return None
    noun = verb.doc[verb.i - 1]
    if noun.head.i == verb.i or noun.dep_ not in {"pobj", "dobj"}:
        return None
    if noun.ent_type_ == "PERSON" or (noun.pos_ == "PROPN" and noun.ent_type_ in SPEAKER_LABELS):
        return noun
    return None


def _nearest_subject(verb: Token, deps: frozenset[str]) -> Token | None:
    """The verb's subject; of two (a misparse: "In Salem, New Hampshire, Trump went"),
    the one nearest the verb."""
    subjects = [_hyphen_word(c) for c in verb.children if c.dep_ in deps]
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


def _hyphen_word(subject: Token) -> Token:
    """ "The Tory co-chairman" parsed with the hyphen as a subject: the word after it."""
    if subject.is_punct:
        after = next((c for c in subject.children if c.i == subject.i + 1 and c.is_alpha), None)
        return after or subject
    return subject


def _quoted_after(verb: Token, subject: Token) -> bool:
    """A subject past a quote mark after the cue: 'telling the crowd, "Some people
    get ..."' -- the quoted words' own subject, which a parse may hang the cue from."""
    return subject.i > verb.i and any(t.is_quote for t in verb.doc[verb.i + 1:subject.i])


def _object_controller(token: Token) -> Token | None:
    """'which prompted his wife to describe them as "super predators"': the object of
    the verb an infinitive completes does what the infinitive says (a listed cue's own
    infinitive, "told his aides to wait", is its content instead)."""
    head = token.head
    if token.dep_ != "xcomp" or head.lemma_.casefold() in cue_verbs() or not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return None
    return next((c for c in head.children
                 if c.dep_ == "dobj" and c.i < token.i and _may_speak(c)), None)


def _may_speak(token: Token) -> bool:
    """A name, a person or group by role, or a pronoun for one: "leading some
    commentators to argue", not "used a speech to say" (the subject speaks)."""
    return (token.ent_type_ in SPEAKER_LABELS or token.pos_ == "PROPN"
            or (token.pos_ == "PRON" and token.lower_ not in THING_PRONOUNS)
            or token.lemma_.casefold() in speaker_roles())


def _reported_clause_owner(token: Token) -> Token:
    """A listed cue above the reported clause a participle hangs from: "Trump told
    Newsmax that Romney "had ...", adding" -- adding is Trump's, not Romney's."""
    head = token.head
    if token.dep_ in CONTENT_DEPS and head.i < token.i and head.lemma_.casefold() in cue_verbs():
        return head
    return token


def colon_content(story: ParsedStory, verb: Token) -> list[tuple[int, int]]:
    """'X wrote on X: "..."': the quote after the colon, here or opening the next paragraph."""
    text = story.text
    colon = colon_after(verb)
    if colon is None:
        return []
    paragraph = story.paragraph_index(colon.idx)
    _, paragraph_end = story.paragraphs[paragraph]
    rest = text[colon.idx + 1:paragraph_end]
    if rest.strip():
        quote = next((q for q in story.quotes if q.start > colon.idx), None)
        if quote is not None and not text[colon.idx + 1:quote.start].strip():
            return [(quote.start, quote.end)]
        return clause_content(story, colon.idx + 1, paragraph_end, colon.idx)
    if paragraph + 1 < len(story.paragraphs):
        next_start, _ = story.paragraphs[paragraph + 1]
        quote = next((q for q in story.quotes if q.start == next_start), None)
        if quote is not None:
            return [(quote.start, quote.end)]
    return []


def colon_after(verb: Token) -> Token | None:
    """A colon closing the cue's clause: only the cue's own words stand between."""
    allowed = own_words(verb)
    for token in verb.doc[verb.i + 1: verb.i + 1 + MAX_GAP_TOKENS]:
        if token.text == ":":
            return token
        if token.is_space or token.text in SENTENCE_ENDS or token not in allowed:
            return None
    return None


def own_words(verb: Token) -> set[Token]:
    """The verb's subtree without its clausal complement: speaker, adverbials, particles."""
    content = {t for c in verb.children if c.dep_ in CONTENT_DEPS for t in c.subtree}
    return {t for t in verb.subtree if t not in content}

def clause_without(story: ParsedStory, head: Token, cut: Token) -> list[tuple[int, int]]:
    """The clause under ``head`` minus the phrase under ``cut``: the longer side."""
    left = (head.left_edge.idx, cut.left_edge.idx)
    right = (token_end(cut.right_edge), token_end(head.right_edge))
    start, end = max(left, right, key=lambda span: span[1] - span[0])
    return clause_content(story, start, end, cut.idx) if end > start else []


def noun_cue_attribution(story: ParsedStory, noun: Token) -> Attribution | None:
    """ "Trump's claim that there were ...", "Clinton's promise to ...": a noun of saying
    (rules/quote_cue_nouns.txt) with a named possessor and a clause of its own."""
    if noun.pos_ != "NOUN" or noun.lemma_.casefold() not in cue_nouns():
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.i < noun.i), None)
    if owner is None or owner.pos_ not in {"PROPN", "NOUN"}:
        return None  # "his claim": the pronoun is left alone
    clause = next((c for c in noun.children if c.i > noun.i and (
        c.dep_ in {"acl", "ccomp"} and c.left_edge.lower_ == "that"
        and any(g.dep_ in CLAUSE_SUBJECT_DEPS for g in c.children)
        or c.dep_ == "acl" and c.left_edge.lower_ == "to"
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children))), None)
    here = story.paragraph_index(noun.idx)
    if clause is None or {story.paragraph_index(t.idx) for t in (owner, clause)} != {here}:
        return None
    content = clause_content(story, clause.left_edge.idx, _complement_end(clause), noun.idx)
    if not content:
        return None
    return Attribution(content, noun.text, (noun.idx, token_end(noun)), noun, owner)


def topic_attribution(story: ParsedStory, verb: Token) -> Attribution | None:
    """ "She spoke about the need for reform": what a verb of speaking is about
    (rules/quote_topic_verbs.txt) is an indirect quote of its subject."""
    if verb.pos_ != "VERB" or not _spoke(verb):
        return None
    lemma = verb.lemma_.casefold()
    about = next((c for c in verb.children if c.dep_ == "prep" and c.i > verb.i
                  and (lemma, c.lower_) in topic_verbs()), None)
    if about is None:
        return None
    topic = next((c for c in about.children if c.dep_ in {"pobj", "pcomp"}), None)
    if topic is None or story.paragraph_index(topic.idx) != story.paragraph_index(verb.idx):
        return None
    speaker = speaker_here(story, verb)
    if speaker is None or speaker.lower_ in UNRESOLVABLE_PRONOUNS:
        return None  # "experts I spoke to about ...": the reporter's own conversations
    content = clause_content(story, topic.left_edge.idx, token_end(topic.right_edge), verb.idx)
    if not content:
        return None
    return Attribution(content, *cue_of(verb), verb, speaker)


def _spoke(verb: Token) -> bool:
    """The verb tells of speech that happened: not "cannot comment on", "to speak on",
    "will talk about", "Did he talk about ...?", "Nobody spoke about", nor "the book she
    wrote about her childhood" (an object: a thing made); and not 'Commenting on the
    result, she said ...', where the clause says what was said."""
    children = list(verb.children)
    subject = next((c for c in children if c.dep_ in SUBJECT_DEPS), None)
    if any(c.dep_ in {"neg", "dobj"} or (c.dep_ == "aux" and (
            c.lower_ == "to" or c.tag_ == "MD" or (subject is not None and c.i < subject.i)))
           for c in children):
        return False
    if subject is not None and (subject.lower_ in NEGATIVE_SUBJECTS or any(
            d.dep_ == "det" and d.lower_ == "no" for d in subject.children)):
        return False
    return not (verb.tag_ == "VBG" and verb.dep_ == "advcl")


# In order: a token is the cue of the first rule that takes it.
CUE_RULES: tuple[Rule, ...] = (
    Rule("according_to", phrase_cue_attribution),
    Rule("reporting_verb", verb_attribution),
    Rule("noun_cue", noun_cue_attribution),
    Rule("spoke_about", topic_attribution),
)
