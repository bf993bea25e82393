"""Alias resolution, instrument mentions and period parsing, English and Chinese, with a fixed `today`."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from assistant.reading.cues import Unlisted, unlisted_indexes
from knowledge.market import (
    CATALOGUE,
    NOT_TICKERS,
    SERVED,
    UNSERVED,
    Period,
    UnknownSymbolError,
    find_instruments,
    find_symbols,
    instrument,
    looks_like_ticker,
    lookup,
    parse_period,
    resolve_symbol,
)

TODAY = date(2026, 2, 15)


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Russell 2000", "RUT"), ("罗素2000", "RUT"), ("小盘股", "RUT"), ("small caps", "RUT"), ("^RUT", "RUT"),
        ("rut", "RUT"), ("S&P 500", "SPX"), ("s&p500", "SPX"), ("标普500", "SPX"), ("大盘股", "SPX"),
        ("large-caps", "SPX"), ("^GSPC", "SPX"), ("Nasdaq-100", "NDX"), ("纳斯达克100", "NDX"), ("^NDX", "NDX"),
        ("Dow", "DJI"), ("道琼斯", "DJI"), ("^DJI", "DJI"), ("VIX", "VIX"), ("IWM", "IWM"), ("SPY", "SPY"),
        ("QQQ", "QQQ"), ("Nasdaq", "IXIC"), ("费城半导体", "SOX"), ("10年期美债", "US10Y"),
    ],
)
def test_aliases_resolve(text: str, symbol: str) -> None:
    assert resolve_symbol(text).symbol == symbol


def test_notes_say_which_proxy() -> None:
    r = resolve_symbol("small caps")
    assert (r.query, r.symbol, r.name, r.note) == ("small caps", "RUT", "Russell 2000", "small caps -> RUT (Russell 2000)")
    assert resolve_symbol("SPY").note is None and resolve_symbol("IWM").name.startswith("iShares")


def test_unknown_symbol_is_one_line() -> None:
    with pytest.raises(UnknownSymbolError) as info:
        resolve_symbol("Hang Seng Tech 50")
    assert "\n" not in str(info.value) and "RUT" in str(info.value)


def test_find_symbols_in_order_without_duplicates() -> None:
    found = find_symbols("小盘股相对大盘股能否持续跑赢?对比罗素2000和纳斯达克100,以及纳斯达克")
    assert [r.symbol for r in found] == ["RUT", "SPX", "NDX", "IXIC"]
    found = find_symbols("How did the Russell 2000 do vs the S&P 500 and QQQ since the Dow peaked? VIX too.")
    assert [r.symbol for r in found] == ["RUT", "SPX", "QQQ", "DJI", "VIX"]


def test_find_symbols_ignores_ordinary_words() -> None:
    assert find_symbols("stuck in a rut, a spy novel, a window of time, a shadow") == []
    assert find_symbols("nothing here") == []


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("小盘股2025年9月至2026年1月表现如何", date(2025, 9, 1), date(2026, 1, 31)),
        ("2025年11月到1月", date(2025, 11, 1), date(2026, 1, 31)),
        ("2025年9月1日至2026年1月15日", date(2025, 9, 1), date(2026, 1, 15)),
        ("Sep 2025 - Jan 2026", date(2025, 9, 1), date(2026, 1, 31)),
        ("from September 2025 to January 2026", date(2025, 9, 1), date(2026, 1, 31)),
        ("Sep - Dec 2025", date(2025, 9, 1), date(2025, 12, 31)),
        ("from 2025-09-01 to 2026-01-31", date(2025, 9, 1), date(2026, 1, 31)),
        ("2025/09/01..2026/01/31", date(2025, 9, 1), date(2026, 1, 31)),
        ("Feb 2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("YTD", date(2026, 1, 1), TODAY),
        ("今年以来小盘股", date(2026, 1, 1), TODAY),
        ("last 3 months", date(2025, 11, 15), TODAY),
        ("past 10 days", date(2026, 2, 5), TODAY),
        ("过去一年", date(2025, 2, 15), TODAY),
        ("最近一个月呢?", date(2026, 1, 15), TODAY),
        ("近三个月", date(2025, 11, 15), TODAY),
        ("过去两周", date(2026, 2, 1), TODAY),
        ("last month", date(2026, 1, 1), date(2026, 1, 31)),
        ("上个月", date(2026, 1, 1), date(2026, 1, 31)),
        ("last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("since the election", date(2024, 11, 5), TODAY),
        ("大选以来", date(2024, 11, 5), TODAY),
        ("in 2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024年以来", date(2024, 1, 1), TODAY),
        ("How did small caps do in Q1 2026?", date(2026, 1, 1), date(2026, 3, 31)),
        ("2025 Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025Q2", date(2025, 4, 1), date(2025, 6, 30)),
        ("the third quarter of 2025", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025年第三季度罗素2000", date(2025, 7, 1), date(2025, 9, 30)),
        ("2024年四季度", date(2024, 10, 1), date(2024, 12, 31)),
        ("今年一季度", date(2026, 1, 1), date(2026, 3, 31)),
        ("Q4", date(2025, 10, 1), date(2025, 12, 31)),  # in February: last year's
    ],
)
def test_parse_period(text: str, start: date, end: date) -> None:
    period = parse_period(text, TODAY)
    assert isinstance(period, Period) and (period.start, period.end) == (start, end), period
    assert period.label


def test_single_dates_and_no_period() -> None:
    assert parse_period("since 2025-03-10", TODAY) == Period(date(2025, 3, 10), None, "since 2025-03-10")
    assert parse_period("up to 2025-03-10", TODAY).end == date(2025, 3, 10)
    assert parse_period("Russell 2000 vs S&P 500, small caps", TODAY) is None
    assert parse_period("小盘股基本面改善能否支撑超额表现?", TODAY) is None
    assert parse_period("近日小盘股走势", TODAY) is None
    assert parse_period("How are small caps YTD?", TODAY).label == "YTD"


def test_month_end_clamps() -> None:
    assert parse_period("last 1 month", date(2026, 3, 31)).start == date(2026, 2, 28)


# Questions typed the way investors type them, with the instruments each one names, written by
# hand: in order of appearance, "!" marks an instrument the data does not hold (declined by name).
TYPED_MENTIONS: tuple[tuple[str, str], ...] = (
    # English, served: lower-case tickers, names, nicknames, typos.
    ("how did iwm do this year", "IWM"),
    ("iwm vs spy ytd", "IWM SPY"),
    ("qqq since january", "QQQ"),
    ("spx 2025 return", "SPX"),
    ("ndx max drawdown", "NDX"),
    ("is sox above its 50 day", "SOX"),
    ("vix level right now", "VIX"),
    ("small caps vs large caps", "RUT SPX"),
    ("smallcaps outperform?", "RUT"),
    ("small-cap stocks in 2025", "RUT"),
    ("russell 2000 vs s&p 500", "RUT SPX"),
    ("russel 2k ytd", "RUT"),
    ("r2k vs spx", "RUT SPX"),
    ("russell since the march low", "RUT"),
    ("the s&p in h1", "SPX"),
    ("sp500 vs nasdaq", "SPX IXIC"),
    ("snp 500 last month", "SPX"),
    ("s&p500 and the dow", "SPX DJI"),
    ("s&p 5oo ytd", "SPX"),
    ("is the dow trading above its 20 day line", "DJI"),
    ("dow jones vs nasdaq composite", "DJI IXIC"),
    ("djia 2025", "DJI"),
    ("nasdaq 100 vs nasdaq", "NDX IXIC"),
    ("nas100 this week", "NDX"),
    ("nasdq since january", "IXIC"),
    ("What is the max drawdown of the Nasdaq-100 since 2020?", "NDX"),
    ("chips vs the nasdaq", "SOX IXIC"),
    ("semis ytd", "SOX"),
    ("semiconductors vs tech", "SOX NDX"),
    ("how are mega caps doing", "NDX"),
    ("megacaps vs small caps", "NDX RUT"),
    ("big tech in q2", "NDX"),
    ("the 10-yr since march", "US10Y"),
    ("10y yield vs small caps", "US10Y RUT"),
    ("ten-year yield now", "US10Y"),
    ("tnx level", "US10Y"),
    ("treasury yields and small caps", "US10Y RUT"),
    ("fear index spiked?", "VIX"),
    ("blue chips vs small caps", "DJI RUT"),
    ("spy and qqq and iwm", "SPY QQQ IWM"),
    ("SPX vs RUT", "SPX RUT"),
    ("rut vs spx", "RUT SPX"),
    ("^GSPC 2024", "SPX"),
    ("the S&P 500 vs the Russell 2000", "SPX RUT"),
    ("Philadelphia Semiconductor Index vs the Nasdaq Composite", "SOX IXIC"),
    # Chinese, served.
    ("小盘股相对大盘股", "RUT SPX"),
    ("小盘今年表现", "RUT"),
    ("罗素2000和标普500", "RUT SPX"),
    ("罗素 2000 最近一个月", "RUT"),
    ("罗素今年以来涨了多少", "RUT"),
    ("标普最近两周", "SPX"),
    ("道指在20日均线上方吗", "DJI"),
    ("道琼斯2025年", "DJI"),
    ("纳指和纳指100比", "IXIC NDX"),
    ("纳斯达克100上半年", "NDX"),
    ("纳斯达克综合指数", "IXIC"),
    ("费城半导体指数今年", "SOX"),
    ("费半和纳指", "SOX IXIC"),
    ("芯片股最近怎么样", "SOX"),
    ("半导体板块", "SOX"),
    ("大型科技股", "NDX"),
    ("科技股和小盘股", "NDX RUT"),
    ("10年期美债收益率2025年变化了多少", "US10Y"),
    ("十年期国债收益率", "US10Y"),
    ("美债收益率上升对小盘股的影响", "US10Y RUT"),
    ("恐慌指数现在多少", "VIX"),
    ("波动率指数", "VIX"),
    ("蓝筹股", "DJI"),
    # Mixed Chinese and English.
    ("iwm和spy比谁强", "IWM SPY"),
    ("qqq今年以来", "QQQ"),
    ("SOX相对IXIC", "SOX IXIC"),
    ("vix最近一周", "VIX"),
    ("small caps和大盘股", "RUT SPX"),
    ("标普500ETF和QQQ", "SPY QQQ"),
    ("用iwm看小盘股", "IWM RUT"),
    ("纳指100 vs spx", "NDX SPX"),
    ("10亿美元流入小盘股ETF", "IWM"),
    # Not served: declined by name, never replaced.
    ("how did tsla do", "!TSLA"),
    ("tesla vs nvidia", "!TSLA !NVDA"),
    ("aapl ytd", "!AAPL"),
    ("特斯拉今年涨了多少", "!TSLA"),
    ("英伟达和费城半导体", "!NVDA SOX"),
    ("苹果公司", "!AAPL"),
    ("msft and amzn", "!MSFT !AMZN"),
    ("google vs meta", "!GOOGL !META"),
    ("meta earnings", "!META"),
    ("bitcoin vs qqq", "!BTC-USD QQQ"),
    ("比特币今年", "!BTC-USD"),
    ("btc and eth", "!BTC-USD !ETH-USD"),
    ("gold vs the s&p", "!GC=F SPX"),
    ("黄金和原油", "!GC=F !CL=F"),
    ("oil prices and energy stocks", "!CL=F !XLE"),
    ("dxy and the 10y", "!DX-Y.NYB US10Y"),
    ("美元指数", "!DX-Y.NYB"),
    ("nikkei vs spx", "!^N225 SPX"),
    ("日经225今年", "!^N225"),
    ("恒生指数和沪深300", "!^HSI !000300.SS"),
    ("上证指数", "!000001.SS"),
    ("ftse 100 and dax", "!^FTSE !^GDAXI"),
    ("dia vs spy", "!DIA SPY"),
    ("道指ETF", "!DIA"),
    ("voo or vti", "!VOO !VTI"),
    ("arkk since 2021", "!ARKK"),
    ("smh vs sox", "!SMH SOX"),
    ("tlt and the 10-year yield", "!TLT US10Y"),
    ("PLTR vs NVDA", "!PLTR !NVDA"),
    ("how did ZZZZ do in Q1?", "!ZZZZ"),
    ("$abc ytd", "!ABC"),
    ("the 2-year yield vs the 10-year yield", "!US2Y US10Y"),
    ("russell 1000 vs russell 2000", "!^RUI RUT"),
    ("s&p 600 vs iwm", "!^SP600 IWM"),
    ("Taiwan Semiconductor vs semis", "!TSM SOX"),
    ("中概股", "!^HXC"),
    ("恒生科技指数和恒指", "!HSTECH.HK !^HSI"),
    ("BRK.B", "!BRK-B"),
    ("贵州茅台", "!600519.SS"),
    ("COST earnings", "!COST"),
    ("the fed funds rate", "!FEDFUNDS"),
    # False-positive traps.
    ("stuck in a rut, a spy novel, a window of time, a shadow", ""),
    ("what is it all about", ""),
    ("a meta-analysis of returns", ""),
    ("the red sox won", ""),
    ("ETF flows and GDP, CPI, EPS, YTD, FED, AI, US, Q1, H1, MA20", ""),
    ("I think the ETF is fine", ""),
    ("the 10-year period return of spx", "SPX"),
    ("over the last 10 years, how did small caps do", "RUT"),
    ("golden cross on the s&p", "SPX"),
    ("黄金分割位", ""),
    ("芯片法案", ""),
    ("HOW DID IWM DO THIS YEAR?", "IWM"),
    ("WHAT IS THE COST OF CAPITAL", ""),
    ("what's the cost of hedging", ""),
    ("apples to apples comparison of spx", "SPX"),
    ("window dressing at quarter end", ""),
    ("according to Goldman, small caps will rally", "RUT"),
    ("the CHIPS Act and semis", "SOX"),
    ("volatility of the s&p", "SPX"),
    ("central banks and yields", ""),
    ("a nifty trick", ""),
    ("dow theory", ""),
    ("S&P Global earnings vs the S&P 500", "!SPGI SPX"),
    ("A股大盘今年怎么样", "!000300.SS"),
    ("港股和美股小盘股", "!^HSI RUT"),
    ("Dow Inc vs the Dow", "!DOW DJI"),
    ("QQQM vs QQQ", "!QQQM QQQ"),
    ("10-year high for the Russell", "RUT"),
    ("以人民币计价的收益", ""),
)


def _expected(spec: str) -> list[tuple[str, bool]]:
    return [(item.lstrip("!"), not item.startswith("!")) for item in spec.split()]


def test_the_typed_set_is_large_and_in_both_languages() -> None:
    zh = [t for t, _ in TYPED_MENTIONS if re.search(r"[\u4e00-\u9fff]", t)]
    assert len(TYPED_MENTIONS) >= 120 and len(zh) >= 35
    assert sum("!" in spec for _, spec in TYPED_MENTIONS) >= 30
    assert sum(spec == "" for _, spec in TYPED_MENTIONS) >= 12


@pytest.mark.parametrize(("text", "spec"), TYPED_MENTIONS)
def test_typed_mentions(text: str, spec: str) -> None:
    found = find_instruments(text)
    assert [(m.symbol, m.served) for m in found] == _expected(spec), found
    for m in found:
        assert text[m.span[0]:m.span[1]] == m.text  # the span is where the words were typed


@pytest.mark.parametrize(
    ("text", "typed", "how"),
    [
        ("iwm vs spy", "iwm", "ticker"), ("Russell 2000", "Russell 2000", "name"), ("罗素今年", "罗素", "nickname"),
        ("小盘股呢", "小盘股", "proxy"), ("mega caps", "mega caps", "proxy"), ("how's the 10-yr", "10-yr", "nickname"),
        ("is the Dow up", "Dow", "nickname"), ("$tsla", "tsla", "ticker"), ("特斯拉", "特斯拉", "name"),
    ],
)
def test_how_each_mention_was_read(text: str, typed: str, how: str) -> None:
    first = find_instruments(text)[0]
    assert (first.text, first.how) == (typed, how)


def test_unserved_mentions_carry_names_and_an_offer() -> None:
    dia, spy = find_instruments("dia vs spy")
    assert (dia.served, dia.related, dia.name_zh) == (False, "DJI", "道指ETF(DIA)")
    assert spy.related is None and spy.served
    pltr = find_instruments("PLTR?")[0]
    assert (pltr.symbol, pltr.name, pltr.how, pltr.yahoo, pltr.related) == ("PLTR", "Palantir", "ticker", "PLTR", None)
    unknown = find_instruments("how did ZZZZ do")[0]
    assert (unknown.symbol, unknown.name, unknown.served, unknown.yahoo) == ("ZZZZ", "ZZZZ", False, "ZZZZ")


def test_one_mention_per_symbol_first_place_wins() -> None:
    found = find_instruments("小盘股 (RUT) vs small caps vs 罗素2000")
    assert [(m.symbol, m.text) for m in found] == [("RUT", "小盘股")]


def test_tables_are_consistent() -> None:
    rows = [*SERVED, *UNSERVED]
    assert len({r.symbol for r in rows}) == len(rows)
    served = {r.symbol for r in SERVED}
    for row in UNSERVED:
        assert row.related is None or row.related in served, row.symbol
    owner: dict[str, str] = {}
    for row in rows:
        for form in (*row.tickers, *row.upper_tickers, *row.names, *row.nicknames, *row.proxies, *row.stand_ins):
            key = re.sub(r"[\s\-_]+", "", form.lower())
            assert owner.setdefault(key, row.symbol) == row.symbol, f"{form!r}: {owner[key]} and {row.symbol}"
    for word in ("ETF", "YTD", "GDP", "CPI", "FED", "EPS", "AI", "US", "I", "Q1", "H1", "MA20"):
        assert word in NOT_TICKERS


def test_served_instruments_are_the_market_data_files() -> None:
    folder = os.environ.get("FINSIGHT_MARKET_DATA_DIR")
    if not folder:
        pytest.skip("FINSIGHT_MARKET_DATA_DIR not set")
    files = {p.stem for p in Path(folder).glob("*.csv")}
    assert {r.symbol for r in SERVED} == files == set(CATALOGUE)
    assert instrument("DIA") is not None and "DIA" not in files  # known, not served: DJI is offered


def test_catalogue_keeps_the_older_api() -> None:
    for symbol, info in CATALOGUE.items():
        first_chinese = next(a for a in info.aliases if re.search(r"[\u4e00-\u9fff]", a))
        assert first_chinese == info.name_zh, symbol  # the Chinese display name of declines
    assert lookup("nasdq").symbol == "IXIC" and lookup("tesla") is None
    assert [(r.symbol, r.query, r.note) for r in find_symbols("iwm vs the 10-yr and tsla")] == [
        ("IWM", "iwm", None), ("US10Y", "10-yr", "10-yr -> US10Y (US 10-year Treasury yield)")]
    assert looks_like_ticker("BRK-B") and not looks_like_ticker("small caps")


def test_unlisted_indexes_read_the_catalogue() -> None:
    assert unlisted_indexes("how did tsla and the Nikkei do vs PLTR and the Bovespa Index") == [
        Unlisted("tsla", "TSLA"), Unlisted("Nikkei", "^N225"), Unlisted("PLTR", "PLTR"), Unlisted("Bovespa Index", None)]
    assert unlisted_indexes("小盘股和恒生指数") == [Unlisted("恒生指数", "^HSI")]
    assert unlisted_indexes("iwm vs spy ytd, GDP and CPI") == []
