"""The per-answer citation registry: `[0]` is the market data, `[1]`..`[n]` retrieved documents.

Ids are handed out by the tools, never by the writer of the answer, so a citation in the text
can always be checked against what a tool actually returned. One number per document, the way
research reports number their references: every passage retrieved from one document shares its
id, and the reference lists the passages used under it.
"""

from __future__ import annotations

from typing import Any, Protocol

from assistant.answer import Citation, Excerpt
from knowledge.models import Passage

MARKET_ID = 0


class MarketReportLike(Protocol):
    """What the registry needs from a `knowledge.market.MetricsReport`."""

    def to_json_dict(self, include_chart: bool = False) -> dict[str, Any]: ...


class CitationRegistry:
    """Numbers the evidence of one answer and keeps the exact values for verification."""

    def __init__(self) -> None:
        self._reports: list[MarketReportLike] = []
        self._report_json: list[dict[str, Any]] = []
        self._passages: dict[int, list[Passage]] = {}
        self._by_chunk: dict[str, int] = {}

    # -- registration (called by the Toolbox) -------------------------------------------

    def add_market_report(self, report: MarketReportLike) -> int:
        """Record one metrics report; every report shares id 0."""
        self._reports.append(report)
        self._report_json.append(report.to_json_dict(include_chart=True))
        return MARKET_ID

    def add_passage(self, passage: Passage) -> int:
        """The id of the passage's document: the same id for every passage of one document."""
        known = self._by_chunk.get(passage.chunk_id)
        if known is not None:
            return known
        doc_id = next((cite_id for cite_id, parts in self._passages.items()
                       if _document(parts[0]) == _document(passage)), None)
        if doc_id is None:
            doc_id = len(self._passages) + 1
            self._passages[doc_id] = []
        self._passages[doc_id].append(passage)
        self._by_chunk[passage.chunk_id] = doc_id
        return doc_id

    def renumber(self, mapping: dict[int, int]) -> None:
        """Give the documents new ids (old -> new, e.g. reading order); unmapped ids keep theirs.

        The mapping must not send two documents to one id; market data stays `[0]`.
        """
        moved = {mapping.get(old, old): p for old, p in self._passages.items()}
        if len(moved) != len(self._passages) or MARKET_ID in moved:
            raise ValueError("a renumbering must keep passage ids distinct and leave [0] to market data")
        self._passages = dict(sorted(moved.items()))
        self._by_chunk = {p.chunk_id: cite_id for cite_id, parts in self._passages.items() for p in parts}

    # -- lookup -------------------------------------------------------------------------

    @property
    def market_reports(self) -> list[MarketReportLike]:
        """The metrics reports behind `[0]`, in the order the tools produced them."""
        return list(self._reports)

    def market_json(self) -> list[dict[str, Any]]:
        """The reports as JSON-ready dicts (fractions, ISO dates, chart series included)."""
        return [dict(item) for item in self._report_json]

    def passage(self, cite_id: int) -> Passage | None:
        """The document cited as `cite_id`, as one passage holding all its retrieved text, or None."""
        parts = self._passages.get(cite_id)
        return _merged(parts) if parts else None

    def passages(self) -> dict[int, Passage]:
        """Every cited document by id, its retrieved passages merged (see `passage`)."""
        return {cite_id: _merged(parts) for cite_id, parts in self._passages.items()}

    def excerpts(self, cite_id: int) -> list[Passage]:
        """The passages retrieved from document `cite_id`, in the order they were retrieved."""
        return list(self._passages.get(cite_id, []))

    def ids(self) -> set[int]:
        """Ids an answer may cite: 0 once market data was fetched, plus every passage id."""
        found = set(self._passages)
        if self._reports:
            found.add(MARKET_ID)
        return found

    # -- rendering ----------------------------------------------------------------------

    def market_citation(self) -> Citation | None:
        """The `[0]` entry: provider(s), window(s) and as-of date aggregated over all reports."""
        if not self._report_json:
            return None
        providers = _unique(str(r.get("provider", "")) for r in self._report_json)
        windows = _unique(f"{r.get('first_date')} .. {r.get('last_date')}" for r in self._report_json)
        symbols = _unique(s for r in self._report_json for s in r.get("symbols", []))
        as_of = max(str(r.get("as_of", "")) for r in self._report_json)
        return Citation(
            id=MARKET_ID,
            kind="market",
            title=f"Market data: daily closes of {', '.join(symbols)}",
            publisher=", ".join(p for p in providers if p) or None,
            date=as_of or None,
            provider=", ".join(p for p in providers if p) or None,
            window="; ".join(windows),
            as_of=as_of or None,
        )

    def citations(self, used: set[int] | None = None) -> list[Citation]:
        """Reference entries ordered by id; only `used` ids when given (unknown ids ignored)."""
        out: list[Citation] = []
        market = self.market_citation()
        if market is not None and (used is None or MARKET_ID in used):
            out.append(market)
        for cite_id, parts in sorted(self._passages.items()):
            if used is not None and cite_id not in used:
                continue
            p = _merged(parts)
            out.append(
                Citation(
                    id=cite_id,
                    kind="source",
                    title=p.title,
                    publisher=p.publisher,
                    date=p.published,
                    url=p.url,
                    passage=p.text,
                    source_id=p.source_id,
                    chunk_id=parts[0].chunk_id,
                    demo=p.demo,
                    excerpts=[Excerpt(text=x.text, heading=x.heading, position=x.position) for x in parts],
                )
            )
        return out


def _document(passage: Passage) -> tuple[str, ...]:
    """What makes two passages one document: the stored source, else its URL or title."""
    if passage.source_id:
        return ("source", passage.source_id)
    return ("meta", passage.url or "", passage.title or "", passage.publisher or "")


def _merged(parts: list[Passage]) -> Passage:
    if len(parts) == 1:
        return parts[0]
    return parts[0].model_copy(update={"text": "\n\n…\n\n".join(p.text for p in parts)})


def _unique(items: Any) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
