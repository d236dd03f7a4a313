"""The Entities page's plotly figures, built from ``lib.query`` frames (no Streamlit here).

Every name is article text: it is shortened, then escaped with ``plotly_text`` before
plotly sees it (plotly renders tags in labels and hover boxes). ``compact`` figures are
for a phone: fewer pixels for labels, a shorter map, no mode bar over the legend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from lib.text import counted
from lib.highlight import plotly_text

# graph_objects, not plotly.express: px spends ~150 ms per chart on templates and
# layout updates, which is most of a filter change on a large corpus.
BAR_COLORS = {"mentions": "#1c6dd0", "stories": "#9ec5f8"}
MARGIN = {"l": 0, "r": 0, "t": 10, "b": 0}
ELLIPSIS = "…"
LABEL_CHARS = {False: 24, True: 16}  # longest axis label, desktop / phone
TICK_FONT_SIZE = {False: 12, True: 10}
MAP_HEIGHT = {False: 460, True: 260}
# the world without Antarctica: the inhabited latitudes get the height
MAP_LATITUDES = [-58, 85]
TICK_STEPS = (1, 2, 5)
MOST_TICKS = 6
# Phones say "Mobi" in their user agent (Android phones, iPhones); tablets mostly do not.
PHONE_AGENT = re.compile(r"Mobi", re.IGNORECASE)


def is_phone(user_agent: str | None) -> bool:
    """Whether a browser's User-Agent header is a phone's."""
    return bool(PHONE_AGENT.search(user_agent or ""))


def chart_config(compact: bool) -> dict:
    """plotly's config: on a phone the mode bar would cover the legend and is hard to tap."""
    return {"displayModeBar": False} if compact else {"displaylogo": False}


def short_label(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` characters, an ellipsis last when it was cut."""
    name = " ".join((name or "").split())
    if len(name) <= limit:
        return name
    return name[: max(limit - 1, 1)].rstrip() + ELLIPSIS


def axis_labels(names: Sequence[str], limit: int) -> list[str]:
    """Escaped short labels, one per name and all different (a category axis merges equal
    labels): a name whose short form is taken keeps its full form."""
    labels: list[str] = []
    for name in names:
        label = plotly_text(short_label(name, limit))
        if label in labels:
            label = plotly_text(name)
        labels.append(label)
    return labels


def count_ticks(largest: float) -> dict:
    """Axis settings for counts: whole-number ticks from 0, at most ``MOST_TICKS`` of them
    (plotly's own choice for a largest count of 2 or 3 is 0.5 steps)."""
    largest = max(float(largest or 0), 1.0)
    scale = 1
    while True:
        for step in TICK_STEPS:
            if largest / (step * scale) <= MOST_TICKS:
                return {"tick0": 0, "dtick": step * scale, "tickformat": ",d",
                        "rangemode": "tozero"}
        scale *= 10


def color_range(values: Sequence[float]) -> dict:
    """A colour scale from 0 to the largest count, so one country or equal counts are the
    darkest colour of a 0-to-n bar rather than the middle of an invented range."""
    largest = max([float(v) for v in values] or [0.0])
    return {"zmin": 0, "zmax": max(largest, 1.0)}


def count_colorbar(title: str, largest: float, *, below: bool) -> dict:
    """A horizontal colour bar with whole-number ticks, under or over the plot: a vertical one
    takes a phone's width from the chart."""
    ticks = count_ticks(largest)
    return {"title": {"text": title, "side": "top"}, "orientation": "h", "thickness": 10,
            "len": 0.6, "x": 0.5, "xanchor": "center",
            "y": -0.02 if below else 1.02, "yanchor": "top" if below else "bottom",
            "tick0": 0, "dtick": ticks["dtick"], "tickformat": ticks["tickformat"]}


def bar_figure(frame: pd.DataFrame, *, compact: bool = False) -> go.Figure:
    """Grouped horizontal bars of mentions and stories per name, most mentioned on top.

    ``customdata[0]`` is the raw name (a click filters by it), ``customdata[1]`` the full
    escaped name for the hover box when the axis label is shortened.
    """
    names = frame.name.tolist()
    labels = axis_labels(names, LABEL_CHARS[compact])
    customdata = [[name, plotly_text(name)] for name in names]
    bars = [go.Bar(name=measure, x=frame[measure].tolist(), y=labels, orientation="h",
                   customdata=customdata, marker_color=color,
                   hovertemplate=f"<b>%{{customdata[1]}}</b><br>{measure}: %{{x}}<extra></extra>")
            for measure, color in BAR_COLORS.items()]
    largest = max((frame[measure].max() for measure in BAR_COLORS), default=0)
    font = {"size": TICK_FONT_SIZE[compact]}
    return go.Figure(bars, layout={
        "barmode": "group", "height": 120 + 28 * len(frame), "margin": MARGIN | {"t": 30},
        # the legend above the bars on the left, clear of the mode bar on the right
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0,
                   "yanchor": "bottom"},
        "xaxis": count_ticks(largest) | {"tickfont": font},
        "yaxis": {"categoryorder": "array", "categoryarray": labels[::-1], "dtick": 1,
                  "automargin": True, "tickfont": font}})


def world_map_figure(countries: pd.DataFrame, *, compact: bool = False) -> go.Figure:
    """A choropleth of mentions per country over the whole world, Greenwich in the middle.

    The view is fixed: left to plotly, a set of countries spread across the date line
    (Russia, the United States, Fiji) turns the map to centre the Pacific.
    """
    mentions = countries.mentions.tolist()
    choropleth = go.Choropleth(
        locations=countries.iso3.tolist(), z=mentions,
        text=[plotly_text(name) for name in countries.name],
        customdata=list(zip(countries.name, countries.stories.tolist())),
        colorscale="Blues", **color_range(mentions),
        colorbar=count_colorbar("mentions", max(mentions, default=0), below=True),
        hovertemplate="<b>%{text}</b><br>mentions: %{z}<br>"
                      "stories: %{customdata[1]}<extra></extra>")
    geo = {"projection": {"type": "natural earth", "rotation": {"lon": 0}},
           "center": {"lon": 0}, "fitbounds": False,
           "lonaxis": {"range": [-180, 180]}, "lataxis": {"range": MAP_LATITUDES},
           "showframe": False, "domain": {"x": [0, 1], "y": [0, 1]}}
    return go.Figure(choropleth, layout={"geo": geo, "height": MAP_HEIGHT[compact],
                                         "margin": MARGIN | {"t": 0, "b": 50}})


def heatmap_figure(matrix: pd.DataFrame, *, compact: bool = False) -> go.Figure:
    """People x people shared stories; every name on both axes, full names in the hover."""
    rows, columns = matrix.index.tolist(), matrix.columns.tolist()
    limit = LABEL_CHARS[compact]
    values = matrix.values.tolist()
    # "A & B: 1 story", "A & C: 3 stories"
    pairs = [[f"{plotly_text(row)} & {plotly_text(column)}: {counted(int(n), 'story')}"
              for column, n in zip(columns, counts)] for row, counts in zip(rows, values)]
    largest = max((max(row) for row in values), default=0)
    font = {"size": TICK_FONT_SIZE[compact]}
    heat = go.Heatmap(z=values, x=axis_labels(columns, limit), y=axis_labels(rows, limit),
                      customdata=pairs, colorscale="Blues", **color_range([largest]),
                      colorbar=count_colorbar("shared stories", largest, below=False),
                      hovertemplate="%{customdata}<extra></extra>")
    # dtick=1: plotly otherwise labels every other name once the axis is crowded
    axis = {"dtick": 1, "automargin": True, "tickfont": font}
    return go.Figure(heat, layout={
        "height": 160 + (20 if compact else 26) * len(matrix), "margin": MARGIN | {"t": 60},
        "xaxis": axis | {"tickangle": -90 if compact else -45},
        "yaxis": axis | {"autorange": "reversed"}})

