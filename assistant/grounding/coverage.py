"""The coverage check: did the answer measure what the question asked?

The figure check (verification) proves each number came from a tool; this check proves the
tool was asked the right thing. It compares the Request with the market reports the answer
used and the Findings it shows: every asked instrument, window and metric is answered, or
declined in the text, or it is `missing` (a silent substitution).
"""

from __future__ import annotations

from typing import Any

from assistant.answer import Coverage, Figure
from assistant.grounding.findings import Findings, build_findings
from assistant.grounding.marketview import compact_report
from assistant.reading import Request
from assistant.reading.tables import LEVEL_SERIES_INSTEAD

# Metric -> the finding keys that answer it.
METRIC_KEYS: dict[str, frozenset[str]] = {
    "return": frozenset({"return"}),
    "excess": frozenset({"excess", "verdict"}),
    "drawdown": frozenset({"drawdown"}),
    "volatility": frozenset({"ann_vol", "daily_vol", "ann_vol_20d"}),
    "ann_vol": frozenset({"ann_vol", "ann_vol_20d"}),
    "sharpe": frozenset({"sharpe"}),
    "ma20": frozenset({"ma20"}),
    "ma50": frozenset({"ma50"}),
    "ma200": frozenset({"ma200"}),
    "level": frozenset({"last_close"}),
    "change": frozenset({"change", "change_bp"}),
    "high_low": frozenset({"high", "low"}),
    "beta": frozenset({"beta"}),
    "correlation": frozenset({"correlation"}),
    "relative_strength": frozenset({"rs_end", "rs_max", "rs_from_max"}),
}


def findings_of(market: list[dict[str, Any]]) -> Findings:
    """The Findings of every market report an answer used (as stored on the Answer)."""
    findings = Findings()
    for report in market:  # every market report is cited [0]
        build_findings(compact_report(report), findings)
    return findings


def used_by_figures(findings: Findings, figures: list[Figure]) -> set[str]:
    """Finding ids whose value a grounded figure of the text shows (for answers without a doc)."""
    shown = [f.value for f in figures if f.grounded]
    used: set[str] = set()
    for item in findings:
        if isinstance(item.value, bool) or not isinstance(item.value, int | float):
            continue
        if any(abs(abs(v) - abs(float(item.value))) < 0.006 for v in shown):
            used.add(item.id)
    return used


def check_coverage(request: Request, market: list[dict[str, Any]], used: set[str], text: str,
                   declined_all: bool = False) -> Coverage:
    """Compare what `request` asked with what the answer measured (`market`) and shows (`used`).

    `declined_all`: the answer declined the question as a whole (a forecast, a window after the
    data): everything it asked is declined, not missing.
    """
    cov = Coverage(assumed=request.assumed())
    if declined_all:
        cov.asked = [f"instrument:{i.symbol}" for i in (*request.instruments, *request.unserved)]
        cov.asked += [f"metric:{m}" for m in request.metrics] if request.measures else []
        cov.declined = list(cov.asked)
        return cov
    for item in request.unserved:
        label = f"instrument:{item.symbol}"
        cov.asked.append(label)
        named = any(n and n.lower() in text.lower() for n in (item.name, item.name_zh, item.text, item.symbol))
        (cov.declined if named else cov.missing).append(label)
    if not request.measures:
        return cov
    measured = {s for report in market for s in report.get("symbols", [])}
    for item in request.instruments:
        label = f"instrument:{item.symbol}"
        cov.asked.append(label)
        (cov.answered if item.symbol in measured else cov.missing).append(label)
    window = request.window
    if window is not None and window.start is not None:
        label = f"window:{window.start}..{window.end or ''}"
        cov.asked.append(label)
        hit = any(str(r.get("start"))[:10] == window.start.isoformat()
                  and (window.end is None or str(r.get("end"))[:10] == window.end.isoformat()) for r in market)
        (cov.answered if hit else cov.missing).append(label)
    keys = {i.split(".", 1)[1] for i in used if "." in i}
    levels_only = all(i.level for i in request.instruments)
    for metric in request.metrics:
        label = f"metric:{metric}"
        cov.asked.append(label)
        if keys & METRIC_KEYS.get(metric, frozenset()):
            cov.answered.append(label)
        elif levels_only and metric in LEVEL_SERIES_INSTEAD:
            cov.declined.append(label)
        else:
            cov.missing.append(label)
    return cov
