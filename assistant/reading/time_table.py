"""The words of time windows, as data: what each phrase means is read in `windows.py`.

Every pattern here is matched against the question lower-cased, after `MASKED` phrases (numbers
that are names or indicator settings, not times: "Russell 2000", "20-day line") are blanked out.
English words are bounded by `B`/`E` rather than `\\b`, because in Python a Chinese character is a
word character too ("2025Q4纳指" has no `\\b` after the Q4).
"""

from __future__ import annotations

import calendar
import re

B = r"(?<![a-z0-9])"
E = r"(?![a-z0-9])"

# Numbers inside names and indicator settings, blanked before any window is read.
MASKED = (
    r"russell\s*[123]000",
    r"罗素\s*[123]000",
    r"s\s*&\s*p\s*(?:500|400|600)",
    r"标普\s*(?:500|400|600)",
    r"nasdaq[\s-]*100",
    r"纳(?:指|斯达克)\s*100",
    r"dow\s*30",
    r"\d+\s*-?\s*(?:day|week|d)\s*(?:line|ma|sma|ema|moving average|average)",
    r"\d+\s*(?:日|天|周)\s*(?:均线|线|移动平均)",
    r"(?:ma|sma|ema)\s*\d+",
    r"\d+\s*-?\s*(?:yr|year)\s*(?:yield|treasury|note|bond)",
    r"(?:十|10)\s*年期",
    r"(?:二|两|2)\s*年期",
)

EN_MONTHS: dict[str, int] = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
EN_MONTHS["sept"] = 9
_EN_MONTH_NAMES = "|".join(sorted(EN_MONTHS, key=len, reverse=True))
EN_MONTH = "(" + _EN_MONTH_NAMES + r")\.?"
# "may" is a verb as often as a month: it counts as a month only with a year or after these words.
MAY_AS_MONTH = r"(?:in|during|for|of|since|through|thru|until|from|over|early|late|mid)\s+may"

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20,
    "thirty": 30, "sixty": 60, "ninety": 90,
}
ZH_DIGITS: dict[str, int] = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
EN_NUMBER = r"(\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
ZH_NUMBER = r"(\d+|[零一二两三四五六七八九十百]+)"

# Units of relative windows: calendar days, months or weekdays counted back from the reference.
UNITS: dict[str, tuple[str, int]] = {
    "trading day": ("weekdays", 1), "trading days": ("weekdays", 1), "session": ("weekdays", 1),
    "sessions": ("weekdays", 1), "day": ("days", 1), "days": ("days", 1), "week": ("days", 7),
    "weeks": ("days", 7), "month": ("months", 1), "months": ("months", 1),
    "quarter": ("months", 3), "quarters": ("months", 3), "year": ("months", 12), "years": ("months", 12),
    "个交易日": ("weekdays", 1), "交易日": ("weekdays", 1), "天": ("days", 1), "日": ("days", 1),
    "周": ("days", 7), "个星期": ("days", 7), "星期": ("days", 7), "个礼拜": ("days", 7),
    "个月": ("months", 1), "月": ("months", 1), "个季度": ("months", 3), "季度": ("months", 3),
    "年": ("months", 12),
}
EN_UNIT = r"(trading days?|sessions?|days?|weeks?|months?|quarters?|years?)"
ZH_UNIT = r"(个交易日|交易日|个星期|个礼拜|星期|个季度|季度|个月|天|周|月|年)"

# "last N units" and "最近N个月": a window ending at the reference. Group 1 = number, group 2 = unit.
RELATIVE = (
    B + r"(?:last|past|previous|prior|trailing|over the last|over the past|in the last|in the past)"
    r"\s+" + EN_NUMBER + r"?\s*" + EN_UNIT + E,
    r"(?:最近|近|过去|前)\s*" + ZH_NUMBER + r"?\s*" + ZH_UNIT,
)
# Traders' shorthand: "1y return", "6m perf", "spx 3mo": only before these words or at the end.
RELATIVE_SHORT = (
    B + r"(\d{1,2})\s*(mo|mos|m|y|yr|yrs|w|wk|wks)" + E
    + r"(?=\s*(?:return|returns|perf|performance|change|chg|move|rally|drawdown|vol|volatility|"
    r"window|lookback|high|low|range)" + E + r"|\s*[?？.!]*\s*$)",
)
SHORT_UNITS: dict[str, str] = {
    "mo": "months", "mos": "months", "m": "months", "y": "years", "yr": "years", "yrs": "years",
    "w": "weeks", "wk": "weeks", "wks": "weeks",
}
# Half a year, said as one word.
RELATIVE_HALF_YEAR = (
    r"(?:最近|近|过去)\s*半年",
    B + r"(?:last|past|trailing)\s+(?:half[\s-]year|half a year)" + E,
)
# "last month/quarter/year" (no number) is the previous calendar period, not a relative window.
LAST_CALENDAR_UNITS = ("month", "quarter", "year")
# ... unless an article says "the" one before now: "only the last month?", "over the last year".
THE_LAST = re.compile(r"\bthe\s*$")

# Words tying a window to the previous turn's window.
TIED = (
    B + r"that (?:month|quarter|year|period|time|window|stretch|span)" + E,
    B + r"same (?:period|window|time ?frame|stretch|months?)" + E,
    B + r"(?:during|over|in) that (?:time|period)" + E,
    r"同期|那段时间|那段时期|那个时期|那段期间|那个月|那个季度|那一年|当月|当季|那期间|这段时间里|那时候",
)
# Shifts of the previous window: "same period last year", "去年同期".
TIED_YEAR_BEFORE = (r"去年同期", B + r"same (?:period|time) (?:a year ago|last year)" + E)
# "(that month's) last N weeks", "(那个月)最后两周": a window at the end of the previous one.
TIED_TAIL = (
    B + r"(?:last|final|closing)\s+" + EN_NUMBER + r"?\s*" + EN_UNIT + E,
    r"(?:最后|末|后)\s*" + ZH_NUMBER + r"?\s*" + ZH_UNIT,
)

# Event anchors: "since the 2025 low", "自去年那波大跌以来". Group "qual" holds the year/month words.
ANCHOR_EVENTS: dict[str, str] = {
    "low": "low", "lows": "low", "bottom": "low", "trough": "low", "低点": "low", "低位": "low",
    "底部": "low", "最低点": "low", "谷底": "low",
    "high": "high", "highs": "high", "peak": "high", "top": "high", "record": "high", "高点": "high",
    "高位": "high", "顶部": "high", "最高点": "high", "峰值": "high",
    "selloff": "selloff", "sell-off": "selloff", "sell off": "selloff", "crash": "selloff",
    "correction": "selloff", "plunge": "selloff", "rout": "selloff", "大跌": "selloff",
    "暴跌": "selloff", "下跌": "selloff", "回调": "selloff", "崩盘": "selloff", "股灾": "selloff",
    "急跌": "selloff", "抛售": "selloff",
}
_EN_EVENTS = "|".join(sorted((w for w in ANCHOR_EVENTS if w.isascii()), key=len, reverse=True))
_ZH_EVENTS = "|".join(sorted((w for w in ANCHOR_EVENTS if not w.isascii()), key=len, reverse=True))
ANCHORS = (
    B + r"(?:since|from|off|after)\s+(?:the|its|that|this)\s+(?P<qual>[a-z0-9 ,'-]{0,30}?)\s*"
    r"(?P<event>" + _EN_EVENTS + r")s?" + E + r"(?P<after>\s+(?:of\s+|in\s+)?(?:last year|this year|\d{4}))?",
    # the qualifier stops at "以来/至今/到": "自降息以来小盘股下跌了多少" anchors on no selloff
    r"(?:自|从|自从)(?P<qual>(?:(?!以来|至今|到现在)[^，。？?！!,到至日号]){0,12}?)(?P<event>" + _ZH_EVENTS + r")",
)

# Calendar halves. Named groups: half (1/2 or a word), year (digits) where the form carries one.
HALF_WORDS: dict[str, int] = {"1": 1, "2": 2, "first": 1, "1st": 1, "second": 2, "2nd": 2, "上": 1, "下": 2}
HALVES = (
    B + r"(?P<half>[12])h\s*'?(?P<year>\d{4}|\d{2})?" + E,
    B + r"h(?P<half>[12])\s*'?(?P<year>\d{4}|\d{2})?" + E,
    B + r"(?P<year>\d{4})\s*-?\s*h(?P<half>[12])" + E,
    B + r"(?P<half>first|second|1st|2nd)\s+half" + E + r"(?:\s+of\s+(?P<year>\d{4}))?",
    r"(?:(?P<year>\d{4})\s*年)?\s*(?P<half>上|下)半年",
)

QUARTER_WORDS: dict[str, int] = {
    "1": 1, "2": 2, "3": 3, "4": 4, "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3,
    "3rd": 3, "fourth": 4, "4th": 4, "一": 1, "二": 2, "三": 3, "四": 4,
}
QUARTERS = (
    B + r"q(?P<quarter>[1-4])\s*(?:of\s+)?'?(?P<year>\d{4}|\d{2})?" + E,
    B + r"(?P<year>\d{4})\s*-?\s*q(?P<quarter>[1-4])" + E,
    B + r"(?P<quarter>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter" + E
    + r"(?:\s+of\s+(?P<year>\d{4}))?",
    r"(?:(?P<year>\d{4})\s*年)?\s*第?(?P<quarter>[一二三四1-4])\s*季度",
)
LAST_QUARTER = (B + r"(?:last|previous|prior) quarter" + E, r"上一?个?季度")
THIS_QUARTER = (B + r"this quarter" + E, r"本季度|这个季度|这季度")

# Months. English names (see MAY_AS_MONTH), Chinese "5月"/"五月份"; group "year" where carried.
EN_MONTH_WITH_YEAR = B + EN_MONTH + r"\s*,?\s*(?:of\s+)?'?(?P<year>\d{4})" + E
EN_MONTH_ALONE = B + EN_MONTH + E
ZH_MONTH = r"(?:(?P<year>\d{4})\s*年\s*)?(?<![个几\d])(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?(?![\d一二三四五六七八九十]*[日号])"
LAST_MONTH = (B + r"(?:last|previous|prior) month" + E, r"上一?个?月")
THIS_MONTH = (B + r"this month" + E, B + r"month[\s-]to[\s-]date" + E, B + r"mtd" + E, r"本月|这个月|这月")

# Years and their relative words (years counted from today's year).
YEAR_NUMBER = r"(?<!\d)(?P<year>(?:19|20)\d{2})(?!\d)"
# "from 2024 to 2025", "2024-2025", "2024至2025年": every year from the first to the last
YEAR_RANGE = (r"(?<![\d-])(?P<year>(?:19|20)\d{2})\s*年?\s*(?:至|到|-|–|~|\bto\b|\bthrough\b|\buntil\b)\s*"
              r"(?P<last>(?:19|20)\d{2})(?![\d-])")
ZH_SHORT_YEAR = r"(?<![\d.])(?P<year>[0-9]{2})\s*年(?!\d|期|以上|以来|来)"
YEAR_WORDS: dict[str, int] = {  # offset from today's year
    "last year": -1, "previous year": -1, "prior year": -1, "the year before last": -2,
    "this year": 0, "去年": -1, "前年": -2, "今年": 0, "本年": 0,
    "next year": 1, "明年": 1,  # a future year: returned after the data for the caller to decline
}
YEAR_WORD = "(" + "|".join(sorted(YEAR_WORDS, key=len, reverse=True)) + ")"

# Year to date: from the last close of the previous year to the reference.
YTD = (
    B + r"ytd" + E,
    B + r"year[\s-]to[\s-]date" + E,
    B + r"since the (?:start|beginning|turn) of (?:the|this) year" + E,
    B + r"since jan(?:uary)?\.?\s+(?:1|1st|first)" + E + r"(?!\s*,?\s*\d{4})",
    r"今年以来|年初至今|年初以来|今年年初以来|今年迄今|自年初|从年初|年内至今",
)
# "this year" alone is the year to date too, but read after quarters and months ("今年二季度").
THIS_YEAR = (B + r"this year" + E, r"今年")

# Explicit dates. Chinese and numeric forms are read here; English month-name dates by dateparser.
ZH_FULL_DATE = r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]?"
ZH_MONTH_DAY = r"(?<![\d年])(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]"
ISO_DATE = r"(?<!\d)(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"
US_DATE = r"(?<![\d/])(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])"
# A month-name date with a day ("Sep 1 2025", "march 3rd", "1 March 2025"): handed to dateparser.
EN_NAMED_DATE = (
    B + EN_MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?" + E + r"(?:\s*,?\s*\d{4}" + E + ")?",
    B + r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + EN_MONTH + E + r"(?:\s*,?\s*\d{4}" + E + ")?",
)
# Month ranges: "from march 2025 to june 2025", "2025年3月至6月": first day of one to last of the other.
MONTH_RANGES = (
    B + r"(?P<m1>" + _EN_MONTH_NAMES + r")\.?(?:\s*,?\s*(?P<y1>\d{4}))?\s*(?:to|until|through|thru|till|and|-|–)\s*"
    r"(?P<m2>" + _EN_MONTH_NAMES + r")\.?\s*,?\s*(?P<y2>\d{4})" + E,
    r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月份?\s*(?:至|到|—|-|~)\s*(?:(?P<y2>\d{4})\s*年)?\s*"
    r"(?P<m2>\d{1,2})\s*月份?(?!\s*\d*\s*[日号])",
)
# "since the beginning of 2026", "2025年初以来": the year to date when it is today's year.
# "since 2020", "自2020年以来" likewise (a year after "since" is where the window opens).
SINCE_YEAR_START = (
    B + r"since (?:the (?:start|beginning|turn) of )?(?P<year>\d{4})" + E + r"(?!\s*[-/.]\s*\d)",
    r"(?:自|从)?\s*(?P<year>\d{4})\s*年\s*(?:初|年初)?(?!\s*\d)\s*(?:以来|至今|到现在|起)",
    r"(?:自|从)\s*(?P<year>\d{4})\s*年?(?!\s*[\d/.-])\s*(?:年初)?\s*(?:开始|起|到现在|至今)",
)
# "since 2025年4月" / "自2025年4月以来": a month as the start of an open window.
ZH_SINCE_MONTH = r"(?:自|从|自从)\s*(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月份?(?![\d]*\s*[日号])"
EN_SINCE_MONTH = B + r"since\s+" + EN_MONTH + r"(?:\s*,?\s*(?P<year>\d{4}))?" + E + r"(?!\s*\d)"
# Words before a lone date that make it the start of an open window, and words after it.
SINCE_BEFORE = r"(?:since|from|after|starting|beginning|自从|自|从)\s*(?:the\s+)?$"
SINCE_AFTER = r"^\s*(?:以来|至今|到现在|到目前|到今天|起|开始|迄今|until now|to date|till now|to now|onwards?)"
UNTIL_BEFORE = r"(?:until|through|thru|till|up to|to|截至|截止|至|到)\s*$"

# The latest data day: "now", "现在".
NOW = (
    B + r"(?:right now|now|today|currently|current|at the moment|latest|as of now|these days)" + E,
    r"现在|目前|当前|最新|此刻|眼下|当下|今天|如今",
)

# How each kind of window takes its base close (issue 12): calendar periods from the last close
# before the period, as index providers publish them; explicit, open and relative windows from the
# close on their first day, or the last trading day before it when the market was shut.
BASE_OF_KIND: dict[str, str] = {
    "year": "prior_close", "half": "prior_close", "quarter": "prior_close", "month": "prior_close",
    "ytd": "prior_close", "dates": "on_or_before", "since": "on_or_before",
    "relative": "on_or_before", "now": "on_or_before", "anchored": "on_or_before",
}
