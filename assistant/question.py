"""Reading a question: language, symbols, window, topic, and whether it asks for a report.

Follow-ups ("只看最近一个月呢?", "and versus the Nasdaq-100?") inherit the symbols and window
of the previous turn from its recorded tool calls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from knowledge.market import CATALOGUE, find_symbols, parse_period, resolve_symbol
from knowledge.market.periods import shift_months

from .answer import Answer
from .cues import Asks, Unlisted, named_publishers, read_asks, unlisted_indexes
from .language import detect_language

DEFAULT_MONTHS = 5
DEFAULT_BENCHMARK = "SPX"

_REPORT_CUES = re.compile(
    r"能否|是否|能不能|会不会|为什么|为何|原因|分析|报告|展望|前景|怎么看|如何看待|持续|支撑|驱动|催化|"
    r"风险|值得|机会|基本面|研究|影响|"
    r"(?i:\bimpact|\beffects?\b|\baffect|\bwhy\b|\bcan\b|\bcould\b|\bwill\b|\bshould\b|outlook|analy[sz]|report|sustain|driver|catalyst|"
    r"\brisks?\b|prospect|thesis|explain|\bworth\b|fundamental)"
)
_FOLLOWUP_CUES = re.compile(
    r"^\s*(?:and|but|what about|how about|then|same|only|just|那|那么|如果|只看|换成|改成|再看|还有|对比)|"
    r"呢\s*[?？]?\s*$|(?i:\b(?:versus|vs\.?|compared (?:to|with)|instead)\b)|相比|相对于|比较|对比"
)
_SMALL = re.compile(r"(?i)small[\s-]?caps?|小盘")
_LARGE = re.compile(r"(?i)large[\s-]?caps?|大盘")


@dataclass
class PriorContext:
    """What the previous turn looked at."""

    symbols: list[str]
    start: date | None
    end: date | None


@dataclass
class Intent:
    """What the question asks, as the offline analyst will answer it."""

    question: str
    language: Literal["zh", "en"]
    symbols: list[str]
    start: date | None
    end: date | None
    window_source: Literal["question", "history", "default"]
    kind: Literal["report", "short"]
    topic: str
    followup: bool = False
    notes: list[str] = field(default_factory=list)
    proxies: list[tuple[str, str, str]] = field(default_factory=list)  # (words used, index name, symbol)
    asks: Asks = field(default_factory=Asks)
    publishers: list[str] = field(default_factory=list)  # publishers the question names
    unlisted: list[Unlisted] = field(default_factory=list)  # indexes the catalogue does not know

    @property
    def topic_names(self) -> str:
        """The display names of the symbols, for search queries."""
        return " ".join(CATALOGUE[s].name if s in CATALOGUE else s for s in self.symbols)


def _canonical(text: str) -> str | None:
    try:
        return resolve_symbol(text).symbol
    except Exception:  # an unknown alias from an old turn is simply not inherited
        return text.strip().upper() or None


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def last_tool_turn(history: Sequence[Answer]) -> Answer | None:
    """The latest turn that called a tool. Small talk in between (a thank-you, a greeting) is
    passed over: "and the Dow?" after "thanks" still refers to the turn before."""
    return next((turn for turn in reversed(history) if turn.tool_calls), None)


def prior_context(history: Sequence[Answer], today: date) -> PriorContext | None:
    """Symbols and window of the last successful market_metrics call of the last tool-using turn."""
    last = last_tool_turn(history)
    if last is None:
        return None
    for call in reversed(last.tool_calls):
        if call.name != "market_metrics" or not call.ok:
            continue
        raw = call.args.get("symbols") or []
        symbols = [s for s in (_canonical(x) for x in ([raw] if isinstance(raw, str) else raw)) if s]
        start, end = _as_date(call.args.get("start")), _as_date(call.args.get("end"))
        if call.args.get("period") and not (start or end):
            period = parse_period(str(call.args["period"]), today)
            if period:
                start, end = period.start, period.end
        # The report that answered the call knows the window it used, whatever the args said.
        for report in reversed(last.market):
            if report.get("symbols") and report["symbols"][: len(symbols)] == symbols:
                start = _as_date(report.get("start")) or start
                end = _as_date(report.get("end")) or end
                break
        if symbols:
            return PriorContext(symbols, start, end)
    return None


def _symbols(question: str, prior: PriorContext | None, followup: bool, asks: Asks,
             unlisted: bool) -> tuple[list[str], list[str]]:
    found = [r.symbol for r in find_symbols(question)]
    notes: list[str] = []
    if not found and asks.measures_nothing:
        return [], notes  # even mid-conversation: nothing to measure
    if _SMALL.search(question) and "RUT" not in found:
        found.insert(0, "RUT")
    if _LARGE.search(question) and "SPX" not in found:
        found.append("SPX")
    if unlisted and not found:
        return [], notes  # never stand in other indexes for one without data
    if prior and followup:
        if not found:
            return list(prior.symbols), notes
        if asks.window_ref and not asks.versus:
            return found, notes  # "X over that window": the window is inherited, the subject is X
        if len(found) == 1 and found[0] != prior.symbols[0]:
            return [prior.symbols[0], found[0]], notes
        return found, notes
    if not found and prior:
        return list(prior.symbols), notes
    if not found and (asks.guarantee or asks.knowledge):
        return [], notes  # nothing to measure: no stand-in indexes
    if not found:
        notes.append("default_symbols")
        return ["RUT", DEFAULT_BENCHMARK], notes
    return found, notes


def is_report_question(question: str) -> bool:
    """True when the question asks why/whether/outlook, i.e. calls for a full report."""
    return bool(_REPORT_CUES.search(question))


def read_question(question: str, history: Sequence[Answer], today: date,
                  last_trading_day: date | None = None) -> Intent:
    """Everything the offline analyst needs to know about `question`.

    Relative windows ("last 3 months") are anchored at the earlier of `today` and the last
    trading day, or, in a follow-up, at the end of the previous window.
    """
    language = detect_language(question)
    prior = prior_context(history, today)
    asks = read_asks(question)
    unlisted = unlisted_indexes(question)
    followup = prior is not None and (bool(_FOLLOWUP_CUES.search(question)) or asks.window_ref
                                      or not (find_symbols(question) or unlisted))
    symbols, notes = _symbols(question, prior, followup, asks, bool(unlisted))
    anchor = min(today, last_trading_day) if last_trading_day else today
    if followup and prior and prior.end:
        anchor = prior.end
    period = parse_period(question, anchor)
    source: Literal["question", "history", "default"] = "question"
    if period is not None and (period.start or period.end):
        start, end = period.start, period.end
    elif followup and prior and (prior.start or prior.end):
        start, end, source = prior.start, prior.end, "history"
    else:
        end = last_trading_day
        start = shift_months(end, -DEFAULT_MONTHS) if end else None
        source = "default"
    names = " ".join(CATALOGUE[s].name if s in CATALOGUE else s for s in symbols)
    publishers = named_publishers(question)
    proxies = [(r.query, r.name, r.symbol) for r in find_symbols(question)
               if r.query.upper() != r.symbol and r.query.lower() != r.name.lower()]
    return Intent(
        question=question, language=language, symbols=symbols, start=start, end=end,
        window_source=source, kind="report" if is_report_question(question) else "short",
        # The publisher's stored name finds its passages when the question calls it "路透社".
        topic=" ".join([question, names, *publishers]).strip(), followup=followup, notes=notes,
        proxies=proxies, asks=asks, publishers=publishers, unlisted=unlisted,
    )
