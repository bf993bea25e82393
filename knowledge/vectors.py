"""Exact dense ranking over a filtered subset of chunks, from vectors cached in memory.

Why: a selective filter (a publisher with 5% of the chunks) cannot be filled by over-fetching plain
HNSW results, and Chroma's metadata-filtered query (`where={"version": {"$in": [...]}}`) costs
~110 ms at 100k chunks. When the filter leaves few chunks, one matrix-vector product over just
their vectors gives the exact cosine ranking (what the filtered query returns) in well under a
millisecond once the vectors are in memory.

The cache holds one unit-normalised float32 matrix per distinct filtered subset (set of source
versions), is dropped whenever the store's generation moves (any publish or remove, by any
process), and is bounded in bytes: least recently used subsets are evicted first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

EXACT_MAX_ROWS = 20_000  # above this a filter is not selective: HNSW over-fetching serves it
CACHE_MAX_BYTES = 64 * 2**20  # 43k rows of 384-d vectors; fewer for wider embeddings
Fetch = Callable[[Sequence[str]], tuple[list[str], np.ndarray]]


def fetch_vectors(collection, versions: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """(chunk ids, vectors) of every stored chunk of `versions` (embeddings only: fetching the
    metadata too would double the cost)."""
    got = collection.get(where={"version": {"$in": list(versions)}}, include=["embeddings"])
    ids = list(got["ids"])
    if not ids:
        return [], np.zeros((0, 0), dtype=np.float32)
    return ids, np.asarray(got["embeddings"], dtype=np.float32)


def fetch_chunks(collection, ids: Sequence[str]) -> list[tuple[str, str, dict]]:
    """(id, text, metadata) of `ids`, in that order; ids deleted meanwhile are skipped."""
    if not ids:
        return []
    got = collection.get(ids=list(ids), include=["documents", "metadatas"])
    rows = {
        cid: (doc, meta)
        for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        if meta is not None
    }
    return [(cid, *rows[cid]) for cid in ids if cid in rows]


def top_by_cosine(query: np.ndarray, matrix: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(row indexes, cosine scores) of the n rows of `matrix` (unit vectors) nearest `query`,
    best first; equal scores keep row order."""
    if n <= 0 or not len(matrix):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    norm = float(np.linalg.norm(query))
    scores = matrix @ (np.asarray(query, dtype=np.float32) / (norm or 1.0))
    n = min(n, len(scores))
    top = np.argpartition(-scores, n - 1)[:n]
    top = top[np.argsort(-scores[top], kind="stable")]
    return top, scores[top]


class SubsetVectors:
    """Vector matrices of filtered subsets (one per distinct set of versions), for one generation."""

    def __init__(self, max_rows: int = EXACT_MAX_ROWS, max_bytes: int = CACHE_MAX_BYTES) -> None:
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.generation: object = None
        self.fetches = 0  # round-trips to the store, for tests and benchmarks
        self._subsets: OrderedDict[frozenset[str], tuple[list[str], np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        """Memory held by the cached vectors."""
        return self._bytes

    def fits(self, rows: int, dim: int) -> bool:
        """Whether a subset of `rows` chunks of `dim`-d vectors is served from memory."""
        return 0 < rows <= self.max_rows and rows * dim * 4 <= self.max_bytes

    def top(
        self, generation: object, versions: Sequence[str], query: np.ndarray, n: int, fetch: Fetch
    ) -> list[tuple[str, float]]:
        """The n chunk ids of `versions` nearest `query` by cosine similarity, best first."""
        key = frozenset(versions)
        with self._lock:
            if generation != self.generation:  # any publish/remove: vectors of a version may differ
                self._subsets.clear()
                self._bytes = 0
                self.generation = generation
            entry = self._subsets.get(key)
            if entry is None:
                entry = self._subsets[key] = self._load(versions, fetch)
                self._bytes += entry[1].nbytes
            self._subsets.move_to_end(key)
            # Oldest subsets go first; the one in use stays even if alone it exceeds the budget.
            while self._bytes > self.max_bytes and len(self._subsets) > 1:
                _, (_, old) = self._subsets.popitem(last=False)
                self._bytes -= old.nbytes
        ids, matrix = entry
        rows, scores = top_by_cosine(query, matrix, n)
        return [(ids[r], float(s)) for r, s in zip(rows, scores, strict=True)]

    def _load(self, versions: Sequence[str], fetch: Fetch) -> tuple[list[str], np.ndarray]:
        ids, vectors = fetch(versions)
        self.fetches += 1
        if len(ids):
            # Chroma's cosine space compares unit vectors; normalising here keeps its ranking.
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = np.ascontiguousarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float32)
        return ids, vectors
