"""Shared helpers of the loaders."""

from __future__ import annotations

import re
from datetime import date, datetime

from knowledge.models import KnowledgeError


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
