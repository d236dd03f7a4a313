"""The hand-labelled BBC speakers (tests/data/bbc_speakers.tsv) as table-driven cases:
one case per "dev" quote, its speaker checked the way bench/speakers.py scores it.

Quotes the rules get wrong today are strict xfails (``KNOWN_WRONG``: what comes out,
from which mention): a fix turns one into a failure until its mark is removed, and a
new error in a right one fails. "heldout" quotes are scored by bench/speakers.py only,
never listed here: their errors are not studied. Skips without the BBC corpus.
"""

from __future__ import annotations

import functools

import pytest

from lib.model import Quote
from lib.pipeline import parse_document
from lib.sources import read_file
from tests.conftest import SHARED_DIR
from tests.speaker_labels import NONE, load_labels, matching_quote, speaker_right

BBC_DIR = SHARED_DIR / "data" / "bbc"
if not BBC_DIR.is_dir():
    pytest.skip(f"{BBC_DIR} is absent: the BBC corpus is not part of a fresh clone",
                allow_module_level=True)
DEV = [gold for gold in load_labels() if gold.split == "dev" and gold.status != NONE]

# id -> what comes out instead (speaker, or unnamed and its description, from the mention)
KNOWN_WRONG: dict[str, str] = {
    "q025": "missed",
    "q031": "'Financial Times' from 'the Financial Times'",
    "q045": "unnamed largest land owner",
    "q052": "'Thailand' from 'Thailand'",
    "q073": "unnamed Racial and Violent Crime taskforce",
    "q090": "'Viktor Makarov' from 'Viktor Makarov'",
    "q108": "'Blair' from 'Mr Blair'",
    "q116": "'United Kingdom' from 'It'",
    "q147": "'Madrid' from 'they'",
    "q188": "unnamed numbers",
    "q200": "'Stuart Stanton-Davies' from 'He'",
    "d016": "unnamed work and pensions minister",
    "d062": "unnamed both organisations",
    "d065": "'Goldman' from 'Mr Goldman'",
    "d072": "'Pew Internet' from 'a survey'",
    "d076": "'Steve Coogan' from 'he'",
    "d093": "'Cory Doctorow' from 'He'",
    "d098": "'unknown' from 'I'",
    "d104": "'Fiat' from 'It'",
    "d111": "'unknown' from 'that'",
    "d117": "'unknown' from 'one of her male colleagues'",
    "d118": "unnamed minister for civil aviation Praful Patel",
    "d119": "'S Hussain Zaidi' from 'They'",
    "d140": "'unknown' from 'He'",
    "d148": "unnamed economists",
    "d160": "'Night' from 'she'",
    "d167": "'Top' from 'A Top of the Pops spokesperson'",
    "d170": "unnamed president",
    "d207": "'Ludacris' from 'he'",
    "d218": "'Oliver Letwin' from 'He'",
    "d221": "unnamed Tory MP for Sleaford and North Hykeham",
    "d235": "'Terrence Higgins Trust' from 'the Terrence Higgins Trust'",
    "d238": "'Tony Blair' from 'Tony Blair'",
    "d255": "unnamed firm",
    "d266": "'Michael Johnson' from 'The American'",
    "d267": "'Tony Blair' from 'Tony Blair'",
    "d268": "'Van de Vijver' from 'which'",
    "d272": "'London Stock Exchange' from 'The German exchange'",
    "d274": "'Jan Vetham' from 'Ard Jan Vetham'",
    "d299": "'Google' from 'the group in a statement'",
}


@functools.cache
def _quotes(file: str, nlp) -> list[Quote]:
    parsed = parse_document(read_file(str(BBC_DIR / file)), nlp)
    return [q for story in parsed.stories[:1] for q in story.quotes]


def _case(gold):
    reason = KNOWN_WRONG.get(gold.id)
    marks = [pytest.mark.xfail(strict=True, reason=f"comes out as {reason}")] if reason else []
    return pytest.param(gold, id=f"{gold.id}-{gold.file}", marks=marks)


@pytest.mark.parametrize("gold", [_case(gold) for gold in DEV])
def test_labelled_speaker(gold, nlp):
    quote = matching_quote(gold, _quotes(gold.file, nlp))
    assert quote is not None, "the labelled quote is not found"
    assert speaker_right(gold, quote), (
        f"want {'|'.join(gold.names) or 'unnamed ' + gold.description}, got {quote.speaker!r} "
        f"from {quote.speaker_mention!r}")


def test_known_wrong_are_dev_quotes():
    dev = {gold.id for gold in DEV}
    assert set(KNOWN_WRONG) <= dev, sorted(set(KNOWN_WRONG) - dev)
