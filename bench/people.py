"""The most mentioned people as the dashboard counts them, and how many fail a simple check.

    .venv/bin/python bench/people.py [--store PATH] [--collection ID] [--top N]

Lists the ``--top`` (100) most mentioned people exactly as the Entities page does
(``lib.query.top_entities``, kind "person", no filter) with the people total of
``lib.query.corpus_figures`` and ``lib.query.people_count`` (the ingest summary's),
then counts the names that fail a simple check, each flagged with its reason:

- "one word": a bare surname, a lone given name or a one-word organisation
  ("Blair", "Steven", "Yukos"): not a person under a full name;
- "surname of #N": the surname of a more mentioned full name of the list ("Bush"
  below "George W Bush"), a duplicate;
- "place": the whole name is a country, region or city (lib.countries);
- "club/party/award word": its last word is one of lib/rules/non_person_words.tsv
  ("Manchester United", "Lib Dems", "Passion Oscar");
- "lowercase word": a word that is no name particle (de, van...) is lowercase
  ("Brentford v Manchester United").

The check is deliberately simple: a band or a film under a two-word name ("Franz
Ferdinand", "Vera Drake") passes it, so read the list too. The store is opened
read-only with DuckDB itself, so a store of an older schema can be measured; the
script runs on older code too (where lib.query lacks people_count it prints "-").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from lib import query  # noqa: E402
from lib.countries import is_known_place  # noqa: E402
from lib.rules import rule_rows  # noqa: E402
from lib.store import DEMO_COLLECTION  # noqa: E402

DEFAULT_STORE = REPO_DIR / "data" / "bbc.duckdb"
PARTICLES = frozenset({"de", "del", "della", "der", "di", "da", "do", "dos", "du", "la", "le",
                       "van", "von", "bin", "al", "el", "ter", "ten", "y"})


def check(name: str, earlier: dict[str, int], marker_words: set[str]) -> str | None:
    """Why a name is not a person under a full name, or None when it passes."""
    words = name.split()
    if len(words) == 1:
        surname_of = earlier.get(name)
        return f"surname of #{surname_of}" if surname_of else "one word"
    if is_known_place(name):
        return "place"
    if words[-1].casefold() in marker_words:
        return "club/party/award word"
    if any(word.islower() and word not in PARTICLES for word in words):
        return "lowercase word"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(DEFAULT_STORE), help="store file")
    parser.add_argument("--collection", default=DEMO_COLLECTION, help="collection to count")
    parser.add_argument("--top", type=int, default=100, help="how many people to list")
    args = parser.parse_args(argv)
    if not Path(args.store).is_file():
        print(f"error: no store at {args.store}", file=sys.stderr)
        return 2
    collections = (args.collection,)
    with duckdb.connect(args.store, read_only=True) as con:
        filters = query.Filters(collections=collections)
        people = query.top_entities(con, filters, ("person",), limit=args.top)["person"]
        figures = query.corpus_figures(con, filters)
        counted = query.people_count(con, collections) if hasattr(query, "people_count") else "-"
        non_people = (query.non_person_names(con, collections)
                      if hasattr(query, "non_person_names") else {})
    marker_words = {row[0].strip().casefold() for row in rule_rows("non_person_words.tsv")}
    surnames: dict[str, int] = {}  # surname -> rank of the first full name ending with it
    failed = 0
    print(f"{'#':>3}  {'name':<32} {'mentions':>8} {'stories':>7}  check")
    for rank, row in enumerate(people.itertuples(index=False), start=1):
        reason = check(row.name, surnames, marker_words)
        failed += reason is not None
        if len(row.name.split()) > 1:
            surnames.setdefault(row.name.split()[-1], rank)
        print(f"{rank:>3}  {row.name:<32} {row.mentions:>8} {row.stories:>7}  {reason or ''}")
    print(f"\n{args.store} (collection {args.collection}): people {figures['people']} "
          f"(corpus_figures), {counted} (people_count, the ingest summary's); "
          f"{len(non_people)} names tagged PERSON counted as something else")
    print(f"top {len(people)}: {len(people) - failed} pass the check, {failed} fail it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
