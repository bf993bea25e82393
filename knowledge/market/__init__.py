"""Market data and index metrics: the `[0]` evidence of an answer, computed from real prices.

    from knowledge.market import MarketData
    report = MarketData(csv_dir, cache_dir).metrics(["小盘股", "SPX"], "2025-09-01", "2026-01-31")
"""

from .csv_folder import CsvFolderProvider
from .errors import MarketDataError, NoDataError, ProviderError, UnknownSymbolError
from .format import format_report
from .periods import Period, parse_period
from .provider import PriceProvider
from .report import ChartData, MetricsReport, PairMetrics, SeriesMetrics
from .service import MarketData
from .symbols import (
    CATALOGUE,
    FALSE_FRIENDS,
    NOT_TICKERS,
    RATE_UNIT,
    SERVED,
    UNSERVED,
    Instrument,
    Mention,
    ResolvedSymbol,
    find_instruments,
    find_symbols,
    instrument,
    looks_like_ticker,
    lookup,
    resolve_symbol,
)
from .yahoo import YahooProvider

__all__ = [
    "CATALOGUE",
    "ChartData",
    "CsvFolderProvider",
    "FALSE_FRIENDS",
    "Instrument",
    "MarketData",
    "MarketDataError",
    "Mention",
    "NOT_TICKERS",
    "MetricsReport",
    "NoDataError",
    "PairMetrics",
    "Period",
    "PriceProvider",
    "RATE_UNIT",
    "ProviderError",
    "ResolvedSymbol",
    "SERVED",
    "UNSERVED",
    "SeriesMetrics",
    "UnknownSymbolError",
    "YahooProvider",
    "find_instruments",
    "find_symbols",
    "format_report",
    "instrument",
    "looks_like_ticker",
    "lookup",
    "parse_period",
    "resolve_symbol",
]
