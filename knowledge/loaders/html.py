"""HTML pages: main text via trafilatura (boilerplate, menus and ads dropped)."""

from __future__ import annotations

from pathlib import Path

from knowledge.loaders.base import LoaderError, decode_text, normalise_date, tidy_document
from knowledge.loaders.hidden import strip_hidden
from knowledge.models import Document

MAX_HTML_BYTES = 8 * 1024 * 1024  # a real article page is well under; parsing costs ~30x its size in memory
# trafilatura needs ~6 s per MB of markup it is given; a bigger page (after scripts, styles and
# hidden elements are gone) is read whole instead, without boilerplate removal, in linear time.
MAX_EXTRACT_CHARS = 600_000
_BLOCKS = ("p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
           "blockquote", "pre", "table", "ul", "ol", "dd", "dt")


def plain_text(html: str) -> tuple[str | None, str]:
    """(title, text) of a page read whole: one line per block element, empty lines dropped."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    title = (tree.findtext(".//title") or "").strip() or None
    for el in tree.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    for head in tree.iter("head"):
        head.drop_tree()
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return title, "\n\n".join(line for line in lines if line)


class HtmlLoader:
    """`.html`, `.htm` files and text/html responses."""

    suffixes = (".html", ".htm", ".xhtml")

    def load_bytes(self, data: bytes, name: str) -> Document:
        import trafilatura  # imported here: it is slow to import and only needed for HTML
        from lxml.etree import LxmlError

        if len(data) > MAX_HTML_BYTES:
            raise LoaderError(f"the HTML page is {len(data) / 1e6:.0f} MB, over the {MAX_HTML_BYTES / 1e6:.0f} MB "
                              "limit for web pages; save it as PDF or plain text and ingest that")
        html = decode_text(data)
        if not html.strip():
            raise LoaderError("the page is empty")
        url = name if name.startswith(("http://", "https://")) else None
        try:
            html = strip_hidden(html)  # text a reader cannot see is not evidence (and may be an injection)
        except (ValueError, TypeError, LxmlError) as exc:  # unparseable markup
            raise LoaderError(f"could not parse the HTML ({type(exc).__name__})") from exc
        if len(html) > MAX_EXTRACT_CHARS:
            title, text = plain_text(html)
            return tidy_document(Document(text=text, location=name, title=title or Path(name).stem, url=url,
                                          extra={"extraction": "whole page"}))
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_tables=True, include_comments=False,
            output_format="python", favor_recall=True,
        )
        text = (getattr(result, "text", None) or "").strip() if result is not None else ""
        if not text:
            raise LoaderError("no main text found in the page")
        return tidy_document(Document(
            text=text,
            location=name,
            title=getattr(result, "title", None) or Path(name).stem,
            publisher=getattr(result, "sitename", None) or None,
            author=getattr(result, "author", None) or None,
            published=normalise_date(getattr(result, "date", None)),
            url=url or getattr(result, "url", None),
            language=getattr(result, "language", None) or None,
        ))
