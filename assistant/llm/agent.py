"""The LLM analyst: a LangChain tool-calling agent over the answer's Toolbox, with streaming.

The model only ever sees compact tool results (numbers with their citation ids, fenced passage
text); the service verifies what it writes afterwards. Its answer is read into an AnswerDoc here,
once (`assistant.answerdoc_parse`): the renderers read that, never the prose again. Failures of
the endpoint are retried a bounded number of times with exponential backoff, then surface as
`LLMUnavailable`, on which the service falls back to the offline analyst.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import httpx
import openai
from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_openai import ChatOpenAI
from langgraph.config import get_stream_writer
from langgraph.errors import GraphRecursionError

from assistant.analyst import Draft
from assistant.answer import Answer, Event, StepEvent, TokenEvent
from assistant.answerdoc_parse import from_markdown
from assistant.language import detect_language
from assistant.llm.prompts import history_messages, system_prompt, user_message
from assistant.llm.tools import make_tools, tools_for
from assistant.notes import note
from assistant.offline.analyst import followups
from assistant.reading import previous_requests, read_request
from assistant.settings import Settings
from assistant.tools import Toolbox

MAX_MODEL_CALLS = 6  # tool rounds + the answer; a model that loops longer is treated as failing


class LLMUnavailable(RuntimeError):
    """The language model could not produce an answer; `str(e)` is a one-line reason."""


class _Malformed(Exception):
    """The model sent tool-call arguments that are not a JSON object."""


class _StreamWatch(BaseCallbackHandler):
    """Sees each streamed chunk of the current model call.

    It keeps the raw tool-call argument text, because langchain repairs truncated JSON
    (`{"symbols": ["RUT", ` becomes `{"symbols": ["RUT"]}`) and the agent would then run a
    tool with arguments the model never finished; and it notes whether answer text was
    already streamed, so a retry can tell the UI to discard it.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.args: dict[int, str] = {}
        self.streamed_text = False

    def on_llm_new_token(self, token: Any, *, chunk: Any = None, **kwargs: Any) -> None:
        if isinstance(token, str) and token:
            self.streamed_text = True
        message = getattr(chunk, "message", None)
        for part in getattr(message, "tool_call_chunks", None) or []:
            index = part.get("index") or 0
            self.args[index] = self.args.get(index, "") + (part.get("args") or "")

    def malformed(self) -> str | None:
        for raw in self.args.values():
            if not raw.strip():
                continue  # a call without arguments, e.g. list_sources()
            try:
                parsed = json.loads(raw)
            except ValueError:
                return "the model sent malformed tool-call JSON"
            if not isinstance(parsed, dict):
                return "the model sent tool-call arguments that are not an object"
        return None


class _Retrying(AgentMiddleware):
    """Retries one model call with exponential backoff; raises LLMUnavailable when out of tries."""

    def __init__(self, analyst: LLMAnalyst, watch: _StreamWatch) -> None:
        super().__init__()
        self.analyst, self.watch = analyst, watch
        self.retries_used = 0

    def _step(self, event: StepEvent) -> None:
        # Through the graph's own stream, not straight to `emit`: the streamed tokens travel that
        # way too, so a "discard the text so far" step can never overtake the text it discards.
        get_stream_writer()(event)

    def wrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]) -> ModelResponse:
        attempt = 0
        while True:
            self.watch.reset()
            try:
                response = handler(request)
                problem = self.watch.malformed() or _invalid_calls(response)
                if problem is None:
                    if self.watch.streamed_text and _has_tool_calls(response):
                        # Text streamed before tool calls is a preamble, not the answer.
                        self._step(StepEvent(label="calling tools", detail={"discard_partial_text": True}))
                    return response
                error: Exception = _Malformed(problem)
            except (openai.APIError, httpx.HTTPError) as exc:
                error = exc
            retryable, reason = self.analyst.describe(error)
            if not retryable:
                raise LLMUnavailable(reason) from None
            if attempt >= self.analyst.retries:
                tries = attempt + 1
                raise LLMUnavailable(f"{reason}, after {tries} attempt{'s' if tries > 1 else ''}") from None
            wait = self.analyst.backoff(attempt, _retry_after(error))
            self._step(
                StepEvent(
                    label="retrying the language model",
                    detail={"attempt": attempt + 1, "reason": reason, "wait_s": round(wait, 3),
                            "discard_partial_text": self.watch.streamed_text},
                )
            )
            time.sleep(wait)
            attempt += 1
            self.retries_used += 1


def _has_tool_calls(response: ModelResponse) -> bool:
    return any(isinstance(m, AIMessage) and m.tool_calls for m in response.result)


def _invalid_calls(response: ModelResponse) -> str | None:
    for message in response.result:
        if isinstance(message, AIMessage) and message.invalid_tool_calls:
            return "the model sent malformed tool-call JSON"
    return None


def _retry_after(error: Exception) -> float | None:
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP-date: fall back to our own backoff


class LLMAnalyst:
    """Answers with a tool-calling chat model at any OpenAI-compatible endpoint."""

    def __init__(self, settings: Settings, backoff_base: float = 0.5, backoff_max: float = 8.0) -> None:
        """`backoff_base` is the first retry's delay in seconds; each retry doubles it up to `backoff_max`."""
        self.settings = settings
        self.retries = max(0, settings.finsight_llm_retries)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry `attempt + 1`; honours a server's Retry-After up to the cap."""
        wait = min(self.backoff_base * 2**attempt, self.backoff_max)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.backoff_max))
        return wait

    def describe(self, error: Exception) -> tuple[bool, str]:
        """(retryable, one-line reason) for a failed model call. Never includes the API key."""
        host = urlsplit(self.settings.openai_base_url or "https://api.openai.com/v1").hostname or "the endpoint"
        if isinstance(error, _Malformed):
            return True, str(error)
        if isinstance(error, openai.APITimeoutError):
            return True, f"no response from {host} within {self.settings.finsight_llm_timeout:g}s"
        if isinstance(error, openai.APIConnectionError | httpx.TransportError):
            return True, f"the connection to {host} failed or was cut off"
        if isinstance(error, openai.RateLimitError):
            return True, f"{host} is rate-limiting requests with HTTP 429"
        if isinstance(error, openai.APIStatusError):
            code = error.status_code
            if code >= 500 or code in (408, 409):
                return True, f"{host} returned server error HTTP {code}"
            if code in (401, 403):
                return False, f"{host} rejected the API key with HTTP {code}; check OPENAI_API_KEY"
            if code == 404:
                return False, f"{host} has no model {self.settings.finsight_model!r} (HTTP 404); check FINSIGHT_MODEL and OPENAI_BASE_URL"
            return False, f"{host} refused the request with HTTP {code}"
        return False, f"the language model failed ({type(error).__name__})"

    def _model(self, watch: _StreamWatch) -> ChatOpenAI:
        s = self.settings
        key = s.openai_api_key.get_secret_value() if s.openai_api_key else "not-needed"  # local servers need none
        return ChatOpenAI(
            model=s.finsight_model,
            base_url=s.openai_base_url,
            api_key=key,
            streaming=True,
            timeout=s.finsight_llm_timeout,
            max_retries=0,  # retried by _Retrying, which knows about malformed tool calls and the UI
            callbacks=[watch],
        )

    def run(self, question: str, history: list[Answer], toolbox: Toolbox, emit: Callable[[Event], None]) -> Draft:
        """Answer `question` with the toolbox's tools, streaming answer text as TokenEvents."""
        language = detect_language(question)
        today = getattr(toolbox, "today", None) or date.today()
        # The rule reader's Request: the model is told what to measure, and the coverage check
        # compares the answer with it.
        earlier = previous_requests(history)
        request = read_request(question, earlier[0] if earlier else None, today, data_end_of=toolbox.data_end,
                               earlier=earlier[1] if len(earlier) > 1 else None)
        watch = _StreamWatch()
        retrying = _Retrying(self, watch)
        agent = create_agent(
            self._model(watch),
            tools=make_tools(toolbox, tools_for(request.kinds)),
            system_prompt=system_prompt(language, today, report="report" in request.kinds),
            middleware=[retrying],
        )
        messages = [*history_messages(history), user_message(question, request)]
        final: AIMessage | None = None
        try:
            for mode, payload in agent.stream(
                {"messages": messages},
                {"recursion_limit": 2 * MAX_MODEL_CALLS + 1},
                stream_mode=["messages", "values", "custom"],
            ):
                if mode == "custom":
                    if isinstance(payload, StepEvent):
                        emit(payload)
                elif mode == "messages":
                    chunk, meta = payload
                    if isinstance(chunk, AIMessageChunk) and meta.get("langgraph_node") == "model" and chunk.text:
                        emit(TokenEvent(text=chunk.text))
                elif payload.get("messages") and isinstance(payload["messages"][-1], AIMessage):
                    final = payload["messages"][-1]
        except GraphRecursionError:
            raise LLMUnavailable(f"the model kept calling tools without answering ({MAX_MODEL_CALLS} rounds)") from None
        except (openai.APIError, httpx.HTTPError) as exc:  # raised outside a model call, e.g. while closing
            raise LLMUnavailable(self.describe(exc)[1]) from None

        if final is None or final.tool_calls or not final.text.strip():
            raise LLMUnavailable("the model returned an empty answer")
        notes = []
        if retrying.retries_used:
            used = retrying.retries_used
            notes.append(note("llm_retry") if used == 1 else note("llm_retries", n=used))
        markdown = final.text.strip()
        # The one parse of the model's prose: sections at its headings, its reference list named.
        return Draft(markdown=markdown, language=language, followups=followups(request), notes=notes,
                     request=request, doc=from_markdown(markdown, language))


__all__ = ["LLMAnalyst", "LLMUnavailable", "MAX_MODEL_CALLS"]
