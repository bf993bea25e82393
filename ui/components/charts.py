"""Altair charts drawn from a metrics report's chart series (the same data the figures came from)."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from assistant.grounding.marketview import is_rate
from ui.i18n import t


def performance_frame(chart: dict[str, Any]) -> pd.DataFrame:
    """Long-form frame (date, symbol, change) of each index's change since the window's first day."""
    dates = pd.to_datetime(chart.get("dates") or [])
    rows = []
    for symbol, values in (chart.get("normalised") or {}).items():
        for day, value in zip(dates, values, strict=False):
            if value is not None:
                rows.append({"date": day, "symbol": symbol, "change": float(value) - 1.0})
    return pd.DataFrame(rows, columns=["date", "symbol", "change"])


def ratio_frame(chart: dict[str, Any], pair: str) -> pd.DataFrame:
    """Long-form frame (date, series, value) of one pair's ratio and its 20-day moving average."""
    dates = pd.to_datetime(chart.get("dates") or [])
    ratio = (chart.get("ratio") or {}).get(pair) or []
    ma20 = (chart.get("ratio_ma20") or {}).get(pair) or []
    rows = []
    for label, values in ((pair, ratio), ("MA20", ma20)):
        for day, value in zip(dates, values, strict=False):
            if value is not None:
                rows.append({"date": day, "series": label, "value": float(value)})
    return pd.DataFrame(rows, columns=["date", "series", "value"])


def performance_chart(chart: dict[str, Any]) -> alt.Chart | None:
    """Lines of cumulative change per index; None when there is nothing to draw."""
    frame = performance_frame(chart)
    if frame.empty:
        return None
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("change:Q", title=None, axis=alt.Axis(format="+.0%")),
            color=alt.Color("symbol:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("date:T", format="%Y-%m-%d"),
                "symbol:N",
                alt.Tooltip("change:Q", format="+.2%"),
            ],
        )
        .properties(height=230)
    )


def ratio_chart(chart: dict[str, Any], pair: str) -> alt.Chart | None:
    """The relative-strength ratio (solid) and its MA20 (dashed); None when there is no series."""
    frame = ratio_frame(chart, pair)
    if frame.empty:
        return None
    return (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            # The ratio is the solid line; its MA20 is dashed, in a second colour.
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=[pair, "MA20"], range=["#1f6feb", "#e8710a"])),
            strokeDash=alt.StrokeDash("series:N", legend=None,
                                      scale=alt.Scale(domain=[pair, "MA20"], range=[[1, 0], [5, 3]])),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "series:N", alt.Tooltip("value:Q", format=".4f")],
        )
        .properties(height=230)
    )


@st.cache_data(show_spinner=False, max_entries=256)
def chart_spec(kind: str, chart_json: str, pair: str = "") -> dict[str, Any] | None:
    """The Vega-Lite spec of one chart, built and validated by Altair once per distinct data.

    Altair's schema validation costs ~20 ms per chart; caching the spec keeps reruns (clicks
    that redraw a page full of answers) fast.
    """
    chart = json.loads(chart_json)
    built = performance_chart(chart) if kind == "perf" else ratio_chart(chart, pair)
    return None if built is None else built.to_dict()


def price_chart(report: dict[str, Any]) -> dict[str, Any]:
    """The report's chart series without yields: a yield's relative change would read as a return."""
    chart = dict(report.get("chart") or {})
    rates = {sym for sym, s in (report.get("series") or {}).items() if is_rate(s)}
    if rates:
        chart["normalised"] = {s: v for s, v in (chart.get("normalised") or {}).items() if s not in rates}
        chart["ratio"] = {p: v for p, v in (chart.get("ratio") or {}).items() if not set(p.split("/")) & rates}
    return chart


def chart_panels(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(title, Vega-Lite spec) of every chart one market result carries: performance and one RS
    chart per pair for a metrics report; beta/correlation and the volatility percentile for
    rolling views; the drawdown from the running high for drawdown episodes."""
    kind = report.get("analysis")
    target = str(report.get("target") or "")
    if kind == "rolling_views":
        panels = [(t("chart_rolling", a=target, b=report.get("benchmark") or "", n=report.get("window") or ""), rolling_chart(report)),
                  (t("chart_vol_pct", a=target, n=report.get("window") or ""), vol_percentile_chart(report))]
        return [(title, c.to_dict()) for title, c in panels if c is not None]
    if kind == "drawdown_episodes":
        drawn = drawdown_chart(report)
        return [(t("chart_drawdown", a=target), drawn.to_dict())] if drawn is not None else []
    if kind:  # other analyses carry no chart
        return []
    chart = price_chart(report)
    data = json.dumps(chart, sort_keys=True)
    panels = []
    if (spec := chart_spec("perf", data)) is not None:
        panels.append((t("chart_perf"), spec))
    for pair in (chart.get("ratio") or {}):
        if (spec := chart_spec("ratio", data, pair)) is not None:
            panels.append((t("chart_ratio", pair=pair), spec))
    return panels


def render_charts(report: dict[str, Any], key: str) -> None:
    """The result's charts (`chart_panels`), side by side when there is room.

    Titles are drawn outside the charts so switching the interface language leaves the chart
    specs (and the drawn charts) untouched.
    """
    panels = chart_panels(report)
    if not panels:
        return
    # Two panels fit side by side; more go full width one under the other.
    slots = st.columns(2) if len(panels) == 2 else [st.container() for _ in panels]
    for i, (slot, (title, spec)) in enumerate(zip(slots, panels, strict=True)):
        with slot:
            st.markdown(f"**{title}**")
            st.vega_lite_chart(spec=spec, key=f"{key}-{i}")


# -- analyses (knowledge.market.analyses): rolling views and drawdown episodes ----------------


def _analysis_json(report: Any) -> dict[str, Any]:
    """An analysis result as JSON with its chart series (a typed result or its `to_json_dict`)."""
    return report.to_json_dict(include_chart=True) if hasattr(report, "to_json_dict") else dict(report or {})


def rolling_frame(report: Any, fields: tuple[str, ...] = ("beta", "correlation")) -> pd.DataFrame:
    """Long-form frame (date, series, value) of a RollingViews result's chart series."""
    chart = _analysis_json(report).get("chart") or {}
    dates = pd.to_datetime(chart.get("dates") or [])
    rows = [{"date": day, "series": field, "value": float(value)}
            for field in fields for day, value in zip(dates, chart.get(field) or [], strict=False) if value is not None]
    return pd.DataFrame(rows, columns=["date", "series", "value"])


def rolling_chart(report: Any) -> alt.Chart | None:
    """Rolling beta and correlation against the benchmark; None without a benchmark series."""
    frame = rolling_frame(report)
    if frame.empty:
        return None
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=1.6)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "series:N", alt.Tooltip("value:Q", format=".2f")],
        )
        .properties(height=200)
    )


def vol_percentile_chart(report: Any) -> alt.Chart | None:
    """The rolling volatility's percentile in the index's own history (0-100%), with 20% and 80% guides."""
    frame = rolling_frame(report, ("vol_percentile",))
    if frame.empty:
        return None
    line = alt.Chart(frame).mark_line(strokeWidth=1.6, color="#a371f7").encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), alt.Tooltip("value:Q", format=".0%")],
    )
    guides = alt.Chart(pd.DataFrame({"y": [0.2, 0.8]})).mark_rule(strokeDash=[4, 3], color="#8c959f").encode(y="y:Q")
    return (line + guides).properties(height=160)


def drawdown_frame(report: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(date, drawdown) of a DrawdownEpisodes result, and one row per episode (trough, depth, dates)."""
    data = _analysis_json(report)
    chart = data.get("chart") or {}
    frame = pd.DataFrame({"date": pd.to_datetime(chart.get("dates") or []), "drawdown": chart.get("drawdown") or []})
    episodes = pd.DataFrame([
        {"trough": pd.Timestamp(e["trough_date"]), "depth": e["depth"], "peak": e["peak_date"],
         "recovery": e.get("recovery_date") or "open"}
        for e in data.get("episodes") or []
    ], columns=["trough", "depth", "peak", "recovery"])
    return frame, episodes


def drawdown_chart(report: Any) -> alt.Chart | None:
    """The drawdown from the running high as an area, each listed episode's trough marked."""
    frame, episodes = drawdown_frame(report)
    if frame.empty:
        return None
    area = alt.Chart(frame).mark_area(color="#cf222e", opacity=0.35, line={"color": "#cf222e"}).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("drawdown:Q", title=None, axis=alt.Axis(format=".0%")),
        tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), alt.Tooltip("drawdown:Q", format=".2%")],
    )
    if episodes.empty:
        return area.properties(height=200)
    marks = alt.Chart(episodes).mark_point(color="#cf222e", filled=True, size=40).encode(
        x="trough:T", y="depth:Q",
        tooltip=["peak:N", alt.Tooltip("trough:T", format="%Y-%m-%d"), "recovery:N",
                 alt.Tooltip("depth:Q", format=".2%")],
    )
    return (area + marks).properties(height=200)
