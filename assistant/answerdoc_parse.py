"""The one parse of prose into an AnswerDoc: a language model's answer, read once at the LLM edge.

Our own answers are built as AnswerDocs and never parsed back; the model writes Markdown, so its
text is cut here into sections at its headings (each keeping its title and level, its body one
`Markdown` block). A reference list the model wrote (a heading such as 参考资料, References or
Sources followed by `[n] …` items) becomes the section named `REFERENCES`, which renderers
replace with the registry's references; whatever follows the list (a disclaimer) stays a section
of its own. A section citing the market data `[0]` is a market section (the charts follow them).

Answers stored before the AnswerDoc existed are read the same way by `answer_doc` (the renderers'
legacy path): their text is all there is.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.answer import Answer
from assistant.answerdoc import REFERENCES, AnswerDoc, Markdown, stored_doc
from assistant.grounding.renumber import cited_in_order
from assistant.untrusted import normalise_citations

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# The words a writer heads a reference list with: as a heading, a bold line or a line ending in ':'.
_REF_TITLE = re.compile(r"^(参考资料|参考文献|参考来源|资料来源|引用来源|来源|references|sources|citations)$",
                        re.IGNORECASE)
_REF_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)?\s*\\?\[\d+\\?\]")
TEXT = "text"  # the name of a section of the model's prose


def _reference_title(line: str) -> tuple[int, str] | None:
    """(level, title) when `line` heads a reference list: '## References', '**参考资料**', 'Sources:'."""
    heading = _HEADING.match(line)
    level, title = (len(heading.group(1)), heading.group(2)) if heading else (3, line.strip())
    words = title.strip().strip("*_").strip().rstrip(":：").strip().strip("*_").strip()
    if not _REF_TITLE.match(words):
        return None
    if not heading and not (title.startswith(("**", "__")) or title.rstrip("*_ ").endswith((":", "："))):
        return None  # a plain line that merely says "Sources" is prose
    return level, title


def _reference_end(lines: list[str], start: int) -> int | None:
    """The index after the reference list headed at `start`, or None when no `[n]` item follows.

    Items, blank lines and indented continuation lines belong to the list.
    """
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _REF_ITEM.match(normalise_citations(lines[end]))
                                or lines[end].startswith(("  ", "\t"))):
        end += 1
    items = any(_REF_ITEM.match(normalise_citations(line)) for line in lines[start + 1:end])
    return end if items else None


def _cites_market(text: str) -> bool:
    return 0 in cited_in_order(normalise_citations(text))


def from_markdown(text: str, language: Literal["zh", "en"]) -> AnswerDoc:
    """`text` (a model's Markdown answer) as an AnswerDoc: sections cut at headings, the
    reference list recognised as the `REFERENCES` section, sections citing `[0]` marked market."""
    doc = AnswerDoc(language=language)
    title: str | None = None
    level = 3
    body: list[str] = []

    def flush(name: str = TEXT) -> None:
        content = "\n".join(body).strip("\n")
        if title is None and not content.strip():
            return
        blocks = [Markdown(text=content)] if content.strip() else []
        doc.add(name, blocks, title=title, level=level,
                market=name != REFERENCES and _cites_market(f"{title or ''}\n{content}"))

    lines = text.splitlines()
    fenced = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fenced = not fenced  # nothing inside a code block is a heading
        elif not fenced and (ref := _reference_title(line)) and (end := _reference_end(lines, i)):
            flush()
            (level, title), body = ref, lines[i + 1:end]
            flush(REFERENCES)
            title, level, body = None, 3, []
            i = end
            continue
        elif not fenced and (heading := _HEADING.match(line)):
            flush()
            title, level, body = heading.group(2), len(heading.group(1)), []
            i += 1
            continue
        body.append(line)
        i += 1
    flush()
    return doc


def answer_doc(answer: Answer) -> AnswerDoc:
    """The AnswerDoc every renderer reads: the answer's own, validated.

    Legacy path: an answer stored before the renderers read its AnswerDoc (none, or one of
    version 1 whose citation numbers may differ from the text's) is read from its verified text,
    as a model's answer is.
    """
    return stored_doc(answer.doc) or from_markdown(answer.answer, answer.language)


__all__ = ["TEXT", "answer_doc", "from_markdown"]
