"""Read the time window a question asks about: `read_window(text, today=..., data_end=...)`.

Conventions (decided in issue 12; this is the one place they are written down):

- **Reference day.** Relative windows and "now" end on the data's last day when that is before
  today (`data_end`), else on `today`. "now/right now/today/现在/目前/当前/最新" is that day.
- **Relative windows** ("last 3 months", "过去90天", "近半年") end at the reference and count whole
  calendar units back from it (months clamp: Mar 31 - 1 month = Feb 28); "last N trading days"
  counts N weekdays back (market holidays are not known here). The first day is the base day:
  "past two weeks" to Fri 2026-08-21 is 2026-08-07 .. 2026-08-21.
- **Calendar periods** (year, half, quarter, month, YTD) are whole calendar periods. "this year/
  今年/YTD/年初至今/since January 1st" is the year to date of today's year; "last year/去年",
  "last quarter/上个季度", "last month/上个月" are the calendar periods before today's. A month,
  half or quarter named without a year is the latest one that has started on or before the
  reference. A period running past the reference ends there (`partial=True`); a period wholly
  after it is returned unclipped (`partial=True`, start after the data) for the caller to decline
  with "data through <date>". YTD ends at the reference and is not partial.
- **Base close** (`base`): calendar periods take the last close before the period
  (`prior_close`, as index providers publish returns); explicit dates, "since", relative,
  anchored and "now" windows take the close on their first day or the last trading day before
  it (`on_or_before`). The table is `time_table.BASE_OF_KIND`.
- **Explicit dates**: two dates are a range (kind "dates"); one date after "since/from/自/从" or
  before "以来/至今/到现在" opens a window to the reference (kind "since"); a lone date is that day,
  measured from the close before it (`prior_close`).
  A date without a year is the latest such day on or before the reference. Numeric dates are US
  order (9/1/2025 = 1 September).
- **Event anchors** ("since the 2025 low", "自那次暴跌以来") give kind "anchored" with an
  `AnchorEvent` (low, high or selloff; year/month when said, a month without a year being the
  latest one started) and end = reference; `start` stays None until
  `knowledge.market.anchors.resolve_anchor` finds the day in the prices.
- **Follow-ups** (`previous` = the conversation's earlier window): a relative window still ends at
  the reference unless the words tie it to the earlier window ("that month's last two weeks",
  "那个月最后两周": counted back from the end of `previous`); "same period/同期/那段时间" return
  `previous` itself (kind "dates"), "去年同期" shifts it back a year; these set `ties_to_previous`.

Which library reads what (measured by benchmarks/bench_windows.py on
tests/data/window_expressions.jsonl): dateparser reads English month-name dates ("Sep 1 2025",
"march 3rd"); the rule tables in `time_table.py` read the rest, because none of the libraries
measured reads halves, trading days, anchors, follow-ups or the "latest month started" rule.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Literal

from assistant.reading import time_table as T
from knowledge.market.periods import shift_months

WindowKind = Literal["dates", "since", "month", "quarter", "half", "year", "ytd", "relative", "now", "anchored"]


@dataclass(frozen=True)
class AnchorEvent:
    """A market event a window starts from: the lowest/highest close or the deepest drawdown's trough."""

    kind: Literal["low", "high", "selloff"]  # selloff = the trough of the deepest drawdown in the span
    year: int | None
    month: int | None
    text: str


@dataclass(frozen=True)
class WindowRead:
    """The window a question asks about, with the words it came from and how its base is taken."""

    start: date | None
    end: date | None
    kind: WindowKind
    text: str
    base: Literal["prior_close", "on_or_before"]
    partial: bool
    anchor: AnchorEvent | None
    ties_to_previous: bool


@dataclass(frozen=True)
class _Context:
    today: date
    reference: date
    previous: tuple[date, date] | None


def read_window(
    text: str,
    *,
    today: date,
    data_end: date | None,
    previous: tuple[date, date] | None = None,
) -> WindowRead | None:
    """The window `text` asks about, or None when it names none (the caller picks its default).

    `today` is the calendar day of the question, `data_end` the last day of the price data (None
    when unknown), `previous` the conversation's earlier window. See the module docstring for the
    conventions.
    """
    reference = data_end if data_end is not None and data_end < today else today
    context = _Context(today, reference, previous)
    # Full-width digits and letters ("２０２５年", "ＹＴＤ") read as their ASCII forms. While the
    # lengths agree, match offsets point into the question, so `WindowRead.text` keeps its words.
    low = unicodedata.normalize("NFKC", text).lower()
    if len(low) != len(text):
        text = low
    low = _masked(low)
    try:
        for reader in _READERS:
            found = reader(low, text, context)
            if found is not None:
                return found
    except _Unreadable:
        return None
    return None


# ---------------------------------------------------------------------------------------- helpers

@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _search(patterns: tuple[str, ...] | str, low: str) -> re.Match[str] | None:
    """The earliest match of any of `patterns` in `low`."""
    found = [m for p in ((patterns,) if isinstance(patterns, str) else patterns)
             if (m := _compiled(p).search(low))]
    return min(found, key=lambda m: m.start()) if found else None


def _masked(low: str) -> str:
    """`low` with MASKED phrases blanked (same length, so match offsets still point into the text)."""
    for pattern in T.MASKED:
        low = _compiled(pattern).sub(lambda m: " " * len(m.group(0)), low)
    return low


def _words(text: str, match: re.Match[str]) -> str:
    return text[match.start():match.end()].strip()


def _number(token: str | None) -> int | None:
    """3, '三', '十二', 'two', or 1 when the number is left out ("last week")."""
    if not token:
        return 1
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    if token in T.NUMBER_WORDS:
        return T.NUMBER_WORDS[token]
    if "百" in token:
        return None
    if "十" in token:
        tens, _, ones = token.partition("十")
        return (T.ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (T.ZH_DIGITS.get(ones, 0) if ones else 0)
    return T.ZH_DIGITS.get(token) if len(token) == 1 else None


def _full_year(token: str) -> int:
    year = int(token)
    return year + 2000 if year < 100 else year


def _back(end: date, count: int, unit: str) -> date:
    kind, size = T.UNITS[unit]
    if kind == "weekdays":  # Monday-Friday; exchange holidays are not known here
        day, left = end, count * size
        while left:
            day -= timedelta(days=1)
            left -= day.weekday() < 5
        return day
    if kind == "days":
        return end - timedelta(days=count * size)
    return shift_months(end, -count * size)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _period(kind: WindowKind, start: date, end: date, words: str, context: _Context) -> WindowRead:
    """A calendar period, its end clipped to the reference when it runs past it."""
    partial = end > context.reference
    if partial and start <= context.reference:
        end = context.reference
    return WindowRead(start, end, kind, words, T.BASE_OF_KIND[kind], partial, None, False)


def _window(kind: WindowKind, start: date | None, end: date | None, words: str, *,
            anchor: AnchorEvent | None = None, tied: bool = False) -> WindowRead:
    # A lone day ("how did the s&p do on 2025-04-09") is that day's move: from the close before it.
    base = "prior_close" if kind == "dates" and start is not None and start == end else T.BASE_OF_KIND[kind]
    return WindowRead(start, end, kind, words, base, False, anchor, tied)


def _year_word(low: str, context: _Context) -> int | None:
    """A year said anywhere in the question: "2025", "去年", "last year"."""
    m = _search((T.YEAR_NUMBER,), low)
    if m:
        return int(m.group("year"))
    m = _search((T.YEAR_WORD,), low)
    return context.today.year + T.YEAR_WORDS[m.group(1)] if m else None


def _latest_started(first_month: int, context: _Context, year: int | None) -> int:
    """The year of a period starting in `first_month`: as said, else the latest started by the reference."""
    if year is not None:
        return year
    ref = context.reference
    return ref.year if (ref.month, ref.day) >= (first_month, 1) else ref.year - 1


# ---------------------------------------------------------------------------------------- readers

def _tied(low: str, text: str, context: _Context) -> WindowRead | None:
    """Windows tied to the previous turn's: "同期", "that month's last two weeks", "去年同期"."""
    if context.previous is None:
        return None
    first, last = context.previous
    m = _search(T.TIED_YEAR_BEFORE, low)
    if m:
        return _window("dates", shift_months(first, -12), shift_months(last, -12), _words(text, m), tied=True)
    tie = _search(T.TIED, low)
    if tie is None:
        return None
    tail = _search(T.TIED_TAIL, low)
    if tail:
        count = _number(tail.group(1))
        if count:
            start = _back(last, count, tail.group(2))
            words = text[min(tie.start(), tail.start()):max(tie.end(), tail.end())].strip()
            return _window("relative", max(start, first), last, words, tied=True)
    return _window("dates", first, last, _words(text, tie), tied=True)


def _anchored(low: str, text: str, context: _Context) -> WindowRead | None:
    """"since the 2025 low", "自去年那波大跌以来": an event found later in the prices."""
    m = _search(T.ANCHORS, low)
    if m is None:
        return None
    qualifier = m.group("qual") + " " + (m.groupdict().get("after") or "")
    month = None
    named = _search((T.EN_MONTH_ALONE, r"(?P<month>1[0-2]|0?[1-9])\s*月"), qualifier)
    if named:
        month = int(named.group("month")) if "month" in named.groupdict() else T.EN_MONTHS[named.group(1)]
    year = _year_word(qualifier, context)
    if month is not None and year is None:
        year = _latest_started(month, context, None)
    event = T.ANCHOR_EVENTS[m.group("event")]
    words = _words(text, m)
    return _window("anchored", None, context.reference, words,
                   anchor=AnchorEvent(event, year, month, words))  # type: ignore[arg-type]


def _dateparser_day(words: str, context: _Context) -> date | None:
    """An English month-name date read by dateparser; a date without a year is the latest one."""
    import dateparser  # imported when a question holds such a date: its first import costs ~0.2 s

    settings = {"RELATIVE_BASE": datetime.combine(context.reference, datetime.min.time()),
                "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    parsed = dateparser.parse(words, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Unreadable from None


def _explicit_days(low: str, context: _Context) -> list[tuple[re.Match[str], date]]:
    """Every explicit day in the question, in order."""
    found: list[tuple[re.Match[str], date]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], day: date | None) -> None:
        if day and not any(s < m.end() and m.start() < e for s, e in taken):
            found.append((m, day))
            taken.append((m.start(), m.end()))

    for pattern in (T.ZH_FULL_DATE, T.ISO_DATE, T.US_DATE):
        for m in _compiled(pattern).finditer(low):
            add(m, _safe_date(_full_year(m.group("year")), int(m.group("month")), int(m.group("day"))))
    for m in _compiled(T.ZH_MONTH_DAY).finditer(low):
        month, day = int(m.group("month")), int(m.group("day"))
        candidate = _safe_date(context.reference.year, month, day)
        if candidate > context.reference:
            candidate = _safe_date(context.reference.year - 1, month, day)
        add(m, candidate)
    for pattern in T.EN_NAMED_DATE:
        for m in _compiled(pattern).finditer(low):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                add(m, _dateparser_day(m.group(0), context))
    return sorted(found, key=lambda item: item[0].start())


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else T.EN_MONTHS[token]


def _explicit(low: str, text: str, context: _Context) -> WindowRead | None:
    """Dates said as dates: ranges, "since <date>", "自2025年4月以来", a lone day."""
    days = _explicit_days(low, context)
    if len(days) >= 2:
        (m1, first), (m2, last) = days[0], days[1]
        return _window("dates", min(first, last), max(first, last), text[m1.start():m2.end()].strip())
    if len(days) == 1:
        m, day = days[0]
        before, after = low[:m.start()], low[m.end():]
        if re.search(T.SINCE_BEFORE, before) or re.search(T.SINCE_AFTER, after):
            return _window("since", day, context.reference, _words(text, m))
        if re.search(T.UNTIL_BEFORE, before):
            return _window("dates", None, day, _words(text, m))
        return _window("dates", day, day, _words(text, m))
    m = _search(T.MONTH_RANGES, low)
    if m:
        first_month, last_month = (_month_number(m.group(g)) for g in ("m1", "m2"))
        last_year = int(m.group("y2")) if m.group("y2") else int(m.group("y1"))
        first_year = int(m.group("y1")) if m.group("y1") else last_year - (first_month > last_month)
        if last_year < first_year or (last_year == first_year and last_month < first_month):
            last_year += 1  # "2025年11月至2月": the second month is in the next year
        start = date(first_year, first_month, 1)
        # A span of whole calendar months is a calendar period: its return starts from the close
        # before it, as a published "Sep-Jan" figure does.
        return _period("month", start, _month_end(last_year, last_month), _words(text, m), context)
    m = _search((T.ZH_SINCE_MONTH, T.EN_SINCE_MONTH), low)
    if m:
        named = m.groupdict()
        month = int(named["month"]) if named.get("month") else T.EN_MONTHS[m.group(1)]
        ref = context.reference
        # "since jan": the latest January that has started by the reference day.
        year = int(m.group("year")) if m.group("year") else ref.year - (month > ref.month)
        return _window("since", date(year, month, 1), ref, _words(text, m))
    return None


def _relative(low: str, text: str, context: _Context) -> WindowRead | None:
    """"last 3 months", "过去90天", "近半年": back from the reference."""
    m = _search(T.RELATIVE_HALF_YEAR, low)
    if m:
        return _window("relative", shift_months(context.reference, -6), context.reference, _words(text, m))
    m = _search(T.RELATIVE, low)
    if m is None:
        m = _search(T.RELATIVE_SHORT, low)
        if m is None:
            return None
        count, unit = int(m.group(1)), T.SHORT_UNITS[m.group(2)]
        if not count:
            return None
        return _window("relative", _back(context.reference, count, unit), context.reference, _words(text, m))
    number, unit = m.group(1), m.group(2)
    said = low[m.start():m.end()]
    if number is None and said.startswith(("last", "previous", "prior")) and unit in T.LAST_CALENDAR_UNITS \
            and not T.THE_LAST.search(low[:m.start()]):
        # "last month" is the previous calendar month: read as a calendar period. "the last month",
        # "over the last year" are the trailing month or year.
        return None
    if number is None and unit in ("天", "日", "年", "月"):
        return None  # "近日" is "lately", "近年" "in recent years", "前年" a calendar year
    count = _number(number)
    if not count:
        return None
    return _window("relative", _back(context.reference, count, unit), context.reference, _words(text, m))


def _half(low: str, text: str, context: _Context) -> WindowRead | None:
    m = _search(T.HALVES, low)
    if m is None:
        return None
    half = T.HALF_WORDS[m.group("half")]
    said_year = m.group("year")
    year = _full_year(said_year) if said_year else _year_word(low, context)
    year = _latest_started(1 if half == 1 else 7, context, year)
    start = date(year, 1 if half == 1 else 7, 1)
    return _period("half", start, _month_end(year, 6 if half == 1 else 12), _words(text, m), context)


def _quarter_of(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarter(low: str, text: str, context: _Context) -> WindowRead | None:
    m = _search(T.LAST_QUARTER, low)
    if m:
        start = shift_months(_quarter_of(context.today), -3)
        return _period("quarter", start, _month_end(start.year, start.month + 2), _words(text, m), context)
    m = _search(T.THIS_QUARTER, low)
    if m:
        start = _quarter_of(context.today)
        return _period("quarter", start, _month_end(start.year, start.month + 2), _words(text, m), context)
    m = _search(T.QUARTERS, low)
    if m is None:
        return None
    quarter = T.QUARTER_WORDS[m.group("quarter")]
    said_year = m.group("year")
    year = _full_year(said_year) if said_year else _year_word(low, context)
    first_month = 3 * (quarter - 1) + 1
    year = _latest_started(first_month, context, year)
    start = date(year, first_month, 1)
    return _period("quarter", start, _month_end(year, first_month + 2), _words(text, m), context)


def _month(low: str, text: str, context: _Context) -> WindowRead | None:
    m = _search(T.LAST_MONTH, low)
    if m:
        start = shift_months(context.today.replace(day=1), -1)
        return _period("month", start, _month_end(start.year, start.month), _words(text, m), context)
    m = _search(T.THIS_MONTH, low)
    if m:
        start = context.today.replace(day=1)
        return _period("month", start, _month_end(start.year, start.month), _words(text, m), context)
    year: int | None = None
    m = _search((T.EN_MONTH_WITH_YEAR,), low)
    if m:
        month, year = T.EN_MONTHS[m.group(1)], int(m.group("year"))
    else:
        m = _search((T.EN_MONTH_ALONE, T.ZH_MONTH), low)
        if m is None:
            return None
        if m.re.pattern == T.EN_MONTH_ALONE:
            if m.group(1) == "may" and not _compiled(T.MAY_AS_MONTH).search(low):
                return None
            month = T.EN_MONTHS[m.group(1)]
        else:
            token = m.group("month")
            month = int(token) if token.isdigit() else _number(token) or 0
            if m.group("year"):
                year = int(m.group("year"))
            elif (w := _search((T.YEAR_WORD,), low[:m.start()])) and T.YEAR_WORDS[w.group(1)] != 0:
                year = context.today.year + T.YEAR_WORDS[w.group(1)]  # "去年12月"
        if not 1 <= month <= 12:
            return None
    year = _latest_started(month, context, year)
    return _period("month", date(year, month, 1), _month_end(year, month), _words(text, m), context)


def _ytd(low: str, text: str, context: _Context) -> WindowRead | None:
    m = _search(T.SINCE_YEAR_START, low)
    if m:
        year = int(m.group("year"))
        if year != context.today.year:
            return _window("since", date(year, 1, 1), context.reference, _words(text, m))
        return _window("ytd", date(year, 1, 1), context.reference, _words(text, m))
    m = _search(T.YTD, low)
    if m is None:
        return None
    return _window("ytd", date(context.today.year, 1, 1), context.reference, _words(text, m))


def _this_year(low: str, text: str, context: _Context) -> WindowRead | None:
    m = _search(T.THIS_YEAR, low)
    if m is None:
        return None
    return _window("ytd", date(context.today.year, 1, 1), context.reference, _words(text, m))


def _year(low: str, text: str, context: _Context) -> WindowRead | None:
    span = _search((T.YEAR_RANGE,), low)
    if span and int(span.group("last")) > int(span.group("year")):
        first, last = int(span.group("year")), int(span.group("last"))
        return _period("year", date(first, 1, 1), date(last, 12, 31), _words(text, span), context)
    m = _search((T.YEAR_NUMBER, T.ZH_SHORT_YEAR), low)
    if m:
        year = _full_year(m.group("year"))  # a future year too: the caller declines it by its dates
    else:
        m = _search((T.YEAR_WORD,), low)
        if m is None or T.YEAR_WORDS[m.group(1)] == 0:
            return None
        year = context.today.year + T.YEAR_WORDS[m.group(1)]
    return _period("year", date(year, 1, 1), date(year, 12, 31), _words(text, m), context)


def _now(low: str, text: str, context: _Context) -> WindowRead | None:
    m = _search(T.NOW, low)
    if m is None:
        return None
    return _window("now", context.reference, context.reference, _words(text, m))


class _Unreadable(Exception):
    """A phrase shaped like a date that is no date (2025-02-30): no window rather than another one."""


# Most specific first: a tie or an anchor outranks the dates inside it, "since January 1st" is
# YTD, dates outrank the calendar words around them, "今年二季度" is a quarter before "今年" is
# the year to date, and "now" is read last.
_READERS = (_tied, _anchored, _ytd, _explicit, _relative, _half, _quarter, _month, _this_year,
            _year, _now)

