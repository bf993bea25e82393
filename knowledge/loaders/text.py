"""Plain text and Markdown, with optional `---` front matter carrying the source metadata."""

from __future__ import annotations

from pathlib import Path

from knowledge.loaders.base import (
    LoaderError,
    decode_text,
    first_heading,
    normalise_date,
    tidy_document,
)
from knowledge.models import Document

_FIELDS = {"title", "publisher", "author", "published", "url", "language"}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(`key: value` pairs of a leading `---` block, remaining body). Only flat scalars."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() == "---":
            meta: dict[str, str] = {}
            for line in lines[1:end]:
                if ":" in line and not line.lstrip().startswith("#"):
                    key, value = line.split(":", 1)
                    meta[key.strip().lower()] = value.strip().strip("\"'")
            return meta, "\n".join(lines[end + 1 :])
    return {}, text


class TextLoader:
    """`.txt`, `.md`, `.markdown`."""

    suffixes = (".txt", ".md", ".markdown", ".text")

    def load_bytes(self, data: bytes, name: str) -> Document:
        text = decode_text(data).replace("\r\n", "\n")
        meta, body = split_front_matter(text)
        if not body.strip():
            raise LoaderError("the file has no text")
        return tidy_document(Document(
            text=body.strip(),
            location=name,
            title=meta.get("title") or first_heading(body) or Path(name).stem,
            publisher=meta.get("publisher") or None,
            author=meta.get("author") or None,
            published=normalise_date(meta.get("published") or meta.get("date")),
            url=meta.get("url") or None,
            language=meta.get("language") or None,
            demo=meta.get("demo", "").lower() in {"true", "yes", "1"},
            extra={k: v for k, v in meta.items() if k not in _FIELDS},
        ))
