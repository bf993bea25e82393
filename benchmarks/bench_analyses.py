"""Benchmark: each analysis of knowledge.market.analyses on ten years of daily data (target < 50 ms each).

Run: .venv/bin/python benchmarks/bench_analyses.py   (reads FINSIGHT_MARKET_DATA_DIR or ../shared/market-data)
Prints, per analysis, the best time of the pure function and of the MarketData method (cache
warm), the ratio to the 50 ms target, and the regression's largest disagreement with statsmodels OLS.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from knowledge.market import MarketData  # noqa: E402
from knowledge.market import analyses as an  # noqa: E402

DATA = Path(os.environ.get("FINSIGHT_MARKET_DATA_DIR") or ROOT.parent / "shared" / "market-data")
START, END = date(2016, 8, 22), date(2026, 8, 21)  # ten years of daily closes
TARGET_MS = 50.0


def best_ms(fn, repeat: int = 5, number: int = 10) -> float:
    """Fastest of `repeat` runs of the mean time of `number` calls, in ms (noise only adds time)."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t0) / number * 1000)
    return min(runs)


def statsmodels_gap(md: MarketData) -> str:
    """Largest relative gap of slope, R², t-stat between our OLS and statsmodels', on the same data."""
    try:
        import pandas as pd
        import statsmodels.api as sm
    except ImportError:
        return "statsmodels not installed (pip install -e '.[dev]')"
    ours = md.rate_sensitivity("RUT", START, END)
    rut, y10 = (md.history(s)["close"].dropna() for s in ("RUT", "US10Y"))
    frame = pd.concat([rut, y10], axis=1, join="inner", keys=["RUT", "US10Y"]).loc[str(START):str(END)]
    y, x = frame["RUT"].pct_change().iloc[1:], frame["US10Y"].diff().iloc[1:] * 100
    t0 = time.perf_counter()
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    sm_ms = (time.perf_counter() - t0) * 1000
    gaps = [abs(ours.slope_per_10bp / (fit.params["US10Y"] * 10) - 1), abs(ours.r_squared / fit.rsquared - 1),
            abs(ours.t_stat / fit.tvalues["US10Y"] - 1)]
    return f"largest relative gap {max(gaps):.1e} over slope, R2, t (n={ours.n}); statsmodels fit {sm_ms:.2f} ms"


def main() -> int:
    if not (DATA / "RUT.csv").is_file():
        print(f"market data not found at {DATA}: set FINSIGHT_MARKET_DATA_DIR")
        return 1
    md = MarketData(DATA, None, ("csv",))
    p = {s: md._load(s)[1] for s in ("RUT", "SPX", "US10Y", "VIX", "IXIC")}
    days = int(((p["RUT"].dates >= np.datetime64(START)) & (p["RUT"].dates <= np.datetime64(END))).sum())
    vix30 = an.Condition(series="VIX", kind="above", level=30)
    ma200 = an.Condition(series="RUT", kind="above_ma", lookback=200)
    cases = [
        ("rate sensitivity, daily OLS RUT on US10Y",
         lambda: an.rate_sensitivity(p["RUT"], p["US10Y"], START, END),
         lambda: md.rate_sensitivity("RUT", START, END)),
        ("rate sensitivity, weekly OLS RUT/SPX on US10Y",
         lambda: an.rate_sensitivity(p["RUT"], p["US10Y"], START, END, "weekly", p["SPX"]),
         lambda: md.rate_sensitivity("RUT", START, END, "weekly", "SPX")),
        ("rate events, months US10Y +25 bp, RUT vs SPX",
         lambda: an.rate_events(p["RUT"], p["US10Y"], START, END, 25.0, "rise", p["SPX"]),
         lambda: md.rate_events("RUT", START, END, 25.0, "rise", "SPX")),
        ("regimes, SPX when VIX > 30",
         lambda: an.conditional_returns(p["SPX"], p["VIX"], vix30, START, END),
         lambda: md.conditional_returns("SPX", vix30, START, END)),
        ("regimes, RUT above its MA200",
         lambda: an.conditional_returns(p["RUT"], p["RUT"], ma200, START, END),
         lambda: md.conditional_returns("RUT", ma200, START, END)),
        ("drawdown episodes > 10%, IXIC",
         lambda: an.drawdown_episodes(p["IXIC"], START, END, 0.10),
         lambda: md.drawdown_episodes("IXIC", START, END, 0.10)),
        ("calendar table, monthly RUT",
         lambda: an.calendar_returns(p["RUT"], START, END, "month"),
         lambda: md.calendar_returns("RUT", START, END, "month")),
        ("calendar table, yearly SPX",
         lambda: an.calendar_returns(p["SPX"], START, END, "year"),
         lambda: md.calendar_returns("SPX", START, END, "year")),
        ("rolling 60-day views RUT vs SPX, 10-year chart",
         lambda: an.rolling_views(p["RUT"], START, END, p["SPX"], 60),
         lambda: md.rolling_views("RUT", "SPX", START, END, 60)),
        ("scorecard RUT/SPX (MarketData: metrics+rolling+rate)",
         lambda: md.scorecard("RUT", "SPX", START, END),
         None),
        ("rolling views + JSON with chart",
         lambda: an.rolling_views(p["RUT"], START, END, p["SPX"], 60).to_json_dict(include_chart=True),
         None),
    ]
    print(f"{days} trading days of RUT from {START} to {END}; target {TARGET_MS:.0f} ms per analysis")
    print(f"{'analysis':50} {'pure ms':>9} {'MarketData ms':>14} {'x target':>9}")
    worst = 0.0
    for name, pure, method in cases:
        pure_ms = best_ms(pure)
        method_ms = best_ms(method) if method is not None else float("nan")
        slowest = max(pure_ms, method_ms) if method is not None else pure_ms
        worst = max(worst, slowest)
        print(f"{name:50} {pure_ms:9.2f} {method_ms:14.2f} {slowest / TARGET_MS:9.3f}")
    print(f"slowest analysis: {worst:.2f} ms = {worst / TARGET_MS:.3f} x the {TARGET_MS:.0f} ms target")
    print("OLS vs statsmodels: " + statsmodels_gap(md))
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
