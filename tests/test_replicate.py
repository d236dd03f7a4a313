"""bench/replicate.py: the scale benches' corpus is N distinct documents, every id rewritten."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lib import query
from lib.query import Filters
from lib.store import Store
from tests.test_query import sample_documents, store_with

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from replicate import replicate  # noqa: E402


@pytest.mark.parametrize("documents", [1, 2, 5])
def test_replicas_are_distinct_documents_with_every_id_rewritten(tmp_path, documents):
    source = tmp_path / "source.duckdb"
    store_with(("demo", sample_documents()), path=source).close()  # 2 documents, 3 stories
    target = tmp_path / "target.duckdb"
    counts = replicate(str(source), str(target), documents, log=lambda line: None)
    assert counts["documents"] == documents
    with Store(target, read_only=True) as store, store.cursor() as cursor:
        # every derived id starts with its own document's id: no copy shares a row
        orphans = cursor.execute("""
            SELECT (SELECT count(*) FROM stories WHERE NOT starts_with(story_id, doc_id || ':'))
                 + (SELECT count(*) FROM quotes WHERE NOT starts_with(quote_id, story_id || ':')
                                                   OR NOT starts_with(story_id, doc_id || ':'))
                 + (SELECT count(*) FROM entities WHERE NOT starts_with(story_id, doc_id || ':'))
        """).fetchone()[0]
        assert orphans == 0
        figures = query.corpus_figures(cursor, Filters())
        assert figures["documents"] == documents
        per_copy = {"a" * 64: (2, 4), "b" * 64: (1, 1)}  # stories, quotes of each original
        copies = cursor.execute("SELECT count(*) FROM documents WHERE doc_id IN (?, ?)",
                                list(per_copy)).fetchone()[0]
        assert copies == min(documents, 2)  # copy 0 keeps the original ids
        expected = [per_copy[sorted(per_copy)[i % 2]] for i in range(documents)]
        assert figures["stories"] == sum(s for s, _ in expected)
        assert figures["quotes"] == sum(q for _, q in expected)
