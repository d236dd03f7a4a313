"""Entities: who and where the stories in view are about; selecting a bar or a country filters."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from lib.query import FILTER_FIELD, cooccurrence_matrix, filter_after_selection, selection_values

dash = st.session_state["dashboard"]
TOP = 15
FILTER_KEY = {"person": "person", "country": "country"}  # sidebar widget keys
COLORS = {"mentions": "#1c6dd0", "stories": "#9ec5f8"}

st.title("Entities")
options = dash.q("filter_options", dash.filters.collections)


def apply_selection(kind: str, chart_key: str, iso_to_name: dict | None = None) -> None:
    """Chart selection -> sidebar filter (runs before the next script run)."""
    picked = selection_values(st.session_state.get(chart_key), iso_to_name=iso_to_name)
    key = FILTER_KEY[kind]
    current = list(st.session_state.get(key) or [])
    updated = filter_after_selection(current, kind, picked, options[FILTER_FIELD[kind]])
    if updated is not None:
        st.session_state[key] = updated


def bar_chart(kind: str, title: str) -> None:
    frame = dash.q("entity_counts", dash.filters, kind, limit=TOP)
    st.subheader(title)
    if frame.empty:
        st.caption("None in the stories in view.")
        return
    long = frame.melt(id_vars=["name"], value_vars=["mentions", "stories"],
                      var_name="measure", value_name="count")
    figure = px.bar(long, x="count", y="name", color="measure", orientation="h",
                    barmode="group", custom_data=["name"], color_discrete_map=COLORS,
                    height=120 + 28 * len(frame))
    order = frame.name[::-1].tolist()  # most mentioned on top
    figure.update_layout(yaxis={"categoryorder": "array", "categoryarray": order, "title": None},
                         xaxis_title=None, legend_title=None,
                         margin={"l": 0, "r": 0, "t": 10, "b": 0})
    if kind in FILTER_KEY:
        key = f"chart-{kind}"
        st.plotly_chart(figure, key=key, on_select=lambda: apply_selection(kind, key),
                        selection_mode="points")
        st.caption(f"Click a bar to filter every page by that {kind}.")
    else:
        st.plotly_chart(figure, key=f"chart-{kind}")


left, right = st.columns(2)
with left:
    bar_chart("person", "Most mentioned people")
with right:
    bar_chart("country", "Most mentioned countries")

st.subheader("Countries on the map")
countries = dash.q("country_map", dash.filters)
if countries.empty:
    st.caption("No country in the stories in view.")
else:
    iso_to_name = dict(zip(countries.iso3, countries.name))
    world = px.choropleth(countries, locations="iso3", color="mentions", hover_name="name",
                          custom_data=["name"], hover_data={"stories": True, "iso3": False},
                          color_continuous_scale="Blues", projection="natural earth")
    world.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=420)
    st.plotly_chart(world, key="chart-map", selection_mode="points",
                    on_select=lambda: apply_selection("country", "chart-map", iso_to_name))
    st.caption("Click a country to filter every page by it.")

left, right = st.columns(2)
with left:
    bar_chart("organisation", "Most mentioned organisations")
with right:
    st.subheader("Who appears with whom")
    pairs = dash.q("cooccurrence", dash.filters, top=TOP)
    matrix = cooccurrence_matrix(pairs)
    if matrix.empty:
        st.caption("No two people share a story in view.")
    else:
        heat = px.imshow(matrix, color_continuous_scale="Blues", aspect="auto",
                         labels={"color": "shared stories"})
        heat.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, height=120 + 26 * len(matrix))
        st.plotly_chart(heat, key="chart-cooccurrence")
        with st.expander("Pairs as a table"):
            st.dataframe(pairs, hide_index=True)
