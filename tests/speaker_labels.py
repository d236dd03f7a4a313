"""Hand-labelled speakers of BBC quotes (tests/data/bbc_speakers.tsv) and how a
parse is scored against them; shared by tests/test_speaker_labels.py and
bench/speakers.py.

A gold quote is found when a predicted quote of its story overlaps its span; the
predicted speaker is then right when:
- gold ``named``: the speaker is one of the gold names (case, accents and spacing
  aside);
- gold ``unnamed``: the speaker is not a name (unnamed, or unknown);
- gold ``none``: not scored for the speaker (it counts against precision).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lib.model import UNKNOWN_SPEAKER, UNNAMED_SPEAKER, Quote

LABELS_FILE = Path(__file__).resolve().parent / "data" / "bbc_speakers.tsv"
NAMED, UNNAMED, NONE = "named", "unnamed", "none"


@dataclass(frozen=True)
class GoldSpeaker:
    id: str
    file: str  # relative to the BBC corpus folder
    start: int  # the quote's span in the story text
    end: int
    status: str  # named | unnamed | none
    names: tuple[str, ...]  # acceptable forms of the name (named)
    description: str  # unnamed: who the source is
    body: str  # unnamed: the body it speaks for, when given
    split: str  # "dev" (studied while writing the rules) or "heldout" (never studied)


def load_labels(path: Path = LABELS_FILE) -> list[GoldSpeaker]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [
        GoldSpeaker(row["id"], row["file"], int(row["start"]), int(row["end"]), row["status"],
                    tuple(n for n in row["name"].split("|") if n), row["description"],
                    row["body"], row["split"])
        for row in rows
    ]


def folded(name: str) -> str:
    """Case, accents and spacing aside: "José  Barroso" == "jose barroso"."""
    plain = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).casefold().split())


def is_named(speaker: str) -> bool:
    return speaker not in (UNKNOWN_SPEAKER, UNNAMED_SPEAKER, "")


def matching_quote(gold: GoldSpeaker, quotes: Iterable[Quote]) -> Quote | None:
    """The predicted quote overlapping the gold span most, if any."""
    best, best_overlap = None, 0
    for quote in quotes:
        overlap = sum(max(0, min(e, gold.end) - max(s, gold.start)) for s, e in quote.spans)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best


def speaker_right(gold: GoldSpeaker, quote: Quote) -> bool:
    if gold.status == NAMED:
        return folded(quote.speaker) in {folded(n) for n in gold.names}
    if gold.status == UNNAMED:
        return not is_named(quote.speaker)
    return False


@dataclass
class SpeakerScore:
    gold: dict[str, int]  # status -> labelled quotes
    found: dict[str, int]  # status -> of those, found by the parse
    right: dict[str, int]  # status -> found with the right speaker
    body_right: int  # unnamed with a gold body whose predicted body matches
    body_gold: int  # found unnamed with a gold body
    errors: list[tuple[GoldSpeaker, Quote | None]]

    def accuracy(self, status: str) -> float:
        return self.right[status] / self.found[status] if self.found[status] else 0.0


def score(labels: Sequence[GoldSpeaker], quotes_by_file: dict[str, list[Quote]]) -> SpeakerScore:
    statuses = (NAMED, UNNAMED, NONE)
    result = SpeakerScore({s: 0 for s in statuses}, {s: 0 for s in statuses},
                          {s: 0 for s in statuses}, 0, 0, [])
    for gold in labels:
        result.gold[gold.status] += 1
        quote = matching_quote(gold, quotes_by_file.get(gold.file, []))
        if quote is None:
            if gold.status != NONE:
                result.errors.append((gold, None))
            continue
        result.found[gold.status] += 1
        if gold.status == NONE:
            continue
        if speaker_right(gold, quote):
            result.right[gold.status] += 1
        else:
            result.errors.append((gold, quote))
        if gold.status == UNNAMED and gold.body:
            result.body_gold += 1
            bodies = {folded(b) for b in gold.body.split("|")}
            result.body_right += folded(quote.speaker_body or "") in bodies
    return result


def is_bare_common_noun(speaker: str) -> bool:
    """A speaker shown as a name that is only a description: "company", "prime
    minister" (no capital at all), "Analysts", "Government" (one role or document noun,
    capitalised); "Justice Department" is a name."""
    from lib.quotes.lexicon import document_nouns, speaker_roles

    if not is_named(speaker):
        return False
    common = set(speaker_roles()) | set(document_nouns())
    word = speaker.casefold()
    return speaker == speaker.lower() or (" " not in word and (
        word in common or word.removesuffix("s") in common))
