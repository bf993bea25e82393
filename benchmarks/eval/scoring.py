"""Pure scoring of one answer against its golden question and expected figures.

Each score measures one thing, so a deliberately broken answer lowers exactly the score it
should: an altered figure lowers figure accuracy, a dangling `[9]` lowers citation validity, an
answer in the wrong language fails the language match, missing headings lower section coverage.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.answer import Answer, Citation
from benchmarks.eval import textscan
from benchmarks.eval.expected import ExpectedFigure
from benchmarks.eval.golden import GoldenQuestion

# Figure accuracy tolerance: 0.01 percentage points (or 0.01 index points for levels); the epsilon
# absorbs binary floating point, so a value printed rounded to 2 dp always matches.
TOLERANCE = 0.01 + 1e-9

# Report sections (REPORT-ANATOMY.md) by heading keywords, zh and en. Scored on heading-like lines,
# except the disclaimer, which is usually a closing line rather than a heading.
SECTION_MARKERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "performance": (("表现", "收益", "涨跌", "走势"), ("performance", "return")),
    "relative": (("相对强弱", "相对强度", "相对表现", "超额", "对比"), ("relative", "versus", "comparison")),
    "views": (("观点", "催化", "驱动", "机构", "资料要点"), ("view", "catalyst", "driver", "analyst", "sources say")),
    "technicals": (("技术", "均线"), ("technical", "moving average")),
    "risks": (("风险", "波动"), ("risk", "volatility")),
    "scorecard": (("评分",), ("scorecard", "rating")),
    "outlook": (("展望",), ("outlook",)),
    "references": (("参考", "引用"), ("reference",)),
    "disclaimer": (("免责", "不构成投资建议", "并非预测", "不是预测"), ("disclaimer", "not investment advice", "not a forecast")),
}

# What a clear decline or qualification says, by kind: regular expressions, matched case-blind.
# Deliberately specific: a normal report's disclaimer ("not a forecast", "不代表未来走势") or
# caveats ("无法据证据判断") must not pass for a refusal.
DECLINE_PATTERNS: dict[str, tuple[str, ...]] = {
    "no_data": (
        r"no (price )?data", r"not available", r"(don't|do not|doesn't|does not) have", r"unknown (symbol|index)",
        r"not (recognised|recognized|supported)", r"(couldn't|could not|cannot|can't) find",
        r"(没有|无|暂无|缺少|缺乏).{0,12}(数据|行情|价格)", r"无法识别|未找到|找不到|不支持|不认识|未知",
    ),
    "future": (
        r"no (price )?data", r"not available", r"is in the future|future date|(hasn't|has not) happened",
        r"(cannot|can't) (predict|forecast|know)", r"data (ends|runs to|only goes to|stops)",
        r"(没有|无|暂无|缺少|缺乏).{0,12}(数据|行情)", r"尚未(发生|到来)|还没(有)?到|无法预测|不能预测|无法预知",
        r"(结束|截止|截至)于",
    ),
    "guarantee": (
        r"no guarantee", r"(cannot|can't|can not|does not|doesn't|do not|don't) guarantee", r"not guaranteed",
        r"no (one|index|investment|fund|asset).{0,30}guarantee", r"nothing .{0,20}guarantee",
        r"(不能|无法|不会|不可能|没有.{0,10})保证", r"不保证|无法承诺|不能承诺",
    ),
}


@dataclass
class QuestionScore:
    """Every score of one answered golden question (None = not applicable)."""

    id: str
    category: str
    language: str
    mode: str
    figure_hits: int = 0
    figure_total: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    figures: int = 0
    figures_grounded: int = 0
    dangling: list[int] = field(default_factory=list)
    citation_checks: int = 0
    citation_passed: int = 0
    citation_failures: list[str] = field(default_factory=list)
    sections_expected: list[str] = field(default_factory=list)
    sections_found: list[str] = field(default_factory=list)
    language_ok: bool = True
    sources_expected: list[str] = field(default_factory=list)
    sources_found: list[str] = field(default_factory=list)
    decline_ok: bool | None = None
    latency_s: float | None = None
    error: str | None = None

    @property
    def figure_accuracy(self) -> float | None:
        return self.figure_hits / self.figure_total if self.figure_total else None

    @property
    def grounding(self) -> float | None:
        return self.figures_grounded / self.figures if self.figures else None

    @property
    def citation_validity(self) -> float:
        total = self.citation_checks + len(self.dangling)
        return self.citation_passed / total if total else 1.0

    @property
    def section_coverage(self) -> float | None:
        if not self.sections_expected:
            return None
        return len(set(self.sections_found) & set(self.sections_expected)) / len(self.sections_expected)

    @property
    def source_recall(self) -> float | None:
        return len(self.sources_found) / len(self.sources_expected) if self.sources_expected else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the derived ratios alongside the counts."""
        out = asdict(self)
        for name in ("figure_accuracy", "grounding", "citation_validity", "section_coverage", "source_recall"):
            out[name] = getattr(self, name)
        return out


def figure_present(expected: ExpectedFigure, answer: Answer) -> bool:
    """True when the answer text (or its extracted figures) carries the figure within tolerance.

    Percent figures match regardless of sign: prose often carries the sign in words
    ("fell 3.2%", "回撤 8.54%").
    """
    target = abs(expected.display)
    unit = "pct" if expected.unit == "pct" else ""
    candidates = [abs(n.value) for n in textscan.numbers(answer.answer) if n.unit == unit]
    for fig in answer.figures:  # values as written: "percent" in percent points, "bp" in basis points
        kind = fig.unit.lower()
        if expected.unit == "pct" and kind in ("%", "percent", "pct", "pp"):
            candidates.append(abs(fig.value))
        elif expected.unit == "pct" and kind == "bp":
            candidates.append(abs(fig.value) / 100)
        elif expected.unit == "level" and kind in ("number", "level", "price", ""):
            candidates.append(abs(fig.value))
    return any(abs(c - target) <= TOLERANCE for c in candidates)


def _passage_has(number: textscan.Number, passage: str) -> bool:
    """The passage states the number, up to the rounding the answer applied."""
    slack = 0.5 * 10 ** (-number.decimals) + 1e-9
    for found in textscan.numbers(passage):
        for value in (found.value, found.value * 100):
            if abs(abs(value) - abs(number.value)) <= slack:
                return True
    return False


def check_citations(answer: Answer) -> tuple[list[int], int, int, list[str]]:
    """(dangling ids, checks made, checks passed, failure notes) for the answer's citations."""
    by_id: dict[int, Citation] = {c.id: c for c in answer.citations}
    text = answer.answer
    cited = textscan.markers(text)
    dangling = sorted(set(answer.dangling_citations) | {i for i, _ in cited if i not in by_id})
    checks = passed = 0
    failures: list[str] = []
    for cite_id in sorted({i for i, _ in cited if i in by_id and i > 0}):
        checks += 1
        if (by_id[cite_id].passage or "").strip():
            passed += 1
        else:
            failures.append(f"[{cite_id}] has no passage")
    for sentence in textscan.sentences(textscan.attach_table_captions(text)):
        marks = textscan.markers(sentence)
        for number in (n for n in textscan.numbers(sentence) if n.is_figure):
            after = [i for i, pos in marks if pos >= number.end]
            before = [i for i, pos in marks if pos < number.start]
            cite_id = after[0] if after else (before[-1] if before else None)
            if cite_id is None or cite_id == 0 or cite_id not in by_id:
                continue  # [0] figures are checked against prices; dangling ids are counted above
            checks += 1
            if _passage_has(number, by_id[cite_id].passage or ""):
                passed += 1
            else:
                failures.append(f"{number.text} not in the passage of [{cite_id}]")
    return dangling, checks, passed, failures


def supported_sections(answer: Answer) -> list[str]:
    """The report sections the answer's own evidence supports."""
    sections = []
    if answer.market:
        sections += ["performance", "technicals", "risks", "scorecard", "outlook"]
        if any(report.get("pairs") for report in answer.market):
            sections.append("relative")
    if any(c.kind == "source" for c in answer.citations):
        sections += ["views", "references"]
    return sections + ["disclaimer"]


def sections_present(text: str) -> list[str]:
    """Sections whose markers (either language: language is scored on its own) appear in headings."""
    heads = textscan.headings(text)
    lowered = text.lower()
    found = []
    for name, (zh, en) in SECTION_MARKERS.items():
        words = zh + en
        haystacks = [lowered] if name == "disclaimer" else heads
        if any(word.lower() in hay for hay in haystacks for word in words):
            found.append(name)
    return found


def sources_cited(answer: Answer, wanted: tuple[str, ...]) -> list[str]:
    """The wanted source substrings that match a cited passage's title or publisher."""
    used = {i for i, _ in textscan.markers(answer.answer)}
    labels = [
        f"{c.title} {c.publisher or ''} {c.url or ''}".lower()
        for c in answer.citations
        if c.kind == "source" and c.id in used
    ]
    return [w for w in wanted if any(w.lower() in label for label in labels)]


def decline_ok(question: GoldenQuestion, answer: Answer) -> bool:
    """A clear statement, and no invented figures (a number echoed from the question is fine)."""
    text = answer.answer.lower()
    clear = any(re.search(p, text) for p in DECLINE_PATTERNS[question.decline or "no_data"])
    asked = {abs(n.value) for n in textscan.numbers(question.question)}
    invented = [f for f in answer.figures if not f.grounded and abs(f.value) not in asked]
    return clear and not invented


def score_answer(
    question: GoldenQuestion,
    expected: list[ExpectedFigure],
    answer: Answer,
    latency_s: float | None = None,
) -> QuestionScore:
    """Score one answer. Pure: reads only its arguments."""
    score = QuestionScore(question.id, question.category, question.language, answer.mode, latency_s=latency_s)
    for fig in expected:
        score.figure_total += 1
        if figure_present(fig, answer):
            score.figure_hits += 1
        else:
            score.missed.append({"spec": fig.spec, "expected": round(fig.display, 4), "unit": fig.unit})
    score.figures = len(answer.figures)
    score.figures_grounded = answer.grounded_count
    score.dangling, score.citation_checks, score.citation_passed, score.citation_failures = check_citations(answer)
    if question.report or textscan.is_report(answer.answer):
        score.sections_expected = supported_sections(answer)
        score.sections_found = sections_present(answer.answer)
    score.language_ok = answer.language == question.language and textscan.text_language(answer.answer) == question.language
    score.sources_expected = list(question.sources)
    score.sources_found = sources_cited(answer, question.sources)
    if question.decline:
        score.decline_ok = decline_ok(question, answer)
    return score


def failed_score(question: GoldenQuestion, mode: str, error: str, expected: list[ExpectedFigure]) -> QuestionScore:
    """The score of a question whose answer could not be produced at all: every check fails."""
    return QuestionScore(
        question.id, question.category, question.language, mode,
        figure_total=len(expected), language_ok=False, sources_expected=list(question.sources),
        decline_ok=False if question.decline else None, error=error,
    )
