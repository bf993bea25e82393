"""The tools an analyst (LLM or offline) calls. Results are compact JSON-ready dicts.

Numbers reach the model as percents rounded to 2 dp with their citation id; the exact values
stay in the CitationRegistry for verification. A failing tool returns {"error": one line}
instead of raising, so a model can correct itself and the offline writer can say what failed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from assistant.answer import StepEvent, ToolCall
from assistant.grounding.citations import CitationRegistry
from assistant.grounding.marketview import compact_report
from assistant.untrusted import neutralise, safe_url
from knowledge.market import parse_period
from knowledge.market.report import ReturnBase  # at run time: the LLM tools' schemas read the hints
from knowledge.text import first_line as _one_line

if TYPE_CHECKING:
    from knowledge import KnowledgeBase
    from knowledge.market import MarketData

PER_DOCUMENT = 3  # passages of one document in one search result
DAY_EXTREMES = 5  # a daily calendar shows its five worst and five best days, not thousands of rows
PASSAGE_CHARS = 1200  # enough for a paragraph; keeps a six-passage result near 2k tokens


def _title(title: str | None, file_name: str | None) -> str:
    """A neutralised title; when the whole title was an instruction, the file name or a stand-in."""
    return neutralise(title) or neutralise(file_name) or "untitled source"


class Toolbox:
    """The tools of one answer, bound to its citation registry."""

    def __init__(self, market: MarketData, kb: KnowledgeBase | None, registry: CitationRegistry,
                 on_step: Callable[[StepEvent], None] | None = None, today: date | None = None) -> None:
        self.market = market
        self.kb = kb
        self.registry = registry
        self.on_step = on_step
        self.today = today or date.today()
        self.calls: list[ToolCall] = []

    # -- bookkeeping --------------------------------------------------------------------

    def _record(self, name: str, args: dict[str, Any], result: dict[str, Any], label: str) -> dict[str, Any]:
        error = result.get("error") if isinstance(result, dict) else None
        call = ToolCall(name=name, args=args, ok=error is None, error=error,
                        cause=result.get("cause") if error else None, symbol=result.get("symbol") if error else None)
        self.calls.append(call)
        if self.on_step is not None:
            self.on_step(StepEvent(label=label, detail=call.model_dump()))
        return result

    # -- tools --------------------------------------------------------------------------

    def market_metrics(self, symbols: list[str], start: str | None = None, end: str | None = None,
                       period: str | None = None, base: ReturnBase | None = None) -> dict[str, Any]:
        """Returns, volatility, moving averages and relative strength of indexes over a window.

        `symbols`: index names or tickers (e.g. ["RUT", "SPX"], ["小盘股", "标普500"]); the first is
        compared against each other one. Window: ISO `start`/`end`, or a `period` in words
        ("2025年9月至2026年1月", "last 3 months", "YTD"). Percent fields end in `_pct`; cite as [0].
        `base` (docs/CONVENTIONS.md): "prior_close" for a calendar period, "on_or_before" for an
        explicit start; when omitted, a `period` brings its own and ISO dates take "on_or_before".
        """
        if isinstance(symbols, str):
            symbols = [s.strip() for s in symbols.replace("，", ",").split(",") if s.strip()]
        args: dict[str, Any] = {"symbols": list(symbols), "start": start, "end": end, "period": period, "base": base}
        args = {k: v for k, v in args.items() if v is not None}
        label = f"market_metrics {', '.join(symbols)}"
        if not symbols:
            return self._record("market_metrics", args, {"error": "Name at least one index, e.g. RUT or SPX."}, label)
        rule: ReturnBase = base or "on_or_before"  # an explicit start date's convention
        try:
            if period and not (start or end):
                window = parse_period(period, self.today)
                if window is None:
                    return self._record("market_metrics", args, {
                        "error": f"Could not read the period '{period}'; give ISO dates like 2025-09-01."}, label)
                start = window.start.isoformat() if window.start else None
                end = window.end.isoformat() if window.end else None
                rule = base or window.base  # a calendar period starts from the close before it
            report = self.market.metrics(symbols, start, end, base=rule)
        except Exception as exc:  # every failure becomes a one-line tool error
            # A market error's typed cause and symbol travel along, so the UI can say it in the
            # reader's language and what to do.
            cause = getattr(exc, "cause", None)
            failure = {"error": _one_line(exc), "cause": getattr(cause, "value", cause), "symbol": getattr(exc, "symbol", None)}
            return self._record("market_metrics", args, {k: v for k, v in failure.items() if v is not None}, label)
        cite = self.registry.add_market_report(report)
        # The registry has just serialised the report (chart included); reuse that, don't redo it.
        return self._record("market_metrics", args, compact_report(self.registry.market_json()[-1], cite), label)

    def search_sources(self, query: str, k: int = 6, date_from: str | None = None,
                       date_to: str | None = None, publisher: str | None = None) -> dict[str, Any]:
        """Passages from the ingested sources (reports, articles) most relevant to `query`.

        `publisher` (optional) keeps only sources whose publisher contains it, e.g. "Reuters".
        Each passage carries its citation id `cite`; cite it as [cite] when using it.
        """
        args: dict[str, Any] = {"query": query, "k": k, "date_from": date_from, "date_to": date_to,
                                "publisher": publisher}
        args = {key: v for key, v in args.items() if v is not None}
        label = f"search_sources “{' '.join(query.split())[:60]}”"
        if self.kb is None:
            return self._record("search_sources", args, {
                "error": "No knowledge base is available; add sources with `finsight ingest`."}, label)
        try:
            # At most PER_DOCUMENT passages of one document: the answer's evidence comes from
            # several sources (a user's note beside a long demo summary), each cited once.
            found = self.kb.search(query, k=max(1, min(int(k), 12)), date_from=date_from, date_to=date_to,
                                   publisher=publisher, per_source=PER_DOCUMENT)
        except Exception as exc:
            return self._record("search_sources", args, {"error": _one_line(exc)}, label)
        passages = []
        for raw in found:
            # Document text is untrusted: the registry (and so verification), the offline writer
            # and the model all see the neutralised copy, never the instructions in it.
            p = raw.model_copy(update={"text": neutralise(raw.text), "title": _title(raw.title, raw.file_name),
                                       "publisher": neutralise(raw.publisher) or None,
                                       "author": neutralise(raw.author) or None, "url": safe_url(raw.url)})
            cite = self.registry.add_passage(p)
            text = p.text if len(p.text) <= PASSAGE_CHARS else p.text[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
            item = {"cite": cite, "title": p.title, "publisher": p.publisher,
                    "date": p.published, "url": p.url, "text": text,
                    # calibrated relevance in [0, 1] (knowledge.retrieval): writers apply a floor
                    "relevance": round(float(p.score), 3)}
            if p.demo:  # our own summary of the document, not the document: readers must be told
                item["demo"] = True
            passages.append(item)
        result: dict[str, Any] = {"passages": passages}
        if not passages:
            result["note"] = "No passage matched; try other words or add sources with `finsight ingest`."
        return self._record("search_sources", args, result, label)

    def list_sources(self) -> dict[str, Any]:
        """The documents in the knowledge base: title, publisher, date, URL, chunk count."""
        if self.kb is None:
            return self._record("list_sources", {}, {
                "error": "No knowledge base is available; add sources with `finsight ingest`."}, "list_sources")
        try:
            sources = self.kb.sources()
        except Exception as exc:
            return self._record("list_sources", {}, {"error": _one_line(exc)}, "list_sources")
        rows = [{"title": _title(s.title, s.file_name), "publisher": neutralise(s.publisher) or None, "date": s.published,
                 "url": safe_url(s.url), "chunks": s.chunks, **({"demo": True} if s.demo else {})} for s in sources]
        return self._record("list_sources", {}, {"sources": rows}, "list_sources")

    # -- analyses (knowledge.market.analyses): each cited [0], its method stated ----------

    def _analysis(self, name: str, args: dict[str, Any], label: str, compute: Callable[[], Any]) -> dict[str, Any]:
        """Run one analysis; register it as [0] market evidence; its JSON (fractions, no chart) with `cite`."""
        args = {k: v for k, v in args.items() if v is not None}
        try:
            result = compute()
        except Exception as exc:  # every failure becomes a one-line tool error
            return self._record(name, args, {"error": _one_line(exc)}, label)
        cite = self.registry.add_market_report(result)
        return self._record(name, args, {"cite": cite, **result.to_json_dict(include_chart=False)}, label)

    def rate_sensitivity(self, symbol: str, benchmark: str | None = None, start: str | None = None,
                         end: str | None = None, frequency: Literal["daily", "weekly"] = "daily",
                         event_threshold_bp: float = 25.0) -> dict[str, Any]:
        """How an index (or its ratio to `benchmark`) moves with the 10-year yield, cited [0].

        The OLS of daily or weekly returns on yield changes (slope per +10 bp as a fraction, R²,
        t-stat, n) and the event form: months when the yield rose more than `event_threshold_bp`
        (average return, or return minus the benchmark's, n months, hit rate). Default window:
        the symbol's whole history.
        """
        args = {"symbol": symbol, "benchmark": benchmark, "start": start, "end": end, "frequency": frequency,
                "event_threshold_bp": event_threshold_bp}
        label = f"rate_sensitivity {symbol}" + (f"/{benchmark}" if benchmark else "")
        args = {k: v for k, v in args.items() if v is not None}
        try:
            fit = self.market.rate_sensitivity(symbol, start, end, frequency, benchmark)
            events = self.market.rate_events(symbol, start, end, event_threshold_bp, "rise", benchmark)
        except Exception as exc:  # every failure becomes a one-line tool error
            return self._record("rate_sensitivity", args, {"error": _one_line(exc)}, label)
        self.registry.add_market_report(events)
        cite = self.registry.add_market_report(fit)
        result = {"cite": cite, "regression": fit.to_json_dict(), "events": events.to_json_dict()}
        return self._record("rate_sensitivity", args, result, label)

    def conditional_returns(self, symbol: str, condition_series: str,
                            rule: Literal["above", "below", "rising", "falling", "above_ma", "below_ma"],
                            level: float | None = None, lookback: int = 20, start: str | None = None,
                            end: str | None = None) -> dict[str, Any]:
        """An index's returns, volatility and hit rate on days when a rule held and when it did not, cited [0].

        Rules over `condition_series`: above/below a `level` (VIX above 30), rising/falling over
        `lookback` days (10-year yield rising), above/below its `lookback`-day average (the index
        itself above MA200). Default window: the symbol's whole history.
        """
        from knowledge.market.analyses import Condition

        args = {"symbol": symbol, "condition_series": condition_series, "rule": rule, "level": level,
                "lookback": lookback, "start": start, "end": end}
        return self._analysis("conditional_returns", args, f"conditional_returns {symbol} | {condition_series} {rule}",
                              lambda: self.market.conditional_returns(
                                  symbol, Condition(series=condition_series, kind=rule, level=level, lookback=lookback),
                                  start, end))

    def drawdown_episodes(self, symbol: str, threshold_pct: float = 10.0, start: str | None = None,
                          end: str | None = None) -> dict[str, Any]:
        """Every drawdown deeper than `threshold_pct` percent: peak, trough, recovery dates, depth, days; cited [0]."""
        args = {"symbol": symbol, "threshold_pct": threshold_pct, "start": start, "end": end}
        return self._analysis("drawdown_episodes", args, f"drawdown_episodes {symbol}",
                              lambda: self.market.drawdown_episodes(symbol, start, end, threshold_pct / 100.0))

    def calendar_returns(self, symbol: str, frequency: Literal["day", "month", "quarter", "year"] = "month",
                         start: str | None = None, end: str | None = None) -> dict[str, Any]:
        """Daily, monthly, quarterly or yearly returns, each from the close before the period, with best/worst; cited [0].

        For "day" only the five worst and five best days are returned (worst first), not every day.
        """
        args = {"symbol": symbol, "frequency": frequency, "start": start, "end": end}
        out = self._analysis("calendar_returns", args, f"calendar_returns {symbol} {frequency}",
                             lambda: self.market.calendar_returns(symbol, start, end, frequency))
        if frequency == "day" and out.get("periods"):
            ranked = sorted((p for p in out["periods"] if not p.get("partial")), key=lambda p: p["return"])
            shown = ranked[:DAY_EXTREMES] + ranked[-DAY_EXTREMES:][::-1] if len(ranked) > 2 * DAY_EXTREMES else ranked
            out["periods"] = shown
            out["figures"] = {p["label"]: p["return"] for p in shown}
        return out

    def rolling_views(self, symbol: str, benchmark: str | None = None, window: int = 60, start: str | None = None,
                      end: str | None = None) -> dict[str, Any]:
        """Rolling beta and correlation vs `benchmark`, volatility and its percentile in the index's own history.

        Returns the last values; the full series go to the chart. Default window: the last year. Cited [0].
        """
        args = {"symbol": symbol, "benchmark": benchmark, "window": window, "start": start, "end": end}
        return self._analysis("rolling_views", args, f"rolling_views {symbol}",
                              lambda: self.market.rolling_views(symbol, benchmark, start, end, window))

    def scorecard(self, symbol: str, benchmark: str | None = None, start: str | None = None,
                  end: str | None = None, base: ReturnBase | None = None) -> dict[str, Any]:
        """Stars 1-5 for momentum, relative strength, trend, volatility, drawdown and rate sensitivity, by fixed rules; cited [0].

        Each rating gives its value, the band it fell in and the rule's cuts: quote the stars
        with their rule, never rate by judgement. Window and `base` as for market_metrics, so the
        ratings read the same figures as the report; default window: the year up to the latest data.
        """
        args = {"symbol": symbol, "benchmark": benchmark, "start": start, "end": end, "base": base}
        return self._analysis("scorecard", args, f"scorecard {symbol}" + (f"/{benchmark}" if benchmark else ""),
                              lambda: self.market.scorecard(symbol, benchmark, start, end, base or "on_or_before"))

    def not_computable(self, topic: Literal["breadth", "valuation", "earnings"]) -> dict[str, Any]:
        """Why breadth, valuation or earnings cannot be computed from index prices; cite sources for them instead."""
        try:
            result = self.market.not_computable(topic).to_json_dict()
        except Exception as exc:
            return self._record("not_computable", {"topic": topic}, {"error": _one_line(exc)}, f"not_computable {topic}")
        return self._record("not_computable", {"topic": topic}, result, f"not_computable {topic}")

    # -- helpers for writers (not tools) ------------------------------------------------

    def last_trading_day(self, symbol: str) -> date | None:
        """The last date with data for `symbol`, or None when it cannot be read."""
        try:
            frame = self.market.history(symbol)
        except Exception:  # the caller falls back to the market's default window
            return None
        if frame is None or len(frame) == 0:
            return None
        last = frame["date"].iloc[-1] if "date" in getattr(frame, "columns", []) else frame.index[-1]
        return last.date() if hasattr(last, "date") else date.fromisoformat(str(last)[:10])

    def data_end(self, symbols: list[str]) -> date | None:
        """The last day with data for every one of `symbols` (the earliest of their last days)."""
        days = [d for d in (self.last_trading_day(s) for s in symbols) if d is not None]
        return min(days) if days else None

    def find_anchor(self, symbol: str, kind: str, year: int | None, month: int | None,
                    reference: date | None) -> tuple[date, float, str] | None:
        """The day an event anchor refers to ("the 2025 low") in `symbol`'s closes, its close and rule."""
        from knowledge.market.anchors import resolve_anchor

        try:
            frame = self.market.history(symbol)
        except Exception:  # no prices: the window falls back and the answer says so
            return None
        raw = frame["date"] if "date" in frame.columns else frame.index
        dates = [d.date() if hasattr(d, "date") else date.fromisoformat(str(d)[:10]) for d in raw]
        reference = reference or (dates[-1] if dates else None)
        if reference is None:
            return None
        return resolve_anchor(kind, year, month, dates, [float(c) for c in frame["close"]], reference)

