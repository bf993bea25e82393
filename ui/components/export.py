"""An answer as a self-contained Markdown document: question, answer, grounding, references.

The answer's text comes from its AnswerDoc without its own reference list; the references are
listed from the citation registry (`assistant.references`), with the passages used. The labels
here are shared with the PDF export (`export_pdf`).
"""

from __future__ import annotations

import re

from assistant.answer import Answer
from assistant.references import citation_line, reference_words
from assistant.untrusted import inert_markdown, literal_markdown
from ui.components.answer_text import answer_parts

_LABELS = {
    "zh": {"traced": "{n} / {total} 个数字已溯源", "untraced": "未溯源", "mode": "模式",
           "offline": "离线分析师", "passage": "引用原文",
           "footer": "数字由行情数据计算 [0], 其余观点引用所列来源"},
    "en": {"traced": "{n} of {total} figures traced", "untraced": "not traced", "mode": "Mode",
           "offline": "offline analyst", "passage": "Passage used",
           "footer": "figures computed from market data [0]; other claims cite the sources listed"},
}


def export_labels(lang: str) -> dict[str, str]:
    """The export's fixed words in `lang` (English for anything but Chinese), the reference list's included."""
    return {**reference_words(lang), **_LABELS.get(lang, _LABELS["en"])}


def grounding_lines(answer: Answer) -> list[str]:
    """'12 of 12 figures traced', plus the untraced figures when there are any."""
    if not answer.figures:
        return []
    words = export_labels(answer.language)
    lines = [words["traced"].format(n=answer.grounded_count, total=len(answer.figures))]
    if answer.ungrounded:
        lines.append(f"{words['untraced']}: " + ", ".join(f.text for f in answer.ungrounded))
    return lines


def answer_markdown(answer: Answer) -> str:
    """The answer as Markdown a reader can keep: every figure's source is listed below it."""
    words = export_labels(answer.language)
    # The answer's document without its own reference list: the fuller one below (with the
    # passages) replaces it. Nothing from a document or the model renders as an image, raw HTML
    # or a link of its own.
    body = "".join(answer_parts(answer))
    lines = [f"# {literal_markdown(answer.question)}", "", inert_markdown(body).strip(), ""]
    if answer.figures:
        lines += [f"_{line}_" for line in grounding_lines(answer)] + [""]
    if answer.citations:
        lines += [f"## {words['refs']}", ""]
        for c in answer.citations:
            # Our "[n] " prefix as is; the rest (document strings) shown literally.
            rest = citation_line(c, answer.language).removeprefix(f"[{c.id}] ")
            lines.append(f"- [{c.id}] {literal_markdown(rest)}")
            # Every passage used from the document, under its one number, with where it sits.
            for excerpt in c.excerpts or ([] if not c.passage else [None]):
                text = c.passage if excerpt is None else excerpt.text
                where = f"({literal_markdown(excerpt.heading)}) " if excerpt is not None and excerpt.heading else ""
                lines.append(f"  > {where}{' '.join(inert_markdown(text or '').split())}")
        lines.append("")
    mode = f"LLM · {answer.model}" if answer.mode == "llm" else words["offline"]
    lines.append(f"_{words['mode']}: {mode}_")
    return "\n".join(lines) + "\n"


def export_file_name(answer: Answer, suffix: str = ".md") -> str:
    """A safe file name from the question's first words, e.g. 'finsight-small-caps.md'."""
    slug = re.sub(r"[^\w\u4e00-\u9fff]+", "-", answer.question.lower()).strip("-")[:40].strip("-")
    return f"finsight-{slug or 'answer'}{suffix}"
