"""Sorting retrieved passages' sentences into report sections (catalysts, macro, risks, ...).

The offline analyst only quotes: each chosen sentence is passage text, unchanged except for
whitespace, so every claim and number in it traces to the cited passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import HAN

BUCKETS: dict[str, tuple[str, ...]] = {
    "catalysts": ("deregulat", "operating leverage", "rate cut", "easing", "fiscal", "stimulus",
                  "positioning", "recovery", "rebound", "tailwind", "catalyst", "broaden", "rotation",
                  "降息", "放松", "财政", "刺激", "仓位", "复苏", "催化", "经营杠杆", "轮动"),
    "macro": ("gdp", "ism", "pmi", "manufactur", "reshoring", "gasoline", "inflation", "employment",
              "jobs", "labor", "labour", "consumer", "economy", "economic growth", "经济", "通胀", "就业",
              "制造业", "油价", "回流", "消费"),
    "forecasts": ("forecast", "expect", "project", "estimate", "target", "predict", "anticipate",
                  "预计", "预测", "预期", "目标"),
    "earnings": ("eps", "earnings", "p/e", "valuation", "multiple", "discount", "cheap", "price-to",
                 "profit", "估值", "市盈率", "折价", "盈利", "每股收益", "利润"),
    "rates": ("interest rate", "rates", "yield", "fed", "treasury", "borrowing", "floating", "debt",
              "refinanc", "利率", "美联储", "收益率", "债务", "融资"),
    "risks": ("risk", "recession", "default", "credit", "volatil", "liquidity", "downside", "headwind",
              "tariff", "miss", "uncertain", "warn", "风险", "衰退", "违约", "信贷", "波动", "流动性",
              "关税", "不及预期", "担忧"),
    "views": ("overweight", "underweight", "allocat", "prefer", "favor", "favour", "recommend",
              "buy", "opportunit", "超配", "低配", "配置", "推荐", "看好", "机会"),
}
LIMITS = {"catalysts": 5, "macro": 3, "forecasts": 3, "earnings": 3, "rates": 2, "risks": 3, "views": 2}
MAX_CHARS = 320

# Sentences end at full stops only: a semicolon often carries the qualifier ("...; but only if
# rates fall"), and a quote cut there would drop it.
_SPLIT = re.compile(r"(?<=[。!?！？])|(?<=[.!?])\s+(?=[A-Z“\"(])")
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*•]\s|>\s?|\||\d+[.)]\s)")
_BULLET = re.compile(r"^\s*(?:[-*•]\s+|>\s*|\d+[.)]\s+)+")
# Notes about the document itself (editor's remarks, pointers to the original) are not evidence.
_META = re.compile(r"(?i)reference answer|demo summary|finsight|the original|this note|our explanation|"
                   r"check the article|verify (?:them|against)|请阅读原文|原文")
# A paragraph that says its own content is not the source's words ("That general mechanism is
# our explanation, not a quote"): none of its sentences may be quoted as the source's.
_NOT_THE_SOURCE = re.compile(r"(?i)our (?:own )?explanation|not a quote|not (?:from|in) the (?:article|source|original)|"
                             r"demo summary written|credits the table|verify (?:them )?against the original|"
                             r"我们的解释|并非(?:原文|引述)|不是原文")
_CJK = HAN


@dataclass(frozen=True)
class Quote:
    """One sentence of one passage, and the citation id of that passage."""

    cite: int
    text: str
    publisher: str
    date: str | None
    demo: bool = False  # from a demo-pack summary: our words about the source, not the source's


def blocks(text: str) -> list[str]:
    """Paragraphs and list items with wrapped lines joined; headings, tables and the caption
    right above a table dropped (a caption describes the table, it claims nothing)."""
    out: list[str] = []
    current: list[str] = []
    caption_of_table = False
    for line in text.splitlines():
        is_table = line.lstrip().startswith("|")
        if is_table and not current and out and not caption_of_table:
            out.pop()  # the paragraph just above the table was its caption
        caption_of_table = is_table
        if not line.strip() or _BLOCK_START.match(line):
            if current:
                out.append(" ".join(current))
            current = []
            if not line.strip() or is_table or line.lstrip().startswith("#"):
                continue
        current.append(line.strip())
    if current:
        out.append(" ".join(current))
    return out


def sentences(text: str, language: str = "en") -> list[str]:
    """Quotable sentences of a passage: whole sentences, no meta remarks; CJK ones only for zh."""
    out: list[str] = []
    for block in blocks(text):
        if _NOT_THE_SOURCE.search(block):
            continue
        for raw in _SPLIT.split(_BULLET.sub("", block)):
            s = re.sub(r"\s+", " ", raw or "").strip()
            if len(s) < 25 or _META.search(s) or (language == "en" and _CJK.search(s)):
                continue
            out.append(s)
    return out


def tables(text: str) -> list[str]:
    """Markdown tables in a passage, verbatim (rows are cited as a whole)."""
    found: list[str] = []
    rows: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.lstrip().startswith("|"):
            rows.append(line.strip())
        else:
            if len(rows) >= 3:
                found.append("\n".join(rows))
            rows = []
    return found


def _hits(sentence: str, words: tuple[str, ...]) -> int:
    low = sentence.lower()
    return sum(1 for w in words if w in low)


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_CHARS:
        return sentence
    cut = sentence[:MAX_CHARS]
    # Cut at a space so no number is split; Chinese text has no spaces, cut at a comma.
    for sep in (" ", ",", ","):
        if sep in cut[MAX_CHARS // 2:]:
            cut = cut[: cut.rfind(sep)]
            break
    return cut.rstrip(" ,，") + " …"


def sort_evidence(passages: list[dict], topic_terms: list[str], language: str = "en") -> dict[str, list[Quote]]:
    """Quotes per bucket, best first. `passages` are search results ({cite, text, publisher, date})
    in rank order; a sentence goes to the bucket it matches most and is used once. A Chinese
    answer prefers Chinese sentences; an English one quotes only non-Chinese ones."""
    scored: list[tuple[float, str, Quote]] = []
    for rank, p in enumerate(passages):
        for s in sentences(p.get("text", ""), language):
            counts = {name: _hits(s, words) for name, words in BUCKETS.items()}
            bucket = max(counts, key=lambda name: counts[name])
            if counts[bucket] == 0:
                continue
            topical = _hits(s, tuple(t.lower() for t in topic_terms))
            score = counts[bucket] + 0.5 * topical - 0.1 * rank
            if language == "zh" and _CJK.search(s):
                score += 1.5
            quote = Quote(cite=int(p["cite"]), text=_shorten(s), publisher=p.get("publisher") or p.get("title") or "",
                          date=p.get("date"), demo=bool(p.get("demo")))
            scored.append((score, bucket, quote))
    scored.sort(key=lambda item: item[0], reverse=True)
    result: dict[str, list[Quote]] = {name: [] for name in BUCKETS}
    seen: set[str] = set()
    for _, bucket, quote in scored:
        if quote.text in seen or len(result[bucket]) >= LIMITS[bucket]:
            continue
        seen.add(quote.text)
        result[bucket].append(quote)
    return result


def mentions(text: str, terms: list[str]) -> bool:
    """True when `text` names any of `terms` (whole words for Latin terms, any case)."""
    for term in terms:
        if term.isascii():
            if re.search(rf"(?i)(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", text):
                return True
        elif term in text:
            return True
    return False


def topic_terms(question: str, names: list[str]) -> list[str]:
    """Words of the question worth matching in a passage (plus the index names)."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z\-]{3,}", question)
             if w.lower() not in {"improving", "their", "versus", "from", "with", "what", "which", "about"}]
    zh = [w for w in ("小盘", "大盘", "基本面", "超额", "盈利", "估值") if w in question]
    terms = words + zh + names
    if re.search(r"(?i)small|小盘|RUT", question):
        terms += ["small cap", "small-cap", "russell", "小盘"]
    return terms


def from_publishers(passages: list[dict], publishers: list[str]) -> list[dict]:
    """The passages published by any of `publishers` (case-blind substring, as the KB filters)."""
    wanted = [p.casefold() for p in publishers]
    return [p for p in passages if any(w in (p.get("publisher") or "").casefold() for w in wanted)]


def leading_quotes(passages: list[dict], language: str = "en", limit: int = 3) -> list[Quote]:
    """The first quotable sentences of `passages`, in rank order, whatever their topic.

    For a question about what one source says, its own sentences are the answer even when they
    name no catalyst or risk. A Chinese answer takes a passage's Chinese sentences first.
    """
    out: list[Quote] = []
    for p in passages:
        found = sentences(p.get("text", ""), language)
        if language == "zh":
            found = sorted(found, key=lambda s: not _CJK.search(s))
        for s in found[:2]:
            quote = Quote(cite=int(p["cite"]), text=_shorten(s), publisher=p.get("publisher") or p.get("title") or "",
                          date=p.get("date"), demo=bool(p.get("demo")))
            if quote.text not in {q.text for q in out}:
                out.append(quote)
        if len(out) >= limit:
            break
    return out[:limit]
