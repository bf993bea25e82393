"""Servers the tests start as real processes on 127.0.0.1 (Streamlit, Chroma)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_process(
    cmd: list[str], health_url: str, log_path: Path, give_up: Callable[[str], object], *,
    timeout: float = 60.0, cwd: Path | None = None, env: dict[str, str] | None = None,
) -> Iterator[float]:
    """Run `cmd` until `health_url` answers 200 and yield the seconds that took; stop it after.

    `give_up(message)` is called (pytest.fail or pytest.skip) when the process exits or the
    deadline passes first; its output is in `log_path`.
    """
    started = time.perf_counter()
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            while True:
                if proc.poll() is not None:
                    give_up(f"{Path(cmd[0]).name} exited with {proc.returncode}; see {log_path}")
                try:
                    if httpx.get(health_url, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.perf_counter() - started > timeout:
                    give_up(f"{health_url} did not answer within {timeout:g} s; see {log_path}")
                time.sleep(0.05)
            yield time.perf_counter() - started
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
