"""Secrets: the API key never appears in logs, errors, answers, exports, `finsight ask --json`,
stored state or the Settings repr; `.env` is ignored by git.

The endpoint here is hostile on purpose: a server on 127.0.0.1 that answers every request with an
error whose message echoes the Authorization header it received, as some proxies do.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.service import ResearchService
from assistant.settings import Settings
from knowledge import KnowledgeBase

KEY = "sk-test-SECRET-4b1e9d0c7a"
REPO = Path(__file__).resolve().parents[1]
QUESTION = "How did the Russell 2000 do versus the S&P 500 from Sep 2025 to Jan 2026?"


class _Echo(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 - http.server API
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization", "")
        body = json.dumps({"error": {"message": f"invalid request for key {auth}", "type": "invalid_request_error",
                                     "code": auth}}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def echo_url():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_settings_never_show_the_key():
    values = {"openai_api_key": KEY}
    if "finsight_auth_password" in Settings.model_fields:  # the shared-deployment password, when present
        values["finsight_auth_password"] = KEY
    settings = Settings(**values)
    shown = " ".join([repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())])
    assert KEY not in shown and "**********" in shown
    assert settings.openai_api_key.get_secret_value() == KEY  # the key itself is still usable


def test_llm_failure_leaks_the_key_nowhere(echo_url, market_data_dir, tmp_path, caplog, capfd):
    from ui.components.export import answer_markdown  # read-only use of the UI's export

    caplog.set_level(logging.DEBUG)  # every library's debug logging (openai, httpx, langchain)
    home = tmp_path / "home"
    settings = Settings(finsight_home=home, finsight_market_data_dir=market_data_dir, finsight_market_providers="csv",
                        openai_api_key=KEY, openai_base_url=echo_url, finsight_model="m", finsight_llm_retries=0,
                        finsight_demo_pack=False)
    events = []
    service = ResearchService(settings)
    for event in service.ask_stream(QUESTION):
        events.append(event)
    answer = events[-1].answer
    assert answer.mode == "offline" and any("HTTP 400" in n for n in answer.notes), answer.notes
    assert caplog.records, "debug logging was captured"  # the test really saw the libraries' logs

    seen = [caplog.text, *(r.getMessage() for r in caplog.records), *(repr(r.args) for r in caplog.records),
            *(e.model_dump_json() for e in events), answer_markdown(answer), *capfd.readouterr()]
    for text in seen:
        assert KEY not in text
    stored = [p.read_bytes() for p in home.rglob("*") if p.is_file()]
    assert stored and not any(KEY.encode() in data for data in stored)  # history, caches


def test_embedding_failure_message_has_no_key(echo_url, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    kb = KnowledgeBase(tmp_path / "store", embedding="openai:text-embedding-3-small", openai_api_key=KEY,
                       openai_base_url=echo_url)
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nRegional bank deposits stabilised in the fourth quarter.\n", encoding="utf-8")
    summary = kb.ingest([note])
    assert summary.failed and "embeddings failed" in summary.failed[0][1]
    assert KEY not in summary.failed[0][1] and KEY not in caplog.text


def test_cli_ask_json_has_no_key(echo_url, cli_env):
    env = {**cli_env, "OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": echo_url, "FINSIGHT_LLM_RETRIES": "0",
           "FINSIGHT_MODEL": "m"}
    out = subprocess.run([sys.executable, "-m", "cli", "ask", "--json", QUESTION], env=env, cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    answer = json.loads(out.stdout)
    assert answer["mode"] == "offline" and any("HTTP 400" in n for n in answer["notes"])
    assert KEY not in out.stdout and KEY not in out.stderr


def test_dotenv_is_ignored_by_git():
    lines = [line.strip() for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()]
    assert ".env" in lines
    checked = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=REPO, capture_output=True)
    assert checked.returncode == 0, "git does not ignore .env"
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", ".env"], cwd=REPO, capture_output=True)
    assert tracked.returncode != 0, ".env is tracked by git"
