"""Pure text helpers for laying out an answer's Markdown around charts and the reference list."""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_HEADING_PARTS = re.compile(r"^(\s{0,3})(#{1,6})(\s+\S)", re.MULTILINE)
_REF_HEADING = re.compile(
    r"^\s{0,3}#{1,6}\s*(参考资料|参考文献|参考来源|资料来源|references|sources)\s*[:：]?\s*$", re.IGNORECASE
)
_REF_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)?\s*\\?\[\d+\\?\]")


def sections(text: str) -> list[str]:
    """The text cut before every Markdown heading; joining the pieces gives the text back."""
    pieces: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if _HEADING.match(line) and pieces[-1]:
            pieces.append([])
        pieces[-1].append(line)
    return ["".join(p) for p in pieces if p]


def demote_headings(text: str, by: int = 1) -> str:
    """Headings `by` levels smaller (at most h6): an answer inside a chat bubble should not shout."""

    def shrink(match: re.Match[str]) -> str:
        return match.group(1) + "#" * min(len(match.group(2)) + by, 6) + match.group(3)

    return _HEADING_PARTS.sub(shrink, text)


def split_for_charts(text: str) -> tuple[str, str]:
    """(head, tail): charts go after the opening run of sections that cite market data `[0]`.

    That is where a reader meets the performance and relative-strength figures, so the picture
    sits next to the numbers. Without any `[0]` the charts go at the end.
    """
    parts = sections(text)
    seen_market = False
    for i, part in enumerate(parts):
        if "[0]" in part:
            seen_market = True
        elif seen_market:
            return "".join(parts[:i]), "".join(parts[i:])
    return text, ""


def strip_reference_list(text: str) -> str:
    """The text without its own numbered reference list (the UI shows expandable references instead).

    Only the heading and the `[n] …` items under it go; a disclaimer after the list stays.
    """
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if _REF_HEADING.match(lines[i]):
            j = i + 1
            # Items, blank lines and indented continuation lines belong to the list.
            while j < len(lines) and (
                not lines[j].strip() or _REF_ITEM.match(lines[j]) or lines[j].startswith(("  ", "\t"))
            ):
                j += 1
            if j > i + 1 and any(_REF_ITEM.match(x) for x in lines[i + 1 : j]):
                i = j
                continue
        out.append(lines[i])
        i += 1
    return "".join(out)
