"""The answer model shared by the agent, the offline analyst, the CLI and the UI."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.notes import Note


class Excerpt(BaseModel):
    """One passage used from a cited document, with where it sits in the document."""

    text: str
    heading: str | None = None
    position: int = 0


class Citation(BaseModel):
    """One numbered reference. `[0]` is the market database; `[1]`..`[n]` are retrieved passages."""

    id: int
    kind: Literal["market", "source"]
    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    passage: str | None = None
    source_id: str | None = None
    chunk_id: str | None = None
    demo: bool = Field(False, description="A demo-pack summary written by us, not the original document.")
    excerpts: list[Excerpt] = Field(default_factory=list, description="every passage used from this document")
    # Market-data provenance, for `[0]` only.
    provider: str | None = None
    window: str | None = None
    as_of: str | None = None


class Figure(BaseModel):
    """A number found in the answer text and where (if anywhere) it comes from."""

    text: str
    value: float
    unit: str = "number"
    source_id: int | None = None
    grounded: bool
    # Found only in a passage other than the one its sentence cites: shown like an untraced figure.
    miscited: bool = False


class Coverage(BaseModel):
    """What the question asked against what the answer measured: the check beside the figure check.

    Items are ``instrument:RUT``, ``window:2025-01-01..2025-12-31``, ``metric:drawdown``.
    `missing` holds what was asked and neither answered nor declined: a silent substitution.
    """

    asked: list[str] = Field(default_factory=list)
    answered: list[str] = Field(default_factory=list)
    assumed: list[str] = Field(default_factory=list)
    declined: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


class ToolCall(BaseModel):
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    ok: bool = True
    error: str | None = None
    # For a failed market tool: the error's typed cause (knowledge.market.errors.Cause value) and
    # the symbol it concerns, so the UI can say it in the reader's language.
    cause: str | None = None
    symbol: str | None = None


class Answer(BaseModel):
    """A finished, verified answer. This is what `finsight ask --json` prints."""

    question: str
    thread_id: str | None = None
    mode: Literal["llm", "offline"]
    model: str | None = None
    language: Literal["zh", "en"]
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    dangling_citations: list[int] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="how the answer was made, in its language")
    note_codes: list[Note] = Field(default_factory=list, description="the same notes as codes, for other languages")
    followups: list[str] = Field(default_factory=list)
    market: list[dict[str, Any]] = Field(default_factory=list, description="Metrics reports used, with chart series.")
    elapsed_s: float | None = None
    request: dict[str, Any] | None = Field(None, description="the question as read (assistant.reading.Request)")
    coverage: Coverage | None = None
    doc: dict[str, Any] | None = Field(None, description="the structured answer (assistant.answerdoc.AnswerDoc)")

    @property
    def grounded_count(self) -> int:
        return sum(1 for f in self.figures if f.grounded)

    @property
    def ungrounded(self) -> list[Figure]:
        return [f for f in self.figures if not f.grounded]


class StepEvent(BaseModel):
    """The agent did something visible: called a tool, fell back to offline mode."""

    kind: Literal["step"] = "step"
    label: str
    detail: dict[str, Any] = Field(default_factory=dict)


class TokenEvent(BaseModel):
    """A piece of the answer text as it is written."""

    kind: Literal["token"] = "token"
    text: str
    # The AnswerDoc section the text belongs to, when the writer knows it (the offline analyst
    # streams section by section; a model streams prose): a renderer that lists the references
    # itself skips the section named "references".
    section: str | None = None


class AnswerEvent(BaseModel):
    """The last event of a turn: the verified answer."""

    kind: Literal["answer"] = "answer"
    answer: Answer


Event = StepEvent | TokenEvent | AnswerEvent
