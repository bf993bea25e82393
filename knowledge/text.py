"""Small text facts shared by every layer: what counts as a Chinese (Han) character, and the
one line of an exception a person is shown. Lives at the bottom of the import graph so the UI,
the assistant and the knowledge base agree on both."""

from __future__ import annotations

import re

# CJK Unified Ideographs, Extension A and the compatibility block: the characters of Chinese text.
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_CHARS}]")
HAN_RUN = re.compile(f"[{HAN_CHARS}]+")


def first_line(error: BaseException) -> str:
    """The first line of an exception's message (its type name when empty): never a traceback."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
