"""One finished answer: text, charts, grounding check, references, follow-ups and export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from assistant.answer import Answer, ToolCall
from ui.components.answer_text import answer_parts, demote_headings
from ui.components.charts import render_charts
from ui.components.export import answer_markdown, export_file_name
from ui.components.export_pdf import answer_pdf
from ui.components.notes import notes_to_show
from ui.components.references import escape_md, render_references
from ui.components.service import market_error_text
from ui.i18n import t


def grounding_text(answer: Answer) -> tuple[str, bool]:
    """The grounding line and whether every figure was traced."""
    total = len(answer.figures)
    if total == 0:
        return t("grounding_none"), True
    if not answer.ungrounded:
        return t("grounding_ok", n=answer.grounded_count, total=total), True
    items = ", ".join(f.text for f in answer.ungrounded[:12])
    if len(answer.ungrounded) > 12:
        items += ", …"
    return t("grounding_bad", n=answer.grounded_count, total=total, items=items), False


def data_failure(answer: Answer) -> ToolCall | None:
    """The failed market-data call of an answer that got no market data at all, else None."""
    if answer.market:
        return None
    return next((c for c in answer.tool_calls if c.name == "market_metrics" and not c.ok), None)


def render_grounding(answer: Answer) -> None:
    """A green badge when every figure is traced, otherwise a warning naming the untraced ones;
    a warning (never the green badge) when the answer's market data could not be loaded."""
    failed = data_failure(answer)
    if failed is not None:
        reason = market_error_text(failed.cause, failed.symbol, failed.error or "")
        st.warning(t("data_failed", reason=reason), icon=":material/warning:")
        return
    text, ok = grounding_text(answer)
    if ok:
        st.markdown(f":green-badge[{text}]")
    else:
        st.warning(text, icon=":material/warning:")
    if answer.dangling_citations:
        st.caption(t("dangling", items=", ".join(f"[{n}]" for n in answer.dangling_citations)))
    render_coverage(answer)


def coverage_text(answer: Answer) -> tuple[str, bool] | None:
    """The coverage line (did the answer measure what was asked?) and whether nothing is missing."""
    cov = answer.coverage
    if cov is None or not cov.asked:
        return None
    if cov.missing:
        items = ", ".join(_coverage_item(i) for i in cov.missing)
        return t("coverage_bad", items=items), False
    return t("coverage_ok", n=len(cov.asked)), True


def _coverage_item(item: str) -> str:
    kind, _, value = item.partition(":")
    return f"{t('cov_' + kind)} {value}" if kind in ("instrument", "window", "metric") else item


def _assumed_item(code: str) -> str:
    key, _, symbol = code.partition(":")
    try:
        return t(f"assumed_{key}", symbol=symbol)
    except KeyError:
        return code


def render_coverage(answer: Answer) -> None:
    """Beside the grounding badge: every asked instrument, window and metric answered, or what was not."""
    found = coverage_text(answer)
    if found is None:
        return
    text, ok = found
    if ok:
        st.markdown(f":blue-badge[{text}]")
    else:
        st.warning(text, icon=":material/rule:")
    if answer.coverage and answer.coverage.assumed:
        st.caption(t("coverage_assumed", items=", ".join(_assumed_item(c) for c in answer.coverage.assumed)))


def step_line(call: ToolCall) -> str:
    """'market_metrics(symbols=RUT,SPX, start=2025-09-01)' — which tool, with which arguments."""
    # The arguments are the model's: no backtick may close the code span they are shown in.
    args = ", ".join(f"{k}={_short(v)}" for k, v in call.args.items() if v not in (None, "", [])).replace("`", "'")
    mark = "✓" if call.ok else "✗"
    tail = f" — {escape_md(call.error)}" if call.error else ""
    return f"{mark} `{call.name}({args})`{tail}"


def _short(value: Any) -> str:
    text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def render_steps(answer: Answer) -> None:
    """The agent's steps for a finished answer, folded away (the live version is an st.status)."""
    if not answer.tool_calls:
        return
    label = t("steps_done", n=len(answer.tool_calls), s=answer.elapsed_s or 0.0)
    with st.expander(label, icon=":material/manage_search:"):
        st.markdown("\n".join(f"- {step_line(c)}" for c in answer.tool_calls))


def render_answer(
    answer: Answer,
    key: str,
    followups: bool = False,
    on_followup: Callable[[str], None] | None = None,
    steps: bool = True,
) -> None:
    """Everything under one assistant message. `key` makes widget keys unique per turn."""
    if steps:
        render_steps(answer)
    # Read from the answer's document: the expandable references below replace its own list.
    head, tail = (demote_headings(part) for part in answer_parts(answer))
    st.markdown(escape_md(head))
    for i, report in enumerate(answer.market):
        if report.get("chart"):
            render_charts(report, key=f"{key}-chart{i}")
    if tail.strip():
        st.markdown(escape_md(tail))
    render_grounding(answer)
    snapshot_days = [str(r.get("as_of")) for r in answer.market if "snapshot" in str(r.get("provider", "")).split(",")]
    if snapshot_days:
        st.caption(f":material/history: {t('snapshot_note', date=max(snapshot_days))}")
    for note in notes_to_show(answer, answer.language):
        st.caption(f":material/info: {escape_md(note)}")
    render_references(answer.citations, answer.market)
    # Follow-ups of an answer whose data failed would fail the same way: none are offered.
    if followups and answer.followups and on_followup is not None and data_failure(answer) is None:
        st.markdown(f"**{t('followups')}**")
        for i, question in enumerate(answer.followups):
            st.button(question, key=f"{key}-fu{i}", on_click=on_followup, args=(question,), icon=":material/subdirectory_arrow_right:")
    row = st.container(horizontal=True, vertical_alignment="center")
    row.download_button(
        t("export"),
        data=answer_markdown(answer),
        file_name=export_file_name(answer),
        mime="text/markdown",
        key=f"{key}-export",
        icon=":material/download:",
        on_click="ignore",
    )
    # Built only when clicked (in a worker thread), so a rerun never pays for every answer's PDF.
    row.download_button(
        t("export_pdf"),
        data=lambda: answer_pdf(answer),
        file_name=export_file_name(answer, ".pdf"),
        mime="application/pdf",
        key=f"{key}-export-pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )
    mode = t("mode_badge_llm", model=answer.model) if answer.mode == "llm" else t("mode_badge_offline")
    tail = f" · {t('elapsed', s=answer.elapsed_s)}" if answer.elapsed_s is not None else ""
    row.caption(f"{mode}{tail}")
