"""A team's Chroma server (FINSIGHT_CHROMA_URL): ingest and search over real HTTP on 127.0.0.1.

The server is chromadb's own `chroma run`, started from the venv on a free port with its data in
a temporary folder. Two KnowledgeBase clients (two "users") share it: what one ingests, the other
finds, dense ranking included, because the server is the single owner of the index.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import httpx
import pytest

from knowledge import KnowledgeBase
from tests.processes import free_port, serve_process

CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory):
    binary = str(CHROMA) if CHROMA.exists() else shutil.which("chroma")
    if not binary:
        pytest.skip(f"chromadb's server binary `chroma` was not found (looked at {CHROMA} and PATH)")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    url = f"http://127.0.0.1:{port}"
    cmd = [binary, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)]
    with serve_process(cmd, f"{url}/api/v2/heartbeat", data / "server.log", pytest.skip, timeout=30):
        yield url


def _server_count(url: str, collection: str) -> int:
    """Items in a collection, asked of the server's REST API directly (not through finsight)."""
    base = f"{url}/api/v2/tenants/default_tenant/databases/default_database/collections"
    (cid,) = [c["id"] for c in httpx.get(base, timeout=5).json() if c["name"] == collection]
    return int(httpx.get(f"{base}/{cid}/count", timeout=5).text)


def test_ingest_and_search_through_a_chroma_server(chroma_url: str, tmp_path: Path):
    doc = tmp_path / "quokka.md"
    doc.write_text("# Quokka freight outlook\n\n" + "Quokka logistics says container freight rates to Perth "
                   "doubled this quarter while port congestion eased. " * 6, encoding="utf-8")
    alice = KnowledgeBase(None, chroma_url=chroma_url)
    summary = alice.ingest([doc])
    assert summary.added == [str(doc)] and not summary.failed
    assert _server_count(chroma_url, "finsight_chunks") == summary.chunks_written > 0  # stored on the server
    assert _server_count(chroma_url, "finsight_sources") == 1

    bob = KnowledgeBase(None, chroma_url=chroma_url)  # another user's process, same server
    assert [s.title for s in bob.sources()] == ["Quokka freight outlook"]
    hits = bob.search("container freight rates Perth", k=3)
    assert hits and hits[0].title == "Quokka freight outlook" and hits[0].dense_rank is not None
    assert bob.count() == bob.store.raw_count() == summary.chunks_written

    again = bob.ingest([doc])  # the same file from another client: recognised, not duplicated
    assert again.skipped == [str(doc)] and alice.store.raw_count() == summary.chunks_written
    assert alice.remove_source(alice.sources()[0].source_id)
    assert bob.sources() == [] and bob.search("container freight rates Perth", k=3) == []
    assert _server_count(chroma_url, "finsight_chunks") == 0
