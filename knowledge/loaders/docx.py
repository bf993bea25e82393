"""Word files, read by streaming: heading styles become markdown headings for the chunker.

A DOCX is a zip package of XML parts. Only three parts are read (`word/document.xml`,
`word/styles.xml`, `docProps/core.xml`), each inflated piece by piece with a running byte count
that refuses the package as soon as the count passes the cap, whatever sizes its zip directory
declares (a directory can lie). The body is parsed with lxml's `iterparse`, one top-level
paragraph or table at a time, with entity expansion off; styles are read once into a table
(style id -> name), so a document with 283k paragraphs or 64k styles costs one pass, not one
style search per paragraph.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from knowledge.loaders.base import LoaderError, normalise_date, tidy_document
from knowledge.models import Document

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts together, as the zip directory declares them
MAX_READ_BYTES = 200 * 1024 * 1024  # what the parts we read may really inflate to, counted as we go
MAX_PARTS = 5000
MAX_RATIO = 200  # uncompressed / compressed for one big part; real Word XML stays far below
MAX_STYLES = 100_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T, _PPR, _PSTYLE, _VAL = f"{W}t", f"{W}pPr", f"{W}pStyle", f"{W}val"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"


def check_package(data: bytes) -> None:
    """Refuse a decompression bomb from the zip directory alone, before any part is inflated.

    The declared sizes are only a first, cheap filter: `_CountingReader` enforces the real cap
    while the parts are inflated.
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


class _CountingReader(io.RawIOBase):
    """A part being inflated, with a running count of the bytes it really produced."""

    def __init__(self, part: IO[bytes], name: str, budget: list[int]) -> None:
        self._part, self._name, self._budget = part, name, budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self._part.read(min(len(buffer), 1 << 16))
        self._budget[0] -= len(chunk)
        if self._budget[0] < 0:
            raise LoaderError(f"the DOCX inflates past {MAX_READ_BYTES / 1e6:.0f} MB while reading {self._name} "
                              "(a compression bomb or an unusually large file)")
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _iterparse(package: zipfile.ZipFile, name: str, budget: list[int], tags: tuple[str, ...]) -> Iterator:
    from lxml import etree

    with package.open(name) as part:
        stream = io.BufferedReader(_CountingReader(part, name, budget), buffer_size=1 << 16)
        # No entity expansion, no network, no DTD: XML bombs stay text.
        yield from etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False, no_network=True,
                                   load_dtd=False, huge_tree=False, remove_comments=True)


def _text(element) -> str:
    """The visible text of a paragraph or cell: its runs' text, in order."""
    return "".join(element.itertext(_T)).strip()


def _styles(package: zipfile.ZipFile, budget: list[int]) -> dict[str, str]:
    """style id -> style name, read once."""
    if "word/styles.xml" not in package.namelist():
        return {}
    names: dict[str, str] = {}
    for _, style in _iterparse(package, "word/styles.xml", budget, (f"{W}style",)):
        if len(names) >= MAX_STYLES:
            raise LoaderError(f"the DOCX defines over {MAX_STYLES:,} styles; save it again in Word")
        name = style.find(f"{W}name")
        names[style.get(f"{W}styleId") or ""] = (name.get(f"{W}val") if name is not None else "") or ""
        style.clear()
    return names


def _heading_level(style_name: str) -> int | None:
    lowered = style_name.lower()
    if lowered == "title":
        return 1
    if lowered.startswith("heading"):
        digits = "".join(c for c in lowered if c.isdigit())
        return min(int(digits or "1"), 6)
    return None


def _body(package: zipfile.ZipFile, budget: list[int], styles: dict[str, str]) -> list[str]:
    blocks: list[str] = []
    levels: dict[str, int | None] = {}
    body_tag = f"{W}body"
    for _, element in _iterparse(package, "word/document.xml", budget, (f"{W}p", f"{W}tbl")):
        parent = element.getparent()
        if parent is None or parent.tag != body_tag:
            continue  # a paragraph inside a table: read with its table
        if element.tag == f"{W}p":
            text = _text(element)
            if text:
                ppr = element.find(_PPR)
                p_style = ppr.find(_PSTYLE) if ppr is not None else None
                style_id = p_style.get(_VAL, "") if p_style is not None else ""
                if style_id not in levels:  # one lookup per style, not per paragraph
                    levels[style_id] = _heading_level(styles.get(style_id, style_id))
                level = levels[style_id]
                blocks.append(f"{'#' * level} {text}" if level else text)
        else:  # one block per table so its rows stay together
            rows = []
            for row in element.iter(f"{W}tr"):
                cells = [" ".join(_text(c).split()) for c in row.iterchildren(f"{W}tc")]
                rows.append("| " + " | ".join(cells) + " |")
            if any(r.strip("| ") for r in rows):
                blocks.append("\n".join(rows))
        element.clear()
        while element.getprevious() is not None:  # what was read is dropped: memory stays flat
            del parent[0]
    return blocks


def _core(package: zipfile.ZipFile, budget: list[int]) -> dict[str, str]:
    if "docProps/core.xml" not in package.namelist():
        return {}
    found: dict[str, str] = {}
    wanted = (f"{_DC}title", f"{_DC}creator", f"{_DCTERMS}created")
    for _, element in _iterparse(package, "docProps/core.xml", budget, wanted):
        found[element.tag.split("}")[1]] = (element.text or "").strip()[:500]
    return found


class DocxLoader:
    """`.docx`."""

    suffixes = (".docx",)

    def load_bytes(self, data: bytes, name: str) -> Document:
        from lxml.etree import LxmlError

        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise LoaderError("not a DOCX file (not a zip package)")
        check_package(data)
        budget = [MAX_READ_BYTES]
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                styles = _styles(package, budget)
                blocks = _body(package, budget, styles)
                core = _core(package, budget)
        except LoaderError:
            raise
        except (zipfile.BadZipFile, LxmlError, OSError, ValueError, KeyError, EOFError,
                NotImplementedError) as exc:  # a lying directory ends in a CRC or size error
            raise LoaderError(f"could not read the DOCX ({type(exc).__name__})") from exc
        text = "\n\n".join(blocks)
        if not text.strip():
            raise LoaderError("the document has no text")
        return tidy_document(Document(
            text=text,
            location=name,
            title=core.get("title") or Path(name).stem,
            author=core.get("creator") or None,
            published=normalise_date(core.get("created")),
        ))
