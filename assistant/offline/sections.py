"""The report's sections, as a registry: each a name and a function from the report's context
to its lines of Markdown (none when it has nothing to say), and whether it shows market figures
(the charts follow the report's opening run of those).

Adding a section is one function here and one entry in REPORT_SECTIONS (plus its test); the
offline analyst renders them in this order into the AnswerDoc, one named section each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.answerdoc import REFERENCES
from assistant.offline.evidence import Quote, from_publishers, sort_evidence, tables, topic_terms
from assistant.offline.outlook import outlook, scorecard
from assistant.offline.phrases import phrase
from assistant.offline.question import Intent
from assistant.offline.report import (
    MarketView,
    headline,
    ma200_lines,
    quote_line,
    relative_strength,
    risks,
    technical_table,
)
from assistant.offline.short import closing, references, unquotable_lines


@dataclass
class ReportContext:
    """What every section may read: the question, the market result, the passages and their
    sorted quotes, the measured rate lines, the scorecard and rolling-view results (None when
    not measured); `used` collects the passage ids the sections cite."""

    lang: str
    intent: Intent
    result: dict[str, Any]
    passages: list[dict[str, Any]]
    rates: list[str] = field(default_factory=list)
    card: dict[str, Any] | None = None
    rolling: dict[str, Any] | None = None
    used: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.mv = MarketView(self.result)
        names = [self.mv.name(s) for s in self.mv.symbols]
        self.quotes: dict[str, list[Quote]] = sort_evidence(self.passages, topic_terms(self.intent.question, names),
                                                            self.lang)

    def quoted(self, key: str) -> list[str]:
        """The quote lines of one evidence bucket, their ids recorded as used."""
        self.used |= {q.cite for q in self.quotes[key]}
        return [quote_line(self.lang, q) for q in self.quotes[key]]


@dataclass(frozen=True)
class Section:
    name: str
    render: Callable[[ReportContext], list[str]]
    market: bool = False  # shows figures measured from the market data [0]


def _source_section(key: str, empty_note: bool = False) -> Callable[[ReportContext], list[str]]:
    """A section of the sources' words on one theme (catalysts, macro, ...), measured lines first."""
    def render(ctx: ReportContext) -> list[str]:
        extra = source_tables(ctx) if key == "earnings" else []
        measured = ctx.rates if key == "rates" else []  # computed before quoted
        if not (ctx.quotes[key] or extra or measured):
            return [phrase(ctx.lang, f"h_{key}"), "", phrase(ctx.lang, "no_passages"), ""] if empty_note else []
        return [phrase(ctx.lang, f"h_{key}"), "", *measured, *ctx.quoted(key), "", *extra]
    return render


def source_tables(ctx: ReportContext) -> list[str]:
    """Earnings/valuation tables found in passages, verbatim, each with its source line."""
    out: list[str] = []
    for p in ctx.passages:
        for table in tables(p["text"]):
            if any(w in table.lower() for w in ("eps", "earnings", "p/e", "valuation", "盈利", "估值")):
                key = "table_source_demo" if p.get("demo") else "table_source"
                out += [table, "", phrase(ctx.lang, key, publisher=p.get("publisher") or "—", cite=p["cite"]), ""]
                ctx.used.add(p["cite"])
    return out


def _views(ctx: ReportContext) -> list[str]:
    named = from_publishers(ctx.passages, ctx.intent.publishers) if ctx.intent.publishers else []
    quoted_named = {q.cite for key in ctx.quotes for q in ctx.quotes[key]} & {p["cite"] for p in named}
    unquotable = unquotable_lines(ctx.lang, named) if named and not quoted_named else []
    if unquotable:
        ctx.used |= {p["cite"] for p in named}
    if not ctx.quotes["views"] and not unquotable:
        return []
    quotes = [phrase(ctx.lang, "views_note"), *ctx.quoted("views")] if ctx.quotes["views"] else []
    return [phrase(ctx.lang, "h_views"), "", *unquotable, *quotes, ""]


def _risks(ctx: ReportContext) -> list[str]:
    lines = risks(ctx.lang, ctx.mv, ctx.quotes["risks"], ctx.rolling)
    ctx.used |= {q.cite for q in ctx.quotes["risks"]}
    return lines


REPORT_SECTIONS: tuple[Section, ...] = (
    Section("headline", lambda ctx: headline(ctx.lang, ctx.mv), market=True),
    Section("relative_strength", lambda ctx: relative_strength(ctx.lang, ctx.mv) if ctx.mv.pair else [], market=True),
    Section("ma200", lambda ctx: [*ma200_lines(ctx.lang, ctx.mv), ""] if ctx.intent.asks.ma200 else [], market=True),
    Section("catalysts", _source_section("catalysts", empty_note=True)),
    Section("macro", _source_section("macro")),
    Section("forecasts", _source_section("forecasts")),
    Section("earnings", _source_section("earnings")),
    Section("rates", _source_section("rates")),
    Section("technical", lambda ctx: technical_table(ctx.lang, ctx.mv), market=True),
    Section("risks", _risks),
    Section("views", _views),
    Section("scorecard", lambda ctx: scorecard(ctx.lang, ctx.card, ctx.quotes)),
    Section("outlook", lambda ctx: outlook(ctx.lang, ctx.mv, ctx.card, ctx.quotes)),
    Section(REFERENCES, lambda ctx: references(ctx.lang, ctx.result, ctx.passages, ctx.used)),
    Section("closing", lambda ctx: closing(ctx.lang)),
)


def report_sections(ctx: ReportContext) -> list[tuple[Section, list[str]]]:
    """(section, lines) of every section with something to say, in the report's order."""
    out = [(section, section.render(ctx)) for section in REPORT_SECTIONS]
    return [(section, lines) for section, lines in out if lines]
