"""Expected figures for golden questions, computed straight from the price CSVs with pandas.

Deliberately independent of `knowledge.market`: the harness must be able to catch that engine
being wrong, so it re-implements the documented definitions here:

- period return = last close in [start, end] / base close - 1, the base close being the close on
  the start date or on the last trading day before it (every golden window is an explicit start
  date; a calendar period would take the last close before it: docs/CONVENTIONS.md)
- daily volatility = std (ddof=1) of simple returns between consecutive closes inside the window
- annualised volatility = daily volatility * sqrt(252)
- max drawdown = min(close / running max of close - 1) inside the window
- MA20 / MA50 = mean of the last 20 / 50 closes on or before the window's last trading day
  (earlier history counts, so a short window still has a 50-day average)
- excess return (A over B) = return A - return B, each from its own base close
- relative strength from its high = (A/B on the last common day) / max(A/B over common days from
  A's base day to the end) - 1
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from benchmarks.eval.golden import GoldenQuestion

PERCENT_METRICS = {"return", "daily_vol", "ann_vol", "mdd", "excess", "rs_from_max"}
LEVEL_METRICS = {"ma20", "ma50", "last_close"}
TRADING_DAYS = 252


@dataclass(frozen=True)
class ExpectedFigure:
    """One figure a correct answer must contain. Percent figures hold fractions (0.1184 = 11.84%)."""

    spec: str
    value: float
    unit: Literal["pct", "level"]

    @property
    def display(self) -> float:
        """The number as a reader sees it: percent points for percent figures, else the level."""
        return self.value * 100 if self.unit == "pct" else self.value


@lru_cache(maxsize=32)
def load_closes(data_dir: Path, symbol: str) -> pd.Series:
    """Closes of one symbol, indexed by date, ascending, rows without a close dropped."""
    frame = pd.read_csv(data_dir / f"{symbol}.csv", parse_dates=["date"])
    frame = frame.dropna(subset=["close"]).sort_values("date")
    return pd.Series(frame["close"].to_numpy(dtype=float), index=pd.DatetimeIndex(frame["date"]), name=symbol)


def window(closes: pd.Series, start: str, end: str) -> pd.Series:
    """Closes inside [start, end], both ends inclusive; ValueError when the window is empty."""
    inside = closes.loc[pd.Timestamp(start) : pd.Timestamp(end)]
    if inside.empty:
        raise ValueError(f"{closes.name}: no closes between {start} and {end}")
    return inside


Base = Literal["on_or_before", "prior_close"]


def base_day(history: pd.Series, start: str, base: Base = "on_or_before") -> pd.Timestamp:
    """The day whose close is a return's base; the first day of the data when none is earlier."""
    cut = pd.Timestamp(start) - (pd.Timedelta(days=1) if base == "prior_close" else pd.Timedelta(0))
    before = history.loc[:cut]
    return before.index[-1] if not before.empty else history.loc[pd.Timestamp(start):].index[0]


def period_return(history: pd.Series, start: str, end: str, base: Base = "on_or_before") -> float:
    """Last close in [start, end] over the base close, minus 1."""
    return float(window(history, start, end).iloc[-1] / history.loc[base_day(history, start, base)] - 1)


def daily_vol(closes: pd.Series) -> float:
    return float(closes.pct_change().dropna().std(ddof=1))


def max_drawdown(closes: pd.Series) -> float:
    return float((closes / closes.cummax() - 1).min())


def moving_average(history: pd.Series, end: str, days: int) -> float:
    upto = history.loc[: pd.Timestamp(end)]
    if len(upto) < days:
        raise ValueError(f"{history.name}: fewer than {days} closes before {end}")
    return float(upto.iloc[-days:].mean())


def rs_from_max(a: pd.Series, b: pd.Series, start: str, end: str, base: Base = "on_or_before") -> float:
    """From full histories: the A/B ratio on common days from A's base day to `end`."""
    ratio = (a / b).dropna()  # aligned on common trading days only
    ratio = ratio.loc[base_day(a, start, base) : pd.Timestamp(end)]
    return float(ratio.iloc[-1] / ratio.max() - 1)


def compute_figure(data_dir: Path, spec: str, start: str, end: str) -> ExpectedFigure:
    """The expected value of one figure spec ("return:RUT", "excess:RUT/SPX", ...) over a window."""
    metric, _, target = spec.partition(":")
    symbols = target.split("/")
    if metric in LEVEL_METRICS:
        history = load_closes(data_dir, symbols[0])
        if metric == "last_close":
            value = float(window(history, start, end).iloc[-1])
        else:
            value = moving_average(history, end, int(metric[2:]))
        return ExpectedFigure(spec, value, "level")
    histories = [load_closes(data_dir, s) for s in symbols]
    series = [window(h, start, end) for h in histories]
    if metric == "return":
        value = period_return(histories[0], start, end)
    elif metric == "daily_vol":
        value = daily_vol(series[0])
    elif metric == "ann_vol":
        value = daily_vol(series[0]) * math.sqrt(TRADING_DAYS)
    elif metric == "mdd":
        value = max_drawdown(series[0])
    elif metric == "excess":
        value = period_return(histories[0], start, end) - period_return(histories[1], start, end)
    elif metric == "rs_from_max":
        value = rs_from_max(histories[0], histories[1], start, end)
    else:
        raise ValueError(f"unknown metric in figure spec {spec!r}")
    return ExpectedFigure(spec, value, "pct")


def expected_figures(question: GoldenQuestion, data_dir: Path) -> list[ExpectedFigure]:
    """Every expected figure of a golden question (empty for knowledge and decline questions)."""
    if not question.figures:
        return []
    if question.window is None:
        raise ValueError(f"{question.id}: figures need a window")
    start, end = question.window
    return [compute_figure(data_dir, spec, start, end) for spec in question.figures]


def all_expected(questions: Iterable[GoldenQuestion], data_dir: Path) -> dict[str, list[ExpectedFigure]]:
    """Expected figures for many questions, keyed by question id."""
    return {q.id: expected_figures(q, data_dir) for q in questions}
