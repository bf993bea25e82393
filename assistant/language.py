"""Which language a question is in: Chinese or English (the two finsight answers in)."""

from __future__ import annotations

import re
from typing import Literal

from knowledge.text import HAN

_CJK = HAN
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> Literal["zh", "en"]:
    """'zh' when Chinese characters carry the question, else 'en'.

    One Han character weighs about as much as a short English word, so a question such as
    "Russell 2000 今年表现如何" counts as Chinese.
    """
    han = len(_CJK.findall(text))
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    if han == 0:
        return "en"
    return "zh" if han * 2 >= latin_words else "en"


def has_supported_script(text: str) -> bool:
    """False for a question written in neither Chinese nor Latin script (e.g. Cyrillic, Arabic)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    known = sum(1 for c in letters if _CJK.match(c) or _LATIN.match(c))
    return known / len(letters) >= 0.5
