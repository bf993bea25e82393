"""The offline analyst on the questions the evaluation caught: asked-for figures, inherited
windows, clear declines, named publishers and reading-order citations. Expected values are
computed here with pandas straight from the CSVs."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from assistant.answer import Answer
from assistant.grounding.citations import CitationRegistry
from assistant.grounding.verification import verify_answer
from assistant.offline.analyst import OfflineAnalyst
from assistant.tools import Toolbox
from knowledge import KnowledgeBase
from knowledge.market import MarketData
from tests.conftest import base_close, series_return

TODAY = date(2026, 11, 25)


def _history(market_data_dir: Path, sym: str) -> pd.Series:
    frame = pd.read_csv(market_data_dir / f"{sym}.csv", parse_dates=["date"]).set_index("date")
    return frame["close"].dropna()


def _window(market_data_dir: Path, sym: str, start: str, end: str) -> pd.Series:
    return _history(market_data_dir, sym).loc[start:end]


@pytest.fixture
def kb(demo_kb: KnowledgeBase) -> KnowledgeBase:
    return demo_kb


@pytest.fixture
def market(market_data_dir: Path) -> MarketData:
    return MarketData(market_data_dir, None, ("csv",))


def _ask(question: str, market: MarketData, kb: KnowledgeBase | None = None, history: list[Answer] | None = None):
    registry = CitationRegistry()
    toolbox = Toolbox(market, kb, registry, today=TODAY)
    draft = OfflineAnalyst().run(question, history or [], toolbox, lambda _e: None)
    checked = verify_answer(draft.markdown, registry)
    turn = Answer(question=question, mode="offline", language=draft.language, answer=checked.text,
                  tool_calls=toolbox.calls, market=registry.market_json(),
                  request=draft.request.model_dump(mode="json") if draft.request else None)
    assert checked.dangling == [] and not checked.ungrounded
    return checked, toolbox, registry, turn


def test_moving_average_question_gets_ma_levels(market: MarketData, market_data_dir: Path) -> None:
    checked, *_ = _ask("Is the Russell 2000 above its 20-day and 50-day moving averages? "
                       "Use 2026-02-23 to 2026-08-21.", market)
    upto = _history(market_data_dir, "RUT").loc[:"2026-08-21"]
    last = upto.iloc[-1]
    for n in (20, 50):
        ma = upto.iloc[-n:].mean()
        verdict = "Yes" if last > ma else "No"
        assert (f"**{verdict}** the Russell 2000 closed at {last:,.2f} on 2026-08-21, "
                f"{'above' if last > ma else 'below'} its {n}-day average of {ma:,.2f}") in checked.text


def test_relative_strength_question_gets_distance_from_high(market: MarketData, market_data_dir: Path) -> None:
    checked, *_ = _ask("2026-01-02至2026-08-21,罗素2000相对标普500的相对强弱较高点回落了多少?", market)
    a = _window(market_data_dir, "RUT", "2026-01-02", "2026-08-21")
    b = _window(market_data_dir, "SPX", "2026-01-02", "2026-08-21")
    ratio = (a / b).dropna()
    assert f"较高点回落 {abs(ratio.iloc[-1] / ratio.max() - 1) * 100:.2f}%" in checked.text
    assert f"{ratio.max():.4f}" in checked.text


def test_annualised_volatility_when_asked(market: MarketData, market_data_dir: Path) -> None:
    checked, *_ = _ask("罗素2000在2026-01-02至2026-08-21的年化波动率是多少?", market)
    closes = _window(market_data_dir, "RUT", "2026-01-02", "2026-08-21")
    ann = closes.pct_change().dropna().std() * math.sqrt(252)
    assert f"年化波动率 {ann * 100:.2f}%" in checked.text


def test_that_window_is_inherited(market: MarketData, market_data_dir: Path) -> None:
    *_, first = _ask("How did the Russell 2000 do from 2025-09-01 to 2026-01-30?", market)
    *_, second = _ask("And versus the Nasdaq-100?", market, history=[first])
    checked, toolbox, *_ = _ask("What was the Russell 2000's maximum drawdown over that window?", market,
                                history=[first, second])
    assert toolbox.calls[0].args == {"symbols": ["RUT"], "start": "2025-09-01", "end": "2026-01-30", "base": "on_or_before"}
    closes = _window(market_data_dir, "RUT", "2025-09-01", "2026-01-30")
    assert f"{(closes / closes.cummax() - 1).min() * 100:.2f}%" in checked.text
    # Chinese: "同期" keeps the window, the subject is the index now named.
    *_, zh = _ask("标普500在2026-01-02至2026-06-30的表现如何?", market)
    checked, toolbox, *_ = _ask("纳斯达克100同期的最大回撤是多少?", market, history=[zh])
    assert toolbox.calls[0].args == {"symbols": ["NDX"], "start": "2026-01-02", "end": "2026-06-30", "base": "on_or_before"}
    closes = _window(market_data_dir, "NDX", "2026-01-02", "2026-06-30")
    assert f"{(closes / closes.cummax() - 1).min() * 100:.2f}%" in checked.text


def _available(market_data_dir: Path) -> list[str]:
    return sorted(p.stem for p in market_data_dir.glob("*.csv"))


@pytest.mark.parametrize(("question", "statement"), [
    ("How did the Nikkei 225 perform from 2025-09-01 to 2026-01-30?", "There is no price data for the Nikkei 225"),
    ("恒生指数在2025-01-02至2025-12-31的表现如何?", "没有恒生指数的价格数据"),
    # Not indexes at all: once these fell through to a Russell 2000 vs S&P 500 answer.
    ("比特币明年会涨吗?", "没有比特币的价格数据"),
    ("How has Tesla stock done this year?", "There is no price data for the Tesla"),
])
def test_index_without_data_is_declined_not_replaced(question: str, statement: str, market: MarketData,
                                                     market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask(question, market)
    assert statement in checked.text
    assert toolbox.calls == [] and checked.figures == []  # no stand-in index, no numbers
    assert all(f"({s})" in checked.text or f"{s} (" in checked.text for s in _available(market_data_dir))


def test_index_without_data_beside_one_with_data(market: MarketData, market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask("Compare the Nikkei 225 and the S&P 500 from 2025-09-01 to 2026-01-30.", market)
    assert "no price data for the Nikkei 225" in checked.text
    assert toolbox.calls[0].args["symbols"] == ["SPX"]
    expected = series_return(_history(market_data_dir, "SPX"), "2025-09-01", "2026-01-30")  # base: 2025-08-29
    assert f"**{expected * 100:+.2f}%**" in checked.text


def test_an_asset_without_data_beside_an_index_with_data(market: MarketData, market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask("黄金和标普500在2025-01-02至2025-12-31的表现如何?", market)
    assert "没有黄金的价格数据" in checked.text
    assert toolbox.calls[0].args["symbols"] == ["SPX"]
    assert f"{series_return(_history(market_data_dir, 'SPX'), '2025-01-02', '2025-12-31') * 100:+.2f}%" in checked.text


@pytest.mark.parametrize(("question", "said"), [
    ("What is the max drawdown of the Nasdaq-100 since 2020?",
     "Price data for the Nasdaq-100 (NDX) only starts on {first}, after the start asked for (2020-01-01)"),
    ("纳斯达克100自2020年以来的最大回撤是多少?", "纳斯达克100(NDX)的行情数据从 {first} 才开始,晚于所问区间的起点 2020-01-01"),
])
def test_a_window_before_the_data_begins_is_said_not_hidden(question: str, said: str, market: MarketData,
                                                            market_data_dir: Path) -> None:
    history = _history(market_data_dir, "NDX")
    first = history.index[0].date().isoformat()
    checked, *_ = _ask(question, market)
    assert said.format(first=first) in checked.text
    # ... before any figure, and the figures are those of the data there is.
    assert checked.text.index(first) < checked.text.index("[0]")
    assert f"{(history / history.cummax() - 1).min() * 100:.2f}%" in checked.text


@pytest.mark.parametrize(("question", "sym", "said"), [
    ("Is the Russell 2000 above its 200-day moving average? Use 2026-02-23 to 2026-08-21.", "RUT",
     "the Russell 2000 closed at {last:,.2f} on 2026-08-21, {side} its 200-day average of {ma:,.2f}"),
    ("QQQ在2026-02-23至2026-08-21期间站上年线了吗?", "QQQ", "2026-08-21 收于 {last:,.2f},{side}200日均线 {ma:,.2f}"),
])
def test_the_200_day_average_is_answered_when_asked(question: str, sym: str, said: str, market: MarketData,
                                                    market_data_dir: Path) -> None:
    upto = _history(market_data_dir, sym).loc[:"2026-08-21"]
    last, ma = upto.iloc[-1], upto.iloc[-200:].mean()
    side = ("above" if last > ma else "below") if said.startswith("the") else ("高于" if last > ma else "低于")
    checked, *_ = _ask(question, market)
    assert said.format(last=last, side=side, ma=ma) in checked.text
    verdict = ("Yes" if last > ma else "No") if said.startswith("the") else ("是" if last > ma else "否")
    assert checked.text.split("\n\n- ")[0].count(f"**{verdict}**") == 1  # the direct answer leads


@pytest.mark.parametrize(("question", "section"), [
    ("美联储降息对小盘股有什么影响?", "### 利率敏感性"),
    ("How do rate cuts affect small caps?", "### Rate sensitivity"),
])
def test_a_question_about_an_impact_gets_a_report_with_sources(question: str, section: str, market: MarketData,
                                                               kb: KnowledgeBase) -> None:
    checked, toolbox, registry, _ = _ask(question, market, kb)
    assert section in checked.text
    assert [c.name for c in toolbox.calls].count("search_sources") >= 1
    assert any(cite > 0 for cite in checked.cited)  # a retrieved passage is cited, not only [0]


def test_a_yield_is_given_as_levels_and_a_change_in_basis_points(market: MarketData, market_data_dir: Path) -> None:
    y = _window(market_data_dir, "US10Y", "2025-01-01", "2025-12-31")
    # 2025 as a period: the change runs from the last close before it (2024-12-31)
    bp = round((y.iloc[-1] - base_close(_history(market_data_dir, "US10Y"), "2025-01-01")) * 100)
    last = y.index[-1].date().isoformat()
    checked, *_ = _ask("10年期美债收益率2025年变化了多少?", market)
    assert f"{last} 为 {y.iloc[-1]:.2f}%,变动 **{bp:+d} 个基点**[0]" in checked.text
    assert "收益率 **" not in checked.text  # a yield has no "return"

    checked, *_ = _ask("How did the 10-year yield and the Russell 2000 move in 2025?", market)
    assert f"a change of **{bp:+d} bp** [0]" in checked.text
    rut = series_return(_history(market_data_dir, "RUT"), "2025-01-01", "2025-12-31")
    assert f"**{rut * 100:+.2f}%**" in checked.text
    assert "excess return" not in checked.text  # an index against a yield is no comparison


def test_rising_yields_and_small_caps_quote_sources_about_small_caps(market: MarketData, kb: KnowledgeBase) -> None:
    checked, toolbox, *_ = _ask("美债收益率上升对小盘股有什么影响? 2025年", market, kb)
    assert toolbox.calls[0].args["symbols"] == ["US10Y", "RUT"]
    assert any(cite > 0 for cite in checked.cited)


def test_beta_and_correlation_are_answered_against_a_benchmark(market: MarketData, market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask("罗素2000的beta是多少? 2025年", market)
    assert toolbox.calls[0].args["symbols"] == ["RUT", "SPX"]  # beta needs a benchmark: the S&P 500
    both = pd.concat([_window(market_data_dir, s, "2025-01-01", "2025-12-31") for s in ("RUT", "SPX")], axis=1,
                     join="inner").pct_change().dropna()
    beta = both.iloc[:, 0].cov(both.iloc[:, 1]) / both.iloc[:, 1].var()
    corr = both.iloc[:, 0].corr(both.iloc[:, 1])
    assert f"的贝塔为 **{beta:.2f}**,日收益相关系数 {corr:.2f}[0]" in checked.text


@pytest.mark.parametrize("question", ["hello", "你是谁?", "What can you do?"])
def test_a_greeting_gets_an_introduction_not_figures(question: str, market: MarketData, market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask(question, market)
    assert "finsight" in checked.text and toolbox.calls == [] and checked.figures == []
    assert all(f"({s})" in checked.text or f"{s} (" in checked.text for s in _available(market_data_dir))


def test_thanks_gets_a_reply_and_the_conversation_keeps_its_context(market: MarketData) -> None:
    _, toolbox, _, first = _ask("How did the S&P 500 do in Q1 2026?", market)
    checked, thanks_calls, _, thanks = _ask("thanks", market, history=[first])
    assert thanks_calls.calls == [] and checked.figures == [] and "welcome" in checked.text
    # "and the Dow?" asks for the Dow over the conversation's window (no comparison word: it
    # replaces the S&P 500); "and versus the Dow?" puts the two side by side.
    _, toolbox, *_ = _ask("and the Dow?", market, history=[first, thanks])
    args = toolbox.calls[0].args
    assert args["symbols"] == ["DJI"] and (args["start"], args["end"]) == ("2026-01-01", "2026-03-31")
    _, toolbox, *_ = _ask("and versus the Dow?", market, history=[first, thanks])
    args = toolbox.calls[0].args
    assert args["symbols"] == ["SPX", "DJI"] and (args["start"], args["end"]) == ("2026-01-01", "2026-03-31")


@pytest.mark.parametrize(("question", "demo"), [("Which sources do you have?", "demo summary"),
                                               ("知识库里有哪些资料?", "演示摘要")])
def test_asking_for_the_sources_lists_them(question: str, demo: str, market: MarketData, kb: KnowledgeBase) -> None:
    checked, toolbox, *_ = _ask(question, market, kb)
    assert [c.name for c in toolbox.calls] == ["list_sources"] and checked.figures == []
    for source in kb.sources():
        assert source.title in checked.text and source.publisher in checked.text
    assert checked.text.count(demo) == len(kb.sources())  # every demo note says it is one
    for source in kb.sources():  # each URL ends its line: nothing glued on that a link would swallow
        assert not source.url or f"{source.url}\n" in checked.text


def test_small_talk_offers_starter_questions_not_follow_ups_to_nothing(market: MarketData) -> None:
    toolbox = Toolbox(market, None, CitationRegistry(), today=TODAY)
    draft = OfflineAnalyst().run("你好", [], toolbox, lambda _e: None)
    assert draft.followups and not any("最近一个月" in f for f in draft.followups)
    # Each starter is a question the analyst answers with figures or sources, not more small talk.
    assert any(OfflineAnalyst().run(f, [], Toolbox(market, None, CitationRegistry(), today=TODAY),
                                    lambda _e: None).markdown.count("[0]") for f in draft.followups)


def test_a_window_that_merely_starts_on_a_weekend_is_not_flagged(market: MarketData) -> None:
    checked, *_ = _ask("How did the S&P 500 do from 2025-01-04 to 2025-06-30?", market)  # a Saturday
    assert "only starts on" not in checked.text and "no prices after" not in checked.text


def test_future_window_is_declined_in_chinese(market: MarketData, market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask("2030-01-02至2030-06-28标普500的收益率是多少?", market)
    last = _history(market_data_dir, "SPX").index[-1].date().isoformat()
    assert f"行情数据截至最后一个交易日 {last}" in checked.text and "无法给出任何数字" in checked.text
    assert checked.figures == [] and toolbox.calls == []


def test_guarantee_is_refused_first(market: MarketData, market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask("Which index guarantees me a 20% return next year?", market)
    assert checked.text.startswith("**No index or investment can guarantee a return**")
    assert checked.figures == [] and toolbox.calls == []
    checked, toolbox, *_ = _ask("买罗素2000能保证每年赚15%吗?", market)
    assert checked.text.startswith("**任何指数或投资都不能保证收益**")
    args = toolbox.calls[0].args
    closes = _window(market_data_dir, "RUT", args["start"], args["end"])
    assert f"{(closes / closes.cummax() - 1).min() * 100:.2f}%" in checked.text  # history, with its losses


@pytest.mark.parametrize(("question", "publisher"), [
    ("路透社关于2026年寻找价值股的文章说了什么?", "Reuters"),
    ("Seeking Alpha 推荐的2026年十大小盘股有哪些?", "Seeking Alpha"),
    ("Which small caps were early winners in 2026 according to Benzinga?", "Benzinga"),
])
def test_named_publisher_is_quoted(question: str, publisher: str, market: MarketData, kb: KnowledgeBase) -> None:
    checked, _, registry, _ = _ask(question, market, kb)
    cited = [c for c in registry.citations(set(checked.cited)) if c.kind == "source"]
    assert cited and cited[0].publisher == publisher
    assert cited[0].id == 1  # the first source the reader meets is [1]


def test_report_cites_sources_in_reading_order(market: MarketData, kb: KnowledgeBase) -> None:
    checked, _, registry, _ = _ask("小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?2025年9月至2026年1月",
                                   market, kb)
    order = list(dict.fromkeys(int(i) for i in re.findall(r"\[(\d+)\]", checked.text) if i != "0"))
    assert order == list(range(1, len(order) + 1)) and len(order) >= 2
    refs = [int(m) for m in re.findall(r"(?m)^- \[(\d+)\]", checked.text)]
    assert refs == sorted(refs)
    assert {c.id for c in registry.citations(set(order))} == set(order)


def _closes(market_data_dir: Path, symbol: str) -> pd.Series:
    frame = pd.read_csv(market_data_dir / f"{symbol}.csv", parse_dates=["date"]).dropna(subset=["close"])
    return frame.set_index("date")["close"].sort_index()


def test_monthly_returns_come_as_a_table_from_the_close_before_each_month(market: MarketData,
                                                                         market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask("罗素2000 2026年的月度收益", market)
    assert [c.name for c in toolbox.calls] == ["calendar_returns"]
    closes = _closes(market_data_dir, "RUT").loc[:"2026-08-21"]
    month_end = closes.groupby(closes.index.to_period("M")).last()
    for month in ("2026-01", "2026-04", "2026-07"):
        period = pd.Period(month, "M")
        ret = month_end[period] / month_end[period - 1] - 1
        assert f"| {month} | {ret * 100:+.2f}% |" in checked.text


def test_drawdown_episodes_are_listed_with_their_days(market: MarketData, market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask("list the nasdaq drawdowns over 10% since 2020", market)
    assert [c.name for c in toolbox.calls] == ["drawdown_episodes"]
    closes = _closes(market_data_dir, "IXIC").loc["2020-01-01":]
    under = closes / closes.cummax() - 1
    deepest, trough = under.min(), under.idxmin()
    assert f"the deepest {deepest * 100:+.2f}%" in checked.text
    assert f"({trough.date()})" in checked.text


def test_returns_when_the_vix_was_above_30(market: MarketData, market_data_dir: Path) -> None:
    checked, toolbox, *_ = _ask("how did the s&p do when the vix was above 30?", market)
    assert [c.name for c in toolbox.calls] == ["conditional_returns"]
    both = pd.concat([_closes(market_data_dir, "SPX"), _closes(market_data_dir, "VIX")], axis=1, join="inner")
    both.columns = ["spx", "vix"]
    returns = both["spx"].pct_change()
    regime = both["vix"].shift(1) > 30
    days = int(regime.iloc[1:].sum())
    mean = returns[regime].mean()
    assert f"on the {days} trading days" in checked.text
    assert f"averaged {mean * 100:+.2f}% a day" in checked.text
