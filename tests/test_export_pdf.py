"""The PDF export: what a reader files away carries the same figures and sources as the page."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.answer import Answer, Citation, Figure
from assistant.service import ResearchService
from assistant.settings import Settings
from tests.conftest import read_closes, window_return
from ui.components.export_pdf import answer_pdf, markup

QUESTION = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)"
START, END = date(2025, 9, 1), date(2026, 1, 31)


def squeeze(text: str) -> str:
    """Text without whitespace: a line break may fall anywhere in a wrapped line."""
    return "".join(text.split())


def words_only(markdown: str) -> str:
    """A passage's words without Markdown's line markers, as they read once typeset."""
    return squeeze(re.sub(r"(?m)^\s*(#{1,6}|[-*+]|\d+\.)\s+", "", markdown).replace("**", ""))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def link_targets(data: bytes) -> list[str]:
    targets = []
    for page in PdfReader(BytesIO(data)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


@pytest.fixture(scope="module")
def reference_answer(warm_home: Path, market_data_dir: Path) -> Answer:
    settings = Settings(_env_file=None, finsight_home=warm_home, finsight_market_data_dir=market_data_dir,
                        finsight_market_providers="csv", openai_api_key=None, openai_base_url=None)
    return ResearchService(settings).ask(QUESTION)


@pytest.fixture(scope="module")
def reference_pdf(reference_answer: Answer) -> bytes:
    return answer_pdf(reference_answer, generated=date(2026, 11, 26))


def test_the_pdf_quotes_the_returns_computed_from_the_prices(reference_pdf: bytes, market_data_dir: Path) -> None:
    assert reference_pdf.startswith(b"%PDF-")
    text = squeeze(pdf_text(reference_pdf))
    assert squeeze(QUESTION) in text
    for symbol in ("RUT", "SPX"):
        expected = window_return(read_closes(market_data_dir / f"{symbol}.csv"), START, END)
        assert f"{expected * 100:+.2f}%" in text, symbol
    rut = window_return(read_closes(market_data_dir / "RUT.csv"), START, END)
    spx = window_return(read_closes(market_data_dir / "SPX.csv"), START, END)
    assert f"{(rut - spx) * 100:.2f}" in text  # the excess return, in percentage points


def test_every_reference_is_listed_with_its_passage_and_a_working_link(
    reference_answer: Answer, reference_pdf: bytes
) -> None:
    text = squeeze(pdf_text(reference_pdf)).replace("\x7f", "")  # how pypdf reads a list bullet
    sources = [c for c in reference_answer.citations if c.kind == "source"]
    assert sources and any(c.kind == "market" for c in reference_answer.citations)
    references = text[text.rindex("参考资料"):]  # the list at the end, not the answer's own mentions
    for c in reference_answer.citations:
        assert f"[{c.id}]" in references
    for c in sources:
        assert words_only(c.passage or "")[:60] in references, c.id
    assert {c.url for c in sources if c.url} <= set(link_targets(reference_pdf))
    assert "演示摘要" in references  # demo summaries say so on paper too


def test_the_pdf_names_its_grounding_and_embeds_no_font(reference_answer: Answer, reference_pdf: bytes) -> None:
    traced = sum(f.grounded for f in reference_answer.figures)
    assert f"{traced}/{len(reference_answer.figures)}个数字已溯源" in squeeze(pdf_text(reference_pdf))
    # Chinese comes from a standard CID font the reader supplies: no font file inside.
    assert b"/FontFile" not in reference_pdf
    assert PdfReader(BytesIO(reference_pdf)).metadata.title == QUESTION


def test_markup_escapes_text_and_sets_chinese_in_the_cid_font() -> None:
    assert markup('RUT 上涨 <5% & "x"') == 'RUT <font name="STSong-Light">上涨</font> &lt;5% &amp; "x"'
    assert markup("→") == '<font name="STSong-Light">→</font>'  # outside Helvetica's WinAnsi set


def test_hostile_markup_is_printed_as_text_and_unsafe_links_are_dropped() -> None:
    hostile = "\n".join([
        "## Heading with <font name=\"Nope\">markup</font> & <b>unclosed",
        "A [safe link](https://example.com/a) and a [bad one](javascript:alert(1)).",
        "<script>alert(1)</script>",
        "",
        "| a | b |", "|---|---|", "| <para> | 1 |",
        "",
        "1. one", "   - nested **bold** 中文", "2. two",
        "",
        "```", "code <tag> 代码", "```",
        "> quoted $5 and $6",
    ])
    passage = "<para>" + "很长的段落。" * 2500  # longer than a page: it must still be laid out
    answer = Answer(question="<b>Q</b>?", mode="offline", language="en", answer=hostile,
                    citations=[Citation(id=1, kind="source", title="T <i>", publisher="P&P",
                                        url="javascript:alert(2)", passage=passage)],
                    figures=[Figure(text="5", value=5, grounded=False)])
    data = answer_pdf(answer)
    text = pdf_text(data)
    for literal in ('<font name="Nope">markup</font>', "<script>alert(1)</script>", "<para>", "code <tag>",
                    "<b>Q</b>?", "P&P"):
        assert literal in text, literal
    assert link_targets(data) == ["https://example.com/a"]
    assert "not traced: 5" in text
    assert len(PdfReader(BytesIO(data)).pages) > 2
