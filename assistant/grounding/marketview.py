"""Views of a metrics report: the compact form the model reads and the derived figures.

The derived figures (price vs moving average, volatility premium, ...) are defined here once,
so the writer of an answer and the verifier agree on exactly which numbers a report implies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from knowledge.market import RATE_UNIT

# Fields that are fractions in the report and percents in the compact view.
FRACTION_FIELDS = ("return", "daily_vol", "ann_vol", "ann_vol_20d", "max_drawdown",
                   "excess_return", "rs_from_max")
PRICE_FIELDS = ("base_close", "first_close", "last_close", "ma20", "ma50", "ma200", "high", "low")
RATIO_FIELDS = ("sharpe", "beta", "correlation", "vol_ratio")
# The parameters an analysis result states about itself (knowledge.market.analyses).
ANALYSIS_PARAMETERS = ("threshold_bp", "threshold", "level", "lookback", "window")


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def derived_series(series: dict[str, Any]) -> dict[str, float]:
    """Fractions implied by one series: distance of the last close from each moving average."""
    out: dict[str, float] = {}
    last = _num(series.get("last_close"))
    for ma in ("ma20", "ma50", "ma200"):
        level = _num(series.get(ma))
        if last is not None and level:
            out[f"vs_{ma}"] = last / level - 1.0
    return out


def derived_pair(pair: dict[str, Any], a: dict[str, Any] | None, b: dict[str, Any] | None,
                 ratio_ma20: float | None = None) -> dict[str, float]:
    """Fractions implied by one pair: volatility premium, vol gaps, ratio vs its own MA20."""
    out: dict[str, float] = {}
    ratio = _num(pair.get("vol_ratio"))
    if ratio is not None:
        # "63% higher" is how a report writes a volatility ratio of 1.63.
        out["vol_premium"] = ratio - 1.0
    if a and b:
        for field in ("daily_vol", "ann_vol", "ann_vol_20d", "max_drawdown", "return"):
            x, y = _num(a.get(field)), _num(b.get(field))
            if x is not None and y is not None:
                out[f"{field}_gap"] = x - y
                if y:
                    out[f"{field}_rel"] = x / y - 1.0
    rs_end = _num(pair.get("rs_end"))
    if rs_end is not None and ratio_ma20:
        out["rs_vs_ma20"] = rs_end / ratio_ma20 - 1.0
    return out


def last_ratio_ma20(report: dict[str, Any], key: str) -> float | None:
    """The last non-empty 20-day average of the pair's price ratio, from the chart series."""
    chart = report.get("chart") or {}
    values = (chart.get("ratio_ma20") or {}).get(key) or []
    for value in reversed(values):
        if _num(value) is not None:
            return float(value)
    return None


def exact_values(report: dict[str, Any]) -> list[float]:
    """Every number a report states or implies, exact (fractions stay fractions)."""
    values: list[float] = []
    # An analysis result (knowledge.market.analyses) lists its headline numbers in `figures`.
    values += [v for v in (_num(x) for x in (report.get("figures") or {}).values()) if v is not None]
    # ... and states the rule it was run with ("months when the yield rose more than 25 bp"), and
    # its rows (a calendar table's periods, each drawdown episode): every number it holds.
    values += [v for v in (_num(report.get(k)) for k in ANALYSIS_PARAMETERS) if v is not None]
    if report.get("analysis"):
        values += list(_numbers({k: v for k, v in report.items() if k not in ("chart", "figures")}))
        if report["analysis"] == "rate_sensitivity":
            values.append(10.0)  # the slope is stated per +10 bp of the yield
    series = report.get("series", {})
    for item in series.values():
        values += [v for v in (_num(x) for x in item.values()) if v is not None]
        values += list(derived_series(item).values())
    for key, pair in report.get("pairs", {}).items():
        ma = last_ratio_ma20(report, key)
        values += [v for v in (_num(x) for x in pair.values()) if v is not None]
        values += list(derived_pair(pair, series.get(pair.get("a")), series.get(pair.get("b")), ma).values())
        if ma is not None:
            values.append(ma)
    return values


def _numbers(value: Any) -> Iterator[float]:
    """Every number in a nested JSON value."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    elif (number := _num(value)) is not None:
        yield number


def _pct(value: Any) -> float | None:
    v = _num(value)
    return None if v is None else round(v * 100.0, 2)


def _round(value: Any, digits: int) -> float | None:
    v = _num(value)
    return None if v is None else round(v, digits)


def is_rate(item: dict[str, Any]) -> bool:
    """True for a series (engine or compact view) whose close is a rate, such as a yield."""
    return item.get("unit") == RATE_UNIT


def change_bp(item: dict[str, Any]) -> int | None:
    """A rate's change over the window in basis points (its `change` is in percentage points)."""
    change = _num(item.get("change"))
    return None if change is None else round(change * 100.0)


def compact_series(item: dict[str, Any]) -> dict[str, Any]:
    """One series for the model: percents (2 dp), prices (2 dp), flags."""
    out: dict[str, Any] = {"name": item.get("name"), "first_date": item.get("first_date"),
                           "last_date": item.get("last_date"), "trading_days": item.get("trading_days")}
    if item.get("base_date"):  # the close the return and change start from (docs/CONVENTIONS.md)
        out["base_date"] = item["base_date"]
    for field in FRACTION_FIELDS:
        if field in item:
            out[f"{field}_pct"] = _pct(item[field])
    for field in PRICE_FIELDS:
        if field in item:
            out[field] = _round(item[field], 2)
    for field in ("above_ma20", "above_ma50", "ma20_above_ma50", "high_date", "low_date",
                  "drawdown_peak_date", "drawdown_trough_date"):
        if field in item:
            out[field] = item[field]
    out["sharpe"] = _round(item.get("sharpe"), 2)
    if not is_rate(item) and _num(item.get("change")) is not None:
        out["change"] = _round(item["change"], 2)  # points, for level series such as the VIX
    if is_rate(item) and (bp := change_bp(item)) is not None:
        # A yield: its move is a change in basis points; its "return" is not a return.
        out["unit"] = RATE_UNIT
        out["change_bp"] = bp
    for name, value in derived_series(item).items():
        out[f"last_{name}_pct"] = _pct(value)
    return out


def compact_pair(report: dict[str, Any], key: str, pair: dict[str, Any]) -> dict[str, Any]:
    """One pair for the model: excess return and relative-strength figures."""
    series = report.get("series", {})
    out: dict[str, Any] = {
        "excess_return_pct": _pct(pair.get("excess_return")),
        "relative_return_pct": _pct(pair.get("relative_return")),
        "rs_end": _round(pair.get("rs_end"), 4),
        "rs_max": _round(pair.get("rs_max"), 4),
        "rs_max_date": pair.get("rs_max_date"),
        "rs_from_max_pct": _pct(pair.get("rs_from_max")),
        "beta": _round(pair.get("beta"), 2),
        "correlation": _round(pair.get("correlation"), 2),
        "vol_ratio": _round(pair.get("vol_ratio"), 2),
    }
    ma = last_ratio_ma20(report, key)
    if ma is not None:
        out["rs_ma20"] = round(ma, 4)
    derived = derived_pair(pair, series.get(pair.get("a")), series.get(pair.get("b")), ma)
    if "vol_premium" in derived:
        out["vol_premium_pct"] = _pct(derived["vol_premium"])
    if "rs_vs_ma20" in derived:
        out["rs_vs_ma20_pct"] = _pct(derived["rs_vs_ma20"])
    return out


def coverage_gaps(report: dict[str, Any]) -> list[dict[str, str]]:
    """Where a symbol's data does not cover the window asked for (the engine's `coverage_gaps`)."""
    return [{k: v for k, v in gap.items() if v is not None and k != "note"} for gap in report.get("coverage_gaps", [])]


def compact_report(report: dict[str, Any], cite: int = 0) -> dict[str, Any]:
    """The compact, JSON-ready view of a report that a model (or the offline writer) reads."""
    notes = [r.get("note") for r in report.get("resolved", []) if isinstance(r, dict) and r.get("note")]
    # Coverage gaps go to the reader once, structured, rather than also as notes.
    gap_notes = {gap.get("note") for gap in report.get("coverage_gaps", [])}
    notes += [n for n in report.get("notes", []) if n and n not in gap_notes]
    return {
        "cite": cite,
        "provider": report.get("provider"),
        "window": {"start": report.get("start"), "end": report.get("end"),
                   "first_date": report.get("first_date"), "last_date": report.get("last_date")},
        "as_of": report.get("as_of"),
        "symbols": report.get("symbols", []),
        "series": {sym: compact_series(item) for sym, item in report.get("series", {}).items()},
        "pairs": {key: compact_pair(report, key, pair) for key, pair in report.get("pairs", {}).items()},
        "notes": notes,
        "coverage_gaps": coverage_gaps(report),
    }
