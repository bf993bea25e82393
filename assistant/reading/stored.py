"""Earlier turns as the reader sees them: the Request a stored turn was answered for.

A turn stored before Requests were recorded is read back from its market tool call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant.answer import Answer
from assistant.reading.request import Instrument, Request, Window, iso_day
from assistant.reading.tables import FOLLOWUP_AFTER_REPORT
from knowledge.market import CATALOGUE, RATE_UNIT, parse_period, resolve_symbol

LEVEL_SYMBOLS = frozenset({"VIX"})  # besides yields (unit == percent): quoted as levels


def is_level_symbol(symbol: str) -> bool:
    """A series read as a level (yields, the VIX): no returns, drawdowns or excess returns."""
    info = CATALOGUE.get(symbol)
    return symbol in LEVEL_SYMBOLS or (info is not None and info.unit == RATE_UNIT)


@dataclass
class PriorContext:
    """What the previous turn looked at."""

    symbols: list[str]
    start: date | None
    end: date | None


def _canonical(text: str) -> str | None:
    try:
        return resolve_symbol(text).symbol
    except Exception:  # an unknown alias from an old turn is simply not inherited
        return text.strip().upper() or None


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
        start, end = iso_day(call.args.get("start")), iso_day(call.args.get("end"))
        if call.args.get("period") and not (start or end):
            period = parse_period(str(call.args["period"]), today)
            if period:
                start, end = period.start, period.end
        # The report that answered the call knows the window it used, whatever the args said.
        for report in reversed(last.market):
            if report.get("symbols") and report["symbols"][: len(symbols)] == symbols:
                start = iso_day(report.get("start")) or start
                end = iso_day(report.get("end")) or end
                break
        if symbols:
            return PriorContext(symbols, start, end)
    return None


def catalogue_instrument(symbol: str, how: str, text: str = "") -> Instrument:
    """An Instrument for a catalogue symbol added by the reader (previous turn, default, benchmark)."""
    info = CATALOGUE.get(symbol)
    name = info.name if info else symbol
    name_zh = info.name_zh if info else ""
    return Instrument(symbol=symbol, name=name, name_zh=name_zh or name, how=how, text=text,  # type: ignore[arg-type]
                      level=is_level_symbol(symbol))


def previous_requests(history: Sequence[Answer], count: int = 2) -> list[Request]:
    """The Requests of the latest `count` turns that measured something, latest first."""
    out: list[Request] = []
    for turn in reversed(history):
        if len(out) == count:
            break
        if (found := previous_request([turn])) is not None:
            out.append(found)
    return out


def previous_request(history: Sequence[Answer]) -> Request | None:
    """The Request of the latest turn that measured something (small talk in between is passed over).

    A turn stored before Requests were recorded is read back from its market tool call.
    """
    for turn in reversed(history):
        if turn.request:
            try:
                request = Request.model_validate(turn.request)
            except ValueError:
                continue
            if request.measures or request.unserved:
                return request
        elif turn.tool_calls and (request := _from_tool_calls(turn)) is not None:
            return request
    return None


def _from_tool_calls(turn: Answer) -> Request | None:
    prior = prior_context([turn], turn_today(turn))
    if prior is None or not prior.symbols:
        return None
    instruments = tuple(catalogue_instrument(s, "previous") for s in prior.symbols)
    window = Window(start=prior.start, end=prior.end, source="question", kind="dates")
    return Request(question=turn.question, language=turn.language, kinds=("figures",), instruments=instruments,
                   window=window, metrics=FOLLOWUP_AFTER_REPORT)


def turn_today(turn: Answer) -> date:
    """The day a stored turn's relative period words are read against: its data's last day."""
    for report in reversed(turn.market):
        if report.get("end"):
            return date.fromisoformat(str(report["end"])[:10])
    return date.today()
