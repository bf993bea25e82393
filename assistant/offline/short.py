"""The offline analyst's short answers: a few figure lines, quotes, the reference list.

A short question gets the figures it asks for (moving averages, relative strength, annualised
volatility when named) on top of return, volatility and drawdown; a question about what a
source says gets that source's own sentences first.
"""

from __future__ import annotations

from typing import Any

from assistant.answerdoc import REFERENCES
from assistant.grounding.marketview import is_rate
from assistant.offline.evidence import (
    Quote,
    from_publishers,
    leading_quotes,
    sort_evidence,
    topic_terms,
)
from assistant.offline.phrases import listing, phrase
from assistant.offline.question import Intent
from assistant.offline.report import (
    MarketView,
    ma200_lines,
    ma_lines,
    market_reference,
    pct,
    pp,
    quote_line,
    rs_sentence,
)


def references(lang: str, result: dict[str, Any] | None, passages: list[dict[str, Any]],
               used: set[int]) -> list[str]:
    """The reference list; passages of the same document share one line with all their ids."""
    lines = [phrase(lang, "h_refs"), ""]
    if result is not None:
        lines.append("- " + market_reference(lang, result))
    documents: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for p in passages:
        if p["cite"] in used:
            key = (p.get("publisher") or "", p.get("title") or "", p.get("url") or "")
            documents.setdefault(key, []).append(p)
    for group in documents.values():
        p = group[0]
        cites = "".join(f"[{c}]" for c in sorted({q["cite"] for q in group}))
        lines.append("- " + phrase(lang, "ref_source", cites=cites, publisher=p.get("publisher") or "—",
                                   title=p.get("title") or "—", date=p.get("date") or phrase(lang, "undated"),
                                   url=p.get("url") or "").rstrip()
                     + (phrase(lang, "demo_ref") if any(q.get("demo") for q in group) else ""))
    return lines + [""]


def closing(lang: str) -> list[str]:
    return [phrase(lang, "disclaimer"), "", phrase(lang, "offline"), ""]


def as_blocks(sections: list[tuple[str, list[str]]]) -> list[tuple[str, list[str] | str]]:
    """(name, Markdown) of each named section that has lines."""
    return [(name, "\n".join(lines) + "\n") for name, lines in sections if lines]


def source_quotes(lang: str, intent: Intent, passages: list[dict[str, Any]], names: list[str],
                  limit: int = 2) -> tuple[list[str], set[int]]:
    """Quote lines for a short answer and the ids they cite.

    A named publisher's own sentences come first; otherwise the best catalyst/forecast/macro/
    risk sentences of all passages.
    """
    if not passages:
        return [], set()
    lines: list[str] = []
    best: list[Quote] = []
    if intent.publishers:
        own = from_publishers(passages, intent.publishers)
        # The source's sentences on the question's topic first, then its opening sentences.
        ranked = sort_evidence(own, topic_terms(intent.question, names), lang)
        best = [q for key in ("catalysts", "forecasts", "macro", "earnings", "rates", "risks", "views")
                for q in ranked[key]][:max(limit, 3)]
        best += [q for q in leading_quotes(own, lang, limit=3) if q.text not in {b.text for b in best}]
        best = best[:max(limit, 3)]
        names_text = listing(lang, intent.publishers)
        if best:
            lines.append(phrase(lang, "kb_intro", publishers=names_text))
        elif own:  # the source is there, but says nothing quotable as its own words on this
            unquotable = unquotable_lines(lang, own)
            return [*unquotable, ""], {p["cite"] for p in own}
        else:
            lines.append(phrase(lang, "kb_missing", publishers=names_text))
    if not best:
        quotes = sort_evidence(passages, topic_terms(intent.question, names), lang)
        best = [q for key in ("catalysts", "forecasts", "macro", "rates", "risks") for q in quotes[key]][:limit]
        if best and not lines:
            lines.append(phrase(lang, "short_from"))
    if not best:
        return [], set()
    lines += [quote_line(lang, q) for q in best]
    if intent.publishers:
        lines.append(phrase(lang, "kb_note"))
    return [*lines, ""], {q.cite for q in best}


def unquotable_lines(lang: str, own: list[dict[str, Any]]) -> list[str]:
    """A named source that is in the knowledge base but holds no sentence quotable as its own
    words (a demo summary that gives only the headline): cite the document, quote nothing."""
    seen: dict[int, dict[str, Any]] = {}
    for p in own:
        seen.setdefault(int(p["cite"]), p)
    return [phrase(lang, "kb_unquotable_demo" if p.get("demo") else "kb_unquotable", publisher=p.get("publisher") or "—",
                   title=p.get("title") or "—", cite=cite) for cite, p in seen.items()]


def figure_lines(lang: str, intent: Intent, result: dict[str, Any]) -> list[str]:
    """Return, volatility and drawdown per symbol, the pair, and whatever else the question names."""
    mv = MarketView(result)
    lines: list[str] = []
    for sym, s in result["series"].items():
        if is_rate(s):
            lines.append("- " + phrase(lang, "short_rate", name=f"{mv.name(sym)} ({sym})", start=s["first_date"],
                                       end=s["last_date"], first=f"{s['first_close']:.2f}",
                                       last=f"{s['last_close']:.2f}", bp=f"{s['change_bp']:+d}"))
            continue
        lines.append("- " + phrase(lang, "short_line", name=f"{mv.name(sym)} ({sym})", start=s["first_date"],
                                   end=s["last_date"], ret=pct(s["return_pct"]),
                                   vol=pct(s.get("daily_vol_pct"), signed=False), dd=pct(s["max_drawdown_pct"])))
        if intent.asks.annualised_vol and s.get("ann_vol_pct") is not None:
            lines.append("- " + phrase(lang, "short_ann_vol", name=f"{mv.name(sym)} ({sym})",
                                       ann=pct(s["ann_vol_pct"], signed=False),
                                       ann20=pct(s.get("ann_vol_20d_pct"), signed=False)))
    for key, p in result.get("pairs", {}).items():
        a, b = key.split("/", 1)
        if is_rate(result["series"][a]) or is_rate(result["series"][b]):
            continue  # an index's return "in excess of" a yield's means nothing
        lines.append("- " + phrase(lang, "short_pair", a=a, b=b, excess=pp(p["excess_return_pct"]),
                                   ratio=f"{p['vol_ratio']:.2f}" if p.get("vol_ratio") is not None else "—"))
        if intent.asks.beta and p.get("beta") is not None and p.get("correlation") is not None:
            lines.append("- " + phrase(lang, "short_beta", a=a, b=b, beta=f"{p['beta']:.2f}",
                                       corr=f"{p['correlation']:.2f}"))
    if intent.asks.relative_strength and (text := rs_sentence(lang, mv)):
        lines.append("- " + text)
    if intent.asks.moving_averages or intent.asks.relative_strength:
        lines += ma_lines(lang, mv, mv.symbols)
    if intent.asks.ma200:
        lines += ma200_lines(lang, mv)
    return lines + [""]


def coverage_lines(lang: str, mv: MarketView) -> list[str]:
    """Where the data does not cover the window asked for, said before any figure."""
    lines = []
    for gap in mv.raw.get("coverage_gaps", []):
        sym = gap["symbol"]
        if "data_from" in gap:
            lines.append(phrase(lang, "data_from", name=mv.name(sym), sym=sym, first=gap["data_from"],
                                asked=gap["asked_from"]))
        if "data_to" in gap:
            lines.append(phrase(lang, "data_to", name=mv.name(sym), sym=sym, last=gap["data_to"],
                                asked=gap["asked_to"]))
    return lines


def short_blocks(lang: str, intent: Intent, result: dict[str, Any], passages: list[dict[str, Any]],
                 preamble: list[str]) -> list[tuple[str, list[str] | str]]:
    """Figures (and quotes, sources first when the question asks what a source says)."""
    mv = MarketView(result)
    figures = figure_lines(lang, intent, result)
    quotes, used = source_quotes(lang, intent, passages, [mv.name(s) for s in mv.symbols])
    body = [*quotes, *figures] if intent.asks.knowledge else [*figures, *quotes]
    return as_blocks([("template", preamble + coverage_lines(lang, mv) + body),
                      (REFERENCES, references(lang, result, passages, used)), ("closing", closing(lang))])


def knowledge_blocks(lang: str, intent: Intent, passages: list[dict[str, Any]],
                     preamble: list[str]) -> list[tuple[str, list[str] | str]]:
    """A question about the sources alone (no index named): their sentences, cited."""
    quotes, used = source_quotes(lang, intent, passages, [], limit=3)
    if not quotes:
        quotes = [phrase(lang, "no_passages"), ""]
    elif not intent.publishers:
        quotes[0] = phrase(lang, "kb_intro_any")
    refs = references(lang, None, passages, used) if used else []
    return as_blocks([("template", preamble + quotes), (REFERENCES, refs), ("closing", closing(lang))])


def error_blocks(lang: str, error: str, passages: list[dict[str, Any]],
                 intent: Intent) -> list[tuple[str, list[str] | str]]:
    """The market tool failed: say so in one line, and quote the sources if any were found."""
    lines = [phrase(lang, "error", error=error), ""]
    quotes, used = source_quotes(lang, intent, passages, [], limit=3)
    refs = references(lang, None, passages, used) if used else []
    return as_blocks([("template", lines + quotes), (REFERENCES, refs), ("closing", closing(lang))])
