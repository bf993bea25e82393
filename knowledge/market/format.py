"""A readable text table of a MetricsReport, for `finsight metrics` without --json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .report import MetricsReport

_LABELS: dict[str, tuple[str, str]] = {
    # key: (English, Chinese)
    "window": ("Window", "区间"),
    "trading": ("Trading days used", "实际交易日"),
    "provider": ("Provider", "数据来源"),
    "as_of": ("Data as of", "数据截至"),
    "base_date": ("Return base day", "收益基准日"),
    "base_close": ("Base close", "基准收盘"),
    "first_date": ("First day", "首个交易日"),
    "last_date": ("Last day", "最后交易日"),
    "first_close": ("First close", "期初收盘"),
    "last_close": ("Last close", "期末收盘"),
    "return": ("Return", "区间涨跌幅"),
    "daily_vol": ("Daily volatility", "日波动率"),
    "ann_vol": ("Annualised volatility", "年化波动率"),
    "ann_vol_20d": ("20-day ann. volatility", "20日年化波动率"),
    "ma20": ("MA20", "20日均线"),
    "ma50": ("MA50", "50日均线"),
    "ma200": ("MA200", "200日均线"),
    "above_ma20": ("Close above MA20", "收盘高于MA20"),
    "above_ma50": ("Close above MA50", "收盘高于MA50"),
    "ma20_above_ma50": ("MA20 above MA50", "MA20高于MA50"),
    "max_drawdown": ("Max drawdown", "最大回撤"),
    "sharpe": ("Sharpe (rf=0)", "夏普比率(无风险利率0)"),
    "trading_days": ("Trading days", "交易日数"),
    "excess_return": ("Excess return", "超额收益"),
    "relative_return": ("Relative return", "相对收益"),
    "rs_end": ("Ratio at end", "期末比值"),
    "rs_max": ("Ratio high", "比值高点"),
    "rs_max_date": ("Ratio high on", "高点日期"),
    "rs_from_max": ("Ratio vs its high", "较高点变化"),
    "beta": ("Beta", "贝塔"),
    "correlation": ("Correlation", "相关系数"),
    "vol_ratio": ("Daily vol ratio", "日波动率之比"),
    "common_days": ("Common trading days", "共同交易日"),
    "notes": ("Notes", "说明"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "na": ("n/a", "无"),
}

_PCT = {"return", "daily_vol", "ann_vol", "ann_vol_20d", "max_drawdown", "excess_return", "relative_return",
        "rs_from_max"}
_PRICE = {"base_close", "first_close", "last_close", "ma20", "ma50", "ma200"}
_SERIES_ROWS = ["base_date", "base_close", "first_date", "last_date", "first_close", "last_close", "return",
                "daily_vol", "ann_vol",
                "ann_vol_20d", "ma20", "ma50", "ma200", "above_ma20", "above_ma50", "ma20_above_ma50",
                "max_drawdown", "sharpe", "trading_days"]
_PAIR_ROWS = ["excess_return", "relative_return", "rs_end", "rs_max", "rs_max_date", "rs_from_max", "beta", "correlation",
              "vol_ratio", "common_days"]


def _cell(key: str, value: Any, word: Callable[[str], str]) -> str:
    if value is None:
        return word("na")
    if isinstance(value, bool):
        return word("yes") if value else word("no")
    if key in _PCT:
        return f"{value * 100:+.2f}%" if key in ("return", "excess_return", "relative_return") else f"{value * 100:.2f}%"
    if key in _PRICE:
        return f"{value:,.2f}"
    if key in ("rs_end", "rs_max"):
        return f"{value:.4f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    # Width by character count; CJK glyphs are wide, so pad them as two columns.
    def width(s: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    cols = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [c + " " * (cols[i] - width(c)) if i == 0 else " " * (cols[i] - width(c)) + c
                 for i, c in enumerate(cells)]
        return "  ".join(parts).rstrip()

    return [line(header), "  ".join("-" * w for w in cols), *(line(r) for r in rows)]


def format_report(report: MetricsReport, language: str = "en") -> str:
    """The report as aligned plain-text tables, English or Chinese ("zh") labels."""
    idx = 1 if language == "zh" else 0

    def word(key: str) -> str:
        return _LABELS[key][idx]

    out = [
        f"{word('window')}: {report.start} .. {report.end}   "
        f"{word('trading')}: {report.first_date} .. {report.last_date}",
        f"{word('provider')}: {report.provider}   {word('as_of')}: {report.as_of}",
    ]
    for r in report.resolved:
        if r.get("note"):
            out.append(f"  {r['note']}")
    out.append("")
    syms = list(report.series)
    rows = [[word(k), *(_cell(k, getattr(report.series[s], "return_" if k == "return" else k), word) for s in syms)]
            for k in _SERIES_ROWS]
    out += _table(["", *syms], rows)
    if report.pairs:
        out.append("")
        keys = list(report.pairs)
        rows = [[word(k), *(_cell(k, getattr(report.pairs[p], k), word) for p in keys)] for k in _PAIR_ROWS]
        out += _table(["", *keys], rows)
    if report.notes:
        out += ["", f"{word('notes')}:", *(f"  - {n}" for n in report.notes)]
    return "\n".join(out)
