"""The offline analyst on the reference question, in Chinese and English, with real data and sources."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from assistant.answer import Answer, TokenEvent
from assistant.grounding.citations import CitationRegistry
from assistant.grounding.verification import verify_answer
from assistant.language import detect_language
from assistant.offline.analyst import OfflineAnalyst
from assistant.tools import Toolbox
from knowledge import KnowledgeBase
from knowledge.market import MarketData
from tests.conftest import csv_closes, series_return

TODAY = date(2026, 11, 25)
ZH = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?2025年9月至2026年1月"
EN = "Can improving small-cap fundamentals sustain their outperformance versus large caps from Sep 2025 to Jan 2026?"
ZH_SECTIONS = ["### 行情表现", "### 相对强度与均线位置", "### 催化剂", "### 技术指标", "### 风险", "### 评分卡",
               "### 展望", "### 参考资料", "不构成投资建议", "离线模式"]
EN_SECTIONS = ["### Headline performance", "### Relative strength", "### Catalysts", "### Technical indicators",
               "### Risks", "### Scorecard", "### Outlook by horizon", "### References", "not investment advice",
               "Offline mode"]


def _expected(market_data_dir: Path, a: str, b: str, start: str, end: str,
              base: str = "on_or_before") -> dict[str, float]:
    """The figures, computed here with pandas straight from the CSVs."""
    def closes(sym: str) -> pd.Series:
        frame = pd.read_csv(market_data_dir / f"{sym}.csv", parse_dates=["date"]).set_index("date")
        return frame.loc[start:end, "close"].dropna()

    ca, cb = closes(a), closes(b)
    # the base of a return: the close on the start date or the last one before it ("on_or_before"),
    # or the close before a calendar period ("prior_close")
    ra = series_return(csv_closes(market_data_dir / f"{a}.csv"), start, end, base)
    rb = series_return(csv_closes(market_data_dir / f"{b}.csv"), start, end, base)
    va, vb = ca.pct_change().dropna().std(), cb.pct_change().dropna().std()
    return {"ret_a": ra, "ret_b": rb, "excess": ra - rb, "vol_a": va, "vol_b": vb, "premium": va / vb - 1,
            "last_a": ca.iloc[-1], "first": ca.index[0].date().isoformat(), "last": ca.index[-1].date().isoformat()}


@pytest.fixture
def kb(demo_kb: KnowledgeBase) -> KnowledgeBase:
    return demo_kb


@pytest.fixture
def market(market_data_dir: Path) -> MarketData:
    return MarketData(market_data_dir, None, ("csv",))


def _ask(question: str, market: MarketData, kb: KnowledgeBase | None, history: list[Answer] | None = None):
    registry = CitationRegistry()
    toolbox = Toolbox(market, kb, registry, today=TODAY)
    events: list = []
    draft = OfflineAnalyst().run(question, history or [], toolbox, events.append)
    verification = verify_answer(draft.markdown, registry)
    turn = Answer(question=question, mode="offline", language=draft.language, answer=verification.text,
                  tool_calls=toolbox.calls, market=registry.market_json(),
                  request=draft.request.model_dump(mode="json") if draft.request else None)
    return draft, verification, toolbox, registry, events, turn


def _is_short(text: str) -> bool:
    return len(text.splitlines()) < 26 and not any(s in text for s in ZH_SECTIONS[3:6] + EN_SECTIONS[3:6])


def _assert_grounded(verification, registry) -> None:
    assert verification.dangling == []
    assert verification.figures, "the answer has figures"
    assert [f.text for f in verification.ungrounded] == []
    assert set(verification.cited) <= registry.ids()


@pytest.mark.parametrize(("question", "sections", "lang"), [(ZH, ZH_SECTIONS, "zh"), (EN, EN_SECTIONS, "en")])
def test_reference_question(question: str, sections: list[str], lang: str, market: MarketData,
                            kb: KnowledgeBase, market_data_dir: Path) -> None:
    draft, verification, toolbox, registry, events, _ = _ask(question, market, kb)
    text = draft.markdown
    exp = _expected(market_data_dir, "RUT", "SPX", "2025-09-01", "2026-01-31", "prior_close")  # Sep-Jan: months
    assert draft.language == lang and detect_language(text) == lang
    assert f"**{exp['ret_a'] * 100:+.2f}%**" in text
    assert f"{exp['ret_b'] * 100:+.2f}%" in text
    assert f"**{abs(exp['excess']) * 100:.2f} " in text
    assert f"({exp['vol_a'] * 100:.2f}%)" in text and f"({exp['vol_b'] * 100:.2f}%)" in text
    assert f"{exp['premium'] * 100:.2f}%" in text
    assert f"{exp['last_a']:,.2f}" in text
    assert exp["first"] in text and exp["last"] in text
    for section in sections:
        assert section in text, section
    assert text.index(sections[0]) < text.index(sections[3]) < text.index(sections[5]) < text.index(sections[7])
    _assert_grounded(verification, registry)
    # Passages are quoted and cited; the scorecard prints its rule; 3 follow-ups in the language.
    assert any(c > 0 for c in verification.cited)
    assert re.search(r"★+☆*", text)
    assert len(draft.followups) == 3 and all(detect_language(f) == lang for f in draft.followups)
    assert [c.name for c in toolbox.calls][:2] == ["market_metrics", "search_sources"]
    assert "".join(e.text for e in events if isinstance(e, TokenEvent)) == text


def test_followups_inherit_symbols_and_window(market: MarketData, kb: KnowledgeBase, market_data_dir: Path) -> None:
    *_, first = _ask(ZH, market, kb)
    draft, verification, toolbox, registry, _, _ = _ask("只看最近一个月呢?", market, kb, [first])
    call = toolbox.calls[0]
    assert call.args["symbols"] == ["RUT", "SPX"]
    # "the last month" means the latest data, not the last month of the earlier window, and says so.
    last = pd.read_csv(market_data_dir / "RUT.csv")["date"].iloc[-1]
    month_before = (pd.Timestamp(last) - pd.DateOffset(months=1)).date().isoformat()
    assert call.args["end"] == last and call.args["start"] == month_before
    assert "按最新数据计" in draft.markdown
    exp = _expected(market_data_dir, "RUT", "SPX", month_before, last)
    assert f"**{exp['ret_a'] * 100:+.2f}%**" in draft.markdown
    assert f"{exp['excess'] * 100:+.2f}" in draft.markdown
    assert draft.language == "zh" and _is_short(draft.markdown)  # a short question gets a short answer
    _assert_grounded(verification, registry)

    *_, first_en = _ask(EN, market, kb)
    draft, verification, toolbox, registry, _, _ = _ask("and versus the Nasdaq-100?", market, kb, [first_en])
    call = toolbox.calls[0]
    assert call.args == {"symbols": ["RUT", "NDX"], "start": "2025-09-01", "end": "2026-01-31", "base": "prior_close"}
    exp = _expected(market_data_dir, "RUT", "NDX", "2025-09-01", "2026-01-31", "prior_close")
    assert f"an excess return of {exp['excess'] * 100:+.2f} percentage points" in draft.markdown and draft.language == "en"
    _assert_grounded(verification, registry)


def test_no_window_uses_the_last_twelve_months_and_says_so(market: MarketData, market_data_dir: Path) -> None:
    draft, verification, toolbox, registry, _, _ = _ask("罗素2000相对标普500的前景如何分析?", market, None)
    last = pd.read_csv(market_data_dir / "RUT.csv")["date"].iloc[-1]
    assert toolbox.calls[0].args["end"] == last
    year_before = (pd.Timestamp(last) - pd.DateOffset(months=12)).date().isoformat()
    assert toolbox.calls[0].args["start"] == year_before
    assert "最近 12 个月" in draft.markdown.split("###")[0]  # said before the first section
    assert "知识库中没有检索到" in draft.markdown  # no knowledge base: says so instead of inventing
    _assert_grounded(verification, registry)


def test_future_window_and_short_english(market: MarketData, market_data_dir: Path) -> None:
    draft, verification, toolbox, registry, _, _ = _ask("How did the Russell 2000 do in the last 3 months?",
                                                         market, None)
    assert _is_short(draft.markdown) and draft.language == "en"
    assert toolbox.calls[0].args["symbols"] == ["RUT"]
    _assert_grounded(verification, registry)
    draft, verification, toolbox, *_ = _ask("How did the Dow do in 2030?", market, None)
    last = pd.read_csv(market_data_dir / "DJI.csv")["date"].iloc[-1]
    assert f"The price data ends on {last}" in draft.markdown and "no figures" in draft.markdown
    assert verification.figures == [] and toolbox.calls == []


def test_evidence_must_be_about_the_subject(market: MarketData, kb: KnowledgeBase) -> None:
    # The demo sources are about small caps: none of them is evidence for the Nasdaq-100.
    draft, verification, toolbox, registry, _, _ = _ask("What is the outlook for the Nasdaq-100?", market, kb)
    assert "No passage in the knowledge base matches" in draft.markdown
    assert verification.cited == [0]
    assert toolbox.calls[0].args["symbols"] == ["NDX", "SPX"]  # a report gets a benchmark
    _assert_grounded(verification, registry)


def test_chinese_followup_versus_another_index(market: MarketData, kb: KnowledgeBase) -> None:
    *_, first = _ask(ZH, market, kb)
    draft, verification, toolbox, registry, _, _ = _ask("和纳斯达克100相比呢?", market, kb, [first])
    assert toolbox.calls[0].args == {"symbols": ["RUT", "NDX"], "start": "2025-09-01", "end": "2026-01-31",
                                     "base": "prior_close"}  # 2025年9月至2026年1月: whole months
    assert draft.language == "zh" and "纳斯达克" not in draft.followups[1]  # NDX asked: suggest the Dow
    _assert_grounded(verification, registry)


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    nxt = text.find("\n### ", start + 1)
    return text[start:nxt if nxt > 0 else None]


def test_scorecard_and_outlook_follow_the_measured_figures(market: MarketData, kb: KnowledgeBase,
                                                           market_data_dir: Path) -> None:
    """The stars in the report are the scorecard tool's, each row with its value and band; the
    outlook names the signals; another window gives other stars and other text."""
    texts = {}
    for question in (EN, "Full report: the Nasdaq versus the S&P 500 from 2022-01-03 to 2022-10-14"):
        draft, verification, toolbox, registry, _, _ = _ask(question, market, kb)
        card = next(r for r in registry.market_json() if r.get("analysis") == "scorecard")
        score = _section(draft.markdown, "### Scorecard")
        rows = [line for line in score.splitlines() if line.startswith("| ") and "★" in line]
        assert len(rows) == len(card["ratings"]) + 1  # the rated dimensions, then the sources' support
        for row, rating in zip(rows, card["ratings"], strict=False):
            assert row.count("★") == rating["stars"], row
        outlook = _section(draft.markdown, "### Outlook by horizon")
        assert outlook.count("Rated signals it rests on") == 3
        _assert_grounded(verification, registry)
        texts[question] = (score, outlook)
        assert "rolling_views" in [c.name for c in toolbox.calls]
    (score_a, outlook_a), (score_b, outlook_b) = texts.values()
    assert score_a != score_b and outlook_a != outlook_b
    # 2022's bear market: the Nasdaq's drawdown inside the window was deeper than 20%, one star
    ixic = pd.read_csv(market_data_dir / "IXIC.csv", parse_dates=["date"]).set_index("date")["close"]
    inside = ixic.loc["2022-01-03":"2022-10-14"]
    assert (inside / inside.cummax() - 1).min() < -0.20
    assert re.search(r"\| Drawdown[^\n]*\| ★☆☆☆☆ \|", score_b)


@pytest.mark.parametrize("question", ["are small caps more rate sensitive than large caps?", "小盘股对利率更敏感吗?"])
def test_a_rate_sensitivity_question_gets_the_regression(question: str, market: MarketData,
                                                         market_data_dir: Path) -> None:
    import statsmodels.api as sm

    draft, verification, toolbox, registry, _, _ = _ask(question, market, None)
    # five years to the data's end, weekly (Monday-Sunday weeks' last shared close), computed here
    closes = {s: csv_closes(market_data_dir / f"{s}.csv") for s in ("RUT", "SPX", "US10Y")}
    end = closes["RUT"].index[-1]
    start = (end - pd.DateOffset(years=5)).date().isoformat()
    frame = pd.concat(closes, axis=1, join="inner").loc[start:]
    weekly = frame.resample("W-SUN").last().dropna()
    x = weekly["US10Y"].diff() * 100
    slopes, ts = {}, {}
    for name, y in (("RUT", weekly["RUT"].pct_change()), ("SPX", weekly["SPX"].pct_change()),
                    ("RUT/SPX", (weekly["RUT"] / weekly["SPX"]).pct_change())):
        fit = sm.OLS(y.iloc[1:], sm.add_constant(x.iloc[1:])).fit()
        slopes[name], ts[name] = fit.params["US10Y"] * 10, fit.tvalues["US10Y"]
    rows = [line for line in draft.markdown.splitlines() if line.startswith("| ") and "%" in line]
    assert len(rows) == 3
    for row, name in zip(rows, ("RUT", "SPX", "RUT/SPX"), strict=True):
        assert f"| {slopes[name] * 100:+.2f}% | {ts[name]:.2f} |" in row, row
    lead = next(line for line in draft.markdown.splitlines() if line.startswith("**"))
    weak = abs(ts["RUT/SPX"]) < 2
    lag = slopes["RUT/SPX"] < 0
    expected = {(True, True): ("Not clearly", "不明确"), (False, True): ("Yes", "是的"),
                (True, False): ("Not clearly", "不明确"), (False, False): ("No", "否")}[(weak, lag)]
    assert lead.startswith(f"**{expected[0]}") or lead.startswith(f"**{expected[1]}")
    assert [c.name for c in toolbox.calls] == ["rate_sensitivity"] * 3
    assert "12" not in next(line for line in draft.markdown.splitlines() if "2021-08-" in line and line.startswith("_"))
    _assert_grounded(verification, registry)


def test_rolling_views_and_which_is_bigger_answer_the_metric_asked(market: MarketData, market_data_dir: Path) -> None:
    """"is volatility high now?" reads the 60-day volatility's percentile in the index's own history;
    "rolling beta" leads with the beta; "which was more volatile" names the more volatile first."""
    draft, verification, toolbox, registry, _, _ = _ask("罗素2000现在的波动率高吗?", market, None)
    rut = csv_closes(market_data_dir / "RUT.csv")
    vol = rut.pct_change().rolling(60).std() * (252 ** 0.5)
    pctile = vol.dropna().rank(pct=True).iloc[-1]
    lead = next(line for line in draft.markdown.splitlines() if line.startswith("**"))
    word = "偏高" if pctile >= 0.8 else "偏低" if pctile <= 0.2 else "处于常见区间"
    assert lead.startswith(f"**{word}") and f"{vol.iloc[-1] * 100:.2f}%" in lead and f"{pctile * 100:.2f}%" in lead
    assert [c.name for c in toolbox.calls] == ["rolling_views"]
    _assert_grounded(verification, registry)

    draft, *_ = _ask("rolling beta of small caps to the s&p?", market, None)
    body = [line for line in draft.markdown.splitlines() if line and not line.startswith(("#", "_"))]
    assert "beta to the S&P 500" in body[0] and "**" not in body[1]

    first = _ask("qqq vs spy h1 2026", market, None)[-1]
    draft, verification, _, registry, _, _ = _ask("which was more volatile", market, None, [first])
    both = pd.concat({s: csv_closes(market_data_dir / f"{s}.csv").loc["2026-01-02":"2026-06-30"] for s in ("QQQ", "SPY")},
                     axis=1)
    vols = both.pct_change().std() * (252 ** 0.5)
    top = vols.idxmax()
    lead = next(line for line in draft.markdown.splitlines() if line.startswith("**"))
    assert lead.startswith(f"**The {'Invesco QQQ' if top == 'QQQ' else 'SPDR'}") and "more volatile" in lead
    assert f"{vols[top] * 100:.2f}%" in lead
    _assert_grounded(verification, registry)


def test_what_prices_cannot_measure_is_said_and_the_sources_quoted(market: MarketData, kb: KnowledgeBase) -> None:
    draft, verification, toolbox, registry, _, _ = _ask("小盘股估值便宜吗?", market, kb)
    assert [c.name for c in toolbox.calls] == ["not_computable", "search_sources"]
    assert draft.markdown.startswith("**估值无法用现有数据计算**") and draft.doc.section("decline") is not None
    assert "估值" in draft.markdown.split("\n", 2)[2] and any(c > 0 for c in verification.cited)  # a source on it
    assert 0 not in verification.cited and not registry.market_json()  # no price figure in its place
    draft, *_ = _ask("what's the breadth of the russell like? % above 200dma", market, kb)
    assert draft.markdown.startswith("**Breadth cannot be computed") and "200-day average" not in draft.markdown


def test_a_lone_day_is_that_days_move_and_a_late_start_is_compared_over_common_days(
        market: MarketData, market_data_dir: Path) -> None:
    draft, verification, _, registry, _, _ = _ask("how did the s&p do on 2025-04-09", market, None)
    spx = csv_closes(market_data_dir / "SPX.csv")
    move = spx.loc["2025-04-09"] / spx.loc[:"2025-04-08"].iloc[-1] - 1
    assert f"**{move * 100:+.2f}%**" in draft.markdown  # from the close before, not +0.00%
    _assert_grounded(verification, registry)

    # NDX starts 2024-08-22: "since jan 2024" compares both from there, and says so
    draft, verification, toolbox, registry, _, _ = _ask("russell 2000 vs nasdaq 100 since jan 2024", market, None)
    first_ndx = csv_closes(market_data_dir / "NDX.csv").index[0].date().isoformat()
    rut = csv_closes(market_data_dir / "RUT.csv")
    ndx = csv_closes(market_data_dir / "NDX.csv")
    ret = {"RUT": rut.iloc[-1] / rut.loc[:first_ndx].iloc[-1] - 1, "NDX": ndx.iloc[-1] / ndx.loc[:first_ndx].iloc[-1] - 1}
    assert f"**{ret['RUT'] * 100:+.2f}%**" in draft.markdown and f"**{ret['NDX'] * 100:+.2f}%**" in draft.markdown
    assert f"both are measured from {first_ndx}" in draft.markdown and "QQQ" in draft.markdown
    assert toolbox.calls[-1].args["start"] == first_ndx
    _assert_grounded(verification, registry)


def test_extremes_seasons_years_and_yields(market: MarketData, market_data_dir: Path) -> None:
    """The biggest daily drop, the best month by calendar month, two years side by side and the
    link to yields, each against pandas on the CSVs."""
    ixic = csv_closes(market_data_dir / "IXIC.csv")
    daily = (ixic / ixic.shift(1) - 1).loc["2026-01-02":]
    draft, verification, _, registry, _, _ = _ask("biggest daily drop in the nasdaq this year", market, None)
    lead = next(line for line in draft.markdown.splitlines() if line.startswith("**"))
    assert f"{daily.min() * 100:+.2f}% on {daily.idxmin().date()}" in lead
    assert f"{daily.max() * 100:+.2f}% on {daily.idxmax().date()}" in lead
    _assert_grounded(verification, registry)

    rut = csv_closes(market_data_dir / "RUT.csv")
    monthly = rut.groupby(rut.index.to_period("M")).last()
    returns = (monthly / monthly.shift(1) - 1).iloc[1:-1]  # the first month has no base; the last is cut short
    by_month = returns.groupby(returns.index.month).mean()
    draft, verification, _, registry, _, _ = _ask("whats the best month for small caps historically", market, None)
    best = by_month.idxmax()
    names = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
    assert f"best month on average is {names[best - 1]}, averaging {by_month.max() * 100:+.2f}%" in draft.markdown
    assert len([line for line in draft.markdown.splitlines() if line.startswith("| ") and "%" in line]) == 12
    _assert_grounded(verification, registry)

    draft, verification, _, registry, _, _ = _ask("nasdaq 2025 vs 2024 which year was better", market, None)
    year_end = ixic.groupby(ixic.index.year).last()
    for year in (2024, 2025):
        assert f"| {year} | {(year_end[year] / year_end[year - 1] - 1) * 100:+.2f}% |" in draft.markdown
    _assert_grounded(verification, registry)

    draft, verification, _, registry, _, _ = _ask("how correlated are the s&p and the 10 year", market, None)
    frame = pd.concat({s: csv_closes(market_data_dir / f"{s}.csv") for s in ("SPX", "US10Y")}, axis=1,
                      join="inner").loc["2021-08-21":]
    weekly = frame.resample("W-SUN").last().dropna()
    corr = weekly["SPX"].pct_change().corr(weekly["US10Y"].diff())
    assert f"| {corr:.2f} |" in draft.markdown and "S&P 500" in draft.markdown.splitlines()[0]
    _assert_grounded(verification, registry)
