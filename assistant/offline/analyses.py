"""Answers computed by an analysis tool instead of the window's metrics: a calendar table of
returns, every drawdown deeper than a threshold, returns when a rule held over another series,
and how an index (against its benchmark) moved with the 10-year yield.

Each number shown is a value of the tool result (rounded as shown), so verification grounds it
in [0]; the method the tool states is quoted in the reference line.
"""

from __future__ import annotations

from typing import Any

from assistant.answerdoc import Block, Paragraph, Table
from assistant.offline.phrases import listing, phrase, provider_text
from assistant.offline.report import price
from assistant.reading.request import ANALYSIS_KINDS, Request
from assistant.tools import Toolbox

RULE_LOOKBACK_DAYS = 20  # "yields rising": the 10-year above its level 20 trading days before
WEEKLY_FROM_DAYS = 2 * 365  # a window of two years or more is regressed on weekly returns, shorter ones daily
CLEAR_T = 2.0  # |t| at or above this: a statistically clear link
ROLLING_DAYS = 60  # the rolling window of beta, correlation and volatility
# A volatility percentile in the top fifth of its own history reads as high, the bottom fifth as low.
HIGH_PERCENTILE, LOW_PERCENTILE = 0.8, 0.2


def analysis_kind(request: Request) -> str | None:
    return next((k for k in request.kinds if k in ANALYSIS_KINDS), None)


def run_analysis(request: Request, toolbox: Toolbox) -> dict[str, Any]:
    """Call the analysis tool the question asks for, on its first instrument and window."""
    kind, ask = analysis_kind(request), request.analysis
    subject = request.instruments[0].symbol
    window = request.window
    start = window.start.isoformat() if window and window.start else None
    end = window.end.isoformat() if window and window.end else None
    if kind == "calendar":
        return toolbox.calendar_returns(subject, ask.frequency if ask else "month", start, end)
    if kind == "episodes":
        return toolbox.drawdown_episodes(subject, ask.threshold_pct if ask else 10.0, start, end)
    if kind == "rate_sensitivity":
        return rate_answer(request, toolbox, start, end)
    if kind == "rolling":
        other = request.instruments[1].symbol if len(request.instruments) > 1 else None
        return toolbox.rolling_views(subject, other, ROLLING_DAYS, start, end)
    assert ask is not None and ask.series and ask.rule
    return toolbox.conditional_returns(subject, ask.series, ask.rule, ask.level, RULE_LOOKBACK_DAYS, start, end)


def rate_answer(request: Request, toolbox: Toolbox, start: str | None, end: str | None) -> dict[str, Any]:
    """The regression of each instrument, and of the first's ratio to the second, on the 10-year
    yield (weekly over two years or more, else daily), with the months the yield jumped."""
    symbols = [i.symbol for i in request.instruments if not i.level][:2]
    if not symbols:  # "is the VIX sensitive to rates?": a level series has no return to regress
        return {"error": phrase(request.language, "an_rate_levels",
                                names=listing(request.language, (i.display(request.language)
                                                                 for i in request.instruments)))}
    window = request.window
    span = (window.end - window.start).days if window and window.start and window.end else WEEKLY_FROM_DAYS
    frequency = "weekly" if span >= WEEKLY_FROM_DAYS else "daily"
    pair = toolbox.rate_sensitivity(symbols[0], symbols[1], start, end, frequency) if len(symbols) > 1 else None
    if pair is not None and "error" not in pair:
        # each index over the days the pair shares, so the rows compare like with like
        start = max(start or "", str(pair["regression"]["first_date"])) or None
    fits = {s: toolbox.rate_sensitivity(s, None, start, end, frequency) for s in symbols}
    failed = next((r for r in [*fits.values(), pair] if r is not None and "error" in r), None)
    if failed is not None:
        return {"error": failed["error"]}
    lead = (pair or fits[symbols[0]])["regression"]
    return {"analysis": "rate_answer", "frequency": frequency, "symbols": lead["symbols"],
            "first_date": lead["first_date"], "last_date": lead["last_date"], "as_of": lead.get("as_of"),
            "provider": lead.get("provider"), "fits": {s: r["regression"] for s, r in fits.items()},
            "pair": pair["regression"] if pair else None, "events": (pair or fits[symbols[0]])["events"]}


def rate_blocks(request: Request, result: dict[str, Any]) -> list[Block]:
    """The verdict (did the first lag the second when yields rose, and how clearly), the table of
    slopes, and the months the yield jumped, every number from the rate_sensitivity results [0]."""
    lang = request.language
    names = {i.symbol: i.display(lang) for i in request.instruments}
    unit = phrase(lang, "an_weeks" if result["frequency"] == "weekly" else "an_days")
    fits, pair = result["fits"], result.get("pair")
    lead_fit = pair or next(iter(fits.values()))
    clear = lead_fit.get("t_stat") is not None and abs(lead_fit["t_stat"]) >= CLEAR_T
    common = {"slope": _pct(lead_fit["slope_per_10bp"]), "t": f"{lead_fit['t_stat']:.2f}",
              "r2": f"{lead_fit['r_squared']:.2f}", "n": lead_fit["n"], "unit": unit,
              "first": lead_fit["first_date"], "last": lead_fit["last_date"]}
    if pair is not None:
        a, b = pair["symbols"][0], pair["symbols"][-1]
        key = ("an_rate_lag" if pair["slope_per_10bp"] < 0 else "an_rate_lead") + ("" if clear else "_weak")
        lead = phrase(lang, key, a_name=names.get(a, a), b_name=names.get(b, b), target=pair["target"], **common)
    else:
        (symbol,) = fits
        lead = phrase(lang, "an_rate_one" if clear else "an_rate_one_weak", a_name=names.get(symbol, symbol),
                      **common)
    rows = [[names.get(s, s), _pct(f["slope_per_10bp"]), f"{f['t_stat']:.2f}",
             f"{f['r_squared']:.2f}", "—" if f.get("correlation") is None else f"{f['correlation']:.2f}", str(f["n"])]
            for s, f in [*fits.items(), *([(pair["target"], pair)] if pair else [])]]
    out: list[Block] = [Paragraph(text=lead, emphasis="lead"),
                        Table(header=phrase(lang, "an_rate_head").split("|"), rows=rows)]
    events = result.get("events") or {}
    if events.get("event_months"):
        a = result["symbols"][0]
        key = "rate_events_pair" if pair is not None else "rate_events_one"
        b = pair["symbols"][-1] if pair is not None else ""
        out.append(Paragraph(text=phrase(lang, key, k=events["event_months"], months=events["months"],
                                         name=names.get(a, a), b_name=names.get(b, b),
                                         avg=_pct(events["average_return"]), hit=_pct(events["hit_rate"], signed=False))
                             .removeprefix("- ")))
    return out


SEASONAL_FROM_YEARS = 3  # a month-of-year average over fewer years is not shown as a pattern


def calendar_blocks(request: Request, result: dict[str, Any], name: str) -> list[Block]:
    """A calendar table with its best and worst complete periods; a question after the extremes
    ("the best month historically", "the biggest daily drop") gets them first, and for months the
    average of each calendar month instead of every row."""
    lang = request.language
    extremes = request.analysis is not None and request.analysis.about == "extremes"
    periods = result.get("periods", [])

    def row(p: dict[str, Any]) -> list[str]:
        return [p["label"] + (phrase(lang, "an_partial") if p.get("partial") else ""), _pct(p.get("return")),
                f"{price(p.get('base_close'))} ({p.get('base_date')})", f"{price(p.get('last_close'))} ({p.get('last_date')})"]

    header = phrase(lang, "an_calendar_head").split("|")
    best = next((p for p in periods if p["label"] == result.get("best")), None)
    worst = next((p for p in periods if p["label"] == result.get("worst")), None)
    lead: list[Block] = []
    if best is not None and worst is not None:
        key = "an_day_extremes" if result.get("frequency") == "day" else "an_extremes" if extremes else "an_best_worst"
        lead.append(Paragraph(text=phrase(lang, key, name=name, best=best["label"], best_ret=_pct(best["return"]),
                                          worst=worst["label"], worst_ret=_pct(worst["return"]),
                                          best_from=price(best["base_close"]), best_to=price(best["last_close"]),
                                          worst_from=price(worst["base_close"]), worst_to=price(worst["last_close"])),
                              emphasis="lead" if extremes or key == "an_day_extremes" else "none"))
    if result.get("frequency") == "day":  # the five worst and five best days the tool returned
        return [*lead, Table(header=header, rows=[row(p) for p in periods])]
    seasonal = {m: s for m, s in (result.get("seasonality") or {}).items() if s["n"] >= SEASONAL_FROM_YEARS}
    if extremes and seasonal:
        top = max(seasonal, key=lambda m: seasonal[m]["mean"])
        rows = [[phrase(lang, f"month_{m}"), _pct(s["mean"]), f"{int(s['n'])}", _pct(s["up"], signed=False)]
                for m, s in seasonal.items()]
        return [*lead, Paragraph(text=phrase(lang, "an_seasonal", name=name, month=phrase(lang, f"month_{top}"),
                                             mean=_pct(seasonal[top]["mean"]), n=int(seasonal[top]["n"]),
                                             up=_pct(seasonal[top]["up"], signed=False))),
                Table(header=phrase(lang, "an_seasonal_head").split("|"), rows=rows)]
    table = Table(header=header, rows=[row(p) for p in periods])
    return [*lead, table] if extremes else [table, *lead]


def rolling_blocks(request: Request, result: dict[str, Any]) -> list[Block]:
    """Where volatility stands in the index's own history on the last day (high, low or in the
    usual range, by the top and bottom fifth), and the rolling beta and correlation; the chart of
    the whole window goes with the answer."""
    lang = request.language
    names = {i.symbol: i.display(lang) for i in request.instruments}
    last, target = result.get("last") or {}, result["target"]
    out: list[Block] = []
    if last.get("vol") is not None and last.get("vol_percentile") is not None:
        p = float(last["vol_percentile"])
        key = "an_vol_high" if p >= HIGH_PERCENTILE else "an_vol_low" if p <= LOW_PERCENTILE else "an_vol_usual"
        out.append(Paragraph(text=phrase(lang, key, name=names.get(target, target), n=result["window"],
                                         day=result["last_date"], vol=_pct(last["vol"], signed=False),
                                         pctile=_pct(p, signed=False)), emphasis="lead"))
    benchmark = result.get("benchmark")
    if benchmark and last.get("beta") is not None and last.get("correlation") is not None:
        out.append(Paragraph(text=phrase(lang, "an_rolling_beta", name=names.get(target, target),
                                         b_name=names.get(benchmark, benchmark), n=result["window"],
                                         day=result["last_date"], beta=f"{last['beta']:.2f}",
                                         corr=f"{last['correlation']:.2f}")))
    if request.analysis is not None and request.analysis.about == "beta" and len(out) > 1:
        # "rolling beta of small caps?": the beta answers; the volatility reading follows, unbolded
        out = [out[1].model_copy(update={"emphasis": "lead"}),
               out[0].model_copy(update={"emphasis": "none", "text": out[0].text.replace("**", "")})]
    out.append(Paragraph(text=phrase(lang, "an_rolling_chart", first=result["first_date"], last=result["last_date"]),
                         emphasis="note"))
    return out


def _pct(value: Any, signed: bool = True) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:+.2f}%" if signed else f"{float(value) * 100:.2f}%"


def analysis_blocks(request: Request, result: dict[str, Any]) -> list[Block]:
    """The analysis result as the answer's table and sentences, in the question's language."""
    lang, kind = request.language, analysis_kind(request)
    name = request.instruments[0].display(lang)
    if kind == "rate_sensitivity":
        return rate_blocks(request, result)
    if kind == "rolling":
        return rolling_blocks(request, result)
    if kind == "calendar":
        return calendar_blocks(request, result, name)
    if kind == "episodes":
        episodes = result.get("episodes", [])
        rows = [[f"{price(e['peak_close'])} ({e['peak_date']})", f"{price(e['trough_close'])} ({e['trough_date']})",
                 _pct(e["depth"]), e.get("recovery_date") or phrase(lang, "an_open"),
                 str(e.get("days_to_trough", "—")), str(e.get("days_to_recovery") or "—")] for e in episodes]
        threshold = f"{float(result.get('threshold', 0.1)) * 100:.0f}%"
        lead = Paragraph(text=phrase(lang, "an_episodes", name=name, n=len(episodes), threshold=threshold,
                                     first=result.get("first_date"), last=result.get("last_date"),
                                     deepest=_pct(result.get("figures", {}).get("deepest"))), emphasis="lead")
        if not episodes:
            return [Paragraph(text=phrase(lang, "an_no_episodes", name=name, threshold=threshold,
                                          first=result.get("first_date"), last=result.get("last_date")))]
        return [lead, Table(header=phrase(lang, "an_episodes_head").split("|"), rows=rows)]
    f = result.get("figures", {})
    condition = result.get("condition") or {}
    rule = phrase(lang, f"an_rule_{condition.get('kind')}", series=condition.get("series"),
                  level=f"{condition.get('level'):g}" if condition.get("level") is not None else "",
                  lookback=condition.get("lookback"))
    return [Paragraph(text=phrase(lang, "an_regime", name=name, rule=rule, first=result.get("first_date"),
                                  last=result.get("last_date"), days=int(f.get("days_true", 0)),
                                  episodes=int(f.get("episodes_true", 0)), ret=_pct(f.get("mean_daily_return_true")),
                                  vol=_pct(f.get("ann_vol_true"), signed=False), hit=_pct(f.get("hit_rate_true"), signed=False),
                                  other_days=int(f.get("days_false", 0)), other_ret=_pct(f.get("mean_daily_return_false")),
                                  other_vol=_pct(f.get("ann_vol_false"), signed=False),
                                  other_hit=_pct(f.get("hit_rate_false"), signed=False)), emphasis="lead")]


def analysis_reference(lang: str, result: dict[str, Any]) -> str:
    """The [0] line of an analysis answer: provider, series, span, as-of. The method, in the tool's
    words, is shown under [0] in the app and the PDF: its rule numbers are not figures to trace."""
    return phrase(lang, "an_ref", provider=provider_text(lang, result.get("provider")),
                  symbols=listing(lang, result.get("symbols") or []), first=result.get("first_date"),
                  last=result.get("last_date"), as_of=result.get("as_of"))
