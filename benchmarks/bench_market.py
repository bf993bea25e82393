"""Benchmark: the full metric set for RUT vs SPX over ten years, finsight vs QuantStats.

Run: .venv/bin/python benchmarks/bench_market.py   (reads ../shared/market-data, writes nothing)
Prints both sets of figures, their largest disagreement, the timings and the speed ratio, and
shows that a repeated MarketData.metrics call reads no file again.
"""

from __future__ import annotations

import sys
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.market import MarketData  # noqa: E402
from knowledge.market.metrics import Prices, chart_data, pair_metrics, series_metrics, window  # noqa: E402

DATA = ROOT.parent / "shared" / "market-data"


def best_ms(fn, repeat: int = 7, number: int = 20) -> float:
    """Fastest of `repeat` runs of the mean time of `number` calls, in milliseconds.

    The minimum, not the median: on a shared machine the noise only ever adds time."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t0) / number * 1000)
    return min(runs)


def finsight_set(a: Prices, b: Prices, start: date, end: date, chart: bool = True) -> dict[str, float | None]:
    la, ha = window(a, start, end)
    lb, hb = window(b, start, end)
    sa, sb = series_metrics(a, la, ha, "Russell 2000"), series_metrics(b, lb, hb, "S&P 500")
    pm = pair_metrics(a, b, sa, sb, start, end)
    if chart:
        chart_data([a, b], start, end)
    out: dict[str, float | None] = {}
    for s in (sa, sb):
        for k in ("return_", "daily_vol", "ann_vol", "ann_vol_20d", "sharpe", "max_drawdown", "ma20", "ma50", "ma200"):
            out[f"{s.symbol}.{k.rstrip('_')}"] = getattr(s, k)
    for k in ("excess_return", "beta", "correlation", "vol_ratio", "rs_end", "rs_max", "rs_from_max"):
        out[f"pair.{k}"] = getattr(pm, k)
    return out


def quantstats_set(qs, ca: pd.Series, cb: pd.Series, start: date, end: date) -> dict[str, float]:
    """The same figures the way an analyst would get them: QuantStats, plus pandas where QS has none."""
    out: dict[str, float] = {}
    for sym, c in (("RUT", ca), ("SPX", cb)):
        w = c.loc[str(start):str(end)]
        r = w.pct_change().dropna()
        hist_r = c.loc[: str(end)].pct_change().dropna()
        out[f"{sym}.return"] = float(qs.stats.comp(r))
        out[f"{sym}.daily_vol"] = float(qs.stats.volatility(r, annualize=False))
        out[f"{sym}.ann_vol"] = float(qs.stats.volatility(r))
        out[f"{sym}.ann_vol_20d"] = float(qs.stats.rolling_volatility(hist_r, rolling_period=20).iloc[-1])
        out[f"{sym}.sharpe"] = float(qs.stats.sharpe(r))
        out[f"{sym}.max_drawdown"] = float(qs.stats.max_drawdown(w))
        for n in (20, 50, 200):  # QuantStats has no moving averages
            out[f"{sym}.ma{n}"] = float(c.loc[: str(end)].rolling(n).mean().iloc[-1])
    j = pd.concat([ca, cb], axis=1, join="inner", keys=["a", "b"]).loc[str(start):str(end)]
    ra, rb = j["a"].pct_change().dropna(), j["b"].pct_change().dropna()
    out["pair.excess_return"] = out["RUT.return"] - out["SPX.return"]
    out["pair.beta"] = float(qs.stats.greeks(ra, rb)["beta"])
    out["pair.correlation"] = float(ra.corr(rb))
    out["pair.vol_ratio"] = out["RUT.daily_vol"] / out["SPX.daily_vol"]
    rs = j["a"] / j["b"]
    out["pair.rs_end"], out["pair.rs_max"] = float(rs.iloc[-1]), float(rs.max())
    out["pair.rs_from_max"] = out["pair.rs_end"] / out["pair.rs_max"] - 1
    rs.rolling(20).mean()  # the chart series, as finsight also builds it
    return out


def main() -> int:
    if not (DATA / "RUT.csv").is_file():
        print(f"shared market data not found at {DATA}")
        return 1
    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    import quantstats as qs

    print(f"import quantstats: {time.perf_counter() - t0:.2f} s (not counted below)")

    md = MarketData(DATA, None, providers=("csv",))
    reads: list[str] = []
    real_read_csv = pd.read_csv

    def counting_read_csv(*args, **kwargs):
        reads.append(str(args[0]))
        return real_read_csv(*args, **kwargs)

    pd.read_csv = counting_read_csv
    try:
        t0 = time.perf_counter()
        ra, rb = md.history("RUT"), md.history("SPX")
        load_ms = (time.perf_counter() - t0) * 1000
        end = ra.index[-1].date()
        start = end - timedelta(days=3652)
        md.metrics(["RUT", "SPX"], start, end)
        reads_after_first = len(reads)
        repeat_ms = best_ms(lambda: md.metrics(["RUT", "SPX"], start, end))
        repeat_alias_ms = best_ms(lambda: md.metrics(["罗素2000", "标普500"], start, end))
        reads_after_repeats = len(reads)
    finally:
        pd.read_csv = real_read_csv

    a, b = Prices.from_frame("RUT", ra), Prices.from_frame("SPX", rb)
    ca, cb = ra["close"].dropna(), rb["close"].dropna()
    ours = finsight_set(a, b, start, end)
    theirs = quantstats_set(qs, ca, cb, start, end)

    print(f"\nWindow {start} .. {end}: {int(((ca.index >= str(start)) & (ca.index <= str(end))).sum())} trading days per series")
    print(f"{'figure':24} {'finsight':>16} {'QuantStats+pandas':>18} {'rel. diff':>10}")
    worst = 0.0
    for key, mine in ours.items():
        other = theirs[key]
        rel = abs(mine - other) / max(abs(other), 1e-12)
        worst = max(worst, rel)
        print(f"{key:24} {mine:16.10f} {other:18.10f} {rel:10.1e}")
    agree = worst < 1e-9
    print(f"largest relative difference: {worst:.1e} -> {'AGREE' if agree else 'DISAGREE'}")

    metrics_ms = best_ms(lambda: finsight_set(a, b, start, end, chart=False))
    chart_ms = best_ms(lambda: finsight_set(a, b, start, end, chart=True))
    qs_ms = best_ms(lambda: quantstats_set(qs, ca, cb, start, end), number=5)
    ratio = qs_ms / metrics_ms
    print("\nTimings (best of 7 runs, data already loaded):")
    print(f"  finsight metric set (series + pair), pure         {metrics_ms:8.3f} ms")
    print(f"  ... plus chart series (normalised, ratio, MA20)   {chart_ms:8.3f} ms")
    print(f"  MarketData.metrics, repeated question (all above) {repeat_ms:8.3f} ms")
    print(f"  MarketData.metrics, same question via aliases     {repeat_alias_ms:8.3f} ms")
    print(f"  QuantStats + pandas, same figures                 {qs_ms:8.3f} ms")
    print(f"  ratio QuantStats / finsight metric set            {ratio:8.1f} x  (target >= 20x)")
    print(f"  ratio QuantStats / finsight incl. chart series    {qs_ms / chart_ms:8.1f} x")
    print(f"  ratio QuantStats / MarketData.metrics             {qs_ms / repeat_ms:8.1f} x")
    print(f"  whole set for two 10-year series under 10 ms      {'yes' if repeat_ms < 10 else 'NO'}")
    print(f"\nFirst load of RUT+SPX from CSV: {load_ms:.1f} ms, files read: {reads_after_first}")
    print(f"Files read by {2 * 7 * 20} repeated metrics calls: {reads_after_repeats - reads_after_first}")
    ok = agree and ratio >= 20 and repeat_ms < 10 and reads_after_repeats == reads_after_first
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
