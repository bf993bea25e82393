"""The `finsight` command: the terminal's edge of the app, beside `ui/` (both call `assistant`)."""

from cli.main import main

__all__ = ["main"]
