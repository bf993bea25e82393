"""Tables of a metrics report (`MetricsReport.to_json_dict()`), formatted for reading.

Values arrive as fractions; they are shown as percents with two decimals, which is also how the
answers quote them, so a reader can match a table cell to a figure in the text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from assistant.grounding.marketview import change_bp, is_rate
from ui.i18n import Lang, t


def pct(value: Any, signed: bool = False) -> str:
    """0.1184 -> '11.84%' ('+11.84%' when signed); '–' for a missing value."""
    if value is None:
        return "–"
    return f"{float(value) * 100:+.2f}%" if signed else f"{float(value) * 100:.2f}%"


def num(value: Any, digits: int = 2) -> str:
    """A plain number with `digits` decimals and thousands separators; '–' when missing."""
    return "–" if value is None else f"{float(value):,.{digits}f}"


def yes_no(value: Any) -> str:
    """A boolean as a check mark or a cross; '–' when unknown."""
    return "–" if value is None else ("✓" if value else "✗")


def series_table(report: dict[str, Any], compact: bool = False, lang: Lang | None = None) -> pd.DataFrame:
    """One row per index: return, volatility, drawdown and trend flags."""
    rows = []
    for symbol, s in (report.get("series") or {}).items():
        row = {
            t("col_symbol", lang): symbol,
            t("col_name", lang): s.get("name") or symbol,
            # A yield's move is its change in basis points; its relative "return" would mislead.
            t("col_return", lang): (f"{change_bp(s):+d} bp" if is_rate(s) and change_bp(s) is not None
                                    else pct(s.get("return"), signed=True)),
            t("col_last", lang): num(s.get("last_close")),
            t("col_ann_vol", lang): pct(s.get("ann_vol")),
            t("col_mdd", lang): pct(s.get("max_drawdown")),
        }
        if not compact:
            row |= {
                t("col_daily_vol", lang): pct(s.get("daily_vol")),
                t("col_vol20", lang): pct(s.get("ann_vol_20d")),
                t("col_sharpe", lang): num(s.get("sharpe")),
                t("col_ma20", lang): yes_no(s.get("above_ma20")),
                t("col_ma50", lang): yes_no(s.get("above_ma50")),
                t("col_days", lang): str(s.get("trading_days") or "–"),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def pairs_table(report: dict[str, Any], lang: Lang | None = None) -> pd.DataFrame:
    """One row per compared pair: excess return, where the RS ratio stands, beta, correlation."""
    rows = []
    for key, p in (report.get("pairs") or {}).items():
        rows.append(
            {
                t("col_pair", lang): key,
                t("col_excess", lang): pct(p.get("excess_return"), signed=True),
                t("col_rs_end", lang): num(p.get("rs_end"), 4),
                t("col_rs_from_max", lang): pct(p.get("rs_from_max"), signed=True),
                t("col_beta", lang): num(p.get("beta")),
                t("col_corr", lang): num(p.get("correlation")),
                t("col_vol_ratio", lang): num(p.get("vol_ratio")),
            }
        )
    return pd.DataFrame(rows)


def _dated(value: Any, day: Any, digits: int = 2) -> str:
    return "–" if value is None else f"{num(value, digits)} ({day or '–'})"


def evidence_table(report: dict[str, Any], lang: Lang | None = None) -> pd.DataFrame:
    """Everything an answer may cite from one metrics report as [0], one column per series: the
    closes with their dates (the base close a return runs from included), return or change,
    daily, annualised and 20-day volatility, the moving averages beside the close they are
    compared with, the drawdown with its peak and trough days, the high and the low."""
    series = report.get("series") or {}
    columns: dict[str, list[str]] = {}
    labels = ["ref_base", "ref_first", "ref_last", "col_return", "col_daily_vol", "col_ann_vol", "col_vol20",
              "ref_ma20", "ref_ma50", "ref_ma200", "col_mdd", "ref_dd_days", "ref_high", "ref_low", "col_sharpe",
              "col_days"]
    for symbol, s in series.items():
        rate = is_rate(s)
        move = f"{change_bp(s):+d} bp" if rate and change_bp(s) is not None else pct(s.get("return"), signed=True)
        columns[symbol] = [
            _dated(s.get("base_close"), s.get("base_date")), _dated(s.get("first_close"), s.get("first_date")),
            _dated(s.get("last_close"), s.get("last_date")), move, pct(s.get("daily_vol")), pct(s.get("ann_vol")),
            pct(s.get("ann_vol_20d")), num(s.get("ma20")), num(s.get("ma50")), num(s.get("ma200")),
            pct(s.get("max_drawdown"), signed=True),
            f"{s.get('drawdown_peak_date') or '–'} → {s.get('drawdown_trough_date') or '–'}",
            _dated(s.get("high"), s.get("high_date")), _dated(s.get("low"), s.get("low_date")),
            num(s.get("sharpe")), str(s.get("trading_days") or "–"),
        ]
    if not columns:
        return pd.DataFrame()
    return pd.DataFrame({t("ref_measure", lang): [t(label, lang) for label in labels], **columns})


def evidence_pairs_table(report: dict[str, Any], lang: Lang | None = None) -> pd.DataFrame:
    """Every pair figure [0] may be cited for: excess and relative return, the price ratio at the
    start, end and high (with its day), beta, correlation, volatility ratio."""
    rows = []
    chart = report.get("chart") or {}
    for key, p in (report.get("pairs") or {}).items():
        ratio = (chart.get("ratio") or {}).get(key) or []
        rows.append({
            t("col_pair", lang): key,
            t("col_excess", lang): pct(p.get("excess_return"), signed=True),
            t("ref_relative", lang): pct(p.get("relative_return"), signed=True),
            t("ref_rs_start", lang): num(ratio[0], 4) if ratio else "–",
            t("col_rs_end", lang): num(p.get("rs_end"), 4),
            t("ref_rs_high", lang): _dated(p.get("rs_max"), p.get("rs_max_date"), 4),
            t("col_rs_from_max", lang): pct(p.get("rs_from_max"), signed=True),
            t("col_beta", lang): num(p.get("beta")),
            t("col_corr", lang): num(p.get("correlation")),
            t("col_vol_ratio", lang): num(p.get("vol_ratio")),
        })
    return pd.DataFrame(rows)


def scorecard_table(report: dict[str, Any], lang: Lang | None = None) -> pd.DataFrame:
    """The rule behind every star of a scorecard result: what was measured over which days, the
    value, the four cuts of its five bands (and which way is better) and the stars it earned."""
    rows = []
    for r in report.get("ratings") or []:
        rule = r.get("rule") or {}
        percentile = rule.get("unit") == "percentile"
        cuts = " / ".join(pct(x, signed=not percentile) for x in rule.get("thresholds") or [])
        better = t("score_higher_better" if rule.get("higher_is_better") else "score_lower_better", lang)
        rows.append({
            t("score_dimension", lang): t(f"score_{r.get('dimension')}", lang),
            t("score_measured", lang): (report.get("measured") or {}).get(r.get("dimension"), "–"),
            t("score_value", lang): pct(r.get("value"), signed=not percentile),
            t("score_cuts", lang): f"{cuts} ({better})",
            t("score_stars", lang): "★" * int(r.get("stars") or 0) + "☆" * (5 - int(r.get("stars") or 0)),
        })
    return pd.DataFrame(rows)


def window_text(report: dict[str, Any]) -> str:
    """'2025-09-02 → 2026-01-30' from the actual first and last trading days (falls back to the request)."""
    first = report.get("first_date") or report.get("start") or "?"
    last = report.get("last_date") or report.get("end") or "?"
    return f"{first} → {last}"


def markdown_table(frame: pd.DataFrame) -> str:
    """A small frame as a Markdown table (cheaper to send and draw than an Arrow table)."""
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)
