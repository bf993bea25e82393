"""Checking a finished answer: every `[n]` must exist, every figure must trace to a tool output.

`ground_figures` is the pure core: text plus the known values in, figures with their source
out. `verify_answer` feeds it what the CitationRegistry of the answer holds. A figure whose
sentence cites sources is grounded only by those sources (or the market data `[0]`): one that
only some other passage contains is mis-cited, and counts as not traced. Control characters and
citation look-alikes (`［9］`, `\\[9\\]`, `【9】`) are normalised before anything is checked, so the
verified text carries neither. The answer's AnswerDoc, when it has one, is checked block by block
with the same rules and numbered with the same mapping, so the two always cite the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from assistant.answer import Figure
from assistant.answerdoc import AnswerDoc, rewrite, to_markdown
from assistant.grounding.citations import MARKET_ID, CitationRegistry
from assistant.grounding.figures import FoundFigure, extract_figures, numbers_in
from assistant.grounding.marketview import exact_values
from assistant.grounding.renumber import apply_numbering, reading_order, renumber_doc
from assistant.untrusted import clean_model_text

_MARKER = re.compile(r"\[(\d+(?:\s*[,，]\s*\d+)*)\]")
_MARKER_RUN = re.compile(r"([ \t]*)((?:\[\d+(?:\s*[,，]\s*\d+)*\])+)")
_SENTENCE_END = re.compile(r"[。!?！？;；\n]|\.(?:\s|$)")


class Verification(BaseModel):
    """The verified text and what was found in it."""

    text: str
    dangling: list[int] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    cited: list[int] = Field(default_factory=list, description="Ids cited in the verified text.")
    doc: AnswerDoc | None = Field(None, description="The verified AnswerDoc: the text's citations, block by block.")

    @property
    def ungrounded(self) -> list[Figure]:
        """Figures that match no tool output and no retrieved passage, or only one they do not cite."""
        return [f for f in self.figures if not f.grounded]

    @property
    def miscited(self) -> list[Figure]:
        """Figures found in a passage other than the one(s) their sentence cites."""
        return [f for f in self.figures if f.miscited]

    @property
    def all_grounded(self) -> bool:
        return not self.ungrounded


def _candidates(value: float, unit: str) -> tuple[float, ...]:
    # A fraction (0.1184) is written as a percent (11.84%), a bp figure may come from a
    # fraction or a percent; a percent may also be stored as a percent (a yield of 4.25).
    if unit == "percent":
        return (value * 100.0, value)
    if unit == "bp":
        return (value * 10000.0, value * 100.0, value)
    if unit == "multiple":
        return (value,)
    return (value, value * 100.0)


def matches(fig: FoundFigure, value: float, signed: bool = True) -> bool:
    """True when `value` rounds to the figure at its written precision.

    An explicitly signed figure ("+5%", "-5%") must agree in sign with a signed value;
    an unsigned one ("fell 5%") matches either sign.
    """
    tolerance = 0.5 * 10.0 ** (-fig.decimals) + 1e-9
    for c in _candidates(value, fig.unit):
        if signed and fig.signed:
            if abs(c - fig.value) <= tolerance:
                return True
        elif abs(abs(c) - abs(fig.value)) <= tolerance:
            return True
    return False


def _nearby_citations(text: str, start: int, end: int) -> list[int]:
    """Ids cited in the figure's sentence: the ones after it first, then the ones before."""
    left = start
    while left > 0 and not _SENTENCE_END.match(text, left - 1):
        left -= 1
    stop = _SENTENCE_END.search(text, end)
    right = stop.start() if stop else len(text)
    after = [int(i) for m in _MARKER.finditer(text, end, right) for i in re.split(r"[,，]", m.group(1))]
    before = [int(i) for m in _MARKER.finditer(text, left, start) for i in re.split(r"[,，]", m.group(1))]
    return after + list(reversed(before))


def ground_figures(text: str, market: Sequence[float] = (),
                   passages: Mapping[int, str] | None = None) -> list[Figure]:
    """Every figure in `text`, each with the id of the evidence it matches (or grounded=False).

    `market` holds the exact market values (fractions as fractions) and stands for `[0]`;
    `passages` maps a citation id to the passage text. A figure whose sentence cites ids is
    grounded only by those ids or the market data; when only another passage holds it, it is
    `miscited` (not grounded). A figure with no citation in its sentence may come from the
    market data, then any passage cited in the text, then the rest.
    """
    passages = dict(passages or {})
    passage_numbers = {pid: numbers_in(body) for pid, body in passages.items()}
    cited_anywhere = [int(i) for m in _MARKER.finditer(text) for i in re.split(r"[,，]", m.group(1))]

    def holds(sid: int, fig: FoundFigure) -> bool:
        if sid == MARKET_ID:
            return any(matches(fig, v) for v in market)
        return any(matches(fig, v, signed=False) for v in passage_numbers.get(sid, ()))

    figures: list[Figure] = []
    for fig in extract_figures(text):
        nearby = _nearby_citations(text, fig.start, fig.end)
        allowed = [*nearby, MARKET_ID] if nearby else [MARKET_ID, *cited_anywhere, *sorted(passages)]
        source = next((sid for sid in dict.fromkeys(allowed) if holds(sid, fig)), None)
        miscited = source is None and bool(nearby) and any(holds(sid, fig) for sid in passages)
        figures.append(Figure(text=fig.text, value=fig.value, unit=fig.unit, source_id=source,
                              grounded=source is not None, miscited=miscited))
    return figures


def strip_dangling(text: str, valid: set[int]) -> tuple[str, list[int]]:
    """Remove citation ids not in `valid`; a reference line led by one is removed whole."""
    dangling: list[int] = []
    kept_lines: list[str] = []
    for line in text.split("\n"):
        lead = re.match(r"\s*(?:[-*]\s*)?\[(\d+)\]\s", line)
        if lead and int(lead.group(1)) not in valid:
            dangling.append(int(lead.group(1)))
            continue

        def fix(m: re.Match[str]) -> str:
            # A run of markers ("[0][7]", "[1, 7]") is rebuilt from its valid ids only.
            ids = [int(i) for i in re.findall(r"\d+", m.group(2))]
            good = [i for i in ids if i in valid]
            dangling.extend(i for i in ids if i not in valid)
            return (m.group(1) + "".join(f"[{i}]" for i in good)) if good else ""

        kept_lines.append(_MARKER_RUN.sub(fix, line))
    unique = list(dict.fromkeys(dangling))
    return "\n".join(kept_lines), unique


def registry_evidence(registry: CitationRegistry) -> tuple[list[float], dict[int, str]]:
    """The exact market values and the passage texts (with titles) the registry holds."""
    values: list[float] = []
    for report in registry.market_json():
        values += exact_values(report)
    passages = {pid: f"{p.title}\n{p.text}" for pid, p in registry.passages().items()}
    return values, passages


def clean_doc(doc: AnswerDoc, valid: set[int]) -> AnswerDoc:
    """`doc` cleaned as `verify_answer` cleans text: control characters and citation look-alikes
    normalised, citation ids not in `valid` removed from every block's text and cited ids."""
    return rewrite(doc, lambda text: strip_dangling(clean_model_text(text), valid)[0],
                   lambda i: i if i in valid else None)


def verify_answer(text: str, registry: CitationRegistry, renumber: bool = True,
                  doc: AnswerDoc | None = None) -> Verification:
    """Remove dangling citations, number the sources in reading order, ground every figure.

    With `renumber` (the default) the registry's passages are renumbered in place to match the
    text, so `registry.citations()` afterwards lists the ids the verified text uses. `doc`, the
    AnswerDoc `text` was rendered from (or read into), is verified alike: the reading order is
    the document's, and the same mapping numbers the text, the document and the registry.
    """
    valid = registry.ids()
    clean, dangling = strip_dangling(clean_model_text(text), valid)
    if doc is not None:
        doc = clean_doc(doc, valid)
    if renumber:
        mapping = reading_order(to_markdown(doc) if doc is not None else clean, valid)
        clean = apply_numbering(clean, mapping)
        doc = renumber_doc(doc, mapping) if doc is not None else None
        registry.renumber(mapping)
    values, passages = registry_evidence(registry)
    figures = ground_figures(clean, values, passages)
    cited = sorted({int(i) for m in _MARKER.finditer(clean) for i in re.split(r"[,，]", m.group(1))})
    return Verification(text=clean, dangling=dangling, figures=figures, cited=cited, doc=doc)
