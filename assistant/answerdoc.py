"""AnswerDoc: an answer as sections of typed blocks, rendered to Markdown at the edges.

Blocks name the Findings (by id) and passages (by citation id) they show, so the coverage
check and the renderers read what an answer measured from the document itself, never from its
prose. Sections written by the older sentence templates travel as `Markdown` blocks until they
are typed too; so does an LLM answer, read once into sections (`assistant.answerdoc_parse`).

Every renderer (chat bubble, Markdown and PDF exports, CLI) reads the document: `doc_parts`
gives the sections before and after the charts, without the section named `REFERENCES` (the
renderers list the references from the citation registry instead).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field


class Paragraph(BaseModel):
    kind: Literal["paragraph"] = "paragraph"
    text: str
    findings: list[str] = Field(default_factory=list)
    cites: list[int] = Field(default_factory=list)
    emphasis: Literal["none", "note", "lead"] = "none"  # note: an italic aside; lead: the direct answer


class Bullets(BaseModel):
    kind: Literal["bullets"] = "bullets"
    items: list[Paragraph]


class Table(BaseModel):
    kind: Literal["table"] = "table"
    header: list[str]
    rows: list[list[str]]
    findings: list[str] = Field(default_factory=list)


class Quote(BaseModel):
    kind: Literal["quote"] = "quote"
    text: str
    cite: int
    publisher: str = ""
    date: str | None = None
    demo: bool = False


class Markdown(BaseModel):
    """A section written by a sentence template, not yet typed block by block."""

    kind: Literal["markdown"] = "markdown"
    text: str
    findings: list[str] = Field(default_factory=list)


Block = Annotated[Paragraph | Bullets | Table | Quote | Markdown, Field(discriminator="kind")]


# The section a renderer never shows as text: the answer's own reference list. Renderers list
# the references from the citation registry (with passages and links) in its place.
REFERENCES = "references"

# The document's layout. Docs stored before version 2 (no `version` key) name no references
# section, mark no market sections and keep the citation numbers of before verification.
DOC_VERSION = 2


class Section(BaseModel):
    """A named run of blocks, with an optional heading of its own."""

    name: str
    title: str | None = None
    level: int = Field(3, ge=1, le=6, description="the heading level of `title` (### by default)")
    # True when the section shows market figures (cites [0]): the charts go after the answer's
    # opening run of such sections, next to the numbers they picture.
    market: bool = False
    blocks: list[Block] = Field(default_factory=list)


class AnswerDoc(BaseModel):
    """An answer as named sections of typed blocks, in reading order."""

    version: int = DOC_VERSION
    language: Literal["zh", "en"]
    sections: list[Section] = Field(default_factory=list)

    def add(self, name: str, blocks: list[Block], title: str | None = None, *, market: bool = False,
            level: int = 3) -> Section:
        """Append a section and return it."""
        section = Section(name=name, title=title, level=level, market=market, blocks=list(blocks))
        self.sections.append(section)
        return section

    def findings_used(self) -> set[str]:
        """Ids of every Finding a block shows."""
        used: set[str] = set()
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Bullets):
                    for item in block.items:
                        used.update(item.findings)
                elif isinstance(block, Paragraph | Table | Markdown):
                    used.update(block.findings)
        return used

    def section(self, name: str) -> Section | None:
        """The first section called `name`, or None."""
        return next((s for s in self.sections if s.name == name), None)


def stored_doc(data: dict[str, Any] | None) -> AnswerDoc | None:
    """The AnswerDoc of a stored answer (`Answer.doc`), or None when it has none or one written
    before the renderers read it (version 1: its citation numbers may not be the text's)."""
    if not data or int(data.get("version") or 1) < DOC_VERSION:
        return None
    return AnswerDoc.model_validate(data)


def doc_parts(doc: AnswerDoc) -> tuple[list[Section], list[Section]]:
    """(head, tail): the sections before and after the charts, the references section left out.

    The charts go after the opening run of market sections, where a reader meets the
    performance and relative-strength figures; without any market section, at the end.
    """
    shown = [s for s in doc.sections if s.name != REFERENCES]
    seen_market = False
    for i, section in enumerate(shown):
        if section.market:
            seen_market = True
        elif seen_market:
            return shown[:i], shown[i:]
    return shown, []


def _rewrite_paragraph(p: Paragraph, text: Callable[[str], str], cite: Callable[[int], int | None]) -> Paragraph:
    cites = [c for c in (cite(i) for i in p.cites) if c is not None]
    return p.model_copy(update={"text": text(p.text), "cites": cites})


def _rewrite_block(block: Block, text: Callable[[str], str], cite: Callable[[int], int | None]) -> Block:
    if isinstance(block, Paragraph):
        return _rewrite_paragraph(block, text, cite)
    if isinstance(block, Bullets):
        items = [_rewrite_paragraph(item, text, cite) for item in block.items]
        # An item left empty (a reference line whose id was removed) goes, as its line does.
        return block.model_copy(update={"items": [item for item in items if item.text.strip()]})
    if isinstance(block, Table):
        return block.model_copy(update={"header": [text(c) for c in block.header],
                                        "rows": [[text(c) for c in row] for row in block.rows]})
    if isinstance(block, Quote):
        new = cite(block.cite)  # a quote always cites a registered passage; an unknown id stays
        return block.model_copy(update={"text": text(block.text), "cite": block.cite if new is None else new})
    return block.model_copy(update={"text": text(block.text)})


def rewrite(doc: AnswerDoc, text: Callable[[str], str],
            cite: Callable[[int], int | None] = lambda i: i) -> AnswerDoc:
    """A copy of `doc` with every piece of text passed through `text` and every cited id (the
    `cites` and `cite` fields) through `cite`, None dropping it.

    How verification strips and renumbers citations in the document exactly as in its Markdown.
    """
    sections = [
        s.model_copy(update={"title": text(s.title) if s.title else s.title,
                             "blocks": [_rewrite_block(b, text, cite) for b in s.blocks]})
        for s in doc.sections
    ]
    return doc.model_copy(update={"sections": sections})


def _paragraph(p: Paragraph) -> str:
    if p.emphasis == "note" and not p.text.startswith("_"):
        return f"_{p.text}_"
    return p.text


def block_markdown(block: Block, language: str) -> str:
    """One block as Markdown."""
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_paragraph(item)}" for item in block.items)
    if isinstance(block, Table):
        lines = ["| " + " | ".join(block.header) + " |", "|" + "---|" * len(block.header)]
        lines += ["| " + " | ".join(row) + " |" for row in block.rows]
        return "\n".join(lines)
    if isinstance(block, Quote):
        open_q, close_q = ("“", "”")
        sep = "," if language == "zh" else ", "
        who = f"**{block.publisher}**" + (f"{sep}{block.date}" if block.date else "")
        return f"- {who}: {open_q}{block.text}{close_q}[{block.cite}]"
    return block.text.rstrip("\n")


def section_markdown(section: Section, language: str) -> str:
    """One section as Markdown: its heading, then its blocks, a blank line between each."""
    parts = [f"{'#' * section.level} {section.title}"] if section.title else []
    parts += [block_markdown(b, language) for b in section.blocks]
    text = "\n\n".join(p for p in parts if p)
    return text + "\n\n" if text else ""


def sections_markdown(sections: list[Section], language: str) -> str:
    """Some of a document's sections as Markdown (e.g. one of `doc_parts`)."""
    return "".join(section_markdown(s, language) for s in sections)


def to_markdown(doc: AnswerDoc) -> str:
    """The whole document as Markdown (what verification reads for the document's citation order)."""
    return sections_markdown(doc.sections, doc.language)
