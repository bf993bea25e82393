"""The scorecard (ratings by stated rules) and the outlook by horizon (conditional on evidence).

Ratings are counts of conditions met, never judgement calls, and the rule is printed next to
each rating so a reader can re-derive it from the technical table.
"""

from __future__ import annotations

from assistant.offline.evidence import Quote
from assistant.offline.phrases import phrase
from assistant.offline.report import MarketView, pct, pp, stars


def trend_stars(mv: MarketView) -> int:
    s = mv.sa
    return 1 + sum(bool(x) for x in ((s.get("return_pct") or 0) > 0, s.get("above_ma20"),
                                      s.get("above_ma50"), s.get("ma20_above_ma50")))


def rs_stars(mv: MarketView) -> int | None:
    p = mv.pair
    if not p:
        return None
    excess = p.get("excess_return_pct") or 0.0
    count = 1 + (2 if excess > 0 else 0)
    if p.get("rs_ma20") is not None and p.get("rs_end") is not None and p["rs_end"] > p["rs_ma20"]:
        count += 1
    if p.get("rs_from_max_pct") is not None and abs(p["rs_from_max_pct"]) < excess:
        count += 1
    return count


def risk_stars(mv: MarketView) -> int | None:
    sa, sb = mv.sa, mv.sb
    if not sb:
        return None
    count = 1
    if (sa.get("daily_vol_pct") or 0) < (sb.get("daily_vol_pct") or 0):
        count += 1
    if sa["max_drawdown_pct"] > sb["max_drawdown_pct"]:
        count += 1
    if (sa.get("ann_vol_20d_pct") or 0) < (sa.get("ann_vol_pct") or 0):
        count += 1
    return count


def evidence_stars(quotes: dict[str, list[Quote]]) -> int:
    sources = {q.publisher or q.cite for key in ("catalysts", "forecasts") for q in quotes.get(key, [])}
    return 1 + min(len(sources), 4)


def scorecard(lang: str, mv: MarketView, quotes: dict[str, list[Quote]]) -> list[str]:
    """Section 12: one row per dimension with its rule and star rating."""
    rows = [("score_trend", "score_trend_rule", trend_stars(mv), "[0]"),
            ("score_rs", "score_rs_rule", rs_stars(mv), "[0]"),
            ("score_risk", "score_risk_rule", risk_stars(mv), "[0]")]
    cites = sorted({q.cite for key in ("catalysts", "forecasts") for q in quotes.get(key, [])})
    rows.append(("score_evidence", "score_evidence_rule", evidence_stars(quotes),
                 "".join(f"[{c}]" for c in cites)))
    lines = [phrase(lang, "h_score"), "", phrase(lang, "score_head"), "|---|---|---|"]
    for label, rule, count, cite in rows:
        if count is None:
            continue
        lines.append(f"| {phrase(lang, label)} | {phrase(lang, rule)} {cite} | {stars(count)} |")
    return lines + [""]


def outlook(lang: str, mv: MarketView, quotes: dict[str, list[Quote]]) -> list[str]:
    """Section 13: short, medium and long horizon, each stated as a condition on the evidence."""
    s, p = mv.sa, mv.pair
    lines = [phrase(lang, "h_outlook"), ""]
    if s.get("above_ma20") and s.get("above_ma50"):
        lines.append(phrase(lang, "o_short_pos"))
    elif s.get("above_ma20") is False and s.get("above_ma50") is False:
        lines.append(phrase(lang, "o_short_neg"))
    elif p is not None and p.get("rs_from_max_pct") is not None:
        lines.append(phrase(lang, "o_short_mixed", rs_from_max=pct(p["rs_from_max_pct"], signed=False)))
    else:
        lines.append(phrase(lang, "o_short_mixed_one"))
    support = "".join(f"[{c}]" for c in sorted({q.cite for key in ("catalysts", "forecasts")
                                                  for q in quotes.get(key, [])}))
    risk_cites = "".join(f"[{c}]" for c in sorted({q.cite for q in quotes.get("risks", [])}))
    risk_cites = (" " + risk_cites) if risk_cites else ""
    if p is None or p.get("vol_premium_pct") is None:
        ret = pct(s.get("return_pct"))
        lines.append(phrase(lang, "o_mid_one", cites=support, ret=ret) if support
                     else phrase(lang, "o_mid_one_none", ret=ret))
        lines.append(phrase(lang, "o_long_one", risk_cites=risk_cites, dd=pct(s.get("max_drawdown_pct"))))
        return lines + [""]
    excess = pp(p["excess_return_pct"])
    lines.append(phrase(lang, "o_mid", cites=support, excess=excess) if support
                 else phrase(lang, "o_mid_none", excess=excess))
    lines.append(phrase(lang, "o_long", risk_cites=risk_cites, prem=pct(p["vol_premium_pct"], signed=False)))
    return lines + [""]
