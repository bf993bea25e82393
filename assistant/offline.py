"""The offline analyst: a cited research report written from tool results alone, no LLM.

It reads the question (symbols, window, topic, report or short), calls the same tools an LLM
would, and fills fixed sentence frames with the tool values and quoted passage sentences.
Nothing is invented: a section without evidence says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from knowledge.market import CATALOGUE, RATE_UNIT

from . import declines
from .analyst import Draft
from .answer import Answer, Event, TokenEvent
from .evidence import from_publishers, mentions, sort_evidence, tables, topic_terms
from .outlook import outlook, scorecard
from .phrases import phrase
from .question import DEFAULT_BENCHMARK, Intent, read_question
from .renumber import apply_numbering, reading_order
from .report import (
    MarketView,
    headline,
    ma200_lines,
    quote_line,
    relative_strength,
    risks,
    technical_table,
)
from .short import (
    as_blocks,
    closing,
    coverage_lines,
    error_blocks,
    knowledge_blocks,
    references,
    short_blocks,
)
from .tools import Toolbox

SEARCH_K = 8
_SOURCE_SECTIONS = ("catalysts", "macro", "forecasts", "earnings", "rates")
_HEADINGS = {"catalysts": "h_catalysts", "macro": "h_macro", "forecasts": "h_forecasts",
             "earnings": "h_earnings", "rates": "h_rates"}


class OfflineAnalyst:
    """Implements the Analyst protocol without a language model."""

    mode = "offline"

    def run(self, question: str, history: list[Answer], toolbox: Toolbox,
            emit: Callable[[Event], None]) -> Draft:
        """Answer `question` from the tools; emits the Markdown block by block as TokenEvents."""
        intent = read_question(question, history, toolbox.today)
        missing = _check_unlisted(intent, toolbox)
        last_days = [d for d in (toolbox.last_trading_day(s) for s in intent.symbols) if d]
        intent = read_question(question, history, toolbox.today, min(last_days) if last_days else None)
        _check_unlisted(intent, toolbox)  # the second reading starts from the question again
        lang = intent.language
        notes = [phrase(lang, "offline").strip("_")]
        blocks = self._blocks(intent, toolbox, missing, max(last_days) if last_days else None, notes)
        if intent.window_source == "default" and intent.symbols and not missing:
            notes.append("No window in the question: used the last five months of available data.")
        blocks[-1] = blocks[-1].rstrip() + "\n"
        # Number sources in reading order before anything is shown, so the streamed text is
        # the text the reader keeps (verification then finds nothing left to renumber).
        mapping = reading_order("".join(blocks), toolbox.registry.ids())
        toolbox.registry.renumber(mapping)
        markdown = ""
        for block in blocks:
            block = apply_numbering(block, mapping)
            markdown += block
            emit(TokenEvent(text=block))
        return Draft(markdown=markdown, language=lang,
                     followups=followups(lang, intent), notes=notes)

    def _blocks(self, intent: Intent, toolbox: Toolbox, missing: list[str], last_day: date | None,
                notes: list[str]) -> list[str]:
        lang = intent.language
        if missing and not intent.symbols:
            notes.append(f"No price data for {', '.join(missing)}.")
            available = toolbox.market.available_symbols() or list(CATALOGUE)
            return as_blocks([declines.no_data(lang, missing, available), closing(lang)])
        if intent.symbols and last_day and intent.start and intent.start > last_day:
            notes.append(f"The window starts after the last trading day in the data ({last_day}).")
            return as_blocks([declines.after_data(lang, last_day, intent.start, intent.end, intent.symbols[0]),
                              closing(lang)])
        pre: list[str] = []
        if intent.asks.guarantee:
            pre += declines.guarantee(lang, with_history=bool(intent.symbols))
        if missing:
            pre += declines.no_data_partial(lang, missing, intent.symbols, toolbox.market.available_symbols())
        # The report's performance, relative-strength and scorecard sections are about prices; a
        # yield gets its levels and change instead, with the sources' words when there are any.
        rates = any(_is_rate(s) for s in intent.symbols)
        wants_pair = intent.kind == "report" or intent.asks.beta  # beta and correlation need a benchmark
        if wants_pair and not rates and len(intent.symbols) == 1 and intent.symbols[0] != DEFAULT_BENCHMARK:
            intent.symbols.append(DEFAULT_BENCHMARK)
            intent.notes.append("benchmark_added")
        if not intent.symbols:
            return _without_figures(intent, toolbox, notes, pre)
        result = toolbox.market_metrics(intent.symbols, start=_iso(intent.start), end=_iso(intent.end))
        passages = _search(intent, toolbox, notes)
        if "error" in result:
            notes.append(result["error"])
            return error_blocks(lang, result["error"], passages, intent)
        if intent.asks.guarantee:
            pre += [phrase(lang, "h_history"), ""]
        if intent.kind == "report" and not intent.asks.guarantee and not rates:
            return _report_blocks(lang, intent, result, passages, pre)
        return short_blocks(lang, intent, result, passages, pre + _preamble(lang, intent, None))


def _without_figures(intent: Intent, toolbox: Toolbox, notes: list[str], pre: list[str]) -> list[str]:
    """Answers that measure nothing: a refused guarantee, the source list, small talk, the sources' words."""
    lang = intent.language
    if intent.asks.guarantee:
        return as_blocks([pre, closing(lang)])
    if intent.asks.list_sources:
        return as_blocks([source_list(lang, toolbox.list_sources()), closing(lang)])
    if intent.asks.thanks:
        return as_blocks([[phrase(lang, "thanks", example=declines.example(lang)), ""]])
    if intent.asks.about_us:
        available = toolbox.market.available_symbols() or list(CATALOGUE)
        return as_blocks([[phrase(lang, "about_us", available=declines.available_list(available, lang),
                                  example=declines.example(lang)), ""], closing(lang)])
    return knowledge_blocks(lang, intent, _search(intent, toolbox, notes), pre)


def source_list(lang: str, listed: dict[str, Any]) -> list[str]:
    """The knowledge base's documents, one line each, newest ingest first; demo notes say so."""
    if "error" in listed:
        return [listed["error"], ""]
    rows = listed.get("sources", [])
    if not rows:
        return [phrase(lang, "sources_none"), ""]
    lines = [phrase(lang, "sources_intro"), ""]
    for row in rows:
        # The demo mark before the URL: right after it, Markdown would make it part of the link.
        parts = [f"**{row['publisher']}**" if row.get("publisher") else None, row.get("title"), row.get("date"),
                 phrase(lang, "sources_demo") if row.get("demo") else None, row.get("url")]
        lines.append("- " + " · ".join(p for p in parts if p))
    return [*lines, ""]


def _is_rate(symbol: str) -> bool:
    info = CATALOGUE.get(symbol)
    return info is not None and info.unit == RATE_UNIT


def _check_unlisted(intent: Intent, toolbox: Toolbox) -> list[str]:
    """Names asked about that have no data; unlisted ones a provider does serve join the symbols."""
    missing: list[str] = []
    for item in intent.unlisted:
        if item.ticker and toolbox.last_trading_day(item.ticker) is not None:
            if item.ticker not in intent.symbols:
                intent.symbols.append(item.ticker)
        else:
            missing.append(item.name)
    return missing


def _search(intent: Intent, toolbox: Toolbox, notes: list[str]) -> list[dict[str, Any]]:
    """Passages for reports, knowledge questions and questions naming no index."""
    if not (intent.kind == "report" or intent.asks.knowledge or "default_symbols" in intent.notes):
        return []
    queries = [intent.topic]
    if intent.kind == "report":
        # A second query finds the evidence a report needs (catalysts, forecasts, risks) that
        # the question does not name.
        queries.append(phrase(intent.language, "evidence_query", names=intent.topic_names))
    passages: list[dict[str, Any]] = []
    for query in queries:
        found = toolbox.search_sources(query, k=SEARCH_K)
        known = {p["cite"] for p in passages}
        passages += [p for p in found.get("passages", []) if p["cite"] not in known]
        if "error" in found:
            notes.append(found["error"])
            return _about(intent, passages)
    for publisher in intent.publishers:
        # The named publisher's own passages, even when other sources rank above them.
        if not from_publishers(passages, [publisher]):
            found = toolbox.search_sources(intent.topic, k=SEARCH_K, publisher=publisher)
            passages += [p for p in found.get("passages", []) if p["cite"] not in {q["cite"] for q in passages}]
    return _about(intent, passages)


def _about(intent: Intent, passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Passages that name the question's subject (its first index other than a yield, by any alias).

    A search always returns its nearest passages, relevant or not; quoting a small-cap note in
    an answer about the Nasdaq-100 would cite evidence for the wrong claim. A publisher the
    question names is evidence by definition; with no index named, every passage may be.
    """
    if not intent.symbols or "default_symbols" in intent.notes:
        return passages  # no subject named: the question is about the sources themselves
    named = from_publishers(passages, intent.publishers) if intent.publishers else []
    # A yield next to an index is the driver, not the subject ("what do rising yields do to small caps").
    subject = next((s for s in intent.symbols if not _is_rate(s)), intent.symbols[0])
    info = CATALOGUE.get(subject)
    terms = [subject, *(info.aliases if info else ()), *((info.name,) if info else ())]
    terms = [t for t in terms if len(t) > 1 and not t.startswith("^")]
    return [p for p in passages
            if p in named or mentions(f"{p.get('title', '')}\n{p.get('text', '')}", terms)]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _preamble(lang: str, intent: Intent, mv: MarketView | None) -> list[str]:
    lines: list[str] = []
    if mv is not None:
        key = "title" if mv.b else "title_one"
        lines += [phrase(lang, key, a=mv.a, a_name=mv.name(mv.a), b=mv.b, b_name=mv.name(mv.b),
                         start=mv.start, end=mv.end), ""]
    if intent.proxies:
        arrow = " → "
        sep = ";" if lang == "zh" else "; "
        items = sep.join(f"{q}{arrow}{name}{'(' if lang == 'zh' else ' ('}{sym}{')' if lang == 'zh' else ')'}"
                         for q, name, sym in intent.proxies)
        lines.append(phrase(lang, "proxies", items=items))
    if mv is not None and intent.window_source == "default":
        lines.append(phrase(lang, "default_window", start=mv.start, end=mv.end))
    if mv is not None and "default_symbols" in intent.notes:
        lines.append(phrase(lang, "default_symbols", names=", ".join(mv.name(s) for s in mv.symbols)))
    if mv is not None and "benchmark_added" in intent.notes and mv.b:
        lines.append(phrase(lang, "benchmark_added", b=mv.b, b_name=mv.name(mv.b)))
    if mv is not None:
        lines += coverage_lines(lang, mv)
        lines += [f"_{n}_" for n in mv.raw.get("notes", []) if "->" not in n]
    return lines + ([""] if lines and lines[-1] else [])


def _source_tables(lang: str, passages: list[dict[str, Any]]) -> list[str]:
    """Earnings/valuation tables found in passages, verbatim, each with its source line."""
    out: list[str] = []
    for p in passages:
        for table in tables(p["text"]):
            if any(w in table.lower() for w in ("eps", "earnings", "p/e", "valuation", "盈利", "估值")):
                out += [table, "", phrase(lang, "table_source", publisher=p.get("publisher") or "—",
                                          cite=p["cite"]), ""]
    return out


def _report_blocks(lang: str, intent: Intent, result: dict[str, Any], passages: list[dict[str, Any]],
                   pre: list[str]) -> list[str]:
    mv = MarketView(result)
    quotes = sort_evidence(passages, topic_terms(intent.question, [mv.name(s) for s in mv.symbols]), lang)
    used: set[int] = set()
    sections: list[list[str]] = [_preamble(lang, intent, mv) + pre, headline(lang, mv)]
    if mv.pair:
        sections.append(relative_strength(lang, mv))
    if intent.asks.ma200:
        sections.append([*ma200_lines(lang, mv), ""])
    for key in _SOURCE_SECTIONS:
        extra = _source_tables(lang, passages) if key == "earnings" else []
        if quotes[key] or extra:
            sections.append([phrase(lang, _HEADINGS[key]), "", *(quote_line(lang, q) for q in quotes[key]), "",
                             *extra])
            used |= {q.cite for q in quotes[key]}
            used |= {p["cite"] for p in passages if any(t in p["text"] for t in extra if t.startswith("|"))}
        elif key == "catalysts":
            sections.append([phrase(lang, _HEADINGS[key]), "", phrase(lang, "no_passages"), ""])
    sections.append(technical_table(lang, mv))
    sections.append(risks(lang, mv, quotes["risks"]))
    used |= {q.cite for q in quotes["risks"]}
    if quotes["views"]:
        sections.append([phrase(lang, "h_views"), "", phrase(lang, "views_note"),
                          *(quote_line(lang, q) for q in quotes["views"]), ""])
        used |= {q.cite for q in quotes["views"]}
    sections.append(scorecard(lang, mv, quotes))
    sections.append(outlook(lang, mv, quotes))
    sections.append(references(lang, result, passages, used))
    sections.append(closing(lang))
    return as_blocks(sections)


def followups(lang: str, intent: Intent) -> list[str]:
    """Three follow-up questions in the question's language, fitted to what was asked."""
    if not intent.symbols and intent.asks.measures_nothing:
        # Nothing was measured, so "just the last month?" would refer to nothing: offer starters.
        return [declines.example(lang), phrase(lang, "f_reference"), phrase(lang, "f_sources")]
    a = intent.symbols[0] if intent.symbols else "SPX"
    b = intent.symbols[1] if len(intent.symbols) > 1 else None
    a_name = CATALOGUE[a].name if a in CATALOGUE else a
    b_name = CATALOGUE[b].name if b in CATALOGUE else (b or "")
    out = [phrase(lang, "f_month"), phrase(lang, "f_dji" if "NDX" in intent.symbols else "f_ndx")]
    if intent.kind == "short" and b:
        out.append(phrase(lang, "f_why", a_name=a_name, b_name=b_name))
    else:
        out.append(phrase(lang, "f_risks", a_name=a_name))
    return out
