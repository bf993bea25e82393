"""The one ResearchService per process, shared by every session and rerun.

`st.cache_resource` keeps it (and through it the market frames, the vector store client and
the conversation store) alive across reruns, so a click never reloads data or rebuilds the index.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from assistant import first_line

if TYPE_CHECKING:
    from assistant.service import ResearchService
    from assistant.settings import Settings

# Read by the login gate only: changing the password must not rebuild the service and its stores.
_UI_ONLY = ("FINSIGHT_AUTH_",)


@st.cache_resource(show_spinner=False)
def _service_for(key: str) -> ResearchService:
    # Imported here, not at module level, so the page shell paints before the heavy imports run.
    from assistant.service import ResearchService
    from assistant.settings import Settings

    service = ResearchService(Settings())
    # Load the embedding model and the knowledge index while the reader is still typing.
    threading.Thread(target=service.warm_up, name="finsight-warm-up", daemon=True).start()
    return service


def get_service() -> ResearchService:
    """The shared service for the current settings.

    Keyed by the environment and `.env` (not by a Settings object, which costs a few ms to build
    on every rerun), so a test that points FINSIGHT_HOME elsewhere gets its own service while
    ordinary reruns reuse the cached one.
    """
    return _service_for(settings_key(exclude=_UI_ONLY))


@st.cache_resource(show_spinner=False)
def _settings_for(key: str) -> Settings:
    from assistant.settings import Settings

    return Settings()


def get_settings() -> Settings:
    """The current settings, cached like the service (the login gate reads them on every run)."""
    return _settings_for(settings_key())


def settings_key(exclude: tuple[str, ...] = ()) -> str:
    """A cheap fingerprint of everything Settings reads: the relevant variables and `.env`.

    Variables whose names start with a prefix in `exclude` are left out of the fingerprint.
    """
    env = sorted(
        (k, v) for k, v in os.environ.items()
        if k.upper().startswith(("FINSIGHT_", "OPENAI_")) and not k.upper().startswith(exclude)
    )
    dotenv = Path(".env")
    stamp = dotenv.stat().st_mtime_ns if dotenv.is_file() else 0
    digest = hashlib.sha256(repr((env, os.getcwd(), stamp)).encode()).hexdigest()
    return digest[:16]


def market_error_text(cause: str | None, symbol: str | None, fallback: str) -> str:
    """A market-data failure in the interface language: what failed, why, what to do.

    `cause` is a `knowledge.market.errors.Cause` value; without one (or for an unknown one) the
    engine's own English line `fallback` is shown as it is.
    """
    from ui.i18n import t

    try:
        return t(f"cause_{cause}", symbol=symbol or "?") if cause else fallback
    except KeyError:
        return fallback


def describe_market_error(exc: BaseException) -> str:
    """`market_error_text` for an exception (a MarketDataError carries `cause` and `symbol`)."""
    return market_error_text(getattr(exc, "cause", None), getattr(exc, "symbol", None), first_line(exc))
