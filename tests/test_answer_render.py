"""Every renderer reads the AnswerDoc: the chat bubble, the Markdown and PDF exports and the CLI show
the answer without a reference list written into its text (the registry's references replace it),
for an offline answer, an LLM answer (real client, scripted model on 127.0.0.1) and an answer
stored before the AnswerDoc existed. An LLM answer's citations are renumbered in its text and its
document alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from assistant.answer import Answer
from assistant.answerdoc import REFERENCES, AnswerDoc, doc_parts, to_markdown
from assistant.llm.agent import LLMAnalyst
from assistant.llm.prompts import DATA_CLOSE, DATA_OPEN
from assistant.references import citation_line
from assistant.service import ResearchService
from assistant.settings import Settings
from cli.commands import answer_text
from tests.scripted_llm import ScriptedLLM, calls, text
from ui.components.export import answer_markdown
from ui.components.export_pdf import answer_pdf

TODAY = date(2026, 8, 23)
OFFLINE_QUESTION = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)"
LLM_QUESTION = "How did small caps do against large caps from 2025-09-01 to 2026-01-31, and what do sources say?"
INVENTED = "Invented Reference Title"  # only in the model's own reference list


def squeeze(value: str) -> str:
    return "".join(value.split())


def _render(answer_json: str) -> None:
    from assistant.answer import Answer
    from ui.components.answer_view import render_answer

    render_answer(Answer.model_validate_json(answer_json), key="a")


def bubble(answer: Answer) -> str:
    """Every Markdown element the app draws for the answer (text, badges, notes)."""
    at = AppTest.from_function(_render, args=(answer.model_dump_json(),))
    at.run()
    assert not at.exception, at.exception
    return "\n".join(str(m.value) for m in at.markdown)


def pdf(answer: Answer) -> str:
    data = answer_pdf(answer, generated=TODAY)
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


RENDERERS: dict[str, Callable[[Answer], str]] = {
    "chat bubble": bubble, "markdown export": answer_markdown, "pdf export": pdf, "cli": answer_text,
}


@pytest.fixture(scope="module")
def server():
    with ScriptedLLM() as running:
        yield running


@pytest.fixture(scope="module")
def service(warm_home: Path, market_data_dir: Path, server: ScriptedLLM) -> ResearchService:
    settings = Settings(_env_file=None, finsight_home=warm_home, finsight_market_data_dir=market_data_dir,
                        finsight_market_providers="csv", openai_base_url=server.base_url, openai_api_key="test-key",
                        finsight_model="scripted-model", finsight_llm_timeout=10.0, finsight_llm_retries=0)
    return ResearchService(settings, today=TODAY)


@pytest.fixture(scope="module")
def offline_answer(service: ResearchService) -> Answer:
    service.llm = None
    return service.ask(OFFLINE_QUESTION)


@pytest.fixture(scope="module")
def llm_run(service: ResearchService, server: ScriptedLLM) -> tuple[Answer, dict[int, str]]:
    """An LLM answer citing the last passage it was sent before the first, with its own list.

    Returns the answer and the titles of the passages by the ids the tool gave them.
    """
    sent: dict[int, str] = {}

    def write(body: dict):
        for message in body["messages"]:
            if message["role"] == "tool" and '"passages"' in message["content"]:
                passages = json.loads(message["content"])["passages"]
                sent.update({p["cite"]: p["title"].removeprefix(DATA_OPEN).removesuffix(DATA_CLOSE).strip()
                             for p in passages})
        first, last = min(sent), max(sent)
        return text(
            "## Performance\n\nSmall caps beat large caps over the window [0].\n\n"
            f"## What the sources say\n\nOne house calls them cheap [{last}]. Another expects rate cuts [{first}].\n\n"
            f"### References\n\n- [{last}] {INVENTED} A\n- [{first}] {INVENTED} B\n\n_Not investment advice._"
        )

    script = [calls(("market_metrics", {"symbols": ["RUT", "SPX"], "start": "2025-09-01", "end": "2026-01-31"}),
                    ("search_sources", {"query": "small caps outlook rate cuts 2026"})), write]
    server.set_script(script)
    service.llm = LLMAnalyst(service.settings, backoff_base=0.01)
    answer = service.ask(LLM_QUESTION)
    assert not server.errors, server.errors
    return answer, sent


@pytest.fixture
def llm_answer(llm_run: tuple[Answer, dict[int, str]]) -> Answer:
    return llm_run[0]


def stored_before_the_answerdoc() -> Answer:
    """An answer as earlier versions stored it: text with its own reference list, no document."""
    return Answer(question="Small caps?", mode="offline", language="en", answer=(
        "## RUT vs SPX\n\nRUT rose 5.00% [0].\n\n### Catalysts\n\nSmall caps look cheap [1].\n\n"
        f"### References\n\n- [0] Market data\n- [1] {INVENTED}\n\n_Not investment advice._\n"))


# --- the LLM answer: parsed once, renumbered in text and document alike -----------------------


def test_llm_citations_are_renumbered_in_the_text_and_the_document_alike(llm_run) -> None:
    answer, sent = llm_run
    assert answer.mode == "llm" and len(sent) >= 2  # the model cited a later id before an earlier one
    doc = AnswerDoc.model_validate(answer.doc)
    for shown in (answer.answer, to_markdown(doc)):
        assert "One house calls them cheap [1]. Another expects rate cuts [2]." in shown
        assert f"- [1] {INVENTED} A\n- [2] {INVENTED} B" in shown
    titles = {c.id: c.title for c in answer.citations}
    assert titles[1] == sent[max(sent)] and titles[2] == sent[min(sent)]  # the registry followed


def test_llm_answer_is_read_into_sections_with_its_reference_list_named(llm_answer: Answer) -> None:
    assert llm_answer.doc is not None and llm_answer.doc["version"] == 2
    doc = AnswerDoc.model_validate(llm_answer.doc)
    assert [(s.name, s.title, s.market) for s in doc.sections] == [
        ("text", "Performance", True), ("text", "What the sources say", False),
        (REFERENCES, "References", False), ("text", None, False),
    ]
    head, tail = doc_parts(doc)
    assert [s.title for s in head] == ["Performance"] and [s.title for s in tail] == ["What the sources say", None]


# --- no renderer shows a reference list written in the text ------------------------------------


@pytest.mark.parametrize("renderer", RENDERERS)
def test_llm_answer_renders_without_its_own_reference_list(renderer: str, llm_answer: Answer) -> None:
    shown = RENDERERS[renderer](llm_answer)
    assert INVENTED not in shown
    assert "Anotherexpectsratecuts[2]" in squeeze(shown) and "investment advice" in shown


@pytest.mark.parametrize("renderer", RENDERERS)
def test_offline_answer_renders_without_its_own_reference_list(renderer: str, offline_answer: Answer) -> None:
    doc = AnswerDoc.model_validate(offline_answer.doc)
    assert to_markdown(doc).strip() == offline_answer.answer.strip()  # the document is the text
    written = doc.section(REFERENCES).blocks[0].text.splitlines()
    entries = [squeeze(re.sub(r"^-\s*(\[\d+\])+\s*", "", line))[:20] for line in written if line.startswith("-")]
    assert len(entries) >= 2
    shown = squeeze(RENDERERS[renderer](offline_answer))
    for entry in entries:
        assert entry not in shown, entry
    assert "行情表现" in shown and "不构成投资建议" in shown  # the body and the disclaimer after the list


@pytest.mark.parametrize("renderer", ["markdown export", "pdf export", "cli"])
def test_exports_list_the_registry_references_instead(renderer: str, llm_answer: Answer) -> None:
    shown = squeeze(RENDERERS[renderer](llm_answer))
    for c in llm_answer.citations:
        assert squeeze(citation_line(c.model_copy(update={"url": None}), "en"))[:30] in shown, c.id


@pytest.mark.parametrize("renderer", RENDERERS)
def test_an_answer_stored_without_a_document_still_renders(renderer: str) -> None:
    shown = RENDERERS[renderer](stored_before_the_answerdoc())
    assert INVENTED not in shown
    assert "Smallcapslookcheap[1]" in squeeze(shown) and "investment advice" in shown
