"""Chat page: ask, watch the agent work, read the answer with its evidence, follow up.

Questions go through the session's `ChatQueue` (ui.components.chat_queue): one sent while an
answer is still being written waits its turn instead of cutting that answer off, so every
question is stored, in order, with its answer, and each follow-up sees the turns before it.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import current_lang, t

PENDING_KEY = "pending_question"
QUEUE_KEY = "chat_queue"
EXAMPLE = {
    "zh": "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)",
    "en": "Can improving small-cap fundamentals sustain their outperformance versus large caps? (Sep 2025 - Jan 2026)",
}


def ask_later(question: str) -> None:
    """Queue a question (follow-up or example button) for this rerun; it joins the open thread."""
    st.session_state[PENDING_KEY] = question


def check(raw: str | None) -> tuple[str | None, str | None]:
    """(question to ask, None) or (None, why it cannot be asked); (None, None) when nothing was sent.

    Draws nothing: the question must be queued before the page draws anything, since a new
    message stops this run at its next drawing call.
    """
    from assistant.service import MAX_QUESTION_CHARS  # lazy: keeps the first paint fast

    if raw is None:
        return None, None
    text = raw.strip()
    if not text:
        return None, t("empty_message")
    if len(text) > MAX_QUESTION_CHARS:
        return None, t("too_long", n=len(text), limit=MAX_QUESTION_CHARS)
    return text, None


def _header() -> None:
    st.title(t("app_title"))
    st.caption(t("tagline"))


def main() -> None:
    """Render the chat page."""
    # chat_input is pinned to the bottom wherever it is called; reading it first lets the page
    # queue a new question before anything is drawn (and know where follow-ups belong).
    typed = st.chat_input(t("chat_placeholder"), key="chat-box")
    raw = typed if typed is not None else st.session_state.pop(PENDING_KEY, None)
    if raw is None:
        _header()  # nothing to queue: paint the title before the slow imports below

    # Imported only now: pandas, altair and the service take ~1 s to import on a cold server.
    from ui.components.answer_view import render_answer
    from ui.components.auth import current_owner
    from ui.components.chat_queue import ChatQueue
    from ui.components.conversations import conversations_sidebar, current_thread, open_thread
    from ui.components.live import show_live
    from ui.components.service import get_service

    service = get_service()
    owner = current_owner()  # "" in single-user mode; the signed-in user on a shared deployment
    chat = st.session_state.get(QUEUE_KEY)
    if not isinstance(chat, ChatQueue) or chat.service is not service:
        chat = st.session_state[QUEUE_KEY] = ChatQueue(service)
    question, problem = check(raw)
    thread_id = current_thread()
    if question:
        if not thread_id:
            # The thread is named after its first question, and created before anything is drawn.
            thread_id = service.history.create_thread(title=question[:60], owner=owner)
            open_thread(thread_id)
        chat.submit(question, thread_id, owner)

    if raw is not None:
        _header()
    if problem:
        (st.warning if raw is not None and not raw.strip() else st.error)(problem)
    conversations_sidebar(service.history)

    turns = service.history.turns(thread_id, owner=owner) if thread_id else []
    jobs = []  # this thread's questions not yet in the stored history, in the order sent
    for job in chat.jobs(thread_id, owner) if thread_id else []:
        if job.stored_in(len(turns)):
            chat.forget(job)
        else:
            jobs.append(job)
    if not turns and not jobs:
        lang = current_lang()
        st.info(t("empty_state"))
        st.button(t("example_button"), key="example", on_click=ask_later, args=(EXAMPLE[lang],), type="primary")

    for i, answer in enumerate(turns):
        with st.chat_message("user"):
            st.markdown(answer.question)
        with st.chat_message("assistant"):
            last = i == len(turns) - 1 and not jobs
            render_answer(answer, key=f"{thread_id}-{i}", followups=last, on_followup=ask_later)

    # Every waiting question is on the page at once (marked as queued), then each is followed
    # live in turn; a question sent meanwhile stops this run and the next run picks up here.
    slots = []
    for job in jobs:
        with st.chat_message("user"):
            st.markdown(job.question)
        with st.chat_message("assistant"):
            slot = st.empty()
            if not job.finished and job.state == "queued":
                slot.caption(f":material/schedule: {t('queued')}")
            slots.append(slot)
    for n, (job, slot) in enumerate(zip(jobs, slots, strict=True)):
        with slot.container():
            answer = show_live(chat.follow(job), error=lambda job=job: job.error)
            if answer is not None:
                last = n == len(jobs) - 1
                render_answer(answer, key=f"{thread_id}-{len(turns) + n}", followups=last,
                              on_followup=ask_later, steps=False)
            else:
                chat.forget(job)  # its error is shown now; nothing was stored
    if jobs and not turns and all(j.state == "failed" for j in jobs):
        # Nothing was stored: drop the empty thread created for these questions.
        service.history.delete(thread_id, owner=owner)
        open_thread(None)


main()
