"""A process killed in the middle of an answer loses that answer and nothing else.

A subprocess answers two questions in one thread through ResearchService (offline mode, real
CSVs, real SQLite), then starts a third whose market data never arrives: a price provider
plugged in through `PROVIDER_FACTORIES` (the documented extension point) blocks on NDX. The
test SIGKILLs it there and, from this process, checks that the thread holds exactly the two
finished turns, the database is intact, and the thread still answers.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from assistant.service import ResearchService
from assistant.settings import Settings
from tests.conftest import csv_closes, series_return

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 8, 23)
START, END = "2025-09-01", "2026-01-30"
QUESTIONS = [
    f"How did the Russell 2000 perform from {START} to {END}?",
    f"How did the S&P 500 perform from {START} to {END}?",
    f"How did the Nasdaq-100 perform from {START} to {END}?",  # the provider blocks on NDX
]

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from datetime import date
    import knowledge.market.service as market_service
    from assistant.answer import StepEvent
    from assistant.service import ResearchService

    class StallingProvider:
        # Answers nothing ("not mine") except NDX, where it hangs like a dead network share.
        name = "stall"

        def fetch(self, symbol):
            if symbol == "NDX":
                print(json.dumps({"stalled": symbol}), flush=True)
                time.sleep(600)
            return None

    market_service.PROVIDER_FACTORIES["stall"] = lambda csv_dir, cache_dir: StallingProvider()
    service = ResearchService(today=date(2026, 8, 23))
    thread_id = None
    for question in json.loads(sys.argv[1]):
        for event in service.ask_stream(question, thread_id=thread_id):
            if isinstance(event, StepEvent):
                continue
            answer = getattr(event, "answer", None)
            if answer is not None:
                thread_id = answer.thread_id
                print(json.dumps({"thread": thread_id, "answer": answer.answer}), flush=True)
    """
)


def _window_return_pct(csv: Path, start: str, end: str) -> float:
    return round(series_return(csv_closes(csv), start, end) * 100, 2)


def test_sigkill_mid_answer_keeps_the_finished_turns_and_the_thread_works(tmp_path: Path, market_data_dir: Path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FINSIGHT_"))}
    env.update(
        FINSIGHT_HOME=str(home), FINSIGHT_MARKET_DATA_DIR=str(market_data_dir),
        FINSIGHT_MARKET_PROVIDERS="stall,csv", FINSIGHT_DEMO_PACK="false",
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(QUESTIONS)], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    finished: list[dict] = []
    try:
        for line in proc.stdout:
            message = json.loads(line)
            if "stalled" in message:
                break
            finished.append(message)
        else:
            pytest.fail(f"the child never reached the third answer: {proc.stderr.read()[-2000:]}")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert len(finished) == 2 and finished[0]["thread"] == finished[1]["thread"]
    thread_id = finished[0]["thread"]

    history = home / "history.sqlite3"
    with sqlite3.connect(history) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    settings = Settings(
        finsight_home=home, finsight_market_data_dir=market_data_dir, finsight_market_providers="csv",
        finsight_demo_pack=False, openai_api_key=None, openai_base_url=None, finsight_chroma_url=None,
    )
    service = ResearchService(settings, today=TODAY)
    turns = service.history.turns(thread_id)
    assert [t.question for t in turns] == QUESTIONS[:2]  # the killed answer is simply absent
    assert [t.answer for t in turns] == [m["answer"] for m in finished]
    assert [t.turns for t in service.history.threads()] == [2]

    again = service.ask(QUESTIONS[2], thread_id=thread_id)
    expected = _window_return_pct(market_data_dir / "NDX.csv", START, END)
    assert again.thread_id == thread_id
    assert any(f.grounded and f.source_id == 0 and f.value == pytest.approx(expected, abs=0.006) for f in again.figures), (
        expected, again.figures)
    assert [t.question for t in service.history.turns(thread_id)] == QUESTIONS
