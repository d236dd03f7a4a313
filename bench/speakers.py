"""Who said what on real news: speakers of hand-labelled BBC quotes.

    .venv/bin/python bench/speakers.py [--store FILE] [--errors dev]

Parses the 650 labelled documents (tests/data/bbc_speakers.tsv: quotes drawn at
random from ../shared/data/bbc, labelled by two people reading each story; "dev"
quotes were studied while writing the rules, "heldout" ones never) and prints, per
split (in the order the file gives them):
- named-speaker accuracy: of the labelled quotes whose story names who said them,
  the share whose speaker is that name (the fullest form the story gives);
- unnamed kept unnamed: of the quotes from sources the story never names, the share
  shown as unnamed (never given a name), and how often their body is right;
- the share of quotes whose speaker is a bare common noun ("company", "Analysts")
  among every quote of those documents, and, with --store, of a whole parsed corpus.
PolNeAR figures for the same code: bench/quotes.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from lib.nlp import load_pipeline  # noqa: E402
from lib.pipeline import parse_document  # noqa: E402
from lib.sources import read_file  # noqa: E402
from tests.speaker_labels import (  # noqa: E402
    NAMED,
    NONE,
    UNNAMED,
    is_bare_common_noun,
    load_labels,
    score,
)

BBC_DIR = REPO_DIR.parent / "shared" / "data" / "bbc"


def parse_labelled(labels, nlp) -> dict:
    quotes_by_file = {}
    for file in sorted({gold.file for gold in labels}):
        parsed = parse_document(read_file(str(BBC_DIR / file)), nlp)
        quotes_by_file[file] = [q for story in parsed.stories[:1] for q in story.quotes]
    return quotes_by_file


def store_bare_share(path: str) -> tuple[int, int]:
    import duckdb

    with duckdb.connect(path, read_only=True) as con:
        speakers = con.execute("SELECT speaker, count(*) FROM quotes GROUP BY speaker").fetchall()
    total = sum(n for _, n in speakers)
    return sum(n for speaker, n in speakers if is_bare_common_noun(speaker)), total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a store of a parsed corpus: its bare-noun share too")
    parser.add_argument("--errors", metavar="SPLIT", help="list every wrong speaker of a split "
                        "(look at heldout only to report, never to write rules)")
    args = parser.parse_args()
    if not BBC_DIR.is_dir():
        print(f"skipped: {BBC_DIR} is absent (the BBC corpus is not part of a fresh clone)")
        return 0
    labels = load_labels()
    splits = list(dict.fromkeys(gold.split for gold in labels))  # in the file's order
    nlp = load_pipeline()
    started = time.perf_counter()
    quotes_by_file = parse_labelled(labels, nlp)
    print(f"BBC labelled quotes: {len(labels)} in {len(quotes_by_file)} documents; "
          f"parsed in {time.perf_counter() - started:.1f}s")
    print(f"{'split':8} {'gold':8} {'labelled':>8} {'found':>6} {'right':>6} {'accuracy':>9}")
    results = {}
    for split in splits:
        result = results[split] = score([g for g in labels if g.split == split], quotes_by_file)
        for status in (NAMED, UNNAMED, NONE):
            accuracy = (f"{result.accuracy(status):9.3f}" if status != NONE
                        else "  (no one's statement)")
            print(f"{split:8} {status:8} {result.gold[status]:8d} {result.found[status]:6d} "
                  f"{result.right[status]:6d} {accuracy}")
    for split, result in results.items():
        print(f"{split}: named-speaker accuracy {result.accuracy(NAMED):.3f} (target >= 0.95), "
              f"unnamed kept unnamed {result.accuracy(UNNAMED):.3f} (target >= 0.95), "
              f"unnamed body right {result.body_right}/{result.body_gold}")
    every = [q for quotes in quotes_by_file.values() for q in quotes]
    bare = [q for q in every if is_bare_common_noun(q.speaker)]
    print(f"bare common-noun speakers, labelled documents: {len(bare)}/{len(every)} "
          f"({len(bare) / max(len(every), 1):.1%})")
    if args.store:
        count, total = store_bare_share(args.store)
        print(f"bare common-noun speakers, {args.store}: {count}/{total} "
              f"({count / max(total, 1):.1%})")
    result = results.get(args.errors) if args.errors else None
    if result is not None:
        print(f"\nwrong or missed speakers ({args.errors}):")
        for gold, quote in result.errors:
            wanted = "|".join(gold.names) if gold.status == NAMED else f"unnamed {gold.description}"
            got = "missed" if quote is None else (
                f"{quote.speaker!r} ({quote.speaker_description!r}) from {quote.speaker_mention!r}")
            print(f"  {gold.id} {gold.file}: want {wanted}; got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
