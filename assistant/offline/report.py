"""Rendering the offline report's market sections from a compact market_metrics result.

Every number written here is a value of the compact tool result (already rounded to the
precision it is shown at), so the verifier grounds it against the exact report.
"""

from __future__ import annotations

from typing import Any

from assistant.offline.evidence import Quote
from assistant.offline.phrases import listing, phrase, provider_text


def pct(value: float | None, signed: bool = True) -> str:
    """11.12 -> "+11.12%" (the compact view already holds percents)."""
    if value is None:
        return "—"
    return f"{value:+.2f}%" if signed else f"{abs(value):.2f}%"


def pp(value: float | None) -> str:
    """Percentage points, signed, without the % sign (the unit is written in words)."""
    return "—" if value is None else f"{value:+.2f}"


def price(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def stars(count: int) -> str:
    count = max(1, min(5, count))
    return "★" * count + "☆" * (5 - count)


class MarketView:
    """Convenient access to one compact market_metrics result: the first pair A/B."""

    def __init__(self, result: dict[str, Any]) -> None:
        self.raw = result
        self.symbols: list[str] = list(result["series"])
        self.a = self.symbols[0]
        self.sa: dict[str, Any] = result["series"][self.a]
        key = next(iter(result.get("pairs", {})), None)
        self.pair: dict[str, Any] | None = result["pairs"][key] if key else None
        self.b: str | None = key.split("/", 1)[1] if key else None
        self.sb: dict[str, Any] | None = result["series"].get(self.b) if self.b else None
        # A return runs from the base close (the close before a calendar period); the window's
        # other figures from its first day inside.
        self.start = self.sa.get("base_date") or self.sa["first_date"]
        self.end = self.sa["last_date"]

    def name(self, symbol: str | None) -> str:
        if symbol is None:
            return ""
        return self.raw["series"].get(symbol, {}).get("name") or symbol


def headline(lang: str, mv: MarketView) -> list[str]:
    """Section 1: the headline return of A, and B with the excess return."""
    sa = mv.sa
    lines = [phrase(lang, "h_headline"), "",
             phrase(lang, "headline", a_name=mv.name(mv.a), start=mv.start, end=mv.end, days=sa["trading_days"],
                    ret=pct(sa["return_pct"]), first=price(sa.get("base_close", sa["first_close"])),
                    last=price(sa["last_close"]))]
    if mv.pair and mv.sb:
        excess = mv.pair["excess_return_pct"]
        lines[-1] += (" " if lang == "en" else "") + phrase(
            lang, "headline_b", b_name=mv.name(mv.b), ret=pct(mv.sb["return_pct"]), a_name=mv.name(mv.a),
            beat=phrase(lang, "beat_pos" if excess >= 0 else "beat_neg"), excess=f"{abs(excess):.2f}")
    return lines + [""]


def _side(lang: str, flag: bool | None) -> str:
    return phrase(lang, "above" if flag else "below")


def rs_sentence(lang: str, mv: MarketView) -> str | None:
    """The A/B ratio at the end, its high and the distance from it, and its 20-day average."""
    p = mv.pair
    if not p or p.get("rs_end") is None:
        return None
    move = (phrase(lang, "rs_at_high") if not p.get("rs_from_max_pct")
            else phrase(lang, "rs_below", rs_from_max=pct(p["rs_from_max_pct"], signed=False)))
    text = phrase(lang, "rs", a=mv.a, b=mv.b, rs_end=f"{p['rs_end']:.4f}", rs_max=f"{p['rs_max']:.4f}",
                  rs_max_date=p["rs_max_date"], rs_move=move)
    if p.get("rs_ma20") is not None:
        text += (" " if lang == "en" else "") + phrase(
            lang, "rs_ma", rs_ma_side=_side(lang, p["rs_end"] > p["rs_ma20"]), rs_ma20=f"{p['rs_ma20']:.4f}")
    return text


def ma_lines(lang: str, mv: MarketView, symbols: list[str] | None = None) -> list[str]:
    """One bullet per symbol: last close against its MA20 and MA50, and MA20 against MA50."""
    lines: list[str] = []
    for sym in symbols or ([mv.a, mv.b] if mv.b else [mv.a]):
        s = mv.raw["series"][sym]
        if s.get("ma20") is None or s.get("ma50") is None:
            continue
        lines.append("- " + phrase(lang, "ma_line", name=mv.name(sym), last=price(s["last_close"]),
                                   side20=_side(lang, s["above_ma20"]), ma20=price(s["ma20"]),
                                   side50=_side(lang, s["above_ma50"]), ma50=price(s["ma50"]),
                                   cross=_side(lang, s["ma20_above_ma50"])))
    return lines


def ma200_lines(lang: str, mv: MarketView) -> list[str]:
    """One bullet per symbol: last close against its 200-day average, or why there is none."""
    lines: list[str] = []
    for sym in mv.symbols:
        s = mv.raw["series"][sym]
        if s.get("ma200") is None:
            lines.append("- " + phrase(lang, "ma200_none", name=mv.name(sym)))
        else:
            lines.append("- " + phrase(lang, "ma200_line", name=mv.name(sym), last=price(s["last_close"]),
                                       side=_side(lang, s["last_close"] > s["ma200"]), ma200=price(s["ma200"])))
    return lines


def relative_strength(lang: str, mv: MarketView) -> list[str]:
    """Section 2: the A/B ratio against its high and its MA20; price vs MA20/MA50."""
    lines = [phrase(lang, "h_rs"), ""]
    text = rs_sentence(lang, mv)
    if text:
        lines += [text, ""]
    return lines + ma_lines(lang, mv) + [""]


def _cell_ma(lang: str, s: dict[str, Any], flag: str, dist: str) -> str:
    if s.get(flag) is None:
        return "—"
    return f"{phrase(lang, 'cell_above' if s[flag] else 'cell_below')} ({pct(s.get(dist))})"


def technical_table(lang: str, mv: MarketView) -> list[str]:
    """Section 9: the technical indicators of each symbol with a plain-language reading."""
    syms = [mv.a, mv.b] if mv.b else [mv.a]
    ss = [mv.raw["series"][s] for s in syms]
    sa, sb = mv.sa, mv.sb
    rows: list[tuple[str, list[str], str]] = []
    rows.append((phrase(lang, "t_ret"), [pct(s["return_pct"]) for s in ss], ""))
    rows.append((phrase(lang, "t_ma20"), [_cell_ma(lang, s, "above_ma20", "last_vs_ma20_pct") for s in ss],
                 phrase(lang, "r_short_bull" if sa.get("above_ma20") else "r_short_bear")))
    rows.append((phrase(lang, "t_ma50"), [_cell_ma(lang, s, "above_ma50", "last_vs_ma50_pct") for s in ss],
                 phrase(lang, "r_mid_bull" if sa.get("above_ma50") else "r_mid_bear")))
    rows.append((phrase(lang, "t_cross"),
                 ["—" if s.get("ma20_above_ma50") is None else ("MA20 > MA50" if s["ma20_above_ma50"] else "MA20 < MA50")
                  for s in ss],
                 phrase(lang, "r_mid_bull" if sa.get("ma20_above_ma50") else "r_mid_bear")))
    vol_read = ""
    if sb and sa.get("ann_vol_20d_pct") is not None and sb.get("ann_vol_20d_pct") is not None:
        vol_read = phrase(lang, "r_vol_high" if sa["ann_vol_20d_pct"] > sb["ann_vol_20d_pct"] else "r_vol_low", a=mv.a)
    rows.append((phrase(lang, "t_vol20"), [pct(s.get("ann_vol_20d_pct"), signed=False) for s in ss], vol_read))
    cooling = (sa.get("ann_vol_20d_pct") or 0) < (sa.get("ann_vol_pct") or 0)
    rows.append((phrase(lang, "t_vol"), [pct(s.get("ann_vol_pct"), signed=False) for s in ss],
                 phrase(lang, "r_vol_cooling" if cooling else "r_vol_rising")))
    dd_read = ""
    if sb:
        deeper = sa["max_drawdown_pct"] < sb["max_drawdown_pct"]
        dd_read = phrase(lang, "r_dd_deeper" if deeper else "r_dd_shallower", a=mv.a)
    rows.append((phrase(lang, "t_dd"), [pct(s["max_drawdown_pct"]) for s in ss], dd_read))
    if mv.pair:
        ex = mv.pair["excess_return_pct"]
        rows.append((phrase(lang, "t_excess", b=mv.b), [pct(ex), "—"],
                     phrase(lang, "r_mom_strong" if ex > 0 else "r_mom_weak")))
    lines = [phrase(lang, "h_tech"), "", phrase(lang, "tech_head", cols=" | ".join(syms)),
             "|" + "---|" * (len(syms) + 2)]
    lines += [f"| {label} | {' | '.join(cells)} | {reading} |" for label, cells, reading in rows]
    return lines + [""]


def risks(lang: str, mv: MarketView, quotes: list[Quote], rolling: dict[str, Any] | None = None) -> list[str]:
    """Section 10: volatility and drawdown from [0], the rolling views at the window's end (their
    chart goes with the answer), then risks quoted from the sources."""
    lines = [phrase(lang, "h_risks"), ""]
    sa, sb, p = mv.sa, mv.sb, mv.pair
    if p and sb and p.get("vol_premium_pct") is not None:
        prem = p["vol_premium_pct"]
        lines.append(phrase(lang, "risk_vol", a_name=mv.name(mv.a), b_name=mv.name(mv.b),
                            va=pct(sa["daily_vol_pct"], signed=False), vb=pct(sb["daily_vol_pct"], signed=False),
                            more=phrase(lang, "more" if prem >= 0 else "less"), prem=pct(prem, signed=False),
                            beta=f"{p['beta']:.2f}", corr=f"{p['correlation']:.2f}"))
    if sb:
        lines.append(phrase(lang, "risk_dd", a_name=mv.name(mv.a), b_name=mv.name(mv.b),
                            dda=pct(sa["max_drawdown_pct"]), ddb=pct(sb["max_drawdown_pct"])))
    else:
        lines.append(phrase(lang, "risk_dd_one", a_name=mv.name(mv.a), dda=pct(sa["max_drawdown_pct"])))
    lines += rolling_lines(lang, mv, rolling)
    lines += [quote_line(lang, q) for q in quotes]
    return lines + [""]


def rolling_lines(lang: str, mv: MarketView, rolling: dict[str, Any] | None) -> list[str]:
    """The 60-day volatility and its percentile in the index's own history at the window's end,
    and the 60-day beta and correlation to the benchmark, from the rolling_views result [0]."""
    last = (rolling or {}).get("last") or {}
    if last.get("vol") is None or last.get("vol_percentile") is None:
        return []
    out = [phrase(lang, "risk_rolling_vol", a_name=mv.name(mv.a), n=rolling["window"], day=rolling["last_date"],
                  vol=pct(last["vol"] * 100, signed=False), pctile=pct(last["vol_percentile"] * 100, signed=False))]
    if last.get("beta") is not None and last.get("correlation") is not None and mv.b:
        out.append(phrase(lang, "risk_rolling_beta", a_name=mv.name(mv.a), b_name=mv.name(mv.b), n=rolling["window"],
                          beta=f"{last['beta']:.2f}", corr=f"{last['correlation']:.2f}"))
    return out


def quote_line(lang: str, q: Quote) -> str:
    """A quoted sentence with its source; a demo-pack sentence is attributed as our summary of
    the publisher, never as the publisher's own words."""
    return phrase(lang, "quote_demo" if q.demo else "quote", publisher=q.publisher,
                  date=q.date or phrase(lang, "undated"), text=q.text, cite=q.cite)


def market_reference(lang: str, result: dict[str, Any]) -> str:
    """The `[0]` entry of the reference list: provider, symbols, window, as-of."""
    window = result["window"]
    sep = " 至 " if lang == "zh" else " to "
    return phrase(lang, "ref_market", provider=provider_text(lang, result.get("provider")),
                  symbols=listing(lang, result["symbols"]),
                  window=f"{window['first_date']}{sep}{window['last_date']}", as_of=result.get("as_of"))
