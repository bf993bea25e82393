"""Shared fixtures: the real market data beside the checkout, and a warm state folder."""

from __future__ import annotations

import atexit
import csv
import functools
import ipaddress
import os
import shutil
import socket
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX paths
        return True
    try:
        return ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch):
    """A safety net for every test: no socket in the test process may reach a non-loopback
    address (should an SSRF protection regress, 169.254.169.254 would be a real metadata
    service); the attempt fails the test instead of sending a packet."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if not _is_loopback(address):
            raise AssertionError(f"test tried to connect to non-loopback {address[0]}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if not _is_loopback(address):
            raise AssertionError(f"test tried to connect to non-loopback {address[0]}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


# FINSIGHT_MARKET_DATA_DIR first: a worktree checked out elsewhere has no ../shared beside it.
# Resolved now: tests that chdir (to stand where a user would) must still find it.
MARKET_DATA = (REPO / (os.environ.get("FINSIGHT_MARKET_DATA_DIR") or REPO.parent / "shared" / "market-data")).resolve()
HAVE_SHARED_DATA = (MARKET_DATA / "RUT.csv").exists()


@functools.cache
def market_data_folder() -> Path:
    """The real prices as a folder of <SYMBOL>.csv: ../shared/market-data when it sits beside
    the checkout, else the package's embedded snapshot written out as CSV files (closes only;
    open, high, low and volume empty), so a fresh clone runs every test on real closes.

    With FINSIGHT_REQUIRE_MARKET_DATA=1 (CI) the shared folder must be there.
    """
    if HAVE_SHARED_DATA:
        return MARKET_DATA
    if os.environ.get("FINSIGHT_REQUIRE_MARKET_DATA") == "1":
        pytest.fail(f"real market data not found at {MARKET_DATA}; put shared/market-data beside the checkout")
    from knowledge.market.snapshot import SnapshotProvider

    folder = Path(tempfile.mkdtemp(prefix="finsight-snapshot-csv-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    snapshot = SnapshotProvider()
    for symbol in snapshot.symbols():
        frame = snapshot.fetch(symbol)
        frame.to_csv(folder / f"{symbol}.csv", date_format="%Y-%m-%d", float_format="%.10g")
    return folder


@pytest.fixture(scope="session")
def market_data_dir() -> Path:
    """Real prices for tests: ../shared/market-data, or the embedded snapshot as CSV files."""
    return market_data_folder()


def read_closes(path: Path) -> dict[date, float]:
    """Closes straight from a CSV with the csv module: the tests' independent view of the data."""
    out: dict[date, float] = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["close"]:
                out[date.fromisoformat(row["date"])] = float(row["close"])
    return out


def window_return(closes: dict[date, float], start: date, end: date, base: str = "on_or_before") -> float:
    """Last close up to `end` over the base close, minus one (docs/CONVENTIONS.md): the close on
    `start` or the last one before it ("on_or_before", an explicit start date), or the last close
    before `start` ("prior_close", a calendar period); the first close in the window when the
    data holds none earlier."""
    days = sorted(closes)
    last = [d for d in days if d <= end][-1]
    before = [d for d in days if (d <= start if base == "on_or_before" else d < start)]
    base_day = before[-1] if before else next(d for d in days if d >= start)
    return closes[last] / closes[base_day] - 1


@pytest.fixture(scope="session")
def warm_home(tmp_path_factory: pytest.TempPathFactory, market_data_dir: Path) -> Path:
    """A FINSIGHT_HOME shared by slow end-to-end tests, so the demo pack is embedded once."""
    return tmp_path_factory.mktemp("finsight-home")


@pytest.fixture
def cli_env(warm_home: Path, market_data_dir: Path) -> dict[str, str]:
    """Environment for running `finsight` as a subprocess in offline mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FINSIGHT_"))}
    env.update(FINSIGHT_HOME=str(warm_home), FINSIGHT_MARKET_DATA_DIR=str(market_data_dir))
    env["FINSIGHT_MARKET_PROVIDERS"] = "csv"
    return env


@pytest.fixture(scope="session")
def demo_kb(tmp_path_factory: pytest.TempPathFactory):
    """A knowledge base holding only the demo pack, embedded once per session. Read-only: tests
    that ingest or remove sources build their own."""
    from knowledge import KnowledgeBase

    base = KnowledgeBase(tmp_path_factory.mktemp("kb-demo"))
    base.ensure_demo_pack()
    return base



def base_close(closes: pd.Series, start: str, base: str = "on_or_before") -> float:
    """The base close of a return, read off a date-indexed close series with pandas (see window_return)."""
    closes = closes.dropna().sort_index()
    closes.index = pd.DatetimeIndex(closes.index)
    cut = pd.Timestamp(start) - (pd.Timedelta(days=1) if base == "prior_close" else pd.Timedelta(0))
    return float(closes.loc[:cut].iloc[-1])


def series_return(closes: pd.Series, start: str, end: str, base: str = "on_or_before") -> float:
    """Last close up to `end` over `base_close`, minus 1 (a fraction), with pandas."""
    closes = closes.dropna().sort_index()
    closes.index = pd.DatetimeIndex(closes.index)
    return float(closes.loc[: pd.Timestamp(end)].iloc[-1]) / base_close(closes, start, base) - 1.0

def csv_closes(path: Path) -> pd.Series:
    """A CSV's closes as a date-indexed series, rows without a close dropped."""
    frame = pd.read_csv(path, parse_dates=["date"]).dropna(subset=["close"])
    return frame.set_index("date")["close"].sort_index()
