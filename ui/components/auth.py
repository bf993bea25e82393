"""Optional login for a shared deployment, and whose conversations this session sees.

Three modes, chosen per run:

- OIDC: Streamlit's built-in login (`[auth]` in `.streamlit/secrets.toml`); the identity comes
  from `st.user` and takes precedence over everything else.
- password: `FINSIGHT_AUTH_PASSWORD` is set; a user name and the shared password open the app.
  User names are self-declared (the password is shared), so this separates colleagues'
  histories, it does not prove who they are.
- none: a single local user; every conversation belongs to the owner "".

The gate stores the owner of the current run in session state; pages read it with
`current_owner()` and pass it to every conversation call.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import streamlit as st
from streamlit.errors import StreamlitAPIException

from assistant import first_line
from ui.components.service import get_settings
from ui.i18n import t

AuthMode = Literal["oidc", "password", "none"]
OWNER_KEY = "auth_owner"  # the owner of the current run, set by the gate
LOGIN_KEY = "auth_login"  # a password login: (owner, fingerprint of the password it matched)
ERROR_KEY = "auth_error"  # why the last sign-in was refused (an i18n key)
MAX_NAME = 64
# Fingerprints are keyed per process, so the stored value says nothing about the password.
_PROCESS_KEY = os.urandom(32)


@dataclass(frozen=True)
class Identity:
    """Who this run belongs to; `owner` is what the conversation store is keyed by."""

    mode: AuthMode
    owner: str
    display: str


def normalise_user(name: str) -> str:
    """A user name as an owner key: spaces collapsed, case folded, at most MAX_NAME characters."""
    return " ".join(name.split()).casefold()[:MAX_NAME]


def password_matches(entered: str, expected: str) -> bool:
    """Constant-time comparison, so the time taken says nothing about how much matched."""
    return hmac.compare_digest(entered.encode("utf-8"), expected.encode("utf-8"))


def _fingerprint(password: str) -> str:
    return hmac.new(_PROCESS_KEY, password.encode("utf-8"), hashlib.sha256).hexdigest()


def _shared_password() -> str | None:
    secret = get_settings().finsight_auth_password
    value = secret.get_secret_value() if secret is not None else ""
    return value or None


def _oidc_user() -> dict[str, object] | None:
    """`st.user` as a dict when OIDC is configured, else None.

    `is_logged_in` exists only when an `[auth]` section is configured, so its presence is the
    test; anything unexpected (no secrets file, an older Streamlit) means "not configured".
    """
    try:
        info = st.user.to_dict()
    except Exception:  # noqa: BLE001 - no OIDC support or no secrets: single-user or password mode
        return None
    return info if "is_logged_in" in info else None


def auth_mode() -> AuthMode:
    """Which login this run uses."""
    if _oidc_user() is not None:
        return "oidc"
    return "password" if _shared_password() else "none"


def identity() -> Identity | None:
    """The signed-in identity for this run, or None when a login is needed first."""
    oidc = _oidc_user()
    if oidc is not None:
        if not oidc.get("is_logged_in"):
            return None
        who = str(oidc.get("email") or oidc.get("sub") or "").strip()
        if not who:
            return None
        return Identity("oidc", "oidc:" + normalise_user(who), str(oidc.get("name") or who))
    password = _shared_password()
    if password is None:
        return Identity("none", "", "")
    login = st.session_state.get(LOGIN_KEY)
    # A login made with an earlier password does not survive a password change.
    if not login or not hmac.compare_digest(login[1], _fingerprint(password)):
        return None
    return Identity("password", "user:" + login[0], login[0])


def current_owner() -> str:
    """The owner of this run's conversations; stops the run if the gate has not let it through."""
    owner = st.session_state.get(OWNER_KEY)
    if owner is None:
        st.stop()
    return owner


def gate() -> Identity | None:
    """Decide this run's identity and record its owner; None means show the login page."""
    who = identity()
    if who is None:
        st.session_state.pop(OWNER_KEY, None)
    else:
        st.session_state[OWNER_KEY] = who.owner
    return who


def _check_password() -> None:
    """Form callback: sign in, or leave the reason for the page; the typed password is wiped."""
    entered = st.session_state.get("login-password") or ""
    # Cleared here, in the callback, so the password never survives into the rerun's widgets.
    st.session_state["login-password"] = ""
    password = _shared_password()
    user = normalise_user(st.session_state.get("login-user") or "")
    if not user:
        st.session_state[ERROR_KEY] = "login_no_user"
    elif password is None or not password_matches(entered, password):
        st.session_state[ERROR_KEY] = "login_wrong"
    else:
        st.session_state.pop(ERROR_KEY, None)
        st.session_state[LOGIN_KEY] = (user, _fingerprint(password))


def _password_login() -> None:
    with st.form("login-form"):
        st.text_input(t("login_user"), key="login-user", max_chars=MAX_NAME)
        st.text_input(t("login_password"), key="login-password", type="password")
        st.form_submit_button(t("login_submit"), type="primary", on_click=_check_password)
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error(t(error))


def _oidc_providers() -> list[str | None]:
    """Named providers (`[auth.<name>]`), or [None] for the single provider in `[auth]` itself."""
    try:
        section = st.secrets.get("auth") or {}
    except Exception:  # noqa: BLE001 - unreadable secrets: offer the default provider
        section = {}
    named = [key for key, value in section.items() if isinstance(value, Mapping)]
    return named or [None]


def _oidc_login() -> None:
    for provider in _oidc_providers():
        label = t("login_oidc", provider=provider) if provider else t("login_oidc_default")
        if st.button(label, key=f"login-oidc-{provider or 'default'}", type="primary"):
            try:
                st.login(provider)
            except StreamlitAPIException as exc:  # e.g. Authlib missing or an incomplete [auth]
                st.error(t("login_oidc_failed", reason=first_line(exc)))


def login_page() -> None:
    """The only page a signed-out visitor sees."""
    st.title(t("app_title"))
    st.subheader(t("login_title"))
    if auth_mode() == "oidc":
        _oidc_login()
    else:
        st.caption(t("login_hint"))
        _password_login()


def _logout(mode: AuthMode) -> None:
    for key in (LOGIN_KEY, OWNER_KEY, "thread_id"):
        st.session_state.pop(key, None)
    st.query_params.pop("t", None)
    if mode == "oidc":
        st.logout()


def account_box(who: Identity) -> None:
    """In the sidebar: who is signed in, and a logout button (nothing in single-user mode)."""
    if who.mode == "none":
        return
    st.caption(t("signed_in_as", name=who.display))
    st.button(t("logout"), key="logout", icon=":material/logout:", on_click=_logout, args=(who.mode,))
