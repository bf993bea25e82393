"""Analyses the price data can answer beyond one window's metrics: pure functions, typed results.

Prices in (`metrics.Prices`), a pydantic result out, each stating its `method` and its `figures`
(every headline number, exact, so an answer's figures can be checked against them). No I/O.

- `rate_sensitivity`: OLS of an index's (or a pair's ratio's) returns on 10-year yield changes.
- `rate_events`: months when the yield rose more than a threshold, and what the index did.
- `conditional_returns`: an index's daily returns split by a stated rule over another series.
- `drawdown_episodes`: every drawdown deeper than a threshold, peak to trough to recovery.
- `calendar_returns`: monthly, quarterly or yearly returns, each from the close before the period.
- `rolling_views`: rolling beta, correlation and volatility percentile, as chart series.
- `not_computable`: what this data cannot answer (breadth, valuation, earnings) and why.

Conventions are in docs/CONVENTIONS.md; this module follows them.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from .errors import NoDataError
from .metrics import SQRT_YEAR, Prices, align

Frequency = Literal["daily", "weekly"]
CalendarFreq = Literal["day", "month", "quarter", "year"]
ConditionKind = Literal["above", "below", "rising", "falling", "above_ma", "below_ma"]
NotComputableTopic = Literal["breadth", "valuation", "earnings"]

BP = 100.0  # a yield is in percent: 1 percentage point = 100 basis points


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _day(d: np.datetime64) -> date:
    return d.astype("datetime64[D]").astype(object)


def _bounds(dates: np.ndarray, start: date, end: date) -> tuple[int, int]:
    lo = int(np.searchsorted(dates, np.datetime64(start, "D"), "left"))
    hi = int(np.searchsorted(dates, np.datetime64(end, "D"), "right"))
    return lo, hi


class AnalysisResult(BaseModel):
    """What every analysis states: which analysis, on what, over which days, how, and its figures."""

    analysis: str
    symbols: list[str]
    start: date
    end: date
    first_date: date | None = Field(None, description="first trading day the analysis used")
    last_date: date | None = Field(None, description="last trading day the analysis used")
    method: str = Field(description="how the figures were computed, in one paragraph")
    figures: dict[str, float] = Field(default_factory=dict, description="headline numbers, exact")
    provider: str | None = None
    as_of: date | None = None
    notes: list[str] = Field(default_factory=list)

    def to_json_dict(self, include_chart: bool = False) -> dict[str, Any]:
        """JSON-ready dict (ISO dates, fractions); `include_chart` keeps long chart series."""
        data = self.model_dump(mode="json")
        if not include_chart:
            data.pop("chart", None)
        return data


# -- rate sensitivity ----------------------------------------------------------------------


class OlsFit(BaseModel):
    """y = alpha + beta * x by ordinary least squares, with the classical (iid) standard error."""

    slope: float
    intercept: float
    r_squared: float
    t_stat: float | None
    std_err: float | None
    n: int


def ols(x: np.ndarray, y: np.ndarray) -> OlsFit:
    """OLS of y on x with an intercept; NoDataError under 3 observations or when x does not vary."""
    n = int(x.size)
    if n < 3:
        raise NoDataError(f"Only {n} observations: a regression needs at least 3; widen the window.")
    dx, dy = x - x.mean(), y - y.mean()
    sxx = float(dx @ dx)
    if sxx == 0.0:
        raise NoDataError("The explanatory series does not move in the window: no regression is possible.")
    slope = float(dx @ dy) / sxx
    intercept = float(y.mean() - slope * x.mean())
    resid = dy - slope * dx
    sse, sst = float(resid @ resid), float(dy @ dy)
    se = math.sqrt(sse / (n - 2) / sxx)
    return OlsFit(slope=slope, intercept=intercept, r_squared=1.0 - sse / sst if sst > 0 else 0.0,
                  t_stat=slope / se if se > 0 else None, std_err=se, n=n)


def _common(series: list[Prices]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Dates every series has, and each series' closes on them."""
    dates, closes = series[0].dates, [series[0].close]
    for p in series[1:]:
        ia, ib = align(dates, p.dates)
        dates, closes = dates[ia], [c[ia] for c in closes] + [p.close[ib]]
    return dates, closes


def _week_ends(dates: np.ndarray) -> np.ndarray:
    """Positions of the last date of each calendar week (Monday-based) in a sorted date array."""
    week = (dates.astype("datetime64[D]").astype(np.int64) + 3) // 7  # 1970-01-01 was a Thursday
    return np.flatnonzero(np.r_[week[1:] != week[:-1], True])


class RateSensitivity(AnalysisResult):
    """Regression of returns on 10-year yield changes."""

    analysis: str = "rate_sensitivity"
    target: str = Field(description='the series regressed: "RUT", or "RUT/SPX" for the ratio of a pair')
    rate: str
    frequency: Frequency
    slope_per_10bp: float = Field(description="return (fraction) per +10 bp of the yield")
    std_err_per_10bp: float | None
    intercept: float
    r_squared: float
    t_stat: float | None
    n: int
    correlation: float | None = Field(None, description="of the returns with the yield changes: the slope's sign x sqrt(R²)")


def _returns_and_changes(index: Prices, rate: Prices, benchmark: Prices | None, start: date, end: date,
                         frequency: Frequency) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    series = [index, rate] + ([benchmark] if benchmark is not None else [])
    dates, closes = _common(series)
    lo, hi = _bounds(dates, start, end)
    dates, closes = dates[lo:hi], [c[lo:hi] for c in closes]
    if frequency == "weekly":
        ends = _week_ends(dates)
        dates, closes = dates[ends], [c[ends] for c in closes]
    level = closes[0] / closes[2] if benchmark is not None else closes[0]
    return dates, level[1:] / level[:-1] - 1.0, np.diff(closes[1]) * BP


def rate_sensitivity(index: Prices, rate: Prices, start: date, end: date, frequency: Frequency = "daily",
                     benchmark: Prices | None = None) -> RateSensitivity:
    """OLS of the index's (or the index/benchmark ratio's) simple returns on the yield's change in bp.

    Observations are the dates all series share inside [start, end] (weekly: each week's last
    shared date); each return and yield change runs between consecutive observations.
    """
    dates, y, x_bp = _returns_and_changes(index, rate, benchmark, start, end, frequency)
    fit = ols(x_bp, y)
    target = f"{index.symbol}/{benchmark.symbol}" if benchmark is not None else index.symbol
    what = f"the {target} price ratio's" if benchmark is not None else f"{target}'s"
    method = (f"OLS with intercept of {what} {frequency} simple returns on the {frequency} change of {rate.symbol} "
              f"in basis points, on the {fit.n} {frequency} intervals between dates all series share from "
              f"{_day(dates[0])} to {_day(dates[-1])}; slope scaled to +10 bp; t-stat from the classical "
              f"(iid) standard error.")
    per10 = fit.slope * 10.0
    se10 = fit.std_err * 10.0 if fit.std_err is not None else None
    correlation = math.copysign(math.sqrt(max(fit.r_squared, 0.0)), fit.slope) if fit.n > 2 else None
    figures = {"slope_per_10bp": per10, "r_squared": fit.r_squared, "n": float(fit.n)}
    if correlation is not None:
        figures["correlation"] = correlation
    if fit.t_stat is not None:
        figures["t_stat"] = fit.t_stat
    return RateSensitivity(
        symbols=[index.symbol, rate.symbol] + ([benchmark.symbol] if benchmark is not None else []),
        start=start, end=end, first_date=_day(dates[0]), last_date=_day(dates[-1]), method=method,
        figures=figures, target=target, rate=rate.symbol, frequency=frequency, slope_per_10bp=per10,
        std_err_per_10bp=se10, intercept=fit.intercept, r_squared=fit.r_squared, t_stat=fit.t_stat, n=fit.n,
        correlation=correlation,
    )


class RateEventMonth(BaseModel):
    """One calendar month: the yield's change and the index's (or the pair's) return in it."""

    month: str = Field(description="YYYY-MM")
    yield_change_bp: float
    return_: float = Field(alias="return", description="index return from the prior month's last close")
    benchmark_return: float | None = None
    relative_return: float | None = Field(None, description="return - benchmark_return (fraction)")

    model_config = {"validate_by_name": True, "validate_by_alias": True, "serialize_by_alias": True}


class RateEvents(AnalysisResult):
    """Months when the yield moved more than a threshold, and the index's returns in them."""

    analysis: str = "rate_events"
    target: str
    rate: str
    threshold_bp: float
    direction: Literal["rise", "fall"]
    months: int = Field(description="months in the sample (complete calendar months in the window)")
    event_months: int
    average_return: float | None = Field(description="mean return (or relative return for a pair) in event months")
    hit_rate: float | None = Field(description="share of event months with a return (relative return) above 0")
    average_return_other: float | None = Field(description="the same mean over the other months")
    events: list[RateEventMonth]


def _month_ends(dates: np.ndarray) -> np.ndarray:
    month = dates.astype("datetime64[M]")
    return np.flatnonzero(np.r_[month[1:] != month[:-1], True])


def rate_events(index: Prices, rate: Prices, start: date, end: date, threshold_bp: float = 25.0,
                direction: Literal["rise", "fall"] = "rise", benchmark: Prices | None = None) -> RateEvents:
    """Complete calendar months inside [start, end] in which the yield rose (fell) by more than
    `threshold_bp`: the average return of the index (or its excess over `benchmark`, in pp), the
    number of such months and the hit rate. Each month runs from the previous month's last shared
    close to its own last shared close (the calendar-period convention)."""
    series = [index, rate] + ([benchmark] if benchmark is not None else [])
    dates, closes = _common(series)
    ends = _month_ends(dates)
    month_of = dates[ends].astype("datetime64[M]")
    first_month = np.datetime64(start, "M") + (0 if start.day == 1 else 1)
    last_month = np.datetime64(end, "M") - (0 if _is_month_end(end) else 1)
    data_last_month = dates[-1].astype("datetime64[M]")
    keep = [k for k in range(1, ends.size)
            if first_month <= month_of[k] <= last_month and not (month_of[k] == data_last_month and not _month_done(dates))]
    if not keep:
        raise NoDataError(f"No complete calendar month with data between {start} and {end}: widen the window.")
    events: list[RateEventMonth] = []
    values, flags = [], []
    for k in keep:
        i0, i1 = ends[k - 1], ends[k]
        change = (closes[1][i1] - closes[1][i0]) * BP
        ret = closes[0][i1] / closes[0][i0] - 1.0
        bret = closes[2][i1] / closes[2][i0] - 1.0 if benchmark is not None else None
        value = ret - bret if bret is not None else ret
        hit = change > threshold_bp if direction == "rise" else change < -threshold_bp
        values.append(value)
        flags.append(hit)
        if hit:
            events.append(RateEventMonth(month=str(month_of[k]), yield_change_bp=float(change), return_=float(ret),
                                         benchmark_return=None if bret is None else float(bret),
                                         relative_return=None if bret is None else float(value)))
    v, f = np.asarray(values), np.asarray(flags, dtype=bool)
    avg = _num(v[f].mean()) if f.any() else None
    hit_rate = _num((v[f] > 0).mean()) if f.any() else None
    other = _num(v[~f].mean()) if (~f).any() else None
    target = f"{index.symbol}/{benchmark.symbol}" if benchmark is not None else index.symbol
    measured = (f"{index.symbol}'s return minus {benchmark.symbol}'s" if benchmark is not None
                else f"{index.symbol}'s return")
    sign = ">" if direction == "rise" else "<"
    bound = threshold_bp if direction == "rise" else -threshold_bp
    method = (f"Calendar months from {month_of[keep[0]]} to {month_of[keep[-1]]} ({len(keep)} complete months); "
              f"a month is an event when {rate.symbol}'s change from the previous month's last close is {sign} "
              f"{bound:+g} bp; for each month {measured} from the previous month's last close (dates all series "
              f"share); average over event months, hit rate = share of event months above 0.")
    figures: dict[str, float] = {"event_months": float(int(f.sum())), "months": float(len(keep))}
    for name, value in (("average_return", avg), ("hit_rate", hit_rate), ("average_return_other", other)):
        if value is not None:
            figures[name] = value
    first = ends[keep[0] - 1]
    return RateEvents(
        symbols=[s.symbol for s in series], start=start, end=end, first_date=_day(dates[first]),
        last_date=_day(dates[ends[keep[-1]]]), method=method, figures=figures, target=target, rate=rate.symbol,
        threshold_bp=threshold_bp, direction=direction, months=len(keep), event_months=int(f.sum()),
        average_return=avg, hit_rate=hit_rate, average_return_other=other, events=events,
    )


def _is_month_end(d: date) -> bool:
    return (np.datetime64(d, "D") + 1).astype("datetime64[M]") != np.datetime64(d, "M")


def _month_done(dates: np.ndarray) -> bool:
    """Whether the data's last month is complete: true only when its last date is the month's last
    weekday (the data cannot show a month-end holiday, so a month ending on one counts as unfinished)."""
    last = _day(dates[-1])
    return bool(np.busday_offset(np.datetime64(last, "D"), 1, roll="forward").astype("datetime64[M]")
                != np.datetime64(last, "M"))


# -- regimes and conditions ----------------------------------------------------------------


class Condition(BaseModel):
    """A rule over a series, evaluated on the close before each day whose return it classifies.

    - above/below: `series` close above/below `level` (e.g. VIX above 30);
    - rising/falling: `series` close higher/lower than `lookback` trading days earlier (e.g. the
      10-year yield rising over 20 days);
    - above_ma/below_ma: `series` close above/below its own `lookback`-day average (e.g. MA200).
    """

    series: str
    kind: ConditionKind
    level: float | None = None
    lookback: int = Field(20, ge=1, le=400)

    def describe(self) -> str:
        """The rule in words (English), as the method states it."""
        if self.kind in ("above", "below"):
            return f"{self.series} close {self.kind} {self.level:g}"
        if self.kind in ("rising", "falling"):
            return f"{self.series} close {'higher' if self.kind == 'rising' else 'lower'} than {self.lookback} trading days earlier"
        return f"{self.series} close {self.kind.removesuffix('_ma')} its {self.lookback}-day moving average"


def condition_mask(condition: Condition, closes: np.ndarray) -> np.ndarray:
    """Where the condition holds on each close (False where it cannot be evaluated yet)."""
    out = np.zeros(closes.size, dtype=bool)
    n = condition.lookback
    if condition.kind in ("above", "below"):
        if condition.level is None:
            raise NoDataError(f"The rule '{condition.kind}' needs a level, e.g. 30 for VIX above 30.")
        return closes > condition.level if condition.kind == "above" else closes < condition.level
    if closes.size <= n:
        return out
    if condition.kind in ("rising", "falling"):
        diff = closes[n:] - closes[:-n]
        out[n:] = diff > 0 if condition.kind == "rising" else diff < 0
        return out
    cs = np.concatenate(([0.0], np.cumsum(closes)))
    ma = (cs[n:] - cs[:-n]) / n  # ma[k] = mean of closes[k .. k+n-1], ending at position k+n-1
    last = closes[n - 1:]
    out[n - 1:] = last > ma if condition.kind == "above_ma" else last < ma
    return out


class RegimeStats(BaseModel):
    """Daily-return statistics of the days in one regime."""

    days: int
    episodes: int = Field(description="runs of consecutive days in the regime")
    mean_daily_return: float | None
    compounded_return: float | None = Field(description="product of (1 + daily return) - 1 over these days")
    ann_vol: float | None
    hit_rate: float | None = Field(description="share of these days with a positive return")


class ConditionalReturns(AnalysisResult):
    """An index's daily returns when a rule holds, when it does not, and over all days."""

    analysis: str = "conditional_returns"
    target: str
    condition: Condition
    when_true: RegimeStats
    when_false: RegimeStats
    all_days: RegimeStats


def _regime(r: np.ndarray, mask: np.ndarray) -> RegimeStats:
    sel = r[mask]
    episodes = int(np.count_nonzero(np.diff(np.r_[0, mask.astype(np.int8)]) == 1))
    if sel.size == 0:
        return RegimeStats(days=0, episodes=0, mean_daily_return=None, compounded_return=None, ann_vol=None,
                           hit_rate=None)
    vol = _num(sel.std(ddof=1) * SQRT_YEAR) if sel.size >= 2 else None
    return RegimeStats(days=int(sel.size), episodes=episodes, mean_daily_return=_num(sel.mean()),
                       compounded_return=_num(np.prod(1.0 + sel) - 1.0), ann_vol=vol,
                       hit_rate=_num((sel > 0).mean()))


def conditional_returns(index: Prices, on: Prices, condition: Condition, start: date, end: date) -> ConditionalReturns:
    """Split the index's daily returns in [start, end] by `condition` over `on` (which may be the
    index itself), evaluated at the previous close so the split uses nothing not yet known.

    The condition is computed on `on`'s own full history, then read on the dates both share;
    a return on day t is classified by the condition at day t-1's close.
    """
    mask_full = condition_mask(condition, on.close)
    ia, ib = align(index.dates, on.dates)
    dates, close, mask = index.dates[ia], index.close[ia], mask_full[ib]
    lo, hi = _bounds(dates, start, end)
    if hi - lo < 2:
        raise NoDataError(f"Fewer than 2 common trading days of {index.symbol} and {on.symbol} "
                          f"between {start} and {end}: widen the window.")
    c = close[lo:hi]
    r = c[1:] / c[:-1] - 1.0
    m = mask[lo:hi - 1]  # the condition at the close before each return
    t, f, a = _regime(r, m), _regime(r, ~m), _regime(r, np.ones(r.size, dtype=bool))
    method = (f"{index.symbol} daily simple returns between consecutive dates it shares with {on.symbol}, "
              f"{_day(dates[lo])} to {_day(dates[hi - 1])}; a return on day t is in the regime when "
              f"'{condition.describe()}' held at day t-1's close; volatility = std (ddof=1) x sqrt(252); "
              f"hit rate = share of days up; episodes = runs of consecutive regime days.")
    figures: dict[str, float] = {"days_true": float(t.days), "days_false": float(f.days), "episodes_true": float(t.episodes)}
    for prefix, stats in (("true", t), ("false", f), ("all", a)):
        for name in ("mean_daily_return", "compounded_return", "ann_vol", "hit_rate"):
            value = getattr(stats, name)
            if value is not None:
                figures[f"{name}_{prefix}"] = value
    symbols = [index.symbol] + ([on.symbol] if on.symbol != index.symbol else [])
    return ConditionalReturns(
        symbols=symbols, start=start, end=end, first_date=_day(dates[lo]), last_date=_day(dates[hi - 1]),
        method=method, figures=figures, target=index.symbol, condition=condition, when_true=t, when_false=f,
        all_days=a,
    )


# -- drawdown episodes ---------------------------------------------------------------------


class DrawdownEpisode(BaseModel):
    """One fall from a running high and, when it happened, the recovery to that high."""

    peak_date: date
    peak_close: float
    trough_date: date
    trough_close: float
    recovery_date: date | None = Field(description="first close at or above the peak; None while open")
    depth: float = Field(description="trough / peak - 1 (< 0)")
    days_to_trough: int = Field(description="trading days from peak to trough")
    days_to_recovery: int | None = Field(description="trading days from trough to recovery")
    days_total: int | None = Field(description="trading days from peak to recovery")
    open: bool


class DrawdownEpisodes(AnalysisResult):
    """Every drawdown deeper than a threshold inside a window."""

    analysis: str = "drawdown_episodes"
    target: str
    threshold: float = Field(description="minimum depth as a positive fraction (0.10 = 10%)")
    episodes: list[DrawdownEpisode]
    chart: dict[str, list[Any]] | None = Field(None, description="dates and drawdown (close / running high - 1)")


def drawdown_episodes(p: Prices, start: date, end: date, threshold: float = 0.10) -> DrawdownEpisodes:
    """Episodes inside [start, end] whose depth (close / running high - 1) reaches -`threshold`.

    The running high starts at the window's first close; an episode runs from a high to the first
    close back at or above it, and is still open when the window ends below it.
    """
    lo, hi = _bounds(p.dates, start, end)
    if hi - lo < 2:
        raise NoDataError(f"Fewer than 2 trading days of {p.symbol} between {start} and {end}: widen the window.")
    c, d = p.close[lo:hi], p.dates[lo:hi]
    peak = np.maximum.accumulate(c)
    dd = c / peak - 1.0
    under = dd < 0
    starts = np.flatnonzero(under & ~np.r_[False, under[:-1]])
    stops = np.flatnonzero(under & ~np.r_[under[1:], False])  # last day under water of each run
    episodes = []
    for s, e in zip(starts, stops, strict=True):
        k = s + int(dd[s:e + 1].argmin())
        if dd[k] > -threshold:
            continue
        peak_i = s - 1  # the day before the run set the high
        recovered = e + 1 < c.size
        rec = e + 1 if recovered else None
        episodes.append(DrawdownEpisode(
            peak_date=_day(d[peak_i]), peak_close=float(c[peak_i]), trough_date=_day(d[k]), trough_close=float(c[k]),
            recovery_date=_day(d[rec]) if rec is not None else None, depth=float(dd[k]), days_to_trough=int(k - peak_i),
            days_to_recovery=int(rec - k) if rec is not None else None,
            days_total=int(rec - peak_i) if rec is not None else None, open=not recovered,
        ))
    method = (f"{p.symbol} closes from {_day(d[0])} to {_day(d[-1])}; drawdown = close / running high - 1 with "
              f"the high starting at the window's first close; an episode runs from a high to the first close at "
              f"or above it (open if none); listed when its deepest point is at or below {-threshold:.0%}; "
              f"durations in trading days.")
    figures: dict[str, float] = {"episodes": float(len(episodes))}
    for i, ep in enumerate(episodes, 1):
        figures[f"depth_{i}"] = ep.depth
    worst = min((ep.depth for ep in episodes), default=None)
    if worst is not None:
        figures["deepest"] = worst
    chart = {"dates": p.iso[lo:hi].tolist(), "drawdown": np.round(dd, 6).tolist()}
    return DrawdownEpisodes(
        symbols=[p.symbol], start=start, end=end, first_date=_day(d[0]), last_date=_day(d[-1]), method=method,
        figures=figures, target=p.symbol, threshold=threshold, episodes=episodes, chart=chart,
    )


# -- calendar tables -----------------------------------------------------------------------


class CalendarPeriod(BaseModel):
    """One calendar period's return from the last close before it."""

    label: str = Field(description='"2025", "2025-Q3" or "2025-09"')
    base_date: date
    base_close: float
    last_date: date
    last_close: float
    return_: float = Field(alias="return")
    partial: bool = Field(description="the window or the data ends before the period does")
    base_inside: bool = Field(False, description="no close before the period in the data: its first close is the base")

    model_config = {"validate_by_name": True, "validate_by_alias": True, "serialize_by_alias": True}


class CalendarReturns(AnalysisResult):
    """A table of calendar-period returns, with the best and the worst complete period."""

    analysis: str = "calendar_returns"
    target: str
    frequency: CalendarFreq
    periods: list[CalendarPeriod]
    best: str | None = Field(description="label of the best complete period")
    worst: str | None = Field(description="label of the worst complete period")
    seasonality: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="monthly tables: month of year ('01'..'12') -> mean return of its "
                                          "complete months, how many (n) and the share that rose (up)")


_PERIOD_UNIT = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}


def _period_labels(dates: np.ndarray, freq: CalendarFreq) -> np.ndarray:
    idx = pd.PeriodIndex(pd.DatetimeIndex(dates), freq=_PERIOD_UNIT[freq])
    return idx.astype(str).to_numpy() if freq != "quarter" else np.array([f"{q.year}-Q{q.quarter}" for q in idx])


def calendar_returns(p: Prices, start: date, end: date, frequency: CalendarFreq = "month") -> CalendarReturns:
    """Each calendar period overlapping [start, end]: last close in the period (up to `end`) over
    the last close before the period - 1 (index providers' convention). A period the window or the
    data cuts short is `partial` and is left out of best/worst."""
    lo, hi = _bounds(p.dates, start, end)
    if hi <= lo:
        raise NoDataError(f"No trading days of {p.symbol} between {start} and {end}: widen the window.")
    unit = _PERIOD_UNIT[frequency]
    per = pd.PeriodIndex(pd.DatetimeIndex(p.dates[lo:hi]), freq=unit)
    codes = per.asi8
    change = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    labels = _period_labels(p.dates[lo:hi][change], frequency)
    periods = []
    for j, first in enumerate(change):
        i0 = lo + first
        i1 = lo + (change[j + 1] - 1 if j + 1 < change.size else hi - lo - 1)
        base_i = i0 - 1 if i0 > 0 else i0
        period_end = per[first].end_time.date()
        cut = end < period_end or p.day(-1) < period_end and i1 == p.close.size - 1
        periods.append(CalendarPeriod(
            label=str(labels[j]), base_date=p.day(base_i), base_close=float(p.close[base_i]), last_date=p.day(i1),
            last_close=float(p.close[i1]), return_=float(p.close[i1] / p.close[base_i] - 1.0),
            # cut short at the start when a trading day of the period lies before the window
            partial=bool(cut or p.day(base_i) >= per[first].start_time.date()), base_inside=i0 == 0,
        ))
    complete = [x for x in periods if not x.partial]
    best = max(complete, key=lambda x: x.return_).label if complete else None
    worst = min(complete, key=lambda x: x.return_).label if complete else None
    method = (f"{p.symbol}: each {frequency}'s return = its last close (up to {end}) / the last close before the "
              f"{frequency} - 1 (the index providers' base); periods the window or the data cut short are marked "
              f"partial and left out of best and worst.")
    figures = {x.label: x.return_ for x in periods}
    seasonality: dict[str, dict[str, float]] = {}
    if frequency == "month":  # "the best month historically": each calendar month's average
        by_month: dict[str, list[float]] = {}
        for x in complete:
            by_month.setdefault(x.label[5:7], []).append(x.return_)
        seasonality = {m: {"mean": float(np.mean(v)), "n": float(len(v)), "up": float(np.mean([r > 0 for r in v]))}
                       for m, v in sorted(by_month.items())}
    notes = [f"{x.label}: no close before it in the data, so its first close is the base." for x in periods if x.base_inside]
    return CalendarReturns(
        symbols=[p.symbol], start=start, end=end, first_date=p.day(lo), last_date=p.day(hi - 1), method=method,
        figures=figures, target=p.symbol, frequency=frequency, periods=periods, best=best, worst=worst, notes=notes,
        seasonality=seasonality,
    )


# -- rolling views -------------------------------------------------------------------------


class RollingViews(AnalysisResult):
    """Rolling beta and correlation against a benchmark and the volatility percentile, as series."""

    analysis: str = "rolling_views"
    target: str
    benchmark: str | None
    window: int
    last: dict[str, float | None] = Field(description="the last value of each series")
    chart: dict[str, list[Any]] = Field(description="dates, beta, correlation, vol (annualised), vol_percentile")


def _rolling_sums(values: np.ndarray, n: int) -> np.ndarray:
    cs = np.concatenate(([0.0], np.cumsum(values)))
    return cs[n:] - cs[:-n]


def _nan_list(values: np.ndarray, digits: int) -> list[float | None]:
    return [None if x != x else x for x in np.round(values, digits).tolist()]  # x != x: NaN


def rolling_views(p: Prices, start: date, end: date, benchmark: Prices | None = None, window: int = 60) -> RollingViews:
    """Over `window` daily returns ending at each day in [start, end]: beta and correlation of `p`
    against `benchmark` (dates both share), annualised volatility of `p`, and that volatility's
    percentile among all of `p`'s rolling volatilities up to the same day (its own history, no
    look-ahead). Windows reach back before `start`, as a chart of the index would."""
    r = p.close[1:] / p.close[:-1] - 1.0
    n = window
    if r.size < n:
        raise NoDataError(f"{p.symbol} has fewer than {n + 1} closes: no {n}-day rolling view.")
    s1, s2 = _rolling_sums(r, n), _rolling_sums(r * r, n)
    var = np.maximum((s2 - s1 * s1 / n) / (n - 1), 0.0)
    vol_tail = np.sqrt(var) * SQRT_YEAR  # vol_tail[k] ends at return k+n-1, i.e. at close k+n
    vol = np.full(p.close.size, np.nan)
    vol[n:] = vol_tail
    pct = np.full(p.close.size, np.nan)
    pct[n:] = pd.Series(vol_tail).expanding().rank(pct=True).to_numpy()
    lo, hi = _bounds(p.dates, start, end)
    if hi <= lo:
        raise NoDataError(f"No trading days of {p.symbol} between {start} and {end}: widen the window.")
    chart: dict[str, list[Any]] = {"dates": p.iso[lo:hi].tolist(), "vol": _nan_list(vol[lo:hi], 6),
                                   "vol_percentile": _nan_list(pct[lo:hi], 6)}
    last: dict[str, float | None] = {"vol": _num(vol[hi - 1]), "vol_percentile": _num(pct[hi - 1])}
    symbols = [p.symbol]
    if benchmark is not None:
        symbols.append(benchmark.symbol)
        ia, ib = align(p.dates, benchmark.dates)
        ca, cb = p.close[ia], benchmark.close[ib]
        ra, rb = ca[1:] / ca[:-1] - 1.0, cb[1:] / cb[:-1] - 1.0
        beta = np.full(ia.size, np.nan)
        corr = np.full(ia.size, np.nan)
        if ra.size >= n:
            sa, sb = _rolling_sums(ra, n), _rolling_sums(rb, n)
            sab, saa, sbb = _rolling_sums(ra * rb, n), _rolling_sums(ra * ra, n), _rolling_sums(rb * rb, n)
            cov, va, vb = sab - sa * sb / n, saa - sa * sa / n, sbb - sb * sb / n
            with np.errstate(divide="ignore", invalid="ignore"):
                beta[n:] = np.where(vb > 0, cov / vb, np.nan)
                corr[n:] = np.where((va > 0) & (vb > 0), cov / np.sqrt(np.maximum(va * vb, 0.0)), np.nan)
        # read the common-date series on p's dates in the window (NaN where the benchmark did not trade)
        pos = np.searchsorted(p.dates[ia], p.dates[lo:hi])
        pos = np.minimum(pos, ia.size - 1)
        hit = p.dates[ia][pos] == p.dates[lo:hi]
        chart["beta"] = _nan_list(np.where(hit, beta[pos], np.nan), 6)
        chart["correlation"] = _nan_list(np.where(hit, corr[pos], np.nan), 6)
        seen = np.flatnonzero(hit & np.isfinite(beta[pos]))
        last["beta"] = _num(beta[pos][seen[-1]]) if seen.size else None
        seen = np.flatnonzero(hit & np.isfinite(corr[pos]))
        last["correlation"] = _num(corr[pos][seen[-1]]) if seen.size else None
    method = (f"Rolling {n} daily simple returns ending at each day from {p.day(lo)} to {p.day(hi - 1)}: "
              f"annualised volatility = std (ddof=1) x sqrt(252); its percentile = rank among all of "
              f"{p.symbol}'s {n}-day volatilities from {p.day(n)} up to that day (expanding, no look-ahead)"
              + (f"; beta = cov / var of {benchmark.symbol}, and correlation, on the dates both share"
                 if benchmark is not None else "") + ".")
    figures = {f"last_{k}": v for k, v in last.items() if v is not None}
    return RollingViews(
        symbols=symbols, start=start, end=end, first_date=p.day(lo), last_date=p.day(hi - 1), method=method,
        figures=figures, target=p.symbol, benchmark=benchmark.symbol if benchmark is not None else None,
        window=n, last=last, chart=chart,
    )


# -- what cannot be computed ---------------------------------------------------------------


class NotComputable(BaseModel):
    """A question this data cannot answer, with the reason and what would be needed."""

    analysis: str = "not_computable"
    topic: NotComputableTopic
    computable: bool = False
    reason: str
    needs: str

    def to_json_dict(self, include_chart: bool = False) -> dict[str, Any]:
        """JSON-ready dict."""
        return self.model_dump(mode="json")


# Rules as data: why each topic is out of reach of index closes.
NOT_COMPUTABLE: dict[NotComputableTopic, tuple[str, str]] = {
    "breadth": ("The data holds index levels, not their constituents, so advancers/decliners and the share "
                "of members above a moving average cannot be counted.",
                "daily prices of every index constituent"),
    "valuation": ("Valuation ratios (P/E, P/B, EV/EBITDA) need earnings and balance-sheet data; the data "
                  "holds prices only.", "index or constituent fundamentals (earnings, book value)"),
    "earnings": ("Earnings growth and revisions need reported and estimated earnings; the data holds prices "
                 "only.", "reported and consensus earnings per share"),
}


def not_computable(topic: NotComputableTopic) -> NotComputable:
    """The typed answer for a topic the price data cannot measure; cite sources for it instead."""
    reason, needs = NOT_COMPUTABLE[topic]
    return NotComputable(topic=topic, reason=reason, needs=needs)
