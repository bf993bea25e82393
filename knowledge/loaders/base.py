"""Shared helpers of the loaders."""

from __future__ import annotations

import re
from datetime import date, datetime

from knowledge.models import Document, KnowledgeError


class LoaderError(KnowledgeError):
    """The content could not be parsed; the message says why in one line."""


_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def decode_text(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), then GB18030 for legacy Chinese files.

    Binary content is refused whatever the file is called: a NUL byte, or more than 2% control
    characters in the first 8 KB once decoded (GB18030 decodes almost any byte soup).
    """
    if b"\x00" in data[:8192]:
        raise LoaderError("looks like a binary file, not text")
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        text = data.decode("utf-8", errors="replace")
    head = text[:8192]
    if head and len(_CONTROL.findall(head)) > 0.02 * len(head):
        raise LoaderError("looks like a binary file, not text")
    return text


def normalise_date(value: object) -> str | None:
    """ISO date ('2026-01-05'), or reduced precision ('2025-12', '2025') when that's all we know.

    We never invent a day or month the source didn't give.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("D:"):  # PDF date strings: D:YYYYMMDDHHmmSS
        digits = re.sub(r"\D", "", text)[:8]
        text = f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}" if len(digits) == 8 else digits[:4]
    match = _ISO_PREFIX.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return year
    if day:
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}" if month else year


def first_heading(text: str) -> str | None:
    """The first markdown heading or, failing that, the first short non-empty line."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            return stripped.lstrip("#").strip() or None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            return stripped[:120] if len(stripped) <= 120 else None
    return None


# Characters a reader never sees: C0 controls except tab and newline, DEL, C1 controls, the soft
# hyphen, zero-width spaces/joiners and the word joiner, bidirectional overrides and isolates
# (they reorder what is shown), the byte-order mark, and Unicode tag characters (U+E0000-E007F,
# invisible copies of ASCII used to smuggle instructions). Removed at load time, so "ig\u200bnore"
# is read as "ignore" by every later check, and the model never receives text a reader cannot see.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xE0000, 0xE007F),
)
INVISIBLE = re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in INVISIBLE_RANGES) + "]")
MAX_LINE_CHARS = 4000  # longer lines are cut into paragraphs of about this size


def strip_invisible(text: str) -> str:
    """`text` without invisible characters (see INVISIBLE_RANGES); a lone carriage return
    becomes a newline."""
    return INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def split_long_lines(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """`text` with every line over `limit` characters cut, in one linear pass, into paragraphs of
    at most `limit` (after a sentence end, else at a space, in the last quarter when there is one)."""
    if len(text) <= limit or all(len(line) <= limit for line in text.split("\n")):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        start = 0
        while len(line) - start > limit:
            window, end = start + (3 * limit) // 4, start + limit
            cut = max(line.rfind(". ", window, end), line.rfind("。", window, end))
            cut = cut + 1 if cut >= 0 else line.rfind(" ", window, end)
            cut = cut if cut > start else end
            out.append(line[start:cut].strip())
            out.append("")  # a paragraph break: the chunker never sees the whole line again
            start = cut
        out.append(line[start:])
    return "\n".join(out)


def tidy_document(doc: Document) -> Document:
    """Every loader's last step: invisible characters out of the text and metadata, long lines cut."""
    doc.text = split_long_lines(strip_invisible(doc.text))
    for field in ("title", "publisher", "author", "url"):
        value = getattr(doc, field)
        if isinstance(value, str):
            setattr(doc, field, " ".join(strip_invisible(value).split()) or None)
    return doc
