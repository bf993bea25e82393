"""AnswerDoc: an answer as sections of typed blocks, rendered to Markdown at the edges.

Blocks name the Findings (by id) and passages (by citation id) they show, so the coverage
check and the renderers read what an answer measured from the document itself, never from its
prose. Sections written by the older sentence templates travel as `Markdown` blocks until they
are typed too.
"""

from __future__ import annotations

from typing import Annotated, Literal

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


class Section(BaseModel):
    name: str
    title: str | None = None
    blocks: list[Block] = Field(default_factory=list)


class AnswerDoc(BaseModel):
    language: Literal["zh", "en"]
    sections: list[Section] = Field(default_factory=list)

    def add(self, name: str, blocks: list[Block], title: str | None = None) -> Section:
        section = Section(name=name, title=title, blocks=list(blocks))
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
        return next((s for s in self.sections if s.name == name), None)


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
    parts = [f"### {section.title}"] if section.title else []
    parts += [block_markdown(b, language) for b in section.blocks]
    text = "\n\n".join(p for p in parts if p)
    return text + "\n\n" if text else ""


def to_markdown(doc: AnswerDoc) -> str:
    """The whole document as Markdown (what the CLI prints and verification reads)."""
    return "".join(section_markdown(s, doc.language) for s in doc.sections)
