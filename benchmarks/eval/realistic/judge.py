"""Judging one answered turn from what it measured, not from what it says it did.

Reads the market reports the answer carries (`Answer.market`: symbols, first and last day per
series; the `market_metrics` tool calls when there are none), the figures in its text, and
whether it states a decline or an assumption. Pure: intent, expected figures and answer in,
a `TurnVerdict` out. Tolerant of the Answer type gaining fields (reads attributes by name).

Classes:
- understood: instruments, window and asked metrics all right (and a defaulted window said)
- silent_substitution: measured other instruments, another window or other figures than asked,
  and the text neither declines nor states an assumption
- honest_decline: declined in the text where it had to
- wrong_decline: declined (or said "no data") where the data answers the question
- other_failure: anything else (a stated substitution, an unstated default window, a return on
  another base than the convention's, an error, nothing measured)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from benchmarks.eval import textscan
from benchmarks.eval.realistic.expected import Figure, Window
from benchmarks.eval.realistic.questions import LEVEL_SYMBOLS, Turn

CLASSES = ("understood", "silent_substitution", "honest_decline", "wrong_decline", "other_failure")

# What a decline says, by kind (regular expressions, case-blind). Kept specific: a disclaimer
# ("not a forecast", "不构成投资建议") must not pass for a refusal.
_NO_DATA = (
    r"no (price |market )?data", r"not available", r"(don't|do not|doesn't|does not) (have|cover)",
    r"not (in|part of) (the|our|my) (catalogue|catalog|data)", r"unknown (symbol|index|ticker|instrument)",
    r"not (recognised|recognized|supported|covered)", r"(couldn't|could not|cannot|can't|unable to) (find|resolve)",
    r"(没有|无|暂无|缺少|缺乏|不含|不包含).{0,12}(数据|行情|价格)", r"无法识别|未找到|找不到|不支持|不认识|未知|未收录|不在.{0,6}(范围|目录)",
)
_DATA_RANGE = (
    r"data (starts|begins|only starts|only begins|ends|runs|only goes|stops|covers)",
    r"(before|after) (the|our) data", r"(starts|begins|ends) on \d{4}", r"data through",
    r"(数据|行情).{0,10}(始于|从.{0,14}开始|起始|截至|截止|结束|只到|仅到)", r"(早于|晚于|超出).{0,10}(数据|范围)",
)
DECLINE_PATTERNS: dict[str, tuple[str, ...]] = {
    "no_data": _NO_DATA + (r"proxy", r"代理|替代|代替",),
    "before_start": _NO_DATA + _DATA_RANGE,
    "after_end": _NO_DATA + _DATA_RANGE + (r"in the future|future date|(hasn't|has not) happened", r"尚未(发生|到来)|还没(有)?到"),
    "forecast": _DATA_RANGE + (
        r"(cannot|can't|can not|unable to|won't|will not|do not|don't) (predict|forecast|know|say)",
        r"cannot be (known|predicted|forecast)", r"in the future|future date|(hasn't|has not) happened",
        r"尚未(发生|到来)|还没(有)?到|无法提前知道|不可预知",
        r"no one (can|knows)", r"not able to (predict|forecast)", r"(doesn't|does not) (predict|forecast)",
        r"无法预测|不能预测|无法预知|不做预测|不提供预测|不能预知|无法判断未来|没人能",
    ),
    "guarantee": (
        r"no guarantee", r"(cannot|can't|can not|does not|doesn't|do not|don't) guarantee", r"not guaranteed",
        r"no (one|index|investment|fund|etf|asset).{0,30}guarantee", r"nothing .{0,20}guarantee",
        r"(不能|无法|不会|不可能|没有.{0,10})保证", r"不保证|无法承诺|不能承诺|稳赚不赔.{0,10}(不存在|没有)",
    ),
}
# "Data through <date>" is the stale-data statement every answer owes when its data is old: it
# declines nothing, so it does not count as a decline where the question had to be answered.
_NOT_A_DECLINE = (r"proxy", r"代理|替代|代替", r"data through",
                  r"(数据|行情).{0,10}(始于|从.{0,14}开始|起始|截至|截止|结束|只到|仅到)")
ANY_DECLINE = tuple(dict.fromkeys(p for kind in DECLINE_PATTERNS for p in DECLINE_PATTERNS[kind]
                                  if p not in _NOT_A_DECLINE))
# An assumption or substitution said in the text (not merely a window printed in a sentence).
ASSUMPTION = (
    r"assum", r"default", r"not specif", r"no (time )?(window|period) (was )?(given|specified|stated)", r"proxy",
    r"instead", r"interpret", r"taken as", r"treat(ed|ing)? as", r"(using|used) the .{0,30} as",
    r"假设|默认|未指定|没有指定|未说明|未给出|按.{0,20}(计算|理解|处理)|理解为|视为|代理|替代|代替|改用|以.{0,20}为准",
)
_MA_WORDS = {
    20: r"(ma ?20|20[- ]?(day|d\b|dma)|20日|二十日)",
    50: r"(ma ?50|50[- ]?(day|d\b|dma)|50日|五十日)",
    200: r"(ma ?200|200[- ]?(day|d\b|dma)|200日|两百日|二百日)",
}
_ABOVE = r"(above|over|higher than|高于|上方|之上|站上|在.{0,6}上面)"
_BELOW = r"(below|under|lower than|低于|下方|之下|跌破|在.{0,6}下面)"
_LEVEL_AS_RETURN = r"(max(imum)? drawdown|excess return|最大回撤|超额收益)"
_VIX_AS_RETURN = r"(\breturn|收益率|涨幅|跌幅)"  # for VIX only: 收益率 is also Chinese for a yield
_SHARPE = r"(sharpe|夏普)"


@dataclass
class Measured:
    """One instrument as the answer measured it."""

    symbol: str
    first: str | None
    last: str | None


@dataclass
class TurnVerdict:
    id: str
    source: str
    language: str
    question: str
    intended: dict[str, Any]
    measured: list[dict[str, Any]]
    verdict: str
    kinds: list[str] = field(default_factory=list)
    figures_expected: list[dict[str, Any]] = field(default_factory=list)
    figures_missing: list[str] = field(default_factory=list)
    stated_assumption: bool = False
    stated_decline: bool = False
    coverage: Any = None
    coverage_agrees: bool | None = None
    error: str | None = None
    answer: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def measured(answer: Any) -> list[Measured]:
    """Every instrument the answer's market reports measured, with its first and last day."""
    out: list[Measured] = []
    for report in _get(answer, "market") or []:
        report = _plain(report)
        if report.get("analysis"):
            # An analysis the answer adds (a rate regression over five years, say) is extra
            # evidence, not the window the question asked about: the judge reads the metrics reports.
            continue
        series = report.get("series") if isinstance(report.get("series"), dict) else {}
        for sym in report.get("symbols") or list(series):
            s = series.get(sym) or {}
            out.append(Measured(sym, s.get("first_date") or report.get("first_date") or report.get("start"),
                                s.get("last_date") or report.get("last_date") or report.get("end")))
    if not out:  # no reports kept: fall back on what the market tool was asked
        for call in _get(answer, "tool_calls") or []:
            if _get(call, "name") == "market_metrics" and _get(call, "ok", True):
                args = _get(call, "args") or {}
                out += [Measured(s, args.get("start"), args.get("end")) for s in args.get("symbols") or []]
    return out


_FOOTER = re.compile(r"^\s*#+\s*(references|sources|参考|引用|来源)", re.IGNORECASE | re.MULTILINE)


_BOILERPLATE = re.compile(r"not a forecast|not investment advice|offline mode|仅供研究|不构成投资建议|离线模式|并非预测",
                          re.IGNORECASE)


def body(text: str) -> str:
    """The answer without its reference list and its footer lines (disclaimer, mode note):
    "not a forecast" in a disclaimer is no decline. Other notes (italic or not) stay."""
    cut = _FOOTER.search(text)
    text = text[: cut.start()] if cut else text
    return "\n".join(line for line in text.splitlines()
                     if not (line.strip().startswith("_") and _BOILERPLATE.search(line)))


_PROXY_LINE = re.compile(r"^\s*_?\s*(proxies|指数代理)\s*[:：](?P<rest>.*)$", re.IGNORECASE | re.MULTILINE)
_PAREN_SYMBOL = re.compile(r"[(（]\s*\^?([A-Z0-9]{2,6})\s*[)）]")


def proxied_symbols(text: str) -> set[str]:
    """Symbols the answer says it read a name as ("Proxies: iwm → Russell 2000 (RUT)")."""
    out: set[str] = set()
    for m in _PROXY_LINE.finditer(text):
        out |= set(_PAREN_SYMBOL.findall(m.group("rest")))
    return out


def says(text: str, patterns: tuple[str, ...]) -> bool:
    text = body(text)
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def _tolerance(n: textscan.Number) -> float:
    tol = 0.5 * 10 ** (-n.decimals) + 1e-6
    if re.search(r"bp|basis|基点", n.text, re.IGNORECASE):
        tol /= 100  # "-39 bp" reads as -0.39 percent points
    return tol


def figure_in_text(fig: Figure, text: str) -> bool:
    """True when a number in `text` equals the expected figure within the rounding it is shown at."""
    targets = (fig.value, *fig.alternatives)
    for n in textscan.numbers(text):
        if not n.is_figure:
            continue
        for t in targets:
            got, want = (abs(n.value), abs(t)) if fig.absolute else (n.value, t)
            if abs(got - want) <= _tolerance(n) or (fig.absolute and abs(n.value - t) <= _tolerance(n)):
                return True
    return False


def ma_direction_ok(fig: Figure, text: str) -> bool:
    """The text says the price is above (or below) the N-day average, as it is."""
    n = int(fig.metric[2:])
    right, wrong = (_ABOVE, _BELOW) if fig.above else (_BELOW, _ABOVE)
    lines = [s for s in textscan.sentences(text) if re.search(_MA_WORDS[n], s, re.IGNORECASE)]
    return any(re.search(right, s, re.IGNORECASE) for s in lines) and not any(
        re.search(wrong, s, re.IGNORECASE) and not re.search(right, s, re.IGNORECASE) for s in lines)


BASE_METRICS = ("return", "excess", "change")  # measured from the base close, not the first close inside


def _asks_from_base(turn: Turn) -> bool:
    return any(m.split(":")[0] in BASE_METRICS for m in turn.metrics)


def _level_as_return(turn: Turn, text: str) -> bool:
    """A yield or VIX line of the answer that quotes a drawdown, an excess return (or, for VIX, a return)."""
    for sym in (s for s in turn.instruments if s in LEVEL_SYMBOLS):
        pattern = _LEVEL_AS_RETURN if sym != "VIX" else f"{_LEVEL_AS_RETURN}|{_VIX_AS_RETURN}"
        for line in body(text).splitlines():
            if re.search(rf"\b{sym}\b", line) and re.search(pattern, line, re.IGNORECASE):
                return True
    return False


def _instrument_kind(turn: Turn, wrong: list[str]) -> str:
    """Why an instrument may have been missed: kept from the previous turn, typed as a ticker in
    lower case, or named by a nickname or name."""
    if "instruments" not in turn.said:
        return "kept-from-previous-turn"
    if any(re.search(rf"(?<![a-z]){s.lower()}(?![a-z])", turn.question) for s in wrong):
        return "lower-case-ticker"
    if any(re.search(rf"(?<![A-Za-z]){s}(?![A-Za-z])", turn.question) for s in wrong):
        return "ticker"
    return "name-or-nickname"


def _window_kind(spec: str) -> str:
    if spec in ("ytd", "default", "now"):
        return spec
    for prefix, kind in (("last:", "relative"), ("since_low", "anchor"), ("since_trough", "anchor"),
                         ("since:", "since-date"), ("months:", "months")):
        if spec.startswith(prefix):
            return kind
    if ".." in spec:
        return "explicit"
    return {1: "year"}.get(len(spec.split("-")), "half" if "-H" in spec else "quarter" if "-Q" in spec else "month")


def _coverage_complete(coverage: Any) -> bool | None:
    """Whether the answer's own `coverage` claims everything asked was answered (None: no claim)."""
    if coverage is None:
        return None
    c = _plain(coverage)
    if not isinstance(c, dict):
        return None
    if c.get("declined"):
        return False
    asked, answered = c.get("asked"), c.get("answered")
    if isinstance(asked, (list, dict)) and isinstance(answered, (list, dict)):
        return len(answered) >= len(asked)
    return None


def judge(
    turn: Turn,
    windows: dict[str, Window],
    figures: list[Figure],
    answer: Any,
    error: str | None = None,
) -> TurnVerdict:
    """Class one answered turn. `windows` holds the intended window per intended instrument."""
    text = (_get(answer, "answer") or "") if answer is not None else ""
    got = measured(answer) if answer is not None else []
    intended = {"instruments": list(turn.instruments), "window": turn.window, "metrics": list(turn.metrics),
                "decline": turn.decline}
    if windows:
        intended["dates"] = {s: {"base": str(w.base.date()), "first": str(w.first.date()), "last": str(w.last.date())}
                             for s, w in windows.items()}
    v = TurnVerdict(turn.id, turn.source, turn.language, turn.question, intended,
                    [asdict(m) for m in got], "other_failure", error=error, answer=text)
    v.coverage = _plain(_get(answer, "coverage")) if answer is not None else None
    v.stated_decline = says(text, ANY_DECLINE)
    # A proxy line that maps a name onto an instrument the person did not mean says the substitution.
    # (A decline turn means no instrument: there, only words count.)
    v.stated_assumption = says(_PROXY_LINE.sub("", text), ASSUMPTION) or bool(
        turn.instruments and proxied_symbols(text) - set(turn.instruments))
    if error:
        v.kinds.append("error")
        return v
    if turn.decline:
        if says(text, DECLINE_PATTERNS[turn.decline]):
            v.verdict = "honest_decline"
        else:
            v.kinds.append(f"decline_missing:{turn.decline}")
            v.verdict = "silent_substitution" if got and not v.stated_assumption else "other_failure"
        _coverage(v)
        return v

    by_symbol = {m.symbol: m for m in got}
    wrong_instrument = [s for s in turn.instruments if s not in by_symbol]
    if wrong_instrument:
        v.kinds.append(f"instrument_{'substituted' if got else 'not_measured'}:{_instrument_kind(turn, wrong_instrument)}")
    wkind = _window_kind(turn.window or "")
    off_window: set[str] = set()
    base_only = False
    for s, w in windows.items():
        m = by_symbol.get(s)
        if not m:
            continue
        if m.last != str(w.last.date()) or wkind != "now" and m.first not in {str(d.date()) for d in (w.base, w.first, *w.alternate_starts)}:
            off_window.add(s)
        elif wkind != "now" and m.first == str(w.first.date()) != str(w.base.date()) and _asks_from_base(turn):
            base_only = True  # the right days, but the return starts from the first close inside
    wrong_window = bool(off_window)
    if wrong_window:
        v.kinds.append(f"window_wrong:{wkind}")
        if "window" not in turn.said:
            v.kinds.append("window_wrong:not-kept-in-follow-up")

    missing: list[str] = []
    for f in figures:
        v.figures_expected.append({"spec": f.spec, "value": round(f.value, 4), "above": f.above})
        if f.symbols[0] not in by_symbol or (len(f.symbols) > 1 and f.symbols[1] not in by_symbol):
            missing.append(f.spec)
            continue
        ok = figure_in_text(f, text)
        if ok and f.above is not None:
            ok = ma_direction_ok(f, text)
            if not ok:
                v.kinds.append("ma_verdict_missing")
        if not ok and f.metric == "sharpe" and re.search(_SHARPE, text, re.IGNORECASE) and v.stated_decline:
            ok = True  # the convention allows declining a Sharpe ratio that is not computed
        if not ok:
            missing.append(f.spec)
    v.figures_missing = missing
    # A figure missing because of a wrong instrument or window is that failure, not a metric one.
    present = {s for s in turn.instruments if s in by_symbol and s not in off_window}
    for f in figures:
        if f.spec in missing and set(f.symbols) <= present:
            if base_only and f.metric in BASE_METRICS:
                v.kinds.append("return_base")
            elif f"metric_missing:{f.metric}" not in v.kinds:
                v.kinds.append(f"metric_missing:{f.metric}")
    if _level_as_return(turn, text):
        v.kinds.append("level_quoted_as_return")
    needs_assumption = turn.window == "default"
    if needs_assumption and not v.stated_assumption:
        v.kinds.append("default_window_unstated")

    if not v.kinds:
        v.verdict = "understood"
    elif v.stated_decline and (wrong_instrument or missing):
        v.verdict = "wrong_decline"
        v.kinds.append("wrong_decline")
    elif (wrong_instrument or wrong_window or (missing and not base_only)) and got and not v.stated_assumption:
        v.verdict = "silent_substitution"
    else:
        v.verdict = "other_failure"
    _coverage(v)
    return v


def _coverage(v: TurnVerdict) -> None:
    complete = _coverage_complete(v.coverage)
    if complete is None:
        return
    if v.verdict in ("honest_decline", "wrong_decline"):
        v.coverage_agrees = not complete
    else:
        v.coverage_agrees = complete == (v.verdict == "understood")
