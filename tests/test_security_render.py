"""No remote image and no active Markdown from documents or models (issue 15, item 1).

Unit tests parse what each renderer receives with a real CommonMark parser (markdown-it-py) and
assert it holds no image, no raw HTML and no link but the ones our code builds. The browser test
opens a stored thread whose answer, titles, URLs and passages carry image and link payloads that
point at a canary HTTP server on another loopback port, and asserts Chromium asks nothing of any
host or port but the app's own.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markdown_it import MarkdownIt

from assistant.answer import Answer, Citation
from assistant.untrusted import inert_markdown, markdown_link, neutralise, safe_url
from tests.processes import free_port

_MD = MarkdownIt("commonmark").enable("table")

PAYLOADS = [
    "![leak](http://{host}/md-image.png?q=secret)",
    "![leak]( <http://{host}/spaced.png> \"t\")",
    "![ref-style][pix]\n\n[pix]: http://{host}/ref-image.png",
    "[link](http://{host}/link) and [js](javascript:alert(1))",
    "<img src=\"http://{host}/html-image.png\"> <IMG SRC=http://{host}/x.png>",
    "\\![escaped](http://{host}/escaped.png) and \\\\![double](http://{host}/double.png)",
    "!\n[split](http://{host}/split.png) ![a [nested] b](http://{host}/nested.png)",
    "| a | b |\n|---|---|\n| ![cell](http://{host}/cell.png) | [c](http://{host}/c) |",
    "<http://{host}/autolink.png> \x1b]8;;http://{host}/osc\x07x\x1b]8;;\x07",
]


def _tokens(markdown: str) -> list:
    def walk(tokens):
        for tok in tokens:
            yield tok
            if tok.children:
                yield from walk(tok.children)

    return list(walk(_MD.parse(markdown)))


def _active(markdown: str) -> list[str]:
    """Images, raw HTML and links a renderer would make of `markdown`."""
    out = []
    for tok in _tokens(markdown):
        if tok.type == "image":
            out.append(f"image {tok.attrs.get('src')}")
        elif tok.type in ("html_inline", "html_block"):
            out.append(f"html {tok.content}")
        elif tok.type == "link_open":
            out.append(f"link {tok.attrs.get('href')}")
    return out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_inert_markdown_renders_no_image_html_or_link(payload: str) -> None:
    text = payload.format(host="127.0.0.1:9")
    assert "127.0.0.1:9" in text  # the payload does reach the parser
    assert _active(inert_markdown(text)) == []
    # Stored and sent to the model: images and raw HTML gone (renderers make the rest inert).
    assert [a for a in _active(neutralise(text) or "") if not a.startswith("link")] == []


def test_payloads_are_active_without_neutralising() -> None:
    # The check above can fail: untouched, every payload but the OSC one renders something active.
    assert sum(bool(_active(p.format(host="127.0.0.1:9"))) for p in PAYLOADS) >= len(PAYLOADS) - 1


def test_inert_markdown_keeps_citations_and_ordinary_markdown() -> None:
    text = "## Outlook\n\n- Small caps **rose** 11.84% [0][2].\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert inert_markdown(text) == text


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
    ("http://example.org/Wiki_(x)", "http://example.org/Wiki%5F%28x%29"),
    ("http://e.org/a)![x](http://evil/p.png", "http://e.org/a%29%21%5Bx%5D%28http://evil/p.png"),
    ("javascript:alert(1)", None), ("data:image/png;base64,AAAA", None), ("file:///etc/passwd", None),
    ("http://user:pw@e.org/", None), ("http:///nohost", None), ("http://e.org/a b", None),
    ("http://e.org/\u202eevil", None), (None, None), ("", None),
])
def test_safe_url_validates_and_encodes(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_markdown_link_is_the_only_link_and_carries_a_validated_url() -> None:
    built = markdown_link("![t](http://127.0.0.1:9/t.png) [x](http://127.0.0.1:9/y)",
                          "http://e.org/a)![x](http://127.0.0.1:9/u.png")
    assert _active(built) == ["link http://e.org/a%29%21%5Bx%5D%28http://127.0.0.1:9/u.png"]
    assert _active(markdown_link("title", "javascript:alert(1)")) == []


def _hostile_answer(host: str) -> Answer:
    pay = [p.format(host=host) for p in PAYLOADS]
    citations = [
        Citation(id=n, kind="source", title=f"Hostile title {n} " + pay[n % len(pay)],
                 publisher=pay[(n + 1) % len(pay)], date="2026-01-0" + str(n),
                 url=f"http://{host}/u{n}.png)![x](http://{host}/url{n}.png",
                 passage=f"Passage {n} says loans grew 5% " + " ".join(pay))
        for n in range(1, 4)
    ]
    body = "\n\n".join([f"## Outlook {host}", "Loans grew 5% [1]. " + pay[0], *pay[1:],
                        "## References", f"- [1] {pay[0]} http://{host}/ref.png"])
    return Answer(question="hostile sources?", mode="offline", language="en", answer=body,
                  citations=citations, notes=[pay[0]])


def test_answer_markdown_export_has_no_active_markdown_from_outside() -> None:
    from ui.components.export import answer_markdown

    out = answer_markdown(_hostile_answer("127.0.0.1:9"))
    assert "Hostile title 1" in out
    assert _active(out) == []


def test_reference_label_and_passage_markdown_are_inert() -> None:
    from ui.components.references import escape_md, passage_markdown, reference_label

    answer = _hostile_answer("127.0.0.1:9")
    for c in answer.citations:
        assert _active(reference_label(c)) == []
        assert _active(passage_markdown(c.passage or "")) == []
    assert _active(escape_md(answer.answer)) == []


def test_pdf_links_only_from_validated_urls() -> None:
    from ui.components.pdf_markdown import link_markup

    assert link_markup("javascript:alert(1)", "x") == "x"
    assert 'href="http://e.org/a%22onmouseover=x"' in link_markup("http://e.org/a\"onmouseover=x", "x")
    assert 'href="https://e.org/a"' in link_markup("https://e.org/a", "x")


# ---- the browser ---------------------------------------------------------------------------------


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def canary() -> Iterator[int]:
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Canary)
    _Canary.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield port
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.slow
def test_opening_a_thread_with_hostile_sources_fetches_nothing_from_elsewhere(
        canary: int, market_data_dir: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from assistant.history import ConversationStore
    from tests.test_ui_browser import ARGS, CHROMIUM, serve

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found") if __import__("os").environ.get("FINSIGHT_REQUIRE_BROWSER") != "1" \
            else pytest.fail(f"{CHROMIUM} not found")
    home = tmp_path / "home"
    home.mkdir()
    store = ConversationStore(home / "history.sqlite3")
    thread = store.create_thread(title="hostile")
    # Two canary spellings: by address and by name, both on the canary's port.
    store.add_turn(thread, _hostile_answer(f"127.0.0.1:{canary}"))
    store.add_turn(thread, _hostile_answer(f"localhost:{canary}"))
    with serve(home, market_data_dir, "server-hostile.log", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false") as (url, _):
        app = urlsplit(url).netloc
        requested: list[str] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                page.set_default_timeout(30_000)
                page.on("request", lambda r: requested.append(r.url))
                page.goto(f"{url}/?t={thread}")
                page.get_by_text("Hostile title 1", exact=False).first.wait_for()
                for expander in page.get_by_test_id("stExpander").all():  # open every reference
                    expander.locator("summary").click()
                page.get_by_text("Passage 3 says", exact=False).first.wait_for()
                page.wait_for_timeout(1500)  # let any lazy image request go out
                assert page.get_by_text("md-image.png", exact=False).count() > 0  # shown as text
            finally:
                browser.close()
    foreign = [r for r in requested if urlsplit(r).scheme in ("http", "https", "ws", "wss")
               and urlsplit(r).netloc != app]
    assert foreign == [], foreign[:5]
    assert _Canary.hits == [], _Canary.hits[:5]
    assert len(requested) > 5  # the page did load through the app


def test_tool_step_lines_cannot_break_out_of_their_code_span() -> None:
    from assistant.answer import ToolCall
    from ui.components.answer_view import step_line

    call = ToolCall(name="search_sources", args={"query": "a` ![x](http://127.0.0.1:9/s.png) `b"}, ok=False,
                    error="no passages ![e](http://127.0.0.1:9/e.png)")
    assert _active(step_line(call)) == []
