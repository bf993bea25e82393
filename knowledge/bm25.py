"""The keyword side of hybrid retrieval: a zh+en tokenizer and a BM25 index over every chunk.

The index follows the store: when its generation changes, `refresh` re-reads the chunk ids only.
A chunk id names one version of one chunk's text, so text is fetched and tokenised (the costly
part: jieba) only for ids not indexed before; bm25s then rebuilds from cached token ids, about
a second per 20k chunks.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from knowledge.chunking import titled_text
from knowledge.store import PAGE, ChunkStore
from knowledge.text import HAN_RUN
from knowledge.vectors import fetch_chunks

_CJK_RUN = HAN_RUN
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*%?")

_STOP_EN = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "will", "with", "what", "which", "who", "how", "why", "does", "do", "did", "can", "could", "would", "should", "than", "then"]
)
_STOP_ZH = frozenset(["的", "了", "是", "在", "和", "与", "及", "等", "也", "都", "而", "并", "或", "其", "之", "吗", "呢", "吧", "啊", "能否", "是否", "哪些", "什么", "如何", "怎么"])
_jieba_lock = threading.Lock()
_jieba = None


def _jieba_cut(text: str) -> list[str]:
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            _jieba = jieba
    return _jieba.lcut_for_search(text)


def _en_token(word: str) -> str:
    # Crude plural folding ("caps" -> "cap") helps finance text; no stemmer dependency needed.
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_LETTERS_DIGITS = re.compile(r"[a-z]+|[0-9]+")


def _en_tokens(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text):
        if word in _STOP_EN:
            continue
        out.append(_en_token(word))
        parts = _LETTERS_DIGITS.findall(word)
        if len(parts) > 1 and word.isalnum():
            # "fy2018", "2023q2": a question's fiscal year must match the filing's plain "2018"
            out += [part for part in parts if len(part) > 1 and part not in _STOP_EN]
    return out


def tokenize(text: str) -> list[str]:
    """BM25 tokens: jieba words for Chinese runs, lowercase words for everything else (a word
    mixing letters and digits also yields its parts)."""
    tokens: list[str] = []
    lowered = text.lower()
    pos = 0
    for match in _CJK_RUN.finditer(lowered):
        tokens += _en_tokens(lowered[pos : match.start()])
        tokens += [w for w in _jieba_cut(match.group()) if w.strip() and w not in _STOP_ZH]
        pos = match.end()
    tokens += _en_tokens(lowered[pos:])
    return tokens


@dataclass
class IndexedChunk:
    """What BM25 needs to return a hit without another store round-trip."""

    chunk_id: str
    text: str
    meta: dict


class Bm25Index:
    """BM25 over every stored chunk, refreshed when the store's signature changes."""

    def __init__(self) -> None:
        self.signature: object = None
        self.items: list[IndexedChunk] = []
        self._versions = np.zeros(0, dtype=np.int64)
        self._codes: dict[str, int] = {}
        self._rows: dict[str, int] = {}  # chunk id -> row, to score chunks the other side found
        self._token_max = np.zeros(0, dtype=np.float32)  # per token, its best score in any chunk
        self._bm25 = None
        self._lock = threading.Lock()  # guards the fields searches read
        self._refreshing = threading.Lock()  # one refresh at a time; the others wait for it
        # Token ids per chunk id, kept across refreshes (int32 arrays: a tenth of lists' memory).
        self._vocab: dict[str, int] = {"": 0}
        self._tokens: dict[str, tuple[IndexedChunk, np.ndarray]] = {}
        self.tokenised = 0  # chunks tokenised over this index's life, for tests and benchmarks

    def refresh(self, signature: object, store: ChunkStore) -> None:
        """Bring the index up to `signature`, tokenising only chunks it has not seen."""
        with self._refreshing:
            if self.signature == signature:  # done by the refresh this call waited for
                return
            listed = store.chunk_ids()
            new = [cid for cid in listed if cid not in self._tokens]
            fetched = {}
            for i in range(0, len(new), PAGE):
                fetched.update({cid: (text, meta) for cid, text, meta in fetch_chunks(store.chunks, new[i : i + PAGE])})
            entries = {}
            for cid in listed:
                entry = self._tokens.get(cid)
                if entry is None and cid in fetched:
                    text, meta = fetched[cid]
                    entry = self._tokenise(IndexedChunk(cid, text or "", meta))
                if entry is not None:
                    entries[cid] = entry
            self._tokens = entries  # chunks no longer stored drop out here
            self._build(signature, list(entries.values()))

    def _tokenise(self, item: IndexedChunk) -> tuple[IndexedChunk, np.ndarray]:
        tokens = tokenize(titled_text(item.meta.get("title"), item.text)) or [""]  # empty: the empty token
        self.tokenised += 1
        return item, np.fromiter((self._vocab.setdefault(t, len(self._vocab)) for t in tokens), dtype=np.int32)

    def _build(self, signature: object, entries: list[tuple[IndexedChunk, np.ndarray]]) -> None:
        import bm25s

        items = [item for item, _ in entries]
        codes: dict[str, int] = {}
        versions = np.array([codes.setdefault(it.meta.get("version", ""), len(codes)) for it in items], dtype=np.int64)
        rows = {it.chunk_id: i for i, it in enumerate(items)}
        bm25 = None
        if items:
            bm25 = bm25s.BM25()
            # A copy: bm25s keeps the dict it is given, and ours grows with later refreshes.
            bm25.index(([ids for _, ids in entries], dict(self._vocab)), show_progress=False)
            token_max = _token_max(bm25)
        else:
            token_max = np.zeros(0, dtype=np.float32)
        with self._lock:
            self.items, self._versions, self._codes, self._bm25 = items, versions, codes, bm25
            self._rows = rows
            self._token_max = token_max
            self.signature = signature

    def search(self, query: str, n: int, versions: Iterable[str]) -> list[tuple[IndexedChunk, float]]:
        """Top-n (chunk, score) among chunks whose version is in `versions`, score > 0 only."""
        return self.search_scoring(query, n, versions, ())[0]

    def search_scoring(
        self, query: str, n: int, versions: Iterable[str], also: Iterable[str]
    ) -> tuple[list[tuple[IndexedChunk, float]], dict[str, float], float]:
        """`search`, plus the BM25 scores of the chunk ids in `also` (0.0 for unknown ids) from
        the same scoring pass, and the query's attainable score (the sum over its tokens of each
        one's best score in any chunk): fusion by score needs both sides' scores for every
        candidate, on a scale that says how much of the query a chunk matches."""
        tokens = tokenize(query)
        with self._lock:
            bm25, items, codes, vers, rows = self._bm25, self.items, self._codes, self._versions, self._rows
            token_max = self._token_max
        also = list(also)
        if bm25 is None or not tokens:
            return [], dict.fromkeys(also, 0.0), 0.0
        token_ids = bm25.get_tokens_ids(tokens)
        if not token_ids:
            return [], dict.fromkeys(also, 0.0), 0.0
        attainable = float(token_max[np.asarray(token_ids)].sum())
        allowed = [codes[v] for v in versions if v in codes]
        raw = np.asarray(bm25.get_scores_from_ids(token_ids), dtype=np.float32)
        extra = {cid: float(raw[rows[cid]]) if cid in rows else 0.0 for cid in also}
        scores = np.where(np.isin(vers, allowed), raw, 0.0)
        n = min(n, len(items))
        if n <= 0:
            return [], extra, attainable
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(items[i], float(scores[i])) for i in top if scores[i] > 0], extra, attainable


def _token_max(bm25) -> np.ndarray:
    """Each vocabulary token's highest score in any chunk, from bm25s's token-major score matrix."""
    data, indptr = np.asarray(bm25.scores["data"]), np.asarray(bm25.scores["indptr"])
    out = np.zeros(len(indptr) - 1, dtype=np.float32)
    filled = np.flatnonzero(np.diff(indptr) > 0)
    if len(filled):
        out[filled] = np.maximum.reduceat(data, indptr[:-1][filled])
    return out
