"""The live answer: which streamed text survives, and the notes under an answer in its language.

The fold over events is checked on hand-written sequences and on the real event stream of the
service talking to a scripted OpenAI-compatible model on 127.0.0.1 (the only fake: the LLM).
"""

from __future__ import annotations

import json
from functools import reduce
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.answer import Answer, AnswerEvent, Event, StepEvent, TokenEvent
from assistant.notes import note, note_text
from assistant.service import ResearchService
from assistant.settings import Settings
from tests.scripted_llm import Reply, ScriptedLLM, cut, status, text
from tests.test_ui_apptest import APP, TIMEOUT, all_text, ask, ui_env  # noqa: F401 - ui_env is a fixture
from ui.components.live import live_text, step_detail
from ui.components.notes import localise_step, notes_to_show

KEY = "sk-live-test-5c2e"


def shown(events: list[Event]) -> str:
    """The text the live placeholder holds after `events`."""
    return reduce(live_text, events, "")


def tool_step() -> StepEvent:
    return StepEvent(label="market_metrics", detail={"name": "market_metrics", "args": {"symbols": ["RUT"]}})


def test_tokens_accumulate_and_tool_steps_keep_them() -> None:
    assert shown([TokenEvent(text="RUT rose "), tool_step(), TokenEvent(text="5.00% [0].")]) == "RUT rose 5.00% [0]."


def test_preamble_before_tool_calls_is_discarded() -> None:
    events = [TokenEvent(text="Let me look up the numbers."),
              StepEvent(label="calling tools", detail={"discard_partial_text": True}),
              tool_step(), TokenEvent(text="Small caps led [0].")]
    assert shown(events) == "Small caps led [0]."


def test_retry_discards_only_when_text_was_streamed() -> None:
    kept = [TokenEvent(text="Intro. "),
            StepEvent(label="retrying the language model", detail={"attempt": 1, "discard_partial_text": False}),
            TokenEvent(text="Body.")]
    assert shown(kept) == "Intro. Body."
    dropped = [TokenEvent(text="RUT rose 9"),
               StepEvent(label="retrying the language model", detail={"attempt": 1, "discard_partial_text": True}),
               TokenEvent(text="RUT rose 5.00% [0].")]
    assert shown(dropped) == "RUT rose 5.00% [0]."


def test_fallback_to_offline_discards_the_llm_text() -> None:
    events = [TokenEvent(text="The Russell 2000 ro"),
              StepEvent(label="offline analyst (fallback)", detail={"reason": "cut off"}),
              TokenEvent(text="## 罗素2000\n")]
    assert shown(events) == "## 罗素2000\n"


def test_control_keys_are_not_shown_as_step_details() -> None:
    assert step_detail({"discard_partial_text": True}) == ""
    assert step_detail({"attempt": 2, "discard_partial_text": True}) == "attempt=2"


@pytest.fixture(scope="module")
def server():
    with ScriptedLLM() as running:
        yield running


@pytest.fixture(scope="module")
def llm_service(warm_home: Path, market_data_dir: Path, server: ScriptedLLM) -> ResearchService:
    settings = Settings(
        finsight_home=warm_home, finsight_market_data_dir=market_data_dir, finsight_market_providers="csv",
        openai_base_url=server.base_url, openai_api_key=KEY, finsight_model="scripted-model",
        finsight_llm_timeout=10.0, finsight_llm_retries=0,
    )
    return ResearchService(settings)


def run(service: ResearchService, question: str) -> tuple[list[Event], AnswerEvent]:
    events = list(service.ask_stream(question))
    assert isinstance(events[-1], AnswerEvent)
    return events[:-1], events[-1]


def test_real_stream_with_a_preamble_ends_with_the_answer_only(llm_service: ResearchService, server: ScriptedLLM) -> None:
    preamble = "Let me pull the market data first. "
    final = "Over the window the Russell 2000 and the S&P 500 moved as the market data shows [0]."
    args = json.dumps({"symbols": ["RUT", "SPX"], "start": "2025-09-01", "end": "2026-01-31"})
    server.set_script([Reply(content=preamble, tool_calls=[("market_metrics", args)]), text(final)])
    events, done = run(llm_service, "How did small caps do against large caps from Sep 2025 to Jan 2026?")
    assert preamble in "".join(e.text for e in events if isinstance(e, TokenEvent)), "the preamble was streamed"
    assert done.answer.mode == "llm"
    live = shown(events)
    assert preamble.strip() not in live
    assert live.strip() == final


def test_real_stream_cut_then_fallback_shows_only_the_offline_answer(llm_service: ResearchService,
                                                                     server: ScriptedLLM) -> None:
    partial = "The Russell 2000 rose 99.99% over the window, far ahead of"
    server.set_script([cut(partial)])
    events, done = run(llm_service, "罗素2000在2025年表现如何?")
    assert done.answer.mode == "offline"
    live = shown(events)
    assert "99.99" not in live and "far ahead" not in live
    assert live.strip() and live.strip() == done.answer.answer.strip()
    # The service's fallback note is a code the UI writes out in either language.
    fallback = [n for n in done.answer.note_codes if n.code == "llm_unavailable"]
    assert fallback and "离线分析师" in note_text(fallback[0], "zh") and "offline analyst" in note_text(fallback[0], "en")
    assert any("离线分析师" in n for n in done.answer.notes)  # stored in the answer's language (zh) too


def test_note_codes_are_written_out_in_either_language() -> None:
    unavailable = note("llm_unavailable", reason="the endpoint returned HTTP 500")
    assert note_text(unavailable, "zh") == "大模型暂时不可用 (the endpoint returned HTTP 500), 本回答由离线分析师完成。"
    assert note_text(unavailable, "en") == (
        "The language model was unavailable (the endpoint returned HTTP 500); the offline analyst answered instead.")
    assert note_text(note("llm_retries", n=2), "zh") == "大模型调用重试了 2 次。"
    assert note_text(note("no_price_data", names="Apple"), "zh") == "没有 Apple 的行情数据。"
    assert note_text(note("window_after_data", day="2026-08-21"), "zh") == "区间起点晚于数据中的最后一个交易日 (2026-08-21)。"
    # A provider's own message travels as a parameter and is shown as written.
    assert note_text(note("tool_error", error="Provider yfinance is down: try again later."), "zh") == \
        "Provider yfinance is down: try again later."
    assert localise_step("calling tools", "zh") == "调用工具"
    assert localise_step("market_metrics", "zh") == "market_metrics"
    assert localise_step("calling tools", "en") == "calling tools"


def test_notes_the_answer_already_says_are_not_repeated() -> None:
    body = "## 罗素2000\n\n_离线模式:本回答由离线分析器根据工具结果与检索资料生成,未使用大语言模型。_\n"
    answer = Answer(question="q", mode="offline", language="zh", answer=body,
                    note_codes=[note("offline"), note("llm_retry"), note("llm_retry")])
    assert notes_to_show(answer, "zh") == ["大模型调用重试了 1 次。"]
    assert notes_to_show(answer, "en")[0].startswith("Offline mode")  # the English UI reads it in English
    # An answer stored before notes had codes shows its notes as written.
    old = Answer(question="q", mode="offline", language="en", answer="body", notes=["A note from before."])
    assert notes_to_show(old, "zh") == ["A note from before."]


def test_fallback_note_is_shown_in_chinese_under_a_chinese_answer(ui_env: Path, server: ScriptedLLM,  # noqa: F811
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("FINSIGHT_MODEL", "scripted-model")
    monkeypatch.setenv("FINSIGHT_LLM_RETRIES", "0")
    server.set_script([status(500)])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    ask(at, "标普500在2025年表现如何?")
    page = all_text(at)
    assert "大模型暂时不可用" in page and "本回答由离线分析师完成" in page
    assert "the offline analyst answered instead" not in page
    assert KEY not in page
