"""Run the golden set through the research service and write the scores.

    python -m benchmarks.eval.run [--mode auto|offline|llm] [--only ID,ID] [--limit N]

Offline mode always runs; LLM mode runs too when an OpenAI-compatible endpoint is configured
(OPENAI_API_KEY / OPENAI_BASE_URL). Market data comes from the shared CSVs only (no network), and
the evaluation gets its own state folder so a user's knowledge base never changes the scores.
Writes benchmarks/results/<date>-eval.json and <date>-eval.md and prints the summary.

From Python (tests), `run_modes(["llm"], questions, data_dir, home, endpoint={...})` runs LLM mode
against a given endpoint instead of the one in the environment.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from benchmarks.eval import summary
from benchmarks.eval.expected import ExpectedFigure, all_expected, load_closes
from benchmarks.eval.golden import GOLDEN, GoldenQuestion, chains
from benchmarks.eval.scoring import QuestionScore, failed_score, score_answer

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "market-data"
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_HOME = REPO / ".finsight" / "eval"


def build_service(
    mode: str, home: Path, data_dir: Path, today: date, endpoint: Mapping[str, Any] | None = None
) -> Any:
    """A ResearchService on the CSVs only; offline mode ignores any configured endpoint.

    `endpoint` holds Settings fields for LLM mode (openai_base_url, openai_api_key, finsight_model,
    finsight_llm_timeout, ...); they win over the environment. None: LLM mode reads the environment.
    """
    from assistant.service import ResearchService  # imported late: the harness is usable without it
    from assistant.settings import Settings

    fields: dict[str, Any] = {
        "finsight_home": home,
        "finsight_market_data_dir": data_dir,
        "finsight_market_providers": "csv",
        "finsight_chroma_url": None,
    }
    if mode == "offline":
        fields.update(openai_api_key=None, openai_base_url=None)
    elif endpoint:
        fields.update(endpoint)
    return ResearchService(Settings(**fields), today=today)


def llm_configured() -> bool:
    """True when the environment (or .env) names an OpenAI-compatible endpoint."""
    from assistant.settings import Settings

    return Settings().llm_configured


def ask_all(
    service: Any,
    questions: Sequence[GoldenQuestion],
    expected: dict[str, list[ExpectedFigure]],
    mode: str,
    progress: Callable[[QuestionScore], None] | None = None,
) -> tuple[list[QuestionScore], dict[str, str]]:
    """Ask every question (a chain's turns in one thread) and score each answer.

    Returns the scores and each answer's text by question id. A question that raises is scored as
    failed with its one-line error; the rest of its chain still runs.
    """
    scores: list[QuestionScore] = []
    texts: dict[str, str] = {}
    for group in chains(list(questions)):
        thread_id = None
        for q in group:
            started = time.perf_counter()
            try:
                answer = service.ask(q.question, thread_id=thread_id, owner="eval")
            except Exception as exc:  # noqa: BLE001 - any failure is a scored result, not a crash
                line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                score = failed_score(q, mode, f"{type(exc).__name__}: {line}", expected[q.id])
            else:
                thread_id = answer.thread_id
                texts[q.id] = answer.answer
                score = score_answer(q, expected[q.id], answer, latency_s=round(time.perf_counter() - started, 3))
                if mode == "llm" and answer.mode != "llm":
                    # The service's note says why (HTTP status, timeout, ...): keep it with the row.
                    why = [n for n in answer.notes if "language model" in n.lower()]
                    score.error = "fell back to the offline analyst" + (f": {why[0]}" if why else "")
            scores.append(score)
            if progress:
                progress(score)
    return scores, texts


def select(only: str | None, limit: int | None) -> list[GoldenQuestion]:
    """The questions to run: by id (a chain turn brings its whole chain), then the first `limit` groups."""
    questions = list(GOLDEN)
    if only:
        ids = {part.strip() for part in only.split(",") if part.strip()}
        wanted_chains = {q.chain for q in questions if q.id in ids and q.chain}
        unknown = ids - {q.id for q in questions}
        if unknown:
            raise SystemExit(f"unknown question id(s): {', '.join(sorted(unknown))}; see benchmarks/eval/golden.py")
        questions = [q for q in questions if q.id in ids or (q.chain and q.chain in wanted_chains)]
    if limit is not None:
        questions = [q for group in chains(questions)[:limit] for q in group]
    return questions


def run_modes(
    modes: Sequence[str],
    questions: Sequence[GoldenQuestion],
    data_dir: Path,
    home: Path,
    endpoint: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run each mode and return {mode: {overall, by_category, questions}}.

    Each mode keeps its state under `home/<mode>`; `endpoint` is passed to `build_service` for LLM mode.
    """
    expected = all_expected(questions, data_dir)
    today = load_closes(data_dir, "SPX").index[-1].date()  # "today" = the data's last day: reproducible
    runs: dict[str, Any] = {}
    for mode in modes:
        service = build_service(mode, home / mode, data_dir, today, endpoint)
        try:  # warm the knowledge base (demo pack embedding) so latency measures answering
            _ = service.kb
        except Exception as exc:  # noqa: BLE001 - the service degrades to market-only answers
            print(f"[{mode}] knowledge base unavailable: {str(exc).splitlines()[0]}", file=sys.stderr)
        _ = service.llm  # imports langchain now, not inside the first question's latency

        def show(score: QuestionScore, mode: str = mode) -> None:
            acc = score.figure_accuracy
            print(f"[{mode}] {score.id:<12} figures {acc if acc is None else f'{acc:.0%}'} "
                  f"latency {score.latency_s}s{'  ERROR ' + score.error if score.error else ''}", file=sys.stderr)

        scores, texts = ask_all(service, questions, expected, mode, progress=show)
        rows = []
        for s in scores:
            row = s.to_dict()
            row["answer"] = texts.get(s.id, "")
            rows.append(row)
        runs[mode] = {"overall": summary.summarise(scores), "by_category": summary.by_category(scores), "questions": rows}
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval.run", description="Run the finsight golden set.")
    parser.add_argument("--mode", choices=["auto", "offline", "llm"], default="auto",
                        help="auto: offline, plus LLM when an endpoint is configured")
    parser.add_argument("--only", help="comma-separated question ids (a chain turn runs its whole chain)")
    parser.add_argument("--limit", type=int, help="run only the first N questions or chains")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("FINSIGHT_MARKET_DATA_DIR") or DEFAULT_DATA))
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME, help="state folder for the evaluation")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON and Markdown results")
    args, _ = parser.parse_known_args(argv)  # make bench may pass arguments meant for other benchmarks

    data_dir = args.data_dir.resolve()
    if not (data_dir / "SPX.csv").exists():
        print(f"market data not found at {data_dir}: put shared/market-data beside the checkout or pass --data-dir",
              file=sys.stderr)
        return 2
    modes = ["offline"] if args.mode == "offline" else ["llm"] if args.mode == "llm" else (
        ["offline", "llm"] if llm_configured() else ["offline"])
    if args.mode == "llm" and not llm_configured():
        print("no LLM endpoint configured: set OPENAI_BASE_URL and/or OPENAI_API_KEY, or use --mode offline",
              file=sys.stderr)
        return 2
    questions = select(args.only, args.limit)
    started = datetime.now()
    runs = run_modes(modes, questions, data_dir, args.home)

    stamp = started.strftime("%Y-%m-%d-%H%M")
    args.out.mkdir(parents=True, exist_ok=True)
    record = {"started": started.isoformat(timespec="seconds"), "data_dir": str(data_dir), "modes": runs,
              "targets": summary.TARGETS, "golden_size": len(GOLDEN), "questions_run": len(questions)}
    json_path, md_path = args.out / f"{stamp}-eval.json", args.out / f"{stamp}-eval.md"
    json_path.write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    text = summary.markdown(runs, started.strftime("%Y-%m-%d %H:%M"))
    md_path.write_text(text, encoding="utf-8")
    print(text)
    print(f"results written to {json_path} and {md_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
