"""bench/quotes.py: a split quote scored by its pieces and by the joined text the CLI prints."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.quotes import (
    Attribution,
    evaluate,
    figures,
    gold_attributions,
    placed_by_spans,
    placed_by_text,
    split_line,
    split_recall,
    swap_line,
    swapped_cue_and_source,
    target_lines,
)
from lib.model import Quote

PAGE = 'Intro.\n\n"The talks went well," she said, "but nothing is signed." "The talks went well,"'
FIRST, SECOND, AGAIN = (8, 30), (41, 65), (66, 88)  # the pieces, then the first again


def gold_record(quote_type: str) -> dict:
    """PAGE with one gold attribution: the two pieces, said by "she"."""
    return {"text": PAGE, "attributions": [{
        "quote_type": quote_type,
        "contents": [{"start": s, "end": e, "text": PAGE[s:e]} for s, e in (FIRST, SECOND)],
        "cue": [{"text": "said"}],
        "sources": [{"start": 31, "end": 34, "text": PAGE[31:34]}],
    }]}


def quote(text: str, spans: list[tuple[int, int]], kind: str = "direct") -> Quote:
    return Quote(text, kind, "unknown", "she", "said", spans, speaker_span=(31, 34))


@pytest.mark.parametrize(
    ("text", "spans", "placed"),
    [
        # found: where the text first is (here its own span)
        ('"but nothing is signed."', [SECOND], (SECOND,)),
        # found first where it repeats: the field's protocol, not our span
        ('"The talks went well,"', [AGAIN], (FIRST,)),
        # a split quote's joined text is not on the page: it covers nothing
        ('"The talks went well," "but nothing is signed."', [FIRST, SECOND], ()),
        # pieces in two paragraphs: joined by a space, not the page's blank line
        ('Intro. "The talks went well,"', [(0, 6), FIRST], ()),
        ("", [], ()),  # no text is found nowhere, not at 0
    ],
)
def test_placed_by_text(text, spans, placed):
    assert " ".join(PAGE[s:e] for s, e in spans) == text  # the text as the CLI prints it
    assert placed_by_text(quote(text, spans), PAGE) == Attribution(
        placed, "direct", "said", ((31, 34),), True)


def test_the_page():
    assert [PAGE[s:e] for s, e in (FIRST, (31, 34), SECOND, AGAIN)] == [
        '"The talks went well,"', "she", '"but nothing is signed."', '"The talks went well,"']


def test_placed_by_spans_keeps_the_pieces():
    split = quote('"The talks went well," "but nothing is signed."', [FIRST, SECOND])
    assert placed_by_spans(split) == Attribution((FIRST, SECOND), "direct", "said",
                                                 ((31, 34),), True)
    assert placed_by_spans(quote("x", [(0, 1)], kind="indirect")).quoted is False


def test_a_split_gold_is_found_by_pieces_and_missed_by_joined_text():
    record = gold_record("direct_split")
    split = quote('"The talks went well," "but nothing is signed."', [FIRST, SECOND])
    by_pieces = evaluate([record], [PAGE], lambda page: [placed_by_spans(split)],
                         with_errors=False)[1]
    by_text = evaluate([record], [PAGE], lambda page: [placed_by_text(split, page)],
                       with_errors=False)[1]
    assert split_recall(by_pieces) == (1, 1.0, 1.0)
    assert split_recall(by_text) == (1, 0.0, 0.0)
    assert split_line(by_pieces, by_text) == (
        "split quotes (direct_split, gold 1): by pieces @30 1.000 @80 1.000; "
        "by joined text @30 0.000 @80 0.000")


def test_split_recall_without_split_golds_is_zero_not_an_error():
    assert split_recall({0.3: Counter(), 0.8: Counter()}) == (0, 0.0, 0.0)


def test_targets_pass_and_fail_on_the_figures_of_one_evaluation():
    record = gold_record("mixed")
    found = quote('"The talks went well," "but nothing is signed."', [FIRST, SECOND])
    tallies, by_type, _ = evaluate([record], [PAGE], lambda page: [placed_by_spans(found)],
                                   with_errors=False)
    values = figures(tallies, by_type)
    assert values == {"quoted_f1_30": 1.0, "quoted_f1_80": 1.0, "speech_f1_30": 1.0,
                      "speaker_quoted": 1.0, "speaker_speech": 1.0, "mixed_recall_30": 1.0}
    assert all(line.endswith("PASS") for line in target_lines(values))
    missed = figures(*evaluate([record], [PAGE], lambda page: [], with_errors=False)[:2])
    assert missed["mixed_recall_30"] == 0.0 and missed["speaker_quoted"] == 0.0
    assert all(line.endswith("FAIL") for line in target_lines(missed))


def annotation(cue: str, source: str) -> dict:
    return {"cue": [{"text": cue}], "sources": [{"text": source}] if source else []}


@pytest.mark.parametrize(
    ("cue", "source", "swapped"),
    [
        ("Mulgrew", "said", True),  # '"...," said Mulgrew' labelled the wrong way round
        ("Robert McAtee, one of several coal industry veterans", "said", True),
        ("we", "ask", True),
        ("federal data", "According to", True),
        ("said", "Mulgrew", False),  # the right way round
        ("according to", "federal data", False),
        ("that compared", "comments", False),  # "comments" is the noun, the source
        ("of", "reports", False),
        ("calls", "State", False),
        ("said", "", False),  # no source
    ],
)
def test_swapped_cue_and_source(cue, source, swapped):
    assert swapped_cue_and_source(annotation(cue, source)) is swapped


def test_a_swapped_gold_is_read_the_right_way_round():
    record = gold_record("direct_split")
    record["attributions"][0]["cue"] = [{"start": 31, "end": 34, "text": "she"}]
    record["attributions"][0]["sources"] = [{"start": 35, "end": 39, "text": "said"}]
    [gold] = gold_attributions(record)
    assert (gold.cue, gold.speaker_spans) == ("said", ((31, 34),))


def test_swap_line_counts_the_swaps_and_gives_the_figures_as_labelled():
    records = [{"attributions": [annotation("Mulgrew", "said"), annotation("said", "Mulgrew")]}]
    line = swap_line(records, {"speaker_quoted": 0.9541, "speaker_speech": 0.968})
    assert line == ("golds read with cue and source swapped back: 1; as labelled, speaker "
                    "quoted 0.954, speech 0.968")


@pytest.mark.parametrize(("split", "count"), [("dev", 6), ("train", 14)])
def test_the_swaps_read_back_are_the_audited_ones(shared_dir, split, count):
    """Each swap read back on PolNeAR was checked by hand (source "said", "asked" or
    "According to", cue a name or a pronoun): a change to the test must be audited again."""
    import json

    path = shared_dir / "data" / "polnear" / f"{split}.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    with path.open(encoding="utf-8") as handle:
        items = [item for line in handle for item in json.loads(line)["attributions"]]
    assert sum(swapped_cue_and_source(item) for item in items) == count
