"""Errors of the market-data engine. `str(error)` is one line telling the user what to do.

Each error also carries a typed `cause` (and the `symbol` it concerns), so a caller can say
the same thing in the user's language without reading the English message.
"""

from __future__ import annotations

from enum import StrEnum


class Cause(StrEnum):
    """Why market data could not be had; each maps to one thing the user can do."""

    NO_NETWORK = "no_network"  # live data unreachable and no local copy: connect or set a folder
    LIVE_EMPTY = "live_empty"  # the live source answered with nothing (down, throttling)
    NO_FILE = "no_file"  # the data folder has no file for the symbol
    BAD_FILE = "bad_file"  # a local file exists but cannot be read
    UNKNOWN_SYMBOL = "unknown_symbol"  # no index, ETF or ticker by that name
    NO_DATA = "no_data"  # the window holds no trading days
    CONFIG = "config"  # a setting names something that does not exist


class MarketDataError(Exception):
    """Base class: any market-data failure, with a one-line, user-facing message."""

    default_cause: Cause | None = None

    def __init__(self, message: str, *, cause: Cause | None = None, symbol: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause or self.default_cause
        self.symbol = symbol


class UnknownSymbolError(MarketDataError):
    """The text names no index, ETF or ticker we know or can find data for."""

    default_cause = Cause.UNKNOWN_SYMBOL


class NoDataError(MarketDataError):
    """The window holds no trading days: before the data, after it, a holiday, or start after end."""

    default_cause = Cause.NO_DATA


class ProviderError(MarketDataError):
    """A provider failed: network error, malformed file, unknown provider name."""

    default_cause = Cause.BAD_FILE  # the usual one; the live provider says NO_NETWORK
