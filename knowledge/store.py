"""Chroma-backed storage of chunks and source records.

Two collections: `finsight_chunks` (our own vectors; chromadb's default embedding function is
never used because it downloads a model) and `finsight_sources` (one record per document, with a
1-d placeholder vector since Chroma requires one). A re-index with another embedding model builds
a new `finsight_chunks_<n>` and points the sources' metadata at it in one write.

Visibility: a chunk is visible only when its `version` equals the version in its source record.
Ingest writes all chunks first and the source record last, so a crash mid-ingest leaves only
invisible orphans, which `collect_orphans` deletes later.

Concurrency: chromadb's PersistentClient is thread-safe within one process but not safe for
several writing processes on one folder. Writers therefore hold `write_lock()`: a threading lock
plus, for a local store, an exclusive `flock` on `<store>/write.lock`, so a CLI ingest and the UI on
one FINSIGHT_HOME take turns. For a team, run a Chroma server (FINSIGHT_CHROMA_URL): the server is
the single writer and the lock is in-process only.

Freshness: chromadb shares one System per folder and process and keeps each collection's HNSW index
in memory, never re-reading it, so a long-running process (the UI) would not see vectors another
process (`finsight ingest`) added or removed. `follow(generation)` reopens the local client, which
loads the index from disk again, when the store-wide generation moved for a reason other than this
store's own writes; the hot path pays one integer comparison.
"""

from __future__ import annotations

import fcntl
import itertools
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from knowledge.models import EmbeddingMismatchError, KnowledgeError, SourceInfo

CHUNKS = "finsight_chunks"
SOURCES = "finsight_sources"
ACTIVE_KEY = "chunks_collection"  # in SOURCES' metadata, set by a re-index
PAGE = 2000
REBUILD_BATCH = 32
# Re-embeds a batch of stored chunks: (texts, metadatas) -> (n, dim) vectors.
Embed = Callable[[list[str], list[dict]], np.ndarray]
_SOURCE_FIELDS = tuple(SourceInfo.model_fields)
_THREAD_LOCK = threading.RLock()  # flock is per open file; this also orders writer threads of one process
_HELD = threading.local()


def _client(path: Path | None, chroma_url: str | None, fresh: bool = False):
    import chromadb
    from chromadb.config import Settings

    if fresh and path is not None and not chroma_url:
        from chromadb.api.shared_system_client import SharedSystemClient

        # Forget this folder's shared System so the client below starts one that reads the index
        # from disk. Not stopped: handles other threads are still querying keep it alive until
        # they drop it. (clear_system_cache() would do it for every folder of the process.)
        SharedSystemClient._identifier_to_system.pop(str(path), None)

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        parts = urlsplit(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        try:
            return chromadb.HttpClient(
                host=parts.hostname or "localhost",
                port=parts.port or (443 if parts.scheme == "https" else 8000),
                ssl=parts.scheme == "https",
                settings=settings,
            )
        except Exception as exc:  # connection errors vary by transport
            raise KnowledgeError(f"cannot reach the Chroma server at {chroma_url}; start it or unset FINSIGHT_CHROMA_URL") from exc
    if path is None:
        return chromadb.EphemeralClient(settings=settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _chunks_metadata(embedding_model: str) -> dict:
    return {"embedding_model": embedding_model, "hnsw:space": "cosine"}


def _active_chunks(sources_metadata: dict | None) -> str:
    """The chunk collection in use: `finsight_chunks`, or the one the last re-index built."""
    return str((sources_metadata or {}).get(ACTIVE_KEY) or CHUNKS)


def _clean(meta: dict) -> dict:
    """Chroma metadata cannot hold None."""
    return {k: v for k, v in meta.items() if v is not None}


class ChunkStore:
    """Chunks and sources in Chroma, bound to one embedding model.

    `check_model=False` opens a store indexed with another model, for `rebuild_chunks` only.
    """

    def __init__(
        self, path: Path | None, chroma_url: str | None, embedding_model: str, location: str = "",
        check_model: bool = True,
    ) -> None:
        self.client = _client(path, chroma_url)
        self.path = None if chroma_url else path
        self.lock_path = None if chroma_url or path is None else Path(path) / "write.lock"
        self.embedding_model = embedding_model
        self.check_model = check_model
        self.where = location or chroma_url or str(path or "memory")
        self.sources_col = self.client.get_or_create_collection(SOURCES, embedding_function=None)
        name = _active_chunks(self.sources_col.metadata)
        try:
            # get first: get_or_create must not overwrite the model a store was built with
            self.chunks = self.client.get_collection(name, embedding_function=None)
        except Exception:  # NotFoundError's import path moved between chromadb releases
            self.chunks = self.client.get_or_create_collection(
                name, metadata=_chunks_metadata(embedding_model), embedding_function=None
            )
        recorded = self.recorded_model
        if recorded and recorded != embedding_model:
            if self.chunks.count() == 0:
                self.chunks.modify(metadata=_chunks_metadata(embedding_model))
            elif check_model:
                raise self._mismatch(recorded)
        # The generation the open handles reflect; None where nothing can go stale (server, memory).
        # Read before the first query loads an index, so a later change always shows as a difference.
        self._seen: int | None = self.generation() if self.lock_path is not None else None
        self._epoch = 0  # counts reopens, so a writer can tell its handles were swapped mid-write
        self._write_epoch = -1
        self._reopen_lock = threading.Lock()

    def follow(self, generation: int) -> None:
        """Reopen a local store's handles when another process changed it since they were opened.

        `generation` is the value just read for the search, so the usual case costs a comparison.
        Concurrent callers wait for one reopen; they never wait for a writer.
        """
        if self._seen is None or generation == self._seen:
            return
        with self._reopen_lock:
            if self.generation() != self._seen:  # not already done by the thread we waited for
                self._reopen()

    def _reopen(self) -> None:
        seen = self.generation()  # before opening: any later change shows up as another difference
        client = _client(self.path, None, fresh=True)
        sources = client.get_collection(SOURCES, embedding_function=None)
        chunks = client.get_collection(_active_chunks(sources.metadata), embedding_function=None)
        recorded = (chunks.metadata or {}).get("embedding_model")
        if self.check_model and recorded and recorded != self.embedding_model and chunks.count():
            raise self._mismatch(recorded)  # another process re-indexed with another model
        # Each assignment is atomic and old and new handles address the same files, so a thread
        # mid-search on the old ones finishes there; `_seen` goes last, once the handles are current.
        self.client, self.chunks, self.sources_col = client, chunks, sources
        self._epoch += 1
        self._seen = seen

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold while checking-then-writing a source, so concurrent ingests never duplicate or interleave."""
        with _THREAD_LOCK:
            if self.lock_path is None or getattr(_HELD, "depth", 0):  # nested: this thread holds it
                yield
                return
            with open(self.lock_path, "a+b") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed, even on a crash
                _HELD.depth = 1
                try:
                    self.follow(self.generation())  # write through handles that saw the other writers
                    self._write_epoch = self._epoch
                    yield
                finally:
                    _HELD.depth = 0
                    fcntl.flock(handle, fcntl.LOCK_UN)

    # ---- sources -------------------------------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        """Every published source record."""
        got = self.sources_col.get(include=["metadatas"])
        out = []
        for meta in got["metadatas"] or []:
            fields = {k: meta.get(k) for k in _SOURCE_FIELDS if k in meta}
            fields["demo"] = bool(meta.get("demo", False))
            out.append(SourceInfo(**fields))
        return out

    def source(self, source_id: str) -> SourceInfo | None:
        """One source record, or None."""
        got = self.sources_col.get(ids=[source_id], include=["metadatas"])
        if not got["ids"]:
            return None
        meta = got["metadatas"][0]
        return SourceInfo(**{k: meta.get(k) for k in _SOURCE_FIELDS if k in meta})

    def find_by_hash(self, content_hash: str) -> SourceInfo | None:
        """A source already holding exactly this content, if any."""
        got = self.sources_col.get(where={"content_hash": content_hash}, include=["metadatas"])
        if not got["ids"]:
            return None
        meta = got["metadatas"][0]
        return SourceInfo(**{k: meta.get(k) for k in _SOURCE_FIELDS if k in meta})

    def publish(self, info: SourceInfo) -> None:
        """Make a source (and its chunks of `info.version`) visible. The single commit point."""
        self.sources_col.upsert(
            ids=[info.source_id], embeddings=[[1.0]], documents=[info.title],
            metadatas=[_clean(info.model_dump())],
        )
        self._bump()

    def _bump(self, **changes: str) -> None:
        # A store-wide generation lets every process (shared server) notice changes cheaply.
        before = self.generation()
        now = time.time_ns()
        # modify() replaces the whole metadata: keep the pointer to the active chunk collection.
        current = self.client.get_collection(SOURCES, embedding_function=None).metadata or {}
        self.sources_col.modify(metadata={**current, **changes, "generation": now})
        # Ours alone (we hold the write lock) if the handles were current and not swapped by a
        # search meanwhile; otherwise the next search reopens, which is merely slower.
        if before == self._seen and self._epoch == self._write_epoch:
            self._seen = now

    def generation(self) -> int:
        """Changes whenever a source is published or removed, by any process."""
        col = self.client.get_collection(SOURCES, embedding_function=None)
        return int((col.metadata or {}).get("generation", 0))

    def unpublish(self, source_id: str) -> bool:
        """Hide a source by deleting its record; returns False when it did not exist."""
        if not self.sources_col.get(ids=[source_id])["ids"]:
            return False
        self.sources_col.delete(ids=[source_id])
        self._bump()
        return True

    # ---- chunks --------------------------------------------------------------------------------
    def write_chunks(
        self, ids: Sequence[str], embeddings: np.ndarray, texts: Sequence[str], metadatas: Sequence[dict]
    ) -> None:
        """Upsert chunks (invisible until their source is published)."""
        self.chunks.upsert(
            ids=list(ids), embeddings=np.asarray(embeddings, dtype=np.float32),
            documents=list(texts), metadatas=[_clean(m) for m in metadatas],
        )

    def delete_chunks(self, source_id: str, keep_version: str | None = None) -> None:
        """Delete a source's chunks, except those of `keep_version`."""
        where: dict = {"source_id": source_id}
        if keep_version is not None:
            where = {"$and": [{"source_id": source_id}, {"version": {"$ne": keep_version}}]}
        self.chunks.delete(where=where)
        # Again after the delete: a process that reopened between the publish and here must reopen
        # once more, or its index keeps the deleted vectors (crowding its dense candidates).
        self._bump()

    def collect_orphans(self, min_age_s: float = 600.0) -> int:
        """Delete chunks no published source points at and older than `min_age_s`.

        The age guard keeps a concurrent ingest's not-yet-published chunks (shared server) alive.
        """
        visible = {s.version for s in self.sources()}
        cutoff = time.time() - min_age_s
        stale = [
            cid for cid, meta in self.iter_chunks(include_documents=False)
            if meta.get("version") not in visible and float(meta.get("written_at", 0)) <= cutoff
        ]
        for i in range(0, len(stale), PAGE):
            self.chunks.delete(ids=stale[i : i + PAGE])
        return len(stale)

    def iter_chunks(self, include_documents: bool = True) -> Iterator[tuple]:
        """(id, metadata) or (id, metadata, text) for every stored chunk, paged."""
        include = ["metadatas", "documents"] if include_documents else ["metadatas"]
        offset = 0
        while True:
            got = self.chunks.get(include=include, limit=PAGE, offset=offset)
            if not got["ids"]:
                return
            docs = got.get("documents") or [None] * len(got["ids"])
            for cid, meta, doc in zip(got["ids"], got["metadatas"], docs, strict=True):
                yield (cid, meta, doc) if include_documents else (cid, meta)
            offset += len(got["ids"])

    @property
    def recorded_model(self) -> str | None:
        """The embedding model the stored vectors were made with."""
        return (self.chunks.metadata or {}).get("embedding_model")

    def _mismatch(self, recorded: str) -> EmbeddingMismatchError:
        return EmbeddingMismatchError(
            f"The knowledge base at {self.where} was indexed with '{recorded}' but '{self.embedding_model}' "
            "is configured; run 'finsight reindex' to re-embed it with the configured model, "
            "or switch FINSIGHT_EMBEDDING back."
        )

    def rebuild_chunks(self, embed: Embed, progress: Callable[[int, int], None] | None = None) -> int:
        """Re-embed every stored chunk with this store's model into a new collection, then use it.

        The switch is one metadata write, like `publish`: an interrupted rebuild leaves the old
        index in use, and the next rebuild drops its half-built collection. Returns chunks written.
        """
        with self.write_lock():
            old = self.chunks
            for leftover in self._chunk_collections() - {old.name}:
                self.client.delete_collection(leftover)
            fresh = self.client.create_collection(
                f"{CHUNKS}_{time.time_ns()}", metadata=_chunks_metadata(self.embedding_model), embedding_function=None
            )
            total, done = old.count(), 0
            rows = self.iter_chunks()
            while batch := list(itertools.islice(rows, REBUILD_BATCH)):
                ids, metas, texts = (list(column) for column in zip(*batch, strict=True))
                fresh.upsert(ids=ids, embeddings=np.asarray(embed(texts, metas), dtype=np.float32),
                             documents=texts, metadatas=metas)
                done += len(ids)
                if progress:
                    progress(done, total)
            self._bump(**{ACTIVE_KEY: fresh.name})  # the commit point
            self.chunks = fresh
            self.client.delete_collection(old.name)
        return done

    def _chunk_collections(self) -> set[str]:
        listed = self.client.list_collections()
        return {n for n in (getattr(c, "name", c) for c in listed) if str(n).startswith(CHUNKS)}

    def chunk_ids(self) -> list[str]:
        """Every stored chunk's id (ids only: a fifth of the cost of reading metadata too)."""
        ids: list[str] = []
        while got := self.chunks.get(include=[], limit=PAGE, offset=len(ids))["ids"]:
            ids += got
        return ids

    def raw_count(self) -> int:
        """Stored chunks including invisible ones (cheap change detector)."""
        return self.chunks.count()

    def dense(
        self, embedding: np.ndarray, n: int, versions: Sequence[str] | None = None
    ) -> list[tuple[str, str, dict, float]]:
        """(id, text, metadata, cosine similarity) of the nearest chunks, optionally restricted.

        A restricted query makes Chroma pre-filter by metadata, which is much slower than the plain
        HNSW search at 100k chunks; callers use it only when post-filtering cannot fill `n`.
        """
        if n <= 0 or (versions is not None and not versions):
            return []
        where = {"version": {"$in": list(versions)}} if versions is not None else None
        got = self.chunks.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=n, where=where, include=["documents", "metadatas", "distances"],
        )
        # A vector another process deleted after this one loaded its index comes back without
        # metadata (the row is gone); the next `follow` reopens, until then such hits are skipped.
        return [
            (cid, doc, meta, 1.0 - float(dist))
            for cid, doc, meta, dist in zip(
                got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True
            )
            if meta is not None
        ]
