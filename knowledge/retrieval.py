"""Hybrid retrieval: dense candidates and BM25 (`knowledge.bm25`) fused by score, filters, dedupe."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.bm25 import Bm25Index, IndexedChunk, tokenize
from knowledge.chunking import detect_language
from knowledge.embeddings import Embedder, embed_queries
from knowledge.glossary import expand_query, translate_query
from knowledge.models import Passage, SourceInfo
from knowledge.store import ChunkStore
from knowledge.vectors import SubsetVectors, fetch_chunks, fetch_vectors

__all__ = ["DEFAULT_FUSION", "RELEVANCE_FLOOR", "Bm25Index", "Fusion", "relevance", "IndexedChunk", "hybrid_search", "near_duplicates", "rrf_fuse", "source_matches", "tokenize"]

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


@dataclass(frozen=True)
class Fusion:
    """How the dense and keyword sides are combined; the defaults are the ones measured best on
    the FinanceBench development set (benchmarks/bench_retrieval_dev.py), the others exist for
    its ablation.

    `method`: "linear" ranks by cosine similarity + `keyword_weight` x keyword score; "minmax"
    by `dense_weight` x the cosine min-max normalised over the candidates + the rest x keyword
    score; "rrf" by reciprocal rank fusion. The keyword score is BM25 divided by
    `keyword_scale`: "attainable" (the sum of each query token's best score in any chunk, so it
    says how much of the query a chunk matches, and weak keyword evidence stays weak) or "best"
    (the best candidate's score). `rewrite`: a query holding glossary terms is also embedded
    word by word in the other language, and a chunk's similarity is pooled over the two by
    `pool`: "cross" takes the better of the two for a chunk in the other language than the
    query's and the query's own for the rest; "max" and "mean" pool over both for every chunk. `per_source`: at most this many passages of one source in the
    results (0: no cap). `source_weight`: each candidate also gets this share of the best other
    candidate of its source (a page that matches in several places).
    """

    method: str = "linear"
    keyword_weight: float = 0.05
    dense_weight: float = 0.5
    rewrite: bool = True
    per_source: int = 0
    source_weight: float = 0.0
    pool: str = "cross"
    keyword_scale: str = "attainable"


DEFAULT_FUSION = Fusion()
# Logistic relevance model over the fused value (similarity + keyword_weight x keyword), fitted on
# the FinanceBench dev set's top-10 pages (benchmarks/bench_retrieval_dev.py prints the fit):
# the chance that the passage's page is one that answers the question.
RELEVANCE_SLOPE = 24.0
RELEVANCE_OFFSET = -23.7
# Below this a passage is unlikely to answer the question (measured on the dev set, see the
# benchmark's floor table); a caller wanting "the sources do not cover this" compares with it.
RELEVANCE_FLOOR = 0.05


def relevance(similarity: float, keyword: float, keyword_weight: float = DEFAULT_FUSION.keyword_weight) -> float:
    """Calibrated relevance in [0, 1] of a passage with this cosine similarity and keyword score."""
    z = RELEVANCE_SLOPE * (similarity + keyword_weight * keyword) + RELEVANCE_OFFSET
    return float(1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))))


def _minmax(values: np.ndarray) -> np.ndarray:
    if not len(values):
        return values
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.ones_like(values)


def _next_best_of_source(values: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """Per item, the best value among the other items of its group (its own floor where alone)."""
    by_group: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        by_group.setdefault(group, []).append(i)
    out = np.zeros_like(values)
    floor = float(values.min()) if len(values) else 0.0
    for members in by_group.values():
        ranked = sorted(members, key=lambda i: -values[i])
        for i in members:
            other = ranked[0] if ranked[0] != i else (ranked[1] if len(ranked) > 1 else None)
            out[i] = values[other] if other is not None else floor
    return out


def _cosines(store: ChunkStore, ids: Sequence[str], queries: np.ndarray) -> np.ndarray:
    """(chunks, query vectors) cosine similarities of the stored chunks `ids` to each row of `queries`."""
    if not ids:
        return np.zeros((0, len(queries)), dtype=np.float32)
    got = store.chunks.get(ids=list(ids), include=["embeddings"])
    rows = dict(zip(got["ids"], got["embeddings"], strict=True))
    dim = queries.shape[1]
    matrix = np.asarray([rows[cid] if cid in rows else np.zeros(dim) for cid in ids], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = matrix / np.where(norms == 0, 1.0, norms)
    return matrix @ queries.T


def _pooled(sims: np.ndarray, pool: str, other_language: np.ndarray) -> np.ndarray:
    """One similarity per chunk from its similarities to the query (column 0) and its rewrite."""
    if sims.shape[1] == 1:
        return sims[:, 0]
    if pool == "mean":
        return sims.mean(axis=1)
    if pool == "max":
        return sims.max(axis=1)
    # "cross": the rewrite bridges languages, so it counts only for chunks in the other language
    return np.where(other_language, sims.max(axis=1), sims[:, 0])


def hybrid_search(
    store: ChunkStore, embedder: Embedder, bm25: Bm25Index, sources: Sequence[SourceInfo],
    query: str, k: int = 8, date_from: str | None = None, date_to: str | None = None,
    publisher: str | None = None, language: str | None = None, mode: str = "hybrid",
    generation: int | None = None, expand: bool = True, vectors: SubsetVectors | None = None,
    fusion: Fusion = DEFAULT_FUSION,
) -> list[Passage]:
    """Dense and BM25 candidates over visible, filter-matching chunks, fused (see `Fusion`).

    The BM25 query is expanded with the bilingual finance glossary (a Chinese question then
    also matches English passages by keyword). `mode` ("hybrid", "dense", "bm25"), `expand`
    and `fusion` exist for the benchmarks' ablations; `vectors` (held by the caller, like
    `bm25`) serves selective filters exactly from memory.
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
    query_vectors: list[np.ndarray] = []
    query_language = detect_language(query)
    if mode in {"hybrid", "dense"}:
        rewritten = translate_query(query) if expand and fusion.rewrite else query
        # pooled "cross", the rewrite can only count for sources in the other language: without
        # any, its embedding and search are skipped
        bridged = fusion.pool != "cross" or any(
            (s.language or "en") != query_language for s in by_version.values())
        texts = [query, rewritten] if rewritten != query and bridged else [query]
        query_vectors = list(embed_queries(embedder, texts)) if len(texts) > 1 else [embedder.embed_query(query)]
        for vector in query_vectors:
            for cid, text, meta in _dense_candidates(store, vector, n, sources, by_version, vectors, signature):
                if cid not in found:
                    dense_ids.append(cid)
                    found[cid] = (text, meta)
    bm25_ids: list[str] = []
    bm25_scores: dict[str, float] = {}
    attainable = 0.0
    if mode in {"hybrid", "bm25"}:
        if bm25.signature != signature:
            bm25.refresh(signature, store)
        keyword_query = expand_query(query) if expand else query
        hits, bm25_scores, attainable = bm25.search_scoring(keyword_query, n, by_version, dense_ids)
        for item, score in hits:
            bm25_ids.append(item.chunk_id)
            bm25_scores[item.chunk_id] = score
            found.setdefault(item.chunk_id, (item.text, item.meta))
    candidates = list(found)
    if query_vectors:
        # exact similarities of every candidate (BM25's too) to every query vector
        other_language = np.asarray([found[cid][1].get("language", "en") != query_language for cid in candidates])
        dense_sim = _pooled(_cosines(store, candidates, np.vstack(query_vectors)), fusion.pool, other_language)
    else:
        dense_sim = np.zeros(len(candidates), dtype=np.float32)
    keyword = np.asarray([bm25_scores.get(cid, 0.0) for cid in candidates], dtype=np.float32)
    if fusion.keyword_scale == "attainable":
        scale = attainable
    else:  # relative to the best candidate
        scale = float(keyword.max()) if len(keyword) else 0.0
    keyword = np.minimum(keyword / scale, 1.0) if scale > 0 else keyword
    similarity = dict(zip(candidates, dense_sim.tolist(), strict=True))
    keyword_of = dict(zip(candidates, keyword.tolist(), strict=True))
    if mode == "dense":
        order = dense_sim if len(query_vectors) > 1 else None
        ranked = [candidates[i] for i in np.argsort(-order, kind="stable")] if order is not None else dense_ids
    elif mode == "bm25":
        ranked = bm25_ids
    elif fusion.method == "rrf":
        fused = rrf_fuse([dense_ids, bm25_ids])
        ranked = sorted(fused, key=lambda cid: -fused[cid])
    else:
        if fusion.method == "minmax":
            combined = fusion.dense_weight * _minmax(dense_sim) + (1.0 - fusion.dense_weight) * keyword
        else:
            combined = dense_sim + fusion.keyword_weight * keyword
        if fusion.source_weight:
            combined = combined + fusion.source_weight * _next_best_of_source(
                combined, [found[cid][1].get("version", "") for cid in candidates])
        ranked = [candidates[i] for i in np.argsort(-combined, kind="stable")]
    if fusion.per_source:
        per: dict[str, int] = {}
        capped = []
        for cid in ranked:
            version = found[cid][1].get("version", "")
            per[version] = per.get(version, 0) + 1
            if per[version] <= fusion.per_source:
                capped.append(cid)
        ranked = capped
    keep = near_duplicates([found[cid][0] for cid in ranked[: 3 * k]], limit=k)
    dense_rank = {cid: i for i, cid in enumerate(dense_ids, start=1)}
    bm25_rank = {cid: i for i, cid in enumerate(bm25_ids, start=1)}
    out = []
    for idx in keep[:k]:
        cid = ranked[idx]
        text, meta = found[cid]
        passage = _passage(cid, text, meta, by_version[meta["version"]],
                           relevance(similarity[cid], keyword_of[cid], fusion.keyword_weight),
                           dense_rank.get(cid), bm25_rank.get(cid))
        passage.similarity = round(similarity[cid], 6) if query_vectors else None
        passage.keyword = round(keyword_of[cid], 6) if mode != "dense" else None
        out.append(passage)
    return out
