"""The reader's rule tables: which words ask for which kind of answer and which metric.

Rules as data: adding a phrase is one line here, not a code branch. Patterns are matched
case-insensitively. ASCII look-arounds stand in for \\b where Latin letters touch Chinese ones
("站上MA200了吗", "iwm的回撤").
"""

from __future__ import annotations

import re

from assistant.reading.request import Kind, Metric

_L = r"(?<![A-Za-z])"   # no Latin letter before
_R = r"(?![A-Za-z])"    # no Latin letter after


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Metric -> the words that ask for it. Order matters only for display.
METRIC_CUES: tuple[tuple[Metric, re.Pattern[str]], ...] = (
    ("return", _rx(rf"{_L}(?:returns?|performance|perform(?:ed)?|gain(?:ed|s)?|how (?:did|has|is|are|have) .{{1,40}} (?:do|doing|done|perform)|"
                   rf"up or down|rall(?:y|ied)|fell|rose){_R}|涨幅|跌幅|涨了多少|跌了多少|收益率?|回报|表现|走势|涨跌")),
    ("excess", _rx(rf"{_L}(?:excess|outperform\w*|underperform\w*|beat|beating|lag(?:ged|ging)?|did better|do better|"
                   rf"(?:which|who) (?:did|was|is) (?:better|stronger|best)|spread){_R}|跑赢|跑输|超额|谁更强|哪个更强|哪个好|谁好|强于|弱于|更强|更好")),
    ("drawdown", _rx(rf"{_L}(?:draw\s?downs?|dd|peak[- ]to[- ]trough|worst (?:drop|decline|fall)|biggest (?:drop|decline|fall)){_R}|回撤|最大跌幅|最大回落")),
    ("volatility", _rx(rf"{_L}(?:vol|volatility|volatile|swings?|risk(?:y|iness)?){_R}|波动率?|震荡")),
    ("ann_vol", _rx(rf"{_L}annuali[sz]ed{_R}|年化")),
    ("sharpe", _rx(rf"{_L}sharpe{_R}|夏普")),
    ("ma20", _rx(rf"{_L}(?:ma\s?20|20[- ]?(?:day|d|dma)|twenty[- ]day)(?!\d)|20日|20天|二十日|月线")),
    ("ma50", _rx(rf"{_L}(?:ma\s?50|50[- ]?(?:day|d|dma)|fifty[- ]day)(?!\d)|50日|50天|五十日")),
    ("ma200", _rx(rf"{_L}(?:ma\s?200|200[- ]?(?:day|d|dma)|two[- ]hundred[- ]day)(?!\d)|200日|200天|年线")),
    ("level", _rx(rf"{_L}(?:level|trading at|where (?:is|are)|closed? at|how high|at what){_R}|点位|多少点|报价|现在多少|目前多少|在多少|收于")),
    ("change", _rx(rf"{_L}(?:basis points?|bps?|change[sd]?|moved?){_R}|基点|变化|变动|上行|下行")),
    ("high_low", _rx(rf"{_L}(?:highs?|lows?|peak|range){_R}|最高|最低|高点|低点|区间范围")),
    ("beta", _rx(rf"{_L}beta{_R}|贝塔|β")),
    ("correlation", _rx(rf"{_L}correlat\w*|相关性|相关系数|联动")),
    # "ratio" / "比率" alone, but not the Sharpe ratio's
    ("relative_strength", _rx(rf"{_L}(?:relative strength|price ratio|(?<!sharpe )ratio){_R}|相对强弱|相对强度|(?<!夏普)比率|比值")),
)
# A moving average named without its length ("均线", "moving averages").
MA_ANY = _rx(rf"{_L}moving averages?|{_L}ma{_R}|均线|移动平均")

# Kind -> the words that ask for it (besides the instruments named).
KIND_CUES: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("small_talk", _rx(r"^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))\b[\s!.,?]*$|^\s*(?:你好|您好|嗨|哈喽|在吗)[\s!！。.?？]*$|"
                       r"你是谁|\bwho are you\b|\bwhat can you do\b|你能做什么|你会什么|怎么用|\bhow do i use\b")),
    ("thanks", _rx(r"^\s*(?:thanks?(?: you)?|thx|ty|cheers|great|nice|ok(?:ay)?|got it|谢谢|多谢|感谢|好的|明白了?)[\s!！。.,，~]*(?:谢谢)?[\s!！。.]*$")),
    ("list_sources", _rx(r"\b(?:which|what) (?:sources|documents)\b|\blist (?:the |your |all )?(?:sources|documents)\b|"
                         r"有哪些(?:资料|来源|文档)|资料列表|知识库(?:里|中)?有(?:什么|哪些)|有什么资料")),
    ("guarantee", _rx(r"\bguarantee[sd]?\b|\bsure (?:return|profit|thing)\b|\bcan'?t lose\b|\brisk[- ]free return\b|"
                      r"保证|稳赚|保本|包赚|确保.{0,6}(?:收益|赚)|一定(?:能|会)赚")),
    ("forecast", _rx(r"\b(?:predict|forecast)\w*\b.{0,40}\b(?:price|level|return|close)|\bprice target\b|\btarget price\b|"
                     r"\bwhere will\b|\bwhat will .{1,30} be\b|\bwill .{1,30} (?:hit|reach)\b|\bnext (?:week|month|year)'?s? (?:return|price|close)\b|"
                     r"目标价|会涨到多少|会跌到多少|能涨到|预测.{0,10}(?:点位|价格|收益|走势)|明年.{0,6}(?:涨多少|能涨|会涨)|下个月.{0,6}(?:涨多少|会涨|能涨)")),
    ("calendar", _rx(r"\b(?:biggest|largest|worst|best|sharpest)\s+(?:daily|single[- ]day|one[- ]day)\b|"
                     r"\b(?:worst|best) (?:trading )?days?\b|\b(?:best|worst) (?:month|quarter|year)s?\b|"
                     r"单日(?:最大)?(?:跌幅|涨幅|下跌|上涨)|最大单日|哪天跌得最多|哪天涨得最多|哪一天跌|"
                     r"(?:最好|最差|最强|最弱)的(?:月份?|季度|年份?)|哪个月(?:最好|最差|表现最好|涨得最多)|"
                     r"\b(?:monthly|quarterly|yearly|annual) returns?\b|\bmonth[- ]by[- ]month\b|\beach (?:month|quarter|year)\b|"
                     r"\breturns? by (?:month|quarter|year)\b|逐月|每月(?:的)?(?:收益|表现|涨跌)|每个月(?:的)?(?:收益|表现|涨跌)|月度收益|月度表现|"
                     r"逐季|每季度(?:的)?(?:收益|表现)|季度收益|年度收益|每年(?:的)?(?:收益|表现|涨跌)|逐年")),
    ("episodes", _rx(r"\bdrawdowns?\s+(?:over|above|of more than|bigger than|deeper than|greater than|>)\s*\d+|"
                     r"\b(?:fell|fall(?:en|s)?|dropped|drops?|declined?|crash(?:ed)?|sold off)\s+(?:by\s+)?(?:more than|over|at least|>)\s*\d+|"
                     r"\bhow many (?:times|corrections|bear markets|drawdowns)\b|"
                     r"(?:下跌|跌|回调|回落)(?:幅度?)?超过\s*\d+|跌了?几次|几次.{0,4}(?:下跌|回调|熊市)|历次.{0,8}(?:调整|下跌|回调)|"
                     r"\b(?:all|every|list)\b.{0,30}\bdrawdowns\b|历次回撤|每次回撤|回撤超过\s*\d+|超过\s*\d+\s*%?的回撤|几次.{0,6}回撤")),
    ("regime", _rx(r"\bwhen (?:the )?(?:vix|yields?|10[- ]?y\w*|rates?|10-year)\b.{0,12}\b(?:above|below|over|under|rising|falling|"
                   r"rose|fell|up|down|>|<)|(?:vix|恐慌指数).{0,4}(?:高于|低于|超过|大于|小于|在)\s*\d+|"
                   r"(?:收益率|利率|美债).{0,6}(?:上行|下行|上升|下降|上涨|下跌)(?:时|期间|的时候)")),
    ("rate_sensitivity", _rx(r"\brates?[- ]sensitiv\w*|\bsensitiv\w* to (?:(?:interest )?rates|(?:bond |treasury )?yields|the 10[- ]year)|"
                             r"\binterest[- ]rate (?:sensitivity|exposure|beta)\b|\b(?:react|respond)\w* to (?:rising |falling )?(?:rates|yields)\b|"
                             r"利率敏感|对利率.{0,4}敏感|对(?:美债|10年期)?收益率.{0,4}敏感|利率弹性|利率贝塔")),
    ("rolling", _rx(r"\brolling\b.{0,24}\b(?:beta|correlation|vol\w*)|\b(?:beta|correlation|vol\w*)\b.{0,16}\brolling\b|"
                    r"\bvol(?:atility)?\b.{0,24}\b(?:high|elevated|low|normal|unusual|percentile)\b|"
                    r"\bhow volatile\b.{0,30}\b(?:now|currently|today|right now)\b|"
                    r"滚动.{0,4}(?:贝塔|beta|相关|波动)|波动率?.{0,6}(?:高吗|低吗|高不高|大吗|偏高|偏低|分位|处于什么)")),
    ("not_computable", _rx(r"\bbreadth\b|\badvance[- /]decline|\b(?:advancers|decliners)\b|"
                           r"%\s*(?:of (?:stocks|members|constituents|names) )?above\s+(?:the |its )?(?:\d+|ma)|"
                           r"\b(?:percent|share) of (?:stocks|members|constituents) above\b|市场宽度|涨跌家数|上涨家数|"
                           r"成分股.{0,8}(?:站上|高于|上涨)|\bp\s*/\s*e\b|\bpe ratio\b|\bp/b\b|\bvaluations?\b|"
                           r"\bmultiples?\b|\bcheap\b|\bexpensive\b|市盈率|市净率|估值|\beps\b|\bearnings (?:growth|per share|revisions?)\b|"
                           r"盈利增速|每股收益|盈利预期")),
    ("report", _rx(r"研报|研究报告|深度分析|全面分析|\bfull (?:report|analysis|write-?up)\b|\bdeep[- ]dive\b|\bin[- ]depth\b|"
                   r"能否|是否|能不能|会不会|能.{0,10}吗|会.{0,10}吗|为什么|为何|原因|分析|报告|展望|前景|怎么看|如何看待|持续|支撑|驱动|催化|"
                   r"风险|值得|机会|基本面|研究|影响|"
                   r"\bimpact|\beffects?\b|\baffect|\bwhy\b|\bcan\b(?! you)|\bcould\b|\bkeep\b|\bwill\b|\bshould\b|outlook|analy[sz]|\breport\b|sustain|driver|catalyst|"
                   r"\brisks?\b|prospect|thesis|explain|\bworth\b|fundamental")),
    ("sources", _rx(r"according to|\bsays?\b|\bsaid\b|\barticles?\b|\banalysts?\b|\brecommend|\bviews?\b|\bthink\b|"
                    r"说了什么|怎么说|认为|文章|报道|推荐|观点|分析师|据.{1,10}(?:称|说|报道)|机构.{0,4}(?:看法|观点)")),
)
# "Is X above its 50-day", "站上年线了吗": a yes/no about a level against an average or a number.
LEVEL_CHECK = _rx(rf"{_L}(?:above|below|over|under|trading above|trading below|broke|reclaim\w*|holding){_R}|"
                  r"站上|站稳|跌破|高于|低于|突破|在.{0,12}(?:之上|之下|上方|下方)")
# "Which did better", "vs", "跑赢了吗": a comparison that wants a verdict first.
VERSUS = _rx(rf"{_L}(?:versus|vs\.?|compared (?:to|with)|compare[sd]?|comparing|comparison|against|relative to|than(?!\s*[-+]?\d)){_R}|"
             r"相比|相对于?|比较|对比|和.{1,12}比|跟.{1,12}比|与.{1,12}比")
# Follow-up openers: the question leans on the previous turn.
FOLLOWUP = _rx(r"^\s*(?:(?:ok(?:ay)?|so|well|hmm|cool|thanks)[,\s]+)*"
               r"(?:and|but|what about|how about|then|same|only|just|also|vs\.?|versus|compared|against|"
               r"那|那么|如果|只看|换成|改成|再看|还有|对比|再|和|跟|与)|"
               r"呢\s*[?？]?\s*$|\b(?:instead|as well|too|then)\s*[?？]?\s*$")
# A period named without its year ("h2", "五月份"); in a follow-up it is read in the conversation's year.
# Years named in a question ("2025 vs 2024"); "which year", "哪年": periods set against each other.
# (a year inside a date, "2025-09-01" or "2025年9月", is part of that date, not a year of its own)
YEARS = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/.-]|\s*年\s*\d{1,2}\s*月)")
# "2025年9月至2026年1月", "from 2024 to 2025": one window across years, not years set against each other.
YEAR_RANGE = _rx(r"(?:19|20)\d{2}\D{0,12}?(?:至|到|\bto\b|through|until|–|-|~)\s*\D{0,6}?(?:19|20)\d{2}")
WHICH_PERIOD = _rx(r"\bwhich (?:year|one|was better|did better)\b|哪(?:一)?年|哪个更好|还是")
# "more rate-sensitive", "更敏感": a comparison without a second index named (the benchmark is it).
COMPARATIVE = _rx(r"\bmore\b|\bless\b|\bthan\b|更|较|相比")
# "the best month", "biggest daily drop": a calendar question that wants its extremes, not its table.
EXTREME_WORDS = _rx(r"\b(?:best|worst|biggest|largest|sharpest)\b|最好|最差|最大|最强|最弱|最多")
# "historically", "历史上": the whole price history (a calendar question's window).
HISTORY_WORDS = _rx(r"\bhistorically\b|\ball[- ]time\b|\bin (?:all of )?history\b|\bever\b|历史上|有史以来|历来")
HAS_YEAR = _rx(r"\d{4}|\b(?:this|last|next) year\b|\bytd\b|今年|去年|明年|前年|年初|\b[12]h\d{2}\b|\bh[12]\s*'?\d{2}\b")
# "Only the Nasdaq", "换成道指": the new instrument replaces the conversation's, not joins it.
REPLACE = _rx(r"^\s*(?:only|just|instead|switch to|what about only)\b|只看|换成|改成|换为|单看|\binstead\b")
# "Both months together?", "两个月合起来呢?": the conversation's last two windows as one.
COMBINE = _rx(r"\b(?:together|combined|both (?:months|quarters|halves|periods|windows)|over both|all together)\b|"
              r"合起来|加起来|合计|合在一起|两个月一起|两段一起")
# "Over that window", "同期": the previous window, said in words.
WINDOW_REF = _rx(r"\b(?:that|this|the same|same) (?:window|period|time ?frame|stretch|range)\b|\bover that time\b|"
                 r"同期|同一(?:时期|期间|区间|窗口)|这段时间|那段时间|这段期间|该期间|此期间|这期间|上述(?:期间|区间|时间)|"
                 r"该区间|这个区间|该窗口|这个窗口")
# Words that say a window was meant; when none was read, the phrase is reported as unread.
TIME_WORDS = _rx(r"\b(?:since|last|past|during|from|until|through|ytd|year|month|quarter|week|h[12]|q[1-4])\b|"
                 r"以来|最近|过去|近期|年|月|季度|周|上半|下半")

# Metrics that make no sense for a level series (a yield, the VIX), and what is shown instead.
LEVEL_SERIES_INSTEAD: dict[str, tuple[Metric, ...]] = {
    "return": ("level", "change", "high_low"),
    "drawdown": ("high_low",),
    "excess": ("change",),
    "sharpe": (),
    "volatility": ("high_low",),
    "ann_vol": ("high_low",),
}

# What a kind measures when the question names no metric.
DEFAULT_METRICS: dict[str, tuple[Metric, ...]] = {
    "figures": ("return", "volatility", "drawdown"),
    "comparison": ("return", "excess"),
    "level_check": ("level",),
    "report": ("return", "excess", "relative_strength", "ma20", "ma50", "volatility", "drawdown"),
}
LEVEL_DEFAULT_METRICS: tuple[Metric, ...] = ("level", "change", "high_low")
# Figures of a one-day window that say nothing ("a change of +0 bp", high = low).
NOW_NOT_MEANINGFUL: frozenset[str] = frozenset({"change", "high_low", "return", "drawdown", "volatility", "ann_vol",
                                                "sharpe", "excess"})
# What a follow-up that names no metric measures after a report ("只看最近一个月呢?").
FOLLOWUP_AFTER_REPORT: tuple[Metric, ...] = ("return", "excess", "volatility", "drawdown")

# The parameters of analysis questions, as data.
FREQUENCY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month", _rx(r"\bmonthly\b|\bmonth[- ]by[- ]month\b|\b(?:each|by|per) month\b|逐月|每月|每个月|月度|按月|分月")),
    ("quarter", _rx(r"\bquarterly\b|\b(?:each|by|per) quarter\b|逐季|每季度|每个季度|季度收益|季度表现|按季度?|分季度|\bquarters?\b")),
    ("year", _rx(r"\byearly\b|\bannual\b|\b(?:each|by|per) year\b|年度|每年|逐年|按年|分年|\b(?:best|worst) years?\b|"
                 r"(?:最好|最差)的年")),
    ("day", _rx(r"\bdaily\b|single[- ]day|one[- ]day|\b(?:worst|best) (?:trading )?days?\b|单日|哪天|哪一天")),
)
# What a not-computable question is about, first match wins (the reason is said per topic).
NOT_COMPUTABLE_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("breadth", _rx(r"breadth|advance|advancers|decliners|above|share of|percent of|宽度|家数|成分股")),
    ("earnings", _rx(r"\beps\b|earnings|盈利|每股收益")),
    ("valuation", _rx(r".")),
)
RULE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("above", _rx(r"\babove\b|\bover\b|>|高于|超过|大于|以上")),
    ("below", _rx(r"\bbelow\b|\bunder\b|<|低于|小于|以下")),
    ("rising", _rx(r"\brising\b|\brose\b|\bup\b|上行|上升|上涨")),
    ("falling", _rx(r"\bfalling\b|\bfell\b|\bdown\b|下行|下降|下跌")),
)
NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*%?")
# A series whose data starts late -> a served one whose data covers earlier windows (offered, never swapped in).
LONGER_HISTORY: dict[str, str] = {"NDX": "QQQ"}
