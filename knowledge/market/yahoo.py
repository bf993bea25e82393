"""Live daily prices from Yahoo Finance (yfinance, no key), cached on disk.

The cache is what makes the live provider usable: a fresh cache file answers without any
network call, and when the network fails a stale cache file still answers (an offline
restart keeps working with what was fetched before).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import warnings
from pathlib import Path

import pandas as pd

from .errors import Cause, ProviderError
from .provider import normalise
from .symbols import CATALOGUE

DEFAULT_MAX_AGE_S = 12 * 3600  # daily bars: refreshing twice a day is plenty
DOWNLOAD_TIMEOUT_S = 20.0  # per HTTP request: a hung Yahoo must not hang the answer


OFFLINE_RETRY_S = 60.0  # after a network failure, skip the network this long (each try costs seconds)
# yfinance reports a failed download in its log, not by raising: these words in that log mean
# the network (DNS, connection, timeout), not Yahoo, was the problem.
_NETWORK_WORDS = re.compile(r"DNS|resolve host|Timeout|timed out|ConnectionError|connect|curl: \(\d+\)|SSL", re.I)


class NetworkUnreachable(OSError):
    """yfinance logged a network failure (DNS, connection) and returned nothing."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_YF_LOG_LOCK = threading.Lock()


def download(ticker: str) -> pd.DataFrame:
    """The network edge: the full daily history of one Yahoo ticker (tests replace yfinance.download).

    yfinance's log lines and warnings are kept out of the user's terminal; a network failure it
    only logs is raised as OSError, so the caller can tell "offline" from "Yahoo has nothing".
    """
    import yfinance  # imported here: it is slow to import and only the live path needs it

    log = logging.getLogger("yfinance")
    collect = _Collect()
    with _YF_LOG_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        saved = log.propagate, log.level
        log.propagate, log.level = False, logging.DEBUG
        log.addHandler(collect)
        try:
            # auto_adjust=True: dividend-adjusted closes for ETFs, the same convention as the CSV data.
            frame = yfinance.download(
                ticker, period="max", interval="1d", auto_adjust=True, progress=False, threads=False,
                multi_level_index=False, timeout=DOWNLOAD_TIMEOUT_S,
            )
        finally:
            log.removeHandler(collect)
            log.propagate, log.level = saved
    if (frame is None or frame.empty) and any(_NETWORK_WORDS.search(m) for m in collect.messages):
        raise NetworkUnreachable(f"network unreachable while downloading {ticker}")
    return frame


def _parquet_ok() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


class YahooProvider:
    """yfinance with an on-disk cache under `cache_dir` (no cache when cache_dir is None)."""

    name = "yfinance"

    def __init__(self, cache_dir: Path | None, max_age_s: float = DEFAULT_MAX_AGE_S) -> None:
        self.cache_dir = Path(cache_dir).expanduser() if cache_dir else None
        self.max_age_s = max_age_s
        self.suffix = ".parquet" if _parquet_ok() else ".csv"
        self.network_calls = 0
        self.last_warning: str | None = None
        self._offline_until = 0.0  # monotonic time before which the network is not retried

    @staticmethod
    def ticker(symbol: str) -> str:
        """Yahoo's ticker for a canonical symbol (RUT -> ^RUT, SPX -> ^GSPC); others pass through."""
        info = CATALOGUE.get(symbol.upper())
        return info.yahoo if info else symbol.upper()

    def cache_path(self, symbol: str) -> Path | None:
        """The cache file of `symbol`, or None when caching is off."""
        if self.cache_dir is None:
            return None
        safe = "".join(ch if ch.isalnum() or ch in "-._" else "_" for ch in symbol.upper())
        return self.cache_dir / f"{safe}{self.suffix}"

    def cached_symbols(self) -> list[str]:
        """Symbols that have a cache file."""
        if self.cache_dir is None or not self.cache_dir.is_dir():
            return []
        return sorted(p.stem for p in self.cache_dir.glob(f"*{self.suffix}"))

    def _read_cache(self, path: Path | None) -> tuple[pd.DataFrame | None, float]:
        if path is None or not path.is_file():
            return None, float("inf")
        try:
            if path.suffix == ".parquet":
                frame = pd.read_parquet(path)
            else:
                frame = pd.read_csv(path, index_col="date", parse_dates=["date"])
        except Exception:  # a corrupt cache file is only a missed shortcut: refetch
            return None, float("inf")
        return frame, time.time() - path.stat().st_mtime

    def _write_cache(self, path: Path | None, frame: pd.DataFrame) -> None:
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # A temp name per writer: two processes (or services) refreshing one symbol at once must
        # not write into the same temp file and rename each other's half-written bytes into place.
        tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        if path.suffix == ".parquet":
            frame.to_parquet(tmp)
        else:
            frame.to_csv(tmp)
        os.replace(tmp, path)  # atomic: a crash never leaves half a cache file

    def fetch(self, symbol: str) -> pd.DataFrame | None:
        """Fresh cache, else network (then cache), else stale cache; None when Yahoo has no data."""
        self.last_warning = None
        path = self.cache_path(symbol)
        cached, age = self._read_cache(path)
        if cached is not None and age < self.max_age_s:
            return cached
        ticker = self.ticker(symbol)
        try:
            if time.monotonic() < self._offline_until:
                raise NetworkUnreachable("network unreachable a moment ago")
            self.network_calls += 1
            raw = download(ticker)
        except Exception as exc:
            if isinstance(exc, NetworkUnreachable):  # no network at all: later symbols fail the same way
                self._offline_until = time.monotonic() + OFFLINE_RETRY_S
            if cached is not None:
                self.last_warning = f"yfinance unreachable ({type(exc).__name__}); using cached {symbol} prices"
                return cached
            raise ProviderError(
                f"Could not download {ticker} from Yahoo Finance ({type(exc).__name__}): check the network "
                "or point FINSIGHT_MARKET_DATA_DIR at a folder of CSV files.",
                cause=Cause.NO_NETWORK, symbol=symbol,
            ) from exc
        if raw is None or raw.empty:
            return cached
        frame = _from_yahoo(raw, f"yfinance {ticker}")
        if frame.empty:
            return cached
        self._write_cache(path, frame)
        return frame


def _from_yahoo(raw: pd.DataFrame, origin: str) -> pd.DataFrame:
    raw = raw.copy()
    if isinstance(raw.columns, pd.MultiIndex):  # older yfinance: (field, ticker) columns
        raw.columns = raw.columns.get_level_values(0)
    raw.columns = [str(c).strip().lower().replace(" ", "_") for c in raw.columns]
    index = pd.DatetimeIndex(raw.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    raw.index = index.normalize()
    return normalise(raw, origin)
