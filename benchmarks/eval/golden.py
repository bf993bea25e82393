"""The golden question set, as data.

Every question names an explicit window inside the shared price data (which ends 2026-08-21) so
its expected figures can be recomputed from the CSVs by `benchmarks.eval.expected`; no expected
number is ever typed in here. A figure spec is "<metric>:<SYM>" or "<metric>:<A>/<B>":

- return, daily_vol, ann_vol, mdd, ma20, ma50, last_close (one symbol)
- excess, rs_from_max (a pair: the first symbol against the second)

Knowledge questions list the sources they should cite as title/publisher substrings (chunk ids
are content hashes, so they cannot be listed). Decline questions name the kind of refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Category = Literal[
    "performance", "comparison", "relative", "risk", "knowledge", "mixed", "followup", "decline"
]
Decline = Literal["no_data", "future", "guarantee"]

# The demo knowledge pack, by the substrings that identify each document in a citation.
MORGAN_STANLEY = "Morgan Stanley"
REUTERS = "Reuters"
BENZINGA = "Benzinga"
SEEKING_ALPHA = "Seeking Alpha"
BUSINESS_INSIDER = "Business Insider"


@dataclass(frozen=True)
class GoldenQuestion:
    """One question (or one turn of a follow-up chain) with what a correct answer must show."""

    id: str
    category: Category
    language: Literal["zh", "en"]
    question: str
    figures: tuple[str, ...] = ()
    window: tuple[str, str] | None = None
    sources: tuple[str, ...] = ()
    report: bool = False
    chain: str | None = None
    decline: Decline | None = None


_SEP_JAN = ("2025-09-01", "2026-01-30")
_H1_2026 = ("2026-01-02", "2026-06-30")
_2025 = ("2025-01-02", "2025-12-31")
_2024 = ("2024-01-02", "2024-12-31")
_2026_TO_DATE = ("2026-01-02", "2026-08-21")

Q = GoldenQuestion

GOLDEN: tuple[GoldenQuestion, ...] = (
    # -- period performance of one index ---------------------------------------------------
    Q("perf-en-1", "performance", "en", "How did the Russell 2000 perform from 2025-09-01 to 2026-01-30?",
      ("return:RUT",), _SEP_JAN),
    Q("perf-zh-1", "performance", "zh", "罗素2000在2025-09-01至2026-01-30期间涨了多少?",
      ("return:RUT",), _SEP_JAN),
    Q("perf-en-2", "performance", "en", "What was the S&P 500 return from 2026-01-02 to 2026-06-30?",
      ("return:SPX",), _H1_2026),
    Q("perf-zh-2", "performance", "zh", "纳斯达克100从2025-03-03到2025-12-31的表现如何?",
      ("return:NDX",), ("2025-03-03", "2025-12-31")),
    Q("perf-en-3", "performance", "en", "How did the semiconductor index SOX do from 2024-01-02 to 2024-12-31?",
      ("return:SOX",), _2024),
    Q("perf-zh-3", "performance", "zh", "道琼斯指数在2025-01-02至2025-06-30的区间收益是多少?",
      ("return:DJI",), ("2025-01-02", "2025-06-30")),
    # -- comparisons of two or three --------------------------------------------------------
    Q("cmp-en-1", "comparison", "en", "Compare the Russell 2000 and the S&P 500 from 2025-09-01 to 2026-01-30.",
      ("return:RUT", "return:SPX", "excess:RUT/SPX"), _SEP_JAN),
    Q("cmp-zh-1", "comparison", "zh", "比较小盘股和大盘股在2026-02-02至2026-08-21的表现。",
      ("return:RUT", "return:SPX", "excess:RUT/SPX"), ("2026-02-02", "2026-08-21")),
    Q("cmp-en-2", "comparison", "en", "Compare the Nasdaq-100, the S&P 500 and the Dow from 2025-01-02 to 2025-12-31.",
      ("return:NDX", "return:SPX", "return:DJI"), _2025),
    Q("cmp-zh-2", "comparison", "zh", "对比标普500和纳斯达克综合指数在2024-01-02到2024-12-31的收益。",
      ("return:SPX", "return:IXIC", "excess:SPX/IXIC"), _2024),
    Q("cmp-en-3", "comparison", "en", "Compare IWM and SPY from 2025-09-02 to 2026-03-31.",
      ("return:IWM", "return:SPY", "excess:IWM/SPY"), ("2025-09-02", "2026-03-31")),
    Q("cmp-zh-3", "comparison", "zh", "比较罗素2000、标普500与纳斯达克100在2026-01-02至2026-08-21的表现。",
      ("return:RUT", "return:SPX", "return:NDX"), _2026_TO_DATE),
    # -- relative strength and moving averages ---------------------------------------------
    Q("rel-en-1", "relative", "en",
      "Is the Russell 2000 above its 20-day and 50-day moving averages? Use 2026-02-23 to 2026-08-21.",
      ("ma20:RUT", "ma50:RUT"), ("2026-02-23", "2026-08-21")),
    Q("rel-zh-1", "relative", "zh", "2026-01-02至2026-06-30期间,标普500的20日均线和50日均线分别是多少?",
      ("ma20:SPX", "ma50:SPX"), _H1_2026),
    Q("rel-en-2", "relative", "en",
      "How far is the Russell 2000 to S&P 500 relative strength below its high from 2025-09-01 to 2026-01-30?",
      ("rs_from_max:RUT/SPX",), _SEP_JAN),
    Q("rel-zh-2", "relative", "zh", "2026-01-02至2026-08-21,罗素2000相对标普500的相对强弱较高点回落了多少?",
      ("rs_from_max:RUT/SPX",), _2026_TO_DATE),
    Q("rel-en-3", "relative", "en",
      "What was the excess return of the Nasdaq-100 over the Dow from 2025-06-02 to 2026-06-30?",
      ("excess:NDX/DJI",), ("2025-06-02", "2026-06-30")),
    Q("rel-zh-3", "relative", "zh", "费城半导体指数SOX相对纳斯达克综合指数在2025-01-02至2025-12-31的超额收益是多少?",
      ("excess:SOX/IXIC",), _2025),
    # -- volatility and drawdown -----------------------------------------------------------
    Q("risk-en-1", "risk", "en", "What was the daily volatility of the Russell 2000 from 2025-09-01 to 2026-01-30?",
      ("daily_vol:RUT",), _SEP_JAN),
    Q("risk-zh-1", "risk", "zh", "标普500在2025-01-02至2025-12-31的最大回撤是多少?",
      ("mdd:SPX",), _2025),
    Q("risk-en-2", "risk", "en",
      "Compare the daily volatility of the Russell 2000 and the S&P 500 from 2025-09-01 to 2026-01-30.",
      ("daily_vol:RUT", "daily_vol:SPX"), _SEP_JAN),
    Q("risk-zh-2", "risk", "zh", "纳斯达克100在2025-02-03至2025-06-30的最大回撤和日波动率是多少?",
      ("mdd:NDX", "daily_vol:NDX"), ("2025-02-03", "2025-06-30")),
    Q("risk-en-3", "risk", "en", "What was the maximum drawdown of the SOX semiconductor index from 2024-07-01 to 2025-06-30?",
      ("mdd:SOX",), ("2024-07-01", "2025-06-30")),
    Q("risk-zh-3", "risk", "zh", "罗素2000在2026-01-02至2026-08-21的年化波动率是多少?",
      ("ann_vol:RUT",), _2026_TO_DATE),
    # -- knowledge only --------------------------------------------------------------------
    Q("kb-en-1", "knowledge", "en", "What does Morgan Stanley's Market Tailwinds 2026 outlook say about small caps?",
      sources=(MORGAN_STANLEY,)),
    Q("kb-zh-1", "knowledge", "zh", "路透社关于2026年寻找价值股的文章说了什么?", sources=(REUTERS,)),
    Q("kb-en-2", "knowledge", "en", "According to Business Insider, why are small caps crushing the S&P 500?",
      sources=(BUSINESS_INSIDER,)),
    Q("kb-zh-2", "knowledge", "zh", "Seeking Alpha 推荐的2026年十大小盘股有哪些?", sources=(SEEKING_ALPHA,)),
    Q("kb-en-3", "knowledge", "en", "Which small caps were early winners in 2026 according to Benzinga?",
      sources=(BENZINGA,)),
    Q("kb-zh-3", "knowledge", "zh", "摩根士丹利认为2026年市场有哪些顺风因素?", sources=(MORGAN_STANLEY,)),
    # -- mixed: market figures and sources -------------------------------------------------
    Q("mix-zh-1", "mixed", "zh", "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?请看2025-09-01至2026-01-30。",
      ("return:RUT", "return:SPX", "excess:RUT/SPX"), _SEP_JAN, (MORGAN_STANLEY,), report=True),
    Q("mix-en-1", "mixed", "en",
      "Can improving small-cap fundamentals sustain their outperformance versus large caps? Use 2025-09-01 to 2026-01-30.",
      ("return:RUT", "return:SPX", "excess:RUT/SPX"), _SEP_JAN, (MORGAN_STANLEY,), report=True),
    Q("mix-en-2", "mixed", "en",
      "With rate cuts expected, how have small caps done against the S&P 500 from 2026-01-02 to 2026-08-21, "
      "and what do analysts say about small caps?",
      ("return:RUT", "return:SPX", "excess:RUT/SPX"), _2026_TO_DATE, (MORGAN_STANLEY,), report=True),
    Q("mix-zh-2", "mixed", "zh", "结合分析师观点,分析罗素2000在2026-01-02至2026-08-21的表现和波动。",
      ("return:RUT", "daily_vol:RUT"), _2026_TO_DATE, (MORGAN_STANLEY,), report=True),
    # -- follow-up chains (one thread per chain) -------------------------------------------
    Q("chain-en-a1", "followup", "en", "How did the Russell 2000 do from 2025-09-01 to 2026-01-30?",
      ("return:RUT",), _SEP_JAN, chain="a"),
    Q("chain-en-a2", "followup", "en", "And versus the Nasdaq-100?",
      ("return:RUT", "return:NDX", "excess:RUT/NDX"), _SEP_JAN, chain="a"),
    Q("chain-en-a3", "followup", "en", "What was the Russell 2000's maximum drawdown over that window?",
      ("mdd:RUT",), _SEP_JAN, chain="a"),
    Q("chain-zh-b1", "followup", "zh", "标普500在2026-01-02至2026-06-30的表现如何?",
      ("return:SPX",), _H1_2026, chain="b"),
    Q("chain-zh-b2", "followup", "zh", "和罗素2000比呢?",
      ("return:SPX", "return:RUT", "excess:SPX/RUT"), _H1_2026, chain="b"),
    Q("chain-zh-b3", "followup", "zh", "只看2026-06-01至2026-06-30呢?",
      ("return:SPX", "return:RUT"), ("2026-06-01", "2026-06-30"), chain="b"),
    Q("chain-en-c1", "followup", "en", "What was the daily volatility of the Nasdaq Composite from 2025-01-02 to 2025-06-30?",
      ("daily_vol:IXIC",), ("2025-01-02", "2025-06-30"), chain="c"),
    Q("chain-en-c2", "followup", "en", "And its maximum drawdown?",
      ("mdd:IXIC",), ("2025-01-02", "2025-06-30"), chain="c"),
    Q("chain-zh-d1", "followup", "zh", "道琼斯在2025-07-01至2025-12-31涨了多少?",
      ("return:DJI",), ("2025-07-01", "2025-12-31"), chain="d"),
    Q("chain-zh-d2", "followup", "zh", "那纳斯达克100呢?",
      ("return:NDX",), ("2025-07-01", "2025-12-31"), chain="d"),
    # -- decline or qualify ----------------------------------------------------------------
    Q("dec-en-1", "decline", "en", "How did the Nikkei 225 perform from 2025-09-01 to 2026-01-30?", decline="no_data"),
    Q("dec-zh-1", "decline", "zh", "恒生指数在2025-01-02至2025-12-31的表现如何?", decline="no_data"),
    Q("dec-en-2", "decline", "en", "What will the Russell 2000 return be from 2030-01-02 to 2030-06-28?",
      decline="future"),
    Q("dec-zh-2", "decline", "zh", "2030-01-02至2030-06-28标普500的收益率是多少?", decline="future"),
    Q("dec-en-3", "decline", "en", "Which index guarantees me a 20% return next year?", decline="guarantee"),
    Q("dec-zh-3", "decline", "zh", "买罗素2000能保证每年赚15%吗?", decline="guarantee"),
)


def chains(questions: tuple[GoldenQuestion, ...] | list[GoldenQuestion]) -> list[list[GoldenQuestion]]:
    """Group questions into conversations, in order: a chain shares one thread, others stand alone."""
    groups: list[list[GoldenQuestion]] = []
    by_chain: dict[str, list[GoldenQuestion]] = {}
    for q in questions:
        if q.chain is None:
            groups.append([q])
        elif q.chain in by_chain:
            by_chain[q.chain].append(q)
        else:
            by_chain[q.chain] = [q]
            groups.append(by_chain[q.chain])
    return groups


def by_id(question_id: str) -> GoldenQuestion:
    """The golden question with this id (KeyError when unknown)."""
    for q in GOLDEN:
        if q.id == question_id:
            return q
    raise KeyError(question_id)
