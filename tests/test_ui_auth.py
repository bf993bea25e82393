"""Optional login for a shared deployment, through Streamlit's AppTest against the real service.

No password: the chat shows at once (single-user mode). With FINSIGHT_AUTH_PASSWORD: a login
form first, and each user sees only their own conversations. With Streamlit's OIDC (`st.user`
carrying `is_logged_in`): its identity is used instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.history import ConversationStore
from tests.test_ui_apptest import APP, TIMEOUT, all_text, ask, fresh_app, ui_env  # noqa: F401 - ui_env is a fixture
from ui.components.auth import normalise_user, password_matches

PASSWORD = "correct-horse-7Qz!battery"


@pytest.fixture
def shared_env(ui_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811 - the imported fixture
    monkeypatch.setenv("FINSIGHT_AUTH_PASSWORD", PASSWORD)
    return ui_env


def page_strings(at: AppTest) -> str:
    """Everything the page shows, plus what its text widgets hold."""
    values = [w.value for w in (*at.text_input, *at.text_area)]
    return all_text(at) + "\n" + "\n".join(str(v) for v in values) + "\n" + "\n".join(b.label for b in at.button)


def sign_in(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input(key="login-user").input(user)
    at.text_input(key="login-password").input(password)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception, at.exception
    return at


def test_without_password_the_chat_shows_directly(ui_env: Path) -> None:  # noqa: F811
    at = fresh_app()
    assert at.chat_input, "single-user mode needs no login"
    assert not [w for w in at.text_input if w.key == "login-password"]
    assert not [b for b in at.button if b.key == "logout"]


def test_wrong_password_is_refused_and_no_chat_is_rendered(shared_env: Path) -> None:
    at = fresh_app()
    assert not at.chat_input and at.text_input(key="login-password").value == ""
    sign_in(at, "alice", "not-the-password")
    assert any("Wrong password" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.chat_input
    assert not [b for b in at.button if (b.key or "").startswith("conv-")]
    assert "auth_owner" not in at.session_state
    # An empty user name is refused even with the right password.
    sign_in(at, "   ", PASSWORD)
    assert any("user name" in e.value for e in at.error)
    assert not at.chat_input
    assert PASSWORD not in page_strings(at)


def test_right_password_opens_the_chat_and_logout_closes_it(shared_env: Path) -> None:
    at = sign_in(fresh_app(), "Alice", PASSWORD)
    assert at.chat_input
    assert any("Signed in as alice" in c.value for c in at.caption)
    assert PASSWORD not in page_strings(at)
    at.button(key="logout").click().run()
    assert not at.chat_input
    assert at.text_input(key="login-password").value == ""


def test_each_user_sees_only_their_own_conversations(shared_env: Path) -> None:
    alice = sign_in(fresh_app(), "alice", PASSWORD)
    ask(alice, "How did the Russell 2000 do in 2025?")
    thread = alice.session_state["thread_id"]
    assert alice.button(key=f"conv-{thread}")

    bob = sign_in(fresh_app(), "bob", PASSWORD)
    assert not [b for b in bob.button if b.key == f"conv-{thread}"]
    assert any("No conversations yet" in c.value for c in bob.caption)
    # Not through the URL either: bob opening alice's thread id gets an empty, new conversation.
    bob.query_params["t"] = thread
    bob.run()
    assert not [m for m in bob.chat_message if m.name == "user"]
    assert bob.session_state["thread_id"] is None
    # And not as the single local user: the thread was stored under alice's name.
    store = ConversationStore(shared_env / "history.sqlite3")
    assert thread not in {t.id for t in store.threads(owner="")}
    assert store.turns(thread, owner="") == []

    # The same user, typed differently, is the same owner.
    again = sign_in(fresh_app(), "  ALICE ", PASSWORD)
    assert again.button(key=f"conv-{thread}")


def test_oidc_identity_takes_precedence(shared_env: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    assert not at.chat_input and not at.text_input, "OIDC sign-in, not the password form"
    at.button(key="login-oidc-default").click().run()
    # No [auth] provider is really configured here (and Authlib may be missing): one clear line.
    assert not at.exception and any("Sign-in is not available" in e.value for e in at.error)

    at.user = {"is_logged_in": True, "email": "Carol@Example.com", "name": "Carol"}
    at.run()
    assert at.chat_input
    assert any("Signed in as Carol" in c.value for c in at.caption)
    ask(at, "How did the S&P 500 do in 2025?")
    thread = at.session_state["thread_id"]
    store = ConversationStore(shared_env / "history.sqlite3")
    assert thread not in {t.id for t in store.threads(owner="")}
    # Namespaced: a password user who types "carol@example.com" is a different owner.
    assert thread in {t.id for t in store.threads(owner="oidc:carol@example.com")}
    assert thread not in {t.id for t in store.threads(owner="user:carol@example.com")}


def test_user_names_and_password_comparison() -> None:
    assert normalise_user("  Alice \t Smith ") == "alice smith"
    assert normalise_user("Ｘ" * 100) == "ｘ" * 64
    assert password_matches(PASSWORD, PASSWORD)
    assert not password_matches(PASSWORD[:-1], PASSWORD)
    assert not password_matches("", PASSWORD)
    assert password_matches("密码", "密码")
