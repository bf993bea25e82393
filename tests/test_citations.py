"""CitationRegistry: ids handed out by tools, [0] aggregating every market report."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.grounding.citations import CitationRegistry
from knowledge import Passage
from knowledge.market import MarketData


def _passage(chunk: str, source: str | None = None, title: str = "Outlook") -> Passage:
    """A passage of its own document (source `s-<chunk>`) unless `source` names a shared one."""
    source = source or f"s-{chunk}"
    return Passage(chunk_id=chunk, source_id=source, text=f"text of {chunk}", title=title,
                   publisher="Morgan Stanley", published="2025-12", url="https://example.com/a")


def test_passages_get_sequential_ids_and_repeats_keep_theirs() -> None:
    registry = CitationRegistry()
    assert registry.ids() == set()
    assert registry.add_passage(_passage("a")) == 1
    assert registry.add_passage(_passage("b")) == 2
    assert registry.add_passage(_passage("a")) == 1
    assert registry.ids() == {1, 2}
    assert registry.passage(2).chunk_id == "b"
    assert registry.passage(3) is None


def test_citations_filter_by_use(market_data_dir: Path) -> None:
    registry = CitationRegistry()
    registry.add_passage(_passage("a"))
    registry.add_passage(_passage("b", title="Second"))
    registry.add_passage(_passage("b2", source="s-b", title="Second"))  # a second passage of document 2
    market = MarketData(market_data_dir, None, ("csv",))
    assert registry.add_market_report(market.metrics(["RUT", "SPX"], "2025-09-01", "2026-01-31")) == 0
    assert registry.ids() == {0, 1, 2}
    cites = registry.citations({0, 2, 9})
    assert [c.id for c in cites] == [0, 2]
    assert cites[0].kind == "market" and cites[1].kind == "source"
    assert cites[1].title == "Second" and cites[1].url == "https://example.com/a"
    assert [x.text for x in cites[1].excerpts] == ["text of b", "text of b2"]
    assert [c.id for c in registry.citations()] == [0, 1, 2]


def test_market_citation_aggregates_windows(market_data_dir: Path) -> None:
    registry = CitationRegistry()
    market = MarketData(market_data_dir, None, ("csv",))
    registry.add_market_report(market.metrics(["RUT", "SPX"], "2025-09-01", "2026-01-31"))
    registry.add_market_report(market.metrics(["RUT", "NDX"], "2026-01-01", "2026-01-31"))
    (cite,) = registry.citations({0})
    assert cite.provider == "csv"
    # First and last trading days of each window, read from the CSV independently.
    assert cite.window == "2025-09-02 .. 2026-01-30; 2026-01-02 .. 2026-01-30"
    assert cite.as_of == "2026-08-21"
    assert "NDX" in cite.title and "SPX" in cite.title
    assert len(registry.market_reports) == 2
    # the chart starts at the return's base: the last close before the 2025-09-01 holiday
    assert registry.market_json()[0]["chart"]["dates"][0] == "2025-08-29"


def test_renumber_moves_passages_and_refuses_collisions() -> None:
    registry = CitationRegistry()
    for chunk in ("a", "b", "c"):
        registry.add_passage(_passage(chunk))
    registry.renumber({3: 1, 1: 2, 2: 3})
    assert [registry.passage(i).chunk_id for i in (1, 2, 3)] == ["c", "a", "b"]
    assert registry.add_passage(_passage("c")) == 1  # a repeat keeps its new id
    assert registry.add_passage(_passage("d")) == 4
    with pytest.raises(ValueError):
        registry.renumber({1: 2})  # two passages on id 2
