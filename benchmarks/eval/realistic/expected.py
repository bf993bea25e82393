"""Expected figures of a realistic turn, straight from the price CSVs with pandas.

Independent of `knowledge.market` and `assistant` on purpose. Conventions (README.md here):

- the data's last day (`DATA_END`) is SPX.csv's last row; "now" is that day
- a calendar period (year, half, quarter, month, YTD, a span of months) runs from its first day to
  its last day (or the data's last day); its return base is the close of the instrument's last
  trading day BEFORE the period
- a relative window ("last 3 months") ends on the data's last day and starts that many calendar
  units earlier; it, an explicit start date and an anchor (a low, a trough) take as base the close
  on that day or the last trading day before it
- return = close(last) / close(base) - 1; excess = return A - return B (same convention)
- intra-window figures use the window's own days (first trading day on or after the start, to the
  last): daily volatility (std ddof=1 of simple returns, annualised * sqrt 252 also accepted), max
  drawdown, Sharpe (mean / std * sqrt 252, rf = 0), high, low
- MA20/50/200 = mean of the last N closes up to the window's last day; "above" = close > MA
- level = close on the last day; change = close(last) - close(base) (percent points for a yield,
  points for VIX)
- beta and correlation: daily returns on the days both instruments traded inside the window
- rs = ratio A/B on the last common day over its highest common-day value, minus 1
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

TRADING_DAYS = 252
PERIOD_KINDS = ("year", "half", "quarter", "month", "ytd", "months")


@dataclass(frozen=True)
class Window:
    """An intended window for one instrument, resolved on its own trading days."""

    spec: str
    start: pd.Timestamp
    end: pd.Timestamp
    base: pd.Timestamp  # the day whose close is the return base
    first: pd.Timestamp  # first trading day inside the window
    last: pd.Timestamp  # last trading day inside the window
    calendar: bool  # a calendar period (base = close before the period)
    # A relative window of an instrument whose data ends before the data's last day (VIX, US10Y)
    # may also be counted back from the instrument's own last day: those starts are accepted too.
    alternate_starts: tuple[pd.Timestamp, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One figure a correct answer must contain. `value` is in display units (percent points for
    returns, levels as quoted); `alternatives` are other accepted readings (annualised vol)."""

    metric: str
    symbols: tuple[str, ...]
    value: float
    alternatives: tuple[float, ...] = ()
    absolute: bool = False  # sign may be dropped in prose ("a drawdown of 3.9%", "fell 39 bp")
    above: bool | None = None  # for an MA check: the expected yes/no

    @property
    def spec(self) -> str:
        return f"{self.metric}:{'/'.join(self.symbols)}"


@lru_cache(maxsize=32)
def closes(data_dir: Path, symbol: str) -> pd.Series:
    frame = pd.read_csv(data_dir / f"{symbol}.csv", parse_dates=["date"]).dropna(subset=["close"])
    frame = frame.sort_values("date")
    return pd.Series(frame["close"].to_numpy(dtype=float), index=pd.DatetimeIndex(frame["date"]), name=symbol)


def data_end(data_dir: Path) -> pd.Timestamp:
    return closes(data_dir, "SPX").index[-1]


def _period(spec: str, end_of_data: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """(first day, last day) of a calendar period spec, or None when `spec` is not one."""
    if spec == "ytd":
        return pd.Timestamp(end_of_data.year, 1, 1), end_of_data
    if spec.startswith("months:"):
        a, b = spec[7:].split("..")
        return pd.Timestamp(a + "-01"), pd.Timestamp(b + "-01") + pd.offsets.MonthEnd(0)
    parts = spec.split("-")
    if len(parts) == 1 and spec.isdigit():
        return pd.Timestamp(int(spec), 1, 1), pd.Timestamp(int(spec), 12, 31)
    if len(parts) == 2 and parts[1].startswith("H"):
        h = int(parts[1][1])
        first = pd.Timestamp(int(parts[0]), 1 + 6 * (h - 1), 1)
        return first, first + pd.DateOffset(months=6) - pd.Timedelta(days=1)
    if len(parts) == 2 and parts[1].startswith("Q"):
        q = int(parts[1][1])
        first = pd.Timestamp(int(parts[0]), 1 + 3 * (q - 1), 1)
        return first, first + pd.DateOffset(months=3) - pd.Timedelta(days=1)
    if len(parts) == 2 and parts[1].isdigit():
        first = pd.Timestamp(int(parts[0]), int(parts[1]), 1)
        return first, first + pd.offsets.MonthEnd(0)
    return None


def _anchor(spec: str, data_dir: Path, anchor_symbol: str) -> pd.Timestamp:
    kind, year = spec.split(":")
    history = closes(data_dir, anchor_symbol)
    in_year = history.loc[str(year)]
    if kind == "since_low":
        return in_year.idxmin()
    drawdown = (history / history.cummax() - 1).loc[str(year)]  # earlier peaks count
    return drawdown.idxmin()


def _relative(spec: str) -> bool:
    return spec in ("default", "now") or spec.startswith("last:")


def resolve_window(
    spec: str, symbol: str, data_dir: Path, anchor_symbol: str | None = None, own_end: bool = False
) -> Window:
    """The window `spec` means for `symbol` (anchors are found on `anchor_symbol`, default itself).

    `own_end`: count a relative window back from the instrument's own last day instead."""
    history = closes(data_dir, symbol)
    end_of_data = history.index[-1] if own_end else data_end(data_dir)
    calendar = False
    period = _period(spec, end_of_data)
    if period:
        start, end = period
        calendar = True
    elif spec in ("default", "now") or spec.startswith("last:"):
        amount = "12M" if spec in ("default", "now") else spec[5:]
        n, unit = int(amount[:-1]), amount[-1]
        offset = {"D": pd.DateOffset(days=n), "W": pd.DateOffset(weeks=n), "M": pd.DateOffset(months=n),
                  "Y": pd.DateOffset(years=n)}[unit]
        start, end = end_of_data - offset, end_of_data
    elif spec.startswith("since:"):
        start, end = pd.Timestamp(spec[6:]), end_of_data
    elif spec.startswith(("since_low:", "since_trough:")):
        start, end = _anchor(spec, data_dir, anchor_symbol or symbol), end_of_data
    elif ".." in spec:
        a, b = spec.split("..")
        start, end = pd.Timestamp(a), pd.Timestamp(b)
    else:
        raise ValueError(f"unknown window spec {spec!r}")
    end = min(end, end_of_data)
    before = history.loc[: start - pd.Timedelta(days=1)] if calendar else history.loc[:start]
    inside = history.loc[start:end]
    if before.empty or inside.empty:
        raise ValueError(f"{symbol}: no data for window {spec}")
    alternates: tuple[pd.Timestamp, ...] = ()
    if _relative(spec) and not own_end and history.index[-1] < end_of_data:
        alt = resolve_window(spec, symbol, data_dir, anchor_symbol, own_end=True)
        alternates = (alt.base, alt.first)
    return Window(spec, start, end, before.index[-1], inside.index[0], inside.index[-1], calendar, alternates)


def _returns(series: pd.Series) -> pd.Series:
    return series.pct_change().dropna()


def _ret(data_dir: Path, symbol: str, w: Window) -> float:
    c = closes(data_dir, symbol)
    return float(c.loc[w.last] / c.loc[w.base] - 1)


def compute(metric: str, symbols: tuple[str, ...], spec: str, data_dir: Path, anchor: str) -> Figure:
    """One expected figure: `metric` of `symbols` over the window `spec` (with, for a relative
    window of an instrument whose data ends early, the value counted from its own last day)."""
    figure = _compute(metric, symbols, spec, data_dir, anchor)
    if _relative(spec) and any(closes(data_dir, s).index[-1] < data_end(data_dir) for s in symbols):
        alt = _compute(metric, symbols, spec, data_dir, anchor, own_end=True)
        figure = replace(figure, alternatives=(*figure.alternatives, alt.value, *alt.alternatives))
    return figure


def _compute(
    metric: str, symbols: tuple[str, ...], spec: str, data_dir: Path, anchor: str, own_end: bool = False
) -> Figure:
    ws = [resolve_window(spec, s, data_dir, anchor, own_end) for s in symbols]
    w, c = ws[0], closes(data_dir, symbols[0])
    own = c.loc[w.first : w.last]
    if metric == "return":
        return Figure(metric, symbols, _ret(data_dir, symbols[0], w) * 100)
    if metric == "excess":
        return Figure(metric, symbols, (_ret(data_dir, symbols[0], w) - _ret(data_dir, symbols[1], ws[1])) * 100)
    if metric == "mdd":
        return Figure(metric, symbols, float((own / own.cummax() - 1).min()) * 100, absolute=True)
    if metric == "vol":
        daily = float(_returns(own).std(ddof=1)) * 100
        return Figure(metric, symbols, daily, alternatives=(daily * math.sqrt(TRADING_DAYS),))
    if metric == "sharpe":
        r = _returns(own)
        return Figure(metric, symbols, float(r.mean() / r.std(ddof=1) * math.sqrt(TRADING_DAYS)))
    if metric in ("ma20", "ma50", "ma200", "ma20v", "ma50v"):
        n = int(metric[2:].rstrip("v"))
        upto = c.loc[: w.last]
        ma = float(upto.iloc[-n:].mean())
        above = None if metric.endswith("v") else bool(upto.iloc[-1] > ma)
        return Figure(metric, symbols, ma, above=above)
    if metric == "level":
        return Figure(metric, symbols, float(c.loc[w.last]))
    if metric == "high":
        return Figure(metric, symbols, float(own.max()))
    if metric == "low":
        return Figure(metric, symbols, float(own.min()))
    if metric == "change":
        return Figure(metric, symbols, float(c.loc[w.last] - c.loc[w.base]), absolute=True)
    if metric in ("beta", "corr", "rs"):
        b = closes(data_dir, symbols[1])
        joined = pd.concat([c, b], axis=1, join="inner").loc[max(w.first, ws[1].first) : w.last]
        if metric == "rs":
            ratio = joined.iloc[:, 0] / joined.iloc[:, 1]
            return Figure(metric, symbols, float(ratio.iloc[-1] / ratio.max() - 1) * 100, absolute=True)
        r = joined.pct_change().dropna()
        cov = float(r.cov().iloc[0, 1])
        value = cov / float(r.iloc[:, 1].var()) if metric == "beta" else float(r.corr().iloc[0, 1])
        return Figure(metric, symbols, value)
    raise ValueError(f"unknown metric {metric!r}")


def figures_for(instruments: tuple[str, ...], window_spec: str, metrics: tuple[str, ...], data_dir: Path) -> list[Figure]:
    """Every figure a turn asks for: per-instrument metrics for each instrument, pair metrics for
    the first instrument against each other one; "metric:SYM" limits a metric to one instrument."""
    anchor = instruments[0]
    out: list[Figure] = []
    for m in metrics:
        metric, _, only = m.partition(":")
        if only:
            targets = [tuple(only.split("/"))]
        elif metric in ("excess", "beta", "corr", "rs"):
            targets = [(instruments[0], other) for other in instruments[1:]]
        else:
            targets = [(s,) for s in instruments]
        out += [compute(metric, t, window_spec, data_dir, anchor) for t in targets]
    return out
