"""The reader: questions typed the way people type them, read into a Request (pure: no prices).

Expected instruments and windows are written by hand from the question and the conventions in
assistant/reading/windows.py (data through 2026-08-21, today 2026-12-04).
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.reading import Request, read_request

TODAY = date(2026, 12, 4)
DATA_END = date(2026, 8, 21)


def read(question: str, previous: Request | None = None, earlier: Request | None = None) -> Request:
    return read_request(question, previous, TODAY, data_end_of=lambda _symbols: DATA_END, earlier=earlier)


def chain(*questions: str) -> list[Request]:
    out: list[Request] = []
    for q in questions:
        out.append(read(q, out[-1] if out else None, out[-2] if len(out) > 1 else None))
    return out


@pytest.mark.parametrize(("question", "symbols", "start", "end", "base"), [
    ("how did iwm do in 2025?", ["IWM"], date(2025, 1, 1), date(2025, 12, 31), "prior_close"),
    ("chips vs the nasdaq ytd", ["SOX", "IXIC"], date(2026, 1, 1), DATA_END, "prior_close"),
    ("小盘股vs大盘股最近半年", ["RUT", "SPX"], date(2026, 2, 21), DATA_END, "on_or_before"),
    ("dow in h1 2025", ["DJI"], date(2025, 1, 1), date(2025, 6, 30), "prior_close"),
    ("标普500从2025-04-08到现在涨了多少", ["SPX"], date(2025, 4, 8), DATA_END, "on_or_before"),
    ("how's the market doing?", ["SPX"], date(2025, 8, 21), DATA_END, "on_or_before"),
])
def test_instruments_and_windows(question, symbols, start, end, base):
    request = read(question)
    assert request.symbols == symbols
    assert (request.window.start, request.window.end, request.window.base) == (start, end, base)


def test_a_comparison_wants_a_verdict_and_its_excess():
    request = read("小盘股vs大盘股最近半年")
    assert request.kinds[0] == "comparison" and "excess" in request.metrics


def test_a_level_check_is_read_as_of_the_latest_data_day():
    request = read("is the nasdaq above its 200 dma?")
    assert request.kinds[0] == "level_check" and request.symbols == ["IXIC"]
    assert (request.window.start, request.window.end, request.window.kind) == (DATA_END, DATA_END, "now")
    assert "ma200" in request.metrics


def test_a_level_series_is_never_asked_for_a_return():
    request = read("vix return this year")
    assert request.symbols == ["VIX"] and request.instruments[0].level
    assert "return" not in request.metrics and {"level", "change"} <= set(request.metrics)


def test_an_instrument_without_prices_is_kept_apart_not_replaced():
    request = read("tsla ytd")
    assert request.symbols == [] and [i.symbol for i in request.unserved] == ["TSLA"]


def test_followups_keep_what_the_question_does_not_change():
    first, vs, month, dd = chain("spx ytd", "vs the nasdaq 100?", "only the last month?", "and the drawdown?")
    assert vs.symbols == ["SPX", "NDX"] and vs.window.start == first.window.start  # paired, same window
    assert "comparison" in vs.kinds and "excess" in vs.metrics
    assert month.symbols == ["SPX", "NDX"] and (month.window.start, month.window.end) == (date(2026, 7, 21), DATA_END)
    assert dd.metrics == ("drawdown",) and dd.window.source == "previous" and "comparison" not in dd.kinds


def test_a_new_index_without_a_comparison_word_replaces_the_old_one():
    _, dow = chain("纳指100现在在200日均线上方吗", "道指呢?")
    assert dow.symbols == ["DJI"] and dow.window.kind == "now"


def test_a_bare_half_in_a_followup_keeps_the_conversations_year():
    _, h2 = chain("dow in h1 2025", "what about h2?")
    assert (h2.window.start, h2.window.end) == (date(2025, 7, 1), date(2025, 12, 31))


def test_both_windows_together():
    *_, both = chain("nasdaq 100 in may", "and june?", "both months together?")
    assert both.symbols == ["NDX"] and (both.window.start, both.window.end) == (date(2026, 5, 1), date(2026, 6, 30))
    assert both.window.base == "prior_close"


def test_a_declined_turn_still_sets_the_window():
    declined, ixic = chain("特斯拉今年表现如何", "那纳指呢?")
    assert declined.symbols == [] and ixic.symbols == ["IXIC"]
    assert (ixic.window.start, ixic.window.end) == (date(2026, 1, 1), DATA_END)


def test_an_event_anchor_is_left_for_the_prices_to_date():
    request = read("how has the russel done since the 2025 low")
    assert request.symbols == ["RUT"] and request.window.anchor is not None
    assert (request.window.anchor.kind, request.window.anchor.year) == ("low", 2025)
    assert "high_low" not in request.metrics  # "low" named the window, not a metric


@pytest.mark.parametrize(("question", "kind", "symbols", "check"), [
    ("how did the s&p do when the vix was above 30?", "regime", ["SPX"],
     lambda a: (a.series, a.rule, a.level) == ("VIX", "above", 30.0)),
    ("收益率上行时小盘股表现如何", "regime", ["RUT"], lambda a: (a.series, a.rule, a.level) == ("US10Y", "rising", None)),
    ("list the nasdaq drawdowns over 15% since 2020", "episodes", ["IXIC"], lambda a: a.threshold_pct == 15.0),
    ("罗素2000今年的月度收益", "calendar", ["RUT"], lambda a: a.frequency == "month"),
    ("spx yearly returns since 2020", "calendar", ["SPX"], lambda a: a.frequency == "year"),
    # "more than 20%" is a threshold, not a comparison with the conversation's index
    ("how many times did the nasdaq fall more than 20%?", "episodes", ["IXIC"], lambda a: a.threshold_pct == 20.0),
    ("纳指跌超过20%的有几次", "episodes", ["IXIC"], lambda a: a.threshold_pct == 20.0),
    ("罗素2000现在的波动率高吗?", "rolling", ["RUT", "SPX"], lambda a: a.about == "volatility"),
    ("rolling beta of small caps to the s&p?", "rolling", ["RUT", "SPX"], lambda a: a.about == "beta"),
])
def test_analysis_questions_are_read_with_their_parameters(question, kind, symbols, check):
    request = read(question)
    assert request.kinds[0] == kind and request.symbols == symbols and check(request.analysis)


@pytest.mark.parametrize(("question", "symbols", "start"), [
    ("are small caps more rate sensitive than large caps?", ["RUT", "SPX"], date(2021, 8, 21)),
    ("小盘股对利率更敏感吗?", ["RUT", "SPX"], date(2021, 8, 21)),  # "more" than large caps: the benchmark joins
    # no comparison asked: the index alone, not against a benchmark
    ("is the nasdaq sensitive to the 10-year yield since 2018?", ["IXIC"], date(2018, 1, 1)),
    ("how do small caps react to rising rates?", ["RUT"], date(2021, 8, 21)),
    ("how correlated are the s&p and the 10 year", ["SPX"], date(2021, 8, 21)),
])
def test_a_rate_sensitivity_question_is_its_own_kind(question, symbols, start):
    request = read(question)
    # the yield is what an index is measured against, never an instrument; five years by default
    assert request.kinds[0] == "rate_sensitivity" and request.symbols == symbols
    assert (request.window.start, request.window.end) == (start, DATA_END) and request.metrics == ()


def test_a_report_measures_rates_in_its_own_section():
    assert read("小盘股对利率更敏感吗?为什么").kinds == ("report",)


def test_an_analysis_followup_keeps_the_analysis():
    episodes, other_index, deeper = chain("纳指2020年以来跌超过15%的回撤有哪些", "那标普呢?", "20%以上的呢?")
    assert other_index.kinds[0] == "episodes" and other_index.symbols == ["SPX"]
    assert other_index.analysis == episodes.analysis and other_index.window.start == date(2020, 1, 1)
    assert deeper.analysis.threshold_pct == 20.0 and deeper.symbols == ["SPX"]
    in_2022 = chain("纳指2020年以来跌超过15%的回撤有哪些", "那2022年呢?")[1]
    assert in_2022.kinds[0] == "episodes" and in_2022.analysis.threshold_pct == 15.0  # a year is no threshold
    regime, nasdaq = chain("spx when vix above 30", "and nasdaq?")
    assert nasdaq.kinds == ("regime",) and nasdaq.symbols == ["IXIC"] and nasdaq.analysis == regime.analysis
    rates, dow = chain("is the nasdaq sensitive to the 10-year yield since 2018?", "and the dow?")
    assert dow.kinds[0] == "rate_sensitivity" and dow.symbols == ["DJI"] and dow.window.start == date(2018, 1, 1)
    # a named metric is a new question, not the analysis again
    assert chain("spx when vix above 30", "what was its drawdown this year?")[1].kinds[0] != "regime"


def test_an_analysis_followup_changes_only_what_it_restates():
    rising, falling = chain("how did the russell do when yields were rising?", "and when they were falling?")
    assert (falling.analysis.series, falling.analysis.rule) == ("US10Y", "falling") and falling.symbols == ["RUT"]
    above, below = chain("spx when vix above 30", "and below 20?")
    assert (below.analysis.series, below.analysis.rule, below.analysis.level) == ("VIX", "below", 20.0)
    monthly, quarterly = chain("纳指今年每个月涨跌", "按季度呢?")
    assert quarterly.kinds[0] == "calendar" and quarterly.analysis.frequency == "quarter"
    assert quarterly.window == monthly.window.model_copy(update={"source": "previous"})


@pytest.mark.parametrize(("question", "topic"), [
    ("what's the breadth of the russell like? % above 200dma", "breadth"),
    ("S&P 500 P/E ratio now?", "valuation"),
    ("小盘股估值便宜吗?", "valuation"),
    ("罗素2000的每股收益增速", "earnings"),
])
def test_what_prices_cannot_measure_is_its_own_kind(question, topic):
    request = read(question)
    assert request.kinds == ("not_computable",) and request.analysis.topic == topic and not request.measures


def test_a_report_is_asked_for_in_many_words():
    assert "report" in read("给我一份小盘股vs大盘股的完整研报,今年以来").kinds
    assert "report" in read("deep dive on small caps vs large caps").kinds
    assert read("小盘股估值便宜吗?为什么").kinds == ("report",)  # the report cites the sources on valuation


def test_every_suggested_analysis_followup_reads_back_as_an_analysis():
    """The follow-ups offered under an analysis answer are questions the reader understands: an
    analysis kind, the conversation's index, no benchmark carried into a one-index analysis, and
    no one-year default window binding a rate regression or a drawdown history."""
    from assistant.offline.analyst import followups
    from assistant.reading.request import ANALYSIS_KINDS

    for question in ("纳指2020年以来跌超过15%的回撤有哪些", "罗素2000现在的波动率高吗?", "小盘股对利率更敏感吗?",
                     "spx when vix above 30", "how did the russell do when yields were rising?",
                     "monthly returns of iwm in 2025"):
        first = read(question)
        offered = followups(first)
        assert len(offered) == 3, question
        for followup in offered:
            nxt = read(followup, first)
            assert nxt.kinds[0] in ANALYSIS_KINDS and nxt.instruments, (question, followup)
            if nxt.kinds[0] in ("episodes", "regime", "calendar"):
                assert len(nxt.instruments) == 1, (question, followup, nxt.symbols)
            if nxt.kinds[0] != first.kinds[0] and first.window.source == "default":
                assert nxt.window.source in ("default", "question"), (question, followup)
    vix_then_yields = chain("spx when vix above 30", "How did it do when yields were rising?")[1]
    assert (vix_then_yields.analysis.series, vix_then_yields.analysis.rule, vix_then_yields.analysis.level) == \
        ("US10Y", "rising", None)
    yields_then_vix = chain("how did the russell do when yields were rising?", "And when the VIX was above 30?")[1]
    assert yields_then_vix.symbols == ["RUT"] and yields_then_vix.analysis.series == "VIX"


@pytest.mark.parametrize(("question", "metrics"), [
    ("标普今年以来的年化波动率和夏普比率", ("volatility", "ann_vol", "sharpe")),
    ("sox sharpe ratio 2025", ("sharpe",)),
    ("rut/spx ratio this year", ("relative_strength",)),
])
def test_the_sharpe_ratio_is_not_the_price_ratio(question, metrics):
    assert read(question).metrics == metrics


@pytest.mark.parametrize(("question", "kind", "symbols", "start", "end", "check"), [
    ("whats the best month for small caps historically", "calendar", ["RUT"], None, DATA_END,
     lambda a: (a.frequency, a.about) == ("month", "extremes")),
    ("biggest daily drop in the nasdaq this year", "calendar", ["IXIC"], date(2026, 1, 1), DATA_END,
     lambda a: (a.frequency, a.about) == ("day", "extremes")),
    ("纳指今年单日最大跌幅是哪天", "calendar", ["IXIC"], date(2026, 1, 1), DATA_END, lambda a: a.frequency == "day"),
    ("nasdaq 2025 vs 2024 which year was better", "calendar", ["IXIC"], date(2024, 1, 1), date(2025, 12, 31),
     lambda a: (a.frequency, a.about) == ("year", "extremes")),
    ("标普2024年和2025年哪年涨得多", "calendar", ["SPX"], date(2024, 1, 1), date(2025, 12, 31),
     lambda a: a.frequency == "year"),
])
def test_extremes_seasons_and_years_against_each_other(question, kind, symbols, start, end, check):
    request = read(question)
    assert request.kinds[0] == kind and request.symbols == symbols and check(request.analysis)
    assert (request.window.start, request.window.end) == (start, end)


def test_a_year_range_is_one_window_and_two_instruments_over_it_a_comparison():
    request = read("rut vs spx from 2024 to 2025")
    assert request.kinds[0] == "comparison" and (request.window.start, request.window.end) == \
        (date(2024, 1, 1), date(2025, 12, 31))
    reference = read("2025年9月至2026年1月小盘股还是大盘股表现更好")  # "还是" between instruments, not years
    assert reference.kinds[0] == "comparison" and reference.window.start == date(2025, 9, 1)
