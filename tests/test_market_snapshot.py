"""The embedded price snapshot: its closes, its place in the provider order, and a fresh
install with no data folder and no network answering from it.

Expected closes come from the shared data README's published checks and, when the shared
folder is there, from its CSV files read with the csv module. Live data is faked at
`yfinance.download`, or (end to end) sent through a proxy on a closed loopback port.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yfinance

from knowledge.market import CATALOGUE, MarketData, ProviderError
from knowledge.market.errors import Cause
from knowledge.market.snapshot import SnapshotProvider
from tests.conftest import HAVE_SHARED_DATA, MARKET_DATA, REPO, read_closes, window_return

# Closes checked against published values (shared/market-data/README.md, "Checks made").
PUBLISHED = [
    ("SPX", "2023-12-29", 4769.83), ("SPX", "2024-12-31", 5881.63), ("SPX", "2020-03-23", 2237.40),
    ("RUT", "2024-12-31", 2230.16), ("RUT", "2025-04-08", 1760.71), ("NDX", "2024-12-31", 21012.17),
    ("DJI", "2024-12-31", 42544.22), ("IXIC", "2024-12-31", 19310.79), ("VIX", "2024-12-31", 17.35),
    ("VIX", "2020-03-16", 82.69), ("US10Y", "2024-12-31", 4.58), ("SPY", "2024-12-31", 586.08),
    ("QQQ", "2024-12-31", 511.23), ("IXIC", "2023-12-29", 15011.35), ("US10Y", "2023-12-29", 3.88),
]


@pytest.mark.parametrize("symbol, day, close", PUBLISHED)
def test_snapshot_holds_the_published_closes(symbol: str, day: str, close: float) -> None:
    frame = SnapshotProvider().fetch(symbol)
    assert frame.loc[day, "close"] == pytest.approx(close, abs=1e-9)


def test_snapshot_covers_every_catalogue_symbol_and_equals_the_shared_files() -> None:
    snapshot = SnapshotProvider()
    assert set(snapshot.symbols()) == set(CATALOGUE)
    assert snapshot.as_of() == date(2026, 8, 21)
    if HAVE_SHARED_DATA:  # beside the shared folder: every close, every day, exactly
        assert {p.stem for p in MARKET_DATA.glob("*.csv")} == set(snapshot.symbols())
        for symbol in snapshot.symbols():
            expected = read_closes(MARKET_DATA / f"{symbol}.csv")
            got = snapshot.fetch(symbol)["close"]
            assert [d.date() for d in got.index] == sorted(expected), symbol
            assert np.array_equal(got.to_numpy(), np.array([expected[d] for d in sorted(expected)])), symbol
    frame = snapshot.fetch("RUT")
    assert list(frame.columns) == ["open", "high", "low", "close", "volume"]
    assert frame[["open", "high", "low", "volume"]].isna().all().all()
    assert snapshot.fetch("TSLA") is None


def test_snapshot_file_is_small_and_documented() -> None:
    data = REPO / "knowledge" / "market" / "data"
    assert (data / "closes.csv.xz").stat().st_size < 400_000
    readme = (data / "README.md").read_text(encoding="utf-8")
    assert "As of: 2026-08-21" in readme and "heliar-k/market-base" in readme


def test_the_snapshot_metrics_match_an_independent_computation(market_data_dir: Path) -> None:
    report = MarketData(None, None, ("snapshot",)).metrics(["小盘股", "大盘股"], "2025-09-01", "2026-01-31")
    for symbol in ("RUT", "SPX"):
        expected = window_return(read_closes(market_data_dir / f"{symbol}.csv"), date(2025, 9, 1), date(2026, 1, 31))
        assert report.series[symbol].return_ == pytest.approx(expected, rel=1e-12)
    assert report.provider == "snapshot" and report.as_of == date(2026, 8, 21)


class FakeDownload:
    def __init__(self, result) -> None:
        self.result, self.tickers = result, []

    def __call__(self, ticker: str, **_kwargs):
        self.tickers.append(ticker)
        if isinstance(self.result, Exception):
            raise self.result
        return self.result.copy()


def _write_csv(folder: Path, symbol: str, closes: list[float]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    days = pd.bdate_range("2025-03-03", periods=len(closes))
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "close": closes}).to_csv(folder / f"{symbol}.csv", index=False)


def test_order_is_folder_then_live_then_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_csv(tmp_path / "csv", "RUT", [100.0, 101.0, 103.0])
    days = pd.bdate_range("2025-03-03", periods=3, name="Date")
    live = pd.DataFrame({"Open": 1.0, "High": 1.0, "Low": 1.0, "Close": [50.0, 55.0, 60.0], "Volume": 1.0}, index=days)
    monkeypatch.setattr(yfinance, "download", FakeDownload(live))
    md = MarketData(tmp_path / "csv", tmp_path / "cache")  # the default order
    assert [p.name for p in md.providers] == ["csv", "yfinance", "snapshot"]
    assert md.source("RUT").provider == "csv" and md.history("RUT")["close"].iloc[-1] == 103.0
    spx = md.source("SPX")
    assert spx.provider == "yfinance" and spx.live and spx.data_to == date(2025, 3, 5)

    down = FakeDownload(ConnectionError("Failed to establish a new connection"))
    monkeypatch.setattr(yfinance, "download", down)
    offline = MarketData(tmp_path / "csv", tmp_path / "empty-cache")
    report = offline.metrics(["NDX"], "2025-09-01", "2026-01-31")
    ndx = offline.source("NDX")
    assert down.tickers == ["^NDX"] and report.provider == "snapshot"
    assert ndx.provider == "snapshot" and not ndx.live and ndx.fallback_from_live == Cause.NO_NETWORK
    assert ndx.data_to == date(2026, 8, 21)
    assert any("embedded snapshot" in n and "2026-08-21" in n for n in report.notes), report.notes


def test_a_ticker_the_snapshot_lacks_says_what_to_do_when_offline(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(yfinance, "download", FakeDownload(ConnectionError("no route")))
    with pytest.raises(ProviderError) as caught:
        MarketData(None, tmp_path, ("yfinance", "snapshot")).metrics(["TSLA"])
    error = caught.value
    assert error.cause == Cause.NO_NETWORK and error.symbol == "TSLA"
    message = str(error)
    assert "\n" not in message and "check the network" in message and "FINSIGHT_MARKET_DATA_DIR" in message
    assert "RUT" in message and "another index" in message


def test_a_wheel_ships_the_snapshot(tmp_path: Path) -> None:
    """A non-editable install gets the data: the built wheel contains the file and its README."""
    source = tmp_path / "src"  # a copy: building in the checkout would leave build/ and egg-info there
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", ".finsight", "test-output", "__pycache__", ".*_cache", "benchmarks"))
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("finsight-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"knowledge/market/data/closes.csv.xz", "knowledge/market/data/README.md"} <= names


def _closed_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_fresh_install_answers_the_reference_question_offline(tmp_path: Path, warm_home: Path, market_data_dir: Path):
    """No data folder, no network (every request goes to a proxy on a closed loopback port), run
    from a folder with no .env: `finsight ask` answers from the snapshot, and the terminal shows
    no library warnings."""
    proxy = f"http://127.0.0.1:{_closed_loopback_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FINSIGHT_")) and "proxy" not in k.lower()}
    env.update(FINSIGHT_HOME=str(warm_home), PYTHONPATH=str(REPO), HTTPS_PROXY=proxy, HTTP_PROXY=proxy,
               https_proxy=proxy, http_proxy=proxy, ALL_PROXY=proxy, NO_PROXY="", no_proxy="")
    question = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)"
    out = subprocess.run([sys.executable, "-m", "cli", "ask", question, "--json"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert not any(w in out.stderr for w in ("Warning", "Traceback", "Failed download", "yfinance")), out.stderr
    answer = json.loads(out.stdout)
    rut = window_return(read_closes(market_data_dir / "RUT.csv"), date(2025, 9, 1), date(2026, 1, 31))
    spx = window_return(read_closes(market_data_dir / "SPX.csv"), date(2025, 9, 1), date(2026, 1, 31))
    assert f"{rut * 100:+.2f}%" in answer["answer"] and f"{spx * 100:+.2f}%" in answer["answer"], answer["answer"]
    assert "snapshot" in json.dumps(answer, ensure_ascii=False)
