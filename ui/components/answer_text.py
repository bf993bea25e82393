"""An answer's text as the renderers lay it out: read from its AnswerDoc, split around the
charts, without the answer's own reference list (the renderers list the registry's instead)."""

from __future__ import annotations

import re

from assistant.answer import Answer
from assistant.answerdoc import doc_parts, sections_markdown
from assistant.answerdoc_parse import answer_doc

_HEADING_PARTS = re.compile(r"^(\s{0,3})(#{1,6})(\s+\S)", re.MULTILINE)


def answer_parts(answer: Answer) -> tuple[str, str]:
    """(head, tail) Markdown of the answer: the charts go between them (after the opening run of
    market sections), and the references section is in neither."""
    doc = answer_doc(answer)
    head, tail = doc_parts(doc)
    return sections_markdown(head, doc.language), sections_markdown(tail, doc.language)


def demote_headings(text: str, by: int = 1) -> str:
    """Headings `by` levels smaller (at most h6): an answer inside a chat bubble should not shout."""

    def shrink(match: re.Match[str]) -> str:
        return match.group(1) + "#" * min(len(match.group(2)) + by, 6) + match.group(3)

    return _HEADING_PARTS.sub(shrink, text)
