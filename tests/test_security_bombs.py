"""Parser bombs (issue 15, item 4): every loader runs under a real wall-clock and memory budget,
DOCX parts are read by streaming with a running byte count, a DOCX is read without per-paragraph
style scans, one huge line is cut, big HTML is read whole or refused, pypdf limits are reported.

The hostile files are built here (tests/hostile_files.py); times and peak memory at the issue's
sizes are measured by benchmarks/bench_hostile.py, not asserted.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from knowledge.chunking import HARD_LIMIT, chunk_text
from knowledge.ingest import load_file
from knowledge.loaders import LoaderError, TextLoader
from knowledge.loaders import docx as docx_loader
from knowledge.loaders.base import MAX_LINE_CHARS, split_long_lines
from knowledge.loaders.docx import DocxLoader
from knowledge.loaders.sandbox import ParseBudget, ParseReport, load_in_sandbox
from tests import hostile_files as hostile

pytestmark = pytest.mark.slow


# ---- the sandbox itself, with loaders that misbehave on purpose -----------------------------------


class HogLoader:
    """Allocates without end."""

    def load_bytes(self, data: bytes, name: str):
        hoard = []
        while True:
            hoard.append(bytearray(16 * 1024 * 1024))


class HangLoader:
    """Never returns."""

    def load_bytes(self, data: bytes, name: str):
        while True:
            time.sleep(0.05)


class CrashLoader:
    """Dies the way a C extension does."""

    def load_bytes(self, data: bytes, name: str):
        os._exit(139)


def test_sandbox_enforces_the_memory_budget() -> None:
    report = ParseReport()
    with pytest.raises(LoaderError, match="200 MB memory budget"):
        load_in_sandbox(HogLoader(), b"x", "hog.txt", ParseBudget(seconds=60, memory_mb=200), report)
    assert report.outcome == "memory" and report.child_peak_mb is not None and report.child_peak_mb < 500


def test_sandbox_enforces_the_wall_clock() -> None:
    started = time.monotonic()
    with pytest.raises(LoaderError, match="took over 1.5 s and was stopped"):
        load_in_sandbox(HangLoader(), b"x", "hang.txt", ParseBudget(seconds=1.5))
    assert time.monotonic() - started < 20  # killed, not waited for


def test_sandbox_reports_a_crashed_parser_in_one_line() -> None:
    with pytest.raises(LoaderError, match="parser stopped") as info:
        load_in_sandbox(CrashLoader(), b"x", "crash.txt")
    assert "\n" not in str(info.value)


def test_sandbox_returns_what_the_loader_returns() -> None:
    doc = load_in_sandbox(TextLoader(), b"# Copper\n\nCopper inventories fell.", "copper.md")
    assert doc.title == "Copper" and doc.text.endswith("Copper inventories fell.")


# ---- DOCX --------------------------------------------------------------------------------------------


def test_lying_zip_directory_is_refused_without_inflating_it(tmp_path: Path) -> None:
    name, data = hostile.lying_zip_docx(inflated_mb=300)  # declares 2 KB, inflates to 300 MB
    assert len(data) < 1_000_000
    report = ParseReport()
    with pytest.raises(LoaderError, match="could not read the DOCX|inflates past") as info:
        load_in_sandbox(DocxLoader(), data, name, ParseBudget(seconds=60, memory_mb=400), report)
    assert "memory budget" not in str(info.value)  # refused by the reader, not by the backstop
    assert report.child_peak_mb is not None and report.child_peak_mb < 300


def test_running_byte_count_stops_a_part_whatever_its_directory_says(monkeypatch) -> None:
    monkeypatch.setattr(docx_loader, "MAX_READ_BYTES", 2_000_000)
    name, data = hostile.many_paragraphs_docx(100_000)  # ~5 MB of XML in a 70 KB package
    with pytest.raises(LoaderError, match="inflates past 2 MB"):
        DocxLoader().load_bytes(data, name)


def test_283k_paragraphs_are_read_in_one_pass(tmp_path: Path) -> None:
    count = 283_000
    name, data = hostile.many_paragraphs_docx(count)
    path = tmp_path / name
    path.write_bytes(data)
    # 60 s is the default budget; python-docx's per-paragraph style search took 677 s here.
    doc = load_file(path, budget=ParseBudget(seconds=60))
    lines = [line for line in doc.text.split("\n") if line]
    headings = sum(1 for i in range(count) if i % 50 == 0)
    assert len(lines) == count
    assert sum(line.startswith("# Section") for line in lines) == headings
    assert lines[1] == "Item 1 loan growth."


def test_64k_styles_are_read_once(tmp_path: Path) -> None:
    name, data = hostile.many_styles_docx(64_000, 20_000)
    path = tmp_path / name
    path.write_bytes(data)
    doc = load_file(path, budget=ParseBudget(seconds=60))  # python-docx: about 4 h
    assert doc.text.count("on credit spreads.") == 20_000


def test_heading_styles_come_from_the_style_table() -> None:
    styles = (f'<?xml version="1.0"?><w:styles xmlns:w="{hostile.W}">'
              '<w:style w:type="paragraph" w:styleId="Custom7"><w:name w:val="heading 2"/></w:style></w:styles>')
    body = hostile._paragraph("Outlook", "Custom7") + hostile._paragraph("Rates fell.") + \
        f"<w:tbl><w:tr><w:tc>{hostile._paragraph('a')}</w:tc><w:tc>{hostile._paragraph('b')}</w:tc></w:tr></w:tbl>"
    data = hostile._package({"word/document.xml": hostile._document(body), "word/styles.xml": styles.encode()})
    assert DocxLoader().load_bytes(data, "x.docx").text == "## Outlook\n\nRates fell.\n\n| a | b |"


def test_xml_entity_bomb_in_a_docx_stays_inert() -> None:
    lol = '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>"
    xml = (f'<?xml version="1.0"?>{lol}<w:document xmlns:w="{hostile.W}"><w:body>'
           f'{hostile._paragraph("Loans grew &i;")}{hostile._paragraph("Rates fell.")}</w:body></w:document>')
    data = hostile._package({"word/document.xml": xml.encode()})
    report = ParseReport()
    try:
        doc = load_in_sandbox(DocxLoader(), data, "lol.docx", ParseBudget(seconds=30, memory_mb=300), report)
        assert len(doc.text) < 1000  # the entity was not expanded to 10^9 characters
    except LoaderError as exc:
        assert "memory budget" not in str(exc)


# ---- text and HTML -----------------------------------------------------------------------------------


def test_one_huge_line_is_cut_into_paragraphs_the_chunker_handles(tmp_path: Path) -> None:
    name, data = hostile.one_line_text(8)
    path = tmp_path / name
    path.write_bytes(data)
    doc = load_file(path)
    lines = doc.text.split("\n")
    assert max(len(line) for line in lines) <= MAX_LINE_CHARS
    assert "".join(doc.text.split()) == "".join(data.decode().split())  # nothing lost
    chunks = chunk_text(doc.text)
    assert chunks and max(len(c.text) for c in chunks) <= 2 * HARD_LIMIT


def test_split_long_lines_keeps_short_text_and_cuts_at_spaces() -> None:
    assert split_long_lines("short\nlines") == "short\nlines"
    cut = split_long_lines("abc " * 3000, limit=1000)
    assert all(len(line) <= 1000 for line in cut.split("\n"))
    assert all(line.rstrip().endswith("abc") or not line for line in cut.split("\n"))
    assert split_long_lines("x" * 2500, limit=1000).split("\n") == ["x" * 1000, "", "x" * 1000, "", "x" * 500]


def test_45_mb_html_is_refused_before_parsing(tmp_path: Path) -> None:
    name, data = hostile.big_html(45)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoaderError, match="over the 8 MB limit for web pages"):
        load_file(path)


def test_7_mb_html_is_read_whole(tmp_path: Path) -> None:
    name, data = hostile.big_html(7)
    path = tmp_path / name
    path.write_bytes(data)
    doc = load_file(path)
    assert doc.title == "Big page" and doc.extra.get("extraction") == "whole page"
    assert "Row 999: small caps earnings and loan growth, note 6993." in doc.text


# ---- PDF ------------------------------------------------------------------------------------------------


def test_pdf_stream_bomb_is_reported_as_a_limit(tmp_path: Path) -> None:
    name, data = hostile.pdf_stream_bomb(120)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoaderError, match="safety limit of the PDF reader"):
        load_file(path)
