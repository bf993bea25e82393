"""Reading an answer's Markdown the way a checking reader does: numbers, citation markers, headings.

Kept separate from (and independent of) `assistant.grounding.verification` so the harness can catch that
code being wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Dates and citation markers are blanked (same length, so positions survive) before numbers are read.
_DATES = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}/\d{1,2}/\d{1,2}")
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,，]\s*\d{1,3})*)\]")
_NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[-+−–])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<unit>%|％|个百分点|percentage points?|pp\b|bps?\b|basis points?|个?基点|倍|x\b)?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|(?<=\.)\s|\n")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Number:
    """One number in a text. `value` is signed; percent-like units are in percent points."""

    text: str
    value: float
    unit: str  # "pct" (%, pp, bp converted), "times", or "" (a bare number)
    decimals: int
    start: int
    end: int

    @property
    def is_figure(self) -> bool:
        """A claim-carrying figure: with a unit or decimals (bare integers are counts, years, list items)."""
        return bool(self.unit) or self.decimals > 0


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def numbers(text: str) -> list[Number]:
    """Every number in `text` (dates and citation markers excluded), in order."""
    clean = _blank(_blank(text, _DATES), MARKER)
    found: list[Number] = []
    for m in _NUMBER.finditer(clean):
        raw = m.group("num")
        value = float(raw.replace(",", ""))
        if m.group("sign") in ("-", "−", "–"):
            value = -value
        unit_text = (m.group("unit") or "").lower()
        unit = ""
        if unit_text in ("%", "％", "个百分点", "pp") or unit_text.startswith("percentage point"):
            unit = "pct"
        elif unit_text in ("bp", "bps", "基点", "个基点") or unit_text.startswith("basis point"):
            unit, value = "pct", value / 100
        elif unit_text in ("倍", "x"):
            unit = "times"
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        found.append(Number(m.group(0).strip(), value, unit, decimals, m.start(), m.end()))
    return found


def markers(text: str) -> list[tuple[int, int]]:
    """(cited id, position) for every citation marker, `[1, 2]` giving two entries."""
    out: list[tuple[int, int]] = []
    for m in MARKER.finditer(text):
        for part in re.split(r"[,，]", m.group(1)):
            out.append((int(part.strip()), m.start()))
    return out


def sentences(text: str) -> list[str]:
    """Sentences and lines (table rows count as one sentence each)."""
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]


def attach_table_captions(text: str) -> str:
    """Copy a table caption's citation markers ("_Table as given by X [2]._") onto its rows.

    A table's figures are claimed by the caption right below (or above) it; rows that cite nothing
    themselves then carry the caption's ids, so their figures are checked against that passage.
    """
    lines = text.splitlines()
    out = list(lines)
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("|"):
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].lstrip().startswith("|"):
            j += 1
        around = [k for k in (j, j + 1, i - 1, i - 2) if 0 <= k < len(lines) and lines[k].strip()]
        caption = next((lines[k] for k in around if not lines[k].lstrip().startswith("|")), "")
        cited = "".join(f"[{n}]" for n, _ in markers(caption))
        if cited and len(caption) < 200:
            for k in range(i, j):
                if not markers(lines[k]):
                    out[k] = f"{lines[k]} {cited}"
        i = j
    return "\n".join(out)


def headings(text: str) -> list[str]:
    """Heading-like lines: Markdown headings, and lines that open in bold."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or stripped.startswith("**"):
            out.append(stripped.lstrip("#* ").lower())
    return out


def is_report(text: str, min_headings: int = 4) -> bool:
    """True for a report-shaped answer (several Markdown headings), whatever the question was."""
    return sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) >= min_headings


def text_language(text: str) -> str:
    """'zh' when Han characters carry the text, else 'en' (symbols like RUT, MA20 are latin words)."""
    han = len(_HAN.findall(text))
    return "zh" if han and han >= len(_LATIN_WORD.findall(text)) else "en"
