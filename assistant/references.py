"""An answer's reference list from its citation registry: one numbered line per Citation.

Renderers list these in place of any list written into the answer's text (the AnswerDoc's
references section): the Markdown and PDF exports and the CLI. The app shows the same
citations as expandable references (ui/components/references.py).
"""

from __future__ import annotations

from assistant.answer import Citation
from assistant.untrusted import safe_url, strip_controls

_WORDS = {
    "zh": {"refs": "参考资料", "window": "区间", "provider": "数据源", "as_of": "截至",
           "demo": "finsight 演示摘要,并非原文,请核对原文"},
    "en": {"refs": "References", "window": "window", "provider": "provider", "as_of": "as of",
           "demo": "finsight demo summary, not the original: check against the original"},
}


def reference_words(lang: str) -> dict[str, str]:
    """The reference list's fixed words in `lang` (English for anything but Chinese)."""
    return _WORDS.get(lang, _WORDS["en"])


def citation_line(c: Citation, lang: str = "en") -> str:
    """One numbered reference line, e.g. '[1] Morgan Stanley, 2026 Outlook, 2025-11-17, https://…'."""
    words = reference_words(lang)
    if c.kind == "market":
        parts = [c.title]
        if c.window:
            parts.append(f"{words['window']} {c.window}")
        if c.provider:
            parts.append(f"{words['provider']} {c.provider}")
        if c.as_of:
            parts.append(f"{words['as_of']} {c.as_of}")
    else:
        parts = [p for p in (c.publisher, c.title, c.date, safe_url(c.url)) if p]
        if c.demo:  # our restatement: every export says so, not only the app
            parts.append(f"({words['demo']})")
    # Plain text (the PDF sets it as such); Markdown renderers escape it.
    return f"[{c.id}] " + ", ".join(" ".join(strip_controls(p).split()) for p in parts)


__all__ = ["citation_line", "reference_words"]
