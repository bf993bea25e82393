"""A bilingual (Chinese <-> English) finance glossary for cross-lingual BM25 query expansion.

The multilingual embedding model maps a Chinese question near English passages only loosely
(entity names especially), so the keyword side adds the English terms of any Chinese finance
term in the query, and vice versa. Written by us; common market vocabulary only.
"""

from __future__ import annotations

import re

_PAIRS = """
小盘股=small caps/small-cap|大盘股=large caps/large-cap|中盘股=mid caps|价值股=value stocks
成长股=growth stocks|周期股=cyclical stocks|罗素2000=russell 2000|标普500=s&p 500
纳斯达克=nasdaq|道琼斯=dow jones|美联储=fed/federal reserve|央行=central bank|降息=rate cuts
加息=rate hikes|利率=interest rates|基点=basis points/bp|通胀=inflation|通货膨胀=inflation
经济增长=economic growth|国内生产总值=gdp|衰退=recession|就业=jobs/employment|失业率=unemployment rate
劳动力市场=labor market|制造业=manufacturing|采购经理人指数=pmi/ism|回流=reshoring
财政刺激=fiscal stimulus|监管=regulation|放松监管=deregulation|中期选举=midterm elections
每股收益=eps/earnings per share|盈利=earnings/profits|利润=profits|营收=revenue|增速=growth
估值=valuation|市盈率=pe ratio/price earnings|市净率=price to book|低估=undervalued|高估=overvalued
折价=discount|溢价=premium|股息=dividend|回购=buybacks|仓位=positioning/positions|持仓=positions
对冲基金=hedge funds|投机=speculators|资金流=flows|流出=outflows|流入=inflows|波动率=volatility
波动=volatility|流动性=liquidity|信贷=credit|违约=default|利差=spreads|高收益债=high-yield
国债=treasuries/treasury|收益率=yields/yield|美元=dollar|日元=yen|欧元=euro|人民币=yuan/renminbi
汇率=exchange rate|黄金=gold|白银=silver|铜=copper|铁矿石=iron ore|原油=crude oil|布伦特=brent
布伦特原油=brent crude|天然气=natural gas|汽油=gasoline|油价=oil prices|大宗商品=commodities
比特币=bitcoin|加密货币=crypto|半导体=semiconductors/chips|人工智能=ai/artificial intelligence
银行股=bank shares/banks|银行=banks|金融=financials|工业=industrials|可选消费=consumer discretionary
公用事业=utilities|房地产=real estate/property|房地产信托=reits|航空股=airline stocks|能源=energy
科技股=tech stocks/technology|印度股市=indian equities|欧洲=european/europe|日本=japan|中国=china
全球=global|预测=forecast/outlook|展望=outlook|目标价=target price/forecast|牛市=bull market
熊市=bear market|反弹=rebound|复苏=recovery|滚动复苏=rolling recovery|催化剂=catalysts
跑赢=outperform|跑输=underperform|超额收益=excess return/outperformance|相对强弱=relative strength
摩根士丹利=morgan stanley|大摩=morgan stanley|高盛=goldman sachs|摩根大通=jpmorgan|瑞银=ubs
花旗=citi|汇丰=hsbc|巴克莱=barclays|野村=nomura|路透社=reuters|策略师=strategist|分析师=analyst
上涨=rose/gains|下跌=fell/losses|年底=end of year|季度=quarter|第四季度=fourth quarter/q4
"""

ZH_TO_EN: dict[str, list[str]] = {}
for _pair in re.split(r"[|\n]", _PAIRS):
    if "=" in _pair:
        _zh, _en = _pair.split("=", 1)
        ZH_TO_EN[_zh.strip()] = [e.strip() for e in _en.split("/") if e.strip()]

EN_TO_ZH: dict[str, str] = {}
for _zh, _ens in ZH_TO_EN.items():
    for _en in _ens:
        if len(_en) > 2:  # "p", "b", "ai" alone are too ambiguous to translate back
            EN_TO_ZH.setdefault(_en, _zh)

# Longest terms first so "布伦特原油" wins over "原油".
_ZH_TERMS = sorted(ZH_TO_EN, key=len, reverse=True)


def expand_query(query: str) -> str:
    """The query plus glossary translations of the finance terms it contains."""
    extra: list[str] = []
    rest = query
    for term in _ZH_TERMS:
        if term in rest:
            extra += ZH_TO_EN[term]
            rest = rest.replace(term, " ")
    lowered = f" {query.lower()} "
    for en, zh in EN_TO_ZH.items():
        if re.search(rf"(?<![a-z]){re.escape(en)}(?![a-z])", lowered):
            extra.append(zh)
    return query if not extra else f"{query} {' '.join(extra)}"
