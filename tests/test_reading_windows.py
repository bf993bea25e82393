"""read_window on the hand-written window set (tests/data/window_expressions.jsonl) and its edges.

Every expected window in the data file was written by a person before any reader ran.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.reading.windows import AnchorEvent, WindowRead, read_window

DATA = Path(__file__).parent / "data"
CASES = [json.loads(line)
         for name in ("window_expressions.jsonl", "window_expressions_holdout.jsonl")
         for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
CALENDAR_KINDS = {"year", "half", "quarter", "month", "ytd"}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _read(case: dict) -> WindowRead | None:
    data_end = case.get("data_end", "2026-08-21")
    previous = tuple(_day(d) for d in case["previous"]) if case.get("previous") else None
    return read_window(case["q"], today=_day(case.get("today", "2026-08-23")),
                       data_end=_day(data_end), previous=previous)


def test_the_set_is_big_enough_and_bilingual():
    langs = [case["lang"] for case in CASES]
    assert len(CASES) >= 80
    assert langs.count("zh") >= 40 and langs.count("en") >= 40


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_expression(case):
    window = _read(case)
    assert window is not None, case["q"]
    assert (window.kind, window.start, window.end) == (case["kind"], _day(case["start"]), _day(case["end"]))
    assert window.partial == case.get("partial", False)
    assert window.ties_to_previous == case.get("ties", False)
    # a calendar period, and a lone day (that day's move), start from the close before
    lone_day = case["kind"] == "dates" and case["start"] == case["end"]
    assert window.base == ("prior_close" if case["kind"] in CALENDAR_KINDS or lone_day else "on_or_before")
    assert window.text and window.text in case["q"], "text must be words of the question"
    if case.get("anchor"):
        kind, year, month = case["anchor"]
        assert isinstance(window.anchor, AnchorEvent)
        assert (window.anchor.kind, window.anchor.year, window.anchor.month) == (kind, year, month)
    else:
        assert window.anchor is None


@pytest.mark.parametrize("question", [
    "what do analysts say about small caps",
    "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?",
    "russell 2000 vs s&p 500",
    "is the dow above its 50-day moving average",
    "标普500和罗素2000哪个好",
    "it may rebound",
])
def test_no_window_in_questions_without_one(question):
    assert read_window(question, today=date(2026, 8, 23), data_end=date(2026, 8, 21)) is None


def test_reference_is_today_when_data_is_current():
    window = read_window("last 3 months", today=date(2026, 8, 21), data_end=date(2026, 8, 21))
    assert (window.start, window.end) == (date(2026, 5, 21), date(2026, 8, 21))


def test_period_after_the_data_is_returned_unclipped_for_the_caller_to_decline():
    window = read_window("how did spx do last month", today=date(2026, 12, 4), data_end=date(2026, 8, 21))
    assert (window.start, window.end, window.partial) == (date(2026, 11, 1), date(2026, 11, 30), True)


def test_relative_follow_up_without_tie_ignores_previous():
    window = read_window("最近一个月呢", today=date(2026, 8, 23), data_end=date(2026, 8, 21),
                         previous=(date(2025, 1, 1), date(2025, 3, 31)))
    assert (window.start, window.end, window.ties_to_previous) == (date(2026, 7, 21), date(2026, 8, 21), False)


def test_tie_words_without_a_previous_window_are_not_a_window():
    assert read_window("同期呢", today=date(2026, 8, 23), data_end=date(2026, 8, 21)) is None


def test_same_period_last_year_shifts_the_previous_window():
    window = read_window("去年同期呢", today=date(2026, 8, 23), data_end=date(2026, 8, 21),
                         previous=(date(2026, 4, 1), date(2026, 6, 30)))
    assert (window.start, window.end, window.ties_to_previous) == (date(2025, 4, 1), date(2025, 6, 30), True)


@pytest.mark.parametrize(("question", "start", "end"), [
    ("2025年11月至2月小盘股", date(2025, 11, 1), date(2026, 2, 28)),
    ("from nov 2025 to feb 2026", date(2025, 11, 1), date(2026, 2, 28)),
    ("spx from june 2026 to september 2026", date(2026, 6, 1), date(2026, 8, 21)),
])
def test_month_ranges(question, start, end):
    window = read_window(question, today=date(2026, 8, 23), data_end=date(2026, 8, 21))
    # whole calendar months: a calendar period, its return from the close before it
    assert (window.kind, window.start, window.end, window.base) == ("month", start, end, "prior_close")


@pytest.mark.parametrize("question", [
    "since the beginning of 2025", "What is the max drawdown of the Nasdaq-100 since 2020?",
    "纳斯达克100自2020年以来的最大回撤是多少?", "2024年以来纳指", "从2023年开始小盘股",
])
def test_since_an_earlier_year_is_an_open_window_not_that_year(question):
    window = read_window(question, today=date(2026, 8, 23), data_end=date(2026, 8, 21))
    assert window.kind == "since" and window.end == date(2026, 8, 21)
    assert window.start.month == 1 and window.start.day == 1 and window.start.year < 2026


@pytest.mark.parametrize(("question", "year"), [("比特币明年会涨吗?", 2027), ("How did the Dow do in 2030?", 2030)])
def test_a_future_year_is_returned_after_the_data_for_the_caller_to_decline(question, year):
    window = read_window(question, today=date(2026, 8, 23), data_end=date(2026, 8, 21))
    assert (window.kind, window.start, window.end, window.partial) == ("year", date(year, 1, 1),
                                                                       date(year, 12, 31), True)


def test_every_table_pattern_compiles():
    import re

    from assistant.reading import time_table

    patterns = [value for name, value in vars(time_table).items() if name.isupper()]
    flat = [p for value in patterns for p in (value if isinstance(value, tuple) else (value,))
            if isinstance(p, str)]
    assert len(flat) > 30
    for pattern in flat:
        re.compile(pattern)


def test_impossible_dates_are_not_read():
    assert read_window("spx on 2025-02-30", today=date(2026, 8, 23), data_end=date(2026, 8, 21)) is None


@pytest.mark.parametrize(("question", "kind", "start", "words"), [
    ("spx 1y return", "relative", date(2025, 8, 21), "1y"),
    ("rut 6m perf?", "relative", date(2026, 2, 21), "6m"),
    ("２０２５年标普", "year", date(2025, 1, 1), "２０２５"),
    ("ＹＴＤ纳指", "ytd", date(2026, 1, 1), "ＹＴＤ"),
    ("Last 3 Months SPX", "relative", date(2026, 5, 21), "Last 3 Months"),
    ("spx 最近3个月", "relative", date(2026, 5, 21), "最近3个月"),
])
def test_shorthand_full_width_and_mixed_case(question, kind, start, words):
    window = read_window(question, today=date(2026, 8, 23), data_end=date(2026, 8, 21))
    assert (window.kind, window.start, window.text) == (kind, start, words)


@pytest.mark.parametrize("question", [
    "we bought 3m shares of spy",
    "from high yield bonds to stocks",
    "自降息以来小盘股下跌了多少",  # an event we cannot date is no window, not a selloff anchor
])
def test_look_alikes_are_not_windows(question):
    assert read_window(question, today=date(2026, 8, 23), data_end=date(2026, 8, 21)) is None


@pytest.mark.parametrize(("question", "symbol", "first", "last", "pick"), [
    ("since the 2025 low, how much has rut rallied", "RUT", "2025-01-01", "2025-12-31", "min"),
    ("自去年那波大跌以来小盘股涨了多少", "RUT", "2025-01-01", "2025-12-31", "trough"),
    ("how much has sox fallen since the peak", "SOX", "2025-08-21", "2026-08-21", "max"),
])
def test_an_anchored_window_resolves_to_the_day_pandas_finds(market_data_dir, question, symbol, first, last, pick):
    import pandas as pd

    from knowledge.market.anchors import resolve_anchor

    window = read_window(question, today=date(2026, 8, 23), data_end=date(2026, 8, 21))
    frame = pd.read_csv(market_data_dir / f"{symbol}.csv", parse_dates=["date"]).dropna(subset=["close"])
    span = frame[(frame["date"] >= first) & (frame["date"] <= last)].reset_index(drop=True)
    if pick == "min":
        expected = span.loc[span["close"].idxmin(), "date"]
    elif pick == "max":
        expected = span.loc[span["close"].idxmax(), "date"]
    else:
        expected = span.loc[(span["close"] / span["close"].cummax() - 1).idxmin(), "date"]

    found = resolve_anchor(window.anchor.kind, window.anchor.year, window.anchor.month,
                           [d.date() for d in frame["date"]], frame["close"].tolist(), window.end)
    assert found.day == expected.date()
