"""A bilingual (Chinese <-> English) finance glossary for cross-lingual BM25 query expansion.

The multilingual embedding model maps a Chinese question near English passages only loosely
(entity names especially), so the keyword side adds the English terms of any Chinese finance
term in the query, and vice versa. Written by us; common market vocabulary only.
"""

from __future__ import annotations

import re

from knowledge.text import HAN

_PAIRS = """
小盘股=small caps/small-cap|大盘股=large caps/large-cap|中盘股=mid caps|价值股=value stocks
成长股=growth stocks|周期股=cyclical stocks|罗素2000=russell 2000|标普500=s&p 500
纳斯达克=nasdaq|道琼斯=dow jones|美联储=fed/federal reserve|央行=central bank|降息=rate cuts
加息=rate hikes|利率=interest rates|基点=basis points/bp|通胀=inflation|通货膨胀=inflation
经济增长=economic growth|国内生产总值=gdp|衰退=recession|就业=jobs/employment|失业率=unemployment rate
劳动力市场=labor market|制造业=manufacturing|采购经理人指数=pmi/ism|回流=reshoring
财政刺激=fiscal stimulus|监管=regulation|放松监管=deregulation|中期选举=midterm elections
每股收益=eps/earnings per share|盈利=earnings/profits|利润=profits|营收=revenue|增速=growth
估值=valuation|市盈率=pe ratio/price earnings/price-to-earnings|市净率=price to book|低估=undervalued|高估=overvalued
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
远期市盈率=forward pe/forward earnings multiple|倍=times|幅度=size/magnitude|基金经理=fund managers|指数=index
财年=fiscal year|财报=financial statements/annual report|年报=annual report/10-k|季报=quarterly report/10-q
资产负债表=balance sheet|利润表=income statement|损益表=income statement|现金流量表=cash flow statement
营业收入=revenue/net sales|收入=revenue|销售额=net sales/sales|营业利润=operating income
营业利润率=operating margin|毛利=gross profit|毛利率=gross margin|净利润=net income
净利率=net margin|息税折旧摊销前利润=ebitda|经营活动现金流=cash from operating activities/operating cash flow
自由现金流=free cash flow|资本支出=capital expenditures/capex|折旧=depreciation|摊销=amortization
总资产=total assets|总负债=total liabilities|负债=liabilities|股东权益=shareholders equity/stockholders equity
流动资产=current assets|流动负债=current liabilities|流动比率=current ratio|速动比率=quick ratio
应收账款=accounts receivable|应付账款=accounts payable|存货=inventory/inventories|商誉=goodwill
无形资产=intangible assets|固定资产=property plant and equipment/pp&e|长期债务=long-term debt
债务=debt|现金及现金等价物=cash and cash equivalents|股息支付=dividends paid|派息=dividends
股票回购=share repurchases/buybacks|已发行股份=shares outstanding|稀释=diluted|所得税=income taxes
税率=tax rate|有效税率=effective tax rate|利息支出=interest expense|研发=research and development
销售及管理费用=selling general and administrative|重组=restructuring|诉讼=litigation
分部=segment|业务分部=business segment|营运资本=working capital|资产回报率=return on assets
股本回报率=return on equity|净资产收益率=return on equity|同比=year over year|环比=quarter over quarter
并购=acquisitions/m&a|收购=acquisition|剥离=divestiture|债券=notes/bonds|证券交易所=securities exchange
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


def _normalise(query: str) -> str:
    # "P/E" would split at the glossary's "/" separator: spell it the way the glossary does.
    return re.sub(r"(?i)(?<![a-z])p/e(?![a-z])", "pe", query)


def expand_query(query: str) -> str:
    """The query plus glossary translations of the finance terms it contains."""
    extra: list[str] = []
    query = _normalise(query)
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


# Everyday question words, for rewriting a Chinese question into English for the embedder only
# (keyword search gains nothing from them: they are on nearly every page).
_QUESTION_WORDS = """
预计=expected|预期=expected|今年=this year|明年=next year|去年=last year|多少=how much|多大=how large
为什么=why|如何=how|怎样=how|怎么=how|哪些=which|哪个=which|什么=what|是否=whether|能否=can
比较=compare|相比=compared with|对比=versus|相对=relative to|公司=company|股票=stocks|市场=market
投资者=investors|增长=growth|下降=decline|上升=increase|变化=change|风险=risks|原因=reasons
影响=impact|主要=main|总额=total|金额=amount|百万=million|十亿=billion|百分比=percent|比例=ratio
最新=latest|报告=report|数据=data|根据=based on|依据=based on|支撑=support|持续=sustained
表现=performance|改善=improvement|基本面=fundamentals|超额=excess|年末=year end|年初=start of year
发行=issued|登记=registered|交易=trading|稳定=stable|趋势=trend|分配=distribution|业务=business
"""
_REWRITE = dict(ZH_TO_EN)
for _pair in re.split(r"[|\n]", _QUESTION_WORDS):
    if "=" in _pair:
        _zh, _en = _pair.split("=", 1)
        _REWRITE.setdefault(_zh.strip(), [_en.strip()])
_REWRITE_TERMS = sorted(_REWRITE, key=len, reverse=True)
_EN_TERMS = sorted(EN_TO_ZH, key=len, reverse=True)
_EN_PATTERN = re.compile("|".join(rf"(?<![a-z]){re.escape(en)}(?![a-z])" for en in _EN_TERMS), re.I)
_HAN = HAN


def translate_query(query: str) -> str:
    """The query put word by word into the other language, for embedding: a small multilingual
    model matches a question to passages in its own language far better than across languages.

    A Chinese question becomes the English words of its known terms (finance glossary and
    everyday question words) with numbers and Latin words kept and the rest dropped; an English
    one gets the Chinese terms of its glossary terms in place. Returns the query unchanged when
    nothing was translated (or too little was left to mean anything).
    """
    normalised = _normalise(query)
    if _HAN.search(normalised):
        out = normalised
        for term in _REWRITE_TERMS:
            if term in out:
                out = out.replace(term, f" {_REWRITE[term][0]} ")
        if out == normalised:
            return query
        out = " ".join(re.findall(r"[A-Za-z0-9][A-Za-z0-9&.%'-]*", out))
        return out if len(out.split()) >= 2 else query
    out = re.sub(r"\s+", " ", _EN_PATTERN.sub(lambda m: EN_TO_ZH[m.group().lower()], normalised)).strip()
    return out if out != re.sub(r"\s+", " ", normalised).strip() else query
