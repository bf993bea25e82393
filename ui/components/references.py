"""The reference list under an answer: each entry expands to the exact evidence behind it."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from assistant.answer import Citation
from ui.components.metrics import markdown_table, pairs_table, series_table, window_text
from ui.i18n import t


def escape_md(text: str) -> str:
    """Keep `$` literal: Streamlit markdown would otherwise read "$5 ... $6" as LaTeX."""
    return text.replace("$", r"\$")


def passage_markdown(text: str) -> str:
    """A passage as Markdown that cannot outshout the answer: its headings become bold lines."""
    lines = []
    for line in text.strip().splitlines():
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*)$", line)
        lines.append(f"**{heading.group(1).strip()}**" if heading else line)
    return escape_md("\n".join(lines))


def reference_label(c: Citation) -> str:
    """The collapsed line: '[1] Publisher · Title · 2025-11-17' or '[0] Market database · window'."""
    if c.kind == "market":
        parts = [t("market_ref"), c.window, c.provider]
    else:
        parts = [c.publisher, c.title, c.date]
    return f"[{c.id}] " + " · ".join(p for p in parts if p)


def _render_market(c: Citation, reports: list[dict[str, Any]]) -> None:
    meta = [
        f"**{t('window')}:** {c.window or '–'}",
        f"**{t('provider')}:** {c.provider or '–'}",
        f"**{t('as_of')}:** {c.as_of or '–'}",
    ]
    st.markdown(" · ".join(meta))
    for report in reports:
        if len(reports) > 1:
            st.caption(f"{', '.join(report.get('symbols') or [])}: {window_text(report)}")
        series = series_table(report, compact=True)
        if not series.empty:
            st.markdown(markdown_table(series))
        pairs = pairs_table(report)
        if not pairs.empty:
            st.markdown(markdown_table(pairs))


def _render_source(c: Citation) -> None:
    if c.demo:
        st.warning(t("demo_passage"), icon=":material/info:")
    if c.passage:
        st.caption(t("passage"))
        # A bordered box keeps the quoted passage visually apart from our own words.
        with st.container(border=True):
            st.markdown(passage_markdown(c.passage))
    meta = [f"**{t('source')}:** {escape_md(' · '.join(p for p in (c.publisher, c.title) if p) or '–')}"]
    meta.append(f"**{t('date')}:** {c.date or '–'}")
    if c.url:
        meta.append(f"**{t('link')}:** [{c.url}]({c.url})")
    st.markdown("  \n".join(meta))


def render_references(citations: list[Citation], market_reports: list[dict[str, Any]]) -> None:
    """One expander per citation, `[0]` first; market data shows its window, provider, as-of and table."""
    if not citations:
        return
    st.markdown(f"**{t('references')}**")
    for c in sorted(citations, key=lambda c: c.id):
        with st.expander(reference_label(c)):
            if c.kind == "market":
                _render_market(c, market_reports)
            else:
                _render_source(c)
