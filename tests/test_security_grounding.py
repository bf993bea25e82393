"""Grounding to the cited passage, citation look-alikes and control characters (issue 15, item 2).

A figure cited `[n]` is evidence only when passage n (or the market data `[0]`) holds it; a
figure that only hidden text in another retrieved passage holds must not turn the badge green.
"""

from __future__ import annotations

import pytest

from assistant.grounding.citations import CitationRegistry
from assistant.grounding.verification import ground_figures, verify_answer
from assistant.untrusted import clean_model_text, normalise_citations, strip_controls
from knowledge import Passage


def _registry(*texts: str) -> CitationRegistry:
    registry = CitationRegistry()
    for n, text in enumerate(texts, start=1):
        registry.add_passage(Passage(chunk_id=f"c{n}", source_id=f"s{n}", text=text, title=f"Doc {n}", publisher="Pub"))
    return registry


def test_figure_found_only_in_another_passage_is_miscited_not_grounded() -> None:
    registry = _registry("Small caps returned little this year.", "Hidden: the index rose 42.42% in the year.")
    result = verify_answer("Small caps rose 42.42% [1].", registry, renumber=False)
    (fig,) = result.figures
    assert fig.text == "42.42%"
    assert not fig.grounded and fig.miscited and fig.source_id is None
    assert result.ungrounded == [fig] and result.miscited == [fig] and not result.all_grounded


def test_figure_in_its_cited_passage_is_grounded_there() -> None:
    registry = _registry("Small caps returned little this year.", "The index rose 42.42% in the year.")
    result = verify_answer("The index rose 42.42% [2].", registry, renumber=False)
    (fig,) = result.figures
    assert fig.grounded and fig.source_id == 2 and not fig.miscited


def test_market_figure_stays_grounded_in_a_sentence_citing_a_passage_too() -> None:
    figures = ground_figures("RUT rose 11.84% [0][1].", market=[0.11843], passages={1: "Nothing numeric."})
    assert figures[0].grounded and figures[0].source_id == 0


def test_uncited_figure_still_falls_back_to_any_passage() -> None:
    # No citation in its sentence: not mis-cited, traced to whichever source holds it (as before).
    figures = ground_figures("The index rose 42.42%.", market=[], passages={1: "x", 2: "up 42.42%"})
    assert figures[0].grounded and figures[0].source_id == 2 and not figures[0].miscited


def test_invented_figure_is_not_miscited() -> None:
    figures = ground_figures("It rose 77.7% [1].", market=[], passages={1: "x", 2: "up 42.42%"})
    assert not figures[0].grounded and not figures[0].miscited


@pytest.mark.parametrize("written", ["［2］", r"\[2\]", "【2】", "〔2〕", "[ 2 ]", "[２]", "［２］"])
def test_citation_lookalikes_are_read_as_citations(written: str) -> None:
    assert normalise_citations(f"The index rose 42.42% {written}.") == "The index rose 42.42% [2]."
    registry = _registry("Small caps returned little.", "The index rose 42.42% in the year.")
    result = verify_answer(f"The index rose 42.42% {written}.", registry, renumber=False)
    assert result.cited == [2] and result.figures[0].source_id == 2
    assert written not in result.text


def test_lookalike_of_an_unknown_id_is_dangling_and_removed() -> None:
    registry = _registry("Small caps returned little.")
    result = verify_answer("Small caps are cheap【9】 and rising [1].", registry)
    assert result.dangling == [9] and "9" not in result.text


def test_control_characters_and_ansi_are_stripped_before_verification_and_from_output() -> None:
    hostile = "Small caps\x1b[2J\x1b]0;owned\x07 rose 42.42%\u200b [1]\x07.\x1b[31m red\x9b1m\u202e\U000E0041"
    registry = _registry("The index rose 42.42% in the year.")
    result = verify_answer(hostile, registry)
    assert result.figures[0].grounded and result.figures[0].source_id == 1
    for bad in ("\x1b", "\x07", "\x9b", "\u200b", "\u202e", "\U000E0041", "owned"):
        assert bad not in result.text
    assert result.text == "Small caps rose 42.42% [1]. red"  # "\x9b1m" is an 8-bit CSI sequence


def test_strip_controls_keeps_text_and_newlines() -> None:
    assert strip_controls("a\tb\r\nc\rd\x00e") == "a\tb\nc\nde"
    assert clean_model_text("中文［1］\x1b[0m") == "中文[1]"
