"""Toolbox: compact tool results for the model, exact values kept for verification."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from assistant.answer import StepEvent
from assistant.grounding.citations import CitationRegistry
from assistant.tools import Toolbox
from knowledge import KnowledgeBase
from knowledge.market import MarketData

TODAY = date(2026, 11, 25)


def _closes(market_data_dir: Path, symbol: str, start: str, end: str) -> pd.Series:
    frame = pd.read_csv(market_data_dir / f"{symbol}.csv", parse_dates=["date"]).set_index("date")
    return frame.loc[start:end, "close"].dropna()


@pytest.fixture
def market(market_data_dir: Path) -> MarketData:
    return MarketData(market_data_dir, None, ("csv",))


@pytest.fixture
def kb(demo_kb: KnowledgeBase) -> KnowledgeBase:
    return demo_kb


def test_market_metrics_is_compact_and_exact_values_stay_in_the_registry(
        market: MarketData, market_data_dir: Path) -> None:
    registry, steps = CitationRegistry(), []
    tools = Toolbox(market, None, registry, on_step=steps.append, today=TODAY)
    result = tools.market_metrics(["小盘股", "SPX"], start="2025-09-01", end="2026-01-31")
    rut = _closes(market_data_dir, "RUT", "2025-09-01", "2026-01-31")
    spx = _closes(market_data_dir, "SPX", "2025-09-01", "2026-01-31")
    # 2025-09-01 was Labor Day: an explicit start takes the last close before it as the base.
    rut_base = _closes(market_data_dir, "RUT", "2025-08-01", "2025-09-01").iloc[-1]
    spx_base = _closes(market_data_dir, "SPX", "2025-08-01", "2025-09-01").iloc[-1]
    rut_ret, spx_ret = rut.iloc[-1] / rut_base - 1, spx.iloc[-1] / spx_base - 1
    assert result["cite"] == 0
    assert result["series"]["RUT"]["return_pct"] == round(rut_ret * 100, 2)
    assert result["series"]["SPX"]["daily_vol_pct"] == round(spx.pct_change().dropna().std() * 100, 2)
    assert result["pairs"]["RUT/SPX"]["excess_return_pct"] == round((rut_ret - spx_ret) * 100, 2)
    assert result["series"]["RUT"]["last_close"] == round(rut.iloc[-1], 2)
    assert result["window"]["first_date"] == "2025-09-02" and result["window"]["last_date"] == "2026-01-30"
    # The registry keeps the exact fraction, not the rounded percent.
    exact = registry.market_json()[0]["series"]["RUT"]["return"]
    assert exact == pytest.approx(rut_ret, abs=1e-12)
    assert tools.calls[0].name == "market_metrics" and tools.calls[0].ok
    assert isinstance(steps[0], StepEvent) and steps[0].detail["name"] == "market_metrics"


def test_period_in_words_gives_the_same_window(market: MarketData) -> None:
    tools = Toolbox(market, None, CitationRegistry(), today=TODAY)
    by_words = tools.market_metrics(["RUT", "SPX"], period="2025年9月至2026年1月")
    by_dates = tools.market_metrics(["RUT", "SPX"], start="2025-09-01", end="2026-01-31")
    assert by_words["series"] == by_dates["series"]


def test_errors_are_one_line_results_not_exceptions(market: MarketData) -> None:
    registry = CitationRegistry()
    tools = Toolbox(market, None, registry, today=TODAY)
    unknown = tools.market_metrics(["NOT A REAL INDEX"])
    assert set(unknown) <= {"error", "cause", "symbol"} and "\n" not in unknown["error"] and "Unknown symbol" in unknown["error"]
    assert unknown["cause"] == "unknown_symbol" and tools.calls[-1].cause == "unknown_symbol"  # typed, for the UI
    bad_period = tools.market_metrics(["RUT"], period="sometime soon")
    assert "period" in bad_period["error"]
    empty = tools.market_metrics(["RUT"], start="2030-01-01", end="2030-02-01")
    assert "error" in empty
    assert "error" in tools.search_sources("small caps")
    assert "error" in tools.list_sources()
    assert [c.ok for c in tools.calls] == [False] * 5
    assert registry.ids() == set()  # failed calls register nothing citable


def test_search_sources_numbers_passages(market: MarketData, kb: KnowledgeBase) -> None:
    registry = CitationRegistry()
    tools = Toolbox(market, kb, registry, today=TODAY)
    first = tools.search_sources("small caps catalysts rate cuts", k=4)
    passages = first["passages"]
    # One number per document, handed out in order of first appearance.
    documents = list(dict.fromkeys((p["publisher"], p["title"]) for p in passages))
    assert [p["cite"] for p in passages] == [documents.index((p["publisher"], p["title"])) + 1 for p in passages]
    assert {"cite", "title", "publisher", "date", "url", "text"} <= set(passages[0])
    again = tools.search_sources("small caps catalysts rate cuts", k=4)
    assert [p["cite"] for p in again["passages"]] == [p["cite"] for p in passages]
    assert registry.passage(1).text.startswith(passages[0]["text"].rstrip(" …")[:50])
    listed = tools.list_sources()
    assert {s["publisher"] for s in listed["sources"]} >= {"Morgan Stanley", "Reuters"}


@pytest.mark.parametrize(("period", "base"), [
    ("Q4 2025", "prior_close"), ("2025年", "prior_close"), ("YTD", "prior_close"), ("上个月", "prior_close"),
    ("2025年10月", "prior_close"), ("October 2025", "prior_close"), ("last 3 months", "on_or_before"),
    ("2025-10-01 to 2025-12-31", "on_or_before"), ("since the election", "on_or_before"),
])
def test_a_period_in_words_carries_its_return_base(period: str, base: str) -> None:
    from knowledge.market import parse_period

    assert parse_period(period, TODAY).base == base


def test_a_calendar_quarter_starts_from_the_close_before_it(market: MarketData, market_data_dir: Path) -> None:
    tools = Toolbox(market, None, CitationRegistry(), today=TODAY)
    by_words = tools.market_metrics(["SPX"], period="Q4 2025")
    by_dates = tools.market_metrics(["SPX"], start="2025-10-01", end="2025-12-31")
    spx = _closes(market_data_dir, "SPX", "2025-09-01", "2025-12-31")
    quarter = spx.iloc[-1] / spx.loc[:"2025-09-30"].iloc[-1] - 1  # from the 2025-09-30 close
    explicit = spx.iloc[-1] / spx.loc["2025-10-01"] - 1  # from the close on the date given
    assert by_words["series"]["SPX"]["return_pct"] == round(quarter * 100, 2)
    assert by_words["series"]["SPX"]["base_date"] == "2025-09-30"
    assert by_dates["series"]["SPX"]["return_pct"] == round(explicit * 100, 2)
    assert by_dates["series"]["SPX"]["base_date"] == "2025-10-01"
