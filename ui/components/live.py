"""A question being answered: a live status of the agent's steps and the text as it is written.

Streamed text is provisional. When the LLM analyst turns to tools after writing some text, or
retries a model call that had streamed text, or the service falls back to the offline analyst,
the text so far is not part of the answer and is cleared; at the end the verified answer (with
citations checked and renumbered) replaces whatever was streamed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import streamlit as st

from assistant import first_line
from assistant.answer import Answer, AnswerEvent, Event, StepEvent, TokenEvent
from ui.components.notes import localise_step
from ui.components.references import escape_md
from ui.i18n import current_lang, t

if TYPE_CHECKING:
    from assistant.service import ResearchService

# Redrawing the growing text on every token costs a websocket message each; 60 ms keeps it smooth.
_REDRAW_S = 0.06
# The service's step when the LLM failed and the offline analyst starts over.
FALLBACK_STEP = "offline analyst (fallback)"
# Detail keys that steer the UI rather than describe the step.
_CONTROL_KEYS = {"discard_partial_text"}


def discards_text(event: StepEvent) -> bool:
    """True when the text streamed so far is not part of the answer and must be cleared."""
    return bool(event.detail.get("discard_partial_text")) or event.label == FALLBACK_STEP


def live_text(text: str, event: Event) -> str:
    """The provisional answer text after `event`: tokens append, a discarding step clears it."""
    if isinstance(event, TokenEvent):
        return text + event.text
    if isinstance(event, StepEvent) and discards_text(event):
        return ""
    return text


def step_detail(detail: dict[str, Any]) -> str:
    """'symbols=RUT,SPX · start=2025-09-01' from a StepEvent's detail, long values shortened."""
    parts = []
    for key, value in detail.items():
        if value in (None, "", [], {}) or key in _CONTROL_KEYS:
            continue
        text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        parts.append(f"{key}={text if len(text) <= 80 else text[:77] + '…'}")
    return " · ".join(parts)


def stream_answer(service: ResearchService, question: str, thread_id: str | None, *, owner: str) -> Answer | None:
    """Run the question through the service, drawing steps and text live; None if it failed."""
    return show_live(service.ask_stream(question, thread_id=thread_id, owner=owner))


def show_live(events: Iterable[Event], error: Callable[[], str | None] = lambda: None) -> Answer | None:
    """Draw an answer's events as they come: a status box with the steps, the text so far.

    The status box opens while the agent works and folds away when the answer is complete.
    Returns the answer, or None after showing why there is none (an exception from `events`,
    or `error()` once they end without an answer).
    """
    started = time.perf_counter()
    status = st.status(t("thinking"), expanded=True)
    placeholder = st.empty()
    text, last_draw, steps = "", 0.0, 0
    lang = current_lang()
    answer: Answer | None = None
    try:
        for event in events:
            before, text = text, live_text(text, event)
            if isinstance(event, StepEvent):
                steps += 1
                label = localise_step(event.label, lang)
                status.update(label=label)
                detail = step_detail(event.detail)
                status.markdown(f"- **{escape_md(label)}**" + (f"  \n  `{detail}`" if detail else ""))
                if before and not text:
                    placeholder.empty()  # the streamed preamble or failed attempt is withdrawn
            elif isinstance(event, TokenEvent):
                now = time.perf_counter()
                if now - last_draw >= _REDRAW_S:
                    placeholder.markdown(escape_md(text) + " ▌")
                    last_draw = now
            elif isinstance(event, AnswerEvent):
                answer = event.answer
    except Exception as exc:  # noqa: BLE001 - any failure becomes one line for the reader
        return _failed(status, placeholder, first_line(exc))
    if answer is None:
        return _failed(status, placeholder, error() or t("no_answer"))
    elapsed = answer.elapsed_s if answer.elapsed_s is not None else time.perf_counter() - started
    status.update(label=t("steps_done", n=steps, s=elapsed), state="complete", expanded=False)
    # The verified text replaces the streamed one (dangling citations may have been removed).
    placeholder.empty()
    return answer


def _failed(status: Any, placeholder: Any, reason: str) -> None:
    status.update(label=t("ask_failed", reason=reason), state="error", expanded=False)
    placeholder.empty()
    st.error(t("ask_failed", reason=reason))
    return None
