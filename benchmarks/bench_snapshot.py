"""Benchmark: the embedded price snapshot against the CSV folder it was built from.

Run: .venv/bin/python benchmarks/bench_snapshot.py [folder]   (default ../shared/market-data)
Prints the snapshot's size against the folder's, the cold load of all symbols from each (in a
fresh process, so nothing is cached), a warm metrics call, and whether the two give the same
closes and the same metrics.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "knowledge" / "market" / "data" / "closes.csv.xz"
COLD = """
import json, sys, time
sys.path.insert(0, {root!r})
from knowledge.market import MarketData
t0 = time.perf_counter()
md = MarketData({csv!r}, None, ({provider!r},))
symbols = md.available_symbols()
closes = {{s: md.history(s)["close"].tolist() for s in symbols}}
loaded = time.perf_counter() - t0
md.metrics(["RUT", "SPX"], "2025-09-01", "2026-01-31")
t1 = time.perf_counter()
for _ in range(20):
    report = md.metrics(["RUT", "SPX"], "2025-09-01", "2026-01-31")
warm = (time.perf_counter() - t1) / 20
print(json.dumps({{"load_s": loaded, "warm_metrics_ms": warm * 1000, "symbols": symbols,
                  "n_closes": sum(map(len, closes.values())), "closes": closes,
                  "rut_return": report.series["RUT"].return_, "excess": report.pairs["RUT/SPX"].excess_return}}))
"""


def run(provider: str, csv: str | None) -> dict:
    best = None
    for _ in range(3):  # the fastest of three cold processes: on a shared machine noise only adds
        out = subprocess.run([sys.executable, "-c", COLD.format(root=str(ROOT), csv=csv, provider=provider)],
                             capture_output=True, text=True, check=True)
        result = json.loads(out.stdout)
        if best is None or result["load_s"] < best["load_s"]:
            best = result
    return best


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "market-data"
    snap = run("snapshot", None)
    print(f"snapshot file: {SNAPSHOT.stat().st_size / 1024:.1f} kB, {len(snap['symbols'])} symbols, "
          f"{snap['n_closes']} closes")
    print(f"snapshot: first load of every symbol {snap['load_s'] * 1000:.0f} ms (fresh process, after imports), "
          f"warm RUT/SPX metrics {snap['warm_metrics_ms']:.2f} ms")
    if not (folder / "RUT.csv").is_file():
        print(f"(no CSV folder at {folder}: no comparison)")
        return
    csv_bytes = sum(p.stat().st_size for p in folder.glob("*.csv"))
    ref = run("csv", str(folder))
    print(f"CSV folder: {csv_bytes / 1024:.1f} kB ({csv_bytes / SNAPSHOT.stat().st_size:.1f}x the snapshot), "
          f"first load {ref['load_s'] * 1000:.0f} ms, warm metrics {ref['warm_metrics_ms']:.2f} ms")
    same = snap["symbols"] == ref["symbols"] and snap["closes"] == ref["closes"]
    print(f"same symbols and closes: {same}; RUT return {snap['rut_return']:.6%} vs {ref['rut_return']:.6%}, "
          f"RUT-SPX excess {snap['excess']:.6%} vs {ref['excess']:.6%}")
    print(f"load ratio snapshot/CSV: {snap['load_s'] / ref['load_s']:.2f}")


if __name__ == "__main__":
    main()
