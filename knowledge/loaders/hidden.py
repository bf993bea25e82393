"""Removing text a browser would not show before HTML reaches the extractor.

Hidden text is a classic carrier for prompt injection: a reader never sees it, a scraper does.
This computes each element's effective visibility from its inline style and attributes, the way
a browser would for the properties that matter:

- hidden outright: `hidden`, `aria-hidden="true"`, `<input type=hidden>`, `display:none`,
  `visibility:hidden|collapse`, opacity (or an alpha colour) near zero, zero or tiny font size,
  `transform: scale(0)` (or scaleX/scaleY 0), zero height/width, clipped away, pushed off-screen;
- text coloured like what is behind it: the text colour (inline `color`, `<font color>`,
  inherited) against the nearest opaque background (inline `background(-color)`, `bgcolor`,
  else the page's white), so `<font color=white>` on a white page and `color:transparent` go;
- CSS escapes (`display:n\\6f ne`) and comments are decoded before any rule is read.

Styles from `<style>` sheets or external CSS are not evaluated (see docs/SECURITY.md).
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed")
WHITE = (255, 255, 255)
# Below these a glyph is not legible: a reader sees nothing.
MIN_FONT = {"px": 3.0, "pt": 2.25, "em": 0.2, "rem": 0.2, "%": 20.0, "vw": 0.2, "vh": 0.2, "": 0.5}
MIN_OPACITY = 0.1
MIN_SCALE = 0.1
SAME_COLOUR = 24  # largest per-channel difference still read as "the same colour"
OFFSCREEN_PX = 999

_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.DOTALL)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LENGTH = re.compile(r"^(-?[\d.]+)\s*([a-z%]*)$")
_SCALE = re.compile(r"scale(?:3d|x|y|z)?\(\s*([-\d.e]+)(?:\s*,\s*([-\d.e]+))?")
_ALPHA = re.compile(r"^(?:rgba?|hsla?)\((.*)\)$")


def css_unescape(text: str) -> str:
    """CSS text with comments removed and escapes (`\\6f `, `\\:`) decoded."""

    def decode(m: re.Match[str]) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return m.group(2)

    return _ESCAPE.sub(decode, _COMMENT.sub("", text))


def declarations(style: str) -> dict[str, str]:
    """property -> value of an inline style (decoded, lower case, `!important` dropped; last wins)."""
    out: dict[str, str] = {}
    for part in css_unescape(style).split(";"):
        name, sep, value = part.partition(":")
        if sep:
            out[name.strip().lower()] = " ".join(value.lower().replace("!important", "").split())
    return out


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _alpha(value: str) -> float:
    """The alpha of a CSS colour (1.0 when it has none)."""
    value = value.strip()
    if value == "transparent":
        return 0.0
    if re.fullmatch(r"#[0-9a-f]{4}|#[0-9a-f]{8}", value):
        digits = value[1:]
        a = digits[3] * 2 if len(digits) == 4 else digits[6:8]
        return int(a, 16) / 255
    m = _ALPHA.match(value)
    if m:
        parts = [p for p in re.split(r"[,/\s]+", m.group(1)) if p]
        if len(parts) == 4:
            raw = parts[3]
            number = _number(raw.rstrip("%"))
            if number is not None:
                return number / 100 if raw.endswith("%") else number
    return 1.0


def parse_colour(value: str | None) -> tuple[tuple[int, int, int], float] | None:
    """(rgb, alpha) of a CSS colour, or None when it is not one we can read."""
    from PIL import ImageColor

    if not value:
        return None
    value = value.strip().lower()
    alpha = _alpha(value)
    if value == "transparent":
        return (0, 0, 0), 0.0
    opaque = value
    m = _ALPHA.match(value)
    if m:  # rgba()/hsla() and the space syntax: read the first three channels
        name = value.split("(")[0].rstrip("a")
        channels = [c for c in re.split(r"[,\s/]+", m.group(1)) if c][:3]
        opaque = f"{name}({','.join(channels)})"
    elif re.fullmatch(r"#[0-9a-f]{4}|#[0-9a-f]{8}", value):
        opaque = value[:4] if len(value) == 5 else value[:7]
    try:
        rgb = ImageColor.getrgb(opaque)[:3]
    except ValueError:
        return None
    return (int(rgb[0]), int(rgb[1]), int(rgb[2])), alpha


def _tiny_font(value: str) -> bool:
    m = _LENGTH.match(value)
    if not m:
        return False
    number = _number(m.group(1))
    return number is not None and m.group(2) in MIN_FONT and number < MIN_FONT[m.group(2)]


def _zero_length(value: str) -> bool:
    m = _LENGTH.match(value)
    return bool(m) and _number(m.group(1)) == 0


def _offscreen(value: str) -> bool:
    m = _LENGTH.match(value)
    number = _number(m.group(1)) if m else None
    return number is not None and number <= -OFFSCREEN_PX


def hides_subtree(props: dict[str, str]) -> bool:
    """True when these declarations hide the element and everything in it."""
    if props.get("display") == "none" or props.get("visibility") in ("hidden", "collapse"):
        return True
    opacity = props.get("opacity")
    if opacity is not None:
        number = _number(opacity.rstrip("%"))
        if number is not None and (number / 100 if opacity.endswith("%") else number) < MIN_OPACITY:
            return True
    if _tiny_font(props.get("font-size", "")):
        return True
    for scale in _SCALE.finditer(props.get("transform", "") + " " + props.get("scale", "")):
        factors = [_number(g) for g in scale.groups() if g is not None]
        if any(f is not None and abs(f) < MIN_SCALE for f in factors):
            return True
    if props.get("scale") and (number := _number(props["scale"].split()[0])) is not None and abs(number) < MIN_SCALE:
        return True
    if any(_zero_length(props.get(p, "")) for p in ("height", "width", "max-height", "max-width")):
        return True
    if props.get("clip", "").replace(" ", "").startswith("rect(0") or "inset(50%" in props.get("clip-path", "") \
            or "inset(100%" in props.get("clip-path", "") or "circle(0" in props.get("clip-path", ""):
        return True
    return any(_offscreen(props.get(p, "")) for p in ("left", "top", "right", "text-indent", "margin-left", "margin-top"))


def is_hidden_style(style: str) -> bool:
    """True for an inline style that hides its text on its own: hidden outright, a transparent
    text colour, or text in the element's own background colour."""
    props = declarations(style)
    if hides_subtree(props):
        return True
    colour = parse_colour(props.get("color"))
    if colour is not None and colour[1] < MIN_OPACITY:
        return True
    background = parse_colour(_background(props))
    return colour is not None and background is not None and background[1] >= 0.5 and _same(colour[0], background[0])


def _background(props: dict[str, str]) -> str | None:
    if "background-color" in props:
        return props["background-color"]
    shorthand = props.get("background", "")
    # The colour in a `background` shorthand: the token that parses as one.
    for token in re.findall(r"(?:rgba?|hsla?)\([^)]*\)|#[0-9a-f]{3,8}\b|[a-z]+", shorthand):
        if parse_colour(token) is not None:
            return token
    return None


def _same(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) <= SAME_COLOUR


def _strip_invisible_text(root) -> None:
    """Walk down, carrying the inherited text colour and background; text whose colour matches
    what is behind it (or is transparent) is cleared where it sits. Iterative: nesting depth
    costs no stack."""
    stack = [(root, (0, 0, 0), WHITE, False)]  # a page is black on white unless it says otherwise
    while stack:
        el, colour, background, unseen = stack.pop()
        if not isinstance(el.tag, str):
            continue
        style, bgcolor = el.get("style"), el.get("bgcolor")
        ink = el.get("color") if el.tag == "font" else None
        if style or bgcolor or ink:  # most elements say nothing about colour: they inherit
            props = declarations(style or "")
            own = parse_colour(props.get("color")) or parse_colour(ink)
            if own is not None and own[1] >= MIN_OPACITY:
                colour = own[0]
            behind = parse_colour(_background(props)) or parse_colour(bgcolor)
            if behind is not None and behind[1] >= 0.5:
                background = behind[0]
            unseen = (own is not None and own[1] < MIN_OPACITY) or _same(colour, background)
        if unseen:
            el.text = None
            for child in el:
                child.tail = None
        stack.extend((child, colour, background, unseen) for child in el)


def strip_hidden(html: str) -> str:
    """The page without hidden elements, invisible text, scripts, templates and comments
    (serialised again)."""
    tree = lxml_html.document_fromstring(html.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    doomed = [el for el in tree.iter() if not isinstance(el.tag, str)]  # comments, processing instructions
    for el in tree.iter(*_DROP_TAGS):
        doomed.append(el)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        style = el.get("style")
        if el.get("hidden") is not None or el.get("aria-hidden", "").lower() == "true" or (
            el.get("type", "").lower() == "hidden"
        ) or (style and hides_subtree(declarations(style))):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text that follows the dropped element
    body = tree.find("body")
    if body is not None:
        _strip_invisible_text(body)
    return lxml_html.tostring(tree, encoding="unicode")
