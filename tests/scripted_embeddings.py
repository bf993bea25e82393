"""A scripted OpenAI-compatible embeddings server for tests (127.0.0.1 only).

Its "model" is a bag of hashed character trigrams, so texts that share words get similar vectors
and a test can compute the vector it expects for any text with `trigram_vector`. It answers
`encoding_format` float and base64 (the openai SDK asks for base64 by default), records every
request, and can be told to fail with HTTP 500 after some number of requests.
"""

from __future__ import annotations

import base64
import json
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DIM = 64


def trigram_vector(text: str, dim: int = DIM) -> list[float]:
    """Counts of the text's lower-cased character trigrams, hashed into `dim` buckets."""
    vector = [0.0] * dim
    low = text.lower()
    for i in range(max(len(low) - 2, 0)):
        vector[zlib.crc32(low[i : i + 3].encode()) % dim] += 1.0
    vector[0] += 1e-3  # never all zeros
    return vector


class ScriptedEmbeddings:
    """`with ScriptedEmbeddings() as server:` then use `server.base_url` as OPENAI_BASE_URL."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.fail_after = fail_after
        self.requests: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> ScriptedEmbeddings:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def texts(self) -> list[str]:
        """Every text embedded so far, in request order."""
        return [t for body in self.requests for t in _inputs(body)]


def _inputs(body: dict[str, Any]) -> list[str]:
    value = body.get("input")
    return [value] if isinstance(value, str) else list(value or [])


def _handler_for(server: ScriptedEmbeddings) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _json(self, code: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if not self.path.rstrip("/").endswith("/embeddings"):
                self._json(404, {"error": {"message": f"no route {self.path}"}})
                return
            with server._lock:
                server.requests.append(body)
                server.auth.append(self.headers.get("Authorization", ""))
                failing = server.fail_after is not None and len(server.requests) > server.fail_after
            if failing:
                self._json(500, {"error": {"message": "scripted failure", "type": "server_error"}})
                return
            data = []
            for index, text in enumerate(_inputs(body)):
                vector = trigram_vector(text)
                if body.get("encoding_format") == "base64":
                    encoded: Any = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
                else:
                    encoded = vector
                data.append({"object": "embedding", "index": index, "embedding": encoded})
            self._json(200, {"object": "list", "data": data, "model": body.get("model"),
                             "usage": {"prompt_tokens": 0, "total_tokens": 0}})

    return Handler
