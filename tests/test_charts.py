"""The Entities page's figures: layout values for a world map, count axes, labels, phones."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.charts import (
    ELLIPSIS,
    LABEL_CHARS,
    MAP_HEIGHT,
    axis_labels,
    bar_figure,
    chart_config,
    color_range,
    count_ticks,
    heatmap_figure,
    is_phone,
    short_label,
    world_map_figure,
)

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0 Mobile Safari/537.36")
DESKTOP = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0 Safari/537.36")
IPAD = ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Safari/604.1")
LONG_NAME = "Organisation for Economic Co-operation and Development"


def countries(*rows: tuple[str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "iso3", "mentions"]).assign(stories=1)


def entities(*rows: tuple[str, int, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "mentions", "stories"])


@pytest.mark.parametrize(("agent", "expected"), [
    (IPHONE, True), (ANDROID, True), (DESKTOP, False), (IPAD, False), ("", False), (None, False),
])
def test_is_phone(agent, expected):
    assert is_phone(agent) is expected


@pytest.mark.parametrize(("compact", "expected"), [
    (True, {"displayModeBar": False}),
    (False, {"displaylogo": False}),
])
def test_chart_config_hides_the_mode_bar_on_a_phone(compact, expected):
    assert chart_config(compact) == expected


@pytest.mark.parametrize(("name", "limit", "expected"), [
    ("Tony Blair", 16, "Tony Blair"),
    ("Exactly sixteen!", 16, "Exactly sixteen!"),
    (LONG_NAME, 16, "Organisation fo" + ELLIPSIS),
    ("Ursula von der Leyen", 10, "Ursula vo" + ELLIPSIS),
    ("Ursula   von der\nLeyen", 24, "Ursula von der Leyen"),  # whitespace runs folded
    ("Ursula von der Leyen", 8, "Ursula" + ELLIPSIS),  # no space before the ellipsis
    ("", 10, ""),
])
def test_short_label(name, limit, expected):
    assert short_label(name, limit) == expected
    assert len(short_label(name, limit)) <= limit


@pytest.mark.parametrize(("names", "limit", "expected"), [
    (["Tony Blair", "Olaf Scholz"], 16, ["Tony Blair", "Olaf Scholz"]),
    # article text is escaped after it is cut, so no entity is cut in half
    (["<b>AT&T</b> Incorporated"], 12, ["&lt;b&gt;AT&amp;T&lt;/b&gt;" + ELLIPSIS]),
    # two names alike for 15 characters: the second keeps its full name, not a merged bar
    (["Alexandria Ocasio-Cortez", "Alexandria Ocasio Smith"], 16,
     ["Alexandria Ocas" + ELLIPSIS, "Alexandria Ocasio Smith"]),
])
def test_axis_labels_are_short_escaped_and_distinct(names, limit, expected):
    assert axis_labels(names, limit) == expected


@pytest.mark.parametrize(("largest", "dtick"), [
    (0, 1), (1, 1), (2, 1), (3, 1), (6, 1), (7, 2), (12, 2), (13, 5), (30, 5), (31, 10),
    (200, 50), (12_000, 2000),
])
def test_count_ticks_are_whole_numbers_from_zero(largest, dtick):
    ticks = count_ticks(largest)
    assert ticks["dtick"] == dtick and ticks["tick0"] == 0 and ticks["tickformat"] == ",d"
    assert isinstance(ticks["dtick"], int)
    assert largest / ticks["dtick"] <= 6


@pytest.mark.parametrize(("values", "expected"), [
    ([2], {"zmin": 0, "zmax": 2.0}),  # one country: not a 1.6-2.4 bar
    ([3, 3, 3], {"zmin": 0, "zmax": 3.0}),
    ([40, 5, 1], {"zmin": 0, "zmax": 40.0}),
    ([0], {"zmin": 0, "zmax": 1.0}),
    ([], {"zmin": 0, "zmax": 1.0}),
])
def test_color_range_starts_at_zero(values, expected):
    assert color_range(values) == expected


@pytest.mark.parametrize("rows", [
    [("Russia", "RUS", 9), ("United States", "USA", 4)],
    [("Fiji", "FJI", 2)],
    [("United States", "USA", 3), ("Fiji", "FJI", 1), ("New Zealand", "NZL", 1)],
    [("France", "FRA", 5)],
], ids=["russia-us", "fiji", "across-the-date-line", "europe"])
@pytest.mark.parametrize("compact", [False, True], ids=["desktop", "phone"])
def test_world_map_keeps_greenwich_in_the_middle(rows, compact):
    geo = world_map_figure(countries(*rows), compact=compact).layout.geo
    assert geo.projection.type == "natural earth"
    assert geo.projection.rotation.lon == 0 and geo.center.lon == 0
    assert list(geo.lonaxis.range) == [-180, 180]
    assert geo.fitbounds is False


@pytest.mark.parametrize(("rows", "zmax", "dtick"), [
    ([("Russia", "RUS", 2)], 2, 1),
    ([("Russia", "RUS", 3), ("France", "FRA", 1)], 3, 1),
    ([("Russia", "RUS", 40), ("France", "FRA", 1)], 40, 10),
])
def test_world_map_colour_bar_runs_from_zero_in_whole_numbers(rows, zmax, dtick):
    choropleth = world_map_figure(countries(*rows)).data[0]
    assert (choropleth.zmin, choropleth.zmax) == (0, zmax)
    assert choropleth.colorbar.dtick == dtick and choropleth.colorbar.tickformat == ",d"
    assert choropleth.colorbar.orientation == "h"  # leaves the width to the map


@pytest.mark.parametrize(("compact", "height"), [(False, MAP_HEIGHT[False]), (True, 260)])
def test_world_map_is_shorter_on_a_phone(compact, height):
    figure = world_map_figure(countries(("France", "FRA", 1)), compact=compact)
    assert figure.layout.height == height
    assert list(figure.layout.geo.domain.x) == [0, 1]


@pytest.mark.parametrize(("rows", "dtick"), [
    ([("Tony Blair", 3, 2), ("Olaf Scholz", 1, 1)], 1),
    ([("Tony Blair", 14, 9)], 5),
])
def test_bar_counts_have_whole_number_ticks(rows, dtick):
    xaxis = bar_figure(entities(*rows)).layout.xaxis
    assert xaxis.dtick == dtick and xaxis.tick0 == 0 and xaxis.tickformat == ",d"


@pytest.mark.parametrize("compact", [False, True], ids=["desktop", "phone"])
def test_bar_labels_are_short_with_the_full_name_in_the_hover(compact):
    figure = bar_figure(entities((LONG_NAME, 4, 2), ("Tony Blair", 2, 1)), compact=compact)
    limit = LABEL_CHARS[compact]
    for bars in figure.data:
        assert list(bars.y) == [short_label(LONG_NAME, limit), "Tony Blair"]
        assert [custom[0] for custom in bars.customdata] == [LONG_NAME, "Tony Blair"]
        assert "%{customdata[1]}" in bars.hovertemplate
    assert list(figure.layout.yaxis.categoryarray) == ["Tony Blair", short_label(LONG_NAME, limit)]
    assert figure.layout.legend.orientation == "h" and figure.layout.legend.x == 0


def test_bar_hover_names_are_escaped():
    bars = bar_figure(entities(("<img src=x onerror=alert(1)>", 1, 1))).data[0]
    assert bars.customdata[0][1] == "&lt;img src=x onerror=alert(1)&gt;"
    assert "<img" not in bars.y[0]


def matrix(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(1, index=names, columns=names)


@pytest.mark.parametrize("size", [2, 12, 20])
@pytest.mark.parametrize("compact", [False, True], ids=["desktop", "phone"])
def test_heatmap_labels_every_name(size, compact):
    names = [f"Person number {i} with a long surname" for i in range(size)]
    figure = heatmap_figure(matrix(names), compact=compact)
    heat = figure.data[0]
    assert figure.layout.xaxis.dtick == 1 and figure.layout.yaxis.dtick == 1
    assert len(set(heat.x)) == len(set(heat.y)) == size  # one distinct label per name
    assert all(len(label) <= LABEL_CHARS[compact] for label in heat.x[:1])
    assert heat.customdata[0][-1].startswith(f"{names[0]} & {names[-1]}: ")
    assert heat.customdata[0][-1].endswith((" story", " stories"))  # "1 story", "3 stories"
    assert (heat.zmin, heat.colorbar.tickformat) == (0, ",d")


def test_heatmap_names_are_smaller_on_a_phone():
    names = ["Tony Blair", "Olaf Scholz"]
    desktop, phone = heatmap_figure(matrix(names)), heatmap_figure(matrix(names), compact=True)
    assert phone.layout.xaxis.tickfont.size < desktop.layout.xaxis.tickfont.size
