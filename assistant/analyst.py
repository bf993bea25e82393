"""What an analyst produces and the protocol both analysts (LLM and offline) implement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from assistant.answer import Answer, Event

if TYPE_CHECKING:
    from assistant.answerdoc import AnswerDoc
    from assistant.notes import Note
    from assistant.reading import Request
    from assistant.tools import Toolbox


@dataclass
class Draft:
    """An answer before verification: Markdown with `[n]` citations, plus follow-up suggestions.

    `notes` are one-line remarks for the user (e.g. "offline mode", "default window used").
    """

    markdown: str
    language: Literal["zh", "en"]
    followups: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    request: Request | None = None  # the question as read and measured (the offline analyst sets it)
    doc: AnswerDoc | None = None  # the structured answer: the Markdown rendered from it (offline) or read into it (LLM)


class Analyst(Protocol):
    """Answers one question with the tools of one answer; streams what it does through `emit`."""

    def run(self, question: str, history: list[Answer], toolbox: Toolbox,
            emit: Callable[[Event], None]) -> Draft:
        """Research `question` (with `history` for follow-ups) and return the draft answer."""
        ...
