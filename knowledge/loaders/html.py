"""HTML pages: main text via trafilatura (boilerplate, menus and ads dropped)."""

from __future__ import annotations

from pathlib import Path

from knowledge.loaders.base import LoaderError, decode_text, normalise_date
from knowledge.loaders.hidden import strip_hidden
from knowledge.models import Document


class HtmlLoader:
    """`.html`, `.htm` files and text/html responses."""

    suffixes = (".html", ".htm", ".xhtml")

    def load_bytes(self, data: bytes, name: str) -> Document:
        import trafilatura  # imported here: it is slow to import and only needed for HTML
        from lxml.etree import LxmlError

        html = decode_text(data)
        if not html.strip():
            raise LoaderError("the page is empty")
        url = name if name.startswith(("http://", "https://")) else None
        try:
            html = strip_hidden(html)  # text a reader cannot see is not evidence (and may be an injection)
        except (ValueError, TypeError, LxmlError) as exc:  # unparseable markup
            raise LoaderError(f"could not parse the HTML ({type(exc).__name__})") from exc
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_tables=True, include_comments=False,
            output_format="python", favor_recall=True,
        )
        text = (getattr(result, "text", None) or "").strip() if result is not None else ""
        if not text:
            raise LoaderError("no main text found in the page")
        return Document(
            text=text,
            location=name,
            title=getattr(result, "title", None) or Path(name).stem,
            publisher=getattr(result, "sitename", None) or None,
            author=getattr(result, "author", None) or None,
            published=normalise_date(getattr(result, "date", None)),
            url=url or getattr(result, "url", None),
            language=getattr(result, "language", None) or None,
        )
