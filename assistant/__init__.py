"""finsight's assistant: the public surface a caller (the UI, the CLI, a script) needs.

    from assistant import ResearchService, Settings
    answer = ResearchService(Settings()).ask("小盘股过去一年跑赢大盘了吗?")

Everything else lives in subpackages (`reading`, `grounding`, `offline`, `llm`) and may change.
Names are loaded on first use, so importing one light submodule (say `assistant.reading`) does
not start the market engine or the knowledge base.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "ResearchService": "assistant.service",
    "QuestionError": "assistant.service",
    "Settings": "assistant.settings",
    "Answer": "assistant.answer",
    "Citation": "assistant.answer",
    "Figure": "assistant.answer",
    "Coverage": "assistant.answer",
    "Event": "assistant.answer",
    "StepEvent": "assistant.answer",
    "TokenEvent": "assistant.answer",
    "AnswerEvent": "assistant.answer",
    "AnswerDoc": "assistant.answerdoc",
    "Request": "assistant.reading",
    "read_request": "assistant.reading",
    "first_line": "knowledge.text",
}

__all__ = ["Answer", "AnswerDoc", "AnswerEvent", "Citation", "Coverage", "Event", "Figure", "QuestionError",
           "Request", "ResearchService", "Settings", "StepEvent", "TokenEvent", "first_line", "read_request"]

if TYPE_CHECKING:
    from assistant.answer import (
        Answer,
        AnswerEvent,
        Citation,
        Coverage,
        Event,
        Figure,
        StepEvent,
        TokenEvent,
    )
    from assistant.answerdoc import AnswerDoc
    from assistant.reading import Request, read_request
    from assistant.service import QuestionError, ResearchService
    from assistant.settings import Settings
    from knowledge.text import first_line


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(import_module(module), name)
