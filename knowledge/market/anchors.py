"""Find the day an event-anchored window starts: "since the 2025 low", "自那次暴跌以来".

Pure: it takes the event as plain values (kind, year, month) and a close series, so the market
layer never depends on the question reader. The span searched is the month when a month is given
(with its year), else the year, else the last 12 months to the reference; it never runs past the
reference. Rules, each with the id returned beside the day:

- ``low``: the lowest close in the span (the first such day on a tie);
- ``high``: the highest close in the span (the first such day on a tie);
- ``selloff``: the trough of the deepest peak-to-trough drawdown of closes inside the span.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import numpy as np

from .periods import shift_months

_RULE_NAMES = {"low": "min_close", "high": "max_close", "selloff": "deepest_drawdown_trough"}


class AnchorDay(NamedTuple):
    """The day an anchored window starts, its close and the id of the rule that picked it."""

    day: date
    close: float
    rule: str


def anchor_span(year: int | None, month: int | None, reference: date) -> tuple[date, date, str]:
    """The first and last day searched for an event, and the span's part of the rule id."""
    if year is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        span = (date(year, month, 1), min(date(year, month, last), reference), f"{year}_{month:02d}")
    elif year is not None:
        span = (date(year, 1, 1), min(date(year, 12, 31), reference), f"{year}")
    elif month is not None:  # a month without a year: the latest one that started by the reference
        year = reference.year if reference.month >= month else reference.year - 1
        return anchor_span(year, month, reference)
    else:
        span = (shift_months(reference, -12), reference, "last_12_months")
    return span


def resolve_anchor(
    kind: str,
    year: int | None,
    month: int | None,
    dates: Sequence[date],
    closes: Sequence[float],
    reference: date,
) -> AnchorDay | None:
    """The anchor day of event `kind` ("low", "high" or "selloff"), or None when the span has no
    prices (or, for a selloff, never fell)."""
    if kind not in _RULE_NAMES:
        raise ValueError(f"unknown anchor kind {kind!r}: expected low, high or selloff")
    first, last, span_id = anchor_span(year, month, reference)
    inside = [(d, float(c)) for d, c in zip(dates, closes, strict=True)
              if first <= d <= last and c is not None and not math.isnan(float(c))]
    if not inside:
        return None
    values = np.array([c for _, c in inside])
    if kind == "low":
        index = int(np.argmin(values))
    elif kind == "high":
        index = int(np.argmax(values))
    else:
        drawdown = values / np.maximum.accumulate(values) - 1.0
        index = int(np.argmin(drawdown))
        if drawdown[index] >= 0:
            return None
    day, close = inside[index]
    return AnchorDay(day, close, f"{_RULE_NAMES[kind]}_in_{span_id}")
