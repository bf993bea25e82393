"""The typed Request: what the user asked, and how each part of it was read.

One reader (`assistant.reading.reader`) builds it for both analysts. Everything the answer
assumed (a default window, a proxy index, a benchmark it added, a window anchored to an event)
is recorded here with where it came from, so the answer can say it and the coverage check can
compare what was asked with what was measured.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal[
    "report",        # why / whether / outlook: the full research report
    "figures",       # how did X do: the figures asked for
    "comparison",    # which did better: a verdict first
    "level_check",   # is X above its 50-day: level, average, yes/no
    "sources",       # what do the sources / analysts say
    "list_sources",  # which documents are there
    "small_talk",    # hello, who are you
    "thanks",
    "guarantee",     # a guaranteed return: declined
    "forecast",      # a price or return forecast: declined, with what the data can say
    "calendar",      # monthly / quarterly / yearly returns as a table
    "episodes",      # every drawdown deeper than a threshold
    "regime",        # returns when a rule held over another series (VIX above 30, yields rising)
    "rate_sensitivity",  # how an index (or a pair's ratio) moves with the 10-year yield
    "rolling",       # rolling beta / correlation / volatility, and where volatility stands in its history
    "not_computable",  # breadth, valuation, earnings: prices cannot measure them; the sources may say
]
# The kinds that need prices.
MEASURING_KINDS: frozenset[str] = frozenset({"report", "figures", "comparison", "level_check", "calendar",
                                             "episodes", "regime", "rate_sensitivity", "rolling"})
# Kinds answered by an analysis tool (knowledge.market.analyses) rather than the window's metrics.
ANALYSIS_KINDS: frozenset[str] = frozenset({"calendar", "episodes", "regime", "rate_sensitivity", "rolling"})

Metric = Literal[
    "return", "excess", "drawdown", "volatility", "ann_vol", "sharpe", "ma20", "ma50", "ma200",
    "level", "change", "high_low", "beta", "correlation", "relative_strength",
]

How = Literal["ticker", "name", "nickname", "proxy", "previous", "default", "benchmark"]
WindowSource = Literal["question", "previous", "default"]
WindowKind = Literal["dates", "since", "month", "quarter", "half", "year", "ytd", "relative", "now",
                     "anchored", "default", "previous"]
Base = Literal["prior_close", "on_or_before"]


def iso_day(value: object) -> date | None:
    """A day from an ISO date or datetime string (or a date); None when there is none."""
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Instrument(_Frozen):
    """One instrument the answer is about, and how the question named it."""

    symbol: str
    name: str
    name_zh: str = ""
    how: How
    text: str = Field("", description="the words of the question (or the previous turn) it came from")
    served: bool = True
    related: str | None = Field(None, description="for an unserved instrument: a served one to offer instead")
    level: bool = Field(False, description="a level series (a yield, the VIX): levels and changes, never returns")
    live: str | None = Field(None, description="for an unserved instrument: the ticker a live provider may serve")

    def display(self, lang: str) -> str:
        return (self.name_zh or self.name) if lang == "zh" else self.name


class Anchor(_Frozen):
    """An event the window starts at ("since the 2025 low"), found in the prices."""

    kind: Literal["low", "high", "selloff"]
    year: int | None = None
    month: int | None = None
    text: str = ""
    day: date | None = Field(None, description="the day found in the data, once resolved")
    rule: str | None = None


class Window(_Frozen):
    """The window the answer measures, and where it came from."""

    start: date | None
    end: date | None
    source: WindowSource
    kind: WindowKind
    text: str = ""
    base: Base = "on_or_before"
    partial: bool = Field(False, description="the period runs past the data's last day")
    anchor: Anchor | None = None
    ties_to_previous: bool = False


class AnalysisAsk(_Frozen):
    """The parameters of an analysis question: a calendar table's frequency, a drawdown
    threshold, or the rule over another series ("when the VIX is above 30")."""

    frequency: Literal["day", "month", "quarter", "year"] = "month"
    threshold_pct: float = 10.0
    series: str | None = None  # the series the rule is about (VIX, US10Y)
    rule: Literal["above", "below", "rising", "falling"] | None = None
    level: float | None = None
    # what the answer leads with: a rolling view's volatility or beta; a calendar's extremes
    # ("the best month", "the biggest daily drop") instead of its whole table
    about: Literal["volatility", "beta", "extremes"] = "volatility"
    topic: Literal["breadth", "valuation", "earnings"] | None = None  # what prices cannot measure


class Request(_Frozen):
    """A question, read: kinds of answer, instruments, window, metrics, and what was not read."""

    question: str
    language: Literal["zh", "en"]
    kinds: tuple[Kind, ...]
    instruments: tuple[Instrument, ...] = ()
    unserved: tuple[Instrument, ...] = Field((), description="named instruments we hold no prices for")
    window: Window | None = None
    metrics: tuple[Metric, ...] = ()
    publishers: tuple[str, ...] = ()
    followup: bool = False
    today: date | None = None
    data_end: date | None = Field(None, description="the last day of the data the window was read against")
    unread: tuple[str, ...] = Field((), description="phrases that look like a window or a name but were not read")
    analysis: AnalysisAsk | None = None

    @property
    def kind(self) -> Kind:
        return self.kinds[0]

    @property
    def measures(self) -> bool:
        return any(k in MEASURING_KINDS for k in self.kinds) and bool(self.instruments)

    @property
    def symbols(self) -> list[str]:
        return [i.symbol for i in self.instruments]

    def assumed(self) -> list[str]:
        """Codes of what the reader assumed rather than read: the coverage's `assumed` list."""
        out: list[str] = []
        if self.window is not None and self.window.source == "default":
            out.append("window_default")
        if self.window is not None and self.window.source == "previous":
            out.append("window_previous")
        if self.window is not None and self.window.anchor is not None:
            out.append("window_anchored")
        if self.window is not None and self.window.partial:
            out.append("window_partial")
        out += [f"instrument_{i.how}:{i.symbol}" for i in self.instruments
                if i.how in ("proxy", "previous", "default", "benchmark")]
        return out
