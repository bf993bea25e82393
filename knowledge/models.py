"""Result and record types of the knowledge base (pydantic, JSON-ready)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field


class KnowledgeError(Exception):
    """A knowledge-base failure; `str(e)` is one line telling the user what to do."""


class EmbeddingMismatchError(KnowledgeError):
    """The store was indexed with another embedding model; mixing vectors would corrupt search."""


class SourceMeta(BaseModel):
    """What a reader needs to find and judge a source: shared by passages and source listings."""

    source_id: str
    title: str
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    file_name: str | None = None
    language: str = "en"
    demo: bool = False


class Passage(SourceMeta):
    """One retrieved chunk with its source metadata and how it ranked."""

    chunk_id: str
    text: str
    position: int = 0
    # Calibrated relevance in [0, 1] (see knowledge.retrieval.relevance): comparable across
    # queries, so a caller can drop passages below a floor; results come sorted by it.
    score: float = 0.0
    dense_rank: int | None = None
    bm25_rank: int | None = None
    heading: str | None = None
    similarity: float | None = None  # cosine similarity to the query (best query variant)
    keyword: float | None = None  # BM25 score over the best candidate's, in [0, 1]


class SourceInfo(SourceMeta):
    """One ingested document as listed by `finsight sources`."""

    content_hash: str
    chunks: int
    ingested_at: str
    version: str = ""
    location: str = ""


class IngestSummary(BaseModel):
    """What one `ingest` call did; `failed` holds (item, one-line reason)."""

    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    failed: list[tuple[str, str]] = Field(default_factory=list)
    skipped_reasons: dict[str, str] = Field(default_factory=dict)
    chunks_written: int = 0
    seconds: float = 0.0

    def merge(self, other: IngestSummary) -> None:
        """Fold another summary into this one (used when walking folders)."""
        self.added += other.added
        self.updated += other.updated
        self.skipped += other.skipped
        self.failed += other.failed
        self.skipped_reasons.update(other.skipped_reasons)
        self.chunks_written += other.chunks_written


@dataclass
class Document:
    """A loaded document: main text plus whatever metadata the format carried."""

    text: str
    location: str  # absolute path, URL or "demo:<name>"; identifies the source across re-ingests
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    file_name: str | None = None
    language: str | None = None
    demo: bool = False
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """A piece of a document's text, in reading order."""

    text: str
    position: int
    heading: str | None = None
