"""finsight's Streamlit entry point: `streamlit run ui/app.py` (or `finsight ui`).

This file sets up the page, the language toggle, the login gate (shared deployments only) and
the mode box, then lets `st.navigation` run the selected page. The pages live in `ui/views/`,
not `ui/pages/`: Streamlit treats a `pages/` folder beside the entry script as an old-style
multipage app and may run a page script directly, skipping this file and its login gate.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run ui/app.py` puts ui/ on sys.path, not the repository root the packages live in.
_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from ui.components.auth import account_box, gate, login_page  # noqa: E402 - needs the path fix above
from ui.components.mode import mode_box  # noqa: E402
from ui.i18n import language_toggle, t  # noqa: E402

_PAGES = Path(__file__).resolve().parent / "views"

# An emoji icon: a ":material/..." page icon makes every browser fetch it from fonts.gstatic.com.
st.set_page_config(page_title="finsight", page_icon="📈", layout="wide")

with st.sidebar:
    language_toggle()

who = gate()
if who is not None:
    with st.sidebar:
        account_box(who)

page = st.navigation(
    [
        st.Page(_PAGES / "chat.py", title=t("page_chat"), icon=":material/forum:", url_path="chat", default=True),
        st.Page(_PAGES / "knowledge.py", title=t("page_knowledge"), icon=":material/library_books:", url_path="knowledge"),
        st.Page(_PAGES / "market.py", title=t("page_market"), icon=":material/show_chart:", url_path="market"),
    ],
    position="sidebar" if who is not None else "hidden",
)
if who is None:
    # Signed out: the login form instead of whichever page the URL named; nothing else runs.
    login_page()
    st.stop()
page.run()

# Drawn after the page so the page's own content paints first.
with st.sidebar:
    mode_box()
