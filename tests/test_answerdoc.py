"""The AnswerDoc seam (pure): the one parse of a model's Markdown, the parts renderers lay out
around the charts, and verification keeping the document's citations the text's."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.answerdoc import (
    REFERENCES,
    AnswerDoc,
    Bullets,
    Markdown,
    Paragraph,
    Quote,
    Table,
    doc_parts,
    sections_markdown,
    stored_doc,
    to_markdown,
)
from assistant.answerdoc_parse import answer_doc, from_markdown
from assistant.grounding.citations import CitationRegistry
from assistant.grounding.renumber import renumber_doc
from assistant.grounding.verification import verify_answer
from knowledge import Passage

MODEL_TEXT = """Small caps led the window.

## 结论
罗素2000上涨 5.00% ［0］。

### 催化剂
大摩认为小盘股被低估 [3]，路透社提到降息 [1]。

```
# a comment in code, not a heading
```

### 参考资料

- [3] Morgan Stanley, Outlook, 2025-12
- [1] Reuters, Rates, 2026-01
  (continued on a second line)

_免责声明:不构成投资建议。_
"""


def _passage(n: int, text: str) -> Passage:
    return Passage(chunk_id=f"c{n}", source_id=f"s{n}", text=text, title=f"Doc {n}", publisher="Pub")


class _Report:
    """A metrics report with nothing in it: enough for the registry to hand out [0]."""

    def to_json_dict(self, include_chart: bool = False) -> dict:
        return {"symbols": ["RUT"], "series": {}, "pairs": {}}


def _registry(passages: int, market: bool = False) -> CitationRegistry:
    registry = CitationRegistry()
    for n in range(1, passages + 1):
        registry.add_passage(_passage(n, f"Passage {n}."))
    if market:
        registry.add_market_report(_Report())
    return registry


# --- the one parse --------------------------------------------------------------------------


def test_model_text_is_cut_at_headings_with_its_reference_list_named() -> None:
    doc = from_markdown(MODEL_TEXT, "zh")
    assert [(s.name, s.title, s.level) for s in doc.sections] == [
        ("text", None, 3), ("text", "结论", 2), ("text", "催化剂", 3), (REFERENCES, "参考资料", 3), ("text", None, 3),
    ]
    refs = doc.section(REFERENCES)
    assert refs is not None and refs.blocks[0].text.splitlines()[0] == "- [3] Morgan Stanley, Outlook, 2025-12"
    assert "(continued on a second line)" in refs.blocks[0].text
    # A code block's '#' line stays in its section; the disclaimer after the list is its own.
    assert "# a comment in code" in doc.sections[2].blocks[0].text
    assert doc.sections[-1].blocks[0].text == "_免责声明:不构成投资建议。_"
    # A section citing the market data (a look-alike bracket included) is a market section.
    assert [s.market for s in doc.sections] == [False, True, False, False, False]


def test_reading_the_text_keeps_all_of_it() -> None:
    rendered = to_markdown(from_markdown(MODEL_TEXT, "zh"))
    assert "".join(rendered.split()) == "".join(MODEL_TEXT.split())


def test_reference_lists_are_recognised_in_the_forms_models_write_them() -> None:
    for heading in ("## References", "**References**", "Sources:", "#### 资料来源:", "**参考文献:**"):
        doc = from_markdown(f"RUT rose [0].\n\n{heading}\n1. [0] Market data\n2. [1] Pub, Doc", "en")
        assert [s.name for s in doc.sections] == ["text", REFERENCES], heading
    # A heading that says 'Sources' over prose, or a sentence naming sources, is not a list.
    for text in ("## Sources\n\nThe figures come from the market data [0].",
                 "Sources\n[1] say small caps are cheap."):
        assert doc_parts(from_markdown(text, "en"))[0], text
        assert from_markdown(text, "en").section(REFERENCES) is None, text


def test_charts_go_after_the_opening_run_of_market_sections() -> None:
    head, tail = doc_parts(from_markdown(MODEL_TEXT, "zh"))
    assert [s.title for s in head] == [None, "结论"]
    assert [s.title for s in tail] == ["催化剂", None]  # the references section is in neither
    doc = AnswerDoc(language="en")
    doc.add("quotes", [Markdown(text="What the sources say [1].")])
    assert doc_parts(doc) == (doc.sections, [])  # no market section: the charts go at the end


# --- verification keeps the document true ----------------------------------------------------


def test_renumbering_applies_to_the_document_and_the_text_alike() -> None:
    registry = _registry(3, market=True)
    doc = from_markdown(MODEL_TEXT, "zh")
    checked = verify_answer(MODEL_TEXT, registry, doc=doc)
    assert checked.doc is not None
    assert "大摩认为小盘股被低估 [1]，路透社提到降息 [2]" in checked.text
    assert "大摩认为小盘股被低估 [1]，路透社提到降息 [2]" in to_markdown(checked.doc)
    assert "罗素2000上涨 5.00% [0]" in to_markdown(checked.doc)  # the look-alike normalised there too
    refs = checked.doc.section(REFERENCES).blocks[0].text.splitlines()
    assert refs[0].startswith("- [1] Morgan Stanley") and refs[1].startswith("- [2] Reuters")
    assert "".join(to_markdown(checked.doc).split()) == "".join(checked.text.split())
    assert [registry.passage(i).chunk_id for i in (1, 2, 3)] == ["c3", "c1", "c2"]


def test_dangling_citations_leave_the_document_as_they_leave_the_text() -> None:
    registry = _registry(1)
    text = "Cheap [1]. Made up [7].\n\n## References\n\n- [1] Pub, Doc 1\n- [7] Invented source\n"
    checked = verify_answer(text, registry, doc=from_markdown(text, "en"))
    assert checked.dangling == [7]
    rendered = to_markdown(checked.doc)
    assert "[7]" not in rendered and "Invented source" not in rendered
    assert "".join(rendered.split()) == "".join(checked.text.split())


def test_typed_blocks_are_renumbered_field_by_field() -> None:
    doc = AnswerDoc(language="en")
    doc.add("answer", [Paragraph(text="A [3] and B [0].", cites=[3, 0]),
                       Bullets(items=[Paragraph(text="C [1].", cites=[1])]),
                       Table(header=["x [3]"], rows=[["y [1]"]]),
                       Quote(text="quoted", cite=3, publisher="Pub")], title="Heading [3]")
    moved = renumber_doc(doc, {0: 0, 3: 1, 1: 2})
    paragraph, bullets, table, quote = moved.sections[0].blocks
    assert (paragraph.text, paragraph.cites) == ("A [1] and B [0].", [1, 0])
    assert (bullets.items[0].text, bullets.items[0].cites) == ("C [2].", [2])
    assert (table.header, table.rows) == (["x [1]"], [["y [2]"]])
    assert quote.cite == 1 and moved.sections[0].title == "Heading [1]"
    assert doc.sections[0].blocks[0].cites == [3, 0]  # the original is left as it was


# --- stored answers ----------------------------------------------------------------------------


def test_a_stored_answer_without_a_document_is_read_from_its_text() -> None:
    old = Answer(question="q", mode="offline", language="zh", answer=MODEL_TEXT)
    head, tail = doc_parts(answer_doc(old))
    shown = sections_markdown(head + tail, "zh")
    assert "罗素2000上涨" in shown and "免责声明" in shown
    assert "Morgan Stanley, Outlook" not in shown and "参考资料" not in shown


def test_a_document_stored_before_version_2_is_not_trusted() -> None:
    current = from_markdown("RUT rose [0].", "en")
    assert stored_doc(current.model_dump(mode="json")) == current
    old = current.model_dump(mode="json")
    del old["version"]  # as the first AnswerDoc was stored: numbers from before verification
    assert stored_doc(old) is None and stored_doc(None) is None
    answer = Answer(question="q", mode="offline", language="en", answer="RUT rose [0].\n", doc=old)
    assert answer_doc(answer).sections[0].market  # read from the verified text instead
