"""The realistic question set as typed values: chains of turns, each with its intent.

A follow-up turn that leaves out instruments, window or metrics keeps the previous turn's (the
conversation convention); `load()` resolves that once so every turn carries its full intent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "questions.yaml"

CATALOGUE = ("RUT", "SPX", "IXIC", "SOX", "NDX", "DJI", "VIX", "US10Y", "SPY", "QQQ", "IWM")
LEVEL_SYMBOLS = ("VIX", "US10Y")  # quoted as levels: never returns, drawdowns or excess returns
METRICS = ("return", "excess", "mdd", "vol", "ma20", "ma50", "ma200", "level", "high", "low", "change",
           "beta", "corr", "sharpe", "rs", "ma20v", "ma50v")
DECLINES = ("no_data", "forecast", "guarantee", "before_start", "after_end")


@dataclass(frozen=True)
class Turn:
    """One question of a conversation and what the person asking it means."""

    id: str
    chain: str
    language: Literal["zh", "en"]
    question: str
    instruments: tuple[str, ...] = ()
    window: str | None = None
    metrics: tuple[str, ...] = ()
    decline: str | None = None
    source: str = "realistic"
    # Which of instruments/window/metrics this turn says itself (the rest it keeps from the last turn).
    said: frozenset[str] = frozenset({"instruments", "window", "metrics"})


@dataclass(frozen=True)
class Chain:
    id: str
    language: Literal["zh", "en"]
    turns: tuple[Turn, ...]


def _check(turn: Turn) -> None:
    if turn.decline:
        if turn.decline not in DECLINES:
            raise ValueError(f"{turn.id}: unknown decline kind {turn.decline!r}")
        return
    unknown = [s for s in turn.instruments if s not in CATALOGUE]
    bad = [m for m in turn.metrics if m.split(":")[0] not in METRICS]
    if not turn.instruments or not turn.window or not turn.metrics or unknown or bad:
        raise ValueError(f"{turn.id}: incomplete or unknown intent (instruments {unknown}, metrics {bad})")


def parse(data: dict) -> tuple[Chain, ...]:
    """Chains from the YAML structure, follow-ups filled in from the previous turn."""
    chains: list[Chain] = []
    for raw in data["chains"]:
        previous: Turn | None = None
        turns: list[Turn] = []
        for n, t in enumerate(raw["turns"], 1):
            keep = previous if previous and not previous.decline else None
            turn = Turn(
                id=f"{raw['id']}.{n}" if len(raw["turns"]) > 1 else raw["id"],
                chain=raw["id"],
                language=t.get("lang", raw["lang"]),
                question=t["q"],
                instruments=tuple(t.get("instruments") or (keep.instruments if keep else ())),
                window=str(t["window"]) if "window" in t else (keep.window if keep else None),
                metrics=tuple(t.get("metrics") or (keep.metrics if keep else ())),
                decline=t.get("decline"),
                said=frozenset(k for k in ("instruments", "window", "metrics") if k in t),
            )
            if turn.decline:
                turn = Turn(turn.id, turn.chain, turn.language, turn.question, decline=turn.decline)
            _check(turn)
            turns.append(turn)
            previous = turn
        chains.append(Chain(raw["id"], raw["lang"], tuple(turns)))
    return tuple(chains)


@lru_cache(maxsize=1)
def load(path: Path = QUESTIONS) -> tuple[Chain, ...]:
    """Every chain of the realistic set."""
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


def turns(chains: tuple[Chain, ...]) -> list[Turn]:
    return [t for c in chains for t in c.turns]
