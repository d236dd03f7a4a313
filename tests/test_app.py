"""app.py's query cache: keyed by the query function, its arguments and the corpus version;
only ``lib.query`` functions run through it."""

from __future__ import annotations

import functools
from collections import Counter

import pytest

import app
from lib import query, store
from lib.query import Filters
from lib.store import Store
from tests.test_store import make_doc


@pytest.fixture
def dashboard(tmp_path):
    path = str(tmp_path / "news.duckdb")
    with Store(path) as built:
        built.add([make_doc("d1"), make_doc("d2", "other.txt", n_stories=2)])
    app.cached_query.clear()
    yield app.Dashboard(path, "version-1", Filters(collections=("demo",)), None)
    app.cached_query.clear()
    app.open_store(path).close()
    app.open_store.clear()


@pytest.fixture
def runs(monkeypatch) -> Counter:
    """How often each of two query functions really ran (a cache hit does not run it)."""
    counts: Counter = Counter()
    for name in ("corpus_figures", "count_stories"):
        original = getattr(query, name)

        @functools.wraps(original)  # the same module and name: still a lib.query function
        def counted(*args, _name=name, _original=original, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(query, name, counted)
    return counts


def test_the_same_query_with_the_same_arguments_runs_once(dashboard, runs):
    first = dashboard.q(query.corpus_figures, dashboard.filters)
    again = dashboard.q(query.corpus_figures, dashboard.filters)
    assert first == again and first["stories"] == 3
    assert runs == {"corpus_figures": 1}


def test_another_function_arguments_or_version_run_anew(dashboard, runs):
    dashboard.q(query.corpus_figures, dashboard.filters)
    # same arguments, another function: its own entry, its own result
    assert dashboard.q(query.count_stories, dashboard.filters) == 3
    dashboard.q(query.corpus_figures, Filters(collections=("demo",), people=("Ana Lopez",)))
    dashboard.q(query.corpus_figures, dashboard.filters, unnamed=True)
    changed = app.Dashboard(dashboard.store_path, "version-2", dashboard.filters, None)
    changed.q(query.corpus_figures, dashboard.filters)
    assert runs == {"corpus_figures": 4, "count_stories": 1}


def corpus_figures(cursor, filters):
    """Named like a query, but not one of lib.query's."""
    return {}


@pytest.mark.parametrize("function", [
    corpus_figures,
    store.data_version,  # takes a cursor too, but is the store's
    lambda cursor, filters: {},
    functools.partial(query.corpus_figures),
    len,
    "corpus_figures",  # the old way of naming a query
], ids=["a look-alike", "another lib module", "a lambda", "a partial", "a builtin", "a name"])
def test_only_lib_query_functions_are_run(dashboard, function):
    with pytest.raises(TypeError, match="not a lib.query function"):
        dashboard.q(function, dashboard.filters)
