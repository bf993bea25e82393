"""The analyses against independent computations on the real CSVs: pandas/numpy, and statsmodels OLS
for the regression statistics. Nothing here calls knowledge.market to get an expected value."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from assistant.grounding.citations import CitationRegistry
from assistant.grounding.verification import verify_answer
from assistant.llm.tools import TOOL_NAMES, make_tools, signature_schema
from assistant.tools import Toolbox
from knowledge.market import MarketData, MarketDataError, NoDataError, UnknownSymbolError
from knowledge.market.analyses import Condition
from knowledge.market.scorecard import STAR_RULES, rate
from tests.conftest import csv_closes

TEN_YEARS = ("2016-08-01", "2026-08-21")


@pytest.fixture(scope="module")
def market(market_data_dir: Path) -> MarketData:
    return MarketData(market_data_dir, None, ("csv",))


@pytest.fixture(scope="module")
def closes(market_data_dir: Path):
    cache: dict[str, pd.Series] = {}

    def get(sym: str) -> pd.Series:
        if sym not in cache:
            cache[sym] = csv_closes(market_data_dir / f"{sym}.csv")
        return cache[sym]

    return get


def joined(closes, *symbols: str) -> pd.DataFrame:
    return pd.concat([closes(s) for s in symbols], axis=1, join="inner", keys=list(symbols)).sort_index()


# -- rate sensitivity ---------------------------------------------------------------------


def test_daily_rate_sensitivity_matches_statsmodels(market: MarketData, closes) -> None:
    got = market.rate_sensitivity("RUT", *TEN_YEARS)
    frame = joined(closes, "RUT", "US10Y").loc[TEN_YEARS[0]:TEN_YEARS[1]]
    y = frame["RUT"].pct_change()
    x = frame["US10Y"].diff() * 100  # percent -> basis points
    ok = y.notna() & x.notna()
    fit = sm.OLS(y[ok], sm.add_constant(x[ok])).fit()
    assert got.n == int(fit.nobs) == len(frame) - 1
    assert got.slope_per_10bp == pytest.approx(fit.params["US10Y"] * 10, rel=1e-9)
    assert got.r_squared == pytest.approx(fit.rsquared, rel=1e-9)
    assert got.t_stat == pytest.approx(fit.tvalues["US10Y"], rel=1e-9)
    assert got.std_err_per_10bp == pytest.approx(fit.bse["US10Y"] * 10, rel=1e-9)
    assert got.intercept == pytest.approx(fit.params["const"], rel=1e-9)
    assert got.figures["slope_per_10bp"] == got.slope_per_10bp and "OLS" in got.method
    assert (got.first_date, got.last_date) == (frame.index[0].date(), frame.index[-1].date())
    assert got.provider == "csv" and got.as_of == date(2026, 8, 21)


def test_weekly_pair_rate_sensitivity_matches_statsmodels(market: MarketData, closes) -> None:
    got = market.rate_sensitivity("RUT", *TEN_YEARS, frequency="weekly", benchmark="SPX")
    frame = joined(closes, "RUT", "SPX", "US10Y").loc[TEN_YEARS[0]:TEN_YEARS[1]]
    weekly = frame.resample("W-SUN").last().dropna()  # each Monday-Sunday week's last shared date
    y = (weekly["RUT"] / weekly["SPX"]).pct_change()
    x = weekly["US10Y"].diff() * 100
    fit = sm.OLS(y.iloc[1:], sm.add_constant(x.iloc[1:])).fit()
    assert got.target == "RUT/SPX" and got.frequency == "weekly"
    assert got.n == int(fit.nobs)
    assert got.slope_per_10bp == pytest.approx(fit.params["US10Y"] * 10, rel=1e-9)
    assert got.r_squared == pytest.approx(fit.rsquared, rel=1e-9)
    assert got.t_stat == pytest.approx(fit.tvalues["US10Y"], rel=1e-9)


def test_rate_events_months_when_the_yield_rose(market: MarketData, closes) -> None:
    got = market.rate_events("RUT", *TEN_YEARS, threshold_bp=25, benchmark="SPX")
    frame = joined(closes, "RUT", "SPX", "US10Y")
    month_end = frame.groupby(frame.index.to_period("M")).last()
    rel = month_end["RUT"].pct_change() - month_end["SPX"].pct_change()
    dy = month_end["US10Y"].diff() * 100
    # complete months inside the window; August 2026 is unfinished in the data (last day 2026-08-21)
    months = month_end.index[(month_end.index >= pd.Period("2016-08", "M")) & (month_end.index <= pd.Period("2026-07", "M"))]
    events = [m for m in months if dy[m] > 25]
    assert got.months == len(months) == 120
    assert got.event_months == len(events) and [e.month for e in got.events] == [str(m) for m in events]
    assert got.average_return == pytest.approx(rel[events].mean(), rel=1e-9)
    assert got.hit_rate == pytest.approx((rel[events] > 0).mean(), rel=1e-12)
    others = [m for m in months if m not in events]
    assert got.average_return_other == pytest.approx(rel[others].mean(), rel=1e-9)
    first = got.events[0]
    assert first.yield_change_bp == pytest.approx(dy[events[0]], abs=1e-9)
    assert first.relative_return == pytest.approx(rel[events[0]], rel=1e-9)


# -- regimes ------------------------------------------------------------------------------


def _regime_expected(r: pd.Series, mask: pd.Series) -> dict[str, float]:
    sel = r[mask]
    runs = int(((mask.astype(int).diff().fillna(mask.astype(int))) == 1).sum())
    return {"days": len(sel), "episodes": runs, "mean": sel.mean(), "compounded": (1 + sel).prod() - 1,
            "vol": sel.std(ddof=1) * math.sqrt(252), "hit": (sel > 0).mean()}


def _check(stats, exp: dict[str, float]) -> None:
    assert stats.days == exp["days"] and stats.episodes == exp["episodes"]
    assert stats.mean_daily_return == pytest.approx(exp["mean"], rel=1e-9)
    assert stats.compounded_return == pytest.approx(exp["compounded"], rel=1e-9)
    assert stats.ann_vol == pytest.approx(exp["vol"], rel=1e-9)
    assert stats.hit_rate == pytest.approx(exp["hit"], rel=1e-12)


def test_spx_when_vix_was_above_30(market: MarketData, closes) -> None:
    got = market.conditional_returns("SPX", Condition(series="VIX", kind="above", level=30), *TEN_YEARS)
    frame = joined(closes, "SPX", "VIX").loc[TEN_YEARS[0]:TEN_YEARS[1]]
    r = frame["SPX"].pct_change().iloc[1:]
    held = (frame["VIX"] > 30).shift(1).iloc[1:].astype(bool)  # known at the previous close
    _check(got.when_true, _regime_expected(r, held))
    _check(got.when_false, _regime_expected(r, ~held))
    assert got.all_days.days == len(r) and got.when_true.days > 0
    assert "VIX close above 30" in got.method


def test_russell_above_its_ma200_and_rising_yields(market: MarketData, closes) -> None:
    rut = closes("RUT")
    got = market.conditional_returns("RUT", Condition(series="RUT", kind="above_ma", lookback=200), *TEN_YEARS)
    above = (rut > rut.rolling(200).mean()).shift(1)
    window = rut.loc[TEN_YEARS[0]:TEN_YEARS[1]]
    r = window.pct_change().iloc[1:]
    held = above.reindex(r.index).fillna(False).astype(bool)
    _check(got.when_true, _regime_expected(r, held))

    got = market.conditional_returns("RUT", Condition(series="10年期美债", kind="rising", lookback=20), *TEN_YEARS)
    rising = (closes("US10Y").diff(20) > 0)
    frame = joined(closes, "RUT", "US10Y").loc[TEN_YEARS[0]:TEN_YEARS[1]]
    r = frame["RUT"].pct_change().iloc[1:]
    held = rising.reindex(frame.index).shift(1).iloc[1:].astype(bool)
    _check(got.when_true, _regime_expected(r, held))
    assert got.condition.series == "US10Y"


# -- drawdown episodes --------------------------------------------------------------------


def _episodes_by_loop(c: pd.Series, threshold: float) -> list[tuple[date, date, date | None, float]]:
    """A plain loop over the closes: (peak, trough, recovery, depth) of each deep enough episode."""
    out, peak_day, peak = [], c.index[0], c.iloc[0]
    trough_day, trough, under = None, None, False
    for day, value in c.items():
        if value >= peak:
            if under and trough / peak - 1 <= -threshold:
                out.append((peak_day.date(), trough_day.date(), day.date(), trough / peak - 1))
            peak_day, peak, under = day, value, False
        elif not under or value < trough:
            trough_day, trough, under = day, value, True
    if under and trough / peak - 1 <= -threshold:
        out.append((peak_day.date(), trough_day.date(), None, trough / peak - 1))
    return out


@pytest.mark.parametrize(("sym", "start", "end", "threshold"), [
    ("IXIC", "2020-01-01", "2026-08-21", 0.10),
    ("RUT", *TEN_YEARS, 0.15),
    ("SPX", "2025-01-01", "2025-05-30", 0.05),  # ends under water: the episode is open
])
def test_drawdown_episodes_match_a_plain_loop(market: MarketData, closes, sym: str, start: str, end: str,
                                              threshold: float) -> None:
    got = market.drawdown_episodes(sym, start, end, threshold)
    c = closes(sym).loc[start:end]
    exp = _episodes_by_loop(c, threshold)
    assert [(e.peak_date, e.trough_date, e.recovery_date) for e in got.episodes] == [x[:3] for x in exp]
    for e, x in zip(got.episodes, exp, strict=True):
        assert e.depth == pytest.approx(x[3], rel=1e-12)
        assert e.days_to_trough == len(c.loc[str(x[0]):str(x[1])]) - 1
        assert e.open == (x[2] is None)
        if x[2] is not None:
            assert e.days_total == len(c.loc[str(x[0]):str(x[2])]) - 1
    dd = c / c.cummax() - 1
    assert got.chart["drawdown"] == pytest.approx(dd.round(6).tolist(), abs=1e-9)
    assert got.figures["episodes"] == len(exp)


def test_an_open_episode_at_the_end(market: MarketData) -> None:
    got = market.drawdown_episodes("SPX", "2025-01-01", "2025-05-30", 0.05)
    assert got.episodes[-1].open and got.episodes[-1].recovery_date is None and got.episodes[-1].days_total is None


# -- calendar tables ----------------------------------------------------------------------


def test_monthly_returns_from_the_close_before_each_month(market: MarketData, closes) -> None:
    got = market.calendar_returns("RUT", "2026-01-01", "2026-08-21", "month")
    rut = closes("RUT")
    month_end = rut.groupby(rut.index.to_period("M")).last()
    exp = month_end.pct_change().loc["2026-01":"2026-08"]
    assert [p.label for p in got.periods] == [str(m) for m in exp.index]
    for p, (_, value) in zip(got.periods, exp.items(), strict=True):
        assert p.return_ == pytest.approx(value, rel=1e-12)
    assert [p.partial for p in got.periods] == [False] * 7 + [True]  # August is unfinished
    complete = exp.iloc[:7]
    assert got.best == str(complete.idxmax()) and got.worst == str(complete.idxmin())
    # the months compound to the year-to-date return from the 2025-12-31 close
    ytd = float(np.prod([1 + p.return_ for p in got.periods]) - 1)
    assert round(ytd * 100, 2) == 21.59


def test_yearly_and_quarterly_tables(market: MarketData, closes) -> None:
    spx = closes("SPX")
    got = market.calendar_returns("SPX", "2017-01-01", "2025-12-31", "year")
    year_end = spx.groupby(spx.index.year).last()
    exp = year_end.pct_change().loc[2017:2025]
    assert [p.label for p in got.periods] == [str(y) for y in exp.index]
    assert [p.return_ for p in got.periods] == pytest.approx(exp.tolist(), rel=1e-12)
    assert round(got.periods[-1].return_ * 100, 2) == 16.39 and got.periods[-1].base_date == date(2024, 12, 31)
    assert got.best == str(exp.idxmax()) and got.worst == str(exp.idxmin()) and not any(p.partial for p in got.periods)

    got = market.calendar_returns("IXIC", "2025-01-01", "2025-12-31", "quarter")
    ixic = closes("IXIC")
    q_end = ixic.groupby(ixic.index.to_period("Q")).last()
    exp = q_end.pct_change().loc["2025Q1":"2025Q4"]
    assert [p.label for p in got.periods] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert [p.return_ for p in got.periods] == pytest.approx(exp.tolist(), rel=1e-12)


# -- rolling views ------------------------------------------------------------------------


def test_rolling_beta_correlation_and_vol_percentile(market: MarketData, closes) -> None:
    got = market.rolling_views("RUT", "SPX", "2025-08-21", "2026-08-21", 60)
    frame = joined(closes, "RUT", "SPX")
    r = frame.pct_change()
    beta = r["RUT"].rolling(60).cov(r["SPX"]) / r["SPX"].rolling(60).var()
    corr = r["RUT"].rolling(60).corr(r["SPX"])
    rut_r = closes("RUT").pct_change()
    vol = rut_r.rolling(60).std(ddof=1) * math.sqrt(252)
    v = vol.dropna().to_numpy()
    # percentile among the volatilities so far: an O(n^2) count, independent of pandas' ranking
    below = (v[None, :] < v[:, None]) & np.tri(v.size, dtype=bool)
    equal = (v[None, :] == v[:, None]) & np.tri(v.size, dtype=bool)
    pct = pd.Series((below.sum(1) + (equal.sum(1) + 1) / 2) / np.arange(1, v.size + 1), index=vol.dropna().index)
    days = closes("RUT").loc["2025-08-21":"2026-08-21"].index
    assert got.chart["dates"] == [d.strftime("%Y-%m-%d") for d in days]
    assert got.chart["beta"] == pytest.approx(beta.loc[days].round(6).tolist(), abs=1e-9)
    assert got.chart["correlation"] == pytest.approx(corr.loc[days].round(6).tolist(), abs=1e-9)
    assert got.chart["vol"] == pytest.approx(vol.loc[days].round(6).tolist(), abs=1e-9)
    assert got.chart["vol_percentile"] == pytest.approx(pct.loc[days].round(6).tolist(), abs=1e-9)
    assert got.last["beta"] == pytest.approx(beta.iloc[-1], rel=1e-9)
    assert got.last["vol_percentile"] == pytest.approx(pct.iloc[-1], rel=1e-9)


# -- not computable, errors ---------------------------------------------------------------


def test_what_the_data_cannot_answer_is_typed(market: MarketData) -> None:
    for topic, word in (("breadth", "constituents"), ("valuation", "earnings"), ("earnings", "earnings")):
        got = market.not_computable(topic)
        assert got.computable is False and got.topic == topic and word in got.reason and got.needs
    with pytest.raises(MarketDataError, match="breadth"):
        market.not_computable("sentiment")  # type: ignore[arg-type]


def test_bad_inputs_are_one_line_errors(market: MarketData) -> None:
    with pytest.raises(UnknownSymbolError):
        market.drawdown_episodes("NIKKEI!!")
    with pytest.raises(MarketDataError, match="fraction"):
        market.drawdown_episodes("RUT", threshold=15)
    with pytest.raises(NoDataError, match="swap"):
        market.calendar_returns("RUT", "2026-01-01", "2025-01-01")
    with pytest.raises(NoDataError, match="level"):
        market.conditional_returns("SPX", Condition(series="VIX", kind="above"))
    with pytest.raises(NoDataError, match="regression"):
        market.rate_sensitivity("RUT", "2026-08-19", "2026-08-20")
    with pytest.raises(MarketDataError, match="rolling window"):
        market.rolling_views("RUT", window=1000)


# -- tools: cited [0], grounded by the verifier, schemas from the signatures ----------------


def test_analysis_tools_register_market_evidence_that_grounds_figures(market: MarketData, closes) -> None:
    registry = CitationRegistry()
    tools = Toolbox(market, None, registry, today=date(2026, 8, 23))
    result = tools.drawdown_episodes("纳斯达克", threshold_pct=10, start="2020-01-01")
    assert result["cite"] == 0 and "chart" not in result and result["method"]
    c = closes("IXIC").loc["2020-01-01":]
    deepest = float((c / c.cummax() - 1).min())
    assert result["figures"]["deepest"] == pytest.approx(deepest, rel=1e-12)
    checked = verify_answer(f"The deepest fall was {deepest * 100:.2f}% [0].", registry)
    assert checked.figures and all(f.grounded for f in checked.figures)
    made_up = verify_answer(f"The deepest fall was {deepest * 100 + 3:.2f}% [0].", registry)
    assert not all(f.grounded for f in made_up.figures)
    assert registry.market_citation() is not None and "IXIC" in registry.market_citation().title

    rate = tools.rate_sensitivity("RUT", benchmark="SPX", start=TEN_YEARS[0], end=TEN_YEARS[1])
    assert rate["regression"]["target"] == "RUT/SPX" and rate["events"]["months"] == 120
    assert [c.name for c in tools.calls] == ["drawdown_episodes", "rate_sensitivity"] and all(c.ok for c in tools.calls)
    bad = tools.calendar_returns("RUT", start="2026-13-01")
    assert "YYYY-MM-DD" in bad["error"] and not tools.calls[-1].ok
    told = tools.not_computable("breadth")
    assert told["computable"] is False and "cite" not in told
    json.dumps(registry.market_json())  # everything registered is JSON-ready


def test_llm_tools_take_their_schema_from_the_signature(market: MarketData) -> None:
    tools = {t.name: t for t in make_tools(Toolbox(market, None, CitationRegistry()))}
    assert set(TOOL_NAMES) <= set(tools)
    schema = signature_schema("conditional_returns").model_json_schema()
    assert schema["properties"]["rule"]["enum"] == ["above", "below", "rising", "falling", "above_ma", "below_ma"]
    assert set(schema["required"]) == {"symbol", "condition_series", "rule"}
    out = json.loads(tools["conditional_returns"].invoke({"symbol": "SPX", "condition_series": "VIX",
                                                         "rule": "above", "level": 30}))
    assert out["cite"] == 0 and out["when_true"]["days"] > 0
    bad = json.loads(tools["drawdown_episodes"].invoke({"symbol": "RUT", "threshold_pct": "deep"}))
    assert bad["error"].startswith("invalid arguments")


# -- scorecard rules ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [-0.2, -0.05, -0.03, 0.0, 0.01, 0.049, 0.05, 0.3])
def test_stars_follow_the_stated_thresholds(value: float) -> None:
    for dimension, rule in STAR_RULES.items():
        reached = sum(value >= t for t in rule.thresholds)  # thresholds the value reaches
        expected = reached + 1 if rule.higher_is_better else 5 - reached
        got = rate(dimension, value)
        assert got.stars == expected and got.rule == rule
        low, high = got.band
        assert (low is None or value >= low) and (high is None or value < high)


# -- charts: the app's Altair specs and the PDF's drawings draw the analyses' own series ----


def test_charts_of_rolling_views_and_drawdown_episodes(market: MarketData) -> None:
    from ui.components.charts import (
        drawdown_chart,
        drawdown_frame,
        rolling_chart,
        rolling_frame,
        vol_percentile_chart,
    )
    from ui.components.pdf_charts import drawdown_drawing, rolling_drawings

    views = market.rolling_views("RUT", "SPX", "2025-08-21", "2026-08-21")
    data = views.to_json_dict(include_chart=True)
    frame = rolling_frame(views)
    n_beta = sum(v is not None for v in data["chart"]["beta"])
    assert len(frame) == n_beta + sum(v is not None for v in data["chart"]["correlation"]) and n_beta > 200
    spec = rolling_chart(data).to_dict()
    (rows,) = spec["datasets"].values()
    assert len(rows) == len(frame) and {r["series"] for r in rows} == {"beta", "correlation"}
    assert vol_percentile_chart(views).to_dict()["layer"]
    assert rolling_chart(market.rolling_views("RUT", None, "2025-08-21", "2026-08-21")) is None  # no benchmark

    episodes = market.drawdown_episodes("IXIC", "2020-01-01", "2026-08-21", 0.10)
    line, marks = drawdown_frame(episodes)
    assert len(line) == len(episodes.chart["dates"]) and len(marks) == len(episodes.episodes)
    assert marks["depth"].tolist() == [e.depth for e in episodes.episodes]
    layers = drawdown_chart(episodes).to_dict()["layer"]
    assert len(layers) == 2

    assert len(rolling_drawings(data)) == 2
    assert drawdown_drawing(episodes.to_json_dict(include_chart=True)) is not None


def test_a_period_cut_by_the_window_is_partial(market: MarketData, closes) -> None:
    rut = closes("RUT")
    whole = market.calendar_returns("RUT", "2026-01-02", "2026-03-31", "month")  # 01-02 is January's first session
    assert [p.partial for p in whole.periods] == [False, False, False]
    cut = market.calendar_returns("RUT", "2026-01-15", "2026-03-31", "month")
    assert [p.partial for p in cut.periods] == [True, False, False] and cut.best in ("2026-02", "2026-03")
    base = rut.loc[:"2026-01-14"].iloc[-1]  # from the close before the window, not before the month
    assert cut.periods[0].return_ == pytest.approx(rut.loc[:"2026-01-31"].iloc[-1] / base - 1, rel=1e-12)


# -- the scorecard: every rated figure recomputed here, every star re-derived from the bands ----


def _stars(value: float, cuts: tuple[float, ...], higher_is_better: bool) -> int:
    band = sum(value >= c for c in cuts)
    return band + 1 if higher_is_better else 5 - band


def test_scorecard_rates_independently_computed_figures(market: MarketData, closes) -> None:
    start, end = "2025-08-21", "2026-08-21"
    card = market.scorecard("RUT", "SPX", start, end)
    both = joined(closes, "RUT", "SPX")
    rut = closes("RUT")
    inside = both.loc[start:end]
    ret = {s: closes(s).loc[:end].iloc[-1] / closes(s).loc[:start].iloc[-1] - 1 for s in ("RUT", "SPX")}
    ratio = inside["RUT"] / inside["SPX"]
    rut_in = rut.loc[start:end]
    vol = rut.pct_change().rolling(60).std() * math.sqrt(252)
    expected = {
        "momentum": ret["RUT"] - ret["SPX"],
        "relative_strength": ratio.iloc[-1] / ratio.max() - 1,
        "trend": rut.loc[:end].iloc[-1] / rut.loc[:end].iloc[-200:].mean() - 1,
        "drawdown": (rut_in / rut_in.cummax() - 1).min(),
        "volatility": vol.dropna().rank(pct=True).loc[:end].iloc[-1],
    }
    got = {r.dimension: r for r in card.ratings}
    assert set(got) == {*expected, "rate_sensitivity"} and card.benchmark == "SPX" and card.ratings
    for dimension, value in expected.items():
        assert got[dimension].value == pytest.approx(value, abs=1e-9), dimension
    # the weekly slope over the five years to the window's end (the window is under two years)
    weekly = joined(closes, "RUT", "SPX", "US10Y").loc["2021-08-21":end].resample("W-SUN").last().dropna()
    y = (weekly["RUT"] / weekly["SPX"]).pct_change()
    x = weekly["US10Y"].diff() * 100
    ok = y.notna() & x.notna()
    fit = sm.OLS(y[ok], sm.add_constant(x[ok])).fit()
    assert got["rate_sensitivity"].value == pytest.approx(fit.params["US10Y"] * 10, rel=1e-9)
    cuts = {"momentum": (-0.05, -0.01, 0.01, 0.05), "relative_strength": (-0.10, -0.05, -0.02, -0.005),
            "trend": (-0.05, 0.0, 0.03, 0.08), "volatility": (0.2, 0.4, 0.6, 0.8),
            "drawdown": (-0.20, -0.10, -0.05, -0.02), "rate_sensitivity": (-0.005, -0.002, 0.0, 0.002)}
    for dimension, rating in got.items():
        assert rating.stars == _stars(rating.value, cuts[dimension], dimension != "volatility"), dimension
    # every number of every rule is in the result's evidence, so the answer's bands are grounded [0]
    data = card.to_json_dict()
    assert data["analysis"] == "scorecard" and data["measured"]["momentum"] == "RUT/SPX 2025-08-21..2026-08-21"
    assert data["measured"]["rate_sensitivity"].startswith("RUT/SPX 2021-08-27..")


def test_scorecard_of_one_index_rates_what_one_index_can_have(market: MarketData) -> None:
    card = market.scorecard("IXIC", None, "2026-01-02", "2026-08-21")
    assert {r.dimension for r in card.ratings} == {"trend", "drawdown", "volatility", "rate_sensitivity"}
    assert card.benchmark is None and card.symbols == ["IXIC"]


def test_chart_panels_dispatch_on_the_result(market: MarketData) -> None:
    from ui.components.charts import chart_panels
    from ui.components.pdf_charts import chart_flowables
    from ui.components.pdf_markdown import paragraph_styles, register_fonts
    from ui.i18n import t

    views = market.rolling_views("RUT", "SPX", "2025-08-21", "2026-08-21").to_json_dict(include_chart=True)
    titles = [title for title, _ in chart_panels(views)]
    assert titles == [t("chart_rolling", a="RUT", b="SPX", n=60), t("chart_vol_pct", a="RUT", n=60)]
    episodes = market.drawdown_episodes("IXIC", "2020-01-01", "2026-08-21", 0.10).to_json_dict(include_chart=True)
    assert [title for title, _ in chart_panels(episodes)] == [t("chart_drawdown", a="IXIC")]
    card = market.scorecard("RUT", "SPX").to_json_dict(include_chart=True)
    assert chart_panels(card) == []  # a table, not a chart
    register_fonts()
    small = paragraph_styles()["small"]
    assert len(chart_flowables(views, "zh", small)) == 2 and len(chart_flowables(episodes, "zh", small)) == 1
    alone = market.rolling_views("RUT", None, "2025-08-21", "2026-08-21").to_json_dict(include_chart=True)
    assert len(chart_flowables(alone, "en", small)) == 1 and len(chart_panels(alone)) == 1


def test_the_reference_panel_shows_each_stars_rule(market: MarketData) -> None:
    from ui.components.metrics import scorecard_table

    card = market.scorecard("RUT", "SPX", "2025-08-21", "2026-08-21").to_json_dict()
    table = scorecard_table(card, lang="en")
    assert list(table.columns) == ["Dimension", "Series and days", "Value", "Cuts of the five bands", "Stars"]
    assert len(table) == len(card["ratings"]) == 6
    momentum = table.iloc[0]
    assert momentum["Cuts of the five bands"] == "-5.00% / -1.00% / +1.00% / +5.00% (higher is better)"
    assert momentum["Value"] == f"{card['ratings'][0]['value'] * 100:+.2f}%" and "2025-08-21" in momentum.iloc[1]
    vol = table[table["Dimension"].str.startswith("Volatility")].iloc[0]
    assert vol["Cuts of the five bands"].endswith("(lower is better)") and "20.00%" in vol["Cuts of the five bands"]
