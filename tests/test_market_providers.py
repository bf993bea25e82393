"""Providers and caches: yfinance is faked at its download function (the network edge), never called."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yfinance

from knowledge.market import (
    MarketData,
    NoDataError,
    PriceProvider,
    ProviderError,
    YahooProvider,
    format_report,
)
from knowledge.market.csv_folder import CsvFolderProvider

DATA = Path(os.environ.get("FINSIGHT_MARKET_DATA_DIR") or Path(__file__).resolve().parents[1].parent / "shared" / "market-data")


def yahoo_frame(n: int = 30, seed: int = 1) -> pd.DataFrame:
    """Shaped like yfinance.download(..., multi_level_index=False) output."""
    idx = pd.DatetimeIndex(pd.bdate_range("2025-01-02", periods=n), name="Date")
    close = 100 * np.cumprod(1 + np.random.default_rng(seed).normal(0, 0.01, n))
    return pd.DataFrame({"Close": close, "High": close * 1.01, "Low": close * 0.99, "Open": close,
                         "Volume": np.arange(n, dtype=float)}, index=idx)


class FakeDownload:
    def __init__(self, result: pd.DataFrame | Exception) -> None:
        self.result = result
        self.tickers: list[str] = []

    def __call__(self, ticker: str, **kwargs: object) -> pd.DataFrame:
        self.tickers.append(ticker)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def test_providers_follow_the_protocol(tmp_path: Path) -> None:
    assert isinstance(CsvFolderProvider(tmp_path), PriceProvider)
    assert isinstance(YahooProvider(tmp_path), PriceProvider)


def test_download_is_cached_on_disk_and_reused_after_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeDownload(yahoo_frame())
    monkeypatch.setattr(yfinance, "download", fake)
    first = MarketData(None, tmp_path, providers=("yfinance",)).metrics(["small caps"])
    assert fake.tickers == ["^RUT"] and first.provider == "yfinance"
    assert first.series["RUT"].last_close == pytest.approx(fake.result["Close"].iloc[-1])
    restarted = MarketData(None, tmp_path, providers=("yfinance",))
    again = restarted.metrics(["RUT"])
    assert fake.tickers == ["^RUT"]  # the fresh cache file answered: no second download
    assert again.series["RUT"].return_ == first.series["RUT"].return_
    assert restarted.available_symbols() == ["RUT"]


def test_stale_cache_answers_when_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yfinance, "download", FakeDownload(yahoo_frame()))
    MarketData(None, tmp_path, providers=("yfinance",)).metrics(["SPX"])
    for f in tmp_path.iterdir():
        old = time.time() - 3 * 86400
        os.utime(f, (old, old))
    offline = FakeDownload(ConnectionError("no route to host"))
    monkeypatch.setattr(yfinance, "download", offline)
    report = MarketData(None, tmp_path, providers=("yfinance",)).metrics(["SPX"])
    assert offline.tickers == ["^GSPC"]  # it tried, failed, and fell back to the file
    assert report.series["SPX"].trading_days == 30
    assert any("using cached SPX prices" in n for n in report.notes)


def test_network_failure_without_cache_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yfinance, "download", FakeDownload(OSError("network is unreachable")))
    with pytest.raises(ProviderError) as info:
        MarketData(None, tmp_path, providers=("yfinance",)).metrics(["VIX"])
    message = str(info.value)
    assert "^VIX" in message and "check the network" in message and "\n" not in message


def test_empty_download_means_no_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yfinance, "download", FakeDownload(pd.DataFrame()))
    with pytest.raises(NoDataError):
        MarketData(None, tmp_path, providers=("yfinance",)).metrics(["DJI"])
    assert list(tmp_path.iterdir()) == []


def test_csv_first_then_yfinance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = yahoo_frame()
    (tmp_path / "csv").mkdir()
    lines = ["date,open,high,low,close,volume"]
    lines += [f"{d:%Y-%m-%d},,,,{c * 2:.4f}," for d, c in frame["Close"].items()]
    (tmp_path / "csv" / "RUT.csv").write_text("\n".join(lines) + "\n")
    fake = FakeDownload(frame)
    monkeypatch.setattr(yfinance, "download", fake)
    md = MarketData(tmp_path / "csv", tmp_path / "cache")
    report = md.metrics(["RUT", "NDX"])
    assert fake.tickers == ["^NDX"]  # RUT came from the CSV folder
    assert report.provider == "csv,yfinance"
    assert report.pairs["RUT/NDX"].rs_end == pytest.approx(2.0, rel=1e-4)


def test_repeated_question_reads_nothing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    if not (DATA / "RUT.csv").is_file():
        pytest.skip(f"shared market data not found at {DATA}")
    reads: list[object] = []
    real = pd.read_csv
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    md = MarketData(DATA, None, providers=("csv",))
    first = md.metrics(["RUT", "SPX"], "2025-09-01", "2026-01-31")
    assert len(reads) == 2
    second = md.metrics(["罗素2000", "标普500"], "2025-09-01", "2026-01-31")
    md.history("RUT")
    assert len(reads) == 2 and second.series == first.series


def test_history_is_a_copy_in_normal_form() -> None:
    if not (DATA / "RUT.csv").is_file():
        pytest.skip(f"shared market data not found at {DATA}")
    md = MarketData(DATA, None, providers=("csv",))
    frame = md.history("Russell 2000")
    assert list(frame.columns) == ["open", "high", "low", "close", "volume"]
    assert frame.index.name == "date" and frame.index.is_monotonic_increasing
    frame["close"] = 0.0
    assert md.history("RUT")["close"].iloc[-1] > 0
    assert {"RUT", "SPX", "VIX"} <= set(md.available_symbols())


def test_format_report_english_and_chinese() -> None:
    if not (DATA / "RUT.csv").is_file():
        pytest.skip(f"shared market data not found at {DATA}")
    report = MarketData(DATA, None, providers=("csv",)).metrics(["小盘股", "SPX"], "2025-09-01", "2026-01-31")
    rut = pd.read_csv(DATA / "RUT.csv", index_col="date")["close"]
    base = rut.loc[:"2025-09-01"].iloc[-1]  # the close on the start date or the last one before it
    expected = f"{(rut.loc[:'2026-01-31'].iloc[-1] / base - 1) * 100:+.2f}%"
    text = format_report(report)
    assert expected in text and "RUT/SPX" in text and "小盘股 -> RUT (Russell 2000)" in text
    zh = format_report(report, language="zh")
    assert "区间涨跌幅" in zh and expected in zh
