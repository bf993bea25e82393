"""The per-answer citation registry: `[0]` is the market data, `[1]`..`[n]` retrieved passages.

Ids are handed out by the tools, never by the writer of the answer, so a citation in the text
can always be checked against what a tool actually returned.
"""

from __future__ import annotations

from typing import Any, Protocol

from knowledge.models import Passage

from .answer import Citation

MARKET_ID = 0


class MarketReportLike(Protocol):
    """What the registry needs from a `knowledge.market.MetricsReport`."""

    def to_json_dict(self, include_chart: bool = False) -> dict[str, Any]: ...


class CitationRegistry:
    """Numbers the evidence of one answer and keeps the exact values for verification."""

    def __init__(self) -> None:
        self._reports: list[MarketReportLike] = []
        self._report_json: list[dict[str, Any]] = []
        self._passages: dict[int, Passage] = {}
        self._by_chunk: dict[str, int] = {}

    # -- registration (called by the Toolbox) -------------------------------------------

    def add_market_report(self, report: MarketReportLike) -> int:
        """Record one metrics report; every report shares id 0."""
        self._reports.append(report)
        self._report_json.append(report.to_json_dict(include_chart=True))
        return MARKET_ID

    def add_passage(self, passage: Passage) -> int:
        """The passage's id: the same id when a tool returns the same chunk again."""
        known = self._by_chunk.get(passage.chunk_id)
        if known is not None:
            return known
        new_id = len(self._passages) + 1
        self._passages[new_id] = passage
        self._by_chunk[passage.chunk_id] = new_id
        return new_id

    def renumber(self, mapping: dict[int, int]) -> None:
        """Give the passages new ids (old -> new, e.g. reading order); unmapped ids keep theirs.

        The mapping must not send two passages to one id; market data stays `[0]`.
        """
        moved = {mapping.get(old, old): p for old, p in self._passages.items()}
        if len(moved) != len(self._passages) or MARKET_ID in moved:
            raise ValueError("a renumbering must keep passage ids distinct and leave [0] to market data")
        self._passages = dict(sorted(moved.items()))
        self._by_chunk = {p.chunk_id: cite_id for cite_id, p in self._passages.items()}

    # -- lookup -------------------------------------------------------------------------

    @property
    def market_reports(self) -> list[MarketReportLike]:
        """The metrics reports behind `[0]`, in the order the tools produced them."""
        return list(self._reports)

    def market_json(self) -> list[dict[str, Any]]:
        """The reports as JSON-ready dicts (fractions, ISO dates, chart series included)."""
        return [dict(item) for item in self._report_json]

    def passage(self, cite_id: int) -> Passage | None:
        """The passage registered under `cite_id`, or None."""
        return self._passages.get(cite_id)

    def passages(self) -> dict[int, Passage]:
        """Every registered passage by id."""
        return dict(self._passages)

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
        for cite_id, p in sorted(self._passages.items()):
            if used is not None and cite_id not in used:
                continue
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
                    chunk_id=p.chunk_id,
                    demo=p.demo,
                )
            )
        return out


def _unique(items: Any) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
