"""PDF files via pypdf: page text plus the document-information metadata."""

from __future__ import annotations

import io
import time
from pathlib import Path

from knowledge.loaders.base import LoaderError, normalise_date, tidy_document
from knowledge.models import Document

MAX_PAGES = 2000  # a 10-K runs to a few hundred; thousands of pages is a bomb or a scan dump
PARSE_SECONDS = 60.0  # checked between pages: one pathological page can still overrun it


class PdfLoader:
    """`.pdf`."""

    suffixes = (".pdf",)

    def load_bytes(self, data: bytes, name: str) -> Document:
        from pypdf import PdfReader
        from pypdf.errors import LimitReachedError, PdfReadError

        # Junk named .pdf fails fast with a clear reason instead of a parser traceback.
        if not data.lstrip()[:5].startswith(b"%PDF-"):
            raise LoaderError("not a PDF file (no %PDF header)")
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise LoaderError("the PDF is encrypted; save an unencrypted copy and ingest that")
            declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)  # cheap: no page tree walk
            count = max(int(declared) if isinstance(declared, int) else 0, 0)
            if count <= MAX_PAGES:
                count = len(reader.pages)  # the real count (a /Count can lie)
            if count > MAX_PAGES:
                raise LoaderError(f"the PDF has {count:,} pages, over the {MAX_PAGES:,}-page limit; split it")
            deadline = time.monotonic() + PARSE_SECONDS
            pages = []
            for page in reader.pages:
                if time.monotonic() > deadline:
                    raise LoaderError(f"reading the PDF took over {PARSE_SECONDS:.0f} s; split it or save it again")
                pages.append((page.extract_text() or "").strip())
            info = reader.metadata or {}
        except LoaderError:
            raise
        except LimitReachedError as exc:  # pypdf's own caps on decompressed streams and object counts
            raise LoaderError("the PDF exceeds a safety limit of the PDF reader (a compressed stream or "
                              "structure far too large, as in a decompression bomb); save it again or split it") from exc
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
            raise LoaderError(f"could not read the PDF ({type(exc).__name__})") from exc
        text = "\n\n".join(p for p in pages if p)
        if not text.strip():
            raise LoaderError("the PDF has no extractable text (scanned images need OCR first)")
        title = str(info.get("/Title") or "").strip() or Path(name).stem
        author = str(info.get("/Author") or "").strip() or None
        return tidy_document(Document(
            text=text,
            location=name,
            title=title,
            author=author,
            published=normalise_date(info.get("/CreationDate")),
            extra={"pages": str(len(pages))},
        ))
