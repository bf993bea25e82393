"""The notes under an answer and the live step labels, in the interface's language.

Notes travel as codes with parameters (`assistant.notes.Note`) and are written out here from
the assistant's tables; an answer stored before notes had codes shows its notes as written.
"""

from __future__ import annotations

from assistant.answer import Answer
from assistant.notes import note_text, step_text


def localise_step(label: str, lang: str) -> str:
    """A fixed step label in `lang`; tool names and unknown labels unchanged."""
    return step_text(label, lang)


def notes_to_show(answer: Answer, lang: str) -> list[str]:
    """The notes to print under `answer`, in `lang`, minus those its text already says.

    The offline analyst both writes its "offline mode" line into the report and lists it as a
    note; printing it twice adds nothing.
    """
    texts = [note_text(n, lang) for n in answer.note_codes] if answer.note_codes else list(answer.notes)
    shown: list[str] = []
    for text in texts:
        if text.strip() and text.strip() not in answer.answer and text not in shown:
            shown.append(text)
    return shown
