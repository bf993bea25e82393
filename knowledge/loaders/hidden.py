"""Removing text a browser would not show before HTML reaches the extractor.

Hidden text is a classic carrier for prompt injection: a reader never sees it, a scraper does.
trafilatura already drops scripts, comments and `display:none` blocks; this also removes
elements that are hidden by attribute or by inline style (zero size, zero opacity, text in the
background colour, pushed off-screen). Styles from `<style>` sheets or external CSS are not
evaluated (see docs/SECURITY.md).
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed")
_HIDDEN_STYLE = re.compile(
    r"(?i)display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|(?:^|[;\s])(?:font-size|opacity|max-height|height|width)\s*:\s*0+(?:\.0+)?(?:px|em|rem|pt|%)?\s*(?:;|!|$)"
    r"|(?:left|top|right|text-indent|margin-left)\s*:\s*-\d{3,}"
    r"|clip\s*:\s*rect\(\s*0"
)
_COLOR = re.compile(r"(?i)(?:^|;)\s*(color|background(?:-color)?)\s*:\s*([^;!]+)")
_NAMED = {"white": "#ffffff", "black": "#000000", "transparent": "transparent"}


def _colour(value: str) -> str:
    value = value.strip().lower().replace(" ", "")
    value = _NAMED.get(value, value)
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    rgb = re.fullmatch(r"rgba?\((\d+),(\d+),(\d+)(?:,[\d.]+)?\)", value)
    if rgb:
        value = "#" + "".join(f"{int(n):02x}" for n in rgb.groups())
    return value


def is_hidden_style(style: str) -> bool:
    """True for an inline style that hides its text (including text in its own background colour)."""
    if _HIDDEN_STYLE.search(style):
        return True
    colours = {name.lower().split("-")[0]: _colour(value) for name, value in _COLOR.findall(style)}
    return colours.get("color") is not None and colours.get("color") == colours.get("background")


def strip_hidden(html: str) -> str:
    """The page without hidden elements, scripts, templates and comments (serialised again)."""
    tree = lxml_html.document_fromstring(html.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    doomed = [el for el in tree.iter() if not isinstance(el.tag, str)]  # comments, processing instructions
    for el in tree.iter(*_DROP_TAGS):
        doomed.append(el)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("hidden") is not None or el.get("aria-hidden", "").lower() == "true" or (
            el.get("type", "").lower() == "hidden"
        ) or is_hidden_style(el.get("style", "")):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text that follows the dropped element
    return lxml_html.tostring(tree, encoding="unicode")

