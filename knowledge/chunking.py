"""Split document text into ~600-character chunks along headings, paragraphs and sentences.

Pure functions. Chinese sentence ends (。！？) and English ones (. ! ? followed by space) are
the only places a long paragraph is cut, so no chunk ends mid-sentence unless one sentence alone
exceeds the hard limit. Markdown tables stay whole where possible because their rows only make
sense together.
"""

from __future__ import annotations

import re

from knowledge.models import Chunk
from knowledge.text import HAN, HAN_CHARS

TARGET_CHARS = 600
HARD_LIMIT = 1000

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
# Cut after a Chinese terminator (optionally followed by a closing quote), or after . ! ? + space.
_SENTENCE_END = re.compile(r"(?<=[。！？；])[”’」』)]?|(?<=[.!?])[\"')\]]?\s+")
_CJK = HAN
_CJK_OR_PUNCT = re.compile(f"[\u3000-\u303f{HAN_CHARS}\uff00-\uffef”’」』]")


def detect_language(text: str) -> str:
    """'zh' when Han characters carry the text, 'en' for Latin script, 'und' otherwise."""
    sample = text[:5000]
    han = len(_CJK.findall(sample))
    latin_words = len(re.findall(r"[A-Za-z]{2,}", sample))
    letters = sum(1 for c in sample if c.isalpha())
    if han and han * 2 >= latin_words:
        return "zh"
    if latin_words and (latin_words * 4 >= letters * 0.5 or han):
        return "en"
    return "und" if letters else "en"


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, terminators kept with their sentence."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.end()
        if end > start:
            pieces.append(paragraph[start:end])
            start = end
    if start < len(paragraph):
        pieces.append(paragraph[start:])
    return [p.strip() for p in pieces if p.strip()]


def _blocks(text: str) -> list[tuple[str | None, str]]:
    """(current heading, block) pairs; a block is a paragraph, a heading line or a table."""
    blocks: list[tuple[str | None, str]] = []
    heading: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            blocks.append((heading, "\n".join(buffer).strip()))
            buffer.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        match = _HEADING.match(line)
        if match:
            flush()
            heading = match.group(2).strip()
            blocks.append((heading, line.strip()))
        elif not line.strip():
            flush()
        elif buffer and line.lstrip().startswith("|") != buffer[-1].lstrip().startswith("|"):
            flush()  # a table starts or ends: keep it a block of its own
            buffer.append(line)
        else:
            buffer.append(line)
    flush()
    return [(h, b) for h, b in blocks if b]


def _split_long(block: str) -> list[str]:
    """Pieces of a block no longer than TARGET_CHARS, cut at sentence or row ends."""
    if len(block) <= TARGET_CHARS:
        return [block]
    units = block.split("\n") if block.lstrip().startswith("|") else split_sentences(block)
    joiner = "\n" if block.lstrip().startswith("|") else " "
    pieces: list[str] = []
    current = ""
    for unit in units:
        if len(unit) > HARD_LIMIT:  # a single run-on sentence: cut it hard, nothing else works
            # In one pass (re-slicing the rest each time was quadratic: minutes for a long line).
            cut = len(unit) - (len(unit) - 1) % HARD_LIMIT - 1
            pieces.extend(unit[i : i + HARD_LIMIT] for i in range(0, cut, HARD_LIMIT))
            unit = unit[cut:]
        sep = "" if _CJK_OR_PUNCT.match(current[-1:] or "") else joiner  # Chinese joins without spaces
        if current and len(current) + len(unit) + 1 > TARGET_CHARS:
            pieces.append(current)
            current = unit
        else:
            current = f"{current}{sep}{unit}" if current else unit
    if current:
        pieces.append(current)
    return pieces


def titled_text(title: str | None, text: str) -> str:
    """A chunk as it is embedded and keyword-indexed: its title rides along, since a chunk
    alone often lacks its subject."""
    return f"{title or ''}\n{text}"


def chunk_text(text: str, target: int = TARGET_CHARS) -> list[Chunk]:
    """Chunks of about `target` characters that never straddle a heading.

    A heading line opens a new chunk and stays with the text under it; small paragraphs of the
    same section are packed together up to the target size.
    """
    chunks: list[Chunk] = []
    current: list[str] = []
    current_heading: str | None = None
    size = 0

    def emit() -> None:
        nonlocal size
        body = "\n\n".join(current).strip()
        if body:
            chunks.append(Chunk(text=body, position=len(chunks), heading=current_heading))
        current.clear()
        size = 0

    for heading, block in _blocks(text):
        is_heading = bool(_HEADING.match(block))
        if is_heading or heading != current_heading:
            # A heading directly followed by its first paragraph stays in one chunk.
            if not (current and all(_HEADING.match(c) for c in current)):
                emit()
            current_heading = heading
        for piece in _split_long(block) if not is_heading else [block]:
            if current and size + len(piece) + 2 > target and not all(
                _HEADING.match(c) for c in current
            ):
                emit()
            current.append(piece)
            size += len(piece) + 2
    emit()
    return chunks
