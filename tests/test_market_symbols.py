"""Alias resolution and period parsing, English and Chinese, with a fixed `today`."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.market import Period, UnknownSymbolError, find_symbols, parse_period, resolve_symbol

TODAY = date(2026, 2, 15)


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Russell 2000", "RUT"), ("罗素2000", "RUT"), ("小盘股", "RUT"), ("small caps", "RUT"), ("^RUT", "RUT"),
        ("rut", "RUT"), ("S&P 500", "SPX"), ("s&p500", "SPX"), ("标普500", "SPX"), ("大盘股", "SPX"),
        ("large-caps", "SPX"), ("^GSPC", "SPX"), ("Nasdaq-100", "NDX"), ("纳斯达克100", "NDX"), ("^NDX", "NDX"),
        ("Dow", "DJI"), ("道琼斯", "DJI"), ("^DJI", "DJI"), ("VIX", "VIX"), ("IWM", "IWM"), ("SPY", "SPY"),
        ("QQQ", "QQQ"), ("Nasdaq", "IXIC"), ("费城半导体", "SOX"), ("10年期美债", "US10Y"),
    ],
)
def test_aliases_resolve(text: str, symbol: str) -> None:
    assert resolve_symbol(text).symbol == symbol


def test_notes_say_which_proxy() -> None:
    r = resolve_symbol("small caps")
    assert (r.query, r.symbol, r.name, r.note) == ("small caps", "RUT", "Russell 2000", "small caps -> RUT (Russell 2000)")
    assert resolve_symbol("SPY").note is None and resolve_symbol("IWM").name.startswith("iShares")


def test_unknown_symbol_is_one_line() -> None:
    with pytest.raises(UnknownSymbolError) as info:
        resolve_symbol("Hang Seng Tech 50")
    assert "\n" not in str(info.value) and "RUT" in str(info.value)


def test_find_symbols_in_order_without_duplicates() -> None:
    found = find_symbols("小盘股相对大盘股能否持续跑赢?对比罗素2000和纳斯达克100,以及纳斯达克")
    assert [r.symbol for r in found] == ["RUT", "SPX", "NDX", "IXIC"]
    found = find_symbols("How did the Russell 2000 do vs the S&P 500 and QQQ since the Dow peaked? VIX too.")
    assert [r.symbol for r in found] == ["RUT", "SPX", "QQQ", "DJI", "VIX"]


def test_find_symbols_ignores_ordinary_words() -> None:
    assert find_symbols("stuck in a rut, a spy novel, a window of time, a shadow") == []
    assert find_symbols("nothing here") == []


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("小盘股2025年9月至2026年1月表现如何", date(2025, 9, 1), date(2026, 1, 31)),
        ("2025年11月到1月", date(2025, 11, 1), date(2026, 1, 31)),
        ("2025年9月1日至2026年1月15日", date(2025, 9, 1), date(2026, 1, 15)),
        ("Sep 2025 - Jan 2026", date(2025, 9, 1), date(2026, 1, 31)),
        ("from September 2025 to January 2026", date(2025, 9, 1), date(2026, 1, 31)),
        ("Sep - Dec 2025", date(2025, 9, 1), date(2025, 12, 31)),
        ("from 2025-09-01 to 2026-01-31", date(2025, 9, 1), date(2026, 1, 31)),
        ("2025/09/01..2026/01/31", date(2025, 9, 1), date(2026, 1, 31)),
        ("Feb 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("YTD", date(2026, 1, 1), TODAY),
        ("今年以来小盘股", date(2026, 1, 1), TODAY),
        ("last 3 months", date(2025, 11, 15), TODAY),
        ("past 10 days", date(2026, 2, 5), TODAY),
        ("过去一年", date(2025, 2, 15), TODAY),
        ("最近一个月呢?", date(2026, 1, 15), TODAY),
        ("近三个月", date(2025, 11, 15), TODAY),
        ("过去两周", date(2026, 2, 1), TODAY),
        ("last month", date(2026, 1, 1), date(2026, 1, 31)),
        ("上个月", date(2026, 1, 1), date(2026, 1, 31)),
        ("last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("since the election", date(2024, 11, 5), TODAY),
        ("大选以来", date(2024, 11, 5), TODAY),
        ("in 2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024年以来", date(2024, 1, 1), TODAY),
        ("How did small caps do in Q1 2026?", date(2026, 1, 1), date(2026, 3, 31)),
        ("2025 Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025Q2", date(2025, 4, 1), date(2025, 6, 30)),
        ("the third quarter of 2025", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025年第三季度罗素2000", date(2025, 7, 1), date(2025, 9, 30)),
        ("2024年四季度", date(2024, 10, 1), date(2024, 12, 31)),
        ("今年一季度", date(2026, 1, 1), date(2026, 3, 31)),
        ("Q4", date(2025, 10, 1), date(2025, 12, 31)),  # in February: last year's
    ],
)
def test_parse_period(text: str, start: date, end: date) -> None:
    period = parse_period(text, TODAY)
    assert isinstance(period, Period) and (period.start, period.end) == (start, end), period
    assert period.label


def test_single_dates_and_no_period() -> None:
    assert parse_period("since 2025-03-10", TODAY) == Period(date(2025, 3, 10), None, "since 2025-03-10")
    assert parse_period("up to 2025-03-10", TODAY).end == date(2025, 3, 10)
    assert parse_period("Russell 2000 vs S&P 500, small caps", TODAY) is None
    assert parse_period("小盘股基本面改善能否支撑超额表现?", TODAY) is None
    assert parse_period("近日小盘股走势", TODAY) is None
    assert parse_period("How are small caps YTD?", TODAY).label == "YTD"


def test_month_end_clamps() -> None:
    assert parse_period("last 1 month", date(2026, 3, 31)).start == date(2026, 2, 28)
