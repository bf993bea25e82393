"""The conversations sidebar: new, switch, rename, delete (stored in SQLite by ConversationStore).

The current thread id lives in session state and in the URL (`?t=<id>`), so a browser reload
reopens the same conversation. Every call names the signed-in owner (see `ui.components.auth`),
so a user only ever lists, opens, renames or deletes their own conversations.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from assistant.history import ConversationStore, Thread
from ui.components.auth import current_owner
from ui.i18n import t

THREAD_KEY = "thread_id"
MAX_LISTED = 40


def current_thread() -> str | None:
    """The open conversation: session state first, then the URL after a reload."""
    if THREAD_KEY not in st.session_state:
        st.session_state[THREAD_KEY] = st.query_params.get("t")
    return st.session_state[THREAD_KEY]


def open_thread(thread_id: str | None) -> None:
    """Switch to `thread_id` (None starts a new conversation on the next question)."""
    st.session_state[THREAD_KEY] = thread_id
    if thread_id:
        st.query_params["t"] = thread_id
    else:
        st.query_params.pop("t", None)


def thread_label(thread: Thread) -> str:
    """The sidebar label: the title and the day the conversation was last used (local time)."""
    try:
        day = datetime.fromisoformat(thread.updated_at).astimezone().date().isoformat()
    except ValueError:
        day = thread.updated_at[:10]
    return t("thread_label", title=thread.title, date=day)


def _rename(store: ConversationStore, thread_id: str, owner: str) -> None:
    title = (st.session_state.get(f"rename-{thread_id}") or "").strip()
    if title:
        store.rename(thread_id, title, owner=owner)


def _delete(store: ConversationStore, thread_id: str, owner: str) -> None:
    store.delete(thread_id, owner=owner)
    open_thread(None)


def conversations_sidebar(store: ConversationStore) -> None:
    """Render the list of conversations in the sidebar with buttons to manage the open one."""
    current = current_thread()
    owner = current_owner()
    threads = store.threads(owner=owner)
    known = {th.id for th in threads}
    if current and current not in known:
        # Deleted elsewhere or a stale URL: start fresh rather than show an empty ghost thread.
        open_thread(None)
        current = None
    with st.sidebar:
        st.subheader(t("conversations"))
        st.button(t("new_chat"), key="conv-new", icon=":material/add:", on_click=open_thread, args=(None,),
                  width="stretch")
        if not threads:
            st.caption(t("no_conversations"))
        for th in threads[:MAX_LISTED]:
            st.button(
                thread_label(th),
                key=f"conv-{th.id}",
                type="primary" if th.id == current else "tertiary",
                on_click=open_thread,
                args=(th.id,),
                width="stretch",
            )
        if current:
            title = next(th.title for th in threads if th.id == current)
            with st.expander(t("manage")):
                st.text_input(t("rename_label"), value=title, key=f"rename-{current}", max_chars=120)
                st.button(t("rename"), key="conv-rename", on_click=_rename, args=(store, current, owner))
                confirm = st.checkbox(t("delete_confirm"), key=f"confirm-{current}")
                st.button(t("delete"), key="conv-delete", disabled=not confirm, on_click=_delete,
                          args=(store, current, owner), type="secondary", icon=":material/delete:")
