"""TEMPORARY shim over parse_period until the time-expression reader lands."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from knowledge.market import parse_period


@dataclass(frozen=True)
class AnchorEvent:
    kind: Literal["low", "high", "selloff"]
    year: int | None
    month: int | None
    text: str


@dataclass(frozen=True)
class WindowRead:
    start: date | None
    end: date | None
    kind: str
    text: str
    base: str
    partial: bool
    anchor: AnchorEvent | None
    ties_to_previous: bool


def read_window(text: str, *, today: date, data_end: date | None, previous=None) -> WindowRead | None:
    ref = min(today, data_end) if data_end else today
    p = parse_period(text, ref)
    if p is None or not (p.start or p.end):
        return None
    return WindowRead(p.start, p.end, "dates", getattr(p, "label", "") or "", "on_or_before", False, None, False)
