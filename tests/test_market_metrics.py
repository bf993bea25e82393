"""Metrics against values computed independently here with plain pandas/numpy from the CSV files."""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from knowledge.market import (
    MarketData,
    MarketDataError,
    NoDataError,
    ProviderError,
    UnknownSymbolError,
)

DATA = Path(os.environ.get("FINSIGHT_MARKET_DATA_DIR") or Path(__file__).resolve().parents[1].parent / "shared" / "market-data")
START, END = "2025-09-01", "2026-01-31"


@pytest.fixture(scope="module")
def market() -> MarketData:
    if not (DATA / "RUT.csv").is_file():
        pytest.skip(f"shared market data not found at {DATA} (needed for real-data metric tests)")
    return MarketData(DATA, None, providers=("csv",))


def closes(sym: str) -> pd.Series:
    frame = pd.read_csv(DATA / f"{sym}.csv", parse_dates=["date"], index_col="date")
    return frame["close"].dropna()


def base_close(close: pd.Series, start: str, base: str = "on_or_before") -> tuple[pd.Timestamp, float]:
    """The base day and close of a return, read off the series with pandas label slicing."""
    upto = close.loc[: pd.Timestamp(start)] if base == "on_or_before" else close.loc[: pd.Timestamp(start) - pd.Timedelta(days=1)]
    return upto.index[-1], float(upto.iloc[-1])


def expected_series(close: pd.Series, start: str, end: str, base: str = "on_or_before") -> dict[str, float]:
    w = close.loc[start:end]
    hist = close.loc[:end]
    r = w.pct_change().dropna()
    base_day, base_value = base_close(close, start, base)
    return {
        "return": w.iloc[-1] / base_value - 1,
        "base_close": base_value,
        "base_date": base_day.date(),
        "daily_vol": r.std(ddof=1),
        "ann_vol": r.std(ddof=1) * math.sqrt(252),
        "ann_vol_20d": hist.pct_change().iloc[-20:].std(ddof=1) * math.sqrt(252),
        "ma20": hist.rolling(20).mean().iloc[-1],
        "ma50": hist.rolling(50).mean().iloc[-1],
        "ma200": hist.rolling(200).mean().iloc[-1],
        "max_drawdown": (w / w.cummax() - 1).min(),
        "sharpe": r.mean() / r.std(ddof=1) * math.sqrt(252),
        "first_close": w.iloc[0],
        "last_close": w.iloc[-1],
        "trading_days": len(w),
    }


def test_rut_and_spx_series_match_pandas(market: MarketData) -> None:
    report = market.metrics(["RUT", "SPX"], START, END)
    assert report.first_date == date(2025, 9, 2) and report.last_date == date(2026, 1, 30)
    assert report.start == date(2025, 9, 1) and report.end == date(2026, 1, 31)
    assert report.provider == "csv" and report.as_of == closes("RUT").index[-1].date()
    for sym in ("RUT", "SPX"):
        exp = expected_series(closes(sym), START, END)
        got = report.series[sym]
        assert got.return_ == pytest.approx(exp["return"], rel=1e-10)
        assert got.base_date == exp["base_date"] == date(2025, 8, 29)  # 2025-09-01 was Labor Day
        assert got.base == "on_or_before"
        for key in ("daily_vol", "ann_vol", "ann_vol_20d", "ma20", "ma50", "ma200", "max_drawdown", "sharpe",
                    "first_close", "last_close", "base_close"):
            assert getattr(got, key) == pytest.approx(exp[key], rel=1e-9), key
        assert got.trading_days == exp["trading_days"]
        assert got.above_ma20 == (exp["last_close"] > exp["ma20"])
        assert got.above_ma50 == (exp["last_close"] > exp["ma50"])
        assert got.ma20_above_ma50 == (exp["ma20"] > exp["ma50"])


def test_rut_spx_pair_matches_pandas(market: MarketData) -> None:
    report = market.metrics(["小盘股", "标普500"], START, END)
    both = pd.concat([closes("RUT"), closes("SPX")], axis=1, join="inner", keys=["a", "b"])
    joined = both.loc[START:END]
    ea, eb = expected_series(closes("RUT"), START, END), expected_series(closes("SPX"), START, END)
    rs = (both["a"] / both["b"]).loc[pd.Timestamp(ea["base_date"]):END]  # relative strength from the same base day
    ra, rb = joined["a"].pct_change().dropna(), joined["b"].pct_change().dropna()
    pair = report.pairs["RUT/SPX"]
    assert pair.excess_return == pytest.approx(ea["return"] - eb["return"], rel=1e-10)
    assert pair.relative_return == pytest.approx(rs.iloc[-1] / rs.iloc[0] - 1, rel=1e-10)
    assert pair.rs_end == pytest.approx(rs.iloc[-1], rel=1e-12)
    assert pair.rs_max == pytest.approx(rs.max(), rel=1e-12)
    assert pair.rs_max_date == rs.idxmax().date()
    assert pair.rs_from_max == pytest.approx(rs.iloc[-1] / rs.max() - 1, rel=1e-10)
    assert pair.beta == pytest.approx(np.cov(ra, rb, ddof=1)[0, 1] / np.var(rb, ddof=1), rel=1e-9)
    assert pair.correlation == pytest.approx(ra.corr(rb), rel=1e-9)
    assert pair.vol_ratio == pytest.approx(ea["daily_vol"] / eb["daily_vol"], rel=1e-9)


def test_json_shape_and_chart(market: MarketData) -> None:
    data = market.metrics(["RUT", "SPX"], START, END).to_json_dict(include_chart=True)
    assert data["start"] == START and data["first_date"] == "2025-09-02"
    rut = data["series"]["RUT"]
    assert "return" in rut and "return_" not in rut
    for key in ("first_date", "last_date", "first_close", "last_close", "daily_vol", "ann_vol", "ann_vol_20d",
                "ma20", "ma50", "ma200", "above_ma20", "above_ma50", "ma20_above_ma50", "max_drawdown", "sharpe"):
        assert key in rut
    assert abs(rut["return"]) < 1  # a fraction, not a percent
    pair = data["pairs"]["RUT/SPX"]
    assert set(pair) >= {"excess_return", "rs_end", "rs_max", "rs_max_date", "rs_from_max", "beta",
                         "correlation", "vol_ratio"}
    assert isinstance(pair["rs_max_date"], str)
    chart = data["chart"]
    joined = pd.concat([closes("RUT"), closes("SPX")], axis=1, join="inner", keys=["a", "b"])
    ratio_full = joined["a"] / joined["b"]
    window = joined.loc["2025-08-29":END]  # from the base day: 2025-09-01 was a market holiday
    assert chart["dates"][0] == "2025-08-29" and len(chart["dates"]) == len(window)
    assert chart["normalised"]["RUT"][0] == 1.0
    assert chart["normalised"]["SPX"][-1] == pytest.approx(window["b"].iloc[-1] / window["b"].iloc[0], abs=1e-6)
    assert chart["normalised"]["SPX"][-1] - 1 == pytest.approx(rut_spx_returns(data)[1], abs=1e-6)
    assert chart["ratio"]["RUT/SPX"][-1] == pytest.approx(window["a"].iloc[-1] / window["b"].iloc[-1], abs=1e-8)
    ma = ratio_full.rolling(20).mean().loc["2025-08-29":END]
    assert chart["ratio_ma20"]["RUT/SPX"][0] == pytest.approx(ma.iloc[0], abs=1e-8)  # uses pre-window history
    assert "chart" not in market.metrics(["RUT", "SPX"], START, END).to_json_dict()


@pytest.mark.parametrize(("sym", "start", "end", "published_pct"), [
    ("SPX", "2025-01-01", "2025-12-31", 16.39),  # S&P 500 2025 price return, from the 2024-12-31 close
    ("RUT", "2026-01-01", "2026-08-21", 21.59),  # Russell 2000 YTD, from the 2025-12-31 close
    ("SPX", "2025-10-01", "2025-12-31", None),   # Q4 starts on a trading day: the two rules differ
])
def test_calendar_periods_start_from_the_close_before_them(market: MarketData, sym: str, start: str, end: str,
                                                           published_pct: float | None) -> None:
    close = closes(sym)
    prior = market.metrics([sym], start, end, base="prior_close").series[sym]
    exp = expected_series(close, start, end, base="prior_close")
    assert prior.base == "prior_close" and prior.base_date == exp["base_date"] < date.fromisoformat(start)
    assert prior.base_close == exp["base_close"]
    assert prior.return_ == pytest.approx(exp["return"], rel=1e-12)
    if published_pct is not None:
        assert round(prior.return_ * 100, 2) == published_pct
    explicit = market.metrics([sym], start, end).series[sym]
    exp_explicit = expected_series(close, start, end, base="on_or_before")
    assert explicit.return_ == pytest.approx(exp_explicit["return"], rel=1e-12)
    assert explicit.base_date == exp_explicit["base_date"] <= date.fromisoformat(start)
    # intra-window figures do not depend on the base
    assert prior.daily_vol == explicit.daily_vol and prior.max_drawdown == explicit.max_drawdown


def test_prior_close_pair_uses_the_same_base(market: MarketData) -> None:
    report = market.metrics(["RUT", "SPX"], "2025-10-01", "2025-12-31", base="prior_close")
    a, b = closes("RUT"), closes("SPX")
    ra = a.loc[:"2025-12-31"].iloc[-1] / a.loc[:"2025-09-30"].iloc[-1] - 1
    rb = b.loc[:"2025-12-31"].iloc[-1] / b.loc[:"2025-09-30"].iloc[-1] - 1
    pair = report.pairs["RUT/SPX"]
    assert pair.excess_return == pytest.approx(ra - rb, rel=1e-10)
    assert pair.relative_return == pytest.approx((1 + ra) / (1 + rb) - 1, rel=1e-10)
    assert report.chart.dates[0] == "2025-09-30" and report.chart.normalised["RUT"][-1] == pytest.approx(1 + ra, abs=1e-6)


def test_no_close_before_the_data_is_said(market: MarketData) -> None:
    first = closes("SPX").index[0]
    report = market.metrics(["SPX"], first.date(), first.date() + pd.Timedelta(days=30), base="prior_close")
    s = report.series["SPX"]
    assert s.base_date == first.date() and s.base_close == closes("SPX").iloc[0]
    assert any("no close before" in n for n in report.notes)


def test_unknown_base_is_one_line(market: MarketData) -> None:
    with pytest.raises(MarketDataError, match="prior_close"):
        market.metrics(["SPX"], START, END, base="first_close")  # type: ignore[arg-type]


def rut_spx_returns(data: dict) -> tuple[float, float]:
    return data["series"]["RUT"]["return"], data["series"]["SPX"]["return"]


def test_one_trading_day_has_zero_return_and_no_vol(market: MarketData) -> None:
    s = market.metrics(["SPX"], "2024-12-31", "2024-12-31").series["SPX"]
    assert s.first_close == s.last_close == 5881.63  # the published close of that day
    assert s.return_ == 0.0 and s.trading_days == 1 and s.max_drawdown == 0.0
    assert s.daily_vol is None and s.ann_vol is None and s.sharpe is None


def test_two_days_give_one_return_and_no_std(market: MarketData) -> None:
    report = market.metrics(["RUT", "SPX"], "2024-12-30", "2024-12-31")
    assert report.series["RUT"].daily_vol is None  # one return has no sample std
    assert report.pairs["RUT/SPX"].beta is None and report.pairs["RUT/SPX"].vol_ratio is None


def test_default_window_is_last_year_of_data(market: MarketData) -> None:
    report = market.metrics(["RUT"])
    last = closes("RUT").index[-1].date()
    assert report.end == last and (report.end - report.start).days == 365


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2010-01-01", "2010-12-31", "data starts on 2016-06-28"),
        ("2030-01-01", "2030-02-01", "data ends on"),
        ("2025-12-25", "2025-12-25", "No trading days"),
        ("2025-12-27", "2025-12-28", "No trading days"),
        ("2026-02-01", "2026-01-01", "after the end"),
    ],
)
def test_empty_windows_raise_one_line(market: MarketData, start: str, end: str, words: str) -> None:
    with pytest.raises(NoDataError) as info:
        market.metrics(["RUT"], start, end)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_start_after_the_data_without_end(market: MarketData) -> None:
    with pytest.raises(NoDataError, match="choose an earlier start"):
        market.metrics(["RUT"], start="2030-01-01")


def test_window_partly_before_data_is_noted(market: MarketData) -> None:
    report = market.metrics(["RUT"], "2016-01-01", "2016-12-31")
    assert report.first_date == date(2016, 6, 28)
    assert any("data starts on 2016-06-28" in n for n in report.notes)


def test_each_series_carries_the_span_of_its_whole_history(market: MarketData) -> None:
    report = market.metrics(["NDX", "RUT"], START, END)
    for sym in ("NDX", "RUT"):
        history = closes(sym)
        got = report.series[sym]
        assert (got.data_from, got.data_to) == (history.index[0].date(), history.index[-1].date())


def test_a_yield_is_marked_as_a_rate_with_its_change(market: MarketData) -> None:
    got = market.metrics(["US10Y", "RUT"], "2025-01-01", "2025-12-31").series
    y = closes("US10Y")
    base = y.loc[:"2024-12-31"].iloc[-1]  # 2025-01-01 is a holiday: the base is the last close before it
    assert got["US10Y"].unit == "percent" and got["RUT"].unit == "points"
    assert got["US10Y"].change == pytest.approx(y.loc[:"2025-12-31"].iloc[-1] - base, abs=1e-12)


def test_bad_inputs(market: MarketData) -> None:
    with pytest.raises(UnknownSymbolError):
        market.metrics(["not a symbol!"], START, END)
    with pytest.raises(UnknownSymbolError, match="No prices for 'XYZQ'"):
        market.metrics(["XYZQ"], START, END)
    with pytest.raises(MarketDataError, match="YYYY-MM-DD"):
        market.metrics(["RUT"], "Sept 1st", END)
    with pytest.raises(ProviderError):
        MarketData(DATA, None, providers=("csv", "bloomberg"))


# ---- synthetic files: NaN closes, misaligned calendars, missing and malformed files ----

def write(folder: Path, sym: str, rows: list[tuple[str, str]]) -> None:
    lines = ["date,open,high,low,close,volume", *(f"{d},,,,{c}," for d, c in rows)]
    (folder / f"{sym}.csv").write_text("\n".join(lines) + "\n")


DAYS = [d.strftime("%Y-%m-%d") for d in pd.bdate_range("2024-01-01", periods=60)]


def test_nan_closes_are_dropped(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    values = 100 * np.cumprod(1 + rng.normal(0, 0.01, len(DAYS)))
    rows = [(d, "" if i in (10, 11, 40) else f"{v:.4f}") for i, (d, v) in enumerate(zip(DAYS, values, strict=True))]
    write(tmp_path, "AAA", rows)
    s = MarketData(tmp_path, None, ("csv",)).metrics(["AAA"], DAYS[5], DAYS[50]).series["AAA"]
    clean = pd.Series([float(c) for _, c in rows if c], index=pd.to_datetime([d for d, c in rows if c]))
    w = clean.loc[DAYS[5]:DAYS[50]]
    assert s.trading_days == len(w) == 46 - 3
    assert s.daily_vol == pytest.approx(w.pct_change().dropna().std(), rel=1e-9)
    assert s.ma20 == pytest.approx(clean.loc[:DAYS[50]].iloc[-20:].mean(), rel=1e-12)
    assert not math.isnan(s.sharpe)


def test_misaligned_calendars_join_on_common_dates(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    a = 50 * np.cumprod(1 + rng.normal(0, 0.02, len(DAYS)))
    b = 80 * np.cumprod(1 + rng.normal(0, 0.01, len(DAYS)))
    a_days = [i for i in range(len(DAYS)) if i not in (3, 17, 30)]
    b_days = [i for i in range(len(DAYS)) if i not in (8, 30, 45)]
    write(tmp_path, "AAA", [(DAYS[i], f"{a[i]:.4f}") for i in a_days])
    write(tmp_path, "BBB", [(DAYS[i], f"{b[i]:.4f}") for i in b_days])
    report = MarketData(tmp_path, None, ("csv",)).metrics(["AAA", "BBB"], DAYS[0], DAYS[-1])
    sa = pd.Series([round(a[i], 4) for i in a_days], index=pd.to_datetime([DAYS[i] for i in a_days]))
    sb = pd.Series([round(b[i], 4) for i in b_days], index=pd.to_datetime([DAYS[i] for i in b_days]))
    j = pd.concat([sa, sb], axis=1, join="inner")
    ra, rb = j[0].pct_change().dropna(), j[1].pct_change().dropna()
    pair = report.pairs["AAA/BBB"]
    assert pair.common_days == len(j) == len(DAYS) - 5
    assert pair.beta == pytest.approx(ra.cov(rb) / rb.var(), rel=1e-9)
    assert pair.correlation == pytest.approx(ra.corr(rb), rel=1e-9)
    assert pair.rs_end == pytest.approx(j[0].iloc[-1] / j[1].iloc[-1], rel=1e-12)
    # each series keeps its own days for its own metrics
    assert report.series["AAA"].trading_days == len(a_days)
    # DAYS[0] is a trading day of both and nothing precedes it: on_or_before takes its own close
    assert pair.excess_return == pytest.approx((sa.iloc[-1] / sa.iloc[0]) - (sb.iloc[-1] / sb.iloc[0]), rel=1e-9)
    assert len(report.chart.dates) == len(j)


def test_symbol_with_no_file(tmp_path: Path) -> None:
    write(tmp_path, "AAA", [(DAYS[0], "1"), (DAYS[1], "2")])
    md = MarketData(tmp_path, None, ("csv",))
    with pytest.raises(NoDataError, match=r"add NDX\.csv"):
        md.metrics(["Nasdaq-100"])
    assert md.available_symbols() == ["AAA"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("date,close\n2024-01-02,abc\n", "non-numeric close"),
        ("date,close\n02/01/2024,100\n", "not YYYY-MM-DD"),
        ("when,price\n2024-01-02,100\n", "no 'date' column"),
        ("date,open\n2024-01-02,100\n", "no 'close' column"),
        ("", "Cannot read"),
        ('date,close\n"2024-01-02,1\n', "Cannot read"),
    ],
)
def test_malformed_csv_is_a_provider_error(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "BAD.csv").write_text(text)
    with pytest.raises(ProviderError) as info:
        MarketData(tmp_path, None, ("csv", "yfinance")).metrics(["BAD"])
    assert words in str(info.value) and "\n" not in str(info.value)
