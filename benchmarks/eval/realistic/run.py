"""Ask the realistic set (and the golden set, read the same way) through the research service.

    python -m benchmarks.eval.realistic.run [--limit N] [--only CHAIN,CHAIN] [--no-golden]

Offline analyst only, on the shared CSVs, with a fresh state folder and today fixed to
2026-12-04 (the evaluation's convention). Writes benchmarks/results/<stamp>-realistic.json and
.md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from benchmarks.eval.golden import GOLDEN, GoldenQuestion
from benchmarks.eval.golden import chains as golden_chains
from benchmarks.eval.realistic.expected import Window, figures_for, resolve_window
from benchmarks.eval.realistic.judge import CLASSES, TurnVerdict, judge
from benchmarks.eval.realistic.questions import Chain, Turn, load

REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO.parent / "shared" / "market-data"
RESULTS = REPO / "benchmarks" / "results"
TODAY = date(2026, 12, 4)

# Golden figure specs read as realistic metrics (daily and annualised volatility are both "vol").
_GOLDEN_METRIC = {"return": "return", "excess": "excess", "mdd": "mdd", "daily_vol": "vol", "ann_vol": "vol",
                  "rs_from_max": "rs", "last_close": "level"}
_GOLDEN_DECLINE = {"no_data": "no_data", "future": "after_end", "guarantee": "guarantee"}


def _golden_turn(q: GoldenQuestion) -> Turn:
    yes_no = any(w in q.question.lower() for w in ("above", "below", "上方", "下方", "站上"))
    metrics: list[str] = []
    for spec in q.figures:
        metric, _, target = spec.partition(":")
        if metric in ("ma20", "ma50"):
            name = metric if yes_no else metric + "v"
        else:
            name = _GOLDEN_METRIC[metric]
        metrics.append(f"{name}:{target}")
    instruments = tuple(dict.fromkeys(s for spec in q.figures for s in spec.partition(":")[2].split("/")))
    window = f"{q.window[0]}..{q.window[1]}" if q.window else None
    return Turn(q.id, q.chain or q.id, q.language, q.question, instruments, window, tuple(metrics),
                _GOLDEN_DECLINE.get(q.decline) if q.decline else None, source="golden")


def golden_as_chains() -> tuple[Chain, ...]:
    """The golden set's figure and decline questions as chains (knowledge-only questions left out:
    they ask no figure, so there is nothing to measure)."""
    out = []
    for group in golden_chains(list(GOLDEN)):
        turns = tuple(_golden_turn(q) for q in group)
        if any(t.metrics or t.decline for t in turns):
            out.append(Chain(group[0].chain or group[0].id, group[0].language, turns))
    return tuple(out)


def intent_of(turn: Turn, data_dir: Path) -> tuple[dict[str, Window], list[Any]]:
    """Intended windows per instrument and expected figures of a turn (empty for a decline)."""
    if turn.decline:
        return {}, []
    anchor = turn.instruments[0]
    windows = {s: resolve_window(turn.window, s, data_dir, anchor) for s in turn.instruments}
    return windows, figures_for(turn.instruments, turn.window, turn.metrics, data_dir)


def build_service(home: Path, data_dir: Path, today: date = TODAY) -> Any:
    from benchmarks.eval.run import build_service as build

    return build("offline", home, data_dir, today)


def ask_chains(
    ask: Callable[[str, str | None], Any],
    chains: Sequence[Chain],
    data_dir: Path,
    progress: Callable[[TurnVerdict], None] | None = None,
) -> list[TurnVerdict]:
    """Ask every chain's turns in one thread with `ask(question, thread_id) -> Answer` and judge each."""
    verdicts: list[TurnVerdict] = []
    for chain in chains:
        thread_id = None
        for turn in chain.turns:
            windows, figures = intent_of(turn, data_dir)
            try:
                answer = ask(turn.question, thread_id)
            except Exception as exc:  # noqa: BLE001 - a failure is a judged result, not a crash
                line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                verdict = judge(turn, windows, figures, None, error=f"{type(exc).__name__}: {line}")
            else:
                thread_id = getattr(answer, "thread_id", None) or thread_id
                verdict = judge(turn, windows, figures, answer)
            verdicts.append(verdict)
            if progress:
                progress(verdict)
    return verdicts


def tally(verdicts: Sequence[TurnVerdict]) -> dict[str, Any]:
    """Counts and shares of each class, with the coverage agreement where the answer had one."""
    counts = Counter(v.verdict for v in verdicts)
    n = len(verdicts)
    checked = [v.coverage_agrees for v in verdicts if v.coverage_agrees is not None]
    return {
        "turns": n,
        **{c: counts.get(c, 0) for c in CLASSES},
        "understood_share": round(counts.get("understood", 0) / n, 4) if n else None,
        "should_decline": sum(1 for v in verdicts if v.intended["decline"]),
        "coverage_checked": len(checked),
        "coverage_agrees": sum(checked),
    }


def by_language(verdicts: Sequence[TurnVerdict]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[TurnVerdict]] = defaultdict(list)
    for v in verdicts:
        groups[v.language].append(v)
    return {"all": tally(verdicts), **{lang: tally(vs) for lang, vs in sorted(groups.items())}}


def failure_kinds(verdicts: Sequence[TurnVerdict]) -> list[dict[str, Any]]:
    """Failure kinds by how many turns show them, most common first, each with its first example."""
    seen: dict[str, list[TurnVerdict]] = defaultdict(list)
    for v in verdicts:
        if v.verdict not in ("understood", "honest_decline"):
            for kind in dict.fromkeys(v.kinds or ["unclassified"]):
                seen[kind].append(v)
    ranked = sorted(seen.items(), key=lambda kv: -len(kv[1]))
    return [{"kind": k, "turns": len(vs), "example": _example(vs[0])} for k, vs in ranked]


def _example(v: TurnVerdict) -> dict[str, Any]:
    got = ", ".join(f"{m['symbol']} {m['first']}..{m['last']}" for m in v.measured) or "nothing"
    return {"id": v.id, "question": v.question, "intended": _intended_line(v), "measured": got,
            "missing": v.figures_missing}


def _intended_line(v: TurnVerdict) -> str:
    i = v.intended
    if i["decline"]:
        return f"decline ({i['decline']})"
    dates = i.get("dates") or {}
    first = next(iter(dates.values()), {})
    return (f"{'/'.join(i['instruments'])} {i['window']} (base {first.get('base')}, last {first.get('last')}): "
            f"{', '.join(i['metrics'])}")


def markdown(record: dict[str, Any]) -> str:
    lines = [f"# finsight realistic-questions evaluation, {record['started']}", "",
             f"Offline analyst, today {record['today']}, data {record['data_dir']}. Target: >= 95% understood, "
             "0 silent substitutions.", ""]
    for name in ("realistic", "golden"):
        if name not in record["sets"]:
            continue
        s = record["sets"][name]
        lines += [f"## {name} set", "",
                  "| language | turns | understood | silent substitution | honest decline | wrong decline | "
                  "other failure | understood % | coverage agrees |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for lang, t in s["by_language"].items():
            cov = f"{t['coverage_agrees']}/{t['coverage_checked']}" if t["coverage_checked"] else "no coverage field"
            lines.append(f"| {lang} | {t['turns']} | {t['understood']} | {t['silent_substitution']} | "
                         f"{t['honest_decline']} | {t['wrong_decline']} | {t['other_failure']} | "
                         f"{(t['understood_share'] or 0) * 100:.1f}% | {cov} |")
        c = s.get("computed")
        if c:
            lines += ["", f"Computed answers (an analysis tool behind them): {c['computed']} of {c['turns']} answers; "
                      f"analysis answers (calendar, episodes, regimes) {c['analysis_answers']}; reports with a "
                      f"measured scorecard {c['measured_scorecards']}; scorecards from a template "
                      f"{c['template_scorecards']}."]
        lines += ["", f"### {name}: failure kinds (turns), with an example", ""]
        for k in s["failure_kinds"]:
            e = k["example"]
            lines.append(f"- **{k['kind']}** ({k['turns']}): `{e['id']}` \"{e['question']}\" — intended "
                         f"{e['intended']}; measured {e['measured']}"
                         + (f"; missing {', '.join(e['missing'])}" if e["missing"] else ""))
        lines.append("")
    return "\n".join(lines) + "\n"


def print_table(record: dict[str, Any]) -> None:
    print(f"{'set':<10} {'lang':<4} {'turns':>5} {'underst':>7} {'silent':>6} {'h.decl':>6} {'w.decl':>6} "
          f"{'other':>5} {'underst%':>8}")
    for name, s in record["sets"].items():
        for lang, t in s["by_language"].items():
            print(f"{name:<10} {lang:<4} {t['turns']:>5} {t['understood']:>7} {t['silent_substitution']:>6} "
                  f"{t['honest_decline']:>6} {t['wrong_decline']:>6} {t['other_failure']:>5} "
                  f"{(t['understood_share'] or 0) * 100:>7.1f}%")
        c = s.get("computed")
        if c:
            print(f"{name:<10} computed {c['computed']}/{c['turns']} answers (analysis {c['analysis_answers']}, "
                  f"measured scorecards {c['measured_scorecards']}, template scorecards {c['template_scorecards']})")


ANALYSIS_TOOLS = frozenset({"rate_sensitivity", "conditional_returns", "drawdown_episodes", "calendar_returns",
                            "rolling_views", "scorecard"})
SCORECARD_HEADINGS = ("### 评分卡", "### Scorecard")


def computed_tally(answers: Sequence[Any]) -> dict[str, int]:
    """How many answers rest on an analysis tool (computed) rather than the window's metrics
    alone, and how many print a scorecard without the scorecard tool (a template: must be 0)."""
    out = {"turns": len(answers), "computed": 0, "analysis_answers": 0, "measured_scorecards": 0,
           "template_scorecards": 0}
    for answer in answers:
        ok = {c.name for c in getattr(answer, "tool_calls", []) if c.ok}
        has_card = any(h in getattr(answer, "answer", "") for h in SCORECARD_HEADINGS)
        out["computed"] += bool(ok & ANALYSIS_TOOLS)
        out["analysis_answers"] += bool(ok & (ANALYSIS_TOOLS - {"scorecard", "rolling_views", "rate_sensitivity"}))
        out["measured_scorecards"] += has_card and "scorecard" in ok
        out["template_scorecards"] += has_card and "scorecard" not in ok
    return out


def run(data_dir: Path, chains: Sequence[Chain], golden: bool, quiet: bool = False) -> dict[str, Any]:
    """Run the sets on a fresh service and return the record (sets -> by_language, kinds, turns)."""
    sets: dict[str, Sequence[Chain]] = {"realistic": chains}
    if golden:
        sets["golden"] = golden_as_chains()
    record: dict[str, Any] = {"started": datetime.now().isoformat(timespec="seconds"), "today": TODAY.isoformat(),
                              "data_dir": str(data_dir), "sets": {}}
    with tempfile.TemporaryDirectory(prefix="finsight-realistic-") as home:
        service = build_service(Path(home), data_dir)

        answers: list[Any] = []

        def ask(question: str, thread_id: str | None) -> Any:
            answers.append(service.ask(question, thread_id=thread_id, owner="eval"))
            return answers[-1]

        def show(v: TurnVerdict) -> None:
            if not quiet:
                print(f"{v.id:<10} {v.verdict:<20} {' '.join(v.kinds)}", file=sys.stderr)

        for name, group in sets.items():
            started = time.perf_counter()
            answers.clear()
            verdicts = ask_chains(ask, group, data_dir, progress=show)
            record["sets"][name] = {
                "by_language": by_language(verdicts),
                "computed": computed_tally(answers),
                "failure_kinds": failure_kinds(verdicts),
                "seconds": round(time.perf_counter() - started, 1),
                "turns": [v.to_dict() for v in verdicts],
            }
    return record


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval.realistic.run",
                                     description="Run the realistic question set and judge what each answer measured.")
    parser.add_argument("--limit", type=int, help="only the first N chains")
    parser.add_argument("--only", help="comma-separated chain ids")
    parser.add_argument("--no-golden", action="store_true", help="skip the golden set")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("FINSIGHT_MARKET_DATA_DIR") or DEFAULT_DATA))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--quiet", action="store_true")
    args, _ = parser.parse_known_args(argv)  # run_all may pass arguments meant for other benchmarks
    data_dir = args.data_dir.resolve()
    if not (data_dir / "SPX.csv").exists():
        print(f"market data not found at {data_dir}: pass --data-dir or set FINSIGHT_MARKET_DATA_DIR", file=sys.stderr)
        return 2
    chains = list(load())
    if args.only:
        wanted = {c.strip() for c in args.only.split(",")}
        chains = [c for c in chains if c.id in wanted]
    if args.limit is not None:
        chains = chains[: args.limit]
    record = run(data_dir, chains, golden=not args.no_golden, quiet=args.quiet)
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
    args.out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = args.out / f"{stamp}-realistic.json", args.out / f"{stamp}-realistic.md"
    json_path.write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    md_path.write_text(markdown(record), encoding="utf-8")
    print_table(record)
    print()
    for name, s in record["sets"].items():
        print(f"{name}: top failure kinds")
        for k in s["failure_kinds"][:10]:
            print(f"  {k['turns']:>3}  {k['kind']:<34} e.g. {k['example']['id']}: {k['example']['question']}")
    print(f"results written to {json_path} and {md_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
