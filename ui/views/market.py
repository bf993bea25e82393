"""Market page: pick indexes and a window; the metrics and charts the assistant would use."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from ui.components.auth import current_owner
from ui.components.charts import render_charts
from ui.components.metrics import pairs_table, series_table, window_text
from ui.components.service import describe_market_error, get_service
from ui.i18n import t

DEFAULT_SYMBOLS = ["RUT", "SPX"]
# Presets are measured back from the last trading day in the data, not from today, so a stale
# CSV folder still gives a full window.
PRESETS: dict[str, int | None] = {"1M": 31, "3M": 92, "6M": 183, "1Y": 365, "3Y": 3 * 365, "YTD": None}
CUSTOM = "custom"


def preset_window(preset: str, last: date) -> tuple[date, date]:
    """(start, end) for a preset ending on `last`; YTD starts on 1 January of `last`'s year."""
    days = PRESETS[preset]
    start = date(last.year, 1, 1) if days is None else last - timedelta(days=days)
    return start, last


def _window_controls(anchor: date) -> tuple[date, date]:
    labels = {CUSTOM: t("mk_custom")}
    choice = st.segmented_control(
        t("window"), options=[*PRESETS, CUSTOM], default="1Y", key="mk-preset",
        format_func=lambda v: labels.get(v, v), required=True,
    )
    if choice != CUSTOM:
        return preset_window(choice or "1Y", anchor)
    left, right = st.columns(2)
    start = left.date_input(t("mk_start"), value=anchor - timedelta(days=365), max_value=anchor, key="mk-start")
    end = right.date_input(t("mk_end"), value=anchor, max_value=anchor, key="mk-end")
    return start, end


def provider_label(name: str) -> str:
    """A provider's name for the reader ("built-in snapshot"), or the name itself if unknown."""
    try:
        return t(f"provider_{name}")
    except KeyError:
        return name


def main() -> None:
    """Render the market page."""
    current_owner()  # stops the run unless the login gate in app.py let it through
    st.title(t("mk_title"))
    st.caption(t("mk_intro"))
    market = get_service().market
    try:
        available = market.available_symbols()
    except Exception as exc:  # noqa: BLE001 - a broken data folder is reported, not raised
        st.error(t("mk_failed", reason=describe_market_error(exc)))
        return
    if not available:
        st.info(t("mk_no_symbols"), icon=":material/info:")
        return
    defaults = [s for s in DEFAULT_SYMBOLS if s in available] or available[:2]
    symbols = st.multiselect(t("mk_symbols"), options=available, default=defaults, key="mk-symbols")
    if not symbols:
        st.info(t("mk_pick"))
        return
    try:
        # The default window ends on the last common trading day: use it to anchor the presets.
        anchor = market.metrics(symbols).last_date
        start, end = _window_controls(anchor)
        report = market.metrics(symbols, start=start, end=end).to_json_dict(include_chart=True)
    except Exception as exc:  # noqa: BLE001 - MarketDataError and friends carry a one-line fix
        st.error(t("mk_failed", reason=describe_market_error(exc)))
        return

    providers = ", ".join(provider_label(p) for p in str(report.get("provider") or "").split(",") if p)
    st.caption(f"{t('window')}: {window_text(report)} · {t('provider')}: {providers} · "
               f"{t('as_of')}: {report.get('as_of')}")
    if "snapshot" in str(report.get("provider") or "").split(","):
        st.caption(f":material/history: {t('snapshot_note', date=report.get('as_of'))}")
    st.subheader(t("mk_series"))
    st.dataframe(series_table(report), hide_index=True)
    pairs = pairs_table(report)
    if not pairs.empty:
        st.subheader(t("mk_pairs"))
        st.dataframe(pairs, hide_index=True)
    render_charts(report, key="market")
    for note in [r.get("note") for r in report.get("resolved") or []]:
        if note:
            st.caption(f":material/info: {note}")


main()
