"""Running a loader under a real wall-clock and memory budget: a child process with limits.

A hostile file can make a parser spin or allocate without end (a zip that inflates to gigabytes,
a PDF whose streams decompress without bound, markup nested a million deep). Checks inside the
loaders catch the known shapes; this is the backstop for the rest. Each parse runs in a process
forked from a clean, single-threaded fork server (so no lock held by one of the app's threads is
inherited), with its address space capped by `RLIMIT_AS` and its life by a deadline after which
it is killed. The parent only ever receives a `Document`, a one-line `LoaderError`, or the
verdict that the budget ran out; the loader's memory never enters the app's process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import resource
import sys
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from knowledge.loaders.base import LoaderError
from knowledge.models import Document

# Imported once in the fork server, so each parse starts with the parsers already loaded.
_PRELOAD = ["knowledge.loaders", "knowledge.loaders.docx", "knowledge.loaders.html", "knowledge.loaders.pdf",
            "knowledge.loaders.text", "pypdf", "lxml.etree", "trafilatura"]


@dataclass(frozen=True)
class ParseBudget:
    """What one file may cost to parse: wall-clock seconds and memory beyond the parser's own
    start-up footprint (MB of address space)."""

    seconds: float = 60.0
    memory_mb: int = 768


DEFAULT_BUDGET = ParseBudget()
_context_lock = threading.Lock()
_context: Any = None


@contextlib.contextmanager
def _no_main_script() -> Iterator[None]:
    """Hide the parent's __main__ while a parse process is started.

    multiprocessing re-imports the parent's __main__ file in the forkserver and in each child.
    Under Streamlit's script runner (or its AppTest) that file is a page script, which must not
    run again in a parser process.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _fork_context() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            with _no_main_script():
                multiprocessing.forkserver.ensure_running()
            _context = ctx
        return _context


def _vm_size() -> int:
    """This process's current address-space size in bytes (0 when unknown)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(conn: multiprocessing.connection.Connection, loader: Any, data: bytes, name: str, memory_mb: int) -> None:
    """Parse in the child: cap the address space, run the loader, send back one tagged result."""
    limit = _vm_size() + memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result: tuple[str, Any] = ("ok", loader.load_bytes(data, name))
    except LoaderError as exc:
        result = ("refused", str(exc))
    except MemoryError:
        result = ("memory", None)
    except RecursionError:
        result = ("refused", "the document is nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - a parser bug is reported in one line, never raised across
        result = ("error", f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}")
    try:
        conn.send((*result, _peak_rss_mb()))
    except MemoryError:
        conn.send(("memory", None, _peak_rss_mb()))
    conn.close()


@dataclass
class ParseReport:
    """How a sandboxed parse went: seconds, the child's peak RSS (MB) and the outcome."""

    seconds: float = 0.0
    child_peak_mb: float | None = None
    outcome: str = ""


def load_in_sandbox(loader: Any, data: bytes, name: str, budget: ParseBudget = DEFAULT_BUDGET,
                    report: ParseReport | None = None) -> Document:
    """`loader.load_bytes(data, name)` in a child process under `budget`; raises LoaderError with
    a one-line reason when the loader refuses the file or the budget runs out."""
    ctx = _fork_context()
    started = time.perf_counter()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, loader, data, name, budget.memory_mb), daemon=True)
    with _context_lock, _no_main_script():
        process.start()
    sender.close()
    message: tuple[str, Any, float] | None = None
    try:
        if receiver.poll(max(budget.seconds, 0.0)):
            with contextlib.suppress(EOFError, OSError):
                message = receiver.recv()
    finally:
        receiver.close()
        process.join(timeout=1.0 if message is not None else 0)
        if process.is_alive():
            process.kill()
            process.join()
    if report is not None:
        report.seconds = time.perf_counter() - started
        report.child_peak_mb = message[2] if message else None
        report.outcome = message[0] if message else ("timeout" if process.exitcode == -9 else "crashed")
    if message is None:
        if time.perf_counter() - started >= budget.seconds:
            raise LoaderError(f"reading the file took over {budget.seconds:g} s and was stopped; "
                              "split it or save it again in a simpler form")
        raise LoaderError(f"the parser stopped (exit {process.exitcode}), most likely out of its "
                          f"{budget.memory_mb} MB memory budget; split the file or save it again")
    kind, value, _ = message
    if kind == "ok":
        return value
    if kind == "memory":
        raise LoaderError(f"reading the file needed more than its {budget.memory_mb} MB memory budget; "
                          "split it or save it again in a simpler form")
    if kind == "error":
        raise LoaderError(f"could not read the file ({value})")
    raise LoaderError(value)


__all__ = ["DEFAULT_BUDGET", "ParseBudget", "ParseReport", "load_in_sandbox"]
