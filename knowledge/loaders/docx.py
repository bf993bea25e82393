"""Word files via python-docx; heading styles become markdown headings for the chunker."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from knowledge.loaders.base import LoaderError, normalise_date
from knowledge.models import Document

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts together, as the zip directory declares them
MAX_PARTS = 5000
MAX_RATIO = 200  # uncompressed / compressed for one big part; real Word XML stays far below


def check_package(data: bytes) -> None:
    """Refuse a decompression bomb from the zip directory alone, before any part is inflated.

    Python's zipfile stops at the declared size (and fails the CRC when a part lies), so a
    package cannot unpack to more than the sizes checked here.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LoaderError(f"could not read the DOCX ({type(exc).__name__})") from exc
    if "word/document.xml" not in {i.filename for i in infos}:
        raise LoaderError("a zip archive, not a Word document (no word/document.xml)")
    if len(infos) > MAX_PARTS:
        raise LoaderError(f"the DOCX has {len(infos):,} parts, over the {MAX_PARTS:,} limit")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise LoaderError(
            f"the DOCX unpacks to {total / 1e6:,.0f} MB, over the {MAX_UNPACKED_BYTES / 1e6:.0f} MB limit "
            "(a compression bomb or an unusually large file)"
        )
    for info in infos:
        if info.file_size > 10_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise LoaderError(f"the DOCX part {info.filename} is compressed {info.file_size // max(info.compress_size, 1):,}:1, "
                              "a likely compression bomb")


class DocxLoader:
    """`.docx`."""

    suffixes = (".docx",)

    def load_bytes(self, data: bytes, name: str) -> Document:
        import docx

        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise LoaderError("not a DOCX file (not a zip package)")
        check_package(data)
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises assorted types on malformed packages
            raise LoaderError(f"could not read the DOCX ({type(exc).__name__})") from exc
        lines: list[str] = []
        for para in document.paragraphs:
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            if style.lower().startswith("heading"):
                level = "".join(c for c in style if c.isdigit()) or "1"
                lines.append(f"{'#' * min(int(level), 6)} {text}")
            elif style.lower() == "title":
                lines.append(f"# {text}")
            else:
                lines.append(text)
        for table in document.tables:  # one block per table so its rows stay together
            rows = ["| " + " | ".join(c.text.strip() for c in row.cells) + " |" for row in table.rows]
            lines.append("\n".join(rows))
        text = "\n\n".join(lines)
        if not text.strip():
            raise LoaderError("the document has no text")
        props = document.core_properties
        return Document(
            text=text,
            location=name,
            title=(props.title or "").strip() or Path(name).stem,
            author=(props.author or "").strip() or None,
            published=normalise_date(props.created),
        )
