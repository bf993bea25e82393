"""Findings: every value an answer may show, computed once by code from the tool results.

A Finding has an id (``RUT.return``, ``RUT/SPX.excess``), its value as shown (percents and
prices at 2 dp, the precision the compact tool view carries, so verification grounds them),
its unit, its subject and window, and the citation id of its source. Readings that are rules
over figures (a verdict, above or below an average) are Findings too, so no prose module
decides them.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from assistant.reading.request import iso_day

Unit = Literal["pct", "pp", "price", "level", "percent", "bp", "points", "ratio", "date", "flag", "days", "symbol", "stars"]

# compact-view field -> (finding key, unit). Percent fields of the compact view end in _pct.
_SERIES_FIELDS: tuple[tuple[str, str, Unit], ...] = (
    ("return_pct", "return", "pct"),
    ("max_drawdown_pct", "drawdown", "pct"),
    ("daily_vol_pct", "daily_vol", "pct"),
    ("ann_vol_pct", "ann_vol", "pct"),
    ("ann_vol_20d_pct", "ann_vol_20d", "pct"),
    ("sharpe", "sharpe", "ratio"),
    ("ma20", "ma20", "price"),
    ("ma50", "ma50", "price"),
    ("ma200", "ma200", "price"),
    ("last_vs_ma20_pct", "vs_ma20", "pct"),
    ("last_vs_ma50_pct", "vs_ma50", "pct"),
    ("last_vs_ma200_pct", "vs_ma200", "pct"),
    ("above_ma20", "above_ma20", "flag"),
    ("above_ma50", "above_ma50", "flag"),
    ("first_close", "first_close", "price"),
    ("base_close", "base_close", "price"),
    ("last_close", "last_close", "price"),
    ("high", "high", "price"),
    ("low", "low", "price"),
    ("trading_days", "trading_days", "days"),
    ("change_bp", "change_bp", "bp"),
)
# Keys measured from the base close rather than from the first day inside the window.
_FROM_BASE = frozenset({"return", "base_close", "change_bp", "change"})
_PAIR_FIELDS: tuple[tuple[str, str, Unit], ...] = (
    ("excess_return_pct", "excess", "pp"),
    ("beta", "beta", "ratio"),
    ("correlation", "correlation", "ratio"),
    ("vol_ratio", "vol_ratio", "ratio"),
    ("rs_end", "rs_end", "ratio"),
    ("rs_max", "rs_max", "ratio"),
    ("rs_from_max_pct", "rs_from_max", "pct"),
    ("rs_ma20", "rs_ma20", "ratio"),
)


class Finding(BaseModel):
    """One value an answer may show."""

    model_config = ConfigDict(frozen=True)

    id: str
    key: str
    subject: str  # a symbol, or "A/B" for a pair
    value: float | bool | str | None
    unit: Unit
    start: date | None = None
    end: date | None = None
    on: date | None = None  # the day a dated value (a high, a low, a close) was seen
    cite: int = 0


class Findings:
    """The findings of one answer, by id."""

    def __init__(self, items: list[Finding] | None = None) -> None:
        self.items: dict[str, Finding] = {}
        for item in items or []:
            self.add(item)

    def add(self, item: Finding) -> Finding:
        self.items[item.id] = item
        return item

    def get(self, subject: str, key: str) -> Finding | None:
        return self.items.get(f"{subject}.{key}")

    def value(self, subject: str, key: str) -> Any:
        item = self.get(subject, key)
        return None if item is None else item.value

    def __iter__(self):  # noqa: ANN204 - an iterator of Finding
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)

    def subjects(self) -> set[str]:
        return {f.subject for f in self}


def build_findings(result: dict[str, Any], findings: Findings | None = None) -> Findings:
    """The findings of one compact market result (`Toolbox.market_metrics`), added to `findings`."""
    out = findings if findings is not None else Findings()
    cite = int(result.get("cite", 0))
    for symbol, series in result.get("series", {}).items():
        # A return or change runs from the base close (the close before a calendar period);
        # intra-window figures (volatility, drawdown, averages) from the first day inside.
        inside, end = iso_day(series.get("first_date")), iso_day(series.get("last_date"))
        based = iso_day(series.get("base_date")) or inside
        for field, key, unit in _SERIES_FIELDS:
            start = based if key in _FROM_BASE else inside
            value = series.get(field)
            if value is None:
                continue
            if series.get("unit") == "percent" and unit == "price":
                unit = "percent"  # a yield's close is a level in percent, not a price
            on = {"high": "high_date", "low": "low_date", "base_close": "base_date", "first_close": "first_date"}.get(key)
            out.add(Finding(id=f"{symbol}.{key}", key=key, subject=symbol, value=value, unit=unit, start=start,
                            end=end, on=iso_day(series.get(on)) if on else (end if key == "last_close" else None),
                            cite=cite))
        if series.get("change") is not None:
            out.add(Finding(id=f"{symbol}.change", key="change", subject=symbol, value=series["change"],
                            unit="points", start=based, end=end, cite=cite))
    for key_pair, pair in result.get("pairs", {}).items():
        a_series = result["series"].get(key_pair.split("/", 1)[0], {})
        start, end = iso_day(a_series.get("first_date")), iso_day(a_series.get("last_date"))
        for field, key, unit in _PAIR_FIELDS:
            value = pair.get(field)
            if value is not None:
                out.add(Finding(id=f"{key_pair}.{key}", key=key, subject=key_pair, value=value, unit=unit,
                                start=start, end=end, cite=cite))
        if pair.get("rs_max_date"):
            out.add(Finding(id=f"{key_pair}.rs_max_date", key="rs_max_date", subject=key_pair,
                            value=pair["rs_max_date"], unit="date", start=start, end=end, cite=cite))
        if (verdict := comparison_verdict(key_pair, pair)) is not None:
            out.add(verdict.model_copy(update={"start": start, "end": end, "cite": cite}))
    return out


def comparison_verdict(key_pair: str, pair: dict[str, Any]) -> Finding | None:
    """Rule: A beat B over the window when A's return exceeds B's (excess > 0, at 2 dp)."""
    excess = pair.get("excess_return_pct")
    if excess is None:
        return None
    a, b = key_pair.split("/", 1)
    winner = a if excess > 0 else b if excess < 0 else ""
    return Finding(id=f"{key_pair}.verdict", key="verdict", subject=key_pair, value=winner, unit="symbol")
