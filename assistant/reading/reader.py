"""The one question reader: text (and the previous turn's Request) in, a typed Request out.

Both analysts use it. The instruments come from the symbol catalogue's mention finder, the
window from the time-expression reader, the kinds and metrics from the tables in `tables`.
A follow-up keeps the previous Request's instruments and window unless the question changes
them; what was assumed rather than read is recorded on the Request for the answer to say.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from assistant.language import detect_language
from assistant.reading.cues import named_publishers
from assistant.reading.request import (
    ANALYSIS_KINDS,
    AnalysisAsk,
    Anchor,
    Instrument,
    Kind,
    Metric,
    Request,
    Window,
)
from assistant.reading.stored import catalogue_instrument, is_level_symbol
from assistant.reading.tables import (
    COMBINE,
    COMPARATIVE,
    DEFAULT_METRICS,
    EXTREME_WORDS,
    FOLLOWUP,
    FOLLOWUP_AFTER_REPORT,
    FREQUENCY_WORDS,
    HAS_YEAR,
    HISTORY_WORDS,
    KIND_CUES,
    LEVEL_CHECK,
    LEVEL_DEFAULT_METRICS,
    LEVEL_SERIES_INSTEAD,
    MA_ANY,
    METRIC_CUES,
    NOT_COMPUTABLE_TOPICS,
    NOW_NOT_MEANINGFUL,
    NUMBER,
    REPLACE,
    RULE_WORDS,
    TIME_WORDS,
    VERSUS,
    WHICH_PERIOD,
    WINDOW_REF,
    YEAR_RANGE,
    YEARS,
)
from assistant.reading.windows import WindowRead, read_window
from knowledge.market.periods import shift_months
from knowledge.market.scorecard import rate_window
from knowledge.market.symbols import Mention, find_instruments

RATE_SERIES = "US10Y"  # the yield rate sensitivity is measured against
DEFAULT_WINDOW_MONTHS = 12
DEFAULT_BENCHMARK = "SPX"
DEFAULT_PAIR = ("RUT", "SPX")
def _instrument(m: Mention) -> Instrument:
    return Instrument(symbol=m.symbol, name=m.name, name_zh=m.name_zh, how=m.how, text=m.text, served=m.served,
                      related=m.related, level=is_level_symbol(m.symbol), live=m.yahoo)


def read_kinds(question: str) -> list[Kind]:
    """The kinds of answer the words ask for, most specific first."""
    return [kind for kind, pattern in KIND_CUES if pattern.search(question)]


def read_metrics(question: str) -> list[Metric]:
    metrics: list[Metric] = [metric for metric, pattern in METRIC_CUES if pattern.search(question)]
    if MA_ANY.search(question) and not {"ma20", "ma50", "ma200"} & set(metrics):
        metrics += ["ma20", "ma50"]
    return metrics


def _window(read: WindowRead) -> Window:
    anchor = None
    if read.anchor is not None:
        anchor = Anchor(kind=read.anchor.kind, year=read.anchor.year, month=read.anchor.month, text=read.anchor.text)
    return Window(start=read.start, end=read.end, source="question", kind=read.kind, text=read.text,
                  base=read.base, partial=read.partial, anchor=anchor, ties_to_previous=read.ties_to_previous)


def default_window(data_end: date | None) -> Window:
    """The single default window: the last twelve months of the data."""
    start = shift_months(data_end, -DEFAULT_WINDOW_MONTHS) if data_end else None
    return Window(start=start, end=data_end, source="default", kind="default", base="on_or_before")


def read_request(question: str, previous: Request | None, today: date,
                 data_end_of: Callable[[list[str]], date | None] = lambda _symbols: None,
                 earlier: Request | None = None) -> Request:
    """Read `question` (a follow-up of `previous`, when given) into a Request.

    `data_end_of(symbols)` gives the last day of data for those symbols (None when unknown):
    relative windows and "now" are anchored there when it is before `today`.
    """
    language = detect_language(question)
    kinds = read_kinds(question)
    metrics = read_metrics(question)
    named_metrics = bool(metrics)
    mentions = find_instruments(question)
    served = [_instrument(m) for m in mentions if m.served]
    unserved = tuple(_instrument(m) for m in mentions if not m.served)
    publishers = tuple(named_publishers(question))
    chatty = bool({"small_talk", "thanks", "list_sources"} & set(kinds))

    versus = bool(VERSUS.search(question))
    # A declined turn ("特斯拉今年表现如何") still sets the conversation's window for the next one.
    followup = previous is not None and (previous.measures or bool(previous.unserved)) and not chatty and (
        bool(FOLLOWUP.search(question)) or bool(WINDOW_REF.search(question))
        or not (served or unserved or publishers)
        or (versus and len(served) == 1))  # "vs the nasdaq 100?": against the conversation's index

    # -- instruments ----------------------------------------------------------------
    instruments: list[Instrument] = list(served)
    if followup and previous is not None:
        carried = [i.model_copy(update={"how": "previous"}) for i in previous.instruments]
        if not instruments and not unserved:
            instruments = carried
        elif len(instruments) == 1 and carried and instruments[0].symbol != carried[0].symbol \
                and versus and not REPLACE.search(question):
            # "和纳斯达克100比呢?", "vs the nasdaq 100?": the new index against the conversation's
            # first one. Without a comparison word ("道指呢?", "and the Dow?") it replaces it.
            instruments = [carried[0], instruments[0]]

    # -- kinds ----------------------------------------------------------------------
    if "sources" in kinds and publishers:
        kinds = ["sources", *[k for k in kinds if k != "sources"]]
    if LEVEL_CHECK.search(question) and ({"ma20", "ma50", "ma200", "level"} & set(metrics)):
        kinds.insert(0, "level_check")
    if (versus or "excess" in metrics) and (len(instruments) >= 2 or (followup and instruments)):
        kinds.append("comparison")
    if not kinds or kinds == ["sources"] and instruments and not publishers:
        kinds.append("figures")
    if not any(k in kinds for k in ("report", "figures", "comparison", "level_check")) and instruments \
            and not chatty and "sources" not in kinds:
        kinds.append("figures")
    # The most specific kind first; a "why/whether" report is the widest.
    order = ("small_talk", "thanks", "list_sources", "guarantee", "forecast", "calendar", "episodes", "regime",
             "rate_sensitivity", "rolling", "not_computable", "level_check", "sources",
             "comparison", "report", "figures")
    if {"guarantee", "forecast"} & set(kinds):
        kinds = [k for k in kinds if k not in ANALYSIS_KINDS]  # "能保证每年赚15%吗": a refusal, not a table
    kinds = sorted(dict.fromkeys(kinds), key=order.index)
    if followup and metrics and not served and "report" in kinds and len(question) < 40:
        kinds = [k for k in kinds if k != "report"] or ["figures"]  # "那回撤呢?": one metric, not a report
    if {"beta", "correlation"} & set(metrics) and "report" not in kinds \
            and any(i.symbol == RATE_SERIES for i in instruments) \
            and any(i.symbol != RATE_SERIES and not i.level for i in instruments):
        # "how correlated are the s&p and the 10 year": an index against yield changes, regressed.
        kinds = ["rate_sensitivity"]
    years = sorted({int(y) for y in YEARS.findall(question)})
    year_against_year = len(years) >= 2 and bool(versus or WHICH_PERIOD.search(question)) and len(served) <= 1 \
        and not YEAR_RANGE.search(question) \
        and not set(kinds) & {*ANALYSIS_KINDS, "report", "guarantee", "forecast", "not_computable"}
    if year_against_year:
        # "nasdaq 2025 vs 2024, which year was better": each year's return side by side, not the first alone.
        kinds = ["calendar"]
    if "rate_sensitivity" in kinds and "report" in kinds:
        kinds.remove("rate_sensitivity")  # the report measures the rate sensitivity in its own section
    if "not_computable" in kinds and ("report" in kinds or {"guarantee", "forecast"} & set(kinds)):
        kinds.remove("not_computable")  # a report cites the sources on valuation; a refusal comes first
    elif "not_computable" in kinds:
        kinds = ["not_computable", *[k for k in kinds if k == "sources"]]  # no figure answers it
    inherited = previous.kinds[0] if followup and previous is not None and previous.kinds else None
    # "下行时呢?" after a regime: the rule word reads as a change metric too, but restates the rule.
    restates_rule = inherited == "regime" and set(metrics) <= {"change"} \
        and any(p.search(question) for _, p in RULE_WORDS)
    kept_analysis = inherited in ANALYSIS_KINDS and (not named_metrics or restates_rule) \
        and not set(kinds) - {"figures", "comparison"}
    if kept_analysis:
        # "那标普呢?" after the Nasdaq's drawdown episodes: the same analysis of the new index.
        kinds = [inherited, *[k for k in kinds if k == "comparison" and inherited == "rate_sensitivity"]]
    if followup and previous is not None and kinds[0] in ("calendar", "episodes", "regime"):
        # A benchmark the turn before added for its own kind is not part of this question.
        added = {i.symbol for i in previous.instruments if i.how == "benchmark"}
        instruments = [i for i in instruments if i.symbol not in added] or instruments

    analysis = read_analysis(question, kinds, instruments)
    if year_against_year:
        analysis = AnalysisAsk(frequency="year", about="extremes")
    if kept_analysis and previous is not None and previous.analysis is not None and analysis is not None:
        # The turn before's threshold, rule, series and frequency, except what this one restates:
        # "20%以上的呢?" (a number), "and when they were falling?" (a rule), "quarterly?" (a frequency).
        numbered = bool(_parameters(question))
        said = {"threshold_pct": numbered, "level": numbered,
                "rule": any(p.search(question) for _, p in RULE_WORDS),
                "frequency": any(p.search(question) for _, p in FREQUENCY_WORDS)}
        analysis = previous.analysis.model_copy(
            update={k: getattr(analysis, k) for k, restated in said.items() if restated})
    if analysis is not None and analysis.series:
        # "how did the S&P do when the VIX was above 30": the VIX sets the rule, the S&P is measured.
        carried = [i.model_copy(update={"how": "previous"}) for i in previous.instruments
                   if i.symbol != analysis.series and i.how != "benchmark"] if followup and previous else []
        instruments = [i for i in instruments if i.symbol != analysis.series] or carried or \
            [catalogue_instrument(DEFAULT_BENCHMARK, "default")]
    if kinds and kinds[0] == "rate_sensitivity":
        # "is the nasdaq sensitive to the 10-year yield": the yield is what it is measured against.
        instruments = [i for i in instruments if i.symbol != RATE_SERIES] or \
            [catalogue_instrument(DEFAULT_BENCHMARK, "default")]
    measuring = any(k in ("report", "figures", "comparison", "level_check", "forecast", *ANALYSIS_KINDS)
                    for k in kinds)
    if measuring and not instruments and not unserved and previous is None and "report" in kinds \
            and not publishers:
        instruments = [catalogue_instrument(s, "default") for s in DEFAULT_PAIR]
    # A rate question gets the benchmark when it compares ("more rate-sensitive", "更敏感"); "is the
    # nasdaq sensitive to the 10-year?" is about the Nasdaq alone.
    compares = versus or bool(COMPARATIVE.search(question))
    if instruments and not unserved and ("report" in kinds or kinds[0] == "rolling"
                                         or (kinds[0] == "rate_sensitivity" and compares)
                                         or {"beta", "correlation"} & set(metrics)) \
            and len(instruments) == 1 and not instruments[0].level and instruments[0].symbol != DEFAULT_BENCHMARK:
        instruments.append(catalogue_instrument(DEFAULT_BENCHMARK, "benchmark"))

    # -- window ---------------------------------------------------------------------
    data_end = data_end_of([i.symbol for i in instruments]) if instruments else data_end_of([])
    prev_window = previous.window if (followup and previous is not None) else None
    prev_span = (prev_window.start, prev_window.end) if prev_window and prev_window.start and prev_window.end else None
    read = read_window(question, today=today, data_end=data_end, previous=prev_span)
    if year_against_year:
        last = date(years[-1], 12, 31)
        read = WindowRead(date(years[0], 1, 1), min(last, data_end) if data_end else last, "year",
                          " vs ".join(map(str, years)), "prior_close", bool(data_end and data_end < last), None, False)
    if read is not None and read.kind == "now" and kinds and kinds[0] == "rolling":
        read = None  # "is volatility high now": the rolling view's last day is now; its chart shows the year
    if read is not None and prev_window is not None and prev_window.end is not None and data_end is not None \
            and read.kind in ("half", "quarter", "month") and not HAS_YEAR.search(question):
        # "what about h2?" after "dow in h1 2025": the half of the conversation's year.
        year_end = date(prev_window.end.year, 12, 31)
        if year_end < data_end:
            read = read_window(question, today=today, data_end=year_end, previous=prev_span) or read
    unread: list[str] = []
    if read is None and prev_window is not None and earlier is not None and earlier.window is not None \
            and COMBINE.search(question) and earlier.window.start and prev_window.start:
        # "both months together?": one window over the conversation's last two.
        a, b = earlier.window, prev_window
        calendar = a.base == b.base == "prior_close"
        window = Window(start=min(a.start, b.start), end=max(a.end or b.end, b.end or a.end), source="previous",
                        kind="month" if calendar else "dates", text=question.strip(),
                        base="prior_close" if calendar else "on_or_before")
    elif read is not None:
        window = _window(read)
        if read.text:  # "since the april low" names a window, not the high/low metric
            metrics = read_metrics(question.replace(read.text, " "))
    elif prev_window is not None and not (prev_window.source == "default" and previous is not None
                                          and kinds[0] in ANALYSIS_KINDS and kinds[0] != previous.kinds[0]):
        # A window the user chose carries over; one that was only the turn before's default does
        # not bind an analysis with a default of its own ("它对利率敏感吗?" after a one-year view).
        window = prev_window.model_copy(update={"source": "previous"})
    elif kinds and kinds[0] in ("episodes", "regime"):
        # Drawdown episodes and regimes are counted over the whole price history unless asked.
        window = Window(start=None, end=data_end, source="default", kind="default", base="on_or_before")
    elif kinds and kinds[0] == "calendar" and (said := HISTORY_WORDS.search(question)):
        # "the best month for small caps historically": every period in the data.
        window = Window(start=None, end=data_end, source="question", kind="default", text=said.group(0),
                        base="prior_close")
    elif kinds and kinds[0] == "rate_sensitivity" and data_end is not None:
        # A rate regression on a few months says little: by default the five years to the data's end.
        window = Window(start=rate_window(None, data_end), end=data_end, source="default", kind="default",
                        base="on_or_before")
    elif kinds and kinds[0] == "level_check" and data_end is not None:
        # "is the nasdaq above its 200 dma?": where it stands on the latest data day.
        window = Window(start=data_end, end=data_end, source="default", kind="now", base="on_or_before")
    else:
        window = default_window(data_end)
        if TIME_WORDS.search(question) and instruments:
            unread.append("window")

    # -- metrics --------------------------------------------------------------------
    levels_only = bool(instruments) and all(i.level for i in instruments)
    if not metrics and followup and previous is not None and not {"report", "level_check"} & set(kinds):
        # "只看最近一个月呢?", "and vs the Nasdaq-100?": the same figures, re-windowed or re-paired.
        metrics = list(FOLLOWUP_AFTER_REPORT if "report" in previous.kinds else previous.metrics)
        if read is not None and "return" not in metrics:
            metrics.insert(0, "return")  # a re-windowed follow-up shows the headline figure again
    if not metrics:
        primary = next((k for k in kinds if k in DEFAULT_METRICS), None)
        metrics = list(LEVEL_DEFAULT_METRICS if levels_only and primary != "level_check"
                       else DEFAULT_METRICS.get(primary or "", ()))
        if "comparison" in kinds and len(instruments) < 2:
            metrics = [m for m in metrics if m != "excess"]
    elif levels_only:
        swapped: list[Metric] = []
        for metric in metrics:
            swapped += LEVEL_SERIES_INSTEAD.get(metric, (metric,))
        metrics = swapped or list(LEVEL_DEFAULT_METRICS)
    if followup and previous is not None and "comparison" in previous.kinds and len(instruments) >= 2 \
            and not named_metrics and "comparison" not in kinds and not {"report", "level_check"} & set(kinds):
        kinds.insert(kinds.index("figures") if "figures" in kinds else len(kinds), "comparison")
    if "comparison" in kinds and len(instruments) >= 2 and not levels_only and "excess" not in metrics:
        metrics.insert(min(1, len(metrics)), "excess")  # a comparison always says who did better
    if kinds and kinds[0] in (*ANALYSIS_KINDS, "not_computable"):
        metrics = []  # the analysis is the answer (a table, the episodes, the regime's figures), or none is
    if window.kind == "now" and measuring:
        metrics = ["level", *[m for m in metrics if m not in NOW_NOT_MEANINGFUL and m != "level"]]
        if len(metrics) == 1:
            metrics += ["ma20", "ma50", "ma200"]  # "where is X now": the level against its averages

    return Request(
        question=question, language=language, kinds=tuple(kinds), instruments=tuple(instruments),
        # no price is measured for a not-computable question, so it has no window
        unserved=unserved, window=window if (instruments or measuring) and kinds[0] != "not_computable" else None,
        metrics=tuple(dict.fromkeys(metrics)), publishers=publishers, followup=followup, today=today,
        data_end=data_end, unread=tuple(unread), analysis=analysis,
    )


def _parameters(question: str) -> list[float]:
    """The numbers of a question that can be a threshold or a level (not years: "那2022年呢?")."""
    return [float(n) for n in NUMBER.findall(question) if float(n) < 100 and not 1900 < float(n) < 2100]


def read_analysis(question: str, kinds: list[Kind], instruments: list[Instrument]) -> AnalysisAsk | None:
    """The parameters of an analysis question: a calendar table's frequency, a drawdown threshold,
    a regime's rule, what a rolling view leads with, what cannot be computed (None otherwise)."""
    if kinds and kinds[0] == "not_computable":
        topic = next(t for t, pattern in NOT_COMPUTABLE_TOPICS if pattern.search(question))
        return AnalysisAsk(topic=topic)  # type: ignore[arg-type]
    if not set(kinds) & ANALYSIS_KINDS or kinds[0] == "rate_sensitivity":
        return None
    frequency = next((f for f, pattern in FREQUENCY_WORDS if pattern.search(question)), "month")
    numbers = _parameters(question)
    if "regime" not in kinds:
        threshold = numbers[0] if "episodes" in kinds and numbers else 10.0
        about = "beta" if {"beta", "correlation"} & set(read_metrics(question)) else "volatility"
        if "calendar" in kinds and EXTREME_WORDS.search(question):
            about = "extremes"
        return AnalysisAsk(frequency=frequency, threshold_pct=threshold, about=about)  # type: ignore[arg-type]
    vix = any(i.symbol == "VIX" for i in instruments) or bool(re.search(r"(?i)vix|恐慌", question))
    series = "VIX" if vix else "US10Y"
    rule = next((r for r, pattern in RULE_WORDS if pattern.search(question)), None)
    if series == "VIX" and rule in (None, "rising", "falling") and numbers:
        rule = rule or "above"
    level = numbers[0] if rule in ("above", "below") and numbers else None
    if rule in ("above", "below") and level is None:
        rule = "rising" if rule == "above" else "falling"
    return AnalysisAsk(frequency=frequency, series=series, rule=rule or "rising", level=level)  # type: ignore[arg-type]
