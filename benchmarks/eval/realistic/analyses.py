"""The analysis questions (issue 16): each turn's intent, its expected figures from pandas on the
CSVs, and the judge.

A turn is **computed** when the answer called the analysis tool the question needs and shows the
figures an independent computation gives: every period return of a calendar table, every episode's
depth, the regime's mean daily return, the ratio's slope per +10 bp and its t, the volatility
percentile. A not-computable question is **declined honestly** when the answer says prices cannot
measure it and shows no market figure. Anything else is **substituted** (another question's figures,
or none) or **wrong** (the right tool, other figures).

Run: .venv/bin/python -m benchmarks.eval.realistic.analyses   (prints the tally, writes results)
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from benchmarks.eval.realistic.expected import closes, data_end

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "analysis_questions.yaml"
KEYS = ("analysis", "symbol", "benchmark", "window", "frequency", "threshold", "series", "rule", "level", "topic")
TOOLS = {"calendar": "calendar_returns", "episodes": "drawdown_episodes", "regime": "conditional_returns",
         "rate": "rate_sensitivity", "rolling": "rolling_views", "not_computable": "not_computable"}
NOT_COMPUTABLE_WORDS = re.compile(r"cannot be computed|无法用现有数据计算|can't be computed|cannot measure")
REGIME_LOOKBACK = 20  # "yields rising": the 10-year above its close 20 trading days before


@dataclass(frozen=True)
class AnalysisTurn:
    id: str
    language: str
    question: str
    intent: dict[str, Any]


@dataclass
class AnalysisVerdict:
    id: str
    language: str
    question: str
    intent: dict[str, Any]
    verdict: str = "substituted"
    tools: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def load(path: Path = QUESTIONS) -> list[list[AnalysisTurn]]:
    """The chains, each follow-up's intent completed from the turn before."""
    chains = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["chains"]:
        turns, previous = [], {}
        for n, t in enumerate(raw["turns"], 1):
            intent = {k: t.get(k, previous.get(k)) for k in KEYS}
            turns.append(AnalysisTurn(f"{raw['id']}.{n}" if len(raw["turns"]) > 1 else raw["id"],
                                      t.get("lang", raw["lang"]), t["q"], intent))
            previous = intent
        chains.append(turns)
    return chains


# -- expected figures, from the CSVs -----------------------------------------------------------


def _span(spec: str, series: pd.Series, end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    if spec == "history":
        return series.index[0], end
    if spec == "ytd":
        return pd.Timestamp(end.year, 1, 1), end
    if spec == "last5y":
        return end - pd.DateOffset(years=5), end
    if spec == "last1y":
        return end - pd.DateOffset(years=1), end
    if spec.startswith("since:"):
        return pd.Timestamp(spec[6:]), end
    if re.fullmatch(r"\d{4}", spec):
        return pd.Timestamp(int(spec), 1, 1), min(pd.Timestamp(int(spec), 12, 31), end)
    raise ValueError(f"unknown window {spec!r}")


def _pct(x: float, signed: bool = True) -> str:
    return f"{x * 100:+.2f}%" if signed else f"{x * 100:.2f}%"


def expected_figures(intent: dict[str, Any], data_dir: Path) -> list[str]:
    """The figures the answer must show, as it writes them (percent at 2 dp)."""
    kind, sym = intent["analysis"], intent["symbol"]
    if kind == "not_computable":
        return []
    s = closes(data_dir, sym)
    end = data_end(data_dir)
    start, stop = _span(intent["window"], s, end)
    if kind == "calendar":
        unit = {"month": "M", "quarter": "Q", "year": "Y"}[intent["frequency"]]
        inside = s.loc[start:stop]
        last = inside.groupby(inside.index.to_period(unit)).last()
        before = s.loc[:stop].groupby(s.loc[:stop].index.to_period(unit)).last().shift(1)
        rets = (last / before.reindex(last.index) - 1).dropna()
        return [_pct(r) for r in rets]
    if kind == "episodes":
        return [_pct(d) for d in _episode_depths(s.loc[start:stop], intent["threshold"] / 100)]
    if kind == "regime":
        on = closes(data_dir, intent["series"])
        both = pd.concat({"x": s, "on": on}, axis=1, sort=True).dropna()
        cond = {"above": lambda c: c > intent["level"], "below": lambda c: c < intent["level"],
                "rising": lambda c: c > c.shift(REGIME_LOOKBACK), "falling": lambda c: c < c.shift(REGIME_LOOKBACK)}
        full = cond[intent["rule"]](on).reindex(both.index).fillna(False)
        inside = both.loc[start:stop]
        r = inside["x"].pct_change().iloc[1:]
        held = full.loc[inside.index].shift(1).iloc[1:].astype(bool)
        return [_pct(r[held].mean()), _pct(r[~held].mean())]
    if kind == "rate":
        series = {"a": s, "y": closes(data_dir, "US10Y")}
        if intent.get("benchmark"):
            series["b"] = closes(data_dir, intent["benchmark"])
        frame = pd.concat(series, axis=1, join="inner", sort=True).loc[start:stop]
        weekly = frame.resample("W-SUN").last().dropna()
        level = weekly["a"] / weekly["b"] if "b" in weekly else weekly["a"]
        y = level.pct_change().iloc[1:].to_numpy()
        x = (weekly["y"].diff() * 100).iloc[1:].to_numpy()
        slope, t = _ols(x, y)
        return [_pct(slope * 10), f"{t:.2f}"]
    if kind == "rolling":
        vol = s.pct_change().rolling(60).std() * math.sqrt(252)
        pctile = vol.dropna().rank(pct=True)
        return [_pct(vol.loc[:stop].iloc[-1], signed=False), _pct(pctile.loc[:stop].iloc[-1], signed=False)]
    raise ValueError(kind)


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and its t-statistic of y on x with an intercept (classical standard error)."""
    xm, ym = x - x.mean(), y - y.mean()
    slope = (xm * ym).sum() / (xm * xm).sum()
    resid = ym - slope * xm
    se = math.sqrt((resid * resid).sum() / (x.size - 2) / (xm * xm).sum())
    return slope, slope / se


def _episode_depths(c: pd.Series, threshold: float) -> list[float]:
    """Depths of every fall from a running high (the window's first close on) reaching -threshold,
    one per high-to-recovery cycle (an open one at the end counts)."""
    depths, peak, trough = [], c.iloc[0], 0.0
    for value in c.iloc[1:]:
        if value >= peak:
            if trough <= -threshold:
                depths.append(trough)
            peak, trough = value, 0.0
        else:
            trough = min(trough, value / peak - 1)
    if trough <= -threshold:
        depths.append(trough)
    return depths


# -- the judge -----------------------------------------------------------------------------------


def judge(turn: AnalysisTurn, answer: Any, data_dir: Path) -> AnalysisVerdict:
    v = AnalysisVerdict(turn.id, turn.language, turn.question, turn.intent)
    v.tools = [c.name for c in answer.tool_calls if c.ok]
    text = answer.answer
    if turn.intent["analysis"] == "not_computable":
        market = any(c.get("series") for c in answer.market)
        v.verdict = "honest_decline" if NOT_COMPUTABLE_WORDS.search(text) and not market else "substituted"
        return v
    v.expected = expected_figures(turn.intent, data_dir)
    v.missing = [f for f in v.expected if f not in text and f.replace("+", "") not in text]
    if TOOLS[turn.intent["analysis"]] not in v.tools:
        v.verdict = "substituted"
    else:
        v.verdict = "computed" if not v.missing else "wrong"
    return v


def ask_all(ask: Callable[[str, str | None], Any], chains: Sequence[Sequence[AnalysisTurn]],
            data_dir: Path) -> list[AnalysisVerdict]:
    verdicts = []
    for chain in chains:
        thread = None
        for turn in chain:
            answer = ask(turn.question, thread)
            thread = answer.thread_id
            verdicts.append(judge(turn, answer, data_dir))
    return verdicts


def tally(verdicts: Sequence[AnalysisVerdict]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for lang in ("all", "en", "zh"):
        group = [v for v in verdicts if lang in ("all", v.language)]
        counts = Counter(v.verdict for v in group)
        out[lang] = {"turns": len(group), **{k: counts.get(k, 0)
                                              for k in ("computed", "honest_decline", "wrong", "substituted")}}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from benchmarks.eval.realistic.run import DEFAULT_DATA, RESULTS, build_service

    parser = argparse.ArgumentParser(description="Run the analysis questions and judge each answer.")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args, _ = parser.parse_known_args(argv)
    data_dir = args.data_dir.resolve()
    if not (data_dir / "SPX.csv").exists():
        print(f"market data not found at {data_dir}: pass --data-dir", file=sys.stderr)
        return 2
    chains = load()
    with tempfile.TemporaryDirectory(prefix="finsight-analyses-") as home:
        service = build_service(Path(home), data_dir)
        verdicts = ask_all(lambda q, t: service.ask(q, thread_id=t, owner="eval"), chains, data_dir)
    counts = tally(verdicts)
    print(f"{'lang':<4} {'turns':>5} {'computed':>8} {'h.decl':>6} {'wrong':>5} {'subst':>5}")
    for lang, c in counts.items():
        print(f"{lang:<4} {c['turns']:>5} {c['computed']:>8} {c['honest_decline']:>6} {c['wrong']:>5} {c['substituted']:>5}")
    for v in verdicts:
        if v.verdict not in ("computed", "honest_decline"):
            print(f"  {v.id} {v.verdict}: {v.question!r} tools {v.tools} missing {v.missing}")
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stamp}-analyses-eval.json").write_text(json.dumps(
        {"tally": counts, "turns": [asdict(v) for v in verdicts]}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
