"""Errors of the market-data engine. `str(error)` is one line telling the user what to do."""

from __future__ import annotations


class MarketDataError(Exception):
    """Base class: any market-data failure, with a one-line, user-facing message."""


class UnknownSymbolError(MarketDataError):
    """The text names no index, ETF or ticker we know or can find data for."""


class NoDataError(MarketDataError):
    """The window holds no trading days: before the data, after it, a holiday, or start after end."""


class ProviderError(MarketDataError):
    """A provider failed: network error, malformed file, unknown provider name."""
