"""The Intent the offline report's sentence templates read (built from the Request by
`assistant.offline.analyst.legacy_intent`); the question itself is read by `assistant.reading`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from assistant.reading.cues import Asks, Unlisted
from knowledge.market import CATALOGUE


@dataclass
class Intent:
    """What the question asks, as the offline analyst will answer it."""

    question: str
    language: Literal["zh", "en"]
    symbols: list[str]
    start: date | None
    end: date | None
    window_source: Literal["question", "history", "default"]
    kind: Literal["report", "short"]
    topic: str
    followup: bool = False
    notes: list[str] = field(default_factory=list)
    proxies: list[tuple[str, str, str]] = field(default_factory=list)  # (words used, index name, symbol)
    asks: Asks = field(default_factory=Asks)
    publishers: list[str] = field(default_factory=list)  # publishers the question names
    unlisted: list[Unlisted] = field(default_factory=list)  # indexes the catalogue does not know

    @property
    def topic_names(self) -> str:
        """The display names of the symbols, for search queries."""
        return " ".join(CATALOGUE[s].name if s in CATALOGUE else s for s in self.symbols)
