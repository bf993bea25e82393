"""Concurrent use of one FINSIGHT_HOME: no corruption, no duplicates, and it all survives a restart.

Real chromadb, real SQLite, real CSVs. Two ingests race ten questions inside one ResearchService
(threads, as the Streamlit server runs sessions), and two processes ingest into one store at once
(as `finsight ingest` next to a running UI). chromadb's PersistentClient is not safe for several
writing processes, so writers take `ChunkStore.write_lock()` (an flock); one test holds that lock
and checks that another process's ingest waits for it.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yfinance

from assistant.service import ResearchService
from assistant.settings import Settings
from benchmarks.eval.golden import GOLDEN
from knowledge import KnowledgeBase
from knowledge.market import YahooProvider
from tests.conftest import series_return

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 8, 21)
QUESTIONS = [q.question for q in GOLDEN if q.category in ("performance", "comparison", "relative", "risk")][:10]
TOPICS = {"a": "Quokka freight", "b": "Wombat lithium", "shared": "Numbat tariff"}


def _write_doc(path: Path, topic: str, sections: int = 4) -> None:
    """A document long enough for several chunks, about one made-up topic."""
    body = [f"# {topic} outlook"]
    for i in range(sections):
        body.append(f"## {topic} part {i}\n\n" + f"{topic} analysts note item {i}: volumes, margins and pricing moved. " * 10)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(body), encoding="utf-8")


def _docs(folder: Path) -> dict[str, Path]:
    """Two distinct docs plus one content written at two paths (a duplicate the store must collapse)."""
    paths = {"a": folder / "a.md", "b": folder / "b.md",
             "shared1": folder / "one" / "shared.md", "shared2": folder / "two" / "shared.md"}
    _write_doc(paths["a"], TOPICS["a"])
    _write_doc(paths["b"], TOPICS["b"])
    _write_doc(paths["shared1"], TOPICS["shared"])
    _write_doc(paths["shared2"], TOPICS["shared"])
    return paths


def _serial_chunk_counts(paths: dict[str, Path]) -> dict[str, int]:
    """Chunks per topic from a serial ingest into a separate in-memory store."""
    kb = KnowledgeBase(None)
    kb.ingest([paths["a"], paths["b"], paths["shared1"]])
    return {s.title.removesuffix(" outlook"): s.chunks for s in kb.sources()}


def _assert_store_consistent(kb: KnowledgeBase, expected_chunks: dict[str, int], demo_sources: int) -> None:
    """Every topic once, its chunk count as in a serial run, no orphan or duplicate chunk."""
    sources = kb.store.sources()
    titles = [s.title for s in sources if not s.demo]
    assert sorted(titles) == sorted(f"{t} outlook" for t in TOPICS.values()), titles
    assert sum(1 for s in sources if s.demo) == demo_sources
    assert len({s.content_hash for s in sources}) == len(sources)  # no content stored twice
    ids, per_version = [], {}
    for cid, meta in kb.store.iter_chunks(include_documents=False):
        ids.append(cid)
        per_version[meta["version"]] = per_version.get(meta["version"], 0) + 1
    assert len(ids) == len(set(ids))
    assert per_version == {s.version: s.chunks for s in sources}  # nothing invisible left behind
    for s in sources:
        if not s.demo:
            assert s.chunks == expected_chunks[s.title.removesuffix(" outlook")]


def _figures(answer) -> list[tuple[str, float, bool, int | None]]:
    return [(f.text, f.value, f.grounded, f.source_id) for f in answer.figures]


def test_two_ingests_and_ten_questions_at_once_in_one_service(tmp_path, market_data_dir):
    paths = _docs(tmp_path / "docs")
    expected_chunks = _serial_chunk_counts(paths)
    settings = Settings(
        finsight_home=tmp_path / "home", finsight_market_data_dir=market_data_dir, finsight_market_providers="csv",
        openai_api_key=None, openai_base_url=None, finsight_chroma_url=None, finsight_demo_pack=True,
    )
    service = ResearchService(settings, today=TODAY)
    demo_sources = len(service.kb.sources())  # warm: the demo pack is embedded before the race starts
    start = threading.Barrier(12)

    def ingest(items):
        start.wait()
        return service.kb.ingest(items)

    def ask(question):
        start.wait()
        return service.ask(question)

    with ThreadPoolExecutor(max_workers=12) as pool:
        ingests = [pool.submit(ingest, [paths["shared1"], paths["a"]]), pool.submit(ingest, [paths["shared2"], paths["b"]])]
        asked = [pool.submit(ask, q) for q in QUESTIONS]
        summaries = [f.result(timeout=300) for f in ingests]
        answers = [f.result(timeout=300) for f in asked]

    assert all(not s.failed for s in summaries), [s.failed for s in summaries]
    assert sum(len(s.added) for s in summaries) == 3 and sum(len(s.skipped) for s in summaries) == 1
    _assert_store_consistent(service.kb, expected_chunks, demo_sources)

    for answer in answers:
        assert answer.figures and all(f.grounded for f in answer.figures), answer.answer
    serial = [service.ask(q) for q in QUESTIONS]
    assert [_figures(a) for a in answers] == [_figures(a) for a in serial]
    closes = pd.read_csv(market_data_dir / "RUT.csv", parse_dates=["date"]).set_index("date")["close"].dropna()
    expected = series_return(closes, "2025-09-01", "2026-01-30")  # base: the close on or before the start
    assert _figures(answers[0])[0][1] == pytest.approx(round(expected * 100, 2))
    assert len({a.thread_id for a in answers}) == 10
    assert sorted(t.id for t in service.history.threads()) == sorted(a.thread_id for a in answers + serial)

    # A restart (a new process) sees the same store and finds the new documents by meaning, too.
    check = textwrap.dedent(f"""
        import json
        from pathlib import Path
        from knowledge import KnowledgeBase
        kb = KnowledgeBase(Path({str(settings.chroma_path)!r}))
        hits = {{t: [(p.title, p.dense_rank) for p in kb.search(t + " analysts volumes margins", k=3)]
                 for t in {list(TOPICS.values())!r}}}
        print(json.dumps({{"sources": len(kb.sources()), "chunks": kb.count(), "raw": kb.store.raw_count(), "hits": hits}}))
    """)
    out = json.loads(subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True,
                                    check=True).stdout)
    assert out["sources"] == demo_sources + 3 and out["chunks"] == out["raw"] == service.kb.count()
    for topic, hits in out["hits"].items():
        assert hits[0][0] == f"{topic} outlook" and hits[0][1] is not None, hits


INGEST_CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from knowledge import KnowledgeBase
    kb = KnowledgeBase(Path(sys.argv[1]))
    kb.embedder.embed_query("warm up")  # load the model before the race
    kb.store.sources()
    print("READY", flush=True)
    sys.stdin.readline()
    summary = kb.ingest([Path(p) for p in sys.argv[2:]])
    print(json.dumps({"added": summary.added, "skipped": summary.skipped, "failed": summary.failed}), flush=True)
""")


def _child(store: Path, *items: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", INGEST_CHILD, str(store), *map(str, items)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "READY"
    return proc


def _go(proc: subprocess.Popen) -> None:
    proc.stdin.write("\n")
    proc.stdin.flush()


def test_two_processes_ingest_into_one_store(tmp_path):
    paths = _docs(tmp_path / "docs")
    expected_chunks = _serial_chunk_counts(paths)
    store = tmp_path / "chroma"
    one = _child(store, paths["shared1"], paths["a"])
    two = _child(store, paths["shared2"], paths["b"])
    _go(one)
    _go(two)
    results = [json.loads(p.stdout.readline()) for p in (one, two)]
    for p in (one, two):
        assert p.wait(timeout=60) == 0
    assert all(not r["failed"] for r in results), results
    assert sum(len(r["added"]) for r in results) == 3 and sum(len(r["skipped"]) for r in results) == 1
    _assert_store_consistent(KnowledgeBase(store), expected_chunks, demo_sources=0)


def test_an_ingest_waits_for_another_process_holding_the_write_lock(tmp_path):
    paths = _docs(tmp_path / "docs")
    store_path = tmp_path / "chroma"
    child = _child(store_path, paths["a"])
    try:
        with KnowledgeBase(store_path).store.write_lock():
            _go(child)
            ready, _, _ = select.select([child.stdout], [], [], 3.0)
            assert not ready, "the child ingested while another process held the write lock"
        ready, _, _ = select.select([child.stdout], [], [], 60.0)
        assert ready and json.loads(child.stdout.readline())["added"] == [str(paths["a"])]
    finally:
        child.kill()
        child.wait(timeout=30)


def test_market_cache_survives_concurrent_refreshes_and_a_restart(tmp_path, monkeypatch, market_data_dir):
    frame = pd.read_csv(market_data_dir / "RUT.csv", parse_dates=["date"]).set_index("date")
    frame.index.name = "Date"
    frame = frame.rename(columns=str.capitalize)
    monkeypatch.setattr(yfinance, "download", lambda ticker, **kwargs: frame.copy())
    errors: list[BaseException] = []

    def refresh() -> None:
        provider = YahooProvider(tmp_path, max_age_s=0)  # every fetch downloads and rewrites the cache
        for _ in range(15):
            try:
                provider.fetch("RUT")
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    workers = [threading.Thread(target=refresh) for _ in range(6)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == [f"RUT{YahooProvider(tmp_path).suffix}"]  # no temp file left

    def offline(ticker, **kwargs):
        raise ConnectionError("network is unreachable")

    monkeypatch.setattr(yfinance, "download", offline)
    old = time.time() - 3 * 86400
    os.utime(tmp_path / f"RUT{YahooProvider(tmp_path).suffix}", (old, old))
    restarted = YahooProvider(tmp_path).fetch("RUT")  # a restart with the network down: the stale cache answers
    closes = frame["Close"].dropna()
    assert len(restarted) == len(closes)
    assert restarted["close"].iloc[-1] == pytest.approx(closes.iloc[-1])
