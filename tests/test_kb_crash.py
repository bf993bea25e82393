"""A killed or failing ingest never leaves a half-written source visible."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.store import ChunkStore

ROOT = Path(__file__).resolve().parents[1]


def _long_doc(path: Path, marker: str) -> None:
    sections = [f"## Section {i}\n\n" + f"{marker} freight paragraph {i} about container rates. " * 10 for i in range(8)]
    path.write_text("\n\n".join(sections), encoding="utf-8")


def test_killed_ingest_leaves_nothing_visible(tmp_path: Path):
    doc = tmp_path / "long.md"
    _long_doc(doc, "Zebra")
    store = tmp_path / "store"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        import knowledge.base as base
        from knowledge import KnowledgeBase
        from knowledge.store import ChunkStore
        base.BATCH = 2  # small batches so the kill lands between two writes
        original = ChunkStore.write_chunks
        def write_then_stall(self, *args, **kwargs):
            original(self, *args, **kwargs)
            print("WROTE", flush=True)
            time.sleep(120)
        ChunkStore.write_chunks = write_then_stall
        KnowledgeBase(Path({str(store)!r})).ingest([Path({str(doc)!r})])
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "WROTE", "the ingest subprocess did not reach its first write"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    kb = KnowledgeBase(store)
    assert kb.store.raw_count() == 2  # the first batch reached the disk ...
    assert kb.sources() == [] and kb.count() == 0  # ... but is not visible
    assert kb.search("Zebra freight container rates", k=5) == []
    summary = kb.ingest([doc])  # a rerun completes and leaves a consistent store
    assert summary.added == [str(doc)]
    assert kb.count() == kb.store.raw_count() == kb.sources()[0].chunks


def test_failed_update_keeps_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    doc = tmp_path / "long.md"
    _long_doc(doc, "Alpha")
    kb = KnowledgeBase(tmp_path / "store")
    kb.ingest([doc])
    before = kb.sources()[0]
    _long_doc(doc, "Omega")

    calls = {"n": 0}
    original = ChunkStore.write_chunks

    def fail_second_write(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr("knowledge.base.BATCH", 2)
    monkeypatch.setattr(ChunkStore, "write_chunks", fail_second_write)
    summary = kb.ingest([doc])
    assert summary.updated == [] and len(summary.failed) == 1
    assert "disk full" in summary.failed[0][1]
    after = kb.sources()
    assert len(after) == 1 and after[0].content_hash == before.content_hash
    hits = kb.search("freight paragraph container rates", k=10)
    assert hits and all("Alpha" in h.text and "Omega" not in h.text for h in hits)
    assert kb.count() == before.chunks
