"""A store of N documents made by replicating a parsed store: the scale benches' corpus.

    .venv/bin/python bench/replicate.py SOURCE.duckdb TARGET.duckdb --documents 100000

Copy k of a document gets a new id (sha256 of the old id and k; copy 0 keeps its id) and
every derived id is rewritten with it (story ids ``doc:idx``, quote ids ``doc:idx:q``),
so the copy is a distinct document to every query. All copies join the ``demo``
collection, which is what the dashboard shows by default. The work is done in DuckDB,
one table at a time, in one transaction stamped with a new data version; then, as
`python -m lib ingest` does, the dashboard's opening views are prepared (timed).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from lib.query import prepare_views  # noqa: E402
from lib.store import DEMO_COLLECTION, Store, _transaction  # noqa: E402

# new id = old id with its document prefix swapped: story "doc:0" -> "new:0"
_REWRITE = "m.new_doc || substr({column}, length(m.old_doc) + 1)"
# (table, SELECT list over alias t joined to the document map m)
_COPIES = (
    ("documents", "t.* REPLACE (m.new_doc AS doc_id)"),
    ("stories", "t.* REPLACE (m.new_doc AS doc_id, "
                + _REWRITE.format(column="t.story_id") + " AS story_id)"),
    ("entities", "t.* REPLACE (m.new_doc AS doc_id, "
                 + _REWRITE.format(column="t.story_id") + " AS story_id)"),
    ("quotes", "t.* REPLACE (m.new_doc AS doc_id, "
               + _REWRITE.format(column="t.story_id") + " AS story_id, "
               + _REWRITE.format(column="t.quote_id") + " AS quote_id)"),
)


def replicate(source: str, target: str, documents: int, *, log=print) -> dict[str, int]:
    """Fill the new store ``target`` with ``documents`` documents copied from ``source``
    (whole copies of it in turn, the last one cut short); returns the rows per table."""
    if Path(target).exists():
        raise SystemExit(f"error: {target} exists; give a new file")
    with Store(target) as store, store.cursor() as cursor:
        cursor.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        (have,) = cursor.execute("SELECT count(*) FROM src.documents").fetchone()
        if not have:
            raise SystemExit(f"error: {source} holds no documents")
        copies = math.ceil(documents / have)
        with _transaction(cursor):
            cursor.execute(
                """
                CREATE TEMP TABLE doc_map AS
                SELECT doc_id AS old_doc,
                       CASE WHEN k = 0 THEN doc_id ELSE sha256(doc_id || ':' || k) END
                         AS new_doc,
                       k
                FROM src.documents CROSS JOIN range(?) AS copies(k)
                ORDER BY k, doc_id LIMIT ?
                """,
                [copies, documents],
            )
            for table, select in _COPIES:
                started = time.perf_counter()
                cursor.execute(
                    f"INSERT INTO {table} SELECT {select} "
                    f"FROM src.{table} t JOIN doc_map m ON m.old_doc = t.doc_id "
                    f"ORDER BY m.k, t.doc_id"
                )
                log(f"  {table}: {time.perf_counter() - started:.1f} s")
            cursor.execute("INSERT INTO collections (collection_id, read_only) VALUES (?, TRUE) "
                           "ON CONFLICT DO NOTHING", [DEMO_COLLECTION])
            cursor.execute(
                "INSERT INTO collection_documents "
                "SELECT ?, d.doc_id, d.source FROM documents d", [DEMO_COLLECTION])
        cursor.execute("DETACH src")
        counts = {table: cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table, _ in _COPIES}
        started = time.perf_counter()
        prepare_views(cursor, (DEMO_COLLECTION,))
        counts["seconds to prepare the views"] = round(time.perf_counter() - started, 1)
        cursor.execute("CHECKPOINT")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a parsed store, e.g. made by `python -m lib ingest`")
    parser.add_argument("target", help="the new store to write")
    parser.add_argument("--documents", type=int, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = replicate(args.source, args.target, args.documents)
    print("  ".join(f"{table}: {count:,}" for table, count in counts.items())
          + f"  ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
