"""Citation ids in reading order: `[1]` is the first source a reader meets, then `[2]`, ...

Tools hand out ids in retrieval order, so a draft may cite `[9]` before `[3]`. These pure
functions compute the reading-order numbering of a text and apply it; `[0]` (market data)
never moves. The CitationRegistry applies the same mapping to its passages, and `renumber_doc`
to the answer's AnswerDoc, so the document and its Markdown cite the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.answerdoc import AnswerDoc, rewrite

_MARKER = re.compile(r"\[(\d+(?:\s*[,，]\s*\d+)*)\]")
_MARKER_RUN = re.compile(r"(?:\[\d+(?:\s*[,，]\s*\d+)*\])+")
_REFERENCE_LINE = re.compile(r"^\s*(?:[-*]\s*)?\[(\d+)\]")


def cited_in_order(text: str) -> list[int]:
    """Every id cited in `text`, once each, in order of first appearance."""
    ids = (int(i) for m in _MARKER.finditer(text) for i in re.split(r"[,，]", m.group(1)))
    return list(dict.fromkeys(ids))


def reading_order(text: str, known: Iterable[int]) -> dict[int, int]:
    """old id -> new id: cited sources numbered 1, 2, ... by first appearance in `text`, then
    the uncited ones in their old order; 0 stays 0. Ids cited but not `known` are left out."""
    known_ids = sorted(set(known) - {0})
    cited = [i for i in cited_in_order(text) if i in known_ids]
    order = cited + [i for i in known_ids if i not in cited]
    mapping = {old: new for new, old in enumerate(order, start=1)}
    if 0 in set(known):
        mapping[0] = 0
    return mapping


def _sort_reference_lines(lines: list[str]) -> list[str]:
    """Runs of reference lines ("- [2] ...", "[1] ...") sorted by their leading id."""
    out: list[str] = []
    run: list[tuple[int, str]] = []
    for line in [*lines, None]:
        lead = _REFERENCE_LINE.match(line) if line is not None else None
        if lead:
            run.append((int(lead.group(1)), line))
            continue
        out += [text for _, text in sorted(run, key=lambda item: item[0])]
        run = []
        if line is not None:
            out.append(line)
    return out


def apply_numbering(text: str, mapping: Mapping[int, int]) -> str:
    """`text` with every cited id replaced by `mapping[id]` (unmapped ids unchanged); a run of
    markers ("[9][3]") is rewritten in ascending order and reference lines are re-sorted."""

    def fix(m: re.Match[str]) -> str:
        ids = [mapping.get(int(i), int(i)) for i in re.findall(r"\d+", m.group(0))]
        return "".join(f"[{i}]" for i in sorted(dict.fromkeys(ids)))

    return "\n".join(_sort_reference_lines(_MARKER_RUN.sub(fix, text).split("\n")))


def renumber_doc(doc: AnswerDoc, mapping: Mapping[int, int]) -> AnswerDoc:
    """`doc` with `apply_numbering` applied to every block's text and `mapping` to every cited id."""
    return rewrite(doc, lambda text: apply_numbering(text, mapping), lambda i: mapping.get(i, i))
