"""The Toolbox as LangChain tools: typed arguments in, compact JSON text out.

Descriptions are short because they are resent on every round trip. Passage text is fenced with
DATA delimiters so the model can tell quoted documents from instructions (prompt injection in an
ingested web page must stay inert), and the delimiters (in any case or spacing) are removed from
inside a passage so a document cannot end its own fence. Titles, publishers, authors and URLs come
from the same untrusted documents (PDF and DOCX metadata, front matter, HTML meta tags), so they
are fenced too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool, create_schema_from_function
from pydantic import BaseModel

from assistant.llm.prompts import DATA_CLOSE, DATA_OPEN
from assistant.tools import Toolbox
from knowledge.text import first_line

# Keys whose string values are document content; everything else is produced by our own code.
FENCED_KEYS = frozenset({"text", "passage", "title", "publisher", "author", "url"})
_MARKER = re.compile("|".join(r"\s*".join(map(re.escape, m)) for m in (DATA_OPEN, DATA_CLOSE)), re.IGNORECASE)


def to_tool_text(result: Any) -> str:
    """Compact JSON (no spaces, non-ASCII kept) with passage texts fenced as DATA."""
    return json.dumps(_fence(result), ensure_ascii=False, separators=(",", ":"), default=str)


def _fence(value: Any, key: str | None = None, in_passages: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: _fence(v, k, in_passages) for k, v in value.items()}
    if isinstance(value, list):
        # Items of "passages"/"sources" lists are documents; the market report has no such lists.
        return [_fence(v, None, in_passages or key in ("passages", "sources")) for v in value]
    if isinstance(value, str) and (key in ("text", "passage") or (in_passages and key in FENCED_KEYS)):
        inner = _MARKER.sub("", value)
        return f"{DATA_OPEN} {inner} {DATA_CLOSE}"
    return value


def _safe(method: Callable[..., Any]) -> Callable[..., str]:
    def call(**kwargs: Any) -> str:
        try:
            result = method(**kwargs)
        except Exception as exc:  # noqa: BLE001 - a tool failure is information for the model, not a crash
            result = {"error": first_line(exc)}
        return to_tool_text(result)

    return call


def _invalid_args(error: Exception) -> str:
    return to_tool_text({"error": f"invalid arguments: {first_line(error)}"})


# Every tool is one typed Toolbox method: its argument schema comes from the signature and its
# description from the docstring's first paragraph, so adding a tool is adding a method and its name.
TOOL_NAMES = ("market_metrics", "search_sources", "list_sources", "rate_sensitivity", "conditional_returns",
              "drawdown_episodes", "calendar_returns", "rolling_views", "scorecard", "not_computable")


def signature_schema(name: str) -> type[BaseModel]:
    """The args schema of a Toolbox method, from its type hints and defaults (no hand-kept copy)."""
    return create_schema_from_function(name, getattr(Toolbox, name), filter_args=["self"])


def _summary(name: str) -> str:
    """The first paragraph of the method's docstring, on one line: the tool's short description."""
    doc = (getattr(Toolbox, name).__doc__ or name).strip().split("\n\n")[0]
    return " ".join(doc.split())


# The tools each kind of question may need beyond the base three: every schema is resent on
# every round trip, so a question is offered only the analyses it can use.
BASE_TOOLS = ("market_metrics", "search_sources", "list_sources")
TOOLS_BY_KIND: dict[str, tuple[str, ...]] = {
    "report": ("rate_sensitivity", "scorecard", "not_computable"),
    "calendar": ("calendar_returns",),
    "episodes": ("drawdown_episodes",),
    "regime": ("conditional_returns", "rate_sensitivity"),
    "rate_sensitivity": ("rate_sensitivity",),
    "rolling": ("rolling_views",),
    "not_computable": ("not_computable",),
}


def tools_for(kinds: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """The tool names offered for a question of these kinds (all of them when unknown)."""
    if kinds is None:
        return TOOL_NAMES
    extra = [name for kind in kinds for name in TOOLS_BY_KIND.get(kind, ())]
    return tuple(dict.fromkeys([*BASE_TOOLS, *extra]))


def make_tools(toolbox: Toolbox, names: tuple[str, ...] = TOOL_NAMES) -> list[BaseTool]:
    """The tools `names` (all of TOOL_NAMES by default) bound to this answer's toolbox."""
    return [
        StructuredTool.from_function(
            func=_safe(getattr(toolbox, name)),
            name=name,
            description=_summary(name),
            args_schema=signature_schema(name),
            handle_validation_error=_invalid_args,
        )
        for name in names
    ]
