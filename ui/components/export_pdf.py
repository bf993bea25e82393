"""An answer as a PDF a reader can file or forward: the report, its charts, every source quoted."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from assistant.answer import Answer, Citation
from assistant.references import citation_line
from ui.components.answer_text import answer_parts
from ui.components.export import export_labels, grounding_lines
from ui.components.metrics import evidence_pairs_table, evidence_table, scorecard_table
from ui.components.notes import notes_to_show
from ui.components.pdf_charts import chart_flowables
from ui.components.pdf_markdown import (
    BOX_INSET,
    CJK_FONT,
    LATIN_FONT,
    MARGIN,
    MUTED,
    PAGE_W,
    TEXT_W,
    grid_table,
    link_markup,
    markdown_flowables,
    markup,
    needs_cjk_font,
    paragraph_styles,
    quote_box,
    register_fonts,
)
from ui.components.references import passage_markdown
from ui.i18n import t


def _table_rows(frame: Any) -> list[list[Any]]:
    cell = paragraph_styles()["cell"]
    return [[Paragraph(markup(str(v)), cell) for v in row] for row in [list(frame.columns), *frame.values.tolist()]]


def _reference(c: Citation, reports: list[dict[str, Any]], lang: str) -> list[Flowable]:
    styles = paragraph_styles()
    title = citation_line(c.model_copy(update={"url": None}), lang)  # the link gets its own line
    parts: list[Flowable] = [Paragraph(f"<b>{markup(title)}</b>", styles["item"])]
    if c.url:
        parts.append(Paragraph(link_markup(c.url, markup(c.url)), styles["small"]))
    if c.kind == "market":
        for report in reports:
            if report.get("analysis"):  # an analysis: its method, in words
                parts.append(Paragraph(markup(str(report.get("method") or "")), styles["small"]))
                if report["analysis"] == "scorecard":  # each star beside the rule that gave it
                    parts += [grid_table(_table_rows(scorecard_table(report, lang=lang))), Spacer(1, 4)]
                continue
            for frame in (evidence_table(report, lang=lang), evidence_pairs_table(report, lang=lang)):
                if not frame.empty:
                    parts += [grid_table(_table_rows(frame)), Spacer(1, 4)]
    else:
        if c.demo:
            parts.append(Paragraph(markup(t("demo_passage", lang)), styles["small"]))
        if c.passage:
            parts.append(Paragraph(markup(export_labels(lang)["passage"]), styles["small"]))
            # The passage's headings become bold lines: quoted text must not outrank the report's.
            parts.append(quote_box(markdown_flowables(passage_markdown(c.passage), styles["quote"], TEXT_W - BOX_INSET)))
    return [KeepTogether(parts), Spacer(1, 8)]


def _footer(lang: str, generated: str) -> Callable[[Any, Any], None]:
    """Draws the page's footer: what the figures rest on, and the page number."""
    line = f"finsight · {generated} · " + export_labels(lang)["footer"]

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#d0d7de"))
        canvas.line(MARGIN, 12 * mm, PAGE_W - MARGIN, 12 * mm)
        canvas.setFillColor(MUTED)
        text = canvas.beginText(MARGIN, 8 * mm)
        for wide, run in itertools.groupby(line, key=needs_cjk_font):
            text.setFont(CJK_FONT if wide else LATIN_FONT, 7.5)
            text.textOut("".join(run))
        canvas.drawText(text)
        canvas.setFont(LATIN_FONT, 7.5)
        canvas.drawRightString(PAGE_W - MARGIN, 8 * mm, str(doc.page))
        canvas.restoreState()

    return draw


def answer_pdf(answer: Answer, generated: date | None = None) -> bytes:
    """The answer as an A4 PDF: question, report with its charts, grounding, and every reference."""
    register_fonts()
    styles = paragraph_styles()
    lang = answer.language
    words = export_labels(lang)
    generated_on = (generated or date.today()).isoformat()
    mode = f"LLM · {answer.model}" if answer.mode == "llm" else words["offline"]
    story: list[Flowable] = [
        Paragraph(markup(answer.question), styles["title"]),
        Paragraph(markup(f"finsight · {words['mode']}: {mode} · {generated_on}"), styles["meta"]),
    ]
    head, tail = answer_parts(answer)  # from the answer's document, without its own reference list
    story += markdown_flowables(head)
    for report in answer.market:
        story += chart_flowables(report, lang, styles["small"])
    story += markdown_flowables(tail)
    for line in [*grounding_lines(answer), *notes_to_show(answer, lang)]:
        story.append(Paragraph(markup(line), styles["small"]))
    if answer.citations:
        story.append(Paragraph(markup(words["refs"]), styles["h2"]))
        for c in sorted(answer.citations, key=lambda c: c.id):
            story += _reference(c, answer.market, lang)
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=20 * mm, title=answer.question, author="finsight",
                            subject=words["footer"], creator="finsight")
    footer = _footer(lang, generated_on)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
