"""Clear refusals and qualifications: no data for an index, a window after the data, a guarantee.

Each says plainly, in the question's language, what cannot be answered and what can be asked
instead. None of them contains a figure: a refusal that invents a number is no refusal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assistant.offline.phrases import listing, phrase
from knowledge.market import CATALOGUE
from knowledge.text import HAN

_CJK = HAN


def display_name(symbol: str, lang: str) -> str:
    """The index's name for a reader: its Chinese alias in a Chinese answer, else its name."""
    info = CATALOGUE.get(symbol)
    if info is None:
        return symbol
    if lang == "zh":
        chinese = next((a for a in info.aliases if _CJK.search(a)), None)
        if chinese:
            return chinese
    return info.name


def available_list(symbols: Sequence[str], lang: str) -> str:
    """"RUT (Russell 2000), SPX (S&P 500)" or "罗素2000(RUT)、标普500(SPX)"."""
    if lang == "zh":
        return "、".join(f"{display_name(s, lang)}({s})" for s in symbols)
    return ", ".join(f"{s} ({display_name(s, lang)})" for s in symbols)


def example(lang: str, symbol: str = "RUT") -> str:
    """A question about `symbol` that the data can answer."""
    return phrase(lang, "example", name=display_name(symbol, lang))


def no_data(lang: str, names: Sequence[str], available: Sequence[str]) -> list[str]:
    """No figures at all: none of the indexes asked about has data."""
    suggestion = next((s for s in ("RUT", "SPX") if s in available), available[0] if available else "RUT")
    return [phrase(lang, "no_data", names=listing(lang, names), available=available_list(available, lang),
                   example=example(lang, suggestion)), ""]


def no_data_partial(lang: str, names: Sequence[str], kept: Sequence[str], available: Sequence[str]) -> list[str]:
    """Some indexes asked about have data, these do not: say which are left out."""
    return [phrase(lang, "no_data_partial", names=listing(lang, names),
                   kept=listing(lang, (display_name(s, lang) for s in kept)),
                   available=available_list(available, lang))]


def after_data(lang: str, last: date, start: date, end: date | None, symbol: str) -> list[str]:
    """The window starts after the last trading day in the data (usually: it is in the future)."""
    return [phrase(lang, "future", last=last.isoformat(), start=start.isoformat(),
                   end=(end or start).isoformat(), example=example(lang, symbol)), ""]


def guarantee(lang: str, with_history: bool) -> list[str]:
    """No return can be guaranteed; history, when shown below, is only for reference."""
    lines = [phrase(lang, "guarantee")]
    if with_history:
        lines.append(phrase(lang, "guarantee_history"))
    else:
        lines.append(phrase(lang, "guarantee_ask", example=example(lang)))
    return [*lines, ""]
