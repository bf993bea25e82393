"""Document loaders: one module per file type, all behind the `DocumentLoader` protocol.

A loader turns raw bytes into a `Document` (main text + metadata). It raises `LoaderError` with a
one-line reason when the bytes are not what the name claims (e.g. binary junk named .pdf).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from knowledge.loaders.base import LoaderError
from knowledge.loaders.docx import DocxLoader
from knowledge.loaders.html import HtmlLoader
from knowledge.loaders.pdf import PdfLoader
from knowledge.loaders.text import TextLoader
from knowledge.models import Document


class DocumentLoader(Protocol):
    """Reads one document format."""

    suffixes: tuple[str, ...]

    def load_bytes(self, data: bytes, name: str) -> Document:
        """Parse `data` (the content of a file or URL called `name`) into a Document."""
        ...


LOADERS: tuple[DocumentLoader, ...] = (TextLoader(), HtmlLoader(), PdfLoader(), DocxLoader())


def loader_for(name: str, content_type: str | None = None) -> DocumentLoader | None:
    """The loader for a file name (by suffix) or an HTTP content type; None when unsupported."""
    if content_type:
        ctype = content_type.split(";")[0].strip().lower()
        if ctype in {"text/html", "application/xhtml+xml"}:
            return LOADERS[1]
        if ctype.startswith("text/"):
            return LOADERS[0]
    suffix = Path(name).suffix.lower()
    for loader in LOADERS:
        if suffix in loader.suffixes:
            return loader
    return None


# Formats recognised by their first bytes. Anything here is refused: no loader reads it.
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable", b"7z\xbc\xaf": "a 7-Zip archive", b"Rar!": "a RAR archive",
    b"\xd0\xcf\x11\xe0": "an old binary Office file (.doc/.xls); save it as .docx or PDF",
}


def sniff(data: bytes) -> str | None:
    """What the bytes are, from their start: 'pdf', 'zip', 'html', a description of a refused
    binary format, or None (plain text or unknown: the loader for the name decides)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return what
    low = head[:512].lower()
    if low.startswith((b"<!doctype html", b"<html")) or (low.startswith(b"<?xml") and b"<html" in head.lower()):
        return "html"
    return None


def loader_for_content(data: bytes, name: str) -> DocumentLoader:
    """The loader for what the bytes are, not what the name says (an HTML page saved as .pdf,
    a PDF named .txt); raises LoaderError with a one-line reason for binary formats we don't read."""
    kind = sniff(data)
    by_kind = {"pdf": LOADERS[2], "zip": LOADERS[3], "html": LOADERS[1]}
    if kind in by_kind:
        return by_kind[kind]
    if kind is not None:
        raise LoaderError(f"the content is {kind}, not a document finsight can read (whatever its name says)")
    loader = loader_for(name)
    if loader is None:
        raise LoaderError(f"unsupported file type '{Path(name).suffix or name}'")
    return loader


def supported_suffixes() -> set[str]:
    """File suffixes a folder walk picks up."""
    return {s for loader in LOADERS for s in loader.suffixes}


__all__ = ["DocumentLoader", "LoaderError", "LOADERS", "loader_for", "loader_for_content", "sniff",
           "supported_suffixes"]
