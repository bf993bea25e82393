"""A scripted OpenAI-compatible chat server for tests and benchmarks (127.0.0.1 only).

The tests talk to it with the real openai/langchain client over real HTTP. A script is a list of
replies, one consumed per `/v1/chat/completions` request, in order:

    server = ScriptedLLM([call("market_metrics", symbols=["RUT", "SPX"]), text("RUT rose 5.00% [0]")])

A reply may also be a callable taking the request body (a dict) and returning a reply, so a
scripted "model" can quote the numbers the tools sent it. Faults: `status(429, retry_after=0)`,
`status(500)`, `delay(seconds)` (longer than the client timeout), `malformed(name, raw_args)`
(tool-call arguments that are not JSON) and `cut(text)` (the stream stops mid-answer).

Every request is recorded (`server.requests`: the JSON body, so tests can assert what the model
was sent) with a tokenizer-free prompt-token estimate (real BPE files cannot be fetched offline).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_PIECE = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")


def estimate_tokens(text: str) -> int:
    """Rough BPE-like token count: 1 per CJK character, ~4 letters or 3 digits per token, 1 per symbol.

    It errs a little on the high side against cl100k/o200k for English, JSON and Chinese.
    """
    cjk = len(_CJK.findall(text))
    rest = _CJK.sub(" ", text)
    total = cjk
    for piece in _PIECE.findall(rest):
        if piece[0].isalpha():
            total += math.ceil(len(piece) / 4)
        elif piece[0].isdigit():
            total += math.ceil(len(piece) / 3)
        else:
            total += 1
    return total


def prompt_tokens(body: dict[str, Any]) -> int:
    """Approximate prompt tokens of one chat request: messages (+4 each) plus tool schemas."""
    total = 3
    for message in body.get("messages", []):
        total += 4
        content = message.get("content")
        if isinstance(content, list):  # content parts
            content = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        total += estimate_tokens(str(content or ""))
        for tc in message.get("tool_calls") or []:
            fn = tc.get("function", {})
            total += 4 + estimate_tokens(fn.get("name", "")) + estimate_tokens(fn.get("arguments", ""))
    if body.get("tools"):
        total += estimate_tokens(json.dumps(body["tools"], separators=(",", ":")))
    return total


@dataclass
class Reply:
    """One scripted response. Build it with text/call/status/delay/malformed/cut."""

    content: str = ""
    tool_calls: list[tuple[str, str]] = field(default_factory=list)  # (name, raw JSON args)
    status: int = 200
    retry_after: float | None = None
    delay: float = 0.0
    cut: bool = False
    chunk_size: int = 12


def text(content: str, chunk_size: int = 12) -> Reply:
    """An assistant message with text only (streamed in pieces of `chunk_size` characters)."""
    return Reply(content=content, chunk_size=chunk_size)


def call(name: str, **args: Any) -> Reply:
    """One tool call with JSON arguments."""
    return calls((name, args))


def calls(*items: tuple[str, dict[str, Any]]) -> Reply:
    """Several tool calls in one assistant message."""
    return Reply(tool_calls=[(name, json.dumps(args, ensure_ascii=False)) for name, args in items])


def malformed(name: str, raw_args: str = '{"symbols": ["RUT", ') -> Reply:
    """A tool call whose arguments are not valid JSON."""
    return Reply(tool_calls=[(name, raw_args)])


def status(code: int, retry_after: float | None = None) -> Reply:
    """An HTTP error (429 with Retry-After, 500, ...)."""
    return Reply(status=code, retry_after=retry_after)


def delay(seconds: float, then: Reply | None = None) -> Reply:
    """Wait `seconds` before answering (longer than the client timeout -> the client gives up)."""
    return dataclasses.replace(then or text("late"), delay=seconds)


def cut(content: str) -> Reply:
    """Start streaming `content`, then drop the connection half-way."""
    return Reply(content=content, cut=True)


ScriptItem = Reply | Callable[[dict[str, Any]], Reply]


@dataclass
class Recorded:
    """One request as the server received it."""

    body: dict[str, Any]
    authorization: str
    prompt_tokens: int
    received_at: float

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    @property
    def tool_names(self) -> list[str]:
        return [t["function"]["name"] for t in self.body.get("tools") or []]

    def tool_results(self) -> list[str]:
        """Contents of the `tool` messages in this request."""
        return [str(m.get("content")) for m in self.messages if m.get("role") == "tool"]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping connections (timeouts, cut streams) are expected here, not errors.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ScriptedLLM:
    """Runs the scripted server on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, script: list[ScriptItem] | None = None, model: str = "scripted-model") -> None:
        self.script: list[ScriptItem] = list(script or [])
        self.model = model
        self.requests: list[Recorded] = []
        self.errors: list[str] = []  # exceptions raised by callable replies
        self.model_delay_s = 0.0  # time spent in scripted delays (the "model's own" latency)
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="scripted-llm", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def total_prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.requests)

    def set_script(self, script: list[ScriptItem]) -> None:
        with self._lock:
            self.script = list(script)
            self.requests.clear()
            self.errors.clear()
            self.model_delay_s = 0.0

    def start(self) -> ScriptedLLM:
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ScriptedLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _next(self, body: dict[str, Any], auth: str) -> tuple[Reply, Recorded]:
        seen = Recorded(body, auth, prompt_tokens(body), time.perf_counter())
        with self._lock:
            self.requests.append(seen)
            item = self.script.pop(0) if self.script else status(599)
        try:
            return (item(body) if callable(item) else item), seen
        except Exception as exc:  # a failing scripted "model": keep the reason for the test to show
            self.errors.append(f"{type(exc).__name__}: {exc}")
            return status(598), seen


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def _stream_chunks(reply: Reply, model: str) -> Iterator[dict[str, Any]]:
    yield _chunk(model, {"role": "assistant", "content": ""})
    step = max(1, reply.chunk_size)
    for i in range(0, len(reply.content), step):
        yield _chunk(model, {"content": reply.content[i : i + step]})
    for index, (name, args) in enumerate(reply.tool_calls):
        head = {"index": index, "id": f"call_{index}_{name}", "type": "function", "function": {"name": name, "arguments": ""}}
        yield _chunk(model, {"tool_calls": [head]})
        for i in range(0, len(args), 16):  # arguments arrive in fragments, as real servers send them
            yield _chunk(model, {"tool_calls": [{"index": index, "function": {"arguments": args[i : i + 16]}}]})
    yield _chunk(model, {}, "tool_calls" if reply.tool_calls else "stop")


def _completion(reply: Reply, model: str, tokens: int) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.content or None}
    if reply.tool_calls:
        message["tool_calls"] = [{"id": f"call_{i}_{n}", "type": "function", "function": {"name": n, "arguments": a}}
                                 for i, (n, a) in enumerate(reply.tool_calls)]
    finish = "tool_calls" if reply.tool_calls else "stop"
    out = estimate_tokens(reply.content)
    return {"id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": tokens, "completion_tokens": out, "total_tokens": tokens + out}}


def _handler_for(server: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _json(self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _send_chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._json(404, {"error": {"message": f"no route {self.path}"}})
                return
            reply, seen = server._next(body, self.headers.get("Authorization", ""))
            # The client may give up first (a timeout fault): that is the point of the fault.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(body, reply, seen.prompt_tokens)

        def _answer(self, body: dict[str, Any], reply: Reply, tokens: int) -> None:
            if reply.delay:
                server.model_delay_s += reply.delay
                time.sleep(reply.delay)
            if reply.status != 200:
                headers = {"Retry-After": f"{reply.retry_after:g}"} if reply.retry_after is not None else {}
                message = {599: "script exhausted", 598: "scripted reply failed"}.get(reply.status, "scripted error")
                self._json(reply.status, {"error": {"message": message, "type": "scripted"}}, headers)
                return
            if not body.get("stream"):
                self._json(200, _completion(reply, server.model, tokens))
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunks = list(_stream_chunks(reply, server.model))
            if (body.get("stream_options") or {}).get("include_usage"):
                usage = {"prompt_tokens": tokens, "completion_tokens": 0, "total_tokens": tokens}
                chunks.append({**_chunk(server.model, {}), "choices": [], "usage": usage})
            for chunk in chunks[: max(2, len(chunks) // 2)] if reply.cut else chunks:
                self._send_chunk(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            if reply.cut:
                # Drop the connection without the terminating chunk: the client sees a broken body.
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self._send_chunk(b"data: [DONE]\n\n")
            self._send_chunk(b"")

    return Handler
