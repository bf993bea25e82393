"""Typesetting for the PDF export: fonts, paragraph styles, and Markdown as reportlab flowables.

Chinese is set in STSong-Light, one of the Adobe standard CID fonts that PDF readers supply
themselves, so no font file is needed or embedded; everything Helvetica can draw stays Latin.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any
from xml.sax.saxutils import escape

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
    XPreformatted,
)

from assistant.untrusted import safe_url, strip_controls

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
MUTED = colors.HexColor("#57606a")
INK = colors.HexColor("#0f2d5c")  # headings: the CJK font has no bold face, so colour marks them
PAGE_W, _ = A4
MARGIN = 18 * mm
TEXT_W = PAGE_W - 2 * MARGIN
BOX_INSET = 28  # a boxed quote's rule, paddings and margin
SAFE_LINK = re.compile(r"^https?:", re.IGNORECASE)
_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@functools.cache
def register_fonts() -> None:
    """Make the CJK font known to reportlab (once per process)."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    # A CID font has no bold or italic face: **bold** Chinese stays regular rather than failing.
    pdfmetrics.registerFontFamily(CJK_FONT, normal=CJK_FONT, bold=CJK_FONT, italic=CJK_FONT, boldItalic=CJK_FONT)


@functools.cache
def paragraph_styles() -> dict[str, ParagraphStyle]:
    """The export's paragraph styles by role: body, item, title, meta, h1-h3, quote, small, cell, code."""
    base = ParagraphStyle("body", fontName=LATIN_FONT, fontSize=10, leading=15, spaceAfter=5, alignment=TA_LEFT,
                          wordWrap="CJK")  # CJK wrapping breaks between any two characters, as Chinese needs
    return {
        "body": base,
        "item": ParagraphStyle("item", base, spaceAfter=2),
        "title": ParagraphStyle("title", base, textColor=INK, fontName="Helvetica-Bold", fontSize=17, leading=23, spaceAfter=4),
        "meta": ParagraphStyle("meta", base, fontSize=8.5, leading=12, textColor=MUTED, spaceAfter=10),
        "h1": ParagraphStyle("h1", base, keepWithNext=1, textColor=INK, fontName="Helvetica-Bold", fontSize=14, leading=19, spaceBefore=10),
        "h2": ParagraphStyle("h2", base, keepWithNext=1, textColor=INK, fontName="Helvetica-Bold", fontSize=12.5, leading=17, spaceBefore=8),
        "h3": ParagraphStyle("h3", base, keepWithNext=1, textColor=INK, fontName="Helvetica-Bold", fontSize=11, leading=15, spaceBefore=6),
        "quote": ParagraphStyle("quote", base, fontSize=9, leading=13.5, textColor=colors.HexColor("#24292f")),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=12, textColor=MUTED, spaceAfter=3),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10.5, spaceAfter=0),
        "code": ParagraphStyle("code", base, fontName="Courier", fontSize=8.5, leading=11),
    }


def needs_cjk_font(ch: str) -> bool:
    """Helvetica draws only the WinAnsi characters; anything else goes to the CJK font."""
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, with non-Latin runs in the CJK font."""
    out = []
    for wide, run in itertools.groupby(text, key=needs_cjk_font):
        chunk = escape("".join(run))
        out.append(f'<font name="{CJK_FONT}">{chunk}</font>' if wide else chunk)
    return "".join(out)


def link_markup(href: str, inner: str) -> str:
    """A clickable link for web and mail addresses only; anything else stays as its text."""
    url = safe_url(href) if SAFE_LINK.match(href) else None  # rebuilt from a validated URL only
    if url is None:
        return inner
    return f'<a href="{escape(url, {chr(34): "&quot;"})}" color="#1f6feb">{inner}</a>'


def _inline(node: SyntaxTreeNode) -> str:
    parts: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            parts.append(markup(child.content))
        elif kind == "strong":
            parts.append(f"<b>{_inline(child)}</b>")
        elif kind == "em":
            parts.append(f"<i>{_inline(child)}</i>")
        elif kind == "s":
            parts.append(f"<strike>{_inline(child)}</strike>")
        elif kind == "code_inline":
            parts.append(f'<font name="Courier">{markup(child.content)}</font>')
        elif kind == "link":
            href = str(child.attrs.get("href", ""))
            inner = _inline(child)
            parts.append(link_markup(href, inner))
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("<br/>")
        else:  # images (their alt text), raw HTML: shown as the text they are
            parts.append(markup(child.content or ""))
    return "".join(parts)


def _paragraph(node: SyntaxTreeNode, style: ParagraphStyle) -> Paragraph:
    inline = node.children[0] if node.children else None
    return Paragraph(_inline(inline) if inline is not None else "", style)


def _table(node: SyntaxTreeNode, width: float) -> Table:
    cell = paragraph_styles()["cell"]
    rows = [[_paragraph(c, cell) for c in tr.children] for part in node.children for tr in part.children]
    return grid_table(rows, width)


def grid_table(rows: list[list[Any]], width: float = TEXT_W) -> Table:
    columns = max((len(r) for r in rows), default=1)
    rows = [r + [""] * (columns - len(r)) for r in rows]
    table = Table(rows, colWidths=_column_widths(rows, columns, width), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#d0d7de")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f4f6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def _column_widths(rows: list[list[Any]], columns: int, width: float) -> list[float]:
    """Widths in proportion to each column's longest text (clamped), so prose columns get room."""

    def length(cell: Any) -> int:
        text = cell.getPlainText() if isinstance(cell, Paragraph) else str(cell)
        return sum(2 if needs_cjk_font(ch) else 1 for ch in text)  # a Chinese character is twice as wide

    weights = [max(6, min(60, max(length(r[i]) for r in rows))) for i in range(columns)]
    return [width * w / sum(weights) for w in weights]


def _blocks(node: SyntaxTreeNode, body: ParagraphStyle, width: float) -> list[Flowable]:
    styles = paragraph_styles()
    out: list[Flowable] = []
    for child in node.children:
        kind = child.type
        if kind == "heading":
            out.append(_paragraph(child, styles[f"h{min(int(child.tag[1]), 3)}"]))
        elif kind == "paragraph":
            out.append(_paragraph(child, body))
        elif kind in ("bullet_list", "ordered_list"):
            items = [ListItem(_blocks(item, styles["item"], width - 14)) for item in child.children]
            numbered = kind == "ordered_list"
            out.append(ListFlowable(items, bulletType="1" if numbered else "bullet",
                                    start=int(child.attrs.get("start", 1)) if numbered else "•",
                                    bulletFormat="%s." if numbered else None, leftIndent=14,
                                    bulletFontName=LATIN_FONT, bulletFontSize=9))
            out.append(Spacer(1, 4))
        elif kind == "blockquote":
            out.append(quote_box(_blocks(child, styles["quote"], width - BOX_INSET), width))
        elif kind == "table":
            out += [_table(child, width), Spacer(1, 6)]
        elif kind in ("fence", "code_block"):
            out.append(XPreformatted(markup(child.content.rstrip()), styles["code"]))
        elif kind == "hr":
            out.append(HRFlowable(width="100%", thickness=0.5, color=colors.lightgrey, spaceAfter=6))
    return out


def quote_box(flowables: list[Flowable], width: float = TEXT_W) -> Table:
    """Quoted material, set apart from our own words by a rule on its left."""
    # A row per block, and rows that may split: a quote longer than a page flows on to the next.
    box = Table([[f] for f in flowables] or [[""]], colWidths=[width - 8], splitInRow=1, hAlign="LEFT")
    box.setStyle(TableStyle([
        ("LINEBEFORE", (0, 0), (0, -1), 2, colors.HexColor("#d0d7de")),
        ("LEFTPADDING", (0, 0), (0, -1), 8),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f6f8fa")),
    ]))
    return box


def markdown_flowables(text: str, body: ParagraphStyle | None = None, width: float = TEXT_W) -> list[Flowable]:
    """CommonMark (with tables) as reportlab flowables `width` wide; raw HTML stays literal text."""
    register_fonts()
    return _blocks(SyntaxTreeNode(_MD.parse(strip_controls(text))), body or paragraph_styles()["body"], width)
