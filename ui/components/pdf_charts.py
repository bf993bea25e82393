"""The PDF export's charts, drawn with reportlab from the same series the app's charts use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from ui.components.charts import price_chart
from ui.components.pdf_markdown import LATIN_FONT, TEXT_W, markup
from ui.i18n import t

LINE_COLOURS = [colors.HexColor("#1f6feb"), colors.HexColor("#e8710a"), colors.HexColor("#2da44e"),
                colors.HexColor("#a371f7")]


def line_chart(dates: list[str], series: dict[str, list[float | None]], y_format: str | Callable[[float], str],
               dashed: tuple[str, ...] = ()) -> Drawing | None:
    """A line per series over trading days, with a few dated ticks; None when nothing to draw."""
    points = {name: [(i, float(v)) for i, v in enumerate(values) if v is not None] for name, values in series.items()}
    points = {name: p for name, p in points.items() if len(p) > 1}
    if not points or len(dates) < 2:
        return None
    width, height = TEXT_W, 58 * mm
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 38, 18, width - 48, height - 38
    plot.data = list(points.values())
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, len(dates) - 1
    plot.xValueAxis.valueSteps = sorted({round(i * (len(dates) - 1) / 4) for i in range(5)})
    plot.xValueAxis.labelTextFormat = lambda v: dates[int(v)] if 0 <= int(v) < len(dates) else ""
    plot.yValueAxis.labelTextFormat = y_format
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = LATIN_FONT, 7
        axis.strokeColor = colors.HexColor("#8c959f")
    plot.yValueAxis.visibleGrid, plot.yValueAxis.gridStrokeColor = True, colors.HexColor("#eaeef2")
    for i, name in enumerate(points):
        plot.lines[i].strokeColor = LINE_COLOURS[i % len(LINE_COLOURS)]
        plot.lines[i].strokeWidth = 1.4
        if name in dashed:
            plot.lines[i].strokeDashArray = (4, 3)
    drawing.add(plot)
    x = plot.x
    for i, name in enumerate(points):  # a legend along the top edge
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        drawing.add(Line(x, height - 8, x + 14, height - 8, strokeColor=colour, strokeWidth=1.6,
                         strokeDashArray=(4, 3) if name in dashed else None))
        drawing.add(String(x + 18, height - 11, name, fontName=LATIN_FONT, fontSize=8))
        x += 30 + pdfmetrics.stringWidth(name, LATIN_FONT, 8)
    return drawing


def chart_flowables(report: dict[str, Any], lang: str, caption: ParagraphStyle) -> list[Flowable]:
    """The charts of one market result, each under its title: performance and relative strength
    of a metrics report; rolling beta/correlation and volatility percentile; drawdown episodes."""
    kind, target = report.get("analysis"), str(report.get("target") or "")
    if kind == "rolling_views":
        titles = [t("chart_rolling", lang, a=target, b=report.get("benchmark") or "", n=report.get("window") or ""),
                  t("chart_vol_pct", lang, a=target, n=report.get("window") or "")]
        chart = report.get("chart") or {}
        drawn = rolling_drawings(report)
        if not any(chart.get(k) for k in ("beta", "correlation")):
            titles = titles[1:]  # no benchmark: only the percentile is drawn
        return [KeepTogether([Paragraph(markup(title), caption), d, Spacer(1, 6)]) for title, d in zip(titles, drawn, strict=False)]
    if kind == "drawdown_episodes":
        d = drawdown_drawing(report)
        return [KeepTogether([Paragraph(markup(t("chart_drawdown", lang, a=target)), caption), d, Spacer(1, 6)])] if d else []
    if kind:
        return []
    chart = price_chart(report)
    dates = [str(d)[:10] for d in chart.get("dates") or []]
    panels: list[tuple[str, Drawing | None]] = []
    change = {s: [None if v is None else float(v) - 1.0 for v in vs] for s, vs in (chart.get("normalised") or {}).items()}
    panels.append((t("chart_perf", lang), line_chart(dates, change, _pct_axis)))
    for pair, ratio in (chart.get("ratio") or {}).items():
        ma20 = (chart.get("ratio_ma20") or {}).get(pair) or []
        panels.append((t("chart_ratio", lang, pair=pair), line_chart(dates, {pair: ratio, "MA20": ma20}, "%.3f",
                                                                      dashed=("MA20",))))
    return [KeepTogether([Paragraph(markup(title), caption), drawing, Spacer(1, 6)])
            for title, drawing in panels if drawing is not None]


def _pct_axis(value: float) -> str:
    return f"{value * 100:+.0f}%"


def rolling_drawings(report: dict[str, Any]) -> list[Drawing]:
    """A RollingViews result (JSON with chart) as PDF drawings: beta and correlation; volatility percentile."""
    chart = report.get("chart") or {}
    dates = [str(d)[:10] for d in chart.get("dates") or []]
    pair = {k: chart[k] for k in ("beta", "correlation") if chart.get(k)}
    drawings = [line_chart(dates, pair, "%.2f") if pair else None,
                line_chart(dates, {"vol percentile": chart.get("vol_percentile") or []}, _pct0_axis)]
    return [d for d in drawings if d is not None]


def drawdown_drawing(report: dict[str, Any]) -> Drawing | None:
    """A DrawdownEpisodes result (JSON with chart) as a PDF line of the drawdown from the running high."""
    chart = report.get("chart") or {}
    dates = [str(d)[:10] for d in chart.get("dates") or []]
    return line_chart(dates, {"drawdown": chart.get("drawdown") or []}, _pct_axis)


def _pct0_axis(value: float) -> str:
    return f"{value * 100:.0f}%"
