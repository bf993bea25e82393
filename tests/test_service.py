"""ResearchService: question checks, owners, and questions in a third language."""

from __future__ import annotations

import pytest

from assistant.service import (
    MAX_QUESTION_CHARS,
    QuestionError,
    ResearchService,
)
from assistant.settings import Settings


@pytest.fixture
def service(tmp_path, market_data_dir) -> ResearchService:
    settings = Settings(
        _env_file=None, finsight_home=tmp_path, finsight_market_data_dir=market_data_dir,
        finsight_market_providers="csv", finsight_demo_pack=False, openai_api_key=None, openai_base_url=None,
    )
    return ResearchService(settings)


def test_service_refuses_another_users_thread_before_answering(service):
    first = service.ask("How did the S&P 500 do in 2025?", owner="alice")
    with pytest.raises(PermissionError):
        service.ask("And the Nasdaq-100?", thread_id=first.thread_id, owner="bob")
    assert len(service.history.turns(first.thread_id, owner="alice")) == 1


@pytest.mark.parametrize("question", ["", "   ", "x" * (MAX_QUESTION_CHARS + 1)])
def test_empty_or_oversized_questions_are_refused_and_nothing_is_stored(service, question):
    with pytest.raises(QuestionError) as err:
        service.ask(question)
    assert "\n" not in str(err.value)
    assert service.history.threads() == []


def test_a_third_language_gets_a_clear_note(service):
    answer = service.ask("Как индекс Russell 2000 показал себя?")
    assert [n.code for n in answer.note_codes].count("third_language") == 1
    assert any(n.startswith("This question is in neither Chinese nor English") for n in answer.notes)
    assert answer.language == "en"
    english = service.ask("How did the Russell 2000 do?")
    assert "third_language" not in [n.code for n in english.note_codes]


def test_warm_up_loads_the_knowledge_base_ahead_of_the_first_question(tmp_path, market_data_dir):
    settings = Settings(
        _env_file=None, finsight_home=tmp_path, finsight_market_data_dir=market_data_dir,
        finsight_market_providers="csv", finsight_demo_pack=True, openai_api_key=None, openai_base_url=None,
    )
    service = ResearchService(settings)
    assert not service.kb_loaded
    service.warm_up()
    assert service.kb_loaded and service.kb.count() > 0  # the demo pack is in


def test_demo_summaries_are_labelled_as_such_in_the_references(tmp_path, market_data_dir):
    settings = Settings(
        _env_file=None, finsight_home=tmp_path, finsight_market_data_dir=market_data_dir,
        finsight_market_providers="csv", finsight_demo_pack=True, openai_api_key=None, openai_base_url=None,
    )
    service = ResearchService(settings)
    note = tmp_path / "desk.md"
    note.write_text("---\ntitle: Desk view\npublisher: Our desk\n---\n\nMorgan Stanley's small-cap call "
                    "looks early to our desk: small caps need rate cuts first, and small-cap earnings must catch up.\n", encoding="utf-8")
    service.kb.ingest([note])
    answer = service.ask("Can small caps keep beating large caps from Sep 2025 to Jan 2026 if rate cuts come?")
    sources = [c for c in answer.citations if c.kind == "source"]
    assert {c.demo for c in sources} == {True, False}, [(c.publisher, c.demo) for c in sources]
    for c in sources:
        line = next(ln for ln in answer.answer.splitlines() if f"[{c.id}]" in ln and (c.title or "") in ln)
        assert ("demo summary" in line) is c.demo, line
