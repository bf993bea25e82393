"""Chinese versions of the fixed English notes and step labels the assistant emits.

The service, the LLM analyst and the offline analyst write a few notes in English whatever the
question's language (the fallback note, the retry count, the default window...). Under a
Chinese answer the UI shows the Chinese version of those it knows; any other note (a provider's
error message, say) is shown as written rather than guessed at.
"""

from __future__ import annotations

import re

# (pattern of the English note, Chinese template with the pattern's named groups).
_NOTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"The language model was unavailable \((?P<reason>.*)\); the offline analyst answered instead\.", re.S),
     "大模型暂时不可用 ({reason}), 本回答由离线分析师完成。"),
    (re.compile(r"The language model needed (?P<n>\d+) retr(?:y|ies)\."),
     "大模型调用重试了 {n} 次。"),
    (re.compile(r"No window in the question: used the last five months of available data\."),
     "问题没有指定区间: 使用了数据中最近五个月。"),
    (re.compile(r"No price data for (?P<names>.+)\."),
     "没有 {names} 的行情数据。"),
    (re.compile(r"The window starts after the last trading day in the data \((?P<day>[^)]+)\)\."),
     "区间起点晚于数据中的最后一个交易日 ({day})。"),
]

# Step labels the service and the LLM analyst emit (tool steps are named after the tool).
_STEPS: dict[str, str] = {
    "calling tools": "调用工具",
    "retrying the language model": "重试大模型",
    "offline analyst (fallback)": "改由离线分析师回答",
    "knowledge base unavailable": "知识库不可用",
}


def localise_note(note: str, lang: str) -> str:
    """`note` in `lang` when it is one of the known fixed notes; otherwise `note` unchanged."""
    if lang != "zh":
        return note
    text = note.strip()
    for pattern, template in _NOTES:
        match = pattern.fullmatch(text)
        if match:
            return template.format(**match.groupdict())
    return note


def localise_step(label: str, lang: str) -> str:
    """A fixed step label in `lang`; tool names and unknown labels unchanged."""
    return _STEPS.get(label, label) if lang == "zh" else label


def notes_to_show(notes: list[str], answer_text: str, lang: str) -> list[str]:
    """The notes to print under an answer, in its language, minus those its text already says.

    The offline analyst both writes its "offline mode" line into the report and lists it as a
    note; printing it twice adds nothing.
    """
    shown: list[str] = []
    for note in notes:
        text = localise_note(note, lang)
        if text.strip() and text.strip() not in answer_text and text not in shown:
            shown.append(text)
    return shown
