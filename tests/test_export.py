"""lib.export: downloads that open as data, never as formulas or markup."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from lib.export import export, to_csv, to_json


@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+44 20 7946 0000", "'+44 20 7946 0000"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("Tony Blair said", "Tony Blair said"),
    ("a = b", "a = b"),  # only a cell's first character counts
    ("", ""),
])
def test_csv_cells_that_look_like_formulas_are_text(cell, written):
    frame = pd.DataFrame({"quote": [cell], "quotes": [3]})
    back = pd.read_csv(io.BytesIO(to_csv(frame)), keep_default_na=False, dtype=str)
    assert back.quote.tolist() == [written] and back.quotes.tolist() == ["3"]


def test_numbers_stay_numbers_and_the_frame_is_untouched():
    frame = pd.DataFrame({"name": ["-x"], "mentions": [-2]})
    back = pd.read_csv(io.BytesIO(to_csv(frame)))
    assert back.mentions.tolist() == [-2] and frame.name.tolist() == ["-x"]


def test_json_keeps_every_value_and_writes_dates_in_iso():
    frame = pd.DataFrame({"quote": ["=1+1 «ça»"], "period": pd.to_datetime(["2024-03-02"]),
                          "date": [None]})
    rows = json.loads(to_json(frame))
    assert rows == [{"quote": "=1+1 «ça»", "period": "2024-03-02T00:00:00.000",
                     "date": None}]


def test_an_unknown_format_is_refused():
    assert export(pd.DataFrame({"a": [1]}), "csv").startswith(b"a\n")
    with pytest.raises(ValueError, match="file_format"):
        export(pd.DataFrame(), "xlsx")


# --------------------------------------------------------------------------- what is exported

@pytest.fixture(scope="module")
def con():
    from lib.store import Store
    from tests.test_query import sample_documents

    store = Store(":memory:")
    store.add(sample_documents(), collection="demo")
    with store.cursor() as cursor:
        yield cursor
    store.close()


@pytest.mark.parametrize("filters", [{}, {"countries": ("Norway",)}])
def test_a_download_holds_every_row_in_view_not_one_page(con, filters):
    from lib import query
    from lib.query import Filters

    view = Filters(**filters)
    stories = query.story_list(con, view, limit=None)
    assert len(stories) == query.count_stories(con, view)
    assert len(query.story_list(con, view, limit=1)) == 1
    every = query.top_entities(con, view, limit=None)
    top_one = query.top_entities(con, view, limit=1)
    for kind, frame in every.items():
        assert frame.head(1).equals(top_one[kind])
    assert len(every["country"]) > 1 and set(every["person"].name) >= {"Tom Berg", "Ana Lima"}


def test_the_entity_table_is_every_name_of_every_kind(con):
    from lib import query
    from lib.query import Filters

    table = query.entity_table(con, Filters())
    every = query.top_entities(con, Filters(), limit=None)
    assert list(table.columns) == ["kind", "name", "mentions", "stories", "iso3"]
    assert len(table) == sum(len(frame) for frame in every.values())
    assert table[table.kind == "country"].name.tolist() == every["country"].name.tolist()
