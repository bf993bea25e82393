"""URL ingest against a local HTTP server on 127.0.0.1 (the only network these tests use)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from knowledge import FetchError, KnowledgeBase, fetch_url

ARTICLE = """<html><head><title>Tanker rates surge</title>
<meta property="og:site_name" content="Harbor Wire"><meta name="author" content="Kim Desk">
<meta property="article:published_time" content="2026-01-08"></head><body>
<nav>Home | Markets | Sign in</nav>
<article><h1>Tanker rates surge</h1>
<p>Day rates for very large crude carriers climbed to a five-year high this week as sanctions
reshuffled trade routes and lengthened voyages from the Middle East to Asia.</p>
<p>Owners said fleet growth would stay thin until 2027 because shipyards are booked with
container ships and LNG carriers.</p></article>
<footer>Advertise with us</footer></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server API)
        port = self.server.server_address[1]
        routes = {
            "/redirect-same": (302, {"Location": "/article"}),
            "/redirect-localhost": (302, {"Location": f"http://localhost:{port}/article"}),
            "/redirect-decimal": (302, {"Location": f"http://2130706433:{port}/article"}),
            "/redirect-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}),
        }
        if self.path in routes:
            code, headers = routes[self.path]
            self._send(code, b"", headers=headers)
        elif self.path == "/article":
            self._send(200, ARTICLE.encode())
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, ARTICLE.encode())
        elif self.path == "/big":
            self._send(200, b"a" * 2_000_000, "text/plain")
        elif self.path == "/binary":
            self._send(200, bytes(range(256)), "application/octet-stream")
        else:
            self._send(404, b"missing")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # the /slow client hangs up on purpose
        pass


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


ALLOW = {"127.0.0.1"}


def test_url_ingest_extracts_main_text(server: str, tmp_path: Path):
    kb = KnowledgeBase(tmp_path / "store", fetch_allow_hosts=ALLOW)
    url = f"{server}/article"
    summary = kb.ingest([url])
    assert summary.added == [url], summary.failed
    source = kb.sources()[0]
    assert source.url == url and source.title == "Tanker rates surge"
    assert source.publisher == "Harbor Wire" and source.published == "2026-01-08"
    hit = kb.search("very large crude carrier day rates", k=1)[0]
    assert "five-year high" in hit.text
    assert "Sign in" not in hit.text and "Advertise" not in hit.text and "<p>" not in hit.text
    assert kb.ingest([url]).skipped == [url]


def test_redirect_within_allowed_host_is_followed(server: str):
    page = fetch_url(f"{server}/redirect-same", allow_hosts=ALLOW)
    assert page.final_url == f"{server}/article" and b"Tanker" in page.body


def test_default_policy_refuses_loopback(server: str, tmp_path: Path):
    kb = KnowledgeBase(tmp_path / "store")  # no allowlist: the production policy
    url = f"{server}/article"
    summary = kb.ingest([url])
    assert summary.added == [] and "refused" in dict(summary.failed)[url]
    with pytest.raises(FetchError, match="refused"):
        fetch_url(url)


@pytest.mark.parametrize("path", ["/redirect-localhost", "/redirect-decimal", "/redirect-metadata"])
def test_redirect_to_internal_address_refused(server: str, path: str):
    # The first hop is allowed (test allowlist); the redirect target must be re-checked and refused.
    with pytest.raises(FetchError, match="refused"):
        fetch_url(f"{server}{path}", allow_hosts=ALLOW)


def test_timeout_size_and_type_caps(server: str):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(f"{server}/slow", timeout=1.0, allow_hosts=ALLOW)
    assert time.monotonic() - started < 2.5
    with pytest.raises(FetchError, match="cap"):
        fetch_url(f"{server}/big", max_bytes=1_000_000, allow_hosts=ALLOW)
    with pytest.raises(FetchError, match="content type"):
        fetch_url(f"{server}/binary", allow_hosts=ALLOW)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(f"{server}/nothing", allow_hosts=ALLOW)


def test_timeout_reported_in_ingest_summary(server: str, tmp_path: Path):
    kb = KnowledgeBase(tmp_path / "store", fetch_allow_hosts=ALLOW, fetch_timeout=1.0)
    url = f"{server}/slow"
    summary = kb.ingest([url])
    assert "timed out" in dict(summary.failed)[url]
