"""Pure metric computations: price arrays in, typed results out. No I/O, no caching.

Conventions (docs/CONVENTIONS.md is the one place they are written down):
- The window is [start, end] inclusive. A period return and a change start from a base close
  chosen by a `ReturnBase` rule (`base_index`): the last close before the window for a calendar
  period ("prior_close"), the close on the start date or the last one before it for an explicit
  start ("on_or_before"). Excess return and relative strength use the same base.
- Daily returns are simple returns between consecutive closes *inside* the window, so a
  window of n trading days has n - 1 returns (the move into the first day is not counted).
- Moving averages and the 20-day volatility end at the last day of the window and reach
  back into the history before it, as a chart of the index would show them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .errors import NoDataError
from .report import ChartData, PairMetrics, ReturnBase, SeriesMetrics

TRADING_DAYS = 252
SQRT_YEAR = math.sqrt(TRADING_DAYS)


@dataclass(frozen=True)
class Prices:
    """One symbol's closes as arrays: `dates` datetime64[D] ascending, `close` float64, no NaN.

    `iso` holds the dates as ISO strings, formatted once at load because formatting dates
    is the slowest step of building chart series.
    """

    symbol: str
    dates: np.ndarray
    close: np.ndarray
    iso: np.ndarray

    @classmethod
    def from_frame(cls, symbol: str, frame: pd.DataFrame) -> Prices:
        """From a normal-form frame (DatetimeIndex, 'close' column); NaN closes are dropped."""
        close = frame["close"].to_numpy(dtype="float64")
        keep = np.isfinite(close)
        dates = frame.index.to_numpy().astype("datetime64[D]")[keep]
        iso = np.datetime_as_string(dates, unit="D").astype(object)  # object: tolist() is then a copy of refs
        return cls(symbol, dates, close[keep], iso)

    def day(self, i: int) -> date:
        """The i-th trading day as a date."""
        return self.dates[i].astype(object)


def align(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in two sorted unique date arrays of the dates they share (an inner join)."""
    if a.size == 0 or b.size == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    if a.size == b.size and a[0] == b[0] and a[-1] == b[-1] and np.array_equal(a, b):
        same = np.arange(a.size)  # the usual case: two indexes on one exchange calendar
        return same, same
    pos = np.minimum(np.searchsorted(b, a), b.size - 1)
    hit = b[pos] == a
    return np.flatnonzero(hit), pos[hit]


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def window(p: Prices, start: date, end: date) -> tuple[int, int]:
    """Inclusive index range of the trading days of `p` in [start, end]; NoDataError when empty."""
    if start > end:
        raise NoDataError(f"The start {start} is after the end {end}: swap the dates.")
    if p.dates.size == 0:
        raise NoDataError(f"{p.symbol} has no prices: check the data source.")
    lo = int(np.searchsorted(p.dates, np.datetime64(start, "D"), "left"))
    hi = int(np.searchsorted(p.dates, np.datetime64(end, "D"), "right")) - 1
    if hi >= lo:
        return lo, hi
    first, last = p.day(0), p.day(-1)
    if end < first:
        raise NoDataError(
            f"{p.symbol} data starts on {first}, after the window {start}..{end}: choose dates from {first} on."
        )
    if start > last:
        raise NoDataError(
            f"{p.symbol} data ends on {last}, before the window {start}..{end}: choose dates up to {last}."
        )
    raise NoDataError(
        f"No trading days for {p.symbol} between {start} and {end} (weekend or market holiday): widen the window."
    )


def base_index(p: Prices, lo: int, start: date, base: ReturnBase) -> int:
    """Position in `p` of the base close of a window whose first trading day is `lo`.

    "prior_close": the last trading day before `start`; "on_or_before": `start` itself when it is
    a trading day, else the last trading day before it. When the data holds no earlier close, the
    first close inside the window (`lo`) is the base, and the caller says so.
    """
    if base not in ("prior_close", "on_or_before"):
        raise ValueError(f"Unknown return base {base!r}: use 'prior_close' or 'on_or_before'.")
    if base == "on_or_before" and p.dates[lo] == np.datetime64(start, "D"):
        return lo
    return lo - 1 if lo > 0 else lo


def _trailing_mean(close: np.ndarray, hi: int, n: int) -> float | None:
    return _num(close[hi - n + 1 : hi + 1].mean()) if hi + 1 >= n else None


def _std(r: np.ndarray) -> float | None:
    return _num(r.std(ddof=1)) if r.size >= 2 else None


def _above(price: float, level: float | None) -> bool | None:
    return None if level is None else bool(price > level)


def series_metrics(p: Prices, lo: int, hi: int, name: str, unit: str = "points", base_at: int | None = None,
                   base: ReturnBase = "on_or_before") -> SeriesMetrics:
    """Metrics of one symbol for the window p.close[lo..hi] (indices from `window`).

    `base_at` (from `base_index`, default `lo`) is the position of the base close of `return_`
    and `change`; `base` names the rule that chose it. Volatility, Sharpe and drawdown use the
    window's own days. `unit` "percent" marks a rate (a yield), whose meaningful move is
    `change`, not `return_`.
    """
    base_at = lo if base_at is None else base_at
    base_close = float(p.close[base_at])
    c = p.close[lo : hi + 1]
    r = c[1:] / c[:-1] - 1.0
    daily_vol = _std(r)
    ann_vol = daily_vol * SQRT_YEAR if daily_vol is not None else None
    sharpe = _num(r.mean() / daily_vol * SQRT_YEAR) if daily_vol else None
    ann_vol_20d = None
    if hi >= 20:  # 21 closes give the 20 returns ending at the last day
        tail = p.close[hi - 20 : hi + 1]
        v = _std(tail[1:] / tail[:-1] - 1.0)
        ann_vol_20d = v * SQRT_YEAR if v is not None else None
    ma20, ma50, ma200 = (_trailing_mean(p.close, hi, n) for n in (20, 50, 200))
    last = float(c[-1])
    underwater = c / np.maximum.accumulate(c) - 1.0
    drawdown = float(underwater.min())
    trough = int(underwater.argmin())
    peak = int(c[: trough + 1].argmax())  # the running high the worst fall started from
    return SeriesMetrics(
        symbol=p.symbol, name=name, first_date=p.day(lo), last_date=p.day(hi),
        first_close=float(c[0]), last_close=last, return_=float(c[-1] / base_close - 1.0),
        base=base, base_date=p.day(base_at), base_close=base_close,
        daily_vol=daily_vol, ann_vol=ann_vol, ann_vol_20d=ann_vol_20d, ma20=ma20, ma50=ma50, ma200=ma200,
        above_ma20=_above(last, ma20), above_ma50=_above(last, ma50),
        ma20_above_ma50=None if ma20 is None or ma50 is None else bool(ma20 > ma50),
        max_drawdown=min(drawdown, 0.0), sharpe=sharpe, trading_days=int(c.size),
        change=float(c[-1] - base_close), unit=unit, data_from=p.day(0), data_to=p.day(-1),
        high=float(c.max()), high_date=p.day(lo + int(c.argmax())),
        low=float(c.min()), low_date=p.day(lo + int(c.argmin())),
        drawdown_peak_date=p.day(lo + peak), drawdown_trough_date=p.day(lo + trough),
    )


def common_window(a: Prices, b: Prices, start: date, end: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dates both symbols traded in [start, end] and the two close arrays on them (inner join)."""
    ia, ib = align(a.dates, b.dates)
    d = a.dates[ia]
    keep = (d >= np.datetime64(start, "D")) & (d <= np.datetime64(end, "D"))
    ia, ib = ia[keep], ib[keep]
    return a.dates[ia], a.close[ia], b.close[ib]


def pair_metrics(a: Prices, b: Prices, sa: SeriesMetrics, sb: SeriesMetrics, start: date, end: date) -> PairMetrics:
    """A against B: excess and relative return from each series' own base close; the A/B ratio on
    common dates from A's base day to the end; beta and correlation on common dates in the window."""
    rs_start = min(start, sa.base_date) if sa.base_date is not None else start
    rs_dates, rs_a, rs_b = common_window(a, b, rs_start, end)
    dates, ca, cb = common_window(a, b, start, end)
    rs_end = rs_max = rs_from_max = beta = corr = None
    rs_max_date = None
    if rs_dates.size:
        ratio = rs_a / rs_b
        k = int(ratio.argmax())
        rs_end, rs_max = float(ratio[-1]), float(ratio[k])
        rs_max_date = rs_dates[k].astype(object)
        rs_from_max = rs_end / rs_max - 1.0
    if dates.size >= 3:  # two returns at least, so a sample (co)variance exists
        ra, rb = ca[1:] / ca[:-1] - 1.0, cb[1:] / cb[:-1] - 1.0
        da, db = ra - ra.mean(), rb - rb.mean()
        cov, var_a, var_b = float(da @ db), float(da @ da), float(db @ db)  # common 1/(n-1) cancels
        beta = _num(cov / var_b) if var_b > 0 else None
        corr = _num(cov / math.sqrt(var_a * var_b)) if var_a > 0 and var_b > 0 else None
    vol_ratio = sa.daily_vol / sb.daily_vol if sa.daily_vol is not None and sb.daily_vol else None
    return PairMetrics(
        a=a.symbol, b=b.symbol, excess_return=sa.return_ - sb.return_,
        relative_return=_num((1.0 + sa.return_) / (1.0 + sb.return_) - 1.0) if sb.return_ != -1.0 else None,
        rs_end=rs_end, rs_max=rs_max,
        rs_max_date=rs_max_date, rs_from_max=rs_from_max, beta=beta, correlation=corr,
        vol_ratio=vol_ratio, common_days=int(dates.size),
    )


def _ma20_series(values: np.ndarray) -> np.ndarray:
    """Trailing 20-value mean, NaN for the first 19 positions (cumulative-sum form, O(n))."""
    out = np.full(values.size, np.nan)
    if values.size >= 20:
        cs = np.concatenate(([0.0], np.cumsum(values)))
        out[19:] = (cs[20:] - cs[:-20]) / 20.0
    return out


def chart_data(prices: list[Prices], start: date, end: date) -> ChartData | None:
    """Normalised closes (first common day = 1.0; pass the base day as `start` so that the last
    point is 1 + the period return) and the ratio of the first symbol to each other one,
    with its 20-day average computed over the full common history. None when no common day."""
    first = prices[0]
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    pos = np.arange(int(np.searchsorted(first.dates, lo)), int(np.searchsorted(first.dates, hi, "right")))
    others = []
    for p in prices[1:]:  # narrow the first symbol's window days to those every symbol traded
        i0, i1 = align(first.dates[pos], p.dates)
        pos = pos[i0]
        others = [o[i0] for o in others] + [i1]
    if pos.size == 0:
        return None
    closes = {first.symbol: first.close[pos], **{p.symbol: p.close[i] for p, i in zip(prices[1:], others, strict=True)}}
    normalised = {s: np.round(c / c[0], 6).tolist() for s, c in closes.items()}
    ratio: dict[str, list[float]] = {}
    ratio_ma20: dict[str, list[float | None]] = {}
    for other in prices[1:]:
        key = f"{first.symbol}/{other.symbol}"
        ia, ib = align(first.dates, other.dates)
        ma = _ma20_series(first.close[ia] / other.close[ib])[np.searchsorted(first.dates[ia], first.dates[pos])]
        ratio[key] = np.round(closes[first.symbol] / closes[other.symbol], 8).tolist()
        ratio_ma20[key] = [None if x != x else x for x in np.round(ma, 8).tolist()]  # x != x: NaN
    return ChartData(dates=first.iso[pos].tolist(), normalised=normalised, ratio=ratio, ratio_ma20=ratio_ma20)
