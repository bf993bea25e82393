"""The reference list under an answer: each entry expands to the exact evidence behind it."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from assistant.answer import Citation
from assistant.untrusted import inert_markdown, literal_markdown, markdown_link
from ui.components.metrics import (
    evidence_pairs_table,
    evidence_table,
    markdown_table,
    scorecard_table,
    window_text,
)
from ui.i18n import t


def escape_md(text: str) -> str:
    """Markdown from outside (an answer, a passage, a note) made safe to render: no image, raw
    HTML or link of its own (`inert_markdown`), and `$` literal: Streamlit markdown would
    otherwise read "$5 ... $6" as LaTeX."""
    return inert_markdown(text).replace("$", r"\$")


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
    # An expander label is Markdown too (images included): document strings render literally.
    return f"[{c.id}] " + " · ".join(literal_markdown(p) for p in parts if p)


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
        if report.get("analysis"):  # an analysis states its method and headline figures
            st.caption(str(report.get("method") or ""))
            if report["analysis"] == "scorecard":  # each star beside the rule that gave it
                st.markdown(markdown_table(scorecard_table(report)))
            continue
        # Everything the answer may cite from [0]: closes and dates, volatilities, averages,
        # drawdown days, high and low, and the pair figures.
        series = evidence_table(report)
        if not series.empty:
            st.markdown(markdown_table(series))
        pairs = evidence_pairs_table(report)
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
    meta = [f"**{t('source')}:** {literal_markdown(' · '.join(p for p in (c.publisher, c.title) if p) or '–')}"]
    meta.append(f"**{t('date')}:** {literal_markdown(c.date or '–')}")
    link = markdown_link(c.url or "", c.url)  # rebuilt here from a validated URL, or plain text
    if c.url and link.startswith("["):
        meta.append(f"**{t('link')}:** {link}")
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
