"""Soak: golden-set questions through one ResearchService (offline mode) from 8 threads at once.

    python benchmarks/bench_soak.py [--questions 200] [--threads 8] [--quick]

Prints errors (target 0), ungrounded figures, p50/p95/max latency, throughput, and resident
memory growth: the median RSS over the first 50 answers against the last 50 (target: flat).
Follow-up chains keep their order inside one thread of conversation; everything else is shared
(market frames, the knowledge base, the SQLite history), as in the Streamlit server.
"""

from __future__ import annotations

import argparse
import itertools
import queue
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: make the repo importable

from benchmarks.eval.expected import load_closes  # noqa: E402
from benchmarks.eval.golden import GOLDEN, GoldenQuestion, chains  # noqa: E402
from benchmarks.eval.run import DEFAULT_DATA, build_service  # noqa: E402

WINDOW = 50  # answers compared at the start and the end for memory growth


def rss_mib() -> float:
    """Current resident set size in MiB (Linux /proc; falls back to the peak from getrusage)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workload(total: int) -> list[list[GoldenQuestion]]:
    """Conversations from the golden set, cycled until `total` questions (the last one trimmed)."""
    groups, count = [], 0
    for group in itertools.cycle(chains(list(GOLDEN))):
        if count >= total:
            return groups
        group = group[: total - count]
        groups.append(group)
        count += len(group)
    return groups


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def soak(service, groups: list[list[GoldenQuestion]], threads: int) -> dict:
    """Run the conversations on `threads` workers; returns latencies, errors and the RSS trace."""
    todo: queue.Queue[list[GoldenQuestion]] = queue.Queue()
    for group in groups:
        todo.put(group)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    ungrounded = 0
    rss: list[float] = []

    def worker() -> None:
        nonlocal ungrounded
        while True:
            try:
                group = todo.get_nowait()
            except queue.Empty:
                return
            thread_id = None
            for q in group:
                started = time.perf_counter()
                try:
                    answer = service.ask(q.question, thread_id=thread_id, owner="soak")
                    thread_id = answer.thread_id
                    problem = None if answer.answer.strip() else "empty answer"
                except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the soak
                    answer, problem = None, f"{q.id}: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    rss.append(rss_mib())
                    if problem:
                        errors.append(problem)
                    if answer is not None:
                        ungrounded += len(answer.ungrounded)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, name=f"soak-{i}") for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"latencies": latencies, "errors": errors, "ungrounded": ungrounded, "rss": rss,
            "wall_s": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="60 questions on 4 threads")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    args, _ = parser.parse_known_args(argv)  # make bench passes the same arguments to every benchmark
    total, threads = (60, 4) if args.quick else (args.questions, args.threads)
    if not (args.data_dir / "SPX.csv").exists():
        print(f"market data not found at {args.data_dir}: put shared/market-data beside the checkout", file=sys.stderr)
        return 2

    today = load_closes(args.data_dir, "SPX").index[-1].date()
    with tempfile.TemporaryDirectory(prefix="finsight-soak-") as home:
        service = build_service("offline", Path(home), args.data_dir, today)
        _ = service.kb  # embed the demo pack first: the soak measures answering, not first-time indexing
        for q in GOLDEN:  # one serial pass loads what first use loads (embedder, jieba, BM25 index)
            service.ask(q.question, owner="warm-up")
        baseline = rss_mib()
        result = soak(service, workload(total), threads)
        stored = sum(t.turns for t in service.history.threads(owner="soak"))

    lat, rss = result["latencies"], result["rss"]
    window = min(WINDOW, len(rss) // 2)
    first, last = statistics.median(rss[:window]), statistics.median(rss[-window:])
    print(f"soak: {len(lat)} questions on {threads} threads in {result['wall_s']:.1f}s "
          f"({len(lat) / result['wall_s']:.1f} answers/s), offline mode")
    print(f"errors: {len(result['errors'])} (target 0); turns stored: {stored}/{len(lat)}; "
          f"ungrounded figures: {result['ungrounded']}")
    for line in result["errors"][:5]:
        print(f"  error: {line}")
    print(f"latency: p50 {percentile(lat, 0.5):.3f}s  p95 {percentile(lat, 0.95):.3f}s  max {max(lat):.3f}s")
    print(f"memory (RSS): after warm-up {baseline:.0f} MiB; median of first {window} answers {first:.0f} MiB, "
          f"last {window} {last:.0f} MiB; growth {last - first:+.1f} MiB ({(last - first) / first:+.1%}); "
          f"peak {max(rss):.0f} MiB")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
