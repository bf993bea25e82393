"""Uploads: size cap, type by content not name, decompression and page-count bombs, parse deadline.

Every hostile file is generated here. Each ingest also carries one good file, which must still
be ingested: one bad upload never stops the others, and each refusal is one clear line.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.loaders import LoaderError
from knowledge.loaders import docx as docx_loader
from knowledge.loaders import pdf as pdf_loader
from knowledge.loaders.sandbox import ParseBudget
from tests.pdf_bytes import serialise_pdf
from tests.test_kb_ingest import make_pdf

GOOD = "# Copper note\n\nCopper inventories fell as grid investment in Asia accelerated this quarter.\n"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "store")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _ingest(kb: KnowledgeBase, folder: Path, files: dict[str, bytes]):
    """Ingest the files (and any already in `folder`) plus one good note, each named explicitly;
    returns (summary, {file name: failure reason})."""
    folder.mkdir(exist_ok=True)
    for name, data in {**files, "good.md": GOOD.encode()}.items():
        (folder / name).write_bytes(data)
    summary = kb.ingest(sorted(folder.iterdir()))
    assert str(folder / "good.md") in summary.added, summary.failed
    reasons = {Path(item).name: reason for item, reason in summary.failed}
    assert all("\n" not in r and "Traceback" not in r and len(r) < 200 for r in reasons.values()), reasons
    return summary, reasons


def test_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path, monkeypatch):
    kb = KnowledgeBase(tmp_path / "store", max_file_bytes=2_000_000)
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    _, reasons = _ingest(kb, tmp_path / "in", {"huge.md": b"# Huge\n\n" + b"word " * 500_000})
    assert "limit" in reasons["huge.md"] and "split it" in reasons["huge.md"]
    assert "huge.md" not in read


def test_type_is_decided_by_content_not_name(kb: KnowledgeBase, tmp_path: Path):
    html = (b"<!DOCTYPE html><html><head><title>Shipping note</title></head><body><article><h1>Shipping note</h1>"
            b"<p>Container freight rates eased in December as new vessels joined the transpacific loop.</p>"
            b"</article></body></html>")
    pdf = make_pdf(["Semiconductor capex rose sharply in 2025.", "Memory prices recovered."], title="Chips")
    no_document = io.BytesIO()
    with zipfile.ZipFile(no_document, "w") as archive:
        archive.writestr("readme.txt", "not a word document")
    files = {
        "saved-page.pdf": html,  # HTML named .pdf: read as HTML
        "chips.txt": pdf,  # a PDF named .txt: read as a PDF, not as PDF syntax
        "junk.md": bytes(range(1, 256)) * 40,  # binary without a NUL byte, named .md
        "photo.md": b"\x89PNG\r\n\x1a\n" + b"\x01" * 200,
        "legacy.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 600,
        "archive.docx": no_document.getvalue(),
    }
    summary, reasons = _ingest(kb, tmp_path / "in", files)
    assert set(reasons) == {"junk.md", "photo.md", "legacy.docx", "archive.docx"}, (reasons, summary.added)
    assert "binary" in reasons["junk.md"] and "PNG image" in reasons["photo.md"]
    assert "old binary Office file" in reasons["legacy.docx"] and "not a Word document" in reasons["archive.docx"]
    by_file = {s.file_name: s for s in kb.sources()}
    assert by_file["saved-page.pdf"].title == "Shipping note" and by_file["chips.txt"].title == "Chips"
    texts = " ".join(p.text for p in kb.search("container freight semiconductor capex memory", k=8))
    assert "transpacific" in texts and "Semiconductor capex" in texts
    assert "<p>" not in texts and "endobj" not in texts and "%PDF" not in texts


def _docx_bomb(path: Path, padding_mb: int) -> None:
    """A valid DOCX whose document.xml inflates to `padding_mb` MB of whitespace (streamed, so the
    test never holds it in memory)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode())
            block = b" " * (1 << 20)
            for _ in range(padding_mb):
                part.write(block)
            part.write(b"<w:p><w:r><w:t>Bomb text</w:t></w:r></w:p></w:body></w:document>")


def test_docx_decompression_bomb_is_refused_from_the_zip_directory(kb: KnowledgeBase, tmp_path: Path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_bomb(folder / "bomb.docx", padding_mb=210)
    assert (folder / "bomb.docx").stat().st_size < 2_000_000  # small on disk ...
    inflated: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: inflated.append(str(name)) or
                        real_open(self, name, *a, **k))
    with pytest.raises(LoaderError, match="unpacks to 220 MB"):  # ... huge inflated, refused unopened
        docx_loader.DocxLoader().load_bytes((folder / "bomb.docx").read_bytes(), "bomb.docx")
    assert inflated == []
    started = time.monotonic()
    _, reasons = _ingest(kb, folder, {})  # and the same through ingest (parsed in the sandbox)
    assert "unpacks to 220 MB" in reasons["bomb.docx"] and "limit" in reasons["bomb.docx"]
    assert time.monotonic() - started < 10


def test_docx_part_with_a_bomb_ratio_is_refused(kb: KnowledgeBase, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_bomb(folder / "dense.docx", padding_mb=30)  # under the total cap, but ~1000:1
    _, reasons = _ingest(kb, folder, {})
    assert "compression bomb" in reasons["dense.docx"]


def _many_page_pdf(pages: int, declared: int | None = None) -> bytes:
    """A PDF of `pages` tiny pages sharing one content stream; `declared` overrides /Count (a lie)."""
    stream = "BT /F1 12 Tf 72 720 Td (Page text about freight rates.) Tj ET"
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {declared if declared is not None else pages} >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ] + ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
         "/Resources << /Font << /F1 4 0 R >> >> >>"] * pages
    return serialise_pdf(objects)


@pytest.mark.parametrize("declared", [None, 1], ids=["honest-count", "lying-count"])
def test_pdf_page_count_bomb_is_refused(kb: KnowledgeBase, tmp_path: Path, declared: int | None):
    pages = pdf_loader.MAX_PAGES + 1
    _, reasons = _ingest(kb, tmp_path / "in", {"pages.pdf": _many_page_pdf(pages, declared)})
    assert f"{pages:,} pages" in reasons["pages.pdf"] and "limit" in reasons["pages.pdf"]


def test_pdf_under_the_page_cap_is_read(kb: KnowledgeBase, tmp_path: Path):
    summary, reasons = _ingest(kb, tmp_path / "in", {"short.pdf": _many_page_pdf(3)})
    assert reasons == {} and len(summary.added) == 2


def test_pdf_parse_deadline(monkeypatch):
    monkeypatch.setattr(pdf_loader, "PARSE_SECONDS", -1.0)  # already past: the first page check fires
    with pytest.raises(LoaderError, match="took over"):
        pdf_loader.PdfLoader().load_bytes(_many_page_pdf(3), "slow.pdf")


def test_parse_budget_deadline_through_ingest(tmp_path: Path):
    # The sandbox's wall clock (tests/test_security_bombs.py has a loader that really hangs).
    kb = KnowledgeBase(tmp_path / "store", parse_budget=ParseBudget(seconds=0.0))
    summary = kb.ingest([_write(tmp_path / "slow.pdf", _many_page_pdf(3))])
    assert summary.added == [] and "took over 0 s" in summary.failed[0][1]


def test_docx_caps_are_sane():
    # The caps must leave room for real documents (a long Word report unpacks to tens of MB).
    assert docx_loader.MAX_UNPACKED_BYTES >= 100 * 1024 * 1024 and pdf_loader.MAX_PAGES >= 1000
