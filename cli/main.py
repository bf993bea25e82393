"""`finsight` command line: ui, ask, metrics, ingest, search, sources.

Every failure a user can cause prints one line saying what to do and exits non-zero;
tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path
from typing import NoReturn

from assistant.settings import Settings


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage block; one line with the fix reads better.
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="finsight", description="Research assistant for finance: every figure computed, every claim cited.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    ui = sub.add_parser("ui", help="start the Streamlit app in the browser")
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ui.add_argument("--port", type=int, default=None, help="port (default FINSIGHT_PORT, else 8501)")

    ask = sub.add_parser("ask", help="ask a question and get a cited answer")
    ask.add_argument("question", help="the question, in Chinese or English")
    ask.add_argument("--thread", help="continue this conversation (id printed after each answer)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")

    m = sub.add_parser("metrics", help="index metrics over a window, computed from prices")
    m.add_argument("symbols", nargs="+", metavar="SYMBOL", help="e.g. RUT SPX, or aliases like 'Russell 2000'")
    m.add_argument("--start", help="first day, YYYY-MM-DD")
    m.add_argument("--end", help="last day, YYYY-MM-DD")
    m.add_argument("--period", help="a period in words instead, e.g. YTD, 'last 3 months', 2025年9月至2026年1月")
    m.add_argument("--json", action="store_true", help="print JSON (fractions, not percents)")
    m.add_argument("--chart", action="store_true", help="with --json, include the chart series")

    ing = sub.add_parser(
        "ingest",
        help="add files, folders or URLs to the knowledge base",
        description="Add PDF, HTML, Markdown, text or DOCX files, folders, or http(s) pages. "
        "Unchanged documents are skipped; changed ones replace their old version. "
        "Exits 1 if any item failed (the others are still ingested).",
    )
    ing.add_argument("items", nargs="+", metavar="PATH_OR_URL")
    ing.add_argument("--json", action="store_true", help="print the summary as JSON")

    s = sub.add_parser("search", help="search the knowledge base")
    s.add_argument("query", nargs="?", help="what to look for")
    s.add_argument("--k", type=int, default=8, help="how many passages (default 8)")
    s.add_argument("--from", dest="date_from", help="published on or after YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", help="published on or before YYYY-MM-DD")
    s.add_argument("--publisher", help="only this publisher")
    s.add_argument("--language", help="only this language (en, zh)")
    s.add_argument("--queries-file", type=Path, help="one query a line; prints one JSON line per query")
    s.add_argument("--json", action="store_true", help="print JSON")

    rei = sub.add_parser(
        "reindex",
        help="re-embed the knowledge base with the configured embedding model",
        description="After changing FINSIGHT_EMBEDDING: embed every stored passage again with the new "
        "model (original files and URLs are not needed). The old index stays in use until it finishes.",
    )
    rei.add_argument("--json", action="store_true", help="print the result as JSON")

    src = sub.add_parser("sources", help="list the knowledge base's sources, or remove one")
    src.add_argument("action", nargs="?", choices=["list", "remove"], default="list")
    src.add_argument("source_id", nargs="?", help="with remove: the source id to delete")
    src.add_argument("--json", action="store_true", help="print JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `finsight` command."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
        if args.command == "ui":
            return _run_ui(args, settings)
        from cli import commands  # heavy imports only once a command runs

        return getattr(commands, args.command)(args, settings)
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped reading; that is not an error of ours.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("finsight: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        from cli.commands import describe_error

        message, code = describe_error(exc)
        print(f"finsight: {message}", file=sys.stderr)
        if os.environ.get("FINSIGHT_DEBUG"):
            raise
        return code


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _run_ui(args: argparse.Namespace, settings: Settings) -> int:
    app = Path(__file__).resolve().parent.parent / "ui" / "app.py"
    port = args.port if args.port is not None else settings.finsight_port
    if _port_taken(args.host, port):
        print(f"finsight: port {port} on {args.host} is already in use (another finsight or Streamlit?): stop it, "
              f"or choose another port with FINSIGHT_PORT={port + 1} (or --port {port + 1}).", file=sys.stderr)
        return 1
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", args.host, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]
    print(f"finsight: open http://{args.host}:{port} in your browser (Ctrl+C stops)", file=sys.stderr, flush=True)
    # exec, not a child process: SIGTERM or Ctrl+C sent to `finsight ui` (or to `make run`,
    # which passes SIGTERM to its child) reaches Streamlit itself, so the port is freed.
    os.execv(sys.executable, cmd)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
