"""Finding the figures in an answer's Markdown (pure text processing, no grounding).

A figure is a number a reader would check: a percent, a multiple, basis points, a price-like
or decimal value. Dates, years, citation markers, list numbering, horizons ("1-3个月",
"6-12 months"), window lengths (MA20, "20-day", "20日"), star ratings and index names
("Russell 2000", "S&P 500") are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "§"

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")

# Spans that contain digits but no figures; masked before numbers are scanned.
_NOT_FIGURES = [
    re.compile(r"https?://\S+"),
    re.compile(r"\[\d+(?:\s*[,，、]\s*\d+)*\]"),  # citation markers
    re.compile(r"\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?"),  # ISO-like dates
    re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?"),
    re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]"),
    re.compile(_MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b"),
    re.compile(r"\b\d{1,2}\s+" + _MONTH + r"(?:,?\s+\d{4})?\b"),
    re.compile(_MONTH + r",?\s+\d{4}\b"),
    re.compile(r"\b[1-4]Q\s?\d{2,4}\b|\bFY\s?\d{2,4}\b|\b\d{1,2}:\d{2}\b"),
    re.compile(r"(?i)(?:Russell|S&P|SP|Nasdaq|NASDAQ|Dow(?:\s+Jones)?|FTSE|Stoxx|Nikkei|CSI|MSCI\s+\w+)"
               r"[\s\-]?\d{2,4}(?![\d.,]\d|\d)"),
    re.compile(r"(?:罗素|标普|纳斯达克|纳指|沪深|中证|上证|道指)\s?\d{2,4}"),
    re.compile(r"(?<![\d.])\d{1,2}/\d{1,2}(?![\d/])"),  # ratings like 4/5
    re.compile(r"(?m)^[ \t>]*(?:#{1,6}[ \t]*)?(?:[-*+][ \t]+)?\d{1,2}[.、)](?=[ \t]|$|[^\d])"),
    re.compile(r"[(（]\d{1,2}[)）]"),
    re.compile(r"第\s?\d+"),
]

_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.§])([+\-−]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d])"
)
_UNITS: list[tuple[str, re.Pattern[str]]] = [
    ("percent", re.compile(r"\s?(?:%|％|个百分点|百分点|(?i:percentage[ -]points?)\b|pp\b)")),
    ("bp", re.compile(r"\s?(?:(?i:bps?)\b|个基点|基点|(?i:basis[ -]points?)\b)")),
    ("multiple", re.compile(r"\s?(?:[x×X](?![A-Za-z])|倍)")),
    ("skip", re.compile(
        r"\s?-?(?:个?交易日|个?月|年|日|天|周|个?季度|个?小时|分钟|星|颗星|"
        r"(?i:trading[ -]days?|days?|weeks?|months?|years?|yrs?|quarters?|hours?|minutes?|stars?)\b)")),
    ("skip", re.compile(r"(?:st|nd|rd|th)\b|[A-Za-z]")),
]
_RANGE = re.compile(r"\s*(?:-|–|—|~|～|至|到|\bto\b)\s*(?=[+\-−]?\d)")


@dataclass(frozen=True)
class FoundFigure:
    """One figure in the text: `value` is the number as written (11.84 for "+11.84%")."""

    text: str
    value: float
    unit: str
    decimals: int
    signed: bool
    start: int
    end: int


def mask_non_figures(text: str) -> str:
    """`text` with every non-figure digit span replaced by MASK (same length, same offsets)."""
    for pattern in _NOT_FIGURES:
        text = pattern.sub(lambda m: MASK * len(m.group(0)), text)
    return text


def _unit_at(masked: str, pos: int) -> tuple[str | None, int]:
    """The unit written right after position `pos` and where it ends."""
    for unit, pattern in _UNITS:
        m = pattern.match(masked, pos)
        if m:
            return unit, m.end()
    return None, pos


def _resolve_unit(masked: str, end: int, depth: int = 0) -> tuple[str | None, int]:
    unit, unit_end = _unit_at(masked, end)
    if unit is not None or depth > 2:
        return unit, unit_end
    # "20-60%": the first number of a range takes the unit of the last one.
    rng = _RANGE.match(masked, end)
    if rng:
        nxt = _NUMBER.match(masked, rng.end())
        if nxt:
            unit, _ = _resolve_unit(masked, nxt.end(), depth + 1)
            return unit, end
    return None, end


def _is_bare_figure(digits: str) -> bool:
    """A number with no unit counts when it is a decimal, has separators, or is price-sized."""
    if "." in digits or "," in digits:
        return True
    value = int(digits)
    return value >= 100 and not 1900 <= value <= 2100


def extract_figures(text: str) -> list[FoundFigure]:
    """Every figure in `text`, in order."""
    masked = mask_non_figures(text)
    found: list[FoundFigure] = []
    for m in _NUMBER.finditer(masked):
        sign, digits = m.group(1), m.group(2)
        if m.start() >= 2 and masked[m.start() - 1] == "-" and masked[m.start() - 2].isascii() \
                and masked[m.start() - 2].isalpha():
            continue  # part of a name such as "COVID-19" or "Nasdaq-100"
        unit, unit_end = _resolve_unit(masked, m.end())
        if unit == "skip":
            continue
        if unit is None:
            if not _is_bare_figure(digits):
                continue
            unit = "price" if float(digits.replace(",", "")) >= 100 or "," in digits else "number"
        value = float(digits.replace(",", ""))
        if sign in ("-", "−"):
            value = -value
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        found.append(FoundFigure(text=text[m.start():unit_end].strip(), value=value, unit=unit,
                                 decimals=decimals, signed=bool(sign), start=m.start(), end=unit_end))
    return found


def numbers_in(text: str) -> list[float]:
    """Every numeric literal in a passage (unsigned), for grounding figures against it."""
    return [float(m.group(0).replace(",", ""))
            for m in re.finditer(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text)]
