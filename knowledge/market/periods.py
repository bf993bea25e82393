"""Read a time window out of a question: ISO dates, month ranges, YTD, "过去一年", "since the election".

`today` is always passed in, so the same text gives the same window in tests and in answers.
Month names resolve to whole calendar months (first to last day); the engine then reports
the actual first and last trading days inside the window.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .report import ReturnBase

ELECTION_2024 = date(2024, 11, 5)


@dataclass(frozen=True)
class Period:
    """A window; None on either side means "from the start of the data" / "to the latest data".

    `base` is the return convention the window calls for (docs/CONVENTIONS.md): "prior_close"
    for calendar periods (years, quarters, months, YTD, MTD), "on_or_before" for explicit
    dates and trailing windows; pass it on as `MarketData.metrics(..., base=period.base)`.
    """

    start: date | None
    end: date | None
    label: str
    base: ReturnBase = "on_or_before"


_MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())
}
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_CN_DIGITS = {"零": 0, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "nine": 9, "twelve": 12, "a": 1, "an": 1}
_SEP = r"\s*(?:to|until|through|thru|till|and|-|–|—|~|至|到|\.\.)\s*"


def _number(token: str) -> int | None:
    """Parse 3, '三', '十二', 'three'."""
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    if token in _EN_NUMBERS:
        return _EN_NUMBERS[token]
    if token and all(ch in _CN_DIGITS or ch == "十" for ch in token):
        if "十" not in token:
            return _CN_DIGITS[token] if len(token) == 1 else None
        tens, _, ones = token.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return None


def shift_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (Mar 31 - 1 month = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _iso(text: str) -> date | None:
    year, month, day = (int(x) for x in re.split(r"[-/.]", text))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _explicit_dates(text: str) -> Period | None:
    found = list(re.finditer(r"(?<!\d)(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?!\d)", text))
    dates = [d for d in (_iso(m.group(1)) for m in found) if d]
    if len(dates) >= 2:
        return Period(dates[0], dates[1], f"{dates[0].isoformat()} to {dates[1].isoformat()}")
    if len(dates) == 1:
        before = text[: found[0].start()].lower()
        if re.search(r"(until|through|to|till|before|up to|截至|截止|至|到)\s*$", before):
            return Period(None, dates[0], f"to {dates[0].isoformat()}")
        return Period(dates[0], None, f"since {dates[0].isoformat()}")
    return None


def _chinese_months(text: str) -> Period | None:
    day_part = r"(?:(\d{1,2})[日号])?"
    one = rf"(\d{{4}})年(\d{{1,2}})月{day_part}"
    m = re.search(rf"{one}{_SEP}(?:(\d{{4}})年)?(\d{{1,2}})月{day_part}", text)
    if m:
        y1, m1, d1, y2, m2, d2 = m.groups()
        y1i, m1i = int(y1), int(m1)
        y2i = int(y2) if y2 else (y1i if int(m2) >= m1i else y1i + 1)
        start = date(y1i, m1i, int(d1) if d1 else 1)
        end = date(y2i, int(m2), int(d2)) if d2 else _month_end(y2i, int(m2))
        return Period(start, end, m.group(0), "on_or_before" if d1 else "prior_close")
    m = re.search(one, text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
        if d:
            return Period(date(y, mo, int(d)), None, m.group(0))
        return Period(date(y, mo, 1), _month_end(y, mo), m.group(0), "prior_close")
    return None


def _english_months(text: str) -> Period | None:
    low = text.lower()
    m = re.search(rf"\b({_MONTH_RE})\.?(?:\s+(\d{{4}}))?{_SEP}({_MONTH_RE})\.?\s+(\d{{4}})\b", low)
    if m:
        m1, y1, m2, y2 = _MONTHS[m.group(1)], m.group(2), _MONTHS[m.group(3)], int(m.group(4))
        y1i = int(y1) if y1 else (y2 if m1 <= m2 else y2 - 1)
        return Period(date(y1i, m1, 1), _month_end(y2, m2), text[m.start():m.end()], "prior_close")
    m = re.search(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})\b", low)
    if m:
        mo, y = _MONTHS[m.group(1)], int(m.group(2))
        return Period(date(y, mo, 1), _month_end(y, mo), text[m.start():m.end()], "prior_close")
    return None


_UNITS = {"day": "d", "days": "d", "天": "d", "日": "d", "个交易日": "d", "week": "w", "weeks": "w",
          "周": "w", "个星期": "w", "星期": "w", "month": "m", "months": "m", "个月": "m", "月": "m",
          "year": "y", "years": "y", "年": "y", "quarter": "q", "quarters": "q", "个季度": "q", "季度": "q"}


def _back(today: date, count: int, unit: str) -> date:
    if unit == "d":
        return today - timedelta(days=count)
    if unit == "w":
        return today - timedelta(weeks=count)
    return shift_months(today, -count * {"m": 1, "q": 3, "y": 12}[unit])


def _relative(text: str, today: date) -> Period | None:
    low = text.lower()
    num = r"(\d+|[一两二三四五六七八九十]+|one|two|three|four|five|six|nine|twelve|an?)"
    m = re.search(rf"\b(?:last|past|previous|trailing)\s+{num}?\s*(days?|weeks?|months?|years?|quarters?)\b", low)
    if m:
        word = m.group(0)
        if m.group(1) is None and word.startswith("last") and m.group(2) in ("month", "year", "week", "quarter"):
            return _previous_calendar(m.group(2), today, text[m.start():m.end()])
        count = _number(m.group(1)) if m.group(1) else 1
        return Period(_back(today, count or 1, _UNITS[m.group(2)]), today, text[m.start():m.end()])
    m = re.search(r"(?:过去|最近|近)\s*(\d+|[一两二三四五六七八九十]+)?\s*(个交易日|个星期|个季度|个月|星期|季度|天|日|周|月|年)", text)
    if m and not (m.group(1) is None and m.group(2) in ("天", "日")):  # "近日" means "lately", not one day
        count = _number(m.group(1)) if m.group(1) else 1
        return Period(_back(today, count or 1, _UNITS[m.group(2)]), today, m.group(0))
    m = re.search(r"(?:过去|最近|近)半年|\b(?:past|last)\s+(?:half[\s-]year|six months)\b", low)
    if m:
        return Period(shift_months(today, -6), today, text[m.start():m.end()])
    return None


def _previous_calendar(unit: str, today: date, label: str) -> Period:
    """"last month" in a question means the previous calendar month, as analysts use it."""
    if unit == "month":
        first = shift_months(today.replace(day=1), -1)
        return Period(first, _month_end(first.year, first.month), label, "prior_close")
    if unit == "year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), label, "prior_close")
    if unit == "quarter":
        q_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        first = shift_months(q_start, -3)
        return Period(first, q_start - timedelta(days=1), label, "prior_close")
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=3), label, "prior_close")


def _named(text: str, today: date) -> Period | None:
    low = text.lower()
    table: list[tuple[str, Period]] = [
        (r"\bytd\b|year[\s-]to[\s-]date|今年以来|年初至今|年初以来|今年迄今|\bthis year\b|今年",
         Period(date(today.year, 1, 1), today, "YTD", "prior_close")),
        (r"\bmtd\b|month[\s-]to[\s-]date|\bthis month\b|本月|这个月",
         Period(today.replace(day=1), today, "MTD", "prior_close")),
        (r"since the (?:us |u\.s\. |2024 |presidential )?election|大选以来|选举以来|大选后",
         Period(ELECTION_2024, today, "since the election (2024-11-05)")),
        (r"上个月|上月", _previous_calendar("month", today, "上个月")),
        (r"去年", _previous_calendar("year", today, "去年")),
        (r"上季度|上个季度", _previous_calendar("quarter", today, "上季度")),
    ]
    for pattern, period in table:
        m = re.search(pattern, low)
        if m:
            keep = period.label.startswith("since the election")
            return Period(period.start, period.end, period.label if keep else text[m.start():m.end()].strip(),
                          period.base)
    return None


_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                  "一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_PATTERNS = (  # each gives (quarter, year) groups, the year optional
    r"\bq([1-4])\s*(?:of\s+)?'?((?:19|20)\d{2})?\b",
    r"\b((?:19|20)\d{2})\s*-?\s*q([1-4])\b",
    r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?((?:19|20)\d{2}))?\b",
    r"(?:((?:19|20)\d{2})\s*年?\s*)?第?([一二三四1-4])\s*季度",
)


def _quarters(text: str, today: date) -> Period | None:
    """"Q1 2026", "2025 Q4", "the third quarter of 2025", "2025年第三季度", "一季度" (the latest one)."""
    low = text.lower()
    for index, pattern in enumerate(_QUARTER_PATTERNS):
        m = re.search(pattern, low)
        if not m:
            continue
        year_first = index in (1, 3)  # these patterns put the year before the quarter
        year_text, quarter_text = (m.group(1), m.group(2)) if year_first else (m.group(2), m.group(1))
        quarter = _QUARTER_WORDS[quarter_text]
        year = int(year_text) if year_text else today.year
        if not year_text and date(year, 3 * quarter - 2, 1) > today:
            year -= 1  # "Q4" in February means last year's
        return Period(date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), text[m.start():m.end()].strip(),
                      "prior_close")
    return None


def _years(text: str, today: date) -> Period | None:
    low = text.lower()
    m = re.search(r"(?:since|from)\s+((?:19|20)\d{2})\b|自?((?:19|20)\d{2})年(?:以来|至今)", low)
    if m:
        year = int(m.group(1) or m.group(2))
        return Period(date(year, 1, 1), today, text[m.start():m.end()], "prior_close")
    m = re.search(r"\b(?:in|during|for|year|over)\s+((?:19|20)\d{2})\b|((?:19|20)\d{2})年(?!\d|\s*\d+月)", low)
    if m:
        year = int(m.group(1) or m.group(2))
        return Period(date(year, 1, 1), date(year, 12, 31), text[m.start():m.end()], "prior_close")
    return None


def parse_period(text: str, today: date) -> Period | None:
    """The window a question asks about, or None when it names none.

    Precedence: explicit ISO dates, Chinese then English month ranges, quarters ("Q1 2026",
    "2025年第三季度"), named windows (YTD/今年以来/MTD/since the election/上个月), relative windows
    (last 3 months/过去一年), then whole years ("in 2025", "2025年").
    """
    for parser in (_explicit_dates, _chinese_months, _english_months):
        found = parser(text)
        if found:
            return found
    for rel in (_quarters, _named, _relative, _years):
        found = rel(text, today)
        if found:
            return found
    return None
