"""Reading a question: the typed Request (`request`), its one reader (`reader`) with the rule
tables it reads with (`tables`, `cues`, `time_table`), the time-expression reader (`windows`),
and the earlier turns as Requests (`stored`)."""

from assistant.reading.reader import DEFAULT_WINDOW_MONTHS, default_window, read_request
from assistant.reading.request import Anchor, Instrument, Kind, Metric, Request, Window
from assistant.reading.stored import is_level_symbol, previous_request, previous_requests

__all__ = ["Anchor", "DEFAULT_WINDOW_MONTHS", "Instrument", "Kind", "Metric", "Request", "Window",
           "default_window", "is_level_symbol", "previous_request", "previous_requests", "read_request"]
