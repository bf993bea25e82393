"""What a question asks for beyond symbols and window: pure text reading, no I/O.

- which figures it asks about (moving averages, the 200-day one, relative strength, annualised volatility),
- whether it refers to the previous turn's window ("over that window", "同期"),
- whether it asks for a guaranteed return,
- which publishers it names ("according to Benzinga", "路透社"),
- which indexes it names that the catalogue does not know ("Nikkei 225", "恒生指数").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.market import find_instruments, find_symbols, instrument

MA = re.compile(r"(?i)moving averages?|(?<![a-z])MA\s?(?:20|50|200)(?!\d)|\b\d{2,3}[- ]day (?:moving )?averages?|"
                r"均线|移动平均")
# ASCII look-arounds, not \b: in "站上MA200了吗" the letters touch CJK word characters.
MA200 = re.compile(r"(?i)(?<![a-z])MA\s?200(?!\d)|(?<!\d)200[- ]?(?:day|d)(?![a-z])|200日|200天|年线")
RELATIVE = re.compile(r"(?i)relative strength|price ratio|(?:below|off|from) its (?:high|peak)|"
                      r"相对强弱|相对强度|比率|较高点|自高点|从高点")
ANNUALISED = re.compile(r"(?i)annuali[sz]ed|年化")
BETA = re.compile(r"(?i)(?<![a-z])beta(?![a-z])|贝塔|β|correlat|相关性|相关系数|联动")  # "beta是多少": no \b in CJK
# A greeting or a question about finsight itself, not about markets.
ABOUT_US = re.compile(
    r"(?i)^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))\b[\s!.,?]*$|^\s*(?:你好|您好|嗨|哈喽|在吗)[\s!！。.?？]*$|"
    r"你是谁|\bwho are you\b|\bwhat can you do\b|你能做什么|你会什么|怎么用|\bhow do i use\b"
)
LIST_SOURCES = re.compile(
    r"(?i)\b(?:which|what) (?:sources|documents)\b|\blist (?:the |your |all )?(?:sources|documents)\b|"
    r"有哪些(?:资料|来源|文档)|资料列表|知识库(?:里|中)?有(?:什么|哪些)|有什么资料"
)
THANKS = re.compile(r"(?i)^\s*(?:thanks?(?: you)?|thx|cheers|great|ok(?:ay)?|谢谢|多谢|感谢|好的)[\s!！。.,，~]*(?:谢谢)?[\s!！。.]*$")
WINDOW_REF = re.compile(
    r"(?i)\b(?:that|this|the same|same) (?:window|period|time ?frame|stretch|range)\b|\bover that time\b|"
    r"同期|同一(?:时期|期间|区间|窗口)|这段时间|那段时间|这段期间|该期间|此期间|这期间|上述(?:期间|区间|时间)|"
    r"该区间|这个区间|该窗口|这个窗口"
)
VERSUS = re.compile(r"(?i)\b(?:versus|vs\.?|compared (?:to|with)|against|relative to)\b|相比|相对于|比较|对比|和.{1,12}比")
GUARANTEE = re.compile(r"(?i)\bguarantee[sd]?\b|\bsure (?:return|profit|thing)\b|\bcan'?t lose\b|"
                       r"保证|稳赚|保本|包赚|确保.{0,6}(?:收益|赚)|一定(?:能|会)赚")
KNOWLEDGE = re.compile(r"(?i)according to|\bsays?\b|\bsaid\b|\barticle\b|\banalysts?\b|\brecommend|"
                       r"说了什么|认为|文章|报道|推荐|观点|分析师|据.{1,10}(?:称|说|报道)")

# Publishers by the words a question uses for them (the name as stored in the knowledge base first).
PUBLISHERS: dict[str, tuple[str, ...]] = {
    "Morgan Stanley": ("Morgan Stanley", "摩根士丹利", "大摩", "摩根斯坦利"),
    "Reuters": ("Reuters", "路透社", "路透"),
    "Benzinga": ("Benzinga",),
    "Seeking Alpha": ("Seeking Alpha", "SeekingAlpha"),
    "Business Insider": ("Business Insider", "商业内幕"),
    "Bloomberg": ("Bloomberg", "彭博"),
    "Goldman Sachs": ("Goldman Sachs", "Goldman", "高盛"),
    "J.P. Morgan": ("J.P. Morgan", "JPMorgan", "JP Morgan", "摩根大通", "小摩"),
    "Wall Street Journal": ("Wall Street Journal", "WSJ", "华尔街日报"),
    "Financial Times": ("Financial Times", "金融时报"),
    "CNBC": ("CNBC",),
}

_EN_INDEX = re.compile(r"\b((?:[A-Z][\w&'.-]*\s+){1,3})(?:Index|index)\b")
_ZH_INDEX = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,12})指数")
_ZH_FILLER = re.compile(r".*[的看问和与及了在对比较于关买卖是]")
_NOT_NAMES = {"which", "what", "the", "this", "that", "an", "a", "any", "each", "every", "our", "your",
              "哪个", "哪只", "什么", "这个", "那个", "该", "各", "主要", "股票", "任何", "某个", "一个", "哪些"}


@dataclass(frozen=True)
class Unlisted:
    """An index or other asset named in a question that the catalogue does not list."""

    name: str
    ticker: str | None  # a Yahoo ticker a live provider may still serve


@dataclass(frozen=True)
class Asks:
    """The figures and kinds of answer a question asks for."""

    moving_averages: bool = False
    ma200: bool = False
    relative_strength: bool = False
    annualised_vol: bool = False
    window_ref: bool = False
    versus: bool = False
    guarantee: bool = False
    knowledge: bool = False
    beta: bool = False
    about_us: bool = False
    thanks: bool = False
    list_sources: bool = False

    @property
    def measures_nothing(self) -> bool:
        """Small talk or a request for the source list: no index to measure, no window to keep."""
        return self.about_us or self.thanks or self.list_sources


def read_asks(question: str) -> Asks:
    """The cues of `question` (see the module docstring)."""
    return Asks(
        moving_averages=bool(MA.search(question)),
        ma200=bool(MA200.search(question)),
        relative_strength=bool(RELATIVE.search(question)),
        annualised_vol=bool(ANNUALISED.search(question)),
        beta=bool(BETA.search(question)),
        about_us=bool(ABOUT_US.search(question)),
        thanks=bool(THANKS.search(question)),
        list_sources=bool(LIST_SOURCES.search(question)),
        window_ref=bool(WINDOW_REF.search(question)),
        versus=bool(VERSUS.search(question)),
        guarantee=bool(GUARANTEE.search(question)),
        knowledge=bool(KNOWLEDGE.search(question)) or bool(named_publishers(question)),
    )


def named_publishers(question: str) -> list[str]:
    """Publishers the question names, as the knowledge base stores them, in order of appearance."""
    hits: list[tuple[int, str]] = []
    for publisher, words in PUBLISHERS.items():
        positions = [m.start() for w in words
                     for m in re.finditer(rf"(?i)(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", question)]
        if positions:
            hits.append((min(positions), publisher))
    return [p for _, p in sorted(hits)]


def _known(text: str) -> bool:
    return bool(find_symbols(text))


def unlisted_indexes(question: str) -> list[Unlisted]:
    """Indexes (and other assets) the question names that the catalogue does not know, in order.

    Known names (and their aliases) never count; generic phrases ("Which index", "哪个指数") do
    not either. A bare ticker-shaped word ("TSLA", "^N225") counts, since a live provider may
    know it even though the catalogue does not.
    """
    hits: list[tuple[int, Unlisted]] = []
    covered: list[tuple[int, int]] = []
    unserved = [m for m in find_instruments(question) if not m.served]
    for m in unserved:  # the catalogue's known-but-unserved instruments (symbols.UNSERVED)
        if instrument(m.symbol) is not None:
            hits.append((m.span[0], Unlisted(m.text.strip(), m.yahoo)))  # as the user wrote it
            covered.append(m.span)

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in covered)

    for m in _EN_INDEX.finditer(question):
        words = [w for w in m.group(1).split() if w.lower() not in _NOT_NAMES]
        if words and free(m.span()) and not _known(m.group(0)):
            hits.append((m.start(), Unlisted(" ".join([*words, "Index"]), None)))
            covered.append(m.span())
    for m in _ZH_INDEX.finditer(question):
        name = _ZH_FILLER.sub("", m.group(1))
        if len(name) >= 2 and name not in _NOT_NAMES and free(m.span()) and not _known(name + "指数"):
            hits.append((m.start(), Unlisted(name + "指数", None)))
            covered.append(m.span())
    for m in unserved:  # ticker-shaped words no table lists: a live provider may know them
        if instrument(m.symbol) is None and free(m.span) and not _known(m.text):
            hits.append((m.span[0], Unlisted(m.text, m.symbol)))
            covered.append(m.span)
    return [u for _, u in sorted(hits, key=lambda item: item[0])]
