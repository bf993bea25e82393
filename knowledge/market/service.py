"""`MarketData`: providers in order, an in-memory frame cache, and the metrics report.

I/O lives here and in the providers; the computations are the pure functions of `metrics`.
Frames are cached per symbol for the life of the object, so a repeated question neither
re-reads a file nor re-downloads anything.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import analyses as an
from .csv_folder import CsvFolderProvider
from .errors import Cause, MarketDataError, NoDataError, ProviderError, UnknownSymbolError
from .metrics import Prices, base_index, chart_data, pair_metrics, series_metrics, window
from .provider import PriceProvider
from .report import RETURN_BASES, CoverageGap, DataSource, MetricsReport, ReturnBase
from .scorecard import Dimension, Scorecard, rate_window, score
from .snapshot import SnapshotProvider
from .symbols import CATALOGUE, ResolvedSymbol, looks_like_ticker, lookup
from .yahoo import YahooProvider

DEFAULT_LOOKBACK = timedelta(days=365)
_STALE_END_DAYS = 5  # a requested end this far past the data is worth telling the user


def _as_date(value: date | str | None, what: str) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise MarketDataError(f"Cannot read the {what} date '{value}': write it as YYYY-MM-DD.") from None


# Provider name (as listed in FINSIGHT_MARKET_PROVIDERS) -> factory(csv_dir, cache_dir).
# A new provider is one module implementing PriceProvider plus one line here.
PROVIDER_FACTORIES: dict[str, Callable[[Path | None, Path | None], PriceProvider | None]] = {
    "csv": lambda csv_dir, _cache: CsvFolderProvider(Path(csv_dir)) if csv_dir is not None else None,
    "yfinance": lambda _csv, cache_dir: YahooProvider(cache_dir),
    "yahoo": lambda _csv, cache_dir: YahooProvider(cache_dir),
    "snapshot": lambda _csv, _cache: SnapshotProvider(),
}
# The default order: a configured folder, then live data with its cache, then the embedded snapshot.
DEFAULT_PROVIDERS = ("csv", "yfinance", "snapshot")
# Providers whose data is a local copy that may be old; a live one answers with today's data.
LIVE_PROVIDERS = frozenset({"yfinance"})


class _Loaded(NamedTuple):
    frame: pd.DataFrame
    prices: Prices
    provider: str
    warning: str | None
    source: DataSource


class MarketData:
    """Prices and metrics for indexes and ETFs from the configured providers, in order."""

    def __init__(
        self,
        csv_dir: Path | None,
        cache_dir: Path | None,
        providers: Sequence[str] = DEFAULT_PROVIDERS,
    ) -> None:
        self.providers: list[PriceProvider] = []
        for name in providers:
            factory = PROVIDER_FACTORIES.get(name.strip().lower())
            if factory is None:
                known = ", ".join(sorted(PROVIDER_FACTORIES))
                raise ProviderError(f"Unknown market data provider '{name}': use one of {known}.", cause=Cause.CONFIG)
            provider = factory(csv_dir, cache_dir)
            if provider is not None:
                self.providers.append(provider)
        self._frames: dict[str, _Loaded] = {}
        self._lock = threading.Lock()
        self.fetch_count = 0  # provider fetches so far; a repeated question leaves it unchanged

    # -- loading -------------------------------------------------------------------------

    def resolve(self, text: str) -> ResolvedSymbol:
        """Catalogue alias, or a ticker-shaped string passed through for live providers."""
        found = lookup(text)
        if found:
            return found
        if looks_like_ticker(text):
            sym = text.strip().upper()
            return ResolvedSymbol(query=text.strip(), symbol=sym, name=sym, note=None)
        raise UnknownSymbolError(
            f"Unknown symbol '{text.strip()}': use one of {', '.join(CATALOGUE)} or a name like 'Russell 2000' / '标普500'.",
            symbol=text.strip(),
        )

    def _load(self, symbol: str) -> _Loaded:
        with self._lock:
            if symbol in self._frames:
                return self._frames[symbol]
            failure: ProviderError | None = None
            for provider in self.providers:
                self.fetch_count += 1
                try:
                    frame = provider.fetch(symbol)
                except ProviderError as exc:
                    if provider.name == "csv":
                        raise  # a broken local file must be fixed, not silently bypassed
                    failure = exc
                    continue
                if frame is not None and not frame.empty:
                    entry = self._entry(symbol, frame, provider, failure)
                    self._frames[symbol] = entry
                    return entry
            raise self._no_prices(symbol, failure)

    def _entry(self, symbol: str, frame: pd.DataFrame, provider: PriceProvider,
               failure: ProviderError | None) -> _Loaded:
        """A loaded symbol with its provenance; a snapshot standing in for live data says why."""
        prices = Prices.from_frame(symbol, frame)
        warning = getattr(provider, "last_warning", None)
        live = provider.name in LIVE_PROVIDERS and warning is None
        fallback: Cause | None = None
        if not live and any(p.name in LIVE_PROVIDERS for p in self.providers[: self.providers.index(provider)]):
            fallback = failure.cause if failure is not None else Cause.LIVE_EMPTY
            if provider.name == "snapshot":
                warning = (f"Live data unavailable; {symbol} comes from the embedded snapshot "
                           f"(data through {prices.day(-1)}).")
        source = DataSource(symbol=symbol, provider=provider.name, data_from=prices.day(0), data_to=prices.day(-1),
                            live=live, fallback_from_live=fallback)
        return _Loaded(frame, prices, provider.name, warning, source)

    def _no_prices(self, symbol: str, failure: ProviderError | None) -> MarketDataError:
        """Why no provider had `symbol`, and what the user can do about it, as one error."""
        names = [p.name for p in self.providers]
        where = ", ".join(names) or "no provider configured"
        snapshot = next((p for p in self.providers if isinstance(p, SnapshotProvider)), None)
        if failure is not None and failure.cause == Cause.NO_NETWORK and snapshot is not None:
            ticker = YahooProvider.ticker(symbol)
            return ProviderError(
                f"Could not download {ticker} from Yahoo Finance (no network) and the embedded snapshot has no "
                f"{symbol} (it has {', '.join(snapshot.symbols())}): check the network, set FINSIGHT_MARKET_DATA_DIR "
                f"to a folder with {symbol}.csv, or pick another index.",
                cause=Cause.NO_NETWORK, symbol=symbol,
            )
        if failure is not None:
            return failure
        if symbol in CATALOGUE:
            if "yfinance" in names:
                # yfinance reports a failed download as an empty frame, so "no rows" for a
                # catalogue index means Yahoo is down or throttling, not that the index is unknown.
                return NoDataError(
                    f"No prices for {symbol} ({where}): Yahoo Finance returned nothing (down or rate-limiting); "
                    f"try again in a few minutes or add {symbol}.csv to the market data folder.",
                    cause=Cause.LIVE_EMPTY, symbol=symbol,
                )
            return NoDataError(
                f"No prices for {symbol} ({where}): add {symbol}.csv to the market data folder "
                "(FINSIGHT_MARKET_DATA_DIR) or enable yfinance.",
                cause=Cause.NO_FILE, symbol=symbol,
            )
        return UnknownSymbolError(
            f"No prices for '{symbol}' ({where}): check the symbol; known ones are {', '.join(CATALOGUE)}.",
            symbol=symbol,
        )

    def source(self, symbol: str) -> DataSource:
        """Which provider serves `symbol` (an alias is resolved), its data range, and whether a
        local copy stands in for live data; loads the symbol if needed (MarketDataError if none)."""
        return self._load(self.resolve(symbol).symbol).source

    def history(self, symbol: str) -> pd.DataFrame:
        """Full daily history (DatetimeIndex 'date'; open, high, low, close, volume) of a symbol or alias."""
        return self._load(self.resolve(symbol).symbol)[0].copy()

    def available_symbols(self) -> list[str]:
        """Symbols with local data: CSV files, cached downloads and the embedded snapshot."""
        found: set[str] = set()
        for provider in self.providers:
            if isinstance(provider, CsvFolderProvider | SnapshotProvider):
                found.update(provider.symbols())
            elif isinstance(provider, YahooProvider):
                found.update(provider.cached_symbols())
        return sorted(found)

    # -- metrics -------------------------------------------------------------------------

    def metrics(
        self,
        symbols: Sequence[str],
        start: date | str | None = None,
        end: date | str | None = None,
        base: ReturnBase = "on_or_before",
    ) -> MetricsReport:
        """Series metrics for each symbol and pair metrics of the first against each other one.

        `base` picks the close a return starts from (docs/CONVENTIONS.md): "prior_close" (the
        last close before `start`) for a calendar period such as a year, quarter, month or YTD;
        "on_or_before" (the default: the close on `start`, or the last one before it when the
        market was shut) for an explicit start date or a trailing window. Each series states its
        `base_date` and `base_close`. Default window: the year up to the latest data.
        Raises MarketDataError subclasses.
        """
        if base not in RETURN_BASES:
            raise MarketDataError(f"Unknown return base '{base}': use one of {', '.join(RETURN_BASES)}.")
        if isinstance(symbols, str):
            symbols = [symbols]
        resolved: list[ResolvedSymbol] = []
        for text in symbols:
            r = self.resolve(text)
            if r.symbol not in {x.symbol for x in resolved}:
                resolved.append(r)
        if not resolved:
            raise UnknownSymbolError("Name at least one index or ETF, e.g. RUT or SPX.")
        loaded = [self._load(r.symbol) for r in resolved]
        prices = [entry[1] for entry in loaded]

        start_d, end_d = _as_date(start, "start"), _as_date(end, "end")
        if end_d is None:
            end_d = max(p.day(-1) for p in prices)
            if start_d is not None and start_d > end_d:
                raise NoDataError(f"The data ends on {end_d}, before the start {start_d}: choose an earlier start.")
        if start_d is None:
            start_d = end_d - DEFAULT_LOOKBACK
        if start_d > end_d:
            raise NoDataError(f"The start {start_d} is after the end {end_d}: swap the dates.")

        series = {}
        notes = [entry[3] for entry in loaded if entry[3]]
        gaps: list[CoverageGap] = []
        for r, p in zip(resolved, prices, strict=True):
            lo, hi = window(p, start_d, end_d)
            info = CATALOGUE.get(r.symbol)
            at = base_index(p, lo, start_d, base)
            series[r.symbol] = series_metrics(p, lo, hi, info.name if info else r.name,
                                              info.unit if info else "points", base_at=at, base=base)
            if lo == 0 and p.day(0) > start_d:
                gaps.append(CoverageGap(symbol=r.symbol, data_from=p.day(0), asked_from=start_d))
                notes.append(gaps[-1].note)
            elif at == lo and (base == "prior_close" or p.day(lo) != start_d):
                notes.append(f"{r.symbol}: no close before {p.day(lo)} in the data, so its return starts "
                             f"from the close of {p.day(lo)}.")
            if (end_d - p.day(hi)).days > _STALE_END_DAYS and hi == p.close.size - 1:
                gaps.append(CoverageGap(symbol=r.symbol, data_to=p.day(hi), asked_to=end_d))
                notes.append(gaps[-1].note)
        first = prices[0]
        pairs = {}
        for p in prices[1:]:
            pm = pair_metrics(first, p, series[first.symbol], series[p.symbol], start_d, end_d)
            pairs[f"{first.symbol}/{p.symbol}"] = pm
            if pm.common_days == 0:
                notes.append(f"{first.symbol} and {p.symbol} share no trading day in the window.")
        lasts = {s.last_date for s in series.values()}
        if len(lasts) > 1:
            notes.append("Last trading days differ: " + ", ".join(f"{s} {m.last_date}" for s, m in series.items()) + ".")
        return MetricsReport(
            start=start_d, end=end_d,
            first_date=min(s.first_date for s in series.values()),
            last_date=max(lasts),
            symbols=[r.symbol for r in resolved],
            resolved=[asdict(r) for r in resolved],
            provider=",".join(dict.fromkeys(entry[2] for entry in loaded)),
            as_of=max(p.day(-1) for p in prices),
            series=series, pairs=pairs, notes=notes, coverage_gaps=gaps,
            chart=chart_data(prices, min(start_d, series[first.symbol].base_date or start_d), end_d),
        )

    # -- analyses (knowledge/market/analyses.py; methods in docs/CONVENTIONS.md) ------------

    def _series(self, text: str) -> tuple[Prices, str]:
        """A symbol's prices and the provider that gave them."""
        entry = self._load(self.resolve(text).symbol)
        return entry[1], entry[2]

    @staticmethod
    def _span(target: Prices, start: date | str | None, end: date | str | None) -> tuple[date, date]:
        """The window of an analysis: by default the target's whole history."""
        start_d, end_d = _as_date(start, "start"), _as_date(end, "end")
        end_d = end_d or target.day(-1)
        start_d = start_d or target.day(0)
        if start_d > end_d:
            raise NoDataError(f"The start {start_d} is after the end {end_d}: swap the dates.")
        return start_d, end_d

    def _stamp(self, result: an.AnalysisResult, loaded: list[tuple[Prices, str]]) -> an.AnalysisResult:
        return result.model_copy(update={
            "provider": ",".join(dict.fromkeys(name for _, name in loaded)),
            "as_of": max(p.day(-1) for p, _ in loaded),
        })

    def rate_sensitivity(self, symbol: str, start: date | str | None = None, end: date | str | None = None,
                         frequency: an.Frequency = "daily", benchmark: str | None = None,
                         rate: str = "US10Y") -> an.RateSensitivity:
        """OLS of `symbol`'s (or symbol/benchmark ratio's) daily or weekly returns on `rate` changes in bp."""
        loaded = [self._series(s) for s in (symbol, rate, *([benchmark] if benchmark else []))]
        (p, _), (r, _) = loaded[0], loaded[1]
        b = loaded[2][0] if benchmark else None
        start_d, end_d = self._span(p, start, end)
        return self._stamp(an.rate_sensitivity(p, r, start_d, end_d, frequency, b), loaded)

    def rate_events(self, symbol: str, start: date | str | None = None, end: date | str | None = None,
                    threshold_bp: float = 25.0, direction: str = "rise", benchmark: str | None = None,
                    rate: str = "US10Y") -> an.RateEvents:
        """Months when `rate` rose (fell) more than `threshold_bp`: average return (vs benchmark), n, hit rate."""
        if direction not in ("rise", "fall"):
            raise MarketDataError(f"Unknown direction '{direction}': use 'rise' or 'fall'.")
        loaded = [self._series(s) for s in (symbol, rate, *([benchmark] if benchmark else []))]
        p, r = loaded[0][0], loaded[1][0]
        b = loaded[2][0] if benchmark else None
        start_d, end_d = self._span(p, start, end)
        return self._stamp(an.rate_events(p, r, start_d, end_d, threshold_bp, direction, b), loaded)  # type: ignore[arg-type]

    def conditional_returns(self, symbol: str, condition: an.Condition, start: date | str | None = None,
                            end: date | str | None = None) -> an.ConditionalReturns:
        """`symbol`'s daily returns when `condition` (over `condition.series`) held at the previous close, and not."""
        target = self._series(symbol)
        on = self._series(condition.series)
        cond = condition.model_copy(update={"series": on[0].symbol})
        start_d, end_d = self._span(target[0], start, end)
        return self._stamp(an.conditional_returns(target[0], on[0], cond, start_d, end_d), [target, on])

    def drawdown_episodes(self, symbol: str, start: date | str | None = None, end: date | str | None = None,
                          threshold: float = 0.10) -> an.DrawdownEpisodes:
        """Every drawdown of `symbol` at least `threshold` deep (0.10 = 10%) in the window."""
        if not 0 < threshold < 1:
            raise MarketDataError(f"A drawdown threshold of {threshold} is not a depth: give a fraction such as 0.10.")
        loaded = [self._series(symbol)]
        start_d, end_d = self._span(loaded[0][0], start, end)
        return self._stamp(an.drawdown_episodes(loaded[0][0], start_d, end_d, threshold), loaded)

    def calendar_returns(self, symbol: str, start: date | str | None = None, end: date | str | None = None,
                         frequency: an.CalendarFreq = "month") -> an.CalendarReturns:
        """Daily, monthly, quarterly or yearly returns of `symbol`, each from the close before the period."""
        if frequency not in ("day", "month", "quarter", "year"):
            raise MarketDataError(f"Unknown frequency '{frequency}': use day, month, quarter or year.")
        loaded = [self._series(symbol)]
        start_d, end_d = self._span(loaded[0][0], start, end)
        return self._stamp(an.calendar_returns(loaded[0][0], start_d, end_d, frequency), loaded)

    def rolling_views(self, symbol: str, benchmark: str | None = None, start: date | str | None = None,
                      end: date | str | None = None, window: int = 60) -> an.RollingViews:
        """Rolling `window`-day beta and correlation vs `benchmark`, volatility and its percentile, as series.

        Default window: the year up to the latest data (the series are for a chart).
        """
        if not 5 <= window <= 400:
            raise MarketDataError(f"A rolling window of {window} days is out of range: use 5 to 400.")
        loaded = [self._series(s) for s in (symbol, *([benchmark] if benchmark else []))]
        p = loaded[0][0]
        end_d = _as_date(end, "end") or p.day(-1)
        start_d, end_d = self._span(p, start or end_d - DEFAULT_LOOKBACK, end_d)
        b = loaded[1][0] if benchmark else None
        return self._stamp(an.rolling_views(p, start_d, end_d, b, window), loaded)

    def scorecard(self, symbol: str, benchmark: str | None = None, start: date | str | None = None,
                  end: date | str | None = None, base: ReturnBase = "on_or_before") -> Scorecard:
        """Stars for each dimension of `symbol` (against `benchmark`) under the stated rules of
        `scorecard.STAR_RULES`: momentum and relative strength of the pair and trend and drawdown
        over the window (as `metrics` measures them), the 60-day volatility percentile at its end,
        and the weekly rate slope over `scorecard.rate_window`. Default window: as `metrics`."""
        report = self.metrics([symbol, *([benchmark] if benchmark else [])], start, end, base)
        target = report.symbols[0]
        other = report.symbols[1] if len(report.symbols) > 1 else None
        s = report.series[target]
        pair = report.pairs.get(f"{target}/{other}") if other else None
        span = f"{s.first_date}..{s.last_date}"
        values: dict[Dimension, float | None] = {
            "momentum": pair.excess_return if pair else None,
            "relative_strength": pair.rs_from_max if pair else None,
            "trend": s.last_close / s.ma200 - 1.0 if s.ma200 else None,
            "drawdown": s.max_drawdown,
        }
        measured = {"momentum": f"{target}/{other} {span}", "relative_strength": f"{target}/{other} {span}",
                    "trend": f"{target} {s.last_date}", "drawdown": f"{target} {span}"}
        try:
            views = self.rolling_views(target, None, s.last_date, s.last_date)
            values["volatility"] = views.last.get("vol_percentile")
            measured["volatility"] = f"{target} {views.last_date}"
        except MarketDataError:
            values["volatility"] = None  # fewer than 61 closes: not rated
        try:
            fit = self.rate_sensitivity(target, rate_window(report.start, report.end), report.end, "weekly", other)
            values["rate_sensitivity"] = fit.slope_per_10bp
            measured["rate_sensitivity"] = f"{fit.target} {fit.first_date}..{fit.last_date}"
        except MarketDataError:
            values["rate_sensitivity"] = None  # no yield series here: not rated
        card = score(values, target, other, report.start, report.end, report.first_date, report.last_date, measured)
        return card.model_copy(update={"provider": report.provider, "as_of": report.as_of})

    @staticmethod
    def not_computable(topic: an.NotComputableTopic) -> an.NotComputable:
        """Why breadth, valuation or earnings cannot be computed from this data."""
        if topic not in an.NOT_COMPUTABLE:
            raise MarketDataError(f"Unknown topic '{topic}': use one of {', '.join(an.NOT_COMPUTABLE)}.")
        return an.not_computable(topic)
