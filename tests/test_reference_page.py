"""The reference page end to end: the output the product was specified from.

The page itself lives in ../shared (never in the repo); what we expect of it is
written out here: each attributed quote by a key phrase of its content and the
speaker it must get. The tests skip when the page is absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

import pytest

from lib.model import UNKNOWN_SPEAKER, UNNAMED_SPEAKER, ParsedDocument
from lib.pipeline import parse_document
from tests.conftest import REPO_DIR

HEADLINES = [
    "Foreign troops in Ukraine would be 'legitimate targets' - Russia",
    "Russian strikes plunge Ukraine's industrial southeast into blackouts",
    "Russia frees French researcher Vinatier in prisoner exchange",
]
PEOPLE = {
    "Emmanuel Macron", "Keir Starmer", "Volodymyr Zelensky", "Steve Witkoff", "Donald Trump",
    "Oleksiy Kuleba", "Ivan Fedorov", "Laurent Vinatier", "Jean-Noel Barrot", "Daniil Kasatkin",
    "Vladimir Putin",
}
NOT_PEOPLE = {"Kyiv", "Zaporizhzhia", "Zelensky", "Vinatier", "Macron", "Starmer", "Putin"}
COUNTRIES = {"Ukraine", "Russia", "France", "United Kingdom", "United States", "Switzerland"}


@dataclass(frozen=True)
class Expected:
    key: str  # a phrase of the quote's content, unique on the page
    speaker: str  # the canonical speaker (or an unnamed one's description) contains this
    unnamed: bool = False  # a source the page never names: shown as unnamed, never a name

    def said(self, quote) -> bool:
        if self.unnamed:
            return (quote.speaker == UNNAMED_SPEAKER
                    and self.speaker.casefold() in quote.speaker_description.casefold())
        return self.speaker.casefold() in quote.speaker.casefold()


# Every attributed quote on the page: direct, multi-paragraph, partial and reported.
ATTRIBUTED = [
    Expected("any troops sent to Ukraine", "Russia"),
    Expected("were becoming increasingly dangerous", "Russian Foreign Ministry"),
    Expected("sending thousands of French troops", "Emmanuel Macron"),
    Expected("paved the way for a legal framework", "Keir Starmer"),
    Expected("will be classified as foreign intervention", "Russian Foreign Ministry"),
    Expected("All such units and facilities", "Russian Foreign Ministry"),
    Expected("The fresh militaristic declarations", "Russian Foreign Ministry"),
    Expected("The plans of these participants", "Russian Foreign Ministry"),
    Expected("it was forced to intervene", "Russia"),
    Expected("never accept the stationing of Western forces", "Russia"),
    Expected("strongly stands behind", "Steve Witkoff"),
    Expected("breaking", "Volodymyr Zelensky"),
    Expected("were still without power this afternoon", "DTEK"),
    Expected("more than one million consumers", "Oleksiy Kuleba"),
    Expected("This is Russia's war specifically", "Volodymyr Zelensky"),
    Expected("Diplomatic discussions cannot be a pretext", "Volodymyr Zelensky"),
    Expected("Power has been restored", "energy ministry"),
    Expected("recent years", "Ivan Fedorov"),
    Expected("has been freed as part of a prisoner exchange", "officials", unnamed=True),
    Expected("Our compatriot Laurent Vinatier is free", "Emmanuel Macron"),
    Expected("I share the relief", "Emmanuel Macron"),
    Expected("grateful for the work done", "Emmanuel Macron"),
    Expected("welcomed Mr Vinatier and his parents", "ministry", unnamed=True),
    Expected("had been swapped for Daniil Kasatkin", "FSB"),
    Expected("had been pardoned by Russian President", "FSB"),
    Expected("had collected sensitive political", "FSB"),
    Expected("active repentance", "FSB"),
    Expected("a respected scholar", "academics", unnamed=True),
    Expected("he loved Russia", "Laurent Vinatier"),
]
# Reported claims a reader may or may not count: finding them is neither right nor wrong.
ALSO_ACCEPTABLE = [
    "Ukraine needs firm security guarantees",
    "waging an imperial-style war",
    "look into the case",
]
# Quoted terms with no speaker: never quotes on their own.
SCARE_QUOTES = ["coalition of the willing", "foreign agents", "axis of war"]


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


@pytest.fixture(scope="module")
def parsed(reference_page_path, nlp) -> ParsedDocument:
    from lib.sources import read_source

    source = read_source(str(reference_page_path))
    result = parse_document(source, nlp)
    assert isinstance(result, ParsedDocument), result
    return result


@pytest.fixture(scope="module")
def quotes(parsed):
    return [q for story in parsed.stories for q in story.quotes]


def _covering(quotes, key):
    return [q for q in quotes if _normalise(key) in _normalise(q.text)]


def test_three_stories(parsed):
    assert [s.headline for s in parsed.stories] == HEADLINES


def test_people_are_canonical(parsed):
    people = {e.canonical for s in parsed.stories for e in s.entities if e.label == "PERSON"}
    assert PEOPLE <= people
    assert not people & NOT_PEOPLE


def test_countries_resolved(parsed):
    countries = {e.country for s in parsed.stories for e in s.entities if e.country}
    assert COUNTRIES <= countries
    by_text = {(e.text, e.country) for s in parsed.stories for e in s.entities}
    assert ("French", "France") in by_text
    assert ("Kyiv", "Ukraine") in by_text
    assert ("Paris", "France") in by_text


def test_quote_recall_with_canonical_speaker(quotes):
    found = [
        e for e in ATTRIBUTED
        if any(e.said(q) for q in _covering(quotes, e.key))
    ]
    missed = [e for e in ATTRIBUTED if e not in found]
    recall = len(found) / len(ATTRIBUTED)
    print(f"reference page: {len(found)}/{len(ATTRIBUTED)} attributed quotes found with the right speaker")
    assert recall >= 0.90, f"recall {recall:.2f}; missed: {missed}"


def test_quote_precision(quotes):
    keys = [e.key for e in ATTRIBUTED] + ALSO_ACCEPTABLE
    real = [q for q in quotes if any(_normalise(k) in _normalise(q.text) for k in keys)]
    precision = len(real) / len(quotes) if quotes else 0.0
    spurious = [q.text for q in quotes if q not in real]
    print(f"reference page: {len(real)}/{len(quotes)} reported quotes are real attributed quotes")
    assert precision >= 0.90, f"precision {precision:.2f}; spurious: {spurious}"


@pytest.mark.parametrize("term", SCARE_QUOTES)
def test_scare_quotes_are_not_quotes(quotes, term):
    assert not [q for q in quotes if _normalise(q.text).strip("\"'“”‘’ ") == term]


def test_named_examples(quotes):
    def speaker_of(key):
        return {q.speaker for q in _covering(quotes, key)}

    assert "Volodymyr Zelensky" in speaker_of("This is Russia's war specifically against our people")
    assert "Emmanuel Macron" in speaker_of("I share the relief")
    assert "Russia" in speaker_of("said it was forced to intervene") | speaker_of("it was forced to intervene")
    assert "DTEK" in speaker_of("were still without power") | {
        q.speaker for q in quotes if q.cue.casefold() == "according to"
    }
    continuation = _covering(quotes, "The plans of these participants")
    assert continuation and all("Russian Foreign Ministry" in q.speaker for q in continuation)


def test_unresolved_speakers_say_unknown(quotes):
    assert all(q.speaker for q in quotes)
    assert all(q.speaker == UNKNOWN_SPEAKER or q.speaker.strip() == q.speaker for q in quotes)


def test_cli_parse_contract(reference_page_path):
    result = subprocess.run(
        [sys.executable, "-m", "lib", "parse", str(reference_page_path)],
        cwd=REPO_DIR, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    document = json.loads(line)
    assert {"source", "title", "stories"} <= document.keys()
    assert [s["headline"] for s in document["stories"]] == HEADLINES
    for story in document["stories"]:
        assert {"headline", "paragraphs", "captions", "entities", "quotes"} <= story.keys()
        for entity in story["entities"]:
            assert {"text", "label", "canonical", "country", "country_code"} <= entity.keys()
        for quote in story["quotes"]:
            assert {"text", "kind", "speaker", "speaker_mention", "cue"} <= quote.keys()
            assert quote["kind"] in {"direct", "mixed", "indirect"}
