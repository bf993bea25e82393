"""Scorecard stars from stated rules: a table of thresholds per dimension, no prose.

A writer asks `rate(dimension, value)` for the stars of a computed figure and gets back the rule
it applied (the figure's name, the four thresholds, which direction is better), so the answer can
show each star's rule on expand. Rules are data: change a threshold here, not in a branch. `MarketData.scorecard` measures the
figures and `score` rates them into a `Scorecard`, an analysis result cited [0] like the others.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from .analyses import AnalysisResult
from .periods import shift_months

Dimension = Literal["momentum", "relative_strength", "trend", "volatility", "drawdown", "rate_sensitivity"]


class StarRule(BaseModel):
    """Five bands cut by four ascending thresholds; the band a value falls in gives its stars."""

    dimension: Dimension
    figure: str = Field(description="the computed figure the rule reads, with its source")
    unit: Literal["fraction", "percentile"]
    thresholds: tuple[float, float, float, float]
    higher_is_better: bool


class StarRating(BaseModel):
    """The stars one figure earns under its rule, and the band's bounds (None = open-ended)."""

    dimension: Dimension
    value: float
    stars: int = Field(ge=1, le=5)
    band: tuple[float | None, float | None]
    rule: StarRule


STAR_RULES: dict[Dimension, StarRule] = {
    rule.dimension: rule
    for rule in (
        StarRule(dimension="momentum", figure="pairs[A/B].excess_return (metrics)", unit="fraction",
                 thresholds=(-0.05, -0.01, 0.01, 0.05), higher_is_better=True),
        StarRule(dimension="relative_strength", figure="pairs[A/B].rs_from_max (metrics)", unit="fraction",
                 thresholds=(-0.10, -0.05, -0.02, -0.005), higher_is_better=True),
        StarRule(dimension="trend", figure="last_close / ma200 - 1 (metrics)", unit="fraction",
                 thresholds=(-0.05, 0.0, 0.03, 0.08), higher_is_better=True),
        StarRule(dimension="volatility", figure="last.vol_percentile (rolling_views)", unit="percentile",
                 thresholds=(0.2, 0.4, 0.6, 0.8), higher_is_better=False),
        StarRule(dimension="drawdown", figure="series.max_drawdown (metrics)", unit="fraction",
                 thresholds=(-0.20, -0.10, -0.05, -0.02), higher_is_better=True),
        StarRule(dimension="rate_sensitivity", figure="slope_per_10bp (rate_sensitivity)", unit="fraction",
                 thresholds=(-0.005, -0.002, 0.0, 0.002), higher_is_better=True),
    )
}

# Which dimensions each outlook horizon rests on: short horizons on price action, longer ones
# on relative standing and rate exposure. Data for the writer; it states them with the outlook.
HORIZON_DIMENSIONS: dict[str, tuple[Dimension, ...]] = {
    "1-3m": ("momentum", "trend", "volatility"),
    "6-12m": ("relative_strength", "rate_sensitivity"),
    "12m+": ("drawdown", "rate_sensitivity"),
}


def rate(dimension: Dimension, value: float) -> StarRating:
    """Stars (1-5) of `value` under the dimension's rule; a value on a threshold takes the upper band."""
    rule = STAR_RULES[dimension]
    band = bisect_right(rule.thresholds, value)  # 0..4: how many thresholds the value reaches
    stars = band + 1 if rule.higher_is_better else 5 - band
    edges: list[float | None] = [None, *rule.thresholds, None]
    return StarRating(dimension=dimension, value=value, stars=stars, band=(edges[band], edges[band + 1]), rule=rule)


# A rate regression on a few months of weeks says little: a window shorter than two years is
# measured over the five years to its end instead.
RATE_MIN_YEARS = 2
RATE_LOOKBACK_YEARS = 5


def rate_window(start: date | None, end: date) -> date:
    """The start of the rate-sensitivity regression for a question's window ending on `end`."""
    if start is not None and (end - start).days >= RATE_MIN_YEARS * 365:
        return start
    return shift_months(end, -12 * RATE_LOOKBACK_YEARS)


class Scorecard(AnalysisResult):
    """The stars of every dimension the data could measure for one index (against a benchmark).

    Each rating carries its rule, its value and the band it fell in, so the answer shows the
    rule beside the stars and verification finds every number of the rule in [0]."""

    analysis: str = "scorecard"
    target: str
    benchmark: str | None
    ratings: list[StarRating]
    measured: dict[str, str] = Field(default_factory=dict,
                                     description='dimension -> the series and days measured ("RUT/SPX 2025-08-21..2026-08-21")')


def _pct(x: float) -> str:
    return f"{x * 100:+.2f}%"


def rules_text() -> str:
    """Every rule in one paragraph (the method of a Scorecard)."""
    parts = []
    for rule in STAR_RULES.values():
        cuts = ", ".join(f"{t:.2f}" if rule.unit == "percentile" else _pct(t) for t in rule.thresholds)
        better = "higher" if rule.higher_is_better else "lower"
        parts.append(f"{rule.dimension}: {rule.figure}, cut at {cuts} ({better} is better)")
    return ("Stars 1-5 by fixed bands (a value on a cut takes the upper band): " + "; ".join(parts) + ".")


def score(values: dict[Dimension, float | None], target: str, benchmark: str | None, start: date, end: date,
          first_date: date, last_date: date, measured: dict[str, str]) -> Scorecard:
    """Rate every dimension with a measured value (None: not measurable here, left out)."""
    ratings = [rate(dim, v) for dim, v in values.items() if v is not None]
    return Scorecard(symbols=[target, *([benchmark] if benchmark else [])], start=start, end=end,
                     first_date=first_date, last_date=last_date, method=rules_text(),
                     figures={r.dimension: r.value for r in ratings}, target=target, benchmark=benchmark,
                     ratings=ratings, measured={k: v for k, v in measured.items() if k in {r.dimension for r in ratings}})
