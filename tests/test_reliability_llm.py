"""After the LLM endpoint fails and the offline analyst answers, the conversation goes on.

Real langchain/openai client over real HTTP to the scripted model on 127.0.0.1 (the retry and
fallback mechanics themselves are covered in test_agent_llm.py); here the second turn of the same
thread must reach the model with the first (fallback) turn in its history, and both turns persist.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.llm.agent import LLMAnalyst
from assistant.service import ResearchService
from assistant.settings import Settings
from tests.conftest import csv_closes, series_return
from tests.scripted_llm import ScriptedLLM, call, cut, status, text

TODAY = date(2026, 8, 23)
START, END = "2025-09-01", "2026-01-30"
FIRST = f"How did the Russell 2000 perform from {START} to {END}?"
SECOND = "And the S&P 500 over the same window?"


def _return_pct(csv: Path) -> float:
    return round(series_return(csv_closes(csv), START, END) * 100, 2)


@pytest.mark.parametrize("fault", [lambda: status(500), lambda: status(429, retry_after=0), lambda: cut("Small caps")],
                         ids=["500", "429", "cut-mid-stream"])
def test_thread_keeps_working_after_a_fallback_turn(tmp_path, market_data_dir, fault):
    settings = Settings(
        finsight_home=tmp_path, finsight_market_data_dir=market_data_dir, finsight_market_providers="csv",
        finsight_demo_pack=False, finsight_chroma_url=None, openai_api_key="test-key", finsight_model="scripted",
        finsight_llm_timeout=10.0, finsight_llm_retries=1,
    )
    with ScriptedLLM() as server:
        service = ResearchService(settings.model_copy(update={"openai_base_url": server.base_url}), today=TODAY)
        service.llm = LLMAnalyst(service.settings, backoff_base=0.01)

        server.set_script([fault(), fault()])
        first = service.ask(FIRST)
        assert first.mode == "offline" and any("offline" in n for n in first.notes)
        rut = _return_pct(market_data_dir / "RUT.csv")
        assert any(f.grounded and f.value == pytest.approx(rut, abs=0.006) for f in first.figures)

        spx = _return_pct(market_data_dir / "SPX.csv")
        server.set_script([call("market_metrics", symbols=["SPX"], start=START, end=END),
                           text(f"The S&P 500 returned {spx:+.2f}% over the window [0].")])
        second = service.ask(SECOND, thread_id=first.thread_id)
        assert second.mode == "llm" and second.thread_id == first.thread_id
        assert second.figures and all(f.grounded for f in second.figures)
        sent = server.requests[0].messages
        assert [m["role"] for m in sent[:3]] == ["system", "user", "assistant"]
        assert sent[1]["content"] == FIRST and sent[2]["content"].strip()  # the fallback answer is history
        assert [(t.question, t.mode) for t in service.history.turns(first.thread_id)] == [
            (FIRST, "offline"), (SECOND, "llm")]
