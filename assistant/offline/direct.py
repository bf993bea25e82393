"""The first lines of a measuring answer: what was assumed, then the direct answer.

Both are built from the Request (what was asked, how it was read) and the Findings (what was
measured), never from prose. The direct answer gives exactly the metrics asked for: a verdict
for a comparison, yes/no with the level and its average for a level check, the one metric a
follow-up asks for.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from assistant.answerdoc import Block, Bullets, Paragraph
from assistant.grounding.findings import Finding, Findings
from assistant.offline.phrases import listing, phrase
from assistant.offline.report import pct, price
from assistant.reading.request import Instrument, Request
from assistant.reading.tables import LEVEL_SERIES_INSTEAD, LONGER_HISTORY

STALE_DAYS = 5  # data older than this before today is said in the answer's first lines
# A measured first day this much later than the window asked for is a late data start, said as
# such (not the few days a weekend, a holiday or a weekly sample's first Friday adds).
LATE_START_DAYS = 10
_NEGATED_CLAIM = re.compile(r"(?i)underperform|\blag|\bworse\b|weaker|跑输|弱于|落后|不如")
# "Which was more volatile", "谁回撤更深": a which-is-bigger question about a metric other than return.
_WHICH = re.compile(r"(?i)\bwhich\b|\bwho\b|\bmore\b|\bless\b|\bdeeper\b|\bbigger\b|哪个|哪一个|谁|更")
# metric asked -> (finding key, the phrase of the verdict, True when the larger value wins the phrase)
METRIC_VERDICTS: dict[str, tuple[str, str, bool]] = {
    "volatility": ("ann_vol", "d_more_volatile", True),
    "ann_vol": ("ann_vol", "d_more_volatile", True),
    "drawdown": ("drawdown", "d_deeper_drawdown", False),
}
_YES_NO = re.compile(r"(?i)^\s*(?:did|does|do|is|are|was|were|has|have)\b|吗|是否|有没有|是不是")
_BELOW = re.compile(r"(?i)\b(?:below|under|broke|broken)\b|跌破|低于|之下|下方")
_MA_DAYS = {"ma20": 20, "ma50": 50, "ma200": 200}


def _capitalised(text: str) -> str:
    """"**the Russell 2000 did better**" -> "**The Russell 2000 did better**" (Markdown marks kept)."""
    i = len(text) - len(text.lstrip("*_"))
    return text[:i] + text[i:i + 1].upper() + text[i + 1:]


def _note(text: str) -> Paragraph:
    return Paragraph(text=text, emphasis="note")


def _name(request: Request, symbol: str) -> str:
    for item in request.instruments:
        if item.symbol == symbol:
            return item.display(request.language)
    return symbol


def _fmt(f: Finding | None) -> str:
    """A finding's value as the answer shows it."""
    if f is None or f.value is None:
        return "—"
    if f.unit == "pct":
        return pct(float(f.value))  # type: ignore[arg-type]
    if f.unit == "percent":
        return f"{float(f.value):.2f}%"  # type: ignore[arg-type]
    if f.unit in ("price", "level", "points"):
        return price(float(f.value))  # type: ignore[arg-type]
    if f.unit == "pp":
        return f"{float(f.value):+.2f}"  # type: ignore[arg-type]
    if f.unit == "ratio":
        return f"{float(f.value):.2f}"  # type: ignore[arg-type]
    return str(f.value)


def assumption_blocks(request: Request, findings: Findings, report: dict[str, Any] | None,
                      today: date, say_unserved: bool = True) -> list[Block]:
    """What the answer assumed, in the question's language, before any figure."""
    lang = request.language
    out: list[Block] = []
    last = _last_day(report)
    window = request.window
    if last is not None and (today - last).days > STALE_DAYS:
        out.append(_note(phrase(lang, "a_data_through", date=last.isoformat(), days=(today - last).days)))
    if window is not None and report is not None:
        start, end = report["window"]["first_date"], report["window"]["last_date"]
        if window.start and window.end and (date.fromisoformat(str(start)[:10]) - window.start).days > LATE_START_DAYS:
            # The data starts later than the window read: say the window as read (the note on
            # the data's start says where the figures begin).
            start, end = window.start.isoformat(), window.end.isoformat()
        if "window" in request.unread:
            out.append(_note(phrase(lang, "a_unread_window", start=start, end=end)))
        elif window.anchor is not None:
            a = window.anchor
            first = request.instruments[0]
            if a.day is not None:
                close = findings.value(first.symbol, "first_close")
                out.append(_note(phrase(lang, "a_anchor", text=a.text or window.text, name=first.display(lang),
                                        event=phrase(lang, f"a_event_{a.kind}"), day=a.day.isoformat(),
                                        close=price(close) if close is not None else "—")))
            else:
                out.append(_note(phrase(lang, "a_anchor_none", text=a.text or window.text, start=start, end=end)))
        elif window.source == "default" and window.start is None:
            out.append(_note(phrase(lang, "a_window_history", start=start, end=end)))
        elif window.source == "default" and window.kind != "now":
            key = "a_window_default_rates" if request.kinds and request.kinds[0] == "rate_sensitivity" \
                else "a_window_default"
            out.append(_note(phrase(lang, key, start=start, end=end)))
        elif window.source == "previous" and window.text and window.text == request.question.strip():
            out.append(_note(phrase(lang, "a_window_combined", start=start, end=end)))  # "both months together?"
        elif window.source == "previous":
            out.append(_note(phrase(lang, "a_window_previous", start=start, end=end)))
        elif window.kind == "now":
            key = "a_window_now" if window.text else "a_window_latest"
            out.append(_note(phrase(lang, key, text=window.text, end=end)))
        elif window.kind == "relative" and request.followup and not window.ties_to_previous:
            out.append(_note(phrase(lang, "a_window_relative_latest", text=window.text, start=start, end=end)))
        elif window.text:
            out.append(_note(phrase(lang, "a_window_read", text=window.text, start=start, end=end)))
        if window.partial:
            out.append(_note(phrase(lang, "a_window_partial", end=end)))
        out += _base_notes(request, findings)
    out += _instrument_notes(request, report, say_unserved)
    return out


def _base_notes(request: Request, findings: Findings) -> list[Block]:
    """Where a return starts from the close before the window's first day, say which close."""
    first = next((i for i in request.instruments if not i.level), None)
    if first is None or not ({"return", "excess", "change"} & set(request.metrics) or "report" in request.kinds):
        return []
    base, inside = findings.get(first.symbol, "base_close"), findings.get(first.symbol, "first_close")
    if base is None or inside is None or base.on is None or base.on == inside.on:
        return []
    return [_note(phrase(request.language, "a_base", day=base.on.isoformat(), close=_fmt(base),
                         name=first.display(request.language)))]


def _instrument_notes(request: Request, report: dict[str, Any] | None, say_unserved: bool) -> list[Block]:
    lang = request.language
    out: list[Block] = []
    proxies = [i for i in request.instruments if i.how == "proxy"]
    if proxies:
        items = listing(lang, (f"{i.text} → {i.display(lang)} ({i.symbol})" for i in proxies))
        out.append(Paragraph(text=phrase(lang, "proxies", items=items)))
    for item in request.instruments:
        if item.how == "benchmark":
            out.append(Paragraph(text=phrase(lang, "benchmark_added", b=item.symbol, b_name=item.display(lang))))
        if item.how == "default":
            names = listing(lang, (i.display(lang) for i in request.instruments if i.how == "default"))
            out.append(Paragraph(text=phrase(lang, "default_symbols", names=names)))
            break
    if request.unserved and say_unserved:
        names = listing(lang, dict.fromkeys(i.display(lang) or i.text for i in request.unserved))
        related = [i.related for i in request.unserved if i.related]
        offer = phrase(lang, "a_unserved_offer", related=listing(lang, dict.fromkeys(related))) if related else ""
        out.append(Paragraph(text=phrase(lang, "a_unserved", names=names, offer=offer)))
    levels = [i for i in request.instruments if i.level]
    if levels and request.measures:
        out.append(_note(phrase(lang, "a_level_series", names=listing(lang, (i.display(lang) for i in levels)))))
    for gap in (report or {}).get("coverage_gaps", []):
        proxy = LONGER_HISTORY.get(gap.get("symbol", ""))
        if gap.get("data_from") and proxy:
            out.append(_note(phrase(lang, "a_before_data", name=_name(request, gap["symbol"]), sym=gap["symbol"],
                                    first=gap["data_from"], proxy=proxy)))
    return out


def _last_day(report: dict[str, Any] | None) -> date | None:
    if not report:
        return None
    value = report.get("as_of") or report.get("window", {}).get("last_date")
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# -- the direct answer ------------------------------------------------------------------------

def direct_blocks(request: Request, findings: Findings, verdict_only: bool = False) -> list[Block]:
    """The answer to the question as asked: verdict, level check, or the metrics named.

    `verdict_only`: a report's first lines, the verdict over the window measured, with no yes/no
    (a report question asks about what comes next, which the past window does not settle).
    """
    kinds = set(request.kinds)
    out: list[Block] = []
    if "comparison" in kinds:
        out += _verdicts(request, findings, yes_no=not verdict_only)
    if verdict_only:
        return out
    if "level_check" in kinds:
        out += _level_checks(request, findings)
    out += _metric_verdicts(request, findings)
    items = _metric_lines(request, findings, skip_verdict="comparison" in kinds,
                          skip_ma="level_check" in kinds)
    if items:
        out.append(Bullets(items=items))
    return out


def _metric_verdicts(request: Request, findings: Findings) -> list[Block]:
    """"Which was more volatile?": the instrument with the larger (or deeper) figure, first."""
    if len(request.instruments) < 2 or not _WHICH.search(request.question):
        return []
    lang, out = request.language, []
    for metric in dict.fromkeys(request.metrics):
        if metric not in METRIC_VERDICTS:
            continue
        key, text, larger = METRIC_VERDICTS[metric]
        found = [(i, findings.get(i.symbol, key)) for i in request.instruments]
        found = [(i, f) for i, f in found if f is not None and isinstance(f.value, int | float)]
        if len(found) < 2 or len({f.value for _, f in found}) < len(found):
            continue  # a tie or a missing figure: the bullets say it as it is
        ranked = sorted(found, key=lambda x: x[1].value, reverse=larger)
        (top, ft), (other, fo) = ranked[0], ranked[1]
        out.append(Paragraph(text=phrase(lang, text, name=top.display(lang), other=other.display(lang),
                                         va=pct(ft.value, signed=key != "ann_vol"),
                                         vb=pct(fo.value, signed=key != "ann_vol"), start=ft.start, end=ft.end),
                             findings=[ft.id, fo.id], cites=[0], emphasis="lead"))
        break  # one verdict leads; the figures follow in the bullets
    return out


def _pairs(request: Request, findings: Findings) -> list[tuple[Instrument, Instrument, str]]:
    first = request.instruments[0] if request.instruments else None
    if first is None:
        return []
    return [(first, other, f"{first.symbol}/{other.symbol}") for other in request.instruments[1:]
            if findings.get(f"{first.symbol}/{other.symbol}", "excess") is not None]


def _verdicts(request: Request, findings: Findings, yes_no: bool = True) -> list[Block]:
    lang = request.language
    out: list[Block] = []
    yes_no = yes_no and bool(_YES_NO.search(request.question))
    negated = bool(_NEGATED_CLAIM.search(request.question))
    for a, b, key in _pairs(request, findings):
        verdict = findings.get(key, "verdict")
        ra, rb = findings.get(a.symbol, "return"), findings.get(b.symbol, "return")
        excess = findings.get(key, "excess")
        if verdict is None or ra is None or rb is None or excess is None:
            continue
        ids = [verdict.id, ra.id, rb.id, excess.id]
        common = {"a_name": a.display(lang), "b_name": b.display(lang), "ra": _fmt(ra), "rb": _fmt(rb),
                  "start": ra.start, "end": ra.end}
        if not verdict.value:
            out.append(Paragraph(text=phrase(lang, "d_tie", **common), findings=ids, cites=[0], emphasis="lead"))
            continue
        winner = a if verdict.value == a.symbol else b
        claim_holds = (winner is a) != negated
        yes = phrase(lang, "yes" if claim_holds else "no") if yes_no else ""
        if yes and lang == "zh":
            yes += ","
        text = phrase(lang, "d_verdict", yes=yes, winner=winner.display(lang), excess=_fmt(excess), **common)
        out.append(Paragraph(text=_capitalised(text), findings=ids, cites=[0], emphasis="lead"))
    return out


def _asked_mas(request: Request) -> list[str]:
    mas = [m for m in request.metrics if m in _MA_DAYS]
    return mas or ["ma50"]


def _level_checks(request: Request, findings: Findings) -> list[Block]:
    lang = request.language
    want_below = bool(_BELOW.search(request.question))
    out: list[Block] = []
    for item in request.instruments:
        for ma in _asked_mas(request):
            level, avg = findings.get(item.symbol, "last_close"), findings.get(item.symbol, ma)
            dist = findings.get(item.symbol, f"vs_{ma}")
            if level is None or avg is None:
                out.append(Paragraph(text=phrase(lang, "d_level_check_none", name=item.display(lang), n=_MA_DAYS[ma])))
                continue
            above = float(level.value) > float(avg.value)  # type: ignore[arg-type]
            yes = phrase(lang, "yes" if above != want_below else "no").rstrip(": ").rstrip(":")
            out.append(Paragraph(
                text=phrase(lang, "d_level_check", yes=yes, name=item.display(lang), last=_fmt(level), day=level.on,
                            side=phrase(lang, "above" if above else "below"), n=_MA_DAYS[ma], ma=_fmt(avg),
                            dist=_fmt(dist)),
                findings=[f.id for f in (level, avg, dist) if f is not None], cites=[0], emphasis="lead"))
    return out


def _metric_lines(request: Request, findings: Findings, skip_verdict: bool, skip_ma: bool) -> list[Paragraph]:
    """One line per instrument and metric asked for, in the order asked."""
    lang = request.language
    out: list[Paragraph] = []
    metrics = list(request.metrics)
    if "beta" in metrics and "correlation" in metrics:
        metrics.remove("correlation")  # one line gives both
    for metric in metrics:
        if metric in ("excess", "beta", "correlation", "relative_strength"):
            if metric == "excess" and skip_verdict:
                continue
            out += _pair_lines(request, findings, metric)
            continue
        if skip_ma and (metric in _MA_DAYS or metric == "level"):
            continue  # the level check above already gives the level and its average
        for item in request.instruments:
            for own in _own_metrics(item, metric):
                line = _series_line(lang, item, own, findings)
                if line is not None and line.text not in {p.text for p in out}:
                    out.append(line)
    return out


def _own_metrics(item: Instrument, metric: str) -> tuple[str, ...]:
    """The metric as it applies to this instrument: a level moves, a price returns."""
    if item.level:
        return LEVEL_SERIES_INSTEAD.get(metric, (metric,))  # type: ignore[return-value]
    if metric == "change":
        return ("return",)  # "how did the index move": its return
    return (metric,)


def _series_line(lang: str, item: Instrument, metric: str, findings: Findings) -> Paragraph | None:
    s = item.symbol
    get = findings.get
    name = item.display(lang)
    if item.level and metric in ("return", "drawdown", "excess", "sharpe", "volatility", "ann_vol"):
        return None  # said once in the assumptions: levels, not returns
    if metric == "return" and (ret := get(s, "return")):
        first, last = get(s, "base_close") or get(s, "first_close"), get(s, "last_close")
        return Paragraph(text=phrase(lang, "d_return", name=name, start=ret.start, end=ret.end, ret=_fmt(ret),
                                     first=_fmt(first), last=_fmt(last)),
                         findings=[f.id for f in (ret, first, last) if f], cites=[0])
    if metric == "drawdown" and (dd := get(s, "drawdown")):
        return Paragraph(text=phrase(lang, "d_drawdown", name=name, start=dd.start, end=dd.end, dd=_fmt(dd)),
                         findings=[dd.id], cites=[0])
    if metric in ("volatility", "ann_vol") and (av := get(s, "ann_vol")):
        dv = get(s, "daily_vol")
        return Paragraph(text=phrase(lang, "d_volatility", name=name, start=av.start, end=av.end,
                                     dv=_fmt(dv).lstrip("+"), av=_fmt(av).lstrip("+")),
                         findings=[f.id for f in (dv, av) if f], cites=[0])
    if metric == "sharpe" and (sh := get(s, "sharpe")):
        return Paragraph(text=phrase(lang, "d_sharpe", name=name, start=sh.start, end=sh.end, sh=_fmt(sh)),
                         findings=[sh.id], cites=[0])
    if metric in _MA_DAYS and (last := get(s, "last_close")):
        avg, dist = get(s, metric), get(s, f"vs_{metric}")
        if avg is None:
            return Paragraph(text=phrase(lang, "d_level_check_none", name=name, n=_MA_DAYS[metric]))
        above = float(last.value) > float(avg.value)  # type: ignore[arg-type]
        return Paragraph(text=phrase(lang, "d_ma", name=name, day=last.on, last=_fmt(last),
                                     side=phrase(lang, "above" if above else "below"), n=_MA_DAYS[metric],
                                     ma=_fmt(avg), dist=_fmt(dist)),
                         findings=[f.id for f in (last, avg, dist) if f], cites=[0])
    if metric == "level" and (last := get(s, "last_close")):
        return Paragraph(text=phrase(lang, "d_level", name=name, day=last.on, last=_fmt(last)),
                         findings=[last.id], cites=[0])
    if metric == "change":
        first, last = get(s, "base_close") or get(s, "first_close"), get(s, "last_close")
        if (bp := get(s, "change_bp")) and first and last:
            return Paragraph(text=phrase(lang, "d_change_rate", name=name, start=first.start, end=last.end,
                                         first=f"{float(first.value):.2f}", last=f"{float(last.value):.2f}",  # type: ignore[arg-type]
                                         bp=int(bp.value)),  # type: ignore[arg-type]
                             findings=[first.id, last.id, bp.id], cites=[0])
        if (ch := get(s, "change")) and first and last:
            return Paragraph(text=phrase(lang, "d_change_points", name=name, start=first.start, end=last.end,
                                         first=_fmt(first), last=_fmt(last), change=f"{float(ch.value):+.2f}"),  # type: ignore[arg-type]
                             findings=[first.id, last.id, ch.id], cites=[0])
    if metric == "high_low" and (hi := get(s, "high")) and (lo := get(s, "low")):
        return Paragraph(text=phrase(lang, "d_high_low", name=name, high=_fmt(hi), hd=hi.on, low=_fmt(lo), ld=lo.on),
                         findings=[hi.id, lo.id], cites=[0])
    return None


def _pair_lines(request: Request, findings: Findings, metric: str) -> list[Paragraph]:
    lang = request.language
    out: list[Paragraph] = []
    for a, b, key in _pairs(request, findings):
        if a.level or b.level:
            continue
        names = {"a_name": a.display(lang), "b_name": b.display(lang)}
        if metric == "excess" and (ex := findings.get(key, "excess")):
            out.append(Paragraph(text=phrase(lang, "d_excess", excess=_fmt(ex), **names), findings=[ex.id], cites=[0]))
        beta, corr = findings.get(key, "beta"), findings.get(key, "correlation")
        if metric == "relative_strength" and (rs := findings.get(key, "rs_end")) and (mx := findings.get(key, "rs_max")):
            off = findings.get(key, "rs_from_max")
            day = findings.get(key, "rs_max_date")
            out.append(Paragraph(text=phrase(lang, "d_rs", a=a.symbol, b=b.symbol, rs=f"{float(rs.value):.4f}",  # type: ignore[arg-type]
                                             mx=f"{float(mx.value):.4f}", day=day.value if day else "—",  # type: ignore[arg-type]
                                             off=_fmt(off).lstrip("+-") if off else "0.00%"),
                                 findings=[f.id for f in (rs, mx, off, day) if f], cites=[0]))
        if metric in ("beta", "correlation") and beta and corr:
            out.append(Paragraph(text=phrase(lang, "d_beta", beta=_fmt(beta), corr=_fmt(corr), **names),
                                 findings=[beta.id, corr.id], cites=[0]))
    return out
