"""The chat's per-session question queue against the real service (offline analyst, real prices),
and how an answer whose market data failed is shown."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.answer import AnswerEvent, StepEvent
from assistant.service import ResearchService
from assistant.settings import Settings
from ui.components.chat_queue import ChatQueue

QUESTIONS = ["How did the Russell 2000 do versus the S&P 500 from 2025-09-01 to 2026-01-31?",
             "只看最近一个月呢?", "和纳斯达克100比呢?"]


@pytest.fixture
def service(tmp_path: Path, market_data_dir: Path) -> ResearchService:
    settings = Settings(_env_file=None, finsight_home=tmp_path, finsight_market_data_dir=market_data_dir,
                        finsight_market_providers="csv", finsight_demo_pack=False, openai_api_key=None,
                        openai_base_url=None)
    return ResearchService(settings)


def wait_idle(chat: ChatQueue, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while chat.busy():
        assert time.monotonic() < deadline, "the queue did not finish"
        time.sleep(0.05)


def market_args(answer) -> dict:
    (call,) = [c for c in answer.tool_calls if c.name == "market_metrics"]
    return call.args


def test_questions_sent_at_once_are_answered_in_order_with_context(service: ResearchService,
                                                                  market_data_dir: Path) -> None:
    chat = ChatQueue(service)
    thread = service.history.create_thread(title=QUESTIONS[0][:60])
    jobs = [chat.submit(q, thread, "") for q in QUESTIONS]
    assert [j.state for j in jobs[1:]] == ["queued", "queued"]  # the first is taken, the rest wait
    wait_idle(chat)
    turns = service.history.turns(thread)
    assert [t.question for t in turns] == QUESTIONS
    assert [j.state for j in jobs] == ["done"] * 3 and [j.answer.question for j in jobs] == QUESTIONS
    first, second, third = (market_args(t) for t in turns)
    assert first["symbols"] == ["RUT", "SPX"]
    # "the last month" keeps the pair and means the latest month of the data (not of the first window)
    last_day = (market_data_dir / "RUT.csv").read_text().strip().splitlines()[-1].split(",")[0]
    assert second["symbols"] == ["RUT", "SPX"] and second["end"] == last_day
    assert date.fromisoformat(second["end"]) - date.fromisoformat(second["start"]) <= timedelta(days=31)
    assert third["symbols"][0] == "RUT" and "NDX" in third["symbols"] and third["start"] == second["start"]
    assert [t.title for t in service.history.threads()] == [QUESTIONS[0][:60]]
    # Each job knows it is in the store once the store holds more turns than when it started.
    assert [j.stored_in(len(turns)) for j in jobs] == [True, True, True]
    assert not jobs[2].stored_in(2)


def test_a_late_watcher_sees_every_event_from_the_start(service: ResearchService) -> None:
    chat = ChatQueue(service)
    thread = service.history.create_thread(title="t")
    job = chat.submit(QUESTIONS[0], thread, "")
    live = list(chat.follow(job))  # watches while it runs
    replay = list(chat.follow(job))  # a rerun after the answer is done
    assert live == replay and isinstance(live[-1], AnswerEvent)
    assert any(isinstance(e, StepEvent) for e in live)
    chat.forget(job)
    assert chat.jobs(thread, "") == []


def test_a_failed_question_does_not_stop_the_ones_after_it(service: ResearchService) -> None:
    chat = ChatQueue(service)
    theirs = service.history.create_thread(title="bob's", owner="bob")
    mine = service.history.create_thread(title="mine", owner="alice")
    refused = chat.submit(QUESTIONS[0], theirs, "alice")  # not alice's thread: refused
    answered = chat.submit(QUESTIONS[0], mine, "alice")
    wait_idle(chat)
    assert refused.state == "failed" and "another user" in refused.error and "\n" not in refused.error
    assert answered.state == "done" and [t.question for t in service.history.turns(mine, owner="alice")] == [QUESTIONS[0]]


def _render(answer_json: str, lang: str) -> None:
    import streamlit as st

    from assistant.answer import Answer
    from ui.components.answer_view import render_answer

    st.session_state["ui_lang"] = lang
    render_answer(Answer.model_validate_json(answer_json), key="a", followups=True, on_followup=lambda q: None)


def _answer(**changes):
    from assistant.answer import Answer, ToolCall

    failed = ToolCall(name="market_metrics", args={"symbols": ["TSLA"]}, ok=False, cause="no_network", symbol="TSLA",
                      error="Could not download TSLA from Yahoo Finance (no network): check the network.")
    base = dict(question="TSLA 今年表现如何?", mode="offline", language="zh", answer="无法获取行情数据。",
                tool_calls=[failed], followups=["TSLA 的波动率呢?"])
    return Answer(**{**base, **changes})


@pytest.mark.parametrize("lang, words", [("zh", "无法连接在线行情"), ("en", "live market data is unreachable")])
def test_failed_market_data_shows_a_warning_and_no_followups(lang: str, words: str) -> None:
    at = AppTest.from_function(_render, args=(_answer().model_dump_json(), lang))
    at.run()
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert words in warning.value and "TSLA" in warning.value and "FINSIGHT_MARKET_DATA_DIR" in warning.value
    assert not any("green-badge" in m.value for m in at.markdown)
    assert not any(b.label == "TSLA 的波动率呢?" for b in at.button)


def test_an_answer_whose_data_loaded_keeps_its_badge_and_followups() -> None:
    from assistant.answer import ToolCall

    ok = _answer(tool_calls=[ToolCall(name="market_metrics", args={"symbols": ["RUT"]})])
    at = AppTest.from_function(_render, args=(ok.model_dump_json(), "zh"))
    at.run()
    assert not at.exception, at.exception
    assert not at.warning and any("green-badge" in m.value for m in at.markdown)
    assert any(b.label == "TSLA 的波动率呢?" for b in at.button)
