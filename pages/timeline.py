"""Timeline: people, countries or outlets over time, by the stories' publication day."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from page_state import MISSING, current_dashboard, date_column

from lib import query
from lib.highlight import escape_markdown, plotly_text

dash = current_dashboard()
KINDS = {"person": "People", "country": "Countries", "outlet": "Outlets"}
ONE_OF = {"person": "Person", "country": "Country", "outlet": "Outlet"}  # a table's column
SELECTED = {"person": dash.filters.people, "country": dash.filters.countries,
            "outlet": dash.filters.outlets}
MEASURES = {"mentions": "Mentions", "stories": "Stories", "quotes": "Quotes"}

st.title("Timeline")
st.caption("How often the stories in view name each one, by publication date: the people "
           "or countries selected in the sidebar, else the most mentioned in view.")
left, right = st.columns(2)
# in the URL like the sidebar filters, so a link reproduces the chart; a bound control
# writes its label there (?over=Countries&count=Quotes), so the labels are the options
KIND_OF = {label: kind for kind, label in KINDS.items()}
MEASURE_OF = {label: measure for measure, label in MEASURES.items()}
kind = KIND_OF[left.segmented_control("Over time", list(KIND_OF), key="over",
                                      default=KINDS["person"], bind="query-params")
               or KINDS["person"]]
measure = MEASURE_OF[right.segmented_control("Count", list(MEASURE_OF), key="count",
                                             default=MEASURES["mentions"], bind="query-params")
                     or MEASURES["mentions"]]

line = dash.q(query.timeline, dash.filters, kind=kind, names=tuple(SELECTED[kind]))
if line.undated:
    st.caption(f"{line.undated:,} stories in view have no publication date and are not "
               "counted here.")
if line.rows.empty:
    st.info("No dated story in view names one. Pages saved as HTML or fetched by URL "
            "usually carry a publication date; pasted text does not.")
    st.stop()

figure = go.Figure(layout={
    "height": 420, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
    "yaxis": {"title": MEASURES[measure], "rangemode": "tozero", "tickformat": ",d"},
    "xaxis": {"title": f"Publication {line.period}"},
    "legend": {"orientation": "h", "y": -0.2}})
for name, rows in line.rows.groupby("name", sort=False):
    figure.add_trace(go.Scatter(
        x=rows.period.tolist(), y=rows[measure].tolist(), mode="lines+markers",
        name=plotly_text(name)))  # article text: never markup
st.plotly_chart(figure, key="chart-timeline")
st.dataframe(
    line.rows, hide_index=True, placeholder=MISSING,
    column_config={"period": date_column(f"{line.period.capitalize()} from"),
        "name": ONE_OF[kind],
        "stories": "Stories", "mentions": "Mentions", "quotes": "Quotes"})
st.caption(escape_markdown(
    "Quotes: a person's are the quotes they spoke; a country's or an outlet's, every quote "
    "of the stories counted."))
