"""The scorecard (stars by the stated rules of `knowledge.market.scorecard`) and the outlook by
horizon, each horizon naming the rated signals it rests on.

The stars are not decided here: the scorecard tool measured each dimension and rated it by a
fixed band; this module lays the ratings out with their value and band, so a reader can check
every star against the rule (the full rule table is under [0]). The outlook reads the same
ratings through `HORIZON_DIMENSIONS`, so its text changes when the figures do.
"""

from __future__ import annotations

from typing import Any

from assistant.offline.evidence import Quote
from assistant.offline.phrases import listing, phrase
from assistant.offline.report import MarketView, pct, pp, stars
from knowledge.market.scorecard import HORIZON_DIMENSIONS

# Mean stars at or above FAVOURABLE read as favourable, at or below UNFAVOURABLE as unfavourable.
FAVOURABLE, UNFAVOURABLE = 3.5, 2.5


def _value(lang: str, rating: dict[str, Any]) -> str:
    """A rating's measured value as the answer shows it (percent, pp or percentile)."""
    value, dimension = float(rating["value"]), rating["dimension"]
    if dimension == "momentum":
        return phrase(lang, "score_pp", value=pp(value * 100))
    if dimension == "volatility":
        return phrase(lang, "score_percentile", value=pct(value * 100, signed=False))
    if dimension == "rate_sensitivity":
        return phrase(lang, "score_per_10bp", value=pct(value * 100))
    return pct(value * 100)


def _band(lang: str, rating: dict[str, Any]) -> str:
    """The band the value fell in, with the rule's own cuts: "−1.00% to +1.00%", "≥ +5.00%"."""
    low, high = rating["band"]
    signed = rating["rule"]["unit"] != "percentile"

    def show(x: float) -> str:
        return pct(x * 100, signed=signed)

    if low is None:
        return phrase(lang, "score_below", high=show(high))
    if high is None:
        return phrase(lang, "score_at_least", low=show(low))
    return phrase(lang, "score_between", low=show(low), high=show(high))


SUPPORT_KEYS = ("catalysts", "forecasts")  # the evidence buckets that argue for a view


def _cites(quotes: dict[str, list[Quote]], keys: tuple[str, ...]) -> str:
    """"[1][3]": the documents quoted under `keys`, in id order."""
    return "".join(f"[{c}]" for c in sorted({q.cite for key in keys for q in quotes.get(key, [])}))


def _evidence_stars(quotes: dict[str, list[Quote]]) -> int:
    sources = {q.publisher or q.cite for key in SUPPORT_KEYS for q in quotes.get(key, [])}
    return 1 + min(len(sources), 4)


def scorecard(lang: str, card: dict[str, Any] | None, quotes: dict[str, list[Quote]]) -> list[str]:
    """Section 12: one row per rated dimension (value [0], band, stars), then the sources' support."""
    lines = [phrase(lang, "h_score"), "", phrase(lang, "score_head"), "|---|---|---|---|"]
    for rating in (card or {}).get("ratings", []):
        dimension = rating["dimension"]
        lines.append(f"| {phrase(lang, f'score_{dimension}')} | {_value(lang, rating)} [0] | "
                     f"{_band(lang, rating)} | {stars(int(rating['stars']))} |")
    cites = _cites(quotes, SUPPORT_KEYS)
    lines.append(f"| {phrase(lang, 'score_evidence')} | {cites or '—'} | {phrase(lang, 'score_evidence_rule')} | "
                 f"{stars(_evidence_stars(quotes))} |")
    return [*lines, "", phrase(lang, "score_rules_note"), ""]


def _reading(lang: str, ratings: list[dict[str, Any]]) -> str:
    mean = sum(int(r["stars"]) for r in ratings) / len(ratings)
    key = "o_favourable" if mean >= FAVOURABLE else "o_unfavourable" if mean <= UNFAVOURABLE else "o_mixed"
    return phrase(lang, key)


def horizon_signals(lang: str, card: dict[str, Any] | None, horizon: str) -> str | None:
    """"momentum ★★★★☆, trend ★★★☆☆ — mixed": the rated signals one horizon rests on, and their reading."""
    by_dimension = {r["dimension"]: r for r in (card or {}).get("ratings", [])}
    ratings = [by_dimension[d] for d in HORIZON_DIMENSIONS[horizon] if d in by_dimension]
    if not ratings:
        return None
    named = listing(lang, (f"{phrase(lang, 'score_name_' + r['dimension'])} {stars(int(r['stars']))}" for r in ratings))
    return phrase(lang, "o_signals", signals=named, reading=_reading(lang, ratings))


def outlook(lang: str, mv: MarketView, card: dict[str, Any] | None, quotes: dict[str, list[Quote]]) -> list[str]:
    """Section 13: each horizon opens with the rated signals it rests on, then the condition that
    would confirm or break it, with the sources that support it."""
    s, p = mv.sa, mv.pair
    lines = [phrase(lang, "h_outlook"), ""]

    def with_signals(horizon: str, line: str) -> str:
        signals = horizon_signals(lang, card, horizon)
        return line + ("" if lang == "zh" else " ") + signals if signals else line

    if s.get("above_ma20") and s.get("above_ma50"):
        short = phrase(lang, "o_short_pos")
    elif s.get("above_ma20") is False and s.get("above_ma50") is False:
        short = phrase(lang, "o_short_neg")
    elif p is not None and p.get("rs_from_max_pct") is not None:
        short = phrase(lang, "o_short_mixed", rs_from_max=pct(p["rs_from_max_pct"], signed=False))
    else:
        short = phrase(lang, "o_short_mixed_one")
    lines.append(with_signals("1-3m", short))
    support = _cites(quotes, SUPPORT_KEYS)
    risk_cites = _cites(quotes, ("risks",))
    risk_cites = (" " + risk_cites) if risk_cites else ""
    if p is None or p.get("vol_premium_pct") is None:
        ret = pct(s.get("return_pct"))
        lines.append(with_signals("6-12m", phrase(lang, "o_mid_one", cites=support, ret=ret) if support
                                  else phrase(lang, "o_mid_one_none", ret=ret)))
        lines.append(with_signals("12m+", phrase(lang, "o_long_one", risk_cites=risk_cites,
                                                 dd=pct(s.get("max_drawdown_pct")))))
        return lines + [""]
    excess = pp(p["excess_return_pct"])
    lines.append(with_signals("6-12m", phrase(lang, "o_mid", cites=support, excess=excess) if support
                              else phrase(lang, "o_mid_none", excess=excess)))
    lines.append(with_signals("12m+", phrase(lang, "o_long", risk_cites=risk_cites,
                                             prem=pct(p["vol_premium_pct"], signed=False))))
    return lines + [""]
