"""The realistic-questions evaluation: the set has the shape the issue asks for, its expected
figures match an independent computation, and the judge classes deliberately wrong answers as
what they are (a wrong window is a silent substitution, a stated proxy is not silent, a decline
is honest only when the question needed one). A small slice also runs through the real service."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import Answer
from benchmarks.eval.realistic.expected import figures_for, resolve_window
from benchmarks.eval.realistic.judge import judge
from benchmarks.eval.realistic.questions import CATALOGUE, load, turns
from benchmarks.eval.realistic.run import (
    TODAY,
    ask_chains,
    build_service,
    golden_as_chains,
    intent_of,
)
from tests.conftest import read_closes

CHAINS = load()
TURNS = {t.id: t for t in turns(CHAINS)}


def test_the_set_has_the_shape_the_issue_asks_for():
    all_turns = list(TURNS.values())
    langs = Counter(t.language for t in all_turns)
    assert len(all_turns) >= 150
    assert langs["zh"] >= 0.45 * len(all_turns) and langs["en"] >= 0.45 * len(all_turns), langs
    assert sum(1 for c in CHAINS if len(c.turns) >= 2) >= 20
    assert sum(1 for t in all_turns if t.decline) >= 15
    assert all(set(t.instruments) <= set(CATALOGUE) for t in all_turns)
    assert len({t.question for t in all_turns}) >= len(all_turns) - 10  # follow-ups may repeat ("那回撤呢?")


def test_every_answerable_turn_has_expected_figures(market_data_dir: Path):
    for t in TURNS.values():
        if not t.decline:
            assert figures_for(t.instruments, t.window, t.metrics, market_data_dir), t.id


def _close(closes: dict[date, float], day: date) -> float:
    return closes[max(d for d in closes if d <= day)]


def test_calendar_and_relative_windows_follow_the_conventions(market_data_dir: Path):
    spx = read_closes(market_data_dir / "SPX.csv")
    rut = read_closes(market_data_dir / "RUT.csv")
    last = max(spx)
    # A year: from the close of the last trading day before it (2024-12-31).
    (fig,) = figures_for(("SPX",), "2025", ("return",), market_data_dir)
    before = max(d for d in spx if d < date(2025, 1, 1))
    assert fig.value == pytest.approx((spx[date(2025, 12, 31)] / spx[before] - 1) * 100, abs=1e-9)
    # YTD: same rule, to the data's last day.
    (fig,) = figures_for(("RUT",), "ytd", ("return",), market_data_dir)
    before = max(d for d in rut if d < date(last.year, 1, 1))
    assert fig.value == pytest.approx((rut[last] / rut[before] - 1) * 100, abs=1e-9)
    # Last 3 months: counted back from the data's last day, base on that day or the one before.
    start = date(last.year, last.month - 3, last.day)
    (fig,) = figures_for(("SPX",), "last:3M", ("return",), market_data_dir)
    assert fig.value == pytest.approx((spx[last] / _close(spx, start) - 1) * 100, abs=1e-9)
    # Since the 2025 low: from the lowest 2025 close.
    low_day = min((d for d in rut if d.year == 2025), key=lambda d: rut[d])
    w = resolve_window("since_low:2025", "RUT", market_data_dir)
    assert w.base.date() == low_day and w.last.date() == last


# -- the judge on hand-made answers ------------------------------------------------------------

def _report(symbol: str, first: str, last: str) -> dict[str, Any]:
    return {"symbols": [symbol], "start": first, "end": last,
            "series": {symbol: {"symbol": symbol, "first_date": first, "last_date": last}}}


def _answer(text: str, reports: list[dict[str, Any]], **extra: Any) -> Answer:
    return Answer(question="q", mode="offline", language="en", answer=text, market=reports, **extra)


def _judge(turn_id: str, answer: Any, data_dir: Path):
    turn = TURNS[turn_id]
    windows, figures = intent_of(turn, data_dir)
    return judge(turn, windows, figures, answer)


@pytest.fixture(scope="module")
def spx_2025(market_data_dir: Path) -> tuple[float, float]:
    """SPX's 2025 return from the 2024-12-31 close, and from the first close of 2025 (percent)."""
    spx = read_closes(market_data_dir / "SPX.csv")
    end = spx[date(2025, 12, 31)]
    first_inside = spx[min(d for d in spx if d.year == 2025)]
    return (end / spx[date(2024, 12, 31)] - 1) * 100, (end / first_inside - 1) * 100


def test_the_right_instrument_window_and_figure_is_understood(market_data_dir, spx_2025):
    text = f"S&P 500 (SPX): **{spx_2025[0]:+.2f}%** in 2025, from the 2024-12-31 close [0]."
    v = _judge("en46", _answer(text, [_report("SPX", "2024-12-31", "2025-12-31")]), market_data_dir)
    assert v.verdict == "understood", v.kinds


def test_a_wrong_window_said_nowhere_is_a_silent_substitution(market_data_dir):
    spx = read_closes(market_data_dir / "SPX.csv")
    other = (spx[date(2026, 8, 21)] / spx[date(2026, 3, 23)] - 1) * 100
    text = f"S&P 500 (SPX): **{other:+.2f}%** from 2026-03-23 to 2026-08-21 [0]."
    v = _judge("en46", _answer(text, [_report("SPX", "2026-03-23", "2026-08-21")]), market_data_dir)
    assert v.verdict == "silent_substitution"
    assert "window_wrong:year" in v.kinds
    # The same figures with the substitution said: a failure, but not a silent one.
    said = _answer("No year was read from the question; I assumed the last five months.\n" + text,
                   [_report("SPX", "2026-03-23", "2026-08-21")])
    assert _judge("en46", said, market_data_dir).verdict == "other_failure"


def test_a_return_from_the_first_close_inside_the_year_is_a_base_failure(market_data_dir, spx_2025):
    text = f"S&P 500 (SPX): **{spx_2025[1]:+.2f}%** from 2025-01-02 to 2025-12-31 [0]."
    v = _judge("en46", _answer(text, [_report("SPX", "2025-01-02", "2025-12-31")]), market_data_dir)
    assert v.verdict == "other_failure" and v.kinds == ["return_base"]


def test_another_instrument_is_a_substitution_unless_the_answer_says_so(market_data_dir):
    rut = read_closes(market_data_dir / "RUT.csv")
    r = (rut[date(2025, 12, 31)] / rut[date(2024, 12, 31)] - 1) * 100
    body = f"Russell 2000 (RUT): **{r:+.2f}%** in 2025 [0]."
    reports = [_report("RUT", "2024-12-31", "2025-12-31")]
    v = _judge("en01", _answer(body, reports), market_data_dir)  # "how did iwm do in 2025?"
    assert v.verdict == "silent_substitution" and "instrument_substituted:lower-case-ticker" in v.kinds
    stated = _answer("_Proxies: iwm → Russell 2000 (RUT)._\n\n" + body, reports)
    assert _judge("en01", stated, market_data_dir).verdict == "other_failure"


def test_declines_are_honest_only_where_they_were_needed(market_data_dir, spx_2025):
    refusal = _answer("There is no price data for TSLA; the data covers US indexes and three ETFs.", [])
    assert _judge("en33", refusal, market_data_dir).verdict == "honest_decline"  # "tsla ytd"
    replaced = _answer("Russell 2000 (RUT): **+21.59%** this year [0].", [_report("RUT", "2025-12-31", "2026-08-21")])
    assert _judge("en33", replaced, market_data_dir).verdict == "silent_substitution"
    wrong = _answer("There is no price data for the S&P 500 in 2025.", [])
    assert _judge("en46", wrong, market_data_dir).verdict == "wrong_decline"


def test_a_defaulted_window_must_be_said(market_data_dir):
    rut = read_closes(market_data_dir / "RUT.csv")
    last = max(rut)
    base = _close(rut, date(last.year - 1, last.month, last.day))
    text = f"Russell 2000 (RUT): **{(rut[last] / base - 1) * 100:+.2f}%** over the last 12 months [0]."
    reports = [_report("RUT", str(date(last.year - 1, last.month, last.day)), str(last))]
    v = _judge("en24", _answer(text, reports), market_data_dir)  # "how are small caps doing"
    assert v.verdict == "other_failure" and v.kinds == ["default_window_unstated"]
    said = _answer("No period was given, so I assumed the last 12 months.\n" + text, reports)
    assert _judge("en24", said, market_data_dir).verdict == "understood"


def test_an_answer_type_with_more_fields_and_a_coverage_claim_is_read_not_trusted(market_data_dir):
    class AnswerWithCoverage(Answer):
        coverage: dict[str, Any] | None = None
        something_new: int = 0

    claim = {"asked": ["SPX 2025 return"], "answered": ["SPX 2025 return"], "assumed": [], "declined": []}
    text = "S&P 500 (SPX): **+20.00%** from 2026-03-23 to 2026-08-21 [0]."  # the wrong window
    answer = AnswerWithCoverage(question="q", mode="offline", language="en", answer=text,
                                market=[_report("SPX", "2026-03-23", "2026-08-21")], coverage=claim, something_new=3)
    v = _judge("en46", answer, market_data_dir)
    assert v.verdict == "silent_substitution"  # the claim did not sway the judge
    assert v.coverage == claim and v.coverage_agrees is False


def test_the_golden_set_reads_as_turns():
    golden = [t for c in golden_as_chains() for t in c.turns]
    assert len(golden) >= 40 and all(t.metrics or t.decline for t in golden)
    assert {t.decline for t in golden if t.decline} == {"no_data", "after_end", "guarantee"}


# -- a slice through the real service ----------------------------------------------------------

SLICE = ("en46", "en23", "zh07", "zh03", "enc01", "zhc10", "en33")  # 10 turns, 2 follow-up chains


@pytest.mark.slow
def test_a_slice_runs_through_the_service_and_a_shifted_window_is_never_understood(
        market_data_dir: Path, warm_home: Path, monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    chains = [c for c in CHAINS if c.id in SLICE]
    service = build_service(warm_home, market_data_dir, TODAY)
    answers: dict[str, Any] = {}
    order = iter(t for c in chains for t in c.turns)

    def ask(question: str, thread_id: str | None) -> Any:
        answer = service.ask(question, thread_id=thread_id, owner="eval")
        answers[next(order).id] = answer
        return answer

    verdicts = ask_chains(ask, chains, market_data_dir)
    assert len(verdicts) == 10 and all(v.error is None for v in verdicts), [v.error for v in verdicts]
    # Each real answer, with its reports moved to another window, must not pass.
    for v in verdicts:
        turn = TURNS[v.id]
        if turn.decline or not answers[v.id].market:
            continue
        moved = copy.deepcopy(answers[v.id])
        for report in moved.market:
            for series in (report.get("series") or {}).values():
                series["first_date"], series["last_date"] = "2019-01-02", "2019-06-28"
        again = _judge(v.id, moved, market_data_dir)
        assert again.verdict != "understood", v.id
        if not (again.stated_assumption or again.stated_decline):
            assert again.verdict == "silent_substitution", (v.id, again.kinds)


# -- the analysis questions (benchmarks/eval/realistic/analyses.py) ------------------------------


def test_the_analysis_set_and_its_judge(market_data_dir: Path, warm_home: Path, monkeypatch):
    """Every analysis kind in both languages, with follow-ups; the judge calls an answer with the
    window's figures instead of the analysis a substitution, and the analyst's own answers of one
    chain per kind are computed (their figures match pandas) or honestly declined."""
    from benchmarks.eval.realistic import analyses

    chains = analyses.load()
    turns_ = [t for c in chains for t in c]
    assert {t.intent["analysis"] for t in turns_} == set(analyses.TOOLS)
    assert Counter(t.language for t in turns_)["zh"] >= 10 and sum(len(c) > 1 for c in chains) >= 5
    # follow-ups keep what they do not restate
    an04 = next(c for c in chains if c[0].id == "an04.1")
    assert [t.intent["symbol"] for t in an04] == ["IXIC", "SPX", "SPX"] and an04[2].intent["threshold"] == 20

    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    service = build_service(warm_home, market_data_dir, TODAY)
    picked = [c for c in chains if c[0].id.split(".")[0] in ("an02", "an07", "an09", "an12", "an17")]
    verdicts = analyses.ask_all(lambda q, t: service.ask(q, thread_id=t, owner="eval"), picked, market_data_dir)
    assert {v.id: v.verdict for v in verdicts} == {
        "an02.1": "computed", "an02.2": "computed", "an07.1": "computed", "an07.2": "computed", "an07.3": "computed",
        "an09": "computed", "an12.1": "computed", "an12.2": "computed", "an17": "honest_decline"}

    # the same question answered with the window's figures: a substitution, never computed
    metrics_only = service.ask("how did the s&p do over the last year?", owner="eval")
    wrong = analyses.judge(picked[1][0], metrics_only, market_data_dir)
    assert wrong.verdict == "substituted" and wrong.missing
