"""Settings come from the environment and .env, and the key never shows."""

from __future__ import annotations

from assistant.language import detect_language, has_supported_script
from assistant.settings import Settings


def test_environment_overrides_and_key_is_hidden(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("FINSIGHT_MODEL=from-dotenv\nOPENAI_API_KEY=sk-dotenv-123\n")
    monkeypatch.setenv("FINSIGHT_HOME", str(tmp_path / "state"))
    s = Settings()
    assert s.finsight_model == "from-dotenv"
    assert s.home == tmp_path / "state" and s.home.is_dir()
    assert s.llm_configured
    assert "sk-dotenv-123" not in repr(s) and "sk-dotenv-123" not in str(s.model_dump())


def test_no_key_means_offline(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    assert not Settings().llm_configured


def test_language_of_questions():
    assert detect_language("小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?") == "zh"
    assert detect_language("Russell 2000 今年表现如何?") == "zh"
    assert detect_language("How did the Russell 2000 do versus the S&P 500?") == "en"
    assert has_supported_script("Как дела у индекса?") is False
    assert has_supported_script("小盘股 vs large caps") is True
