"""The offline analyst: a cited research report written from tool results alone, no LLM.

It reads the question (symbols, window, topic, report or short), calls the same tools an LLM
would, and fills fixed sentence frames with the tool values and quoted passage sentences.
Nothing is invented: a section without evidence says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from assistant.analyst import Draft
from assistant.answer import Answer, Event, TokenEvent
from assistant.answerdoc import (
    REFERENCES,
    AnswerDoc,
    Block,
    Markdown,
    Paragraph,
    section_markdown,
    to_markdown,
)
from assistant.grounding.findings import Finding, Findings, build_findings
from assistant.grounding.renumber import reading_order, renumber_doc
from assistant.notes import Note, note
from assistant.offline import declines
from assistant.offline.analyses import (
    ROLLING_DAYS,
    analysis_blocks,
    analysis_kind,
    analysis_reference,
    run_analysis,
)
from assistant.offline.direct import LATE_START_DAYS, assumption_blocks, direct_blocks
from assistant.offline.evidence import from_publishers, mentions
from assistant.offline.phrases import listing, phrase
from assistant.offline.question import Intent
from assistant.offline.report import (
    MarketView,
)
from assistant.offline.sections import ReportContext, report_sections
from assistant.offline.short import (
    as_blocks,
    closing,
    coverage_lines,
    error_blocks,
    knowledge_blocks,
    references,
    source_quotes,
)
from assistant.reading import Request, previous_requests, read_request
from assistant.reading.cues import read_asks
from assistant.reading.tables import LONGER_HISTORY
from assistant.tools import Toolbox
from knowledge.market import CATALOGUE, RATE_UNIT
from knowledge.market.scorecard import rate_window

SEARCH_K = 10  # passages per search: room for a short note of the user's beside the long demo summaries


class OfflineAnalyst:
    """Implements the Analyst protocol without a language model."""

    mode = "offline"

    def run(self, question: str, history: list[Answer], toolbox: Toolbox,
            emit: Callable[[Event], None]) -> Draft:
        """Answer `question` from the tools; emits the Markdown section by section as TokenEvents."""
        earlier = previous_requests(history)
        request = read_request(question, earlier[0] if earlier else None, toolbox.today,
                               data_end_of=toolbox.data_end, earlier=earlier[1] if len(earlier) > 1 else None)
        lang = request.language
        notes = [note("offline")]
        request, doc = self._compose(request, toolbox, notes)
        # Number sources in reading order before anything is shown, in the document and the
        # registry alike, so the streamed text is the text the reader keeps (verification then
        # finds nothing left to renumber).
        mapping = reading_order(to_markdown(doc), toolbox.registry.ids())
        toolbox.registry.renumber(mapping)
        doc = renumber_doc(doc, mapping)
        sections = [section_markdown(section, lang) for section in doc.sections]
        sections[-1] = sections[-1].rstrip() + "\n"
        for section, block in zip(doc.sections, sections, strict=True):
            emit(TokenEvent(text=block, section=section.name))
        markdown = "".join(sections)
        return Draft(markdown=markdown, language=lang, followups=followups(request),
                     notes=notes, request=request, doc=doc)

    def _compose(self, request: Request, toolbox: Toolbox, notes: list[Note]) -> tuple[Request, AnswerDoc]:
        """The answer as an AnswerDoc, and the Request as finally measured (an anchor resolved)."""
        lang = request.language
        doc = AnswerDoc(language=lang)
        request = serve_live(request, toolbox)
        intent = legacy_intent(request)
        kinds = set(request.kinds)
        if kinds & {"small_talk", "thanks", "list_sources"} or ("guarantee" in kinds and not request.instruments):
            _markdown_sections(doc, _without_figures(intent, toolbox, notes, declines.guarantee(lang, False)
                                                     if "guarantee" in kinds else []))
            return request, doc
        if not request.instruments and request.unserved:
            names = [i.display(lang) or i.text for i in request.unserved]
            notes.append(note("no_price_data", names=", ".join(names)))
            available = toolbox.market.available_symbols() or list(CATALOGUE)
            doc.add("decline", [Paragraph(text=declines.no_data(lang, names, available)[0])])
            # The decline above names them: the assumptions do not say it again.
            doc.add("assumptions", assumption_blocks(request, Findings(), None, toolbox.today, say_unserved=False))
            _markdown_sections(doc, [("closing", closing(lang))])
            return request, doc
        if "not_computable" in kinds and request.analysis is not None and request.analysis.topic:
            return request, not_computable_doc(request, intent, toolbox, doc, notes)
        if "forecast" in kinds and not request.instruments:
            doc.add("decline", [Paragraph(text=phrase(lang, "forecast_none", example=declines.example(lang)))])
            _markdown_sections(doc, [("closing", closing(lang))])
            return request, doc
        if not request.measures:  # what the sources say: their words, no market template
            _markdown_sections(doc, _without_figures(intent, toolbox, notes, []))
            return request, doc

        request = resolve_anchor(request, toolbox)
        window = request.window
        last_day = toolbox.data_end(request.symbols)
        if window is not None and last_day and window.start and window.start > last_day:
            notes.append(note("window_after_data", day=last_day))
            # Also a forecast's answer ("where will the S&P be next year?"): the data ends before the
            # window, and future returns cannot be known in advance.
            text = declines.after_data(lang, last_day, window.start, window.end, request.symbols[0])[0]
            doc.add("decline", [Paragraph(text=text)])
            _markdown_sections(doc, [("closing", closing(lang))])
            return request, doc
        if analysis_kind(request) is not None:
            return request, analysis_doc(request, toolbox, doc, notes)
        start = window.start.isoformat() if window and window.start else None
        end = window.end.isoformat() if window and window.end else None
        result = toolbox.market_metrics(request.symbols, start=start, end=end,
                                        base=window.base if window is not None else None)
        passages = _search(intent, toolbox, notes)
        if "error" in result:
            notes.append(note("tool_error", error=result["error"]))
            _markdown_sections(doc, error_blocks(lang, result["error"], passages, intent))
            return request, doc
        result, common = common_window(request, toolbox, result)
        findings = build_findings(result)
        result = _named_for(request, result)
        mv = MarketView(result)
        pre: list[Block] = []
        if "guarantee" in kinds:
            pre += [Paragraph(text=line) for line in declines.guarantee(lang, with_history=True) if line]
        if "forecast" in kinds:
            pre.append(Paragraph(text=phrase(lang, "forecast")))
        if pre:  # a refusal comes before anything else
            doc.add("decline", pre)
        doc.add("title", [Markdown(text=_title(request, mv))])
        gaps = [Paragraph(text=line) for line in coverage_lines(lang, mv)] + common
        doc.add("assumptions", assumption_blocks(request, findings, result, toolbox.today) + gaps)
        levels_only = all(i.level for i in request.instruments)
        if "report" in kinds and not levels_only and not kinds & {"guarantee", "forecast", "level_check"}:
            if "comparison" in kinds:  # the verdict over the window measured leads the report
                doc.add("answer", direct_blocks(request, findings, verdict_only=True), market=True)
            base = window.base if window is not None else None
            card, rolling = measured_views(mv, toolbox, start, end, base, findings)
            context = ReportContext(lang, intent, result, passages, rates=rate_lines(lang, request, toolbox, findings),
                                    card=card, rolling=rolling)
            used = [f.id for f in findings]  # the template sections may show any of them
            for section, lines in report_sections(context):
                doc.add(section.name, [Markdown(text="\n".join(lines).strip("\n"), findings=used)],
                        market=section.market)
            return request, doc
        doc.add("answer", direct_blocks(request, findings), market=True)
        quotes, used = source_quotes(lang, intent, passages, [mv.name(s) for s in mv.symbols])
        if quotes:
            section = doc.add("quotes", [Markdown(text="\n".join(quotes))])
            if "sources" in kinds:  # the sources' words first when the question asks what they say
                doc.sections.remove(section)
                doc.sections.insert(doc.sections.index(doc.section("assumptions")) + 1, section)
        _markdown_sections(doc, [(REFERENCES, references(lang, result, passages, used)), ("closing", closing(lang))])
        return request, doc


def measured_views(mv: MarketView, toolbox: Toolbox, start: str | None, end: str | None, base: str | None,
                   findings: Findings) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The report's scorecard (stars by the stated rules over the same window and base) and its
    rolling views (60-day volatility percentile, beta and correlation, charted), each cited [0];
    their values join the Findings. None where a tool could not measure, and for a yield, whose
    change is not a return to rate."""
    if _is_rate(mv.a) or (mv.b is not None and _is_rate(mv.b)):
        return None, None
    card = toolbox.scorecard(mv.a, mv.b, start, end, base)  # type: ignore[arg-type]
    card = None if "error" in card else card
    rolling = toolbox.rolling_views(mv.a, mv.b, ROLLING_DAYS, start, end)
    rolling = None if "error" in rolling else rolling
    for rating in (card or {}).get("ratings", []):
        findings.add(Finding(id=f"{mv.a}.stars_{rating['dimension']}", key=f"stars_{rating['dimension']}",
                             subject=mv.a, value=rating["stars"], unit="stars"))
    for key, value in ((rolling or {}).get("last") or {}).items():
        if value is not None:
            findings.add(Finding(id=f"{mv.a}.rolling_{key}", key=f"rolling_{key}", subject=mv.a, value=value,
                                 unit="ratio", on=date.fromisoformat(str(rolling["last_date"])[:10])))
    return card, rolling


def rate_lines(lang: str, request: Request, toolbox: Toolbox, findings: Findings) -> list[str]:
    """The report's rate sensitivity, measured: the weekly regression of the subject (or its ratio
    to the benchmark) on the 10-year yield, and the months when the yield jumped, cited [0]."""
    subject = next((i for i in request.instruments if not i.level), None)
    window = request.window
    if subject is None or window is None or window.end is None:
        return []
    other = next((i for i in request.instruments if i is not subject and not i.level), None)
    start = rate_window(window.start, window.end)
    result = toolbox.rate_sensitivity(subject.symbol, other.symbol if other else None, start.isoformat(),
                                      window.end.isoformat(), "weekly")
    if "error" in result:
        return []
    for finding in rate_findings(result):
        findings.add(finding)
    fit, events = result["regression"], result["events"]
    target = fit.get("target") or subject.symbol
    clear = abs(fit["t_stat"]) >= 2.0
    lines = [phrase(lang, "rate_fit", target=target, first=fit["first_date"], last=fit["last_date"], n=fit["n"],
                    slope=f"{fit['slope_per_10bp'] * 100:+.2f}%", t=f"{fit['t_stat']:.2f}",
                    r2=f"{fit['r_squared']:.2f}", reading=phrase(lang, "rate_clear" if clear else "rate_unclear"))]
    if events.get("event_months"):
        key = "rate_events_pair" if other else "rate_events_one"
        lines.append(phrase(lang, key, k=events["event_months"], months=events["months"],
                            name=subject.display(lang), b_name=other.display(lang) if other else "",
                            avg=f"{events['average_return'] * 100:+.2f}%", hit=f"{events['hit_rate'] * 100:.2f}%"))
    return [*lines, ""]


def rate_findings(result: dict[str, Any]) -> list[Finding]:
    """The rate-sensitivity tool result as Findings (ids `<target>.rate_*`)."""
    fit, events = result["regression"], result["events"]
    target = fit.get("target") or fit["symbols"][0]
    first, last = (date.fromisoformat(str(fit[k])[:10]) for k in ("first_date", "last_date"))
    values = {"rate_slope_per_10bp": (fit["slope_per_10bp"], "ratio"), "rate_t_stat": (fit["t_stat"], "ratio"),
              "rate_r_squared": (fit["r_squared"], "ratio"), "rate_n": (fit["n"], "days"),
              "rate_event_avg": (events.get("average_return"), "ratio"), "rate_event_hit": (events.get("hit_rate"), "ratio")}
    return [Finding(id=f"{target}.{key}", key=key, subject=target, value=value, unit=unit, start=first, end=last)
            for key, (value, unit) in values.items() if value is not None]


def analysis_doc(request: Request, toolbox: Toolbox, doc: AnswerDoc, notes: list[Note]) -> AnswerDoc:
    """A calendar table, drawdown episodes or a regime: the analysis tool's result, cited [0]."""
    lang = request.language
    result = run_analysis(request, toolbox)
    if "error" in result:
        notes.append(note("tool_error", error=result["error"]))
        _markdown_sections(doc, [("template", [phrase(lang, "error", error=result["error"]), ""]),
                                 ("closing", closing(lang))])
        return doc
    first = request.instruments[0]
    second = request.instruments[1] if len(request.instruments) > 1 \
        and analysis_kind(request) in ("rate_sensitivity", "rolling") else None
    doc.add("title", [Markdown(text=phrase(lang, "title" if second else "title_one", a=first.symbol,
                                           a_name=first.display(lang), b=second.symbol if second else None,
                                           b_name=second.display(lang) if second else None,
                                           start=result.get("first_date"), end=result.get("last_date")))])
    as_report = {"as_of": result.get("as_of"), "window": {"first_date": result.get("first_date"),
                                                          "last_date": result.get("last_date")}}
    gap = later_start(request, result)
    doc.add("assumptions", assumption_blocks(request, Findings(), as_report, toolbox.today)
            + ([Paragraph(text=phrase(lang, "an_gap", **gap), emphasis="note")] if gap else []))
    doc.add("answer", analysis_blocks(request, result), market=True)
    _markdown_sections(doc, [(REFERENCES, [phrase(lang, "h_refs"), "", "- " + analysis_reference(lang, result), ""]),
                             ("closing", closing(lang))])
    return doc


def not_computable_doc(request: Request, intent: Intent, toolbox: Toolbox, doc: AnswerDoc,
                       notes: list[Note]) -> AnswerDoc:
    """Breadth, valuation, earnings: said plainly that index prices cannot measure it and what
    would, then what the sources say about it (never a price figure in its place)."""
    lang, topic = request.language, request.analysis.topic  # type: ignore[union-attr]
    toolbox.not_computable(topic)  # type: ignore[arg-type]
    names = listing(lang, (i.display(lang) for i in request.instruments)) or phrase(lang, "nc_the_indexes")
    doc.add("decline", [Paragraph(text=phrase(lang, f"nc_{topic}", names=names), emphasis="lead")])
    asking = replace(intent, asks=replace(intent.asks, knowledge=True))  # the sources are the answer here
    _markdown_sections(doc, knowledge_blocks(lang, asking, _search(asking, toolbox, notes), []))
    return doc


def common_window(request: Request, toolbox: Toolbox, result: dict[str, Any]) -> tuple[dict[str, Any], list[Block]]:
    """A comparison whose second index starts later than the window (NDX from 2024-08-22, asked
    "since jan 2024") is measured again over the days both have, and says so: two returns over
    different spans are not a comparison."""
    gaps = [g for g in result.get("coverage_gaps", []) if g.get("data_from")]
    if len(result.get("series", {})) < 2 or not gaps or not result.get("pairs"):
        return result, []
    start = max(str(g["data_from"]) for g in gaps)
    end = request.window.end.isoformat() if request.window and request.window.end else None
    again = toolbox.market_metrics(request.symbols, start=start, end=end, base="on_or_before")
    if "error" in again:
        return result, []
    lang = request.language
    names = {i.symbol: i.display(lang) for i in request.instruments}
    late = listing(lang, (names.get(g["symbol"], g["symbol"]) for g in gaps))
    proxies = [LONGER_HISTORY[g["symbol"]] for g in gaps if g["symbol"] in LONGER_HISTORY]
    text = phrase(lang, "a_common_window", late=late, first=start, asked=gaps[0]["asked_from"],
                  proxy=(("" if lang == "zh" else " ") + phrase(lang, "a_common_proxy", proxy=proxies[0]))
                  if proxies else "")
    return again, [Paragraph(text=text, emphasis="note")]


def later_start(request: Request, result: dict[str, Any]) -> dict[str, Any] | None:
    """When the data starts well after the asked window (DJI holds two years; "since 2018" was
    asked): the asked start and the first day measured, for the note that says so."""
    window, first = request.window, result.get("first_date")
    if window is None or window.start is None or window.source == "default" or not first:
        return None
    first_day = date.fromisoformat(str(first)[:10])
    if (first_day - window.start).days <= LATE_START_DAYS:
        return None
    return {"start": window.start.isoformat(), "first": first_day.isoformat(), "last": result.get("last_date"),
            "symbols": ", ".join(result.get("symbols") or [])}


def _markdown_sections(doc: AnswerDoc, blocks: list[tuple[str, list[str] | str]]) -> None:
    """Sections written by the sentence templates (declines, source lists, references), as
    Markdown, each with its name: `REFERENCES` for the reference list (renderers show the
    registry's instead), "closing" for the disclaimer, "template" for the rest."""
    for name, block in blocks:
        text = "\n".join(block) if isinstance(block, list) else block
        if text.strip():
            doc.add(name, [Markdown(text=text.strip("\n"))])


def _named_for(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """The tool result with each series named as the question's language names it (罗素2000, not
    Russell 2000, in a Chinese answer), for the sentence templates."""
    names = {i.symbol: i.display(request.language) for i in request.instruments}
    series = {sym: {**item, "name": names.get(sym) or item.get("name")} for sym, item in result["series"].items()}
    return {**result, "series": series}


def _title(request: Request, mv: MarketView) -> str:
    """The answer's heading: the instruments, by the names of the question's language, and the window."""
    lang = request.language
    names = {i.symbol: i.display(lang) for i in request.instruments}
    key = "title" if mv.b else "title_one"
    # The window as measured inside (its first and last trading days), not the base close before it.
    return phrase(lang, key, a=mv.a, a_name=names.get(mv.a, mv.name(mv.a)), b=mv.b,
                  b_name=names.get(mv.b or "", mv.name(mv.b)), start=mv.sa["first_date"], end=mv.end)


def serve_live(request: Request, toolbox: Toolbox) -> Request:
    """Instruments outside the catalogue that a configured provider does serve join the answer;
    the rest stay declined by name (never replaced by another index)."""
    served = [i for i in request.unserved if i.live and toolbox.last_trading_day(i.live) is not None]
    if not served:
        return request
    joined = [i.model_copy(update={"symbol": i.live, "served": True}) for i in served]
    return request.model_copy(update={"instruments": (*request.instruments, *joined),
                                      "unserved": tuple(i for i in request.unserved if i not in served)})


def resolve_anchor(request: Request, toolbox: Toolbox) -> Request:
    """Find an event anchor ("since the 2025 low") in the first instrument's prices."""
    window = request.window
    if window is None or window.anchor is None or window.anchor.day is not None:
        return request
    found = toolbox.find_anchor(request.symbols[0], window.anchor.kind, window.anchor.year, window.anchor.month,
                                window.end)
    if found is None:
        return request
    day, _close, rule = found
    anchor = window.anchor.model_copy(update={"day": day, "rule": rule})
    return request.model_copy(update={"window": window.model_copy(update={"start": day, "anchor": anchor})})


def legacy_intent(request: Request) -> Intent:
    """The Intent the sentence-template sections read, derived from the Request."""
    window = request.window
    source = {"question": "question", "previous": "history"}.get(window.source, "default") if window else "default"
    notes = []
    if any(i.how == "default" for i in request.instruments):
        notes.append("default_symbols")
    if any(i.how == "benchmark" for i in request.instruments):
        notes.append("benchmark_added")
    names = " ".join(i.name for i in request.instruments)
    return Intent(
        question=request.question, language=request.language, symbols=request.symbols,
        start=window.start if window else None, end=window.end if window else None,
        window_source=source,  # type: ignore[arg-type]
        kind="report" if "report" in request.kinds else "short",
        topic=" ".join([request.question, names, *request.publishers]).strip(), followup=request.followup,
        notes=notes, proxies=[(i.text, i.name, i.symbol) for i in request.instruments if i.how == "proxy"],
        asks=replace(read_asks(request.question), knowledge="sources" in request.kinds),
        publishers=list(request.publishers),
    )


def _without_figures(intent: Intent, toolbox: Toolbox, notes: list[Note],
                     pre: list[str]) -> list[tuple[str, list[str] | str]]:
    """Answers that measure nothing: a refused guarantee, the source list, small talk, the sources' words."""
    lang = intent.language
    if intent.asks.guarantee:
        return as_blocks([("template", pre), ("closing", closing(lang))])
    if intent.asks.list_sources:
        return as_blocks([("template", source_list(lang, toolbox.list_sources())), ("closing", closing(lang))])
    if intent.asks.thanks:
        return as_blocks([("template", [phrase(lang, "thanks", example=declines.example(lang)), ""])])
    if intent.asks.about_us:
        available = toolbox.market.available_symbols() or list(CATALOGUE)
        return as_blocks([("template", [phrase(lang, "about_us", available=declines.available_list(available, lang),
                                               example=declines.example(lang)), ""]), ("closing", closing(lang))])
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


def _search(intent: Intent, toolbox: Toolbox, notes: list[Note]) -> list[dict[str, Any]]:
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
        known = {(p["cite"], p["text"]) for p in passages}
        passages += [p for p in found.get("passages", []) if (p["cite"], p["text"]) not in known]
        if "error" in found:
            notes.append(note("tool_error", error=found["error"]))
            return _about(intent, _relevant(intent, passages))
    for publisher in intent.publishers:
        # The named publisher's own passages, even when other sources rank above them.
        if not from_publishers(passages, [publisher]):
            found = toolbox.search_sources(intent.topic, k=SEARCH_K, publisher=publisher)
            known = {(q["cite"], q["text"]) for q in passages}
            passages += [p for p in found.get("passages", []) if (p["cite"], p["text"]) not in known]
    return _about(intent, _relevant(intent, passages))


# The floor a passage's calibrated relevance (knowledge.retrieval) must clear to be quoted. The
# retrieval's own RELEVANCE_FLOOR (0.05) is calibrated on a large set of look-alike filing pages;
# on a small knowledge base the passage that answers scores lower (a user's note that answers the
# question: 0.047 to 0.21), while off-topic questions score 0.005 to 0.013, so quoting takes 0.02.
QUOTE_FLOOR = 0.02


def _relevant(intent: Intent, passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Passages that clear the retrieval's relevance floor, from any source (the user's own
    documents, web pages, the demo pack alike); a publisher the question names always counts.
    Below the floor a passage is only loosely related: quoting it would cite evidence for
    something it does not say, so a section without any says the sources do not cover it."""
    named = from_publishers(passages, intent.publishers) if intent.publishers else []
    return [p for p in passages if p in named or p.get("relevance", 1.0) >= QUOTE_FLOOR]


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


def followups(request: Request) -> list[str]:
    """Three follow-up questions in the question's language that keep the conversation's
    instruments and window in their words, and never repeat the question just asked."""
    lang = request.language
    if not request.measures:
        # Nothing was measured, so "just the last month?" would refer to nothing: offer starters.
        out = [declines.example(lang), phrase(lang, "f_reference"), phrase(lang, "f_sources")]
        return [q for q in out if q.strip() != request.question.strip()]
    first = request.instruments[0]
    asked = request.question.strip().rstrip("?？").lower()
    kind = analysis_kind(request)
    if kind is not None:  # the same analysis of another index, or with another parameter
        ask = request.analysis
        variant = kind if kind != "regime" or ask is None else f"regime_{ask.series}_{ask.rule}"
        keys = ANALYSIS_FOLLOWUPS.get(variant) or ANALYSIS_FOLLOWUPS.get(kind, ())
        other = phrase(lang, "fu_other_spx" if first.symbol != "SPX" else "fu_other_ixic")
        out = [phrase(lang, key, other=other) for key in keys]
        return [q for q in out if q.strip().rstrip("?？").lower() != asked][:3]
    a_name = first.display(lang)
    other = request.instruments[1] if len(request.instruments) > 1 else None
    out = []
    if "drawdown" not in request.metrics and not first.level:
        out.append(phrase(lang, "f_metric_dd"))
    elif "volatility" not in request.metrics and not first.level:
        out.append(phrase(lang, "f_metric_vol"))
    window = request.window
    if window is None or window.kind != "relative" or "1" not in window.text and "一" not in window.text:
        out.append(phrase(lang, "f_month"))
    else:
        out.append(phrase(lang, "f_window_h1"))
    symbols = set(request.symbols)
    out.append(phrase(lang, "f_dji" if "NDX" in symbols else "f_ndx"))
    if "report" in request.kinds and other is not None:
        out.append(phrase(lang, "f_why", a_name=a_name, b_name=other.display(lang)))
    elif "report" in request.kinds:
        out.append(phrase(lang, "f_risks", a_name=a_name))
    return [q for q in out if q.strip().rstrip("?？").lower() != asked][:3]


# The follow-ups offered after an analysis answer (phrase keys); a regime by its series and rule.
ANALYSIS_FOLLOWUPS: dict[str, tuple[str, ...]] = {
    "calendar": ("fu_cal_quarter", "fu_same_other", "fu_cal_year"),
    "episodes": ("fu_same_other", "fu_ep_deeper", "fu_ep_yearly"),
    "regime": ("fu_same_other", "fu_rg_vix_below"),
    "regime_VIX_above": ("fu_same_other", "fu_rg_vix_below", "fu_rg_yields_up"),
    "regime_VIX_below": ("fu_same_other", "fu_rg_vix_above", "fu_rg_yields_up"),
    "regime_US10Y_rising": ("fu_same_other", "fu_rg_yields_down", "fu_rg_vix_above"),
    "regime_US10Y_falling": ("fu_same_other", "fu_rg_yields_up", "fu_rg_vix_above"),
    "rate_sensitivity": ("fu_same_other", "fu_rate_ten", "fu_rg_yields_up"),
    "rolling": ("fu_same_other", "fu_roll_rates", "fu_roll_drawdowns"),
}
