"""Provider faults end to end: a down, slow or garbage-returning price source gives a one-line
reason and an answer without figures, and the same conversation answers once the source is back.

yfinance is replaced at `yfinance.download` (the network edge, never called for real); CSV faults
are real files. Expected figures come straight from the shared CSVs with pandas.
"""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yfinance

import knowledge.market.yahoo as yahoo
from assistant.service import ResearchService
from assistant.settings import Settings
from tests.conftest import csv_closes, series_return

TODAY = date(2026, 8, 23)
START, END = "2025-09-01", "2026-01-30"
QUESTION = f"How did the Russell 2000 perform from {START} to {END}?"
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*%")


def _service(home: Path, providers: str, csv_dir: Path | None = None) -> ResearchService:
    settings = Settings(
        finsight_home=home, finsight_market_data_dir=csv_dir, finsight_market_providers=providers,
        finsight_demo_pack=False, openai_api_key=None, openai_base_url=None, finsight_chroma_url=None,
    )
    return ResearchService(settings, today=TODAY)


def _real_frame(market_data_dir: Path, symbol: str = "RUT") -> pd.DataFrame:
    """The shared CSV shaped like yfinance.download(..., multi_level_index=False) output."""
    frame = pd.read_csv(market_data_dir / f"{symbol}.csv", parse_dates=["date"]).set_index("date")
    frame.index.name = "Date"
    return frame.rename(columns=str.capitalize)


def _expected_return_pct(market_data_dir: Path) -> float:
    return round(series_return(csv_closes(market_data_dir / "RUT.csv"), START, END) * 100, 2)


def _assert_no_figures(answer, must_mention: str) -> None:
    """A failed market tool: one-line structured error, said in the answer, and no number invented."""
    (market_call,) = [c for c in answer.tool_calls if c.name == "market_metrics"]
    assert not market_call.ok and "\n" not in market_call.error
    assert must_mention in market_call.error, market_call.error
    assert "Traceback" not in answer.answer
    assert ("Could not get market data: " + market_call.error) in answer.answer
    assert answer.market == [] and answer.figures == []
    assert not _PERCENT.search(answer.answer), answer.answer


def _assert_recovered(service: ResearchService, thread_id: str, market_data_dir: Path) -> None:
    """The same thread answers with the right figure once the provider is healthy, and keeps both turns."""
    again = service.ask(QUESTION, thread_id=thread_id)
    expected = _expected_return_pct(market_data_dir)
    assert any(f.grounded and f.source_id == 0 and f.value == pytest.approx(expected, abs=0.006)
               for f in again.figures), (expected, again.figures)
    turns = service.history.turns(thread_id)
    assert [t.question for t in turns] == [QUESTION, QUESTION]
    assert turns[0].figures == [] and turns[1].figures


class FakeDownload:
    """Stands in for yfinance.download: a fault first, the real data once `healthy` is set."""

    def __init__(self, fault, market_data_dir: Path) -> None:
        self.fault = fault
        self.good = _real_frame(market_data_dir)
        self.healthy = False
        self.kwargs: list[dict] = []

    def __call__(self, ticker: str, **kwargs):
        self.kwargs.append(kwargs)
        if self.healthy:
            return self.good.copy()
        return self.fault(kwargs)


def _raise(exc: Exception):
    def fault(_kwargs):
        raise exc
    return fault


def _garbage_closes(_kwargs) -> pd.DataFrame:
    idx = pd.bdate_range("2025-08-01", periods=120, name="Date")
    closes = np.where(np.arange(120) == 60, "n/a", "2100.5").astype(object)
    return pd.DataFrame({"Open": 2100.0, "High": 2101.0, "Low": 2099.0, "Close": closes, "Volume": 1.0}, index=idx)


def _no_close_column(_kwargs) -> pd.DataFrame:
    idx = pd.bdate_range("2025-08-01", periods=120, name="Date")
    return pd.DataFrame({"Price": np.linspace(1, 2, 120)}, index=idx)


@pytest.mark.parametrize(
    "fault, mention",
    [
        (_raise(ConnectionError("Failed to establish a new connection")), "check the network"),
        (lambda _kwargs: pd.DataFrame(), "Yahoo Finance returned nothing"),  # how yfinance reports a failed download
        (_garbage_closes, "non-numeric close"),
        (_no_close_column, "no 'close' column"),
    ],
    ids=["raises", "empty-frame", "non-numeric-closes", "no-close-column"],
)
def test_yfinance_fault_gives_a_clear_error_and_the_thread_recovers(
    tmp_path, monkeypatch, market_data_dir, fault, mention
):
    fake = FakeDownload(fault, market_data_dir)
    monkeypatch.setattr(yfinance, "download", fake)
    service = _service(tmp_path, "yfinance")
    failed = service.ask(QUESTION)
    _assert_no_figures(failed, mention)
    cache = tmp_path / "market-cache"
    assert not cache.exists() or not any(cache.iterdir())  # garbage is never cached
    fake.healthy = True
    _assert_recovered(service, failed.thread_id, market_data_dir)


def test_a_hung_yahoo_times_out_instead_of_hanging_the_answer(tmp_path, monkeypatch, market_data_dir):
    def hang_until_timeout(kwargs):
        # Real yfinance gives up after `timeout` seconds and returns an empty frame; with no
        # timeout it would wait on the socket, which this fake stretches to 30 s.
        time.sleep(kwargs.get("timeout") or 30)
        return pd.DataFrame()

    monkeypatch.setattr(yahoo, "DOWNLOAD_TIMEOUT_S", 0.3)
    fake = FakeDownload(hang_until_timeout, market_data_dir)
    monkeypatch.setattr(yfinance, "download", fake)
    service = _service(tmp_path, "yfinance")
    started = time.perf_counter()
    failed = service.ask(QUESTION)
    assert time.perf_counter() - started < 5
    assert fake.kwargs[0]["timeout"] == 0.3
    _assert_no_figures(failed, "Yahoo Finance returned nothing")
    fake.healthy = True
    _assert_recovered(service, failed.thread_id, market_data_dir)


@pytest.mark.parametrize(
    "content, mention",
    [
        ("date,open,high,low,close,volume\n2025-09-02,1,1,1,abc,1\n", "non-numeric close"),
        ("date,open,high,low,close,volume\n02/09/2025,1,1,1,2300,1\n", "not YYYY-MM-DD"),
        ("when;price\n2025-09-02;2300\n", "no 'date' column"),
        (b"\xff\xfe\x00garbage\x00\x81".decode("latin-1"), "Cannot read"),
    ],
    ids=["non-numeric-close", "bad-date", "wrong-header", "binary"],
)
def test_malformed_csv_gives_a_clear_error_and_the_thread_recovers(tmp_path, market_data_dir, content, mention):
    folder = tmp_path / "prices"
    folder.mkdir()
    broken = folder / "RUT.csv"
    broken.write_text(content, encoding="latin-1")
    service = _service(tmp_path / "home", "csv", folder)
    failed = service.ask(QUESTION)
    _assert_no_figures(failed, mention)
    assert str(broken) in failed.tool_calls[0].error or "RUT.csv" in failed.tool_calls[0].error
    broken.write_bytes((market_data_dir / "RUT.csv").read_bytes())  # the user fixes the file
    _assert_recovered(service, failed.thread_id, market_data_dir)


def test_chinese_question_gets_the_error_in_chinese(tmp_path, monkeypatch, market_data_dir):
    monkeypatch.setattr(yfinance, "download", FakeDownload(_raise(TimeoutError("read timed out")), market_data_dir))
    service = _service(tmp_path, "yfinance")
    answer = service.ask(f"罗素2000在{START}至{END}期间涨了多少?")
    assert answer.language == "zh" and "无法获取行情数据" in answer.answer
    assert answer.figures == [] and not _PERCENT.search(answer.answer)
