"""Hybrid retrieval: dense candidates and BM25 (`knowledge.bm25`) fused by RRF, filters, dedupe."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from knowledge.bm25 import Bm25Index, IndexedChunk, tokenize
from knowledge.embeddings import Embedder
from knowledge.glossary import expand_query
from knowledge.models import Passage, SourceInfo
from knowledge.store import ChunkStore
from knowledge.vectors import SubsetVectors, fetch_chunks, fetch_vectors

__all__ = ["Bm25Index", "IndexedChunk", "hybrid_search", "near_duplicates", "rrf_fuse", "source_matches", "tokenize"]

RRF_K = 60
def rrf_fuse(rankings: Sequence[Sequence[str]], k: int = RRF_K, weights: Sequence[float] | None = None) -> dict[str, float]:
    """Reciprocal rank fusion: id -> sum of weight / (k + rank), ranks starting at 1."""
    fused: dict[str, float] = {}
    for idx, ranking in enumerate(rankings):
        weight = weights[idx] if weights else 1.0
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def _bounds(published: str) -> tuple[str, str]:
    """The first and last ISO day covered by a (possibly reduced-precision) date."""
    parts = published.split("-")
    lo = "-".join(parts + ["01"] * (3 - len(parts)))
    hi = "-".join(parts + (["12", "31"] if len(parts) == 1 else ["31"] if len(parts) == 2 else []))
    return lo, hi


def source_matches(
    source: SourceInfo, date_from: str | None, date_to: str | None, publisher: str | None, language: str | None
) -> bool:
    """Filter semantics: dates overlap the range (undated sources drop out when a date filter is
    given), publisher is a case-insensitive substring, language is exact."""
    if language and (source.language or "").lower() != language.lower():
        return False
    if publisher and publisher.casefold() not in (source.publisher or "").casefold():
        return False
    if date_from or date_to:
        if not source.published:
            return False
        lo, hi = _bounds(source.published)
        if date_from and hi < date_from:
            return False
        if date_to and lo > date_to:
            return False
    return True


def _shingles(text: str, size: int = 5) -> set[str]:
    squashed = re.sub(r"\s+", " ", text.lower()).strip()
    return {squashed[i : i + size] for i in range(max(1, len(squashed) - size + 1))}


def near_duplicates(texts: Sequence[str], threshold: float = 0.8, limit: int | None = None) -> list[int]:
    """Indexes to keep: each text unless it is a near-copy (shingle Jaccard >= threshold) of an
    earlier, better-ranked one. Stops once `limit` texts are kept."""
    kept: list[int] = []
    kept_shingles: list[set[str]] = []
    for i, text in enumerate(texts):
        sh = _shingles(text)
        # Jaccard >= t needs the smaller set to be >= t x the larger: skip hopeless pairs cheaply.
        if any(
            min(len(sh), len(other)) >= threshold * max(len(sh), len(other))
            and len(sh & other) / len(sh | other) >= threshold
            for other in kept_shingles
        ):
            continue
        kept.append(i)
        kept_shingles.append(sh)
        if limit is not None and len(kept) >= limit:
            break
    return kept


def _passage(cid: str, text: str, meta: dict, source: SourceInfo, score: float,
             dense_rank: int | None, bm25_rank: int | None) -> Passage:
    return Passage(
        chunk_id=cid, source_id=source.source_id, text=text, title=source.title,
        publisher=source.publisher, author=source.author, published=source.published,
        url=source.url, file_name=source.file_name, language=source.language,
        position=int(meta.get("position", 0)), score=round(score, 6), dense_rank=dense_rank,
        bm25_rank=bm25_rank, demo=source.demo, heading=meta.get("heading"),
    )


MAX_OVERFETCH = 1000


def _dense_candidates(
    store: ChunkStore, vector: np.ndarray, n: int, sources: Sequence[SourceInfo],
    by_version: dict[str, SourceInfo], vectors: SubsetVectors | None = None,
    generation: object = None,
) -> list[tuple[str, str, dict]]:
    """Top-n visible, filter-matching chunks by cosine similarity.

    A filter leaving few chunks is ranked exactly over just their cached vectors (`vectors`).
    Otherwise plain HNSW search over-fetched in proportion to how much the filters exclude, then
    filtered here; only when that cannot fill `n` (unpublished chunks crowding the top, or no
    cache) does it fall back to Chroma's slower metadata-filtered query.
    """
    visible = sum(s.chunks for s in sources)
    allowed = sum(s.chunks for s in by_version.values())
    if allowed == 0:
        return []
    if vectors is not None and allowed < visible and vectors.fits(allowed, len(vector)):
        ranked = vectors.top(generation, list(by_version), vector, n,
                             lambda versions: fetch_vectors(store.chunks, versions))
        return fetch_chunks(store.chunks, [cid for cid, _ in ranked])
    want = min(n, allowed)
    fetch = math.ceil(n * visible / allowed * (1.0 if allowed == visible else 1.5))
    if fetch <= MAX_OVERFETCH:
        hits = store.dense(vector, fetch)
        kept = [(cid, text, meta) for cid, text, meta, _ in hits if meta.get("version") in by_version]
        if len(kept) >= want or len(hits) < fetch:
            return kept[:n]
    return [(cid, text, meta) for cid, text, meta, _ in store.dense(vector, n, list(by_version))]


def hybrid_search(
    store: ChunkStore, embedder: Embedder, bm25: Bm25Index, sources: Sequence[SourceInfo],
    query: str, k: int = 8, date_from: str | None = None, date_to: str | None = None,
    publisher: str | None = None, language: str | None = None, mode: str = "hybrid",
    generation: int | None = None, expand: bool = True, vectors: SubsetVectors | None = None,
) -> list[Passage]:
    """Dense and BM25 candidates over visible, filter-matching chunks, fused with RRF.

    The BM25 query is expanded with the bilingual finance glossary (a Chinese question then
    also matches English passages by keyword). `mode` ("hybrid", "dense", "bm25") and `expand`
    exist for the benchmark's ablation; `vectors` (held by the caller, like `bm25`) serves
    selective filters exactly from memory.
    """
    if not query.strip() or k <= 0:
        return []
    by_version = {
        s.version: s for s in sources if source_matches(s, date_from, date_to, publisher, language)
    }
    if not by_version:
        return []
    n = max(4 * k, 40)
    # bumped by every publish/remove, in any process
    signature = store.generation() if generation is None else generation
    dense_ids: list[str] = []
    found: dict[str, tuple[str, dict]] = {}
    if mode in {"hybrid", "dense"}:
        vector = embedder.embed_query(query)
        for cid, text, meta in _dense_candidates(store, vector, n, sources, by_version, vectors, signature):
            dense_ids.append(cid)
            found[cid] = (text, meta)
    bm25_ids: list[str] = []
    if mode in {"hybrid", "bm25"}:
        if bm25.signature != signature:
            bm25.refresh(signature, store)
        keyword_query = expand_query(query) if expand else query
        for item, _score in bm25.search(keyword_query, n, by_version):
            bm25_ids.append(item.chunk_id)
            found.setdefault(item.chunk_id, (item.text, item.meta))
    fused = rrf_fuse([dense_ids, bm25_ids])
    ranked = sorted(fused, key=lambda cid: -fused[cid])
    keep = near_duplicates([found[cid][0] for cid in ranked[: 3 * k]], limit=k)
    dense_rank = {cid: i for i, cid in enumerate(dense_ids, start=1)}
    bm25_rank = {cid: i for i, cid in enumerate(bm25_ids, start=1)}
    out = []
    for idx in keep[:k]:
        cid = ranked[idx]
        text, meta = found[cid]
        out.append(_passage(cid, text, meta, by_version[meta["version"]], fused[cid],
                            dense_rank.get(cid), bm25_rank.get(cid)))
    return out
