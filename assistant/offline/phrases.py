"""Every sentence frame the offline analyst writes, in Chinese and English.

Frames hold no numbers of their own: every figure is filled in from a tool result, so the
verifier can ground it. Rules and thresholds are written in words for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable

PHRASES: dict[str, dict[str, str]] = {
    "zh": {
        "title": "## {a_name}({a})相对{b_name}({b}):{start} 至 {end}",
        "title_one": "## {a_name}({a}):{start} 至 {end}",
        "default_window": "_问题未指定时间窗口,本文使用可得数据中最近五个月:{start} 至 {end}。_",
        "default_symbols": "_问题未指定指数,本文以{names}为例。_",
        "benchmark_added": "_以{b_name}({b})作为比较基准。_",
        "proxies": "_指数代理:{items}。_",
        "data_from": "_{name}({sym})的行情数据从 {first} 才开始,晚于所问区间的起点 {asked}:下文数字从 {first} 算起,不涵盖之前的部分。_",
        "data_to": "_{name}({sym})的最新数据是 {last},所问区间到 {asked}:{last} 之后尚无行情数据。_",
        "o_mid_one": "- 中期(6-12个月):若来源所述的催化剂兑现({cites}),趋势有延续的条件;若未兑现,区间 {ret} 的涨幅可能回吐[0]。",
        "o_mid_one_none": "- 中期(6-12个月):知识库中缺少可引用的基本面资料,无法据证据判断中期方向;区间收益率为 {ret}[0]。",
        "o_long_one": "- 长期(1年以上):取决于经济周期与风险因素{risk_cites};区间最大回撤 {dd} 显示了下行时的幅度[0]。",
        "h_headline": "### 行情表现",
        "headline": "根据市场数据[0],{a_name}在 {start} 至 {end} 期间({days} 个交易日)收益率为 **{ret}**,"
                    "收盘价由 {first} 变为 {last}。",
        "headline_b": "同期{b_name}收益率为 {ret}[0],{a_name}{beat}{b_name} **{excess} 个百分点**[0]。",
        "beat_pos": "跑赢",
        "beat_neg": "跑输",
        "h_rs": "### 相对强度与均线位置",
        "rs": "{a}/{b} 价格比率期末为 {rs_end},区间高点 {rs_max} 出现在 {rs_max_date},目前较高点{rs_move}[0]。",
        "rs_at_high": "处于高点",
        "rs_below": "回落 {rs_from_max}",
        "rs_ma": "比率{rs_ma_side}其20日均线({rs_ma20})[0]。",
        "above": "高于",
        "below": "低于",
        "ma_line": "{name}收盘价 {last} {side20} MA20({ma20}),{side50} MA50({ma50});MA20 {cross} MA50[0]。",
        "ma200_line": "{name}收盘价 {last} {side} MA200({ma200})[0]。",
        "ma200_none": "{name}的历史数据不够长,无法计算 MA200。",
        "h_catalysts": "### 催化剂(来自检索资料)",
        "h_macro": "### 宏观背景",
        "h_forecasts": "### 机构预测",
        "h_earnings": "### 盈利与估值",
        "h_rates": "### 利率敏感性",
        "h_views": "### 来源中的配置观点",
        "views_note": "_以下为来源原文观点,并非本工具的投资建议。_",
        "no_passages": "知识库中没有检索到与该问题相关的资料;可用 `finsight ingest` 添加研究报告或新闻,再提问。",
        "quote": "- **{publisher}**({date}):“{text}”[{cite}]",
        "h_tech": "### 技术指标",
        "tech_head": "| 指标 | {cols} | 解读 |",
        "t_ma20": "当前价格 vs MA20",
        "t_ma50": "当前价格 vs MA50",
        "t_cross": "MA20 vs MA50",
        "t_vol20": "20日年化波动率",
        "t_vol": "区间年化波动率",
        "t_dd": "区间最大回撤",
        "t_ret": "区间收益率",
        "t_excess": "相对{b}超额收益",
        "r_short_bull": "短期偏多",
        "r_short_bear": "短期偏弱",
        "r_mid_bull": "中期偏多",
        "r_mid_bear": "中期偏弱",
        "r_vol_high": "{a}波动更大",
        "r_vol_low": "{a}波动更小",
        "r_vol_cooling": "近期波动低于区间平均",
        "r_vol_rising": "近期波动高于区间平均",
        "r_dd_deeper": "{a}回撤更深",
        "r_dd_shallower": "{a}回撤更浅",
        "r_mom_strong": "相对动能偏强",
        "r_mom_weak": "相对动能偏弱",
        "cell_above": "高于",
        "cell_below": "低于",
        "h_risks": "### 风险",
        "risk_vol": "- 波动性:{a_name}日波动率({va})较{b_name}({vb}){more}{prem}[0];beta 为 {beta},相关系数 {corr}[0]。",
        "more": "高出",
        "less": "低",
        "risk_dd": "- 回撤:区间内{a_name}最大回撤 {dda},{b_name}为 {ddb}[0]。",
        "risk_dd_one": "- 回撤:区间内{a_name}最大回撤 {dda}[0]。",
        "h_score": "### 评分卡",
        "score_head": "| 维度 | 实测值 | 所在区间(规则) | 评级 |",
        "score_momentum": "动量(相对基准的超额收益)",
        "score_relative_strength": "相对强度(比率距区间高点)",
        "score_trend": "趋势(收盘价相对MA200)",
        "score_volatility": "波动(60日波动率的历史分位,越低越好)",
        "score_drawdown": "回撤(区间最大回撤)",
        "score_rate_sensitivity": "利率(10年期收益率每上行10个基点时的周收益,越高越好)",
        "score_name_momentum": "动量", "score_name_relative_strength": "相对强度", "score_name_trend": "趋势",
        "score_name_volatility": "波动", "score_name_drawdown": "回撤", "score_name_rate_sensitivity": "利率",
        "score_pp": "{value} 个百分点",
        "score_percentile": "历史分位 {value}",
        "score_per_10bp": "每10个基点 {value}",
        "score_below": "低于 {high}",
        "score_at_least": "不低于 {low}",
        "score_between": "{low} 至 {high}",
        "score_evidence": "资料支持",
        "score_evidence_rule": "基础一星;每个提供催化剂或预测论据的独立来源加一星,最多五星",
        "score_rules_note": "_星级按固定区间评定,不作主观判断;每个维度的五档分界与计算方法见参考资料 [0]。_",
        "risk_rolling_vol": "- 截至 {day},{a_name}的{n}日年化波动率为 {vol},高于其自身历史上 {pctile} 的{n}日读数(走势见滚动指标图)[0]。",
        "risk_rolling_beta": "- 最近{n}个交易日,{a_name}相对{b_name}的贝塔为 {beta},相关系数为 {corr}[0]。",
        "h_outlook": "### 展望(按期限,条件式)",
        "o_signals": "所依据的评分信号:{signals},{reading}。",
        "o_favourable": "整体偏有利",
        "o_unfavourable": "整体偏不利",
        "o_mixed": "信号分化",
        "o_short_pos": "- 短期(1-3个月):价格位于MA20与MA50之上,趋势偏多;若跌破MA20,短期动能可能转弱[0]。",
        "o_short_mixed": "- 短期(1-3个月):均线信号分化(见技术指标表),相对强度比率较高点回落 {rs_from_max}[0];需等待价格重新站上MA20再确认方向。",
        "o_short_mixed_one": "- 短期(1-3个月):均线信号分化(见技术指标表);需等待价格重新站上MA20再确认方向[0]。",
        "o_short_neg": "- 短期(1-3个月):价格位于主要均线之下,趋势偏弱;重新站上MA20之前应谨慎看待反弹[0]。",
        "o_mid": "- 中期(6-12个月):若来源所述的催化剂兑现({cites}),相对表现有延续的条件;若未兑现,当前 {excess} 个百分点的超额收益可能回吐[0]。",
        "o_mid_none": "- 中期(6-12个月):知识库中缺少可引用的基本面资料,无法据证据判断中期方向;当前超额收益为 {excess} 个百分点[0]。",
        "o_long": "- 长期(1年以上):取决于经济周期与风险因素{risk_cites};波动更高({prem})意味着回撤时损失可能更大[0]。",
        "h_refs": "### 参考资料",
        "ref_market": "[0] 市场数据:{provider},{symbols} 日收盘价,窗口 {window},数据截至 {as_of}",
        "ref_source": "{cites} {publisher} - “{title}”({date}){url}",
        "table_source": "_表格原文引自 {publisher}[{cite}]。_",
        "evidence_query": "{names} 催化剂 宏观 盈利 预测 风险 利率",
        "undated": "日期不详",
        "demo_ref": "(演示摘要:finsight 对原文的转述,请核对原文)",
        "disclaimer": "_数据基于历史,不代表未来走势;仅供研究参考,不构成投资建议。_",
        "offline": "_离线模式:本回答由离线分析器根据工具结果与检索资料生成,未使用大语言模型。_",
        "short_line": "{name}:{start} 至 {end} 收益率 **{ret}**,日波动率 {vol},最大回撤 {dd}[0]。",
        "short_rate": "{name}:{start} 为 {first}%,{end} 为 {last}%,变动 **{bp} 个基点**[0]。",
        "short_pair": "{a}相对{b}的超额收益为 **{excess} 个百分点**,日波动率之比 {ratio}[0]。",
        "short_beta": "{a}相对{b}的贝塔为 {beta},日收益相关系数 {corr}[0]。",
        "thanks": "不客气。还想看哪个指数或哪段时间,可以接着问,例如「{example}」",
        "sources_intro": "知识库中的资料(回答引用时会标注编号,可点开核对原文):",
        "sources_demo": "_演示摘要,请核对原文_",
        "f_reference": "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?",
        "f_sources": "摩根士丹利怎么看2026年?",
        "sources_none": "知识库里还没有资料。可以在知识库页面上传文件或添加网址,或运行 `finsight ingest`。",
        "about_us": "我是 **finsight**,一个金融研究助手:回答中的每个行情数字都由工具根据真实价格计算,并注明数据来源,其他观点都引用知识库中的资料并编号,可以逐条核对。"
                    "可以问指数的表现、相对强弱、均线、波动与回撤,也可以问资料中的观点。目前有行情数据的有:{available}。例如:「{example}」",
        "short_from": "来自资料:",
        "error": "无法获取行情数据:{error}",
        "f_month": "只看最近一个月呢?",
        "f_ndx": "和纳斯达克100相比呢?",
        "f_dji": "和道琼斯指数相比呢?",
        "f_risks": "{a_name}目前的主要风险有哪些?",
        "f_why": "{a_name}相对{b_name}表现的原因是什么?",
        "no_data": "**本工具没有{names}的价格数据**,因此不提供它的收益、波动或回撤数字。目前可用的行情数据:{available}。"
                   "可以改问其中的指数,例如「{example}」。",
        "no_data_partial": "_没有{names}的价格数据,下文不含它的数字,只涵盖{kept}。可用的行情数据:{available}。_",
        "future": "**行情数据截至最后一个交易日 {last};{start} 至 {end} 在此之后,尚无这段时间的行情数据**,"
                  "因此无法给出任何数字,未来的收益也无法预知。可以改问 {last} 及之前的区间,例如「{example}」。",
        "guarantee": "**任何指数或投资都不能保证收益**:价格有涨有跌,过去的收益也不代表未来。",
        "guarantee_history": "下面的历史数据仅供参考,其中的最大回撤显示了持有期间可能出现的亏损。",
        "guarantee_ask": "可以改问某个指数的历史表现,例如「{example}」。",
        "h_history": "### 历史表现(仅供参考)",
        "example": "{name}最近三个月的表现如何?",
        "kb_intro": "知识库中{publishers}资料的相关内容:",
        "kb_intro_any": "知识库中与问题相关的资料:",
        "kb_missing": "_知识库中没有{publishers}的资料;以下为其他相关资料。可用 `finsight ingest` 添加原文。_",
        "kb_note": "_以上为资料原文摘录;完整内容请阅读参考资料中的链接。_",
        "short_ann_vol": "{name}:区间年化波动率 {ann},20日年化波动率 {ann20}[0]。",
    },
    "en": {
        "title": "## {a_name} ({a}) versus {b_name} ({b}): {start} to {end}",
        "title_one": "## {a_name} ({a}): {start} to {end}",
        "default_window": "_The question names no window; this uses the last five months of available data: {start} to {end}._",
        "default_symbols": "_The question names no index; this looks at {names}._",
        "benchmark_added": "_Benchmark: {b_name} ({b})._",
        "proxies": "_Proxies: {items}._",
        "data_from": "_Price data for the {name} ({sym}) only starts on {first}, after the start asked for ({asked}): the figures below run from {first} and do not cover the time before._",
        "data_to": "_The latest data for the {name} ({sym}) is from {last}; the window asked for runs to {asked}, and there are no prices after {last}._",
        "o_mid_one": "- Medium term (6-12 months): if the catalysts in the sources materialise ({cites}), the trend has support; if not, the window's {ret} gain could reverse [0].",
        "o_mid_one_none": "- Medium term (6-12 months): the knowledge base holds no citable fundamental evidence, so no evidence-based view is possible; the window's return is {ret} [0].",
        "o_long_one": "- Long term (over a year): depends on the economic cycle and the risks{risk_cites}; the window's maximum drawdown of {dd} shows the size of a setback [0].",
        "h_headline": "### Headline performance",
        "headline": "According to the market data [0], the {a_name} returned **{ret}** from {start} to {end} "
                    "({days} trading days), closing at {last} after {first}.",
        "headline_b": "Over the same window the {b_name} returned {ret} [0], so the {a_name} {beat} it by **{excess} percentage points** [0].",
        "beat_pos": "outperformed",
        "beat_neg": "underperformed",
        "h_rs": "### Relative strength and moving averages",
        "rs": "The {a}/{b} price ratio ended at {rs_end}; its high of {rs_max} came on {rs_max_date}, and it is now {rs_move} [0].",
        "rs_at_high": "at that high",
        "rs_below": "{rs_from_max} below it",
        "rs_ma": "The ratio is {rs_ma_side} its 20-day average ({rs_ma20}) [0].",
        "above": "above",
        "below": "below",
        "ma_line": "The {name} closed at {last}, {side20} its MA20 ({ma20}) and {side50} its MA50 ({ma50}); MA20 is {cross} MA50 [0].",
        "ma200_line": "The {name} closed at {last}, {side} its MA200 ({ma200}) [0].",
        "ma200_none": "The {name}'s price history is too short for an MA200.",
        "h_catalysts": "### Catalysts (from the retrieved sources)",
        "h_macro": "### Macro backdrop",
        "h_forecasts": "### House forecasts",
        "h_earnings": "### Earnings and valuation",
        "h_rates": "### Rate sensitivity",
        "h_views": "### Positioning views in the sources",
        "views_note": "_These are the sources' views, quoted; they are not investment advice from this tool._",
        "no_passages": "No passage in the knowledge base matches this question; add research or news with `finsight ingest` and ask again.",
        "quote": "- **{publisher}** ({date}): “{text}” [{cite}]",
        "h_tech": "### Technical indicators",
        "tech_head": "| Indicator | {cols} | Reading |",
        "t_ma20": "Price vs MA20",
        "t_ma50": "Price vs MA50",
        "t_cross": "MA20 vs MA50",
        "t_vol20": "20-day annualised volatility",
        "t_vol": "Annualised volatility (window)",
        "t_dd": "Maximum drawdown (window)",
        "t_ret": "Return (window)",
        "t_excess": "Excess return vs {b}",
        "r_short_bull": "short-term positive",
        "r_short_bear": "short-term weak",
        "r_mid_bull": "medium-term positive",
        "r_mid_bear": "medium-term weak",
        "r_vol_high": "{a} is more volatile",
        "r_vol_low": "{a} is less volatile",
        "r_vol_cooling": "recent volatility below the window average",
        "r_vol_rising": "recent volatility above the window average",
        "r_dd_deeper": "{a} fell further",
        "r_dd_shallower": "{a} fell less",
        "r_mom_strong": "relative momentum strong",
        "r_mom_weak": "relative momentum weak",
        "cell_above": "above",
        "cell_below": "below",
        "h_risks": "### Risks",
        "risk_vol": "- Volatility: the {a_name}'s daily volatility ({va}) is {prem} {more} than the {b_name}'s ({vb}) [0]; beta {beta}, correlation {corr} [0].",
        "more": "higher",
        "less": "lower",
        "risk_dd": "- Drawdown: the worst fall inside the window was {dda} for the {a_name} and {ddb} for the {b_name} [0].",
        "risk_dd_one": "- Drawdown: the worst fall inside the window was {dda} for the {a_name} [0].",
        "h_score": "### Scorecard",
        "score_head": "| Dimension | Measured | Band (rule) | Rating |",
        "score_momentum": "Momentum (excess return over the benchmark)",
        "score_relative_strength": "Relative strength (ratio vs its high in the window)",
        "score_trend": "Trend (close vs MA200)",
        "score_volatility": "Volatility (60-day percentile in its own history; lower is better)",
        "score_drawdown": "Drawdown (maximum in the window)",
        "score_rate_sensitivity": "Rates (weekly return per +10 bp of the 10-year yield; higher is better)",
        "score_name_momentum": "momentum", "score_name_relative_strength": "relative strength",
        "score_name_trend": "trend", "score_name_volatility": "volatility", "score_name_drawdown": "drawdown",
        "score_name_rate_sensitivity": "rates",
        "score_pp": "{value} pp",
        "score_percentile": "percentile {value}",
        "score_per_10bp": "{value} per 10 bp",
        "score_below": "below {high}",
        "score_at_least": "{low} or more",
        "score_between": "{low} to {high}",
        "score_evidence": "Support in the sources",
        "score_evidence_rule": "one star, plus one per independent source giving a catalyst or forecast, up to five",
        "score_rules_note": "_Stars come from fixed bands, not judgement; each dimension's five bands and how its value was computed are under reference [0]._",
        "risk_rolling_vol": "- On {day}, {a_name}'s {n}-day annualised volatility was {vol}, above {pctile} of its own {n}-day readings in history (see the rolling chart) [0].",
        "risk_rolling_beta": "- Over the last {n} trading days, {a_name}'s beta to {b_name} was {beta} and the correlation {corr} [0].",
        "h_outlook": "### Outlook by horizon (conditional)",
        "o_signals": "Rated signals it rests on: {signals}; {reading}.",
        "o_favourable": "on balance favourable",
        "o_unfavourable": "on balance unfavourable",
        "o_mixed": "mixed",
        "o_short_pos": "- Short term (1-3 months): price is above MA20 and MA50, so the trend is positive; a close below MA20 would weaken it [0].",
        "o_short_mixed": "- Short term (1-3 months): the moving-average signals are mixed (see the table) and the ratio is {rs_from_max} off its high [0]; a move back above MA20 would confirm direction.",
        "o_short_mixed_one": "- Short term (1-3 months): the moving-average signals are mixed (see the table); a move back above MA20 would confirm direction [0].",
        "o_short_neg": "- Short term (1-3 months): price is below its main moving averages, so the trend is weak; treat rallies with caution until it regains MA20 [0].",
        "o_mid": "- Medium term (6-12 months): if the catalysts in the sources materialise ({cites}), the outperformance has support; if not, the current {excess} percentage points of excess return could reverse [0].",
        "o_mid_none": "- Medium term (6-12 months): the knowledge base holds no citable fundamental evidence, so no evidence-based view is possible; the current excess return is {excess} percentage points [0].",
        "o_long": "- Long term (over a year): depends on the economic cycle and the risks{risk_cites}; higher volatility ({prem}) means deeper losses in a downturn [0].",
        "h_refs": "### References",
        "ref_market": "[0] Market data: {provider}, daily closes of {symbols}, window {window}, data as of {as_of}",
        "ref_source": "{cites} {publisher} - “{title}” ({date}) {url}",
        "table_source": "_Table as given by {publisher} [{cite}]._",
        "evidence_query": "{names} catalysts macro earnings forecasts risks rates",
        "undated": "undated",
        "demo_ref": " (demo summary: finsight's restatement; check the original)",
        "disclaimer": "_Based on historical data, not a forecast; for research only, not investment advice._",
        "offline": "_Offline mode: written by the offline analyst from tool results and retrieved passages, without a language model._",
        "short_line": "{name}: **{ret}** from {start} to {end}, daily volatility {vol}, maximum drawdown {dd} [0].",
        "short_rate": "{name}: {first}% on {start}, {last}% on {end}, a change of **{bp} bp** [0].",
        "short_pair": "{a} versus {b}: excess return **{excess} percentage points**, daily volatility ratio {ratio} [0].",
        "short_beta": "{a} against {b}: beta {beta}, correlation of daily returns {corr} [0].",
        "thanks": "You're welcome. Ask about another index or window any time, e.g. “{example}”",
        "sources_intro": "The documents in the knowledge base (answers cite them by number, and each can be opened and checked):",
        "sources_demo": "_demo summary: check the original_",
        "f_reference": "Can improving small-cap fundamentals sustain their outperformance versus large caps?",
        "f_sources": "What does Morgan Stanley expect for 2026?",
        "sources_none": "The knowledge base has no documents yet. Upload files or add URLs on the Knowledge page, or run `finsight ingest`.",
        "about_us": "I am **finsight**, a research assistant for finance: every market figure in an answer is computed by a tool from real prices and cited to its data, and every other claim cites a numbered passage from the knowledge base, so you can check each one. "
                    "Ask how indexes performed, their relative strength, moving averages, volatility and drawdowns, or what the sources say. Market data is available for: {available}. For example: “{example}”",
        "short_from": "From the sources:",
        "error": "Could not get market data: {error}",
        "f_month": "What about just the last month?",
        "f_ndx": "And versus the Nasdaq-100?",
        "f_dji": "And versus the Dow?",
        "f_risks": "What are the main risks for the {a_name} now?",
        "f_why": "Why did the {a_name} perform this way against the {b_name}?",
        "no_data": "**There is no price data for the {names} here**, so this answer gives no figures for it. "
                   "Market data is available for: {available}. You can ask about one of those instead, e.g. “{example}”",
        "no_data_partial": "_There is no price data for the {names}, so it is left out; the figures below cover {kept} only. Available: {available}._",
        "future": "**The price data ends on {last}, the last trading day available, and {start} to {end} comes after it**: "
                  "there are no prices and no figures for that window, and future returns cannot be known in advance. "
                  "You can ask about a window up to {last}, e.g. “{example}”",
        "guarantee": "**No index or investment can guarantee a return**: prices fall as well as rise, and past returns are no promise of future ones.",
        "guarantee_history": "The history below is for reference only; its maximum drawdown shows the kind of loss holding it could have meant.",
        "guarantee_ask": "You can ask how an index has done historically instead, e.g. “{example}”",
        "h_history": "### Historical figures (for reference only)",
        "example": "How did the {name} do over the last 3 months?",
        "kb_intro": "What the {publishers} source in the knowledge base says:",
        "kb_intro_any": "What the sources in the knowledge base say:",
        "kb_missing": "_The knowledge base holds nothing from {publishers}; the passages below are the closest other sources. Add the original with `finsight ingest`._",
        "kb_note": "_Quoted as stored in the knowledge base; see the linked original for the full text._",
        "short_ann_vol": "{name}: annualised volatility {ann} over the window, 20-day annualised {ann20} [0].",
    },
}

PROVIDER_NAMES = {
    "zh": {"csv": "本地行情数据文件(CSV)", "yfinance": "Yahoo Finance(yfinance)",
           "snapshot": "finsight 内置行情快照(随软件包发布,非实时)"},
    "en": {"csv": "local market data files (CSV)", "yfinance": "Yahoo Finance (yfinance)",
           "snapshot": "the built-in finsight price snapshot (shipped with the package, not live)"},
}


def phrase(language: str, key: str, **values: object) -> str:
    """The frame `key` in `language`, filled with `values`."""
    return PHRASES[language][key].format(**values)


LIST_SEPARATOR = {"zh": "、", "en": ", "}


def listing(language: str, items: Iterable[str]) -> str:
    """Items as a list in running text: "罗素2000、标普500" or "Russell 2000, S&P 500"."""
    return LIST_SEPARATOR[language].join(items)


def provider_text(language: str, provider: str | None) -> str:
    """A result's providers ("csv,snapshot") as the reader's language names them."""
    names = PROVIDER_NAMES[language]
    return ", ".join(names.get(p, p) for p in str(provider or "").split(","))


# -- the direct answer and the assumptions it states (assistant.offline.direct) ------------------------
PHRASES["zh"].update({
    "a_data_through": "_数据截至 {date}(比今天早 {days} 天):“最近”“目前”均以该日为准。_",
    "a_window_default": "_问题未指定时间区间:使用数据中最近 12 个月,{start} 至 {end}。_",
    "a_window_previous": "_沿用上一轮的区间:{start} 至 {end}。_",
    "a_window_combined": "_前两轮的区间合在一起:{start} 至 {end}。_",
    "a_window_history": "_问题未指定时间区间:使用全部历史数据,{start} 至 {end}。_",
    "a_window_read": "_区间:“{text}” → {start} 至 {end}。_",
    "a_window_now": "_“{text}”按最新数据日 {end} 计。_",
    "a_window_latest": "_截至最新数据日 {end}。_",
    "a_window_partial": "_所问时段在数据中尚未结束:数字截至 {end}。_",
    "a_base": "_收益率以 {day} 的收盘价({name} {close})为基准:即区间开始前的最后一个交易日,与指数公司公布口径一致。_",
    "a_window_relative_latest": "_“{text}”按最新数据计({start} 至 {end}),而不是上一轮的区间。_",
    "a_anchor": "_“{text}”:{name}的{event}在 {day}(收盘 {close}),区间从该日算起。_",
    "a_anchor_none": "_未能在数据中找到“{text}”所指的日期:使用了{start} 至 {end}。_",
    "a_event_low": "最低收盘",
    "a_event_high": "最高收盘",
    "a_event_selloff": "最大回撤的谷底",
    "a_unserved": "**没有{names}的价格数据**,因此不给出其数字{offer}。",
    "a_unserved_offer": ";可改看{related}",
    "a_level_series": "_{names}是水平值(收益率/指数点位),以水平与变化表示,不计算收益率、回撤或超额收益。_",
    "a_unread_window": "_未能读懂问题中的时间表述,使用了{start} 至 {end};可写成“2025年3月”“最近三个月”“2025-01-01 至 2025-06-30”。_",
    "a_before_data": "_{name}({sym})的数据从 {first} 才开始;如需更早的区间,可改看{proxy},其数据覆盖该时段。_",
    "a_metric_na": "_{metric}不适用于{name}(水平值序列),未计算。_",
    "h_answer": "### 结论",
    "yes": "是",
    "no": "否",
    "d_verdict": "**{yes}{winner}表现更好**:{start} 至 {end},{a_name} {ra},{b_name} {rb},{a_name}的超额收益为 {excess} 个百分点[0]。",
    "d_tie": "**两者持平**:{start} 至 {end},{a_name} {ra},{b_name} {rb}[0]。",
    "d_level_check": "**{yes}**:{name} {day} 收于 {last},{side}{n}日均线 {ma}({dist})[0]。",
    "d_level_check_none": "{name}的数据不足以计算{n}日均线。",
    "d_return": "{name}:{start} 至 {end} 收益率 **{ret}**(收盘 {first} → {last})[0]。",
    "d_drawdown": "{name}:{start} 至 {end} 最大回撤 **{dd}**[0]。",
    "d_volatility": "{name}:{start} 至 {end} 日波动率 {dv},年化波动率 {av}[0]。",
    "d_rs": "{a}/{b} 价格比率期末为 {rs},区间高点 {mx} 出现在 {day},较高点回落 {off}[0]。",
    "d_sharpe": "{name}:{start} 至 {end} 夏普比率 **{sh}**(日收益年化,无风险利率按 0 计)[0]。",
    "d_ma": "{name}:{day} 收盘 {last},{side}{n}日均线 {ma}({dist})[0]。",
    "d_level": "{name}:{day} 为 **{last}**[0]。",
    "d_change_rate": "{name}:{start} 为 {first}%,{end} 为 {last}%,变动 **{bp:+d} 个基点**[0]。",
    "d_change_points": "{name}:{start} 为 {first},{end} 为 {last},变动 **{change} 点**[0]。",
    "d_high_low": "{name}:区间最高 {high}({hd}),最低 {low}({ld})[0]。",
    "d_excess": "{a_name}相对{b_name}的超额收益为 **{excess} 个百分点**[0]。",
    "d_beta": "{a_name}相对{b_name}的贝塔为 **{beta}**,日收益相关系数 {corr}[0]。",
    "forecast": "**无法预测未来的价格或收益**:本工具只根据历史行情计算数字。下面是可以计算的历史表现,仅供参考。",
    "forecast_none": "**无法预测未来的价格或收益**:本工具只根据历史行情计算数字。可以改问历史表现,例如「{example}」。",
    "f_metric_dd": "那最大回撤呢?",
    "f_metric_vol": "波动率呢?",
    "f_window_h1": "今年上半年呢?",
    "f_same_month": "只看{end_month}呢?",
})
PHRASES["en"].update({
    "a_data_through": "_Data through {date} ({days} days before today): “now” and “recent” mean that day._",
    "a_window_default": "_No window was given, so by default this uses the last 12 months of data: {start} to {end}._",
    "a_window_previous": "_Same window as before: {start} to {end}._",
    "a_window_combined": "_The last two windows together: {start} to {end}._",
    "a_window_history": "_No window was given, so by default this uses the whole price history: {start} to {end}._",
    "a_window_read": "_Window: “{text}” read as {start} to {end}._",
    "a_window_now": "_“{text}” is taken as the latest data day, {end}._",
    "a_window_latest": "_As of the latest data day, {end}._",
    "a_window_partial": "_The period is not over in the data: figures run to {end}._",
    "a_base": "_Returns are measured from the {day} close ({name} {close}), the last trading day before the window, as index providers publish them._",
    "a_window_relative_latest": "_“{text}” is measured on the latest data ({start} to {end}), not inside the earlier window._",
    "a_anchor": "_“{text}”: the {name}'s {event} was on {day} (close {close}); the window starts there._",
    "a_anchor_none": "_Could not find the day “{text}” refers to in the data: used {start} to {end}._",
    "a_event_low": "lowest close",
    "a_event_high": "highest close",
    "a_event_selloff": "deepest drawdown's trough",
    "a_unserved": "**There is no price data for the {names} here**, so no figures are given for it{offer}.",
    "a_unserved_offer": "; the closest we hold is the {related}",
    "a_level_series": "_The {names} is a level (a yield or an index of volatility): shown as levels and their changes (basis points or points), not as percentage gains._",
    "a_unread_window": "_Could not read the time phrase in the question; used {start} to {end}. Try “March 2025”, “last 3 months” or “2025-01-01 to 2025-06-30”._",
    "a_before_data": "_The {name} ({sym}) data starts on {first}; for an earlier window, ask about the {proxy}, whose data covers it._",
    "a_metric_na": "_{metric} does not apply to the {name} (a level series) and is not computed._",
    "h_answer": "### Answer",
    "yes": "Yes: ",
    "no": "No: ",
    "d_verdict": "**{yes}the {winner} did better**: from {start} to {end} the {a_name} returned {ra} and the {b_name} {rb}, an excess return of {excess} percentage points for the {a_name} [0].",
    "d_tie": "**They finished level**: from {start} to {end} the {a_name} returned {ra} and the {b_name} {rb} [0].",
    "d_level_check": "**{yes}** the {name} closed at {last} on {day}, {side} its {n}-day average of {ma} ({dist}) [0].",
    "d_level_check_none": "The {name} has too little history for a {n}-day average.",
    "d_return": "{name}: **{ret}** from {start} to {end} (close {first} → {last}) [0].",
    "d_drawdown": "{name}: maximum drawdown **{dd}** from {start} to {end} [0].",
    "d_volatility": "{name}: daily volatility {dv}, annualised {av}, from {start} to {end} [0].",
    "d_rs": "The {a}/{b} price ratio ended at {rs}; its high in the window was {mx} on {day}, and it is {off} below that high [0].",
    "d_sharpe": "{name}: Sharpe ratio **{sh}** from {start} to {end} (daily returns annualised, risk-free rate 0) [0].",
    "d_ma": "{name}: close {last} on {day}, {side} its {n}-day average of {ma} ({dist}) [0].",
    "d_level": "{name}: **{last}** on {day} [0].",
    "d_change_rate": "{name}: {first}% on {start}, {last}% on {end}, a change of **{bp:+d} bp** [0].",
    "d_change_points": "{name}: {first} on {start}, {last} on {end}, a change of **{change} points** [0].",
    "d_high_low": "{name}: high {high} on {hd}, low {low} on {ld} [0].",
    "d_excess": "{a_name} versus {b_name}: excess return **{excess} percentage points** [0].",
    "d_beta": "Beta of the {a_name} to the {b_name}: **{beta}**, correlation of daily returns {corr} [0].",
    "forecast": "**No one can forecast future prices or returns**: this tool computes figures from past prices only. Below is the history it can measure, for reference.",
    "forecast_none": "**No one can forecast future prices or returns**: this tool computes figures from past prices only. You can ask about the history instead, e.g. “{example}”",
    "f_metric_dd": "And the max drawdown?",
    "f_metric_vol": "What about volatility?",
    "f_window_h1": "What about the first half of this year?",
    "f_same_month": "Just {end_month}?",
})


# -- a named source with nothing quotable as its own words -----------------------------------
PHRASES["zh"].update({
    "kb_unquotable_demo": "_知识库中只有 finsight 对 {publisher}“{title}”的演示摘要[{cite}],其中没有可作为其原话引用、且回答此问题的句子;请阅读原文。_",
    "kb_unquotable": "_知识库中的 {publisher}“{title}”[{cite}]没有回答此问题的句子。_",
})
PHRASES["en"].update({
    "kb_unquotable_demo": "_The knowledge base holds only finsight's demo summary of {publisher}'s “{title}” [{cite}], with no sentence on this question that can be quoted as theirs: read the original._",
    "kb_unquotable": "_{publisher}'s “{title}” [{cite}] in the knowledge base has no sentence on this question._",
})


# -- the measured rate sensitivity (issue 16: computed, not asserted) ------------------------------
PHRASES["zh"].update({
    "rate_fit": "- 实测[0]:{first} 至 {last}({n} 周),{target} 的周收益对10年期美债收益率周变化回归,收益率每上行10个基点,{target} 平均变动 {slope}(t = {t},R² = {r2}),{reading}。",
    "rate_clear": "统计上关系明确(|t| ≥ 2)",
    "rate_unclear": "统计上关系不明确(|t| < 2),利率只解释了很小一部分波动",
    "rate_events_pair": "- 在 {months} 个完整月份中,10年期收益率单月上行超过25个基点的有 {k} 个月;这些月份{name}相对{b_name}平均 {avg},跑赢的月份占 {hit}[0]。",
    "rate_events_one": "- 在 {months} 个完整月份中,10年期收益率单月上行超过25个基点的有 {k} 个月;这些月份{name}平均收益 {avg},上涨的月份占 {hit}[0]。",
})
PHRASES["en"].update({
    "rate_fit": "- Measured [0]: from {first} to {last} ({n} weeks), regressing {target}'s weekly returns on the weekly change in the 10-year yield, each +10 bp went with a {slope} move in {target} (t = {t}, R² = {r2}): {reading}.",
    "rate_clear": "a statistically clear link (|t| ≥ 2)",
    "rate_unclear": "no statistically clear link (|t| < 2); rates explain little of the weekly moves",
    "rate_events_pair": "- In {k} of {months} complete months the 10-year yield rose more than 25 bp; in those months the {name} returned {avg} relative to the {b_name} on average and beat it in {hit} of them [0].",
    "rate_events_one": "- In {k} of {months} complete months the 10-year yield rose more than 25 bp; in those months the {name} returned {avg} on average and rose in {hit} of them [0].",
})


# -- attribution of demo-pack text (our summaries, not the publishers' words) -----------------
PHRASES["zh"].update({
    "quote_demo": "- **finsight 演示摘要(转述 {publisher})**({date}):“{text}”[{cite}]",
    "table_source_demo": "_表格出自 finsight 对 {publisher} 的演示摘要[{cite}],并非原文;数字请核对原文。_",
})
PHRASES["en"].update({
    "quote_demo": "- **finsight demo summary of {publisher}** ({date}): “{text}” [{cite}]",
    "table_source_demo": "_Table from the finsight demo summary of {publisher} [{cite}], not the original; check its figures against the original._",
})


# -- answers computed by an analysis (calendar tables, drawdown episodes, regimes) ------------
PHRASES["zh"].update({
    "an_partial": "(不完整)",
    "an_calendar_head": "期间|收益率|基准收盘(日期)|期末收盘(日期)",
    "an_best_worst": "{name}表现最好的完整期间是 {best}({best_ret}),最差的是 {worst}({worst_ret})[0]。",
    "an_episodes": "**{name}在 {first} 至 {last} 共有 {n} 次深于 {threshold} 的回撤**,最深 {deepest}[0]。",
    "an_no_episodes": "{name}在 {first} 至 {last} 没有深于 {threshold} 的回撤[0]。",
    "an_episodes_head": "高点(日期)|低点(日期)|回撤幅度|收复日期|跌至低点的交易日|收复所用交易日",
    "an_open": "尚未收复",
    "an_rule_above": "{series} 前一日收盘高于 {level}",
    "an_rule_below": "{series} 前一日收盘低于 {level}",
    "an_rule_rising": "{series} 高于 {lookback} 个交易日前的水平(上行)",
    "an_rule_falling": "{series} 低于 {lookback} 个交易日前的水平(下行)",
    "an_regime": "**{first} 至 {last},当{rule}时({days} 个交易日,{episodes} 段),{name}平均日收益 {ret},年化波动率 {vol},上涨日占 {hit}**;其余 {other_days} 个交易日平均日收益 {other_ret},年化波动率 {other_vol},上涨日占 {other_hit}[0]。",
    "an_ref": "[0] 市场数据:{provider},{symbols} 日收盘价,{first} 至 {last},数据截至 {as_of}(计算方法见 [0] 的说明)",
})
PHRASES["en"].update({
    "an_partial": " (partial)",
    "an_calendar_head": "Period|Return|Base close (day)|Last close (day)",
    "an_best_worst": "The {name}'s best complete period was {best} ({best_ret}) and its worst {worst} ({worst_ret}) [0].",
    "an_episodes": "**The {name} had {n} drawdowns deeper than {threshold} from {first} to {last}**, the deepest {deepest} [0].",
    "an_no_episodes": "The {name} had no drawdown deeper than {threshold} from {first} to {last} [0].",
    "an_episodes_head": "Peak (day)|Trough (day)|Depth|Recovered|Trading days to trough|Trading days to recover",
    "an_open": "not yet",
    "an_rule_above": "the {series} closed above {level} the day before",
    "an_rule_below": "the {series} closed below {level} the day before",
    "an_rule_rising": "the {series} was above its level {lookback} trading days earlier (rising)",
    "an_rule_falling": "the {series} was below its level {lookback} trading days earlier (falling)",
    "an_regime": "**From {first} to {last}, on the {days} trading days ({episodes} spells) when {rule}, the {name} averaged {ret} a day with annualised volatility {vol}, up on {hit} of them**; on the other {other_days} days it averaged {other_ret} a day, volatility {other_vol}, up on {other_hit} [0].",
    "an_ref": "[0] Market data: {provider}, daily closes of {symbols}, {first} to {last}, data as of {as_of} (the method is stated under [0])",
})

# The rate-sensitivity answer (assistant.offline.analyses.rate_blocks).
PHRASES["zh"].update({
    "an_weeks": "周", "an_days": "个交易日",
    "an_rate_lag": "**是的:10年期美债收益率上行时,{a_name}明显跑输{b_name}**:收益率每上行10个基点,{target} 比率平均变动 {slope}(t = {t},R² = {r2},{first} 至 {last} 共 {n} {unit})[0]。",
    "an_rate_lag_weak": "**不明确:收益率上行时{a_name}倾向于跑输{b_name},但关系较弱**:收益率每上行10个基点,{target} 比率平均变动 {slope}(t = {t},|t| < 2,R² = {r2},{first} 至 {last} 共 {n} {unit})[0]。",
    "an_rate_lead": "**否:10年期美债收益率上行时,{a_name}反而明显跑赢{b_name}**:收益率每上行10个基点,{target} 比率平均变动 {slope}(t = {t},R² = {r2},{first} 至 {last} 共 {n} {unit})[0]。",
    "an_rate_lead_weak": "**不明确:收益率上行时{a_name}倾向于跑赢{b_name},但关系较弱**:收益率每上行10个基点,{target} 比率平均变动 {slope}(t = {t},|t| < 2,R² = {r2},{first} 至 {last} 共 {n} {unit})[0]。",
    "an_rate_one": "**{a_name}与10年期美债收益率的关系在统计上明确**:收益率每上行10个基点,{a_name}平均变动 {slope}(t = {t},R² = {r2},{first} 至 {last} 共 {n} {unit})[0]。",
    "an_rate_one_weak": "**{a_name}与10年期美债收益率的关系在统计上不明确**:收益率每上行10个基点,{a_name}平均变动 {slope}(t = {t},|t| < 2,R² = {r2},{first} 至 {last} 共 {n} {unit})[0]。",
    "an_rate_head": "序列|收益率每上行10个基点|t 值|R²|与收益率变化的相关系数|样本数",
})
PHRASES["en"].update({
    "an_weeks": "weeks", "an_days": "trading days",
    "an_rate_lag": "**Yes: when the 10-year yield rose, the {a_name} clearly lagged the {b_name}**: each +10 bp went with a {slope} move in the {target} ratio (t = {t}, R² = {r2}, {n} {unit} from {first} to {last}) [0].",
    "an_rate_lag_weak": "**Not clearly: the {a_name} tended to lag the {b_name} when the 10-year yield rose, but the link is weak**: each +10 bp went with a {slope} move in the {target} ratio (t = {t}, |t| < 2, R² = {r2}, {n} {unit} from {first} to {last}) [0].",
    "an_rate_lead": "**No: when the 10-year yield rose, the {a_name} clearly did better than the {b_name}**: each +10 bp went with a {slope} move in the {target} ratio (t = {t}, R² = {r2}, {n} {unit} from {first} to {last}) [0].",
    "an_rate_lead_weak": "**Not clearly: the {a_name} tended to beat the {b_name} when the 10-year yield rose, but the link is weak**: each +10 bp went with a {slope} move in the {target} ratio (t = {t}, |t| < 2, R² = {r2}, {n} {unit} from {first} to {last}) [0].",
    "an_rate_one": "**The {a_name} has a statistically clear link to the 10-year yield**: each +10 bp went with a {slope} move (t = {t}, R² = {r2}, {n} {unit} from {first} to {last}) [0].",
    "an_rate_one_weak": "**The {a_name} has no statistically clear link to the 10-year yield**: each +10 bp went with a {slope} move (t = {t}, |t| < 2, R² = {r2}, {n} {unit} from {first} to {last}) [0].",
    "an_rate_head": "Series|Per +10 bp of the yield|t|R²|Correlation with yield changes|Observations",
})
PHRASES["zh"]["an_gap"] = "注意:所问区间自 {start} 起,但 {symbols} 的数据只从 {first} 起可用,以上结果只覆盖 {first} 至 {last}。"
PHRASES["en"]["an_gap"] = "Note: the window asked for starts on {start}, but the data for {symbols} is available only from {first}, so the results cover {first} to {last} only."

# The rolling-views answer (assistant.offline.analyses.rolling_blocks).
PHRASES["zh"].update({
    "an_vol_high": "**偏高:{day},{name}的{n}日年化波动率为 {vol},高于其自身历史上 {pctile} 的{n}日读数,处于历史最高的五分之一**[0]。",
    "an_vol_low": "**偏低:{day},{name}的{n}日年化波动率为 {vol},只高于其自身历史上 {pctile} 的{n}日读数,处于历史最低的五分之一**[0]。",
    "an_vol_usual": "**处于常见区间:{day},{name}的{n}日年化波动率为 {vol},高于其自身历史上 {pctile} 的{n}日读数,既不在最高也不在最低的五分之一**[0]。",
    "an_rolling_beta": "截至 {day},最近{n}个交易日{name}相对{b_name}的贝塔为 {beta},日收益相关系数为 {corr}[0]。",
    "an_rolling_chart": "滚动指标图显示 {first} 至 {last} 每天的数值。",
})
PHRASES["en"].update({
    "an_vol_high": "**High: on {day}, the {name}'s {n}-day annualised volatility was {vol}, above {pctile} of its own {n}-day readings in history — its top fifth** [0].",
    "an_vol_low": "**Low: on {day}, the {name}'s {n}-day annualised volatility was {vol}, above only {pctile} of its own {n}-day readings in history — its bottom fifth** [0].",
    "an_vol_usual": "**In its usual range: on {day}, the {name}'s {n}-day annualised volatility was {vol}, above {pctile} of its own {n}-day readings in history — neither its top nor its bottom fifth** [0].",
    "an_rolling_beta": "Over the {n} trading days to {day}, the {name}'s beta to the {b_name} was {beta} and the correlation of daily returns {corr} [0].",
    "an_rolling_chart": "The rolling chart shows each day from {first} to {last}.",
})

# Which-is-bigger verdicts on a metric other than return (assistant.offline.direct.METRIC_VERDICTS).
PHRASES["zh"].update({
    "d_more_volatile": "**{name}波动更大**:{start} 至 {end} 年化波动率 {va},{other}为 {vb}[0]。",
    "d_deeper_drawdown": "**{name}回撤更深**:{start} 至 {end} 最大回撤 {va},{other}为 {vb}[0]。",
})
PHRASES["en"].update({
    "d_more_volatile": "**The {name} was more volatile**: annualised volatility {va} from {start} to {end}, against {vb} for the {other} [0].",
    "d_deeper_drawdown": "**The {name} had the deeper drawdown**: {va} from {start} to {end}, against {vb} for the {other} [0].",
})

# What index prices cannot measure (assistant.offline.analyst.not_computable_doc).
PHRASES["zh"].update({
    "nc_the_indexes": "各指数",
    "nc_breadth": "**市场宽度无法用现有数据计算**:涨跌家数、站上均线的成分股比例需要每只成分股的日行情,而数据只有{names}的指数收盘价。资料中如有相关内容,列在下面。",
    "nc_valuation": "**估值无法用现有数据计算**:市盈率、市净率等需要盈利与净资产数据,而数据只有{names}的价格。资料中如有相关内容,列在下面。",
    "nc_earnings": "**盈利无法用现有数据计算**:盈利增速与预期修正需要已公布和一致预期的每股收益,而数据只有{names}的价格。资料中如有相关内容,列在下面。",
})
PHRASES["en"].update({
    "nc_the_indexes": "the indexes",
    "nc_breadth": "**Breadth cannot be computed from this data**: advancers and decliners, or the share of members above a moving average, need daily prices of every constituent, and the data holds only the index closes of {names}. What the sources say about it, if anything, follows.",
    "nc_valuation": "**Valuation cannot be computed from this data**: P/E, P/B and similar ratios need earnings and book values, and the data holds only the prices of {names}. What the sources say about it, if anything, follows.",
    "nc_earnings": "**Earnings cannot be computed from this data**: earnings growth and revisions need reported and consensus earnings per share, and the data holds only the prices of {names}. What the sources say about it, if anything, follows.",
})
PHRASES["zh"]["an_rate_levels"] = "{names}是水平序列(点位或收益率),没有可以对利率回归的收益率;可以问某个股票指数,例如“小盘股对利率更敏感吗?”"
PHRASES["en"]["an_rate_levels"] = "{names} is a level series (points or a yield) with no return to regress on rates; ask about a stock index instead, e.g. “are small caps more rate-sensitive than large caps?”"
PHRASES["zh"]["a_window_default_rates"] = "问题未指定时间区间:利率回归用数据中最近五年,{start} 至 {end}(几个月的数据说明不了利率关系)。"
PHRASES["en"]["a_window_default_rates"] = "No window was given, so the regression uses the last five years of data: {start} to {end} (a few months say little about rates)."

# Follow-ups after an analysis answer (assistant.offline.analyst.ANALYSIS_FOLLOWUPS); each reads
# back as the same analysis (or a named other one) of the conversation's index.
PHRASES["zh"].update({
    "fu_other_spx": "标普", "fu_other_ixic": "纳指",
    "fu_same_other": "那{other}呢?",
    "fu_cal_quarter": "按季度呢?", "fu_cal_year": "按年度呢?",
    "fu_ep_deeper": "只看超过20%的呢?", "fu_ep_yearly": "它每年的收益呢?",
    "fu_rg_vix_below": "VIX低于20的时候呢?", "fu_rg_vix_above": "VIX高于30的时候呢?",
    "fu_rg_yields_up": "收益率上行时它表现如何?", "fu_rg_yields_down": "收益率下行时呢?",
    "fu_rate_ten": "过去十年呢?",
    "fu_roll_rates": "它对利率敏感吗?", "fu_roll_drawdowns": "它历次超过10%的回撤有哪些?",
})
PHRASES["en"].update({
    "fu_other_spx": "the S&P 500", "fu_other_ixic": "the Nasdaq",
    "fu_same_other": "And {other}?",
    "fu_cal_quarter": "Quarterly?", "fu_cal_year": "Yearly?",
    "fu_ep_deeper": "Only those deeper than 20%?", "fu_ep_yearly": "Its yearly returns?",
    "fu_rg_vix_below": "And when the VIX was below 20?", "fu_rg_vix_above": "And when the VIX was above 30?",
    "fu_rg_yields_up": "How did it do when yields were rising?", "fu_rg_yields_down": "And when yields were falling?",
    "fu_rate_ten": "Over the last ten years?",
    "fu_roll_rates": "Is it sensitive to rates?", "fu_roll_drawdowns": "List its drawdowns over 10%.",
})
PHRASES["zh"]["a_common_window"] = "{late}的行情数据从 {first} 才开始,晚于所问的起点 {asked}:为了在同一区间比较,以下数字都从 {first} 算起。{proxy}"
PHRASES["en"]["a_common_window"] = "The {late}'s data starts on {first}, after the start asked for ({asked}), so both are measured from {first}: two returns over different spans are not a comparison.{proxy}"
PHRASES["zh"]["a_common_proxy"] = "若要覆盖更早的部分,可以改问 {proxy}。"
PHRASES["en"]["a_common_proxy"] = "For the earlier part, ask about {proxy}, whose data covers it."

# A calendar question after its extremes (assistant.offline.analyses.calendar_blocks).
PHRASES["zh"].update({
    "an_extremes": "**{name}表现最好的完整期间是 {best}({best_ret},收盘 {best_from} → {best_to}),最差的是 {worst}({worst_ret},收盘 {worst_from} → {worst_to})**[0]。",
    "an_seasonal": "按日历月份平均(每个月份至少 3 年):{name}平均表现最好的是{month},平均 {mean}({n} 年中上涨的占 {up})[0]。",
    "an_seasonal_head": "月份|平均收益率|年数|上涨占比",
    **{f"month_{m:02d}": f"{m}月" for m in range(1, 13)},
})
PHRASES["en"].update({
    "an_extremes": "**The {name}'s best complete period was {best} ({best_ret}, close {best_from} → {best_to}) and its worst {worst} ({worst_ret}, close {worst_from} → {worst_to})** [0].",
    "an_seasonal": "By calendar month (each with at least 3 years): the {name}'s best month on average is {month}, averaging {mean} (up in {up} of its {n} years) [0].",
    "an_seasonal_head": "Month|Average return|Years|Share up",
    **{f"month_{m:02d}": name for m, name in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"), start=1)},
})
PHRASES["zh"]["an_day_extremes"] = "**{name}单日最大跌幅是 {worst} 的 {worst_ret}(收盘 {worst_from} → {worst_to}),单日最大涨幅是 {best} 的 {best_ret}(收盘 {best_from} → {best_to})**[0]。下表为跌幅最大与涨幅最大的各五天。"
PHRASES["en"]["an_day_extremes"] = "**The {name}'s biggest daily drop was {worst_ret} on {worst} (close {worst_from} → {worst_to}) and its biggest daily gain {best_ret} on {best} (close {best_from} → {best_to})** [0]. The table lists the five worst and the five best days."
