"""Chat page: ask, watch the agent work, read the answer with its evidence, follow up."""

from __future__ import annotations

import streamlit as st

from ui.i18n import current_lang, t

PENDING_KEY = "pending_question"
EXAMPLE = {
    "zh": "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)",
    "en": "Can improving small-cap fundamentals sustain their outperformance versus large caps? (Sep 2025 - Jan 2026)",
}


def ask_later(question: str) -> None:
    """Queue a question (follow-up or example button) for this rerun; it joins the open thread."""
    st.session_state[PENDING_KEY] = question


def validate(raw: str | None) -> str | None:
    """The question to ask, or None after showing why it cannot be asked (empty, too long)."""
    from assistant.service import MAX_QUESTION_CHARS  # lazy: keeps the first paint fast

    if raw is None:
        return None
    text = raw.strip()
    if not text:
        st.warning(t("empty_message"))
        return None
    if len(text) > MAX_QUESTION_CHARS:
        st.error(t("too_long", n=len(text), limit=MAX_QUESTION_CHARS))
        return None
    return text


def main() -> None:
    """Render the chat page."""
    st.title(t("app_title"))
    st.caption(t("tagline"))
    # chat_input is pinned to the bottom wherever it is called; reading it first lets the page
    # know before drawing the history whether a new turn follows (and where follow-ups belong).
    typed = st.chat_input(t("chat_placeholder"), key="chat-box")
    raw = typed if typed is not None else st.session_state.pop(PENDING_KEY, None)

    # Imported only now: pandas, altair and the service take ~1 s to import on a cold server,
    # and the title and input box above should paint before that.
    from ui.components.answer_view import render_answer
    from ui.components.auth import current_owner
    from ui.components.conversations import conversations_sidebar, current_thread, open_thread
    from ui.components.live import stream_answer
    from ui.components.service import get_service

    service = get_service()
    owner = current_owner()  # "" in single-user mode; the signed-in user on a shared deployment
    question = validate(raw)
    thread_id = current_thread()
    if question and not thread_id:
        # Create the thread now so the sidebar lists it in this very run.
        thread_id = service.history.create_thread(title=question[:60], owner=owner)
        open_thread(thread_id)
    conversations_sidebar(service.history)

    turns = service.history.turns(thread_id, owner=owner) if thread_id else []
    if not turns and not question:
        lang = current_lang()
        st.info(t("empty_state"))
        st.button(t("example_button"), key="example", on_click=ask_later, args=(EXAMPLE[lang],), type="primary")

    for i, answer in enumerate(turns):
        with st.chat_message("user"):
            st.markdown(answer.question)
        with st.chat_message("assistant"):
            last = i == len(turns) - 1 and not question
            render_answer(answer, key=f"{thread_id}-{i}", followups=last, on_followup=ask_later)

    if question:
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            answer = stream_answer(service, question, thread_id, owner=owner)
            if answer is None and not turns:
                # Nothing was stored: drop the empty thread created for this question.
                service.history.delete(thread_id, owner=owner)
                open_thread(None)
            elif answer is not None:
                render_answer(answer, key=f"{thread_id}-{len(turns)}", followups=True,
                              on_followup=ask_later, steps=False)


main()
