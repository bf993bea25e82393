"""Making untrusted strings inert: document text and metadata, URLs, and the model's own text.

Documents (and a model that may have read one) can carry instructions, citation markers that
would claim one of our ids, terminal escape sequences, invisible characters, and Markdown that a
browser acts on: an image `![x](http://host/leak.png)` is fetched the moment the page renders, with
whatever the URL carries. Everything here is pure text processing; the rules are tables.

- `neutralise`: a document string (passage, title, publisher, author) made fit to quote.
- `safe_url`: a document URL validated and re-encoded (http/https, no Markdown metacharacters).
- `strip_controls`: control characters, ANSI/OSC sequences and invisible characters removed.
- `normalise_citations`: citation look-alikes (`［9］`, `\\[9\\]`, `【9】`) turned into `[9]`.
- `inert_markdown`: Markdown that renders no image, raw HTML or link it was not built with.
- `markdown_link`: the one place a link is built, from a label and a validated URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from knowledge.loaders.base import INVISIBLE, INVISIBLE_RANGES

# --- control and invisible characters --------------------------------------------------------

# Terminal escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte
# escapes, and their single-byte C1 forms.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI, e.g. colours and cursor movement
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, e.g. window titles and hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"     # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]"                    # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"            # 8-bit CSI
)
# Characters that are never content (C0/C1 controls, bidi overrides, zero-width characters, tag
# characters): the loaders' table, one definition for load time and for output.
_INVISIBLE = INVISIBLE


def strip_controls(text: str | None) -> str:
    """`text` without terminal escape sequences, control characters (tab, newline kept; a lone
    carriage return becomes a newline) and invisible characters."""
    if not text:
        return ""
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text)


# --- citation look-alikes --------------------------------------------------------------------

# Brackets that a reader (or a careless model) takes for our `[n]`; each pair is rewritten to it.
CITATION_BRACKETS: tuple[tuple[str, str], ...] = (
    (r"\[", r"\]"), ("［", "］"), ("【", "】"), ("〔", "〕"), ("〖", "〗"), ("⟦", "⟧"),
)
_DIGITS = "0-9０-９"
_LOOKALIKE = re.compile(
    "|".join(
        f"{re.escape(o)}\\s*([{_DIGITS}]{{1,3}}(?:\\s*[,，、]\\s*[{_DIGITS}]{{1,3}})*)\\s*{re.escape(c)}"
        for o, c in CITATION_BRACKETS
    )
    + f"|\\[\\s+([{_DIGITS}]{{1,3}})\\s*\\]|\\[([{_DIGITS}]{{1,3}})\\s+\\]"
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise_citations(text: str) -> str:
    """Citation look-alikes written as our `[n]`: `［9］`, `\\[9\\]`, `【9】`, `[ 9 ]`, `[９]`."""

    def plain(m: re.Match[str]) -> str:
        ids = next(g for g in m.groups() if g is not None).translate(_FULLWIDTH_DIGITS)
        return "[" + ", ".join(re.findall(r"\d+", ids)) + "]"

    text = _LOOKALIKE.sub(plain, text)
    return re.sub(r"\[([0-9０-９]{1,3})\]", lambda m: f"[{m.group(1).translate(_FULLWIDTH_DIGITS)}]", text)


def clean_model_text(text: str) -> str:
    """A model's (or a writer's) answer text before verification and display."""
    return normalise_citations(strip_controls(text))


# --- Markdown that does nothing ----------------------------------------------------------------

_IMAGE = re.compile(r"!\s*\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\s*(?:\([^)\n]*\)?|\[[^\]\n]*\])?")
_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?[^)\n]*\)")
_LINK_DEFINITION = re.compile(r"(?m)^( {0,3})\[([^\]\n]+)\]:")
# An unescaped character is one after an even number of backslashes.
_UNESCAPED = r"(?<!\\)((?:\\\\)*)"
_LINK_TARGET = re.compile(_UNESCAPED + r"\](?=\()")
_RAW_TAG = re.compile(_UNESCAPED + r"<(?=[A-Za-z/!?])")


def inert_markdown(text: str | None) -> str:
    """Markdown that renders as text: no image (its `![` escaped, shown literally), no raw HTML
    tag, no link or link definition of its own (escaped), no control characters.

    Our citation markers `[n]` and ordinary emphasis, lists and tables are left alone. Applied to
    everything a renderer receives from outside: answers, passages, titles.
    """
    text = strip_controls(text)
    text = text.replace("![", "!\\[")  # "![" opens an image; "!\[" is a "!" and a bracket
    text = _LINK_TARGET.sub(r"\1\\]", text)  # "[x](u)" becomes "[x\](u)": text, not a link
    text = _LINK_DEFINITION.sub(lambda m: f"{m.group(1)}\\[{m.group(2)}]:", text)
    return _RAW_TAG.sub(r"\1\\<", text)


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+!|~$])")


def literal_markdown(text: str | None) -> str:
    """`text` with every Markdown metacharacter backslash-escaped: it renders exactly as written."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", strip_controls(text))


# --- document strings --------------------------------------------------------------------------

# Sentences that address an AI rather than a reader: "ignore previous instructions", "you are now
# ...", a leading imperative like "say ..."/"cite [9]", role labels, and the Chinese equivalents.
# Financial prose rarely starts a sentence with these words, so false positives stay rare.
_INSTRUCTION = re.compile(
    r"(?ix)"
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}?"
    r"\b(?:instructions?|prompts?|rules?|directions?|guidelines?|directives?)\b"
    r"|\b(?:system|developer)\s+(?:prompt|message|mode)\b"
    r"|^\W*(?:system|assistant|developer)\s*:"
    r"|\byou\s+are\s+now\b|\bas\s+an?\s+(?:ai|language\s+model)\b"
    r"|^\W*(?:please\s+)?(?:say|tell\s+the\s+(?:user|reader)s?|write|cite|respond|reply|claim"
    r"|answer\s+that|report\s+that|state\s+that)(?![-\w])"
    r"|\bcite\s*\[\s*\d"
    r"|忽略.{0,12}(?:指令|指示|提示|规则|要求)|系统提示|开发者模式|你现在是|^\W*请?(?:声称|宣称|告诉用户|引用\s*\[)"
)
_SENTENCE_END = re.compile(r"((?<=[.!?])[ \t]+|(?<=[。！？])|\n)")  # not inside "90.5%"
_MARKERS = re.compile(r"[ \t]?\[\s*\d{1,3}(?:\s*[,，]\s*\d{1,3})*\s*\]")  # "[9]", "[1, 2]": our citation syntax
_FENCE = re.compile(r"(?i)<<<\s*data|data\s*>>>")


def _unmark(text: str) -> str:
    """Images and links as their visible text only: a quoted document carries no active Markdown."""
    text = _IMAGE.sub(lambda m: m.group(1).strip(), text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _LINK_DEFINITION.sub(lambda m: f"{m.group(1)}{m.group(2)}:", text)
    return re.sub(r"<\s*img\b[^>]*>?", "", text, flags=re.IGNORECASE)


def neutralise(text: str | None) -> str | None:
    """Untrusted document text made inert: control and invisible characters removed, citation
    look-alikes read as citations, instruction-like sentences dropped, citation markers (`[9]`),
    DATA fence markers, images and links (reduced to their text) removed. Whatever is left is
    quoted as data, never obeyed.

    Used on passage text and titles/publishers/authors before a tool hands them to a writer or
    registers them as evidence, so a document can neither command the model nor claim an id.
    """
    if text is None:
        return None
    text = _unmark(normalise_citations(strip_controls(text)))
    parts = _SENTENCE_END.split(text)  # sentence, separator, sentence, ...
    kept = [p for i, p in enumerate(parts) if p and (i % 2 or not _INSTRUCTION.search(p.strip()))]
    out = _FENCE.sub("", _MARKERS.sub("", "".join(kept)))
    return re.sub(r"[ \t]{2,}", " ", out).strip()


# Characters that mean something to Markdown (or end a URL in prose) are percent-encoded, so a
# URL placed in a link or in text can never close it or open another construct.
_URL_ESCAPES = {c: f"%{ord(c):02X}" for c in "()[]<>!`'\"*_{}|\\^ "}


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) URL with a host, Markdown metacharacters percent-encoded;
    else None (front matter or a model may say anything)."""
    if not url:
        return None
    url = url.strip()
    if _INVISIBLE.search(url) or re.search(r"\s", url) or _FENCE.search(url) or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host or parts.username or parts.password:
        return None
    return "".join(_URL_ESCAPES.get(c, c) for c in url)


def markdown_link(label: str, url: str | None) -> str:
    """A link built by our code: the label made inert, the URL validated; just the label when the
    URL is not acceptable."""
    text = literal_markdown(label)
    href = safe_url(url)
    return f"[{text}]({href})" if href else text


__all__ = ["CITATION_BRACKETS", "INVISIBLE_RANGES", "clean_model_text", "inert_markdown", "literal_markdown", "markdown_link",
           "neutralise", "normalise_citations", "safe_url", "strip_controls"]
