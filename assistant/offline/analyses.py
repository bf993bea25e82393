"""Answers computed by an analysis tool instead of the window's metrics: a calendar table of
returns, every drawdown deeper than a threshold, returns when a rule held over another series.

Each number shown is a value of the tool result (rounded as shown), so verification grounds it
in [0]; the method the tool states is quoted in the reference line.
"""

from __future__ import annotations

from typing import Any

from assistant.answerdoc import Block, Paragraph, Table
from assistant.offline.phrases import PROVIDER_NAMES, phrase
from assistant.offline.report import price
from assistant.reading.request import ANALYSIS_KINDS, Request
from assistant.tools import Toolbox

RULE_LOOKBACK_DAYS = 20  # "yields rising": the 10-year above its level 20 trading days before


def analysis_kind(request: Request) -> str | None:
    return next((k for k in request.kinds if k in ANALYSIS_KINDS), None)


def run_analysis(request: Request, toolbox: Toolbox) -> dict[str, Any]:
    """Call the analysis tool the question asks for, on its first instrument and window."""
    kind, ask = analysis_kind(request), request.analysis
    subject = request.instruments[0].symbol
    window = request.window
    start = window.start.isoformat() if window and window.start else None
    end = window.end.isoformat() if window and window.end else None
    if kind == "calendar":
        return toolbox.calendar_returns(subject, ask.frequency if ask else "month", start, end)
    if kind == "episodes":
        return toolbox.drawdown_episodes(subject, ask.threshold_pct if ask else 10.0, start, end)
    assert ask is not None and ask.series and ask.rule
    return toolbox.conditional_returns(subject, ask.series, ask.rule, ask.level, RULE_LOOKBACK_DAYS, start, end)


def _pct(value: Any, signed: bool = True) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:+.2f}%" if signed else f"{float(value) * 100:.2f}%"


def analysis_blocks(request: Request, result: dict[str, Any]) -> list[Block]:
    """The analysis result as the answer's table and sentences, in the question's language."""
    lang, kind = request.language, analysis_kind(request)
    name = request.instruments[0].display(lang)
    if kind == "calendar":
        rows = [[p["label"] + (phrase(lang, "an_partial") if p.get("partial") else ""), _pct(p.get("return")),
                 f"{price(p.get('base_close'))} ({p.get('base_date')})", f"{price(p.get('last_close'))} ({p.get('last_date')})"]
                for p in result.get("periods", [])]
        out: list[Block] = [Table(header=phrase(lang, "an_calendar_head").split("|"), rows=rows)]
        figures = result.get("figures", {})
        if result.get("best") and result.get("worst"):
            out.append(Paragraph(text=phrase(lang, "an_best_worst", name=name, best=result["best"],
                                             best_ret=_pct(figures.get(result["best"])), worst=result["worst"],
                                             worst_ret=_pct(figures.get(result["worst"])))))
        return out
    if kind == "episodes":
        episodes = result.get("episodes", [])
        rows = [[f"{price(e['peak_close'])} ({e['peak_date']})", f"{price(e['trough_close'])} ({e['trough_date']})",
                 _pct(e["depth"]), e.get("recovery_date") or phrase(lang, "an_open"),
                 str(e.get("days_to_trough", "—")), str(e.get("days_to_recovery") or "—")] for e in episodes]
        threshold = f"{float(result.get('threshold', 0.1)) * 100:.0f}%"
        lead = Paragraph(text=phrase(lang, "an_episodes", name=name, n=len(episodes), threshold=threshold,
                                     first=result.get("first_date"), last=result.get("last_date"),
                                     deepest=_pct(result.get("figures", {}).get("deepest"))), emphasis="lead")
        if not episodes:
            return [Paragraph(text=phrase(lang, "an_no_episodes", name=name, threshold=threshold,
                                          first=result.get("first_date"), last=result.get("last_date")))]
        return [lead, Table(header=phrase(lang, "an_episodes_head").split("|"), rows=rows)]
    f = result.get("figures", {})
    condition = result.get("condition") or {}
    rule = phrase(lang, f"an_rule_{condition.get('kind')}", series=condition.get("series"),
                  level=f"{condition.get('level'):g}" if condition.get("level") is not None else "",
                  lookback=condition.get("lookback"))
    return [Paragraph(text=phrase(lang, "an_regime", name=name, rule=rule, first=result.get("first_date"),
                                  last=result.get("last_date"), days=int(f.get("days_true", 0)),
                                  episodes=int(f.get("episodes_true", 0)), ret=_pct(f.get("mean_daily_return_true")),
                                  vol=_pct(f.get("ann_vol_true"), signed=False), hit=_pct(f.get("hit_rate_true"), signed=False),
                                  other_days=int(f.get("days_false", 0)), other_ret=_pct(f.get("mean_daily_return_false")),
                                  other_vol=_pct(f.get("ann_vol_false"), signed=False),
                                  other_hit=_pct(f.get("hit_rate_false"), signed=False)), emphasis="lead")]


def analysis_reference(lang: str, result: dict[str, Any]) -> str:
    """The [0] line of an analysis answer: provider, series, span, as-of. The method, in the tool's
    words, is shown under [0] in the app and the PDF: its rule numbers are not figures to trace."""
    names = PROVIDER_NAMES[lang]
    provider = ", ".join(names.get(p, p) for p in str(result.get("provider") or "").split(","))
    symbols = ("、" if lang == "zh" else ", ").join(result.get("symbols") or [])
    return phrase(lang, "an_ref", provider=provider, symbols=symbols, first=result.get("first_date"),
                  last=result.get("last_date"), as_of=result.get("as_of"))
