"""Scorecard stars from stated rules: a table of thresholds per dimension, no prose.

A writer asks `rate(dimension, value)` for the stars of a computed figure and gets back the rule
it applied (the figure's name, the four thresholds, which direction is better), so the answer can
show each star's rule on expand. Rules are data: change a threshold here, not in a branch.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Literal

from pydantic import BaseModel, Field

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
