"""Which analyst answers (LLM and model, or offline) and how to switch, shown in the sidebar."""

from __future__ import annotations

import streamlit as st

from ui.components.service import get_service
from ui.i18n import current_lang, t


def mode_box() -> None:
    """A small badge with the mode, and a hint how to configure (or change) the model."""
    service = get_service()
    configured = service.settings.llm_configured
    if current_lang() == "en":
        label = service.mode_label()
    else:
        label = t("mode_badge_llm", model=service.settings.finsight_model) if configured else t("mode_badge_offline")
    st.divider()
    st.markdown(f"**{t('mode')}:** :{'green' if configured else 'orange'}-badge[{label}]")
    st.caption(t("mode_llm_hint") if configured else t("mode_offline_hint"))
