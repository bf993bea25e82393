"""`make run` / `finsight ui` as a user runs them: SIGTERM stops the app and frees the port,
and a port already in use gets one line naming it and the setting to change."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO
from tests.processes import free_port

BIN = Path(sys.executable).parent


def _env(port: int, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FINSIGHT_"))}
    # PYTHONPATH: this checkout's code, not whatever the venv's editable install points at.
    env.update(FINSIGHT_PORT=str(port), FINSIGHT_HOME=str(home), PYTHONPATH=str(REPO))
    return env


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_sigterm_to_make_run_stops_streamlit_and_frees_the_port(tmp_path: Path) -> None:
    port = free_port()
    # -o: treat the venv as installed (never reinstall the shared venv from a test).
    cmd = ["make", "--no-print-directory", "-o", f"{BIN}/finsight", f"BIN={BIN}", "run"]
    log = (tmp_path / "run.log").open("w")
    proc = subprocess.Popen(cmd, cwd=REPO, env=_env(port, tmp_path), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "run.log").read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the app did not come up"
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)  # to make only, as a service manager or `kill` would
        proc.wait(timeout=20)
        deadline = time.monotonic() + 20
        while not _port_free(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _port_free(port), f"port {port} still taken after SIGTERM"
        leftover = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert leftover == [], f"processes left running: {leftover}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # only this test's own process group
        log.close()


def test_a_port_in_use_gets_one_line_naming_it_and_the_setting(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = subprocess.run([sys.executable, "-m", "cli", "ui"], cwd=tmp_path, env=_env(port, tmp_path),
                             capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert f"port {port}" in lines[0] and "FINSIGHT_PORT" in lines[0] and "Traceback" not in out.stderr
