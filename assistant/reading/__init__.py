"""Reading a question: the typed Request, its reader, and the rule tables it reads with."""

from .reader import (
           DEFAULT_WINDOW_MONTHS,
           default_window,
           is_level_symbol,
           previous_request,
           read_request,
)
from .request import Anchor, Instrument, Kind, Metric, Request, Window

__all__ = ["Anchor", "DEFAULT_WINDOW_MONTHS", "Instrument", "Kind", "Metric", "Request", "Window",
           "default_window", "is_level_symbol", "previous_request", "read_request"]
