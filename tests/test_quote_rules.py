"""Every quote rule (lib.quotes.RULES), one by one: what it finds that nothing
else does, and where it must stay silent.

A positive case is a quote the extractor finds with every rule on and loses
(no quote with those exact content spans) when only that rule is switched off:
proof that the rule does something. A negative case is a text where switching
the rule off changes nothing (the rule adds no quote), and where a phrase in it
-- a title, scare quotes, a nickname -- is no quote at all. A contract test
keeps the tables and the registry in step: a new rule without cases fails.

Known misfires (a rule attributing what it should not) are listed as strict
xfails: when a fix lands they pass, and the strict mark makes that a failure
until the case moves to the negative table.
"""

from __future__ import annotations

import pytest

from tests.test_quotes import stub_entities

# rule -> [(shape, text, content spans as written, speaker mention as written)].
# Paragraphs are separated by "\n\n".
POSITIVE: dict[str, list[tuple[str, str, tuple[str, ...], str]]] = {
    "according_to": [
        ("trailing", "The plant will close in May, according to Tom Baker.",
         ("The plant will close in May",), "Tom Baker"),
        ("leading", "According to Anna Berg, the bridge will reopen next spring.",
         ("the bridge will reopen next spring",), "Anna Berg"),
        ("common-noun-speaker", "Rates will rise again, according to economists at the bank.",
         ("Rates will rise again",), "economists at the bank"),
    ],
    "reporting_verb": [
        ("that-clause", "Peter Novak said that the factory would close in May.",
         ("that the factory would close in May",), "Peter Novak"),
        ("apposition-no-that", "Anna Berg, the mayor, confirmed the talks were over.",
         ("the talks were over",), "Anna Berg"),
        ("colon-next-paragraph", 'Tom Baker wrote on his blog:\n\n"The season is over."',
         ('"The season is over."',), "Tom Baker"),
        ("participle-adding",
         "Anna Berg met the press and said the plan was dead, adding that the talks would resume.",
         ("that the talks would resume",), "Anna Berg"),
        # a cue set off by commas inside the clause it reports: both sides, without it
        ("parenthetical-cue", "The new bridge, Tom Baker said, will open in May.",
         ("The new bridge", "will open in May"), "Tom Baker"),
        ("parenthetical-after-adverbial",
         "At the next meeting, Anna Berg said, the council will vote on the budget.",
         ("At the next meeting", "the council will vote on the budget"), "Anna Berg"),
        ("parenthetical-in-adverbial-clause",
         "Though the first vote went well, she said, the second would be much harder.",
         ("Though the first vote went well", "the second would be much harder"), "she"),
        # ... with a quoted fragment after the cue: a mixed quote
        ("parenthetical-mixed",
         'But the weapons the country has, Tom Baker added, are like "bombs you cannot use."',
         ("But the weapons the country has", 'are like "bombs you cannot use."'), "Tom Baker"),
        # ... whose clause's subject the parse hung under an auxiliary
        ("parenthetical-subject-under-auxiliary",
         "But in recent days, advisers to Anna Berg say, the mayor has grown exasperated with "
         "the campaign.", ("But in recent days", "the mayor has grown exasperated with the "
                           "campaign"), "advisers to Anna Berg"),
        # the to-infinitive of a promise or a request (rules/quote_infinitive_cues.txt)
        ("infinitive-promise", "Tom Baker has promised to cut taxes for families.",
         ("to cut taxes for families",), "Tom Baker"),
        ("infinitive-request-with-listener",
         "The mayor told her aides to close the bridge.",
         ("her aides to close the bridge",), "The mayor"),
        # an indirect question: an "if" clause right after "asked" (and its listener)
        ("asked-if", "Then Tom Baker asked the students if they were always so serious.",
         ("if they were always so serious",), "Tom Baker"),
        ("asked-wh-object", "Anna Berg asked the mayor what he thought of the new bridge.",
         ("what he thought of the new bridge",), "Anna Berg"),
    ],
    "noun_cue": [
        ("claim-that", "Voters doubted Tom Baker's claim that the vote had been rigged.",
         ("that the vote had been rigged",), "Tom Baker's"),
        ("promise-to", "The mayor repeated Anna Berg's promise to reopen the bridge in May.",
         ("to reopen the bridge in May",), "Anna Berg's"),
    ],
    "spoke_about": [
        # what a verb of speaking is about (rules/quote_topic_verbs.txt)
        ("spoke-about", "Anna Berg spoke about the need for reform.",
         ("the need for reform",), "Anna Berg"),
        ("commented-on", "Tom Baker has also commented on the death of the miner.",
         ("the death of the miner",), "Tom Baker"),
    ],
    "signed_post": [
        ("month-day-year",
         "The media makes everything up! — Donald J. Trump (@realDonaldTrump) June 29, 2016",
         ("The media makes everything up!",), "Donald J. Trump"),
        ("day-month-year", "We won the cup again tonight — Lina Ortiz (@linaortiz) 3 May 2021",
         ("We won the cup again tonight",), "Lina Ortiz"),
    ],
    "labelled_paragraph": [
        ("reported-claim", "Sanders: the primary system is rigged against new voters.",
         ("the primary system is rigged against new voters",), "Sanders"),
        ("quoted-claim", "Novak: “We will not sign this deal.”",
         ("“We will not sign this deal.”",), "Novak"),
        ("aside-where-spoken", "Tom Baker, in a statement on Monday: “We will appeal the ruling.”",
         ("“We will appeal the ruling.”",), "Tom Baker"),
    ],
    "cue_beside": [
        ("split-quote-pronoun", '"The talks went well," she said, "but nothing is signed."',
         ('"The talks went well,"', '"but nothing is signed."'), "she"),
        ("split-quote-name", "“The talks went well,” Anna Berg said, “but nothing is signed yet.”",
         ("“The talks went well,”", "“but nothing is signed yet.”"), "Anna Berg"),
        # an idiom of saying (rules/quote_idiom_cues.txt), after the quote with its "as"
        ("as-put-it", '"The talks were a disaster," as Tom Baker put it.',
         ('"The talks were a disaster,"',), "Tom Baker"),
        # the parse hangs the quote on the verb above; the nearer cue, a participle right
        # after a name, says it
        ("nearer-participle-cue", "The spot concludes with footage of Tom Baker saying during "
         "the debate last week, “That makes me smart,” when Anna Berg blasted him for not "
         "paying his taxes.", ("“That makes me smart,”",), "Tom Baker"),
    ],
    "characterised": [
        # a listed verb claims a quoted name, which the general rule leaves alone
        ("call-a-name", "Sarah Green called the plan “Project Fear” on Monday.",
         ("the plan “Project Fear”",), "Sarah Green"),
        ("dub-a-name", 'Tom Baker dubbed the squad "The Invincibles" after the final.',
         ('the squad "The Invincibles"',), "Tom Baker"),
        ("call-object-complement", "Sarah Green called both candidates “crazy” on Monday.",
         ("both candidates “crazy”",), "Sarah Green"),
        # a listed verb claims quoted words after "the", which the general rule leaves alone
        ("liken-to-the", 'Tom Baker likened the budget to the "last days of Rome" on Monday.',
         ('the budget to the "last days of Rome"',), "Tom Baker"),
    ],
    "spoken_of": [
        ("equate-with", 'Anna Berg equated the refugees with a "vicious snake" in her speech.',
         ('the refugees with a "vicious snake" in her speech',), "Anna Berg"),
        ("go-after-as", "Tom Baker has gone after the mayor as a “spoiled brat” all week.",
         ("after the mayor as a “spoiled brat”",), "Tom Baker"),
        ("named-body-in-subject", 'Most members of the Labour Party backed the plan as "a '
         'fair deal" for the town.', ('the plan as "a fair deal" for the town',),
         "Most members of the Labour Party"),
        ("report-found", 'A council report found that the money was coming from "unknown '
         'donors" abroad.', ('that the money was coming from "unknown donors"',),
         "A council report"),
    ],
    "dash_signed": [
        ("em-dash-name", "“We will never give up.” — Lina Ortiz",
         ("“We will never give up.”",), "Lina Ortiz"),
        ("double-hyphen-title", '"The rain will stop soon." -- Tom Baker, the forecaster',
         ('"The rain will stop soon."',), "Tom Baker"),
        ("name-then-role", '"Stay calm" — Tom Baker, chief constable',
         ('"Stay calm"',), "Tom Baker"),
        ("signature-next-paragraph",
         "Here are some of the answers.\n\n“We deserve better from our leaders.”\n\n― Ana Ruiz",
         ("“We deserve better from our leaders.”",), "Ana Ruiz"),
    ],
    "named_after": [
        ("non-cue-verb",
         ("Tom Baker lost the vote.\n\n"
          "“Go home, all of you,” Baker snorted as the guards moved in."),
         ("“Go home, all of you,”",), "Baker"),
        ("title-and-name", '"Never again," the union leader Tom Baker sighed.',
         ('"Never again,"',), "the union leader Tom Baker"),
        ("pronoun", "“Not today, not ever,” she smiled.",
         ("“Not today, not ever,”",), "she"),
        ("full-name", '"Good luck with that," Lina Ortiz laughed.',
         ('"Good luck with that,"',), "Lina Ortiz"),
    ],
    "colon_introduced": [
        ("pronoun-subject",
         ("Anna Berg met the strikers.\n\n"
          "She then addressed the crowd again: “Stand firm, all of you.”"),
         ("“Stand firm, all of you.”",), "She"),
        ("imperative-quote", "Tom Baker turned to the guards: “Now, go!”",
         ("“Now, go!”",), "Tom Baker"),
        ("verbless-quote", 'Tom Baker raised his glass: "To the new mayor!"',
         ('"To the new mayor!"',), "Tom Baker"),
    ],
    "continued": [
        ("next-paragraph", '"The talks went well," Anna Berg said.\n\n"We meet again on Friday."',
         ('"We meet again on Friday."',), "Anna Berg"),
        ("same-paragraph", 'Tom Baker said the plan was dead. "We start again tomorrow."',
         ('"We start again tomorrow."',), "Tom Baker"),
        ("after-colon-quote",
         ('Health Secretary Wes Streeting wrote on X:\n\n"Nurses deserve better.\n\n'
          '"We will not stop until the deal is done."'),
         ('"We will not stop until the deal is done."',), "Health Secretary Wes Streeting"),
    ],
}

# rule -> [(shape, text, span pieces that must be no quote's content at all)].
NEGATIVE: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "according_to": [
        ("inside-quote-marks", '"Everything went according to plan," Tom Baker said.',
         ("Everything went",)),
        ("no-clause", "According to Tom Baker.", ()),
        ("verb-cue-holds-clause",
         "Tom Baker said, according to the minutes, that the vote was close.",
         ()),
        # "according to" as "in proportion to / as laid down by": no one speaks
        ("according-to-plan", "Everything went according to plan.", ("Everything went",)),
        ("according-to-size", "The list is sorted according to size.", ("The list is sorted",)),
        ("according-to-rank", "Seats were assigned according to age and rank.",
         ("Seats were assigned",)),
        ("according-to-a-code", "The advice should have been attached, according to the "
         "ministerial code.", ("The advice should have been attached",)),
    ],
    "reporting_verb": [
        # the lemmatizer reads "hopes" as "hop": the word as written is checked too
        ("hope-lemmatised-hop", "Tom Baker hopes that the rain stops soon.",
         ("that the rain stops soon",)),
        ("non-reporting-verb", "Tom Baker wants the plan to fail.", ("the plan to fail",)),
        ("it-emerged", "It emerged that the plan had failed.", ("that the plan had failed",)),
        ("listed-non-cue", "Anna Berg feels that the plan is wrong.", ("that the plan is wrong",)),
        ("perception-verb", "Tom Baker saw that the door was open.", ("that the door was open",)),
        ("passive-listener", "Tom Baker was told that the plant would close.",
         ("that the plant would close",)),
        ("no-content", "Tom Baker said goodbye to his staff.", ("goodbye to his staff",)),
        ("relative-clause", "Tom Baker spoke at the conference that he organised.",
         ("that he organised",)),
        ("no-colon-before-next-paragraph", 'Tom Baker said.\n\n"We start again tomorrow."',
         ('"We start again tomorrow."',)),
        # an infinitive of wanting or trying is no speech; a question is not what was said
        ("infinitive-want", "Tom Baker wants to cut taxes for families.",
         ("to cut taxes for families",)),
        ("infinitive-question", "Anna Berg told the staff what to say to the press.",
         ("the staff what to say to the press",)),
        ("infinitive-passive-listener", "He left the car when asked to do so by the police.",
         ("to do so by the police",)),
        ("asked-for-something-if", "Tom Baker asked for help if the bridge closes.",
         ("if the bridge closes",)),
        # a parenthetical belief is no speech
        ("parenthetical-belief", "The new bridge, Tom Baker thinks, will open in May.",
         ("The new bridge", "will open in May")),
    ],
    "noun_cue": [
        # a possessive pronoun is left alone; a claim to a thing is no words
        ("pronoun-owner", "His claim that the vote was rigged was false.",
         ("that the vote was rigged",)),
        ("claim-to-a-thing", "The company's claim to the land was rejected.", ("to the land",)),
        ("no-owner", "The warning that the bridge would close came too late.",
         ("that the bridge would close",)),
    ],
    "spoke_about": [
        # nothing was said: refused, or not done yet; the reporter's own talks
        ("cannot-comment", "Tom Baker said he cannot comment on the letter.", ("the letter",)),
        ("to-speak-on", "It would be wrong for Anna Berg to speak on the trial.", ("the trial",)),
        ("reporter-spoke", "Experts I spoke to about the new tax plan were unsure.",
         ("the new tax plan",)),
        ("not-a-topic-preposition", "Anna Berg spoke at the convention in Leeds.",
         ("the convention in Leeds",)),
        # speech to come, asked about, denied by its subject, or a thing written
        ("will-talk", "Tom Baker will talk about the cuts at the rally tomorrow.",
         ("the cuts at the rally",)),
        ("question", "Did Tom Baker talk about the cuts?", ("the cuts",)),
        ("nobody-spoke", "Nobody spoke about the cuts at the meeting.",
         ("the cuts at the meeting",)),
        ("book-written-about", "The book, which she wrote about her childhood, sold well.",
         ("her childhood",)),
        ("complained-of-pains", "The victim complained of chest pains before collapsing.",
         ("chest pains",)),
        # the clause after the participle says what was said
        ("commenting-on-then-said",
         "Commenting on the result, Anna Berg said the team had done well.", ("the result",)),
    ],
    "signed_post": [
        ("handle-without-date",
         "The bridge reopened on Monday — Donald Trump (@realDonaldTrump) was not there.",
         ("The bridge reopened on Monday",)),
        ("hyphen-handle-no-date",
         "Tickets cost ten pounds - Lina Ortiz (@linaortiz) sold them all.",
         ("Tickets cost ten pounds",)),
        ("no-dash", "Anna Berg (@annaberg) posted a photo of the cup on 3 May 2021.", ()),
    ],
    "labelled_paragraph": [
        ("title", "Breitbart News Daily: A World at War.", ("A World at War",)),
        ("non-speaker-label", "Editor's Note: The following is an excerpt from a new book.",
         ("The following is an excerpt from a new book",)),
        ("colon-list", "Ingredients: flour, eggs and sugar.", ("flour, eggs and sugar",)),
        ("update-label", "Update: the road has reopened after the crash.",
         ("the road has reopened after the crash",)),
        ("verbless-claim", "The winner: Tom Baker of Leeds.", ("Tom Baker of Leeds",)),
        ("scores", "Results: Leeds 2, York 1.", ("Leeds 2, York 1",)),
        ("aside-with-verb", "Tom Baker, who spoke on Monday: the plan is dead.",
         ("the plan is dead",)),
        ("long-aside", "In Leeds, in the rain on the last Monday of a long and wet month: "
         "the bridge reopened.", ("the bridge reopened",)),
    ],
    "cue_beside": [
        # a cue in a clause joined by "while" is no cue of the quote before it
        ("while-clause-after-quote", 'Tom Baker described the prize as "quite an honour" '
         'while the band said their win was a surprise.', ('"quite an honour"',)),
        # what was not said is no cue for the quote after it
        ("negated-cue", 'Tom Baker did not suggest retaliation. "Our goal is calm."',
         ('"Our goal is calm."',)),
        # "put it" that puts a thing somewhere is no idiom of saying; a person reading a
        # title reads no one's words
        ("put-it-somewhere", 'Tom Baker bought the painting "Blue Night" and put it in his '
         'office.', ('"Blue Night"',)),
        ("person-reads-a-title", 'He read "War and Peace" twice last summer.',
         ('"War and Peace"',)),
        ("title-non-reporting-verb", 'The band played "Bohemian Rhapsody" at the end of the night.',
         ('"Bohemian Rhapsody"',)),
        ("title-deep-in-phrase",
         'Tom Baker told the story of "The Long Road Home" to his students.',
         ('"The Long Road Home"',)),
        ("scare-quotes", 'Leaders met the so-called "coalition of the willing" in Paris.',
         ('"coalition of the willing"',)),
        ("far-from-cue",
         ('Tom Baker said the match was over.\n\n'
          'The fans later sang "Glory, glory" in the streets of Leeds.'),
         ('"Glory, glory"',)),
    ],
    "characterised": [
        ("non-listed-verb", 'Laura Chen went to the market to buy "fresh bread" on Sunday.',
         ('"fresh bread"',)),
        ("nickname-participle", 'The striker, known as "the Cat", scored twice.', ('"the Cat"',)),
        ("passive-no-speaker", 'The novel "Night Trains" was praised by critics.',
         ('"Night Trains"',)),
        # "compared with" and clapping: no one characterises
        ("compared-with", 'Sales rose 5% compared with the "golden quarter" of 2019.',
         ('"golden quarter"',)),
        ("applauded", 'Fans applauded the "Invincibles" as they left the pitch.',
         ('"Invincibles"',)),
        # "dismiss" is firing someone too: no verb of characterising
        ("dismissed-employee", 'The firm dismissed the "rogue trader" on Monday.',
         ('"rogue trader"',)),
    ],
    "spoken_of": [
        ("title-case", 'Anna Berg introduced the "War On Drugs" in her first year.',
         ('"War On Drugs"',)),
        ("thing-verb", 'The band played "Bohemian Rhapsody" at the end of the night.',
         ('"Bohemian Rhapsody"',)),
        ("thing-verb-below", 'Laura Chen went to the market to buy "fresh bread" on Sunday.',
         ('"fresh bread"',)),
        ("so-called", 'Tom Baker met the so-called "coalition of the willing" in Paris.',
         ('"coalition of the willing"',)),
        ("the-named-term", 'Moscow was responding to a meeting of the "coalition of the '
         'willing" in Paris.', ('"coalition of the willing"',)),
        ("whole-object", 'Anna Berg tried "wild garlic soup" for the first time.',
         ('"wild garlic soup"',)),
        # a subject with no words of its own, under a verb that does not speak
        ("thing-subject", 'Robots are learning lessons on "robotiquette" in the lab.',
         ('"robotiquette"',)),
    ],
    "dash_signed": [
        ("no-dash", "“The bridge is closed.” Tom Baker walked away.", ()),
        ("description-no-name", '"Night Trains" - a novel about grief and loss - sold well.',
         ('"Night Trains"',)),
        ("long-tail",
         ('"Night Trains" – the story of three brothers who lost their farm in the long winter '
          "of 1947 – by Tom Baker."), ('"Night Trains"',)),
        ("dash-then-sentence", '"Keep out" — the sign on the gate was clear.', ('"Keep out"',)),
        ("next-paragraph-sentence",
         ('Tom Baker lost.\n\nFans sang "Glory, glory" all night.\n\n'
          "— and the police were called to the ground at midnight."), ('"Glory, glory"',)),
    ],
    "named_after": [
        ("possessive", "“The Long Road Home,” Tom Baker’s first novel, sold well in Leeds.",
         ("“The Long Road Home,”",)),
        ("description-no-speaker",
         "“Hamilton Road,” the new musical by Lin Garcia, opened in Leeds.",
         ("“Hamilton Road,”",)),
        ("no-comma", "“The bridge is closed.” Tom Baker walked away.",
         ("“The bridge is closed.”",)),
        ("list-of-titles", '"Night Trains," "Winter Harbour" and "Blue Hill" all sold well.',
         ('"Night Trains,"', '"Winter Harbour"', '"Blue Hill"')),
    ],
    "colon_introduced": [
        ("colon-ends-paragraph",
         ("Tom Baker met the board.\n\nHe then listed the qualities of a good chair:\n\n"
          "“Has the candidate a record of leadership?”"),
         ("“Has the candidate a record of leadership?”",)),
        ("thing-subject",
         "Anna Berg visited the site.\n\nThe report lists three demands: “Pay, hours and safety.”",
         ("“Pay, hours and safety.”",)),
        ("colon-list-person", "Anna Berg packed the essentials: “Tent”, “Stove” and “Map”.",
         ("“Tent”", "“Stove”", "“Map”")),
        ("colon-list-titles", 'The museum shows two films: "Night Trains" and "Winter Harbour".',
         ('"Night Trains"', '"Winter Harbour"')),
    ],
    "continued": [
        ("no-attribution-before",
         'Rain fell all day.\n\n"Keep calm" posters were everywhere in the town.',
         ('"Keep calm"',)),
        ("two-paragraphs-later",
         ('Tom Baker said the vote was close.\n\nThe count went on until dawn.\n\n'
          '"It was a long night."'),
         ('"It was a long night."',)),
        ("words-between",
         'Tom Baker said the vote was close. Fans then sang "We are the champions" in the street.',
         ('"We are the champions"',)),
    ],
}

# Known misfires: the rule attributes what it should not. Same check as NEGATIVE,
# expected to fail (strict) until the rule is fixed.
KNOWN_MISFIRES: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "labelled_paragraph": [
        # a dateline label: "May" becomes the speaker
        ("dateline", "Monday 9 May: the road has reopened after the crash.",
         ("the road has reopened after the crash",)),
    ],
    "cue_beside": [
        # a book title as the object of "wrote"
        ("title-object-of-write", 'Tom Baker, who wrote "Night Trains", lives in Leeds.',
         ('"Night Trains"',)),
        # a title in a phrase, beside a parenthetical cue
        ("title-beside-parenthetical",
         'The cast of "Hamilton Road," Tom Baker reported, was superb.',
         ('"Hamilton Road,"',)),
    ],
    "dash_signed": [
        # a title and its byline
        ("title-byline", '"Night Trains" – a novel by Tom Baker', ('"Night Trains"',)),
    ],
}


def _params(table: dict[str, list[tuple]], **marks) -> list:
    return [pytest.param(rule, *case[1:], id=f"{rule}-{case[0]}", **marks)
            for rule, cases in table.items() for case in cases]


def _quotes(nlp, text: str, disabled: tuple[str, ...] = ()):
    from lib.quotes import extract_quotes

    doc = nlp(text)
    return extract_quotes(doc, stub_entities([doc])[0], disabled=disabled)


def _pieces(text: str, quote) -> tuple[str, ...]:
    return tuple(text[s:e] for s, e in quote.spans)


@pytest.mark.parametrize(("rule", "text", "spans", "mention"), _params(POSITIVE))
def test_rule_finds_what_no_other_rule_does(nlp, rule, text, spans, mention):
    found = [(_pieces(text, q), q.speaker_mention) for q in _quotes(nlp, text)]
    assert (spans, mention) in found, found
    without = [_pieces(text, q) for q in _quotes(nlp, text, disabled=(rule,))]
    assert spans not in without, without


def _assert_rule_adds_nothing(nlp, rule, text, absent):
    every = _quotes(nlp, text)
    assert every == _quotes(nlp, text, disabled=(rule,)), [_pieces(text, q) for q in every]
    pieces = {piece for q in every for piece in _pieces(text, q)}
    assert not pieces & set(absent), pieces


@pytest.mark.parametrize(("rule", "text", "absent"), _params(NEGATIVE))
def test_rule_stays_silent(nlp, rule, text, absent):
    _assert_rule_adds_nothing(nlp, rule, text, absent)


@pytest.mark.parametrize(
    ("rule", "text", "absent"),
    _params(KNOWN_MISFIRES, marks=pytest.mark.xfail(strict=True, raises=AssertionError,
                                                      reason="known misfire")),
)
def test_known_misfires(nlp, rule, text, absent):
    _assert_rule_adds_nothing(nlp, rule, text, absent)


def test_every_rule_has_positive_and_negative_cases():
    from lib.quotes import RULES

    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)), names
    for table in (POSITIVE, NEGATIVE, KNOWN_MISFIRES):
        assert set(table) <= set(names), set(table) - set(names)
    assert [n for n in names if len(POSITIVE.get(n, ())) < 2] == []
    assert [n for n in names if not NEGATIVE.get(n)] == []


@pytest.mark.parametrize(("text", "span", "paired"), [
    ('She said "the plan is dead" on Monday.', (9, 27), True),
    ('(“The plan is dead”)', (1, 19), True),
    # a closing mark read as an opening one: the words between two quotes
    ('"It gives me pride." But the club " signed it', (19, 35), False),
    ('He said "the plan " today', (8, 19), False),  # closes after a space
])
def test_spoken_of_needs_marks_that_pair(text, span, paired):
    from types import SimpleNamespace

    from lib.quotes.marks import _well_paired
    from lib.quotes.story import QuotedSpan

    assert _well_paired(SimpleNamespace(text=text), QuotedSpan(*span)) is paired
