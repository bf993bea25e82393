"""Overall scores of a run and their Markdown rendering (pure: scores in, dicts and text out)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from benchmarks.eval.scoring import QuestionScore

# Targets from the issue; None means "reported, no target".
TARGETS: dict[str, float | None] = {
    "figure_accuracy": 1.0,
    "grounding": 1.0,
    "dangling": 0,
    "citation_validity": 1.0,
    "section_coverage": 1.0,
    "language_match": 1.0,
    "source_recall": None,
    "decline_ok": 1.0,
    "errors": 0,
    "latency_p50_s": None,
    "latency_p95_s": None,
}


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def summarise(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """Overall figures: micro-averaged ratios (counts summed first), latency percentiles."""
    reports = [s.section_coverage for s in scores if s.section_coverage is not None]
    declines = [s.decline_ok for s in scores if s.decline_ok is not None]
    latencies = [s.latency_s for s in scores if s.latency_s is not None]
    return {
        "questions": len(scores),
        "figure_accuracy": _ratio(sum(s.figure_hits for s in scores), sum(s.figure_total for s in scores)),
        "figures_expected": sum(s.figure_total for s in scores),
        "grounding": _ratio(sum(s.figures_grounded for s in scores), sum(s.figures for s in scores)),
        "figures_in_answers": sum(s.figures for s in scores),
        "dangling": sum(len(s.dangling) for s in scores),
        "citation_validity": _ratio(
            sum(s.citation_passed for s in scores), sum(s.citation_checks + len(s.dangling) for s in scores)
        ),
        "section_coverage": round(statistics.fmean(reports), 4) if reports else None,
        "language_match": _ratio(sum(s.language_ok for s in scores), len(scores)),
        "source_recall": _ratio(sum(len(s.sources_found) for s in scores), sum(len(s.sources_expected) for s in scores)),
        "decline_ok": _ratio(sum(declines), len(declines)),
        "errors": sum(1 for s in scores if s.error),
        "latency_mean_s": round(statistics.fmean(latencies), 3) if latencies else None,
        "latency_p50_s": _percentile(latencies, 0.5),
        "latency_p95_s": _percentile(latencies, 0.95),
        "latency_max_s": round(max(latencies), 3) if latencies else None,
    }


def by_category(scores: Sequence[QuestionScore]) -> dict[str, dict[str, Any]]:
    """The same summary per question category, in first-seen order."""
    out: dict[str, dict[str, Any]] = {}
    for cat in dict.fromkeys(s.category for s in scores):
        out[cat] = summarise([s for s in scores if s.category == cat])
    return out


def _fmt(value: Any, ratio: bool = True) -> str:
    if value is None:
        return "–"
    if ratio and isinstance(value, float):
        return f"{value * 100:.1f}%"
    return str(value)


def meets(name: str, value: Any) -> str:
    """'✓' when a metric meets its target, '✗' when not, '' when it has none."""
    target = TARGETS.get(name)
    if target is None or value is None:
        return ""
    ok = value <= target if name in ("dangling", "errors") else value >= target
    return "✓" if ok else "✗"


def markdown(runs: dict[str, dict[str, Any]], started: str) -> str:
    """The summary table (targets vs each mode), a per-category table and the failures."""
    modes = list(runs)
    lines = [f"# finsight evaluation, {started}", "", "| metric | target (offline) | " + " | ".join(modes) + " |",
             "|---|---|" + "---|" * len(modes)]
    for name in TARGETS:
        ratio = not name.startswith("latency")
        cells = [
            f"{_fmt(runs[m]['overall'].get(name), ratio)} {meets(name, runs[m]['overall'].get(name))}".strip()
            for m in modes
        ]
        lines.append(f"| {name} | {_fmt(TARGETS[name], ratio)} | " + " | ".join(cells) + " |")
    for mode in modes:
        lines += ["", f"## {mode}: by category", "",
                  "| category | n | figure accuracy | grounding | dangling | citation validity | language | p50 latency (s) |",
                  "|---|---|---|---|---|---|---|---|"]
        for cat, s in runs[mode]["by_category"].items():
            lines.append(
                f"| {cat} | {s['questions']} | {_fmt(s['figure_accuracy'])} | {_fmt(s['grounding'])} | {s['dangling']} | "
                f"{_fmt(s['citation_validity'])} | {_fmt(s['language_match'])} | {_fmt(s['latency_p50_s'], False)} |"
            )
        failures = [_failure_line(q) for q in runs[mode]["questions"]]
        failures = [f for f in failures if f]
        lines += ["", f"### {mode}: questions below target ({len(failures)})", ""]
        lines += failures or ["none"]
    return "\n".join(lines) + "\n"


def _failure_line(q: dict[str, Any]) -> str:
    problems = []
    if q.get("error"):
        problems.append(f"error: {q['error']}")
    problems += [f"missed {m['spec']} = {m['expected']}" for m in q["missed"]]
    if q["figures"] and q["figures_grounded"] < q["figures"]:
        problems.append(f"{q['figures'] - q['figures_grounded']} ungrounded figure(s)")
    if q["dangling"]:
        problems.append(f"dangling {q['dangling']}")
    problems += q["citation_failures"]
    if q["section_coverage"] is not None and q["section_coverage"] < 1:
        missing = sorted(set(q["sections_expected"]) - set(q["sections_found"]))
        problems.append(f"missing sections {missing}")
    if not q["language_ok"]:
        problems.append("wrong language")
    if q["decline_ok"] is False:
        problems.append("no clear decline / invented figures")
    missing_sources = sorted(set(q["sources_expected"]) - set(q["sources_found"]))
    if missing_sources:
        problems.append(f"sources not cited {missing_sources}")
    return f"- `{q['id']}`: " + "; ".join(problems) if problems else ""
