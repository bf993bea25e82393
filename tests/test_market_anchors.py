"""resolve_anchor against pandas computations on the real prices, and on small series by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from knowledge.market.anchors import resolve_anchor

REFERENCE = date(2026, 8, 21)


def _frame(market_data_dir, symbol: str) -> pd.DataFrame:
    frame = pd.read_csv(market_data_dir / f"{symbol}.csv", parse_dates=["date"])
    return frame.dropna(subset=["close"])


def _series(frame: pd.DataFrame) -> tuple[list[date], list[float]]:
    return [d.date() for d in frame["date"]], frame["close"].tolist()


@pytest.mark.parametrize("symbol", ["SPX", "RUT", "IXIC", "SOX"])
def test_low_and_high_of_2025_match_pandas(market_data_dir, symbol):
    frame = _frame(market_data_dir, symbol)
    year = frame[frame["date"].dt.year == 2025]
    low_row, high_row = year.loc[year["close"].idxmin()], year.loc[year["close"].idxmax()]
    dates, closes = _series(frame)

    low = resolve_anchor("low", 2025, None, dates, closes, REFERENCE)
    high = resolve_anchor("high", 2025, None, dates, closes, REFERENCE)

    assert (low.day, low.close, low.rule) == (low_row["date"].date(), low_row["close"], "min_close_in_2025")
    assert (high.day, high.close) == (high_row["date"].date(), high_row["close"])


def test_month_low_matches_pandas(market_data_dir):
    frame = _frame(market_data_dir, "SPX")
    april = frame[(frame["date"] >= "2025-04-01") & (frame["date"] <= "2025-04-30")]
    expected = april.loc[april["close"].idxmin()]
    found = resolve_anchor("low", 2025, 4, *_series(frame), REFERENCE)
    assert (found.day, found.close, found.rule) == (expected["date"].date(), expected["close"],
                                                    "min_close_in_2025_04")


@pytest.mark.parametrize("symbol", ["SPX", "RUT"])
def test_selloff_is_the_deepest_drawdown_trough_in_pandas(market_data_dir, symbol):
    frame = _frame(market_data_dir, symbol)
    year = frame[frame["date"].dt.year == 2025].reset_index(drop=True)
    drawdown = year["close"] / year["close"].cummax() - 1
    trough = year.loc[drawdown.idxmin()]
    found = resolve_anchor("selloff", 2025, None, *_series(frame), REFERENCE)
    assert (found.day, found.close, found.rule) == (trough["date"].date(), trough["close"],
                                                    "deepest_drawdown_trough_in_2025")


def test_no_year_means_the_last_twelve_months_to_the_reference(market_data_dir):
    frame = _frame(market_data_dir, "IXIC")
    span = frame[(frame["date"] >= "2025-08-21") & (frame["date"] <= "2026-08-21")]
    expected = span.loc[span["close"].idxmax()]
    found = resolve_anchor("high", None, None, *_series(frame), REFERENCE)
    assert (found.day, found.close, found.rule) == (expected["date"].date(), expected["close"],
                                                    "max_close_in_last_12_months")


def test_the_span_stops_at_the_reference(market_data_dir):
    frame = _frame(market_data_dir, "RUT")
    reference = date(2026, 3, 31)
    span = frame[(frame["date"] >= "2026-01-01") & (frame["date"] <= "2026-03-31")]
    expected = span.loc[span["close"].idxmax()]
    found = resolve_anchor("high", 2026, None, *_series(frame), reference)
    assert found.day == expected["date"].date()


def test_small_series_by_hand():
    start = date(2025, 1, 1)
    dates = [start + timedelta(days=i) for i in range(8)]
    closes = [100, 110, 90, 95, 120, 80, 130, 125]
    # drawdowns: 110 -> 90 is -18.2%, 120 -> 80 is -33.3%: the trough is day 5
    assert resolve_anchor("selloff", 2025, None, dates, closes, date(2025, 12, 31)).day == dates[5]
    assert resolve_anchor("low", 2025, 1, dates, closes, date(2025, 12, 31)).close == 80
    assert resolve_anchor("high", 2025, 1, dates, closes, dates[4]).day == dates[4]


def test_nothing_to_find_gives_none():
    dates = [date(2025, 1, 1) + timedelta(days=i) for i in range(5)]
    rising = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert resolve_anchor("selloff", 2025, None, dates, rising, date(2025, 12, 31)) is None
    assert resolve_anchor("low", 2023, None, dates, rising, date(2025, 12, 31)) is None
    assert resolve_anchor("low", 2025, None, dates, [float("nan")] * 5, date(2025, 12, 31)) is None


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="low, high or selloff"):
        resolve_anchor("bottom", None, None, [], [], REFERENCE)
