"""Notes and step labels as codes with parameters, written out at the edges in either language.

An analyst or the service records *what* happened (`Note("llm_unavailable", reason=...)`); the
UI, the CLI and the stored answer render it from one table per language, so no edge has to
translate English prose back.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Note(BaseModel):
    """One remark about how an answer was made: a code from NOTE_TEXT and its parameters."""

    model_config = ConfigDict(frozen=True)

    code: str
    params: dict[str, str] = Field(default_factory=dict)


def note(code: str, **params: object) -> Note:
    return Note(code=code, params={k: str(v) for k, v in params.items()})


NOTE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "offline": "Offline mode: written by the offline analyst from tool results and retrieved passages, "
                   "without a language model.",
        "llm_unavailable": "The language model was unavailable ({reason}); the offline analyst answered instead.",
        "llm_retry": "The language model needed 1 retry.",
        "llm_retries": "The language model needed {n} retries.",
        "no_price_data": "No price data for {names}.",
        "window_after_data": "The window starts after the last trading day in the data ({day}).",
        "third_language": "This question is in neither Chinese nor English: only the index names and dates in "
                          "it were read, and the answer is in English. Ask in Chinese or English for a full answer.",
        "tool_error": "{error}",
    },
    "zh": {
        "offline": "离线模式:本回答由离线分析器根据工具结果与检索资料生成,未使用大语言模型。",
        "llm_unavailable": "大模型暂时不可用 ({reason}), 本回答由离线分析师完成。",
        "llm_retry": "大模型调用重试了 1 次。",
        "llm_retries": "大模型调用重试了 {n} 次。",
        "no_price_data": "没有 {names} 的行情数据。",
        "window_after_data": "区间起点晚于数据中的最后一个交易日 ({day})。",
        "third_language": "这个问题既不是中文也不是英文:只读取了其中的指数名称和日期,回答使用英文。请用中文或英文提问以获得完整回答。",
        "tool_error": "{error}",
    },
}

# Step labels the service and the LLM analyst emit (tool steps are named after the tool).
STEP_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "calling tools": "调用工具",
        "retrying the language model": "重试大模型",
        "offline analyst (fallback)": "改由离线分析师回答",
        "knowledge base unavailable": "知识库不可用",
    },
}


def note_text(item: Note, lang: str) -> str:
    """`item` written out in `lang` ('zh' or 'en'); an unknown code is shown as its parameters."""
    table = NOTE_TEXT.get(lang, NOTE_TEXT["en"])
    template = table.get(item.code) or NOTE_TEXT["en"].get(item.code)
    if template is None:
        return "; ".join(item.params.values()) or item.code
    return template.format(**item.params)


def step_text(label: str, lang: str) -> str:
    """A fixed step label in `lang`; tool names and unknown labels unchanged."""
    return STEP_TEXT.get(lang, {}).get(label, label)
