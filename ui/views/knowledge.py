"""Knowledge page: upload files, add URLs, list, search and delete the sources answers cite."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from assistant import first_line
from assistant.untrusted import literal_markdown, markdown_link
from ui.components.auth import current_owner
from ui.components.references import escape_md
from ui.components.service import get_service
from ui.i18n import t

FILE_TYPES = ["pdf", "docx", "md", "markdown", "txt", "html", "htm"]
SUMMARY_KEY = "kb-last-summary"
UPLOADER_KEY = "kb-uploader-n"
FLASH_KEY = "kb-flash"


MAX_NAME_BYTES = 150  # in UTF-8, well under the 255-byte limit of common file systems


def safe_name(name: str, taken: set[str] | None = None) -> str:
    """A file name without folders or odd characters, at most MAX_NAME_BYTES long in UTF-8 (the suffix
    kept), and not one of `taken` (" (2)", " (3)", ... added): two uploads never overwrite each
    other and a long name never fails the batch."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.\-\u4e00-\u9fff ]+", "_", base).strip(" .") or "upload"
    path = Path(cleaned)
    suffix = path.suffix if len(path.suffix) <= 10 else ""
    stem = cleaned[: len(cleaned) - len(suffix)] if suffix else cleaned
    budget = MAX_NAME_BYTES - len(suffix.encode()) - 8  # room for " (nn)"
    stem = stem.encode()[:budget].decode("utf-8", errors="ignore").rstrip(" .") or "upload"
    candidate, n = stem + suffix, 1
    while taken is not None and candidate.lower() in taken:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    if taken is not None:
        taken.add(candidate.lower())
    return candidate


def display_name(item: str) -> str:
    """A URL as it is; an uploaded file by its name (not the temporary folder it was written to)."""
    return item if item.startswith(("http://", "https://")) else (Path(item).name or item)


def run_ingest(kb: Any, items: list[str]) -> dict[str, Any]:
    """Ingest `items` with a progress bar; returns the summary as a plain dict for session state."""
    bar = st.progress(0.0, text=t("kb_ingest") + "…")

    def progress(item: str, done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=t("kb_progress", item=display_name(item), done=done, total=total))

    try:
        summary = kb.ingest(items, progress=progress)
    except Exception as exc:  # noqa: BLE001 - reported as one line, the page keeps working
        bar.empty()
        return {"error": first_line(exc)}
    bar.empty()
    return summary.model_dump()


def ingest_uploads(kb: Any, files: list[Any]) -> dict[str, Any]:
    """Write the uploads to a temporary folder under their own names and ingest them."""
    with tempfile.TemporaryDirectory(prefix="finsight-upload-") as folder:
        paths, failed, taken = [], [], set()
        for f in files:
            path = Path(folder) / safe_name(f.name, taken)
            try:
                path.write_bytes(f.getvalue())
            except OSError as exc:  # one unwritable upload is reported, the others go on
                failed.append([f.name, t("kb_upload_unwritable", reason=exc.strerror or type(exc).__name__)])
                continue
            paths.append(str(path))
        summary = run_ingest(kb, paths) if paths else {"added": [], "updated": [], "skipped": [], "failed": []}
        if "error" not in summary:
            summary["failed"] = [*failed, *summary.get("failed", [])]
        return summary


def render_summary(summary: dict[str, Any]) -> None:
    """Per-item outcome of the last ingest: added, updated, unchanged, failed (with the reason)."""
    # Names and reasons carry file names and document titles: shown literally, never as Markdown.
    if "error" in summary:
        st.error(t("kb_failed_ingest", reason=literal_markdown(summary["error"])))
        return
    names = {key: [literal_markdown(display_name(i)) for i in summary.get(key, [])] for key in ("added", "updated", "skipped")}
    if names["added"]:
        st.success(f"{t('kb_added')}: " + ", ".join(names["added"]))
    if names["updated"]:
        st.success(f"{t('kb_updated')}: " + ", ".join(names["updated"]))
    if names["skipped"]:
        reasons = summary.get("skipped_reasons", {})
        st.info(f"{t('kb_skipped')}: " + ", ".join(
            f"{literal_markdown(display_name(i))} ({literal_markdown(reasons[i])})" if i in reasons
            else literal_markdown(display_name(i)) for i in summary.get("skipped", [])))
    for item, reason in summary.get("failed", []):
        st.error(f"{t('kb_failed')}: {literal_markdown(display_name(item))} — {literal_markdown(reason)}")


def sources_frame(sources: list[Any]) -> pd.DataFrame:
    """The sources as a table with their metadata and chunk counts."""
    return pd.DataFrame(
        [
            {
                t("col_title"): s.title,
                t("col_publisher"): s.publisher or "",
                t("col_published"): s.published or "",
                t("col_language"): s.language,
                t("col_chunks"): s.chunks,
                t("col_origin"): s.url or s.file_name or "",
                t("col_ingested"): (s.ingested_at or "")[:16].replace("T", " "),
                t("col_demo"): "✓" if s.demo else "",
            }
            for s in sources
        ]
    )


def _add_section(kb: Any) -> None:
    n = st.session_state.setdefault(UPLOADER_KEY, 0)
    left, right = st.columns(2)
    with left:
        files = st.file_uploader(t("kb_upload"), type=FILE_TYPES, accept_multiple_files=True, key=f"kb-files-{n}")
        if st.button(t("kb_ingest"), key="kb-ingest", type="primary", icon=":material/upload_file:"):
            if files:
                st.session_state[SUMMARY_KEY] = ingest_uploads(kb, files)
                st.session_state[UPLOADER_KEY] = n + 1  # a fresh key empties the uploader
                st.rerun()
            else:
                st.warning(t("kb_nothing"))
    with right:
        text = st.text_area(t("kb_urls"), key="kb-urls", height=100, placeholder="https://…")
        if st.button(t("kb_add_urls"), key="kb-add-urls", icon=":material/travel_explore:"):
            urls = [line.strip() for line in (text or "").splitlines() if line.strip()]
            if urls:
                st.session_state[SUMMARY_KEY] = run_ingest(kb, urls)
                st.rerun()
            else:
                st.warning(t("kb_nothing"))
    if SUMMARY_KEY in st.session_state:
        render_summary(st.session_state[SUMMARY_KEY])


def _search_section(kb: Any) -> None:
    query = st.text_input(t("kb_search"), key="kb-query", placeholder="small caps earnings / 小盘股 盈利")
    if not query.strip():
        return
    try:
        hits = kb.search(query.strip(), k=8)
    except Exception as exc:  # noqa: BLE001
        st.error(first_line(exc))
        return
    if not hits:
        st.info(t("kb_no_hits"))
    for p in hits:
        label = " · ".join(literal_markdown(x) for x in (p.publisher, p.title, p.published) if x)
        with st.expander(label):
            st.markdown(escape_md(p.text))
            if p.url:
                st.markdown(markdown_link(p.url, p.url))  # rebuilt from a validated URL, or plain text
            st.caption(f"score {p.score:.4f} · dense #{p.dense_rank or '–'} · bm25 #{p.bm25_rank or '–'}")


def _delete_section(kb: Any, sources: list[Any]) -> None:
    if not sources:
        return
    by_id = {s.source_id: s for s in sources}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    # Nothing preselected, and a confirmation per source: deleting is never one stray click.
    chosen = left.selectbox(t("kb_delete"), options=list(by_id), key="kb-delete-choice", index=None,
                            placeholder=t("kb_delete_pick"),
                            format_func=lambda sid: f"{by_id[sid].title} ({by_id[sid].chunks})")
    sure = bool(chosen) and st.checkbox(t("kb_delete_confirm", title=by_id[chosen].title) if chosen else "",
                                        key=f"kb-delete-confirm-{chosen}")
    if right.button(t("delete"), key="kb-delete", icon=":material/delete:", disabled=not sure) and chosen and sure:
        try:
            kb.remove_source(chosen)
            st.session_state[FLASH_KEY] = t("kb_deleted", title=literal_markdown(by_id[chosen].title))
        except Exception as exc:  # noqa: BLE001
            st.session_state[FLASH_KEY] = literal_markdown(first_line(exc))
        st.rerun()


def main() -> None:
    """Render the knowledge page."""
    current_owner()  # stops the run unless the login gate in app.py let it through
    st.title(t("kb_title"))
    st.caption(t("kb_intro"))
    try:
        with st.spinner(t("loading_service")):
            kb = get_service().kb
            sources = kb.sources()
    except Exception as exc:  # noqa: BLE001 - the store may be unreachable; say so in one line
        st.error(t("service_failed", reason=first_line(exc)))
        return
    _add_section(kb)
    st.divider()
    st.subheader(t("kb_sources"))
    st.caption(t("kb_count", sources=len(sources), chunks=sum(s.chunks for s in sources)))
    if sources:
        st.dataframe(sources_frame(sources), hide_index=True)
    else:
        st.info(t("kb_empty"))
    _delete_section(kb, sources)
    if flash := st.session_state.pop(FLASH_KEY, None):
        st.info(flash)  # built from escaped parts
    st.divider()
    _search_section(kb)


main()
