"""Typed results of the metrics engine (pydantic), with the JSON shape the CLI and agent use.

All rates are fractions (0.1184 means +11.84%). A metric that cannot be computed honestly
(too few days, too little history) is None, never NaN and never a guess.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from .errors import Cause

ReturnBase = Literal["prior_close", "on_or_before"]
"""Which close a period return starts from (docs/CONVENTIONS.md):

- "prior_close": the close of the last trading day *before* the window's start, the base index
  providers use for a calendar period (year, half, quarter, month, YTD, MTD);
- "on_or_before": the close on the start date, or on the last trading day before it when the
  market was shut that day; the base of an explicit start date and of trailing windows.
"""
RETURN_BASES: tuple[ReturnBase, ...] = ("prior_close", "on_or_before")


class SeriesMetrics(BaseModel):
    """Metrics of one symbol over the window."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    symbol: str
    name: str
    first_date: date
    last_date: date
    first_close: float
    last_close: float
    return_: float = Field(alias="return", description="last_close / base_close - 1")
    base: ReturnBase = Field("on_or_before", description="the rule that chose base_date (docs/CONVENTIONS.md)")
    base_date: date | None = Field(None, description="the trading day whose close is the base of return and change")
    base_close: float | None = Field(None, description="the close on base_date")
    daily_vol: float | None = Field(description="std (ddof=1) of the daily returns between closes inside the window")
    ann_vol: float | None = Field(description="daily_vol * sqrt(252)")
    ann_vol_20d: float | None = Field(description="std of the 20 daily returns ending at last_date * sqrt(252)")
    ma20: float | None
    ma50: float | None
    ma200: float | None
    above_ma20: bool | None
    above_ma50: bool | None
    ma20_above_ma50: bool | None
    max_drawdown: float = Field(description="worst close / running peak - 1 inside the window (<= 0)")
    sharpe: float | None = Field(description="mean / std of daily returns * sqrt(252), rf = 0")
    trading_days: int
    change: float | None = Field(None, description="last_close - base_close, in the series' own unit")
    unit: str = Field("points", description='"percent" when the close is a rate (a yield), else "points"')
    data_from: date | None = Field(None, description="first day of this symbol's whole price history")
    data_to: date | None = Field(None, description="last day of this symbol's whole price history")
    high: float | None = Field(None, description="highest close inside the window")
    high_date: date | None = None
    low: float | None = Field(None, description="lowest close inside the window")
    low_date: date | None = None
    drawdown_peak_date: date | None = Field(None, description="the close the maximum drawdown fell from")
    drawdown_trough_date: date | None = Field(None, description="the close it fell to")


class PairMetrics(BaseModel):
    """First symbol A against another symbol B; ratio, beta and correlation use common dates only."""

    a: str
    b: str
    excess_return: float = Field(description="return A - return B, each from its base close")
    relative_return: float | None = Field(
        None, description="(1 + return A) / (1 + return B) - 1: the change of the A/B ratio from the base")
    rs_end: float | None = Field(description="close A / close B on the last common day")
    rs_max: float | None = Field(description="highest A/B close ratio on common days from the base day to the end")
    rs_max_date: date | None
    rs_from_max: float | None = Field(description="rs_end / rs_max - 1 (<= 0)")
    beta: float | None = Field(description="cov(rA, rB) / var(rB), daily returns on common dates")
    correlation: float | None
    vol_ratio: float | None = Field(description="daily_vol A / daily_vol B")
    common_days: int = 0


class ChartData(BaseModel):
    """Series for charts on the common trading days of all symbols, from the base day (value 1.0)."""

    dates: list[str]
    normalised: dict[str, list[float]]
    ratio: dict[str, list[float]]
    ratio_ma20: dict[str, list[float | None]]


class CoverageGap(BaseModel):
    """Part of the window asked for that a symbol's data does not cover: it starts later
    (`data_from` after `asked_from`) or ends earlier (`data_to` before `asked_to`)."""

    symbol: str
    data_from: date | None = None
    asked_from: date | None = None
    data_to: date | None = None
    asked_to: date | None = None

    @computed_field  # in the JSON too, so a reader can tell which notes are these gaps
    @property
    def note(self) -> str:
        """The gap in one English sentence, as `MetricsReport.notes` carries it."""
        if self.data_from is not None:
            return f"{self.symbol}: data starts on {self.data_from}, after the requested start {self.asked_from}."
        return f"{self.symbol}: latest data is {self.data_to} (requested end {self.asked_to})."


class DataSource(BaseModel):
    """Where one symbol's prices came from: the provider that served them and their range."""

    symbol: str
    provider: str = Field(description='a PROVIDER_FACTORIES name: "csv", "yfinance" or "snapshot"')
    data_from: date
    data_to: date = Field(description="the last day of the data: an answer is as of this day")
    live: bool = Field(description="fetched from the live source just now (not a cache, folder or snapshot)")
    fallback_from_live: Cause | None = Field(
        None, description="why a local copy (cache or snapshot) stands in for the live source, when it does")


class MetricsReport(BaseModel):
    """Everything computed for one question, with its provenance (provider, window, as-of)."""

    start: date
    end: date
    first_date: date
    last_date: date
    symbols: list[str]
    resolved: list[dict[str, Any]]
    provider: str
    as_of: date
    series: dict[str, SeriesMetrics]
    pairs: dict[str, PairMetrics] = Field(default_factory=dict)
    chart: ChartData | None = None
    notes: list[str] = Field(default_factory=list)
    coverage_gaps: list[CoverageGap] = Field(default_factory=list, description="also said in `notes`")

    def to_json_dict(self, include_chart: bool = False) -> dict[str, Any]:
        """JSON-ready dict: ISO dates, fractions, SeriesMetrics.return_ under the key "return"."""
        exclude = None if include_chart else {"chart"}
        return self.model_dump(mode="json", by_alias=True, exclude=exclude)
