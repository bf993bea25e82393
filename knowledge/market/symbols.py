"""The one symbol catalogue: every instrument people ask about, and a finder for their mentions.

Two tables, both data:

- `SERVED`: the instruments the bundled market data holds (the CSV file names), each with its
  tickers, names and the nicknames and segment words people type for it in English and Chinese
  ("iwm", "small caps", "小盘股", "the 10-yr", "费半"). A segment word ("chips", "mega caps")
  names something an index only measures: it resolves with `how="proxy"` so an answer can say so.
- `UNSERVED`: instruments people ask about that the data does not hold (single stocks, crypto,
  commodities, the dollar, foreign indexes, other ETFs and rates), each with display names and,
  where one exists, the served instrument to offer instead (`related`; never substituted).

`find_instruments(text)` returns typed `Mention`s of both, plus ticker-shaped upper-case words
no table lists ("PLTR", "$abc") as unserved tickers, so they can be declined by name or tried
at a live provider. `FALSE_FRIENDS` (phrases that only look like mentions: "in a rut", "Red
Sox", "a 10-year period") and `NOT_TICKERS` (upper-case words that are not tickers: "ETF",
"GDP") are data too.

The older API (`CATALOGUE`, `lookup`, `resolve_symbol`, `find_symbols`, `looks_like_ticker`)
reads the same tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .errors import UnknownSymbolError

RATE_UNIT = "percent"  # the unit of a series whose close is a rate (a yield), not a price

How = Literal["ticker", "name", "nickname", "proxy"]


@dataclass(frozen=True)
class Instrument:
    """One row of a table: an instrument and every way people type it.

    `tickers` match in any case ("iwm"); `upper_tickers` only as typed in capitals or after a
    `$` because in lower case they are ordinary words ("COST", "BA"). `names` are official
    names, `nicknames` short or colloquial forms and common typos, `proxies` the segment words an
    index measures ("small caps" -> RUT), `stand_ins` the looser themes it stands in for ("big
    tech" -> NDX). Both resolve as proxies; only `proxies` name the instrument's own subject (the
    words a passage about it uses), so only they join `SymbolInfo.aliases`.
    """

    symbol: str
    name: str
    name_zh: str
    yahoo: str | None
    kind: str  # index, etf, rate, stock, crypto, commodity, currency, sector
    tickers: tuple[str, ...] = ()
    upper_tickers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    nicknames: tuple[str, ...] = ()
    proxies: tuple[str, ...] = ()
    stand_ins: tuple[str, ...] = ()
    related: str | None = None  # for an unserved instrument: a served one to offer instead
    unit: str = "points"  # RATE_UNIT when the close is a rate (a yield): levels and bp, not returns


def _row(symbol: str, name: str, name_zh: str, kind: str, *, yahoo: str | None = "", t: str = "", T: str = "",
         n: str = "", k: str = "", p: str = "", s: str = "", related: str | None = None, unit: str = "points") -> Instrument:
    """A table row written compactly: the forms of one kind are separated by "|"."""
    def split(forms: str) -> tuple[str, ...]:
        return tuple(f.strip() for f in forms.split("|") if f.strip())
    return Instrument(symbol, name, name_zh, symbol if yahoo == "" else yahoo, kind, split(t), split(T),
                      split(n), split(k), split(p), split(s), related, unit)


# Served: one row per CSV file of the market data. The first Chinese name of a row is its display
# name in Chinese answers.
SERVED: tuple[Instrument, ...] = (
    _row("RUT", "Russell 2000", "罗素2000", "index", yahoo="^RUT", t="rut|rty",
         n="Russell 2000|Russell 2000 Index|罗素2000|罗素2000指数",
         k="Russell|Russel|Russel 2000|Russell 2k|Russel 2k|R2K|R2000|罗素|罗素两千",
         p="small caps|small cap|smallcaps|small-cap stocks|small caps stocks|small company stocks|"
           "小盘股|小盘|美国小盘股|美股小盘股|小型股|小市值股票|小市值"),
    _row("SPX", "S&P 500", "标普500", "index", yahoo="^GSPC", t="spx|^spx|gspc|sp500|spx500|us500",
         n="S&P 500|S&P 500 Index|Standard & Poor's 500|标普500|标普500指数|标准普尔500|标准普尔500指数",
         k="S&P|the S&P|S and P 500|S and P|SP 500|snp|snp 500|S&P 5oo|sp 5oo|s&p500 index|标普|标准普尔",
         p="large caps|large cap|largecaps|large-cap stocks|large caps stocks|大盘股|大盘|美国大盘股|美股大盘股|大型股",
         # "How's the market doing?": the broad US market, measured by the S&P 500 (said as a stand-in).
         s="the market|the stock market|stock market|us stocks|us equities|the us market|美股|美国股市|股市|美股大盘"),
    _row("NDX", "Nasdaq-100", "纳斯达克100", "index", yahoo="^NDX", t="ndx|nas100",
         n="Nasdaq-100|Nasdaq-100 Index|纳斯达克100|纳斯达克100指数|纳指100",
         k="nas 100|nasdq 100|nasdaq 1oo|纳斯达克一百|纳指一百|纳100",
         s="tech stocks|tech|tech sector|tech names|technology stocks|technology sector|科技股|科技板块|美国科技股|"
           "美股科技股|mega caps|mega cap|megacaps|mega-cap stocks|mega cap tech|big tech|big tech stocks|"
           "magnificent seven|magnificent 7|mag 7|mag seven|faang|大型科技股|科技巨头|七巨头|科技七巨头|美股七巨头"),
    _row("IXIC", "Nasdaq Composite", "纳斯达克综合指数", "index", yahoo="^IXIC", t="ixic",
         n="Nasdaq Composite|Nasdaq Composite Index|纳斯达克综合指数|纳斯达克综指|纳斯达克指数",
         k="Nasdaq|the Nasdaq|nasdaq comp|nasdq|nasadaq|nasdak|nadsaq|nsdq|纳斯达克|纳指|纳综指"),
    _row("DJI", "Dow Jones Industrial Average", "道琼斯", "index", yahoo="^DJI", t="dji|djia|^djia",
         n="Dow Jones Industrial Average|Dow Jones Industrials|Dow Jones|道琼斯|道琼斯指数|道琼斯工业平均指数|"
           "道琼斯工业指数|道琼斯工业",
         k="Dow|the Dow|the Dow Jones|Dow 30|Dow Industrials|dow jone|道指|道琼斯30|道琼",
         s="blue chips|blue-chip stocks|蓝筹股|美国蓝筹股"),
    _row("SOX", "PHLX Semiconductor", "费城半导体", "index", yahoo="^SOX", t="sox",
         n="PHLX Semiconductor|PHLX Semiconductor Index|Philadelphia Semiconductor Index|Philadelphia Semiconductor|"
           "费城半导体|费城半导体指数",
         k="费半|the sox|philly semis|semiconductor index|半导体指数",
         p="semis|semiconductors|semiconductor|semiconductor stocks|semiconductor sector|chips|chip stocks|"
           "chipmakers|chip makers|chip sector|半导体|半导体股|半导体板块|芯片股|芯片|芯片板块|芯片行业"),
    _row("VIX", "CBOE Volatility Index", "恐慌指数", "index", yahoo="^VIX", t="vix|vixcls",
         n="CBOE Volatility Index|Cboe VIX|VIX index|恐慌指数|波动率指数|VIX指数|VIX波动率指数",
         k="fear index|fear gauge|volatility index|恐慌指标|恐慌情绪指数"),
    _row("US10Y", "US 10-year Treasury yield", "10年期美债收益率", "rate", yahoo="^TNX", unit=RATE_UNIT,
         t="us10y|tnx|dgs10|10y|ust10y",
         n="10-year Treasury yield|10-year Treasury yields|10-year Treasury|10-year yield|10-year yields|"
           "10-year note|10-year note yield|10-year T-note|ten-year Treasury yield|ten-year yield|ten-year Treasury|"
           "10年期美债收益率|10年期美债|十年期美债收益率|十年期美债|10年期美国国债收益率|十年期美国国债收益率|"
           "美国10年期国债收益率|美国十年期国债收益率|10年期国债收益率|十年期国债收益率|10年期国债|十年期国债|美十债",
         k="the 10-yr|10-yr|10 yr|10yr|the 10 year|the 10-year|the ten-year|the ten year|10y yield|10-yr yield|美债10年",
         p="Treasury yields|Treasury yield|bond yields|US yields|long-term yields|treasuries|美国国债收益率|"
           "美债收益率|美债|国债收益率|长端利率|长期利率"),
    _row("SPY", "SPDR S&P 500 ETF", "SPDR标普500ETF", "etf", t="spy",
         n="SPDR S&P 500 ETF|SPDR S&P 500 ETF Trust|SPDR S&P 500|SPDR标普500ETF|标普500ETF|标普ETF",
         k="S&P 500 ETF|S&P ETF"),
    _row("QQQ", "Invesco QQQ Trust (Nasdaq-100 ETF)", "纳斯达克100ETF", "etf", t="qqq",
         n="Invesco QQQ|Invesco QQQ Trust|Nasdaq-100 ETF|纳斯达克100ETF|纳指100ETF",
         k="triple q|纳指ETF|纳斯达克ETF"),
    _row("IWM", "iShares Russell 2000 ETF", "iShares罗素2000ETF", "etf", t="iwm",
         n="iShares Russell 2000 ETF|iShares Russell 2000|Russell 2000 ETF|iShares罗素2000ETF|罗素2000ETF",
         p="small cap ETF|small-cap ETF|小盘股ETF"),
)

# Known but not served: a question about one of these is declined by name (or served live by a
# provider that has `yahoo`), never answered with another instrument.
UNSERVED: tuple[Instrument, ...] = (
    # Single stocks. Banks that publish research (JPMorgan, Goldman) are listed by ticker only:
    # "according to Goldman" names a publisher, not a stock.
    _row("TSLA", "Tesla", "特斯拉", "stock", t="tsla", n="Tesla|特斯拉"),
    _row("AAPL", "Apple", "苹果", "stock", t="aapl", n="Apple|Apple Inc|苹果|苹果公司"),
    _row("NVDA", "Nvidia", "英伟达", "stock", t="nvda", n="Nvidia|英伟达|辉达", k="nvdia|nvida"),
    _row("MSFT", "Microsoft", "微软", "stock", t="msft", n="Microsoft|微软"),
    _row("AMZN", "Amazon", "亚马逊", "stock", t="amzn", n="Amazon|亚马逊"),
    _row("GOOGL", "Alphabet (Google)", "谷歌", "stock", t="googl|goog", n="Alphabet|Google|谷歌"),
    _row("META", "Meta Platforms", "Meta(脸书)", "stock", t="meta|fb", n="Meta Platforms|Facebook|脸书"),
    _row("NFLX", "Netflix", "奈飞", "stock", t="nflx", n="Netflix|奈飞|网飞"),
    _row("AMD", "AMD", "超威半导体", "stock", t="amd", n="Advanced Micro Devices|超威半导体|超威"),
    _row("INTC", "Intel", "英特尔", "stock", t="intc", n="Intel|英特尔"),
    _row("TSM", "TSMC", "台积电", "stock", t="tsm", n="TSMC|Taiwan Semiconductor|Taiwan Semiconductor Manufacturing|台积电"),
    _row("AVGO", "Broadcom", "博通", "stock", t="avgo", n="Broadcom|博通"),
    _row("MU", "Micron", "美光", "stock", T="MU", n="Micron|Micron Technology|美光"),
    _row("ON", "ON Semiconductor", "安森美", "stock", T="ON", n="ON Semiconductor|onsemi|安森美"),
    _row("ASML", "ASML", "阿斯麦", "stock", t="asml", n="阿斯麦"),
    _row("SMCI", "Super Micro Computer", "超微电脑", "stock", t="smci", n="Super Micro|Supermicro|超微电脑"),
    _row("ARM", "Arm Holdings", "Arm", "stock", T="ARM", n="Arm Holdings"),
    _row("PLTR", "Palantir", "Palantir", "stock", t="pltr", n="Palantir"),
    _row("ORCL", "Oracle", "甲骨文", "stock", t="orcl", n="Oracle|甲骨文"),
    _row("CRM", "Salesforce", "Salesforce", "stock", T="CRM", n="Salesforce"),
    _row("ADBE", "Adobe", "Adobe", "stock", t="adbe", n="Adobe"),
    _row("IBM", "IBM", "IBM", "stock", t="ibm"),
    _row("SPGI", "S&P Global", "标普全球", "stock", t="spgi", n="S&P Global|标普全球"),
    _row("DOW", "Dow Inc.", "陶氏", "stock", n="Dow Inc|Dow Chemical|陶氏化学|陶氏公司"),
    _row("UBER", "Uber", "优步", "stock", T="UBER", n="Uber Technologies|优步"),
    _row("COIN", "Coinbase", "Coinbase", "stock", T="COIN", n="Coinbase"),
    _row("MSTR", "Strategy (MicroStrategy)", "微策略", "stock", t="mstr", n="MicroStrategy|微策略"),
    _row("BRK-B", "Berkshire Hathaway", "伯克希尔", "stock", t="brk.b|brk-b|brk", n="Berkshire Hathaway|Berkshire|伯克希尔|伯克希尔哈撒韦"),
    _row("JPM", "JPMorgan Chase", "摩根大通", "stock", T="JPM"),
    _row("GS", "Goldman Sachs", "高盛", "stock", T="GS"),
    _row("BAC", "Bank of America", "美国银行", "stock", T="BAC"),
    _row("DIS", "Disney", "迪士尼", "stock", T="DIS", n="Disney|迪士尼"),
    _row("BA", "Boeing", "波音", "stock", T="BA", n="Boeing|波音"),
    _row("WMT", "Walmart", "沃尔玛", "stock", t="wmt", n="Walmart|沃尔玛"),
    _row("COST", "Costco", "好市多", "stock", T="COST", n="Costco|好市多|开市客"),
    _row("XOM", "ExxonMobil", "埃克森美孚", "stock", t="xom", n="ExxonMobil|Exxon Mobil|Exxon|埃克森美孚"),
    _row("LLY", "Eli Lilly", "礼来", "stock", t="lly", n="Eli Lilly|礼来"),
    _row("NVO", "Novo Nordisk", "诺和诺德", "stock", t="nvo", n="Novo Nordisk|诺和诺德"),
    _row("UNH", "UnitedHealth", "联合健康", "stock", t="unh", n="UnitedHealth|联合健康"),
    _row("BABA", "Alibaba", "阿里巴巴", "stock", t="baba", n="Alibaba|阿里巴巴"),
    _row("PDD", "PDD Holdings", "拼多多", "stock", t="pdd", n="Pinduoduo|拼多多"),
    _row("NIO", "NIO", "蔚来", "stock", t="nio", n="蔚来"),
    _row("0700.HK", "Tencent", "腾讯", "stock", n="Tencent|腾讯|腾讯控股"),
    _row("600519.SS", "Kweichow Moutai", "贵州茅台", "stock", n="Kweichow Moutai|Moutai|贵州茅台|茅台"),
    _row("1211.HK", "BYD", "比亚迪", "stock", n="BYD|比亚迪"),
    _row("300750.SZ", "CATL", "宁德时代", "stock", n="CATL|宁德时代"),
    _row("1810.HK", "Xiaomi", "小米", "stock", n="Xiaomi|小米集团"),
    # ETFs the data does not hold.
    _row("DIA", "SPDR Dow Jones Industrial Average ETF", "道指ETF(DIA)", "etf", t="dia", related="DJI",
         n="SPDR Dow Jones Industrial Average ETF|SPDR Dow Jones ETF|Dow ETF|Dow Jones ETF|道指ETF|道琼斯ETF"),
    _row("VOO", "Vanguard S&P 500 ETF", "先锋标普500ETF", "etf", t="voo", related="SPY", n="Vanguard S&P 500 ETF"),
    _row("IVV", "iShares Core S&P 500 ETF", "iShares标普500ETF", "etf", t="ivv", related="SPY"),
    _row("VTI", "Vanguard Total Stock Market ETF", "先锋全市场ETF", "etf", t="vti", related="SPY",
         n="Vanguard Total Stock Market ETF|Vanguard Total Stock Market"),
    _row("RSP", "Invesco S&P 500 Equal Weight ETF", "标普500等权ETF", "etf", t="rsp", related="SPX"),
    _row("ARKK", "ARK Innovation ETF", "方舟创新ETF", "etf", t="arkk", n="ARK Innovation|ARK Innovation ETF|木头姐基金|方舟创新"),
    _row("XLK", "Technology Select Sector SPDR", "科技行业ETF(XLK)", "etf", t="xlk", related="NDX",
         n="Technology Select Sector SPDR"),
    _row("SMH", "VanEck Semiconductor ETF", "VanEck半导体ETF", "etf", t="smh", related="SOX"),
    _row("SOXX", "iShares Semiconductor ETF", "iShares半导体ETF", "etf", t="soxx", related="SOX"),
    _row("SOXL", "Direxion Semiconductor Bull 3X", "三倍做多半导体ETF", "etf", t="soxl", related="SOX"),
    _row("QQQM", "Invesco Nasdaq 100 ETF", "景顺纳斯达克100ETF(QQQM)", "etf", t="qqqm", related="QQQ"),
    _row("TQQQ", "ProShares UltraPro QQQ", "三倍做多纳指ETF", "etf", t="tqqq", related="QQQ"),
    _row("SQQQ", "ProShares UltraPro Short QQQ", "三倍做空纳指ETF", "etf", t="sqqq", related="QQQ"),
    _row("IJR", "iShares Core S&P Small-Cap ETF", "iShares标普小盘ETF", "etf", t="ijr", related="IWM"),
    _row("TLT", "iShares 20+ Year Treasury Bond ETF", "20年期以上美债ETF", "etf", t="tlt", related="US10Y"),
    _row("IEF", "iShares 7-10 Year Treasury Bond ETF", "7-10年期美债ETF", "etf", t="ief", related="US10Y"),
    _row("GLD", "SPDR Gold Shares", "SPDR黄金ETF", "etf", t="gld"),
    _row("SLV", "iShares Silver Trust", "iShares白银ETF", "etf", t="slv"),
    _row("UVXY", "ProShares Ultra VIX Short-Term Futures", "VIX期货ETF(UVXY)", "etf", t="uvxy", related="VIX"),
    _row("VXX", "iPath VIX Short-Term Futures ETN", "VIX期货ETN(VXX)", "etf", t="vxx", related="VIX"),
    _row("HYG", "iShares High Yield Corporate Bond ETF", "高收益债ETF", "etf", t="hyg",
         p="junk bonds|high-yield bonds|high yield bonds|垃圾债|高收益债"),
    _row("EEM", "iShares MSCI Emerging Markets ETF", "新兴市场ETF", "etf", t="eem",
         p="emerging markets|emerging market stocks|新兴市场|新兴市场股票"),
    # Sectors: the words name a segment; the sector ETF is what would measure it.
    _row("XLF", "Financial Select Sector SPDR", "金融股", "sector", t="xlf",
         p="financials|financial stocks|financial sector|bank stocks|banking stocks|金融股|银行股|金融板块|银行板块"),
    _row("KRE", "SPDR S&P Regional Banking ETF", "地区银行股", "sector", t="kre",
         p="regional banks|regional bank stocks|地区银行|地区银行股|区域银行"),
    _row("XLE", "Energy Select Sector SPDR", "能源股", "sector", t="xle",
         p="energy stocks|energy sector|oil stocks|能源股|石油股|能源板块"),
    _row("XLV", "Health Care Select Sector SPDR", "医疗股", "sector", t="xlv",
         p="healthcare stocks|health care stocks|healthcare sector|health care sector|医疗股|医疗保健股|医药股|医药板块"),
    _row("XBI", "SPDR S&P Biotech ETF", "生物科技股", "sector", t="xbi",
         p="biotech|biotech stocks|biotechs|生物科技股|生物技术股|生物医药股"),
    _row("XLU", "Utilities Select Sector SPDR", "公用事业股", "sector", t="xlu",
         p="utilities|utility stocks|utilities sector|公用事业股|公用事业"),
    _row("XLRE", "Real Estate Select Sector SPDR", "房地产股", "sector", t="xlre",
         p="REITs|REIT|real estate stocks|房地产股|房地产板块|房地产信托"),
    _row("XLY", "Consumer Discretionary Select Sector SPDR", "可选消费股", "sector", t="xly",
         p="consumer discretionary|可选消费|可选消费股"),
    _row("XLP", "Consumer Staples Select Sector SPDR", "必需消费股", "sector", t="xlp",
         p="consumer staples|必需消费|必需消费品|必选消费"),
    _row("XLI", "Industrial Select Sector SPDR", "工业股", "sector", t="xli", p="industrials|industrial stocks|工业股"),
    # Crypto.
    _row("BTC-USD", "Bitcoin", "比特币", "crypto", t="btc|xbt", n="Bitcoin|比特币", k="bitcoin price|币圈大饼|大饼",
         p="crypto|cryptocurrency|cryptocurrencies|加密货币|数字货币"),
    _row("ETH-USD", "Ethereum", "以太坊", "crypto", t="eth", n="Ethereum|Ether|以太坊|以太币"),
    _row("SOL-USD", "Solana", "Solana", "crypto", n="Solana|索拉纳"),
    # Commodities.
    _row("GC=F", "Gold", "黄金", "commodity", n="Gold|gold price|gold prices|黄金|金价|现货黄金|国际金价|伦敦金"),
    _row("SI=F", "Silver", "白银", "commodity", n="Silver|silver price|白银|银价"),
    _row("CL=F", "Crude oil (WTI)", "原油(WTI)", "commodity", t="wti|usoil",
         n="crude oil|WTI crude|oil|oil price|oil prices|crude prices|原油|油价|石油|国际油价|美油"),
    _row("BZ=F", "Brent crude", "布伦特原油", "commodity", n="Brent|Brent crude|Brent oil|布伦特|布伦特原油|布油"),
    _row("NG=F", "Natural gas", "天然气", "commodity", n="natural gas|natgas|nat gas|天然气"),
    _row("HG=F", "Copper", "铜", "commodity", n="copper|copper price|铜价|期铜|伦铜"),
    # The dollar and currencies.
    _row("DX-Y.NYB", "US dollar index", "美元指数", "currency", t="dxy",
         n="US dollar index|dollar index|美元指数|美指", k="the dollar|greenback|the US dollar"),
    _row("JPY=X", "USD/JPY", "美元兑日元", "currency", n="USD/JPY|USDJPY|yen|Japanese yen|日元|日元汇率|美元兑日元"),
    _row("CNY=X", "USD/CNY", "美元兑人民币", "currency",
         n="USD/CNY|USDCNY|USD/CNH|yuan|renminbi|人民币汇率|美元兑人民币|离岸人民币"),
    _row("EURUSD=X", "EUR/USD", "欧元兑美元", "currency", n="EUR/USD|EURUSD|the euro|欧元|欧元兑美元|欧元汇率"),
    # Rates other than the 10-year.
    _row("US2Y", "US 2-year Treasury yield", "2年期美债收益率", "rate", yahoo=None, t="us2y|dgs2", related="US10Y",
         n="2-year Treasury yield|2-year yield|2-year yields|2-year Treasury|2-year note|two-year yield|"
           "two-year Treasury|2年期美债收益率|2年期美债|两年期美债|两年期美债收益率|2年期国债收益率|两年期国债收益率",
         k="the 2-yr|2-yr|2yr|the 2-year|the two-year"),
    _row("US5Y", "US 5-year Treasury yield", "5年期美债收益率", "rate", yahoo="^FVX", t="us5y|fvx", related="US10Y",
         n="5-year Treasury yield|5-year yield|5-year Treasury|five-year yield|5年期美债收益率|5年期美债|五年期美债"),
    _row("US30Y", "US 30-year Treasury yield", "30年期美债收益率", "rate", yahoo="^TYX", t="us30y|tyx",
         related="US10Y",
         n="30-year Treasury yield|30-year yield|30-year Treasury|30-year bond|thirty-year yield|the long bond|30-yr|30yr|"
           "30年期美债收益率|30年期美债|三十年期美债|30年期国债"),
    _row("US3M", "US 3-month Treasury bill yield", "3个月期美债收益率", "rate", yahoo="^IRX", t="irx", related="US10Y",
         n="3-month Treasury bill|3-month T-bill|3-month bill|T-bills|T-bill yield|3个月期美债|3个月美债|短期国库券"),
    _row("US10Y-US2Y", "10-year minus 2-year Treasury spread", "美债10年-2年期限利差", "rate", yahoo=None,
         related="US10Y", n="yield curve|2s10s|2s/10s|10s2s|10y-2y spread|10-2 spread|收益率曲线|期限利差|美债利差"),
    _row("FEDFUNDS", "Federal funds rate", "联邦基金利率", "rate", yahoo=None,
         n="fed funds rate|fed funds|federal funds rate|联邦基金利率|联邦基金目标利率"),
    _row("^MOVE", "ICE BofA MOVE Index", "MOVE美债波动率指数", "index", n="MOVE index|the MOVE index|美债波动率指数"),
    # US indexes the data does not hold.
    _row("^RUI", "Russell 1000", "罗素1000", "index", related="SPX", n="Russell 1000|Russell 1000 Index|罗素1000"),
    _row("^RUA", "Russell 3000", "罗素3000", "index", related="SPX", n="Russell 3000|Russell 3000 Index|罗素3000"),
    _row("^RUO", "Russell 2000 Growth", "罗素2000成长", "index", related="RUT",
         n="Russell 2000 Growth|罗素2000成长|罗素2000成长指数"),
    _row("^RUJ", "Russell 2000 Value", "罗素2000价值", "index", related="RUT",
         n="Russell 2000 Value|罗素2000价值|罗素2000价值指数"),
    _row("^MID", "S&P MidCap 400", "标普400", "index",
         n="S&P 400|S&P MidCap 400|S&P MidCap|标普400|标普中盘400", p="mid caps|mid cap|midcaps|mid-cap stocks|中盘股"),
    _row("^SP600", "S&P SmallCap 600", "标普600", "index", related="RUT",
         n="S&P 600|S&P SmallCap 600|S&P SmallCap|标普600|标普小盘600"),
    _row("^SPXEW", "S&P 500 Equal Weight", "标普500等权指数", "index", related="SPX",
         n="S&P 500 Equal Weight|equal-weight S&P 500|equal-weight S&P|equal weight S&P 500|标普500等权|等权标普"),
    _row("^DJT", "Dow Jones Transportation Average", "道琼斯运输指数", "index", related="DJI",
         n="Dow Jones Transportation Average|Dow Jones Transportation|Dow transports|Dow transportation|"
           "道琼斯运输指数|道琼斯运输业指数|道指运输"),
    _row("^W5000", "Wilshire 5000", "威尔希尔5000", "index", related="SPX", n="Wilshire 5000|Wilshire|威尔希尔5000"),
    _row("^NYA", "NYSE Composite", "纽约证交所综合指数", "index", related="SPX", n="NYSE Composite|纽约证交所综合指数"),
    _row("^HXC", "Nasdaq Golden Dragon China", "纳斯达克中国金龙指数", "index",
         n="Nasdaq Golden Dragon China|Nasdaq Golden Dragon|Golden Dragon|纳斯达克中国金龙指数|中国金龙指数|金龙指数",
         p="中概股|中概|Chinese ADRs|China ADRs"),
    # Foreign indexes.
    _row("^N225", "Nikkei 225", "日经225", "index", n="Nikkei 225|Nikkei|日经225|日经指数|日经平均指数|日经平均|日经",
         p="日股|日本股市|Japanese stocks"),
    _row("^HSI", "Hang Seng", "恒生指数", "index", t="hsi", n="Hang Seng|Hang Seng Index|恒生指数|恒生|恒指",
         p="港股|港股大盘|Hong Kong stocks"),
    _row("HSTECH.HK", "Hang Seng Tech", "恒生科技指数", "index",
         n="Hang Seng Tech|Hang Seng Tech Index|Hang Seng Technology|恒生科技|恒生科技指数|恒科指"),
    _row("^FTSE", "FTSE 100", "富时100", "index", n="FTSE 100|FTSE|Footsie|富时100|英国富时100|富时100指数"),
    _row("^GDAXI", "DAX", "德国DAX", "index", t="dax", n="DAX 40|德国DAX|德国DAX指数"),
    _row("^FCHI", "CAC 40", "法国CAC40", "index", n="CAC 40|CAC|法国CAC40|法国CAC 40"),
    _row("^STOXX50E", "Euro Stoxx 50", "欧洲斯托克50", "index",
         n="Euro Stoxx 50|EuroStoxx 50|Euro Stoxx|Stoxx 50|SX5E|欧洲斯托克50|斯托克50"),
    _row("^STOXX", "STOXX Europe 600", "斯托克600", "index", n="Stoxx 600|Stoxx Europe 600|欧洲斯托克600|斯托克600",
         p="欧股|欧洲股市|European stocks"),
    _row("000300.SS", "CSI 300", "沪深300", "index", n="CSI 300|CSI300|沪深300|沪深300指数|沪深三百",
         p="A股|A股大盘|A-shares|China A-shares|Chinese A-shares"),
    _row("000001.SS", "Shanghai Composite", "上证指数", "index",
         n="Shanghai Composite|SSE Composite|上证指数|上证综指|上证综合指数|上证|沪指"),
    _row("000016.SS", "SSE 50", "上证50", "index", n="SSE 50|上证50|上证50指数"),
    _row("399001.SZ", "Shenzhen Component", "深证成指", "index", n="Shenzhen Component|深证成指|深成指|深证成份指数|深证指数"),
    _row("399006.SZ", "ChiNext", "创业板指", "index", n="ChiNext|ChiNext Index|创业板指|创业板指数|创业板"),
    _row("000688.SS", "STAR 50", "科创50", "index", n="STAR 50|STAR Market 50|科创50|科创板50|科创板"),
    _row("^KS11", "KOSPI", "韩国综合指数", "index", t="kospi", n="韩国综合指数|韩国KOSPI"),
    _row("^TWII", "TAIEX", "台湾加权指数", "index", t="taiex", n="台湾加权指数|台湾加权|台股加权指数"),
    _row("^BSESN", "Sensex", "孟买SENSEX", "index", n="Sensex|BSE Sensex|孟买SENSEX|孟买敏感30"),
    _row("^NSEI", "Nifty 50", "印度Nifty50", "index", n="Nifty 50|Nifty50|Nifty index|印度Nifty50"),
    _row("^AXJO", "ASX 200", "澳洲ASX200", "index", n="ASX 200|ASX200|S&P/ASX 200|澳洲ASX200|澳大利亚ASX200"),
    _row("^GSPTSE", "S&P/TSX Composite", "多伦多S&P/TSX综合指数", "index", t="tsx",
         n="S&P/TSX Composite|S&P/TSX|TSX Composite|多伦多综合指数"),
    _row("MSCI-WORLD", "MSCI World", "MSCI全球指数", "index", yahoo=None, n="MSCI World|MSCI世界指数|MSCI全球指数"),
    _row("MSCI-ACWI", "MSCI ACWI", "MSCI全球(含新兴)指数", "index", yahoo=None, n="MSCI ACWI|MSCI All Country World"),
    _row("MSCI-EM", "MSCI Emerging Markets", "MSCI新兴市场指数", "index", yahoo=None,
         n="MSCI Emerging Markets|MSCI EM|MSCI新兴市场指数|MSCI新兴市场"),
    _row("MSCI-EAFE", "MSCI EAFE", "MSCI EAFE指数", "index", yahoo=None, n="MSCI EAFE"),
    _row("MSCI-CHINA", "MSCI China", "MSCI中国指数", "index", yahoo=None, n="MSCI China|MSCI中国指数|MSCI中国"),
)

# Phrases that only look like mentions. Matched before any form at the same place, so their
# words are not read as instruments (regexes, case-insensitive).
FALSE_FRIENDS: tuple[str, ...] = (
    r"(?:in|into|out of|from|of)\s+(?:a|the|this|that)\s+rut",  # "stuck in a rut"
    r"a\s+rut",
    r"(?:a|the|double)\s+spy(?:\s+(?:novel|movie|film|thriller|game|agency|satellite|plane))?",
    r"spy\s+(?:on|novels?|movies?|films?|thrillers?|games?|agency|agencies|satellites?|planes?|cameras?)",
    r"meta[\s\-]+(?:analysis|analyses|analytic|data|question|level|learning|discussion|commentary|narrative|game)",
    r"(?:red|white)\s+sox",
    r"chips\s+(?:and\s+science\s+)?act|chips\s+are\s+down|芯片法案",
    r"(?:potato|chocolate|poker|casino)\s+chips",
    r"gold\s+(?:standard|medal|rush)|silver\s+(?:lining|medal)",
    r"黄金(?:分割|交叉|坑|周|期|时代|时期|机会|比例|位置|买点)",
    r"apples?\s+(?:to|and)\s+apples?",
    r"dow\s+theory|道氏理论",
    # A span of years, not a Treasury note: "a 10-year period", "10y returns", "over the last 10 years".
    r"(?:the\s+|a\s+)?(?:\d{1,2}|ten|two|five|thirty)[\s\-]?(?:years?|yrs?|y)[\s\-]+(?:period|returns?|window|span|"
    r"stretch|history|chart|horizon|cagr|average|annuali[sz]ed|performance|track|run|bull|bear|lows?|highs?|old|"
    r"view|outlook|plan|hold|holding|backtest|data|lookback|rolling|total|time|timeframe|cycles?|trend|moving)",
    r"(?:last|past|over|previous|next|for|in|within|recent|trailing)\s+(?:the\s+)?(?:\d{1,2}|ten|two|five|thirty)"
    r"[\s\-]?(?:years?|yrs?|y)",
)

# Upper-case words that are not tickers (a question's ticker-shaped words that no table lists are
# read as unserved tickers unless they are here).
_NOT_TICKER_WORDS = """
A I AM PM ET EST EDT PT PST UTC GMT US USA UK EU UN HK CN JP DE FR NY NYC
AND OR NOT THE HOW WHAT WHY WHEN WHO WHERE WHICH IS ARE WAS DO DID DOES CAN WILL SHOULD IT ITS IN ON AT TO
OF BY UP DOWN MY ME WE YOU NO YES ALL ANY FOR BUT SO IF VS OK NEW NOW BUY SELL HOLD LONG SHORT BULL BEAR
TOP LOW HIGH BIG HOT GOOD BAD BEST WORST MORE LESS VERY JUST ONLY NEXT LAST YEAR DAY WEEK MONTH RISK CALL PUT
ETF ETFS ETN SPAC ADR ADRS IPO IPOS REIT OTC NYSE AMEX NASDAQ CBOE PHLX SPDR MSCI CSI FTSE DJ
YTD MTD QTD WTD YOY QOQ MOM TTM NTM FY CAGR ATH ATL EOD EOW EOM EOY
Q1 Q2 Q3 Q4 H1 H2 1H 2H MA MA5 MA10 MA20 MA50 MA60 MA120 MA200
GDP CPI PPI PCE NFP ADP JOLTS ISM PMI FED FOMC ECB BOJ BOE PBOC RBA SNB IMF WTO OECD BIS BLS BEA NBER FDIC
SEC FINRA CFTC OPEC NATO QE QT RRP TGA SOFR LIBOR TIPS MBS CDS CLO HY IG OAS BP BPS PP PCT
EPS PE PB PS PEG EV EVS EBIT EBITDA FCF DCF ROE ROA ROI ROIC CAPEX OPEX AUM NAV ESG M&A
RSI MACD SMA EMA ATR VWAP OBV ADX BB KDJ BOLL DIF DEA DD MDD IV HV OI OTM ITM ATM DTE MAX MIN AVG STD VAR
CVAR SD CI AI AGI ML LLM GPT GPU GPUS CPU HBM API IOT AR VR TV PDF CSV URL FAQ DIY NB AKA ETC
TLDR FYI IMO IMHO BTW ASAP LOL OMG CEO CFO CTO COO CIO VP IR PR HR LNG CHIPS
USD CNY CNH RMB HKD EUR JPY GBP CHF AUD CAD KRW INR FX WSJ CNBC ASX
"""
NOT_TICKERS: frozenset[str] = frozenset(_NOT_TICKER_WORDS.split())

_LATIN = "A-Za-z0-9"
# Ticker-shaped words: "$abc" in any case, "^N225", or an upper-case word (BRK.B, RDS-A).
_TICKER_WORD = re.compile(
    rf"(?<![{_LATIN}$^.&/])(?:\$([A-Za-z]{{1,5}}(?:[.\-][A-Za-z])?)|(\^[A-Z0-9]{{2,9}})|([A-Z]{{2,5}}(?:[.\-][A-Z])?))"
    rf"(?![{_LATIN}&/])"
)
# A question typed in capitals ("HOW DID IWM DO?"): its upper-case words are not tickers.
_SHOUTING_SHARE = 0.6
_WORD = re.compile(r"[A-Za-z]{2,}")
_THE = re.compile(r"^the\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One instrument named in a text."""

    text: str  # the words as typed
    span: tuple[int, int]
    symbol: str  # catalogue symbol (served) or the ticker/id of an unserved instrument
    name: str  # display name, English
    name_zh: str  # display name, Chinese
    how: How  # proxy: the words name a segment an index measures (小盘股 -> RUT)
    served: bool
    related: str | None  # for an unserved instrument: a served one that could be offered instead
    yahoo: str | None = None  # the ticker a live provider would be asked for, when there is one


@dataclass(frozen=True)
class _Form:
    instrument: Instrument
    how: How
    served: bool
    upper_only: bool


def _norm(text: str) -> str:
    # Case, spaces, hyphens and full-width characters vary; the meaning does not.
    text = text.strip().lower().replace("＆", "&").replace("（", "(").replace("）", ")")
    return re.sub(r"[\s\-_]+", "", text)


def _forms(instrument: Instrument) -> list[tuple[str, How, bool]]:
    """(typed form, how, upper-case only) for every way the table writes the instrument."""
    out: list[tuple[str, How, bool]] = [(instrument.symbol, "ticker", False)]
    if instrument.yahoo and instrument.yahoo != instrument.symbol:
        out.append((instrument.yahoo, "ticker", False))
    out += [(f, "ticker", False) for f in instrument.tickers]
    out += [(f, "ticker", True) for f in instrument.upper_tickers]
    out += [(instrument.name, "name", False)]
    out += [(f, "name", False) for f in instrument.names]
    out += [(f, "nickname", False) for f in instrument.nicknames]
    out += [(f, "proxy", False) for f in (*instrument.proxies, *instrument.stand_ins)]
    if any(f.upper() == instrument.symbol for f in instrument.upper_tickers):
        out = [o for o in out if o[0] != instrument.symbol] + [(instrument.symbol, "ticker", True)]
    # A symbol that is not a ticker people type (an id such as "MSCI-WORLD") is no form.
    return [o for o in out if not (o[0] == instrument.symbol and "-" in o[0] and instrument.yahoo is None)]


@lru_cache(maxsize=1)
def _form_table() -> dict[str, _Form]:
    """Normalised typed form -> what it names. Served rows win over unserved ones."""
    table: dict[str, _Form] = {}
    for served, rows in ((True, SERVED), (False, UNSERVED)):
        for row in rows:
            for form, how, upper in _forms(row):
                table.setdefault(_norm(form), _Form(row, how, served, upper))
    return table


def _form_regex(form: str, upper_only: bool) -> str:
    """The regex for one typed form: separators optional, Latin ends bounded by non-letters."""
    body = ""
    previous = ""
    for char in form:
        if char in " -_":
            body += r"[\s\-_]*"
            previous = " "
            continue
        cls = "latin" if char.isascii() and char.isalnum() else ("cjk" if not char.isascii() else "mark")
        if previous and previous != " " and previous != cls:
            body += r"[\s\-_]?" if "mark" not in (cls, previous) else r"\s?"
        body += re.escape(char)
        previous = cls
    if upper_only:
        body = "(?-i:" + body + ")"
    first, last = form.lstrip("^$")[:1], form[-1:]
    if first.isascii() and first.isalnum():
        body = rf"(?<![{_LATIN}^])" + body
    if last.isascii() and last.isalnum():
        body = body + rf"(?![{_LATIN}])"
    return body


@lru_cache(maxsize=1)
def _mention_regex() -> re.Pattern[str]:
    """False friends first, then every form, longest first: '纳斯达克100' wins over '纳斯达克'."""
    forms: dict[str, tuple[str, bool]] = {}
    for rows in (SERVED, UNSERVED):
        for row in rows:
            for form, _how, upper in _forms(row):
                forms.setdefault(form.lower() if not upper else form, (form, upper))
    # Grouped by first character behind a lookahead, so each place in the text tries only the
    # forms that can start there (one alternation of ~1,000 forms is ten times slower).
    groups: dict[str, list[tuple[str, bool]]] = {}
    for form, upper in forms.values():
        groups.setdefault(form[0].lower(), []).append((form, upper))
    branches = []
    for first, members in groups.items():
        members.sort(key=lambda item: len(_norm(item[0])), reverse=True)
        branches.append(f"(?={re.escape(first)})(?:" + "|".join(_form_regex(f, u) for f, u in members) + ")")
    friends = [rf"(?<![{_LATIN}])(?:{f})(?![{_LATIN}])" for f in FALSE_FRIENDS]
    # "the" belongs to the mention: "the Nasdaq-100" must not be read as "the Nasdaq" + "-100".
    the = rf"(?:(?<![{_LATIN}])the\s+)?"
    return re.compile(f"(?P<friend>{'|'.join(friends)})|{the}(?:{'|'.join(branches)})", re.IGNORECASE)


def _shouting(text: str) -> bool:
    words = _WORD.findall(text)
    return len(words) >= 4 and sum(w.isupper() for w in words) >= _SHOUTING_SHARE * len(words)


def _mention(text: str, span: tuple[int, int], form: _Form) -> Mention:
    row = form.instrument
    return Mention(text=text, span=span, symbol=row.symbol, name=row.name, name_zh=row.name_zh, how=form.how,
                   served=form.served, related=row.related, yahoo=row.yahoo)


def _unknown_ticker(match: re.Match[str]) -> Mention | None:
    cashtag, caret, word = match.groups()
    ticker = (cashtag or caret or word).upper()
    if word and word in NOT_TICKERS:
        return None
    start = match.start(1) if cashtag else match.start()
    return Mention(text=match.group(0).lstrip("$"), span=(start, match.end()), symbol=ticker, name=ticker,
                   name_zh=ticker, how="ticker", served=False, related=None, yahoo=ticker)


def find_instruments(text: str) -> list[Mention]:
    """Every instrument `text` names, in order of appearance, one Mention per symbol.

    Case-insensitive; Latin forms only as whole words (also next to Chinese: "iwm和spy比");
    the longest form wins ("nasdaq 100" over "nasdaq"); false friends ("in a rut") are skipped.
    An upper-case ticker-shaped word no table lists ("PLTR") is an unserved ticker mention,
    unless it is an ordinary upper-case word (`NOT_TICKERS`) or the whole text is in capitals.
    """
    shouting = _shouting(text)
    table = _form_table()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for match in _mention_regex().finditer(text):
        taken.append(match.span())
        if match.group("friend"):
            continue
        typed, start = match.group(0), match.start()
        bare = _THE.sub("", typed)
        if bare != typed and _norm(bare) in table:  # "the Dow" is the Dow; "the 10-year" is a form
            typed, start = bare, match.end() - len(bare)
        form = table.get(_norm(typed))
        if form is None or (form.upper_only and shouting):
            continue
        found.append(_mention(typed, (start, match.end()), form))
    if not shouting:
        for match in _TICKER_WORD.finditer(text):
            if any(match.start() < b and match.end() > a for a, b in taken):
                continue
            mention = _unknown_ticker(match)
            if mention is not None:
                found.append(mention)
    seen: set[str] = set()
    ordered: list[Mention] = []
    for mention in sorted(found, key=lambda m: m.span):
        if mention.symbol not in seen:
            seen.add(mention.symbol)
            ordered.append(mention)
    return ordered


def instrument(symbol: str) -> Instrument | None:
    """The table row of a served or unserved symbol ("RUT", "TSLA", "^N225"), or None."""
    for row in (*SERVED, *UNSERVED):
        if row.symbol == symbol:
            return row
    return None


# -- The older API, on the same tables -------------------------------------------------------


@dataclass(frozen=True)
class ResolvedSymbol:
    """The outcome of resolving user text to a canonical symbol."""

    query: str
    symbol: str
    name: str
    note: str | None


@dataclass(frozen=True)
class SymbolInfo:
    """One served instrument: display names, Yahoo ticker and every typed form (aliases)."""

    symbol: str
    name: str
    yahoo: str
    aliases: tuple[str, ...]
    unit: str = "points"  # RATE_UNIT when the close is a rate (a yield): levels and bp, not returns
    name_zh: str = ""


def _aliases(row: Instrument) -> tuple[str, ...]:
    forms = [f for f, _how, _upper in _forms(row) if f not in (row.symbol, row.name, *row.stand_ins)]
    return tuple(dict.fromkeys([*row.names, *forms]))  # names first: the first Chinese one is name_zh


CATALOGUE: dict[str, SymbolInfo] = {
    row.symbol: SymbolInfo(row.symbol, row.name, row.yahoo or row.symbol, _aliases(row), row.unit, row.name_zh)
    for row in SERVED
}


def _resolved(query: str, symbol: str) -> ResolvedSymbol:
    info = CATALOGUE[symbol]
    plain = query.strip()
    note = None if plain.upper() == symbol else f"{plain} -> {symbol} ({info.name})"
    return ResolvedSymbol(query=plain, symbol=symbol, name=info.name, note=note)


def lookup(text: str) -> ResolvedSymbol | None:
    """Resolve `text` to a served symbol through the catalogue only; None when it is not listed."""
    form = _form_table().get(_norm(text))
    return _resolved(text, form.instrument.symbol) if form and form.served else None


# A ticker the catalogue does not list may still exist at a live provider (AAPL, ^FTSE).
_TICKER = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]{0,9}$")


def looks_like_ticker(text: str) -> bool:
    """True for strings shaped like an exchange ticker (e.g. AAPL, ^FTSE, BRK-B)."""
    return bool(_TICKER.match(text.strip().upper()))


def resolve_symbol(text: str) -> ResolvedSymbol:
    """Resolve a symbol, name or alias ("小盘股", "^GSPC", "rut") to a canonical symbol.

    Raises UnknownSymbolError when the text is not in the catalogue.
    """
    found = lookup(text)
    if found is None:
        known = ", ".join(CATALOGUE)
        raise UnknownSymbolError(
            f"Unknown symbol '{text.strip()}': use one of {known} or a name like 'Russell 2000' / '标普500'."
        )
    return found


def find_symbols(text: str) -> list[ResolvedSymbol]:
    """Every served instrument named in free text, in order of appearance, one per symbol."""
    return [_resolved(m.text, m.symbol) for m in find_instruments(text) if m.served]
