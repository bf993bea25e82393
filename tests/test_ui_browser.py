"""The app in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

Starts the app on 127.0.0.1 in offline mode, asks the reference question, opens a reference,
tries bad input, and saves screenshots plus timings under test-output/ui/.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO
from tests.processes import free_port, serve_process

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
OUT = REPO / "test-output" / "ui"
QUESTION = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
# Targets from the issue, written beside the measured figures the README reports.
FIRST_PAINT_TARGET_S, RERUN_TARGET_S = 3.0, 0.2
# Click an element and resolve with the milliseconds until Streamlit's script state went
# running -> notRunning and two frames were painted; -1 after 10 s. Call it only when the app
# is idle (see `wait_idle`), or an earlier run's end would be timed instead.
TIME_CLICK = """(el) => new Promise((resolve) => {
  const app = document.querySelector('[data-testid=stApp]');
  const t0 = performance.now();
  let ran = false;
  const obs = new MutationObserver((records) => {
    // oldValue catches a run that started and finished within one batch of mutations.
    ran = ran || records.some(r => r.oldValue === 'running')
      || app.getAttribute('data-test-script-state') === 'running';
    if (!ran || app.getAttribute('data-test-script-state') !== 'notRunning') return;
    obs.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
  });
  obs.observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
  setTimeout(() => { obs.disconnect(); resolve(-1); }, 10000);
  el.click();
})"""
IDLE = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"


def time_click(page, locator) -> float:
    """Milliseconds from a click to the rerun it caused being painted, measured in the page.

    -1 when no rerun was seen within 10 s. On a loaded machine a click can land while the page
    is still settling and its rerun is missed; the click is tried once more before that counts.
    """
    for _ in range(2):
        page.wait_for_function(IDLE)
        elapsed = locator.evaluate(TIME_CLICK)
        if elapsed > 0:
            return elapsed
    return elapsed


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("FINSIGHT_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@contextlib.contextmanager
def serve(home: Path, market_data_dir: Path, log_name: str, **extra: str) -> Iterator[tuple[str, float]]:
    """`streamlit run ui/app.py` on a free 127.0.0.1 port; yields (url, seconds until healthy)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FINSIGHT_"))}
    env.update(FINSIGHT_HOME=str(home), FINSIGHT_MARKET_DATA_DIR=str(market_data_dir),
               FINSIGHT_MARKET_PROVIDERS="csv", **extra)
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "streamlit", "run", "ui/app.py", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true"]
    url = f"http://127.0.0.1:{port}"
    with serve_process(cmd, f"{url}/_stcore/health", OUT / log_name, pytest.fail, cwd=REPO, env=env) as seconds:
        yield url, seconds


@pytest.fixture(scope="module")
def app_url(chromium: Path, market_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, float]]:
    """The app in single-user offline mode; yields (url, seconds until healthy)."""
    with serve(tmp_path_factory.mktemp("browser-home"), market_data_dir, "server.log") as served:
        yield served


@pytest.fixture(scope="module")
def browser(chromium: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium), args=ARGS)
        yield b
        b.close()


def shot(page, name: str) -> Path:
    path = OUT / name
    page.screenshot(path=str(path))
    return path


def test_reference_question_in_the_browser(app_url: tuple[str, float], browser) -> None:
    url, server_s = app_url
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page.set_default_timeout(30_000)

    # First paint: from navigation to the title and the chat box on screen.
    t0 = time.perf_counter()
    page.goto(url)
    page.locator("h1", has_text="finsight").wait_for()
    page.get_by_test_id("stChatInput").wait_for()
    first_paint = time.perf_counter() - t0
    page.get_by_role("button", name="新对话").wait_for()  # sidebar loaded: the app is interactive
    interactive = time.perf_counter() - t0
    shot(page, "01-start.png")

    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(QUESTION)
    box.press("Enter")
    page.get_by_test_id("stStatusWidget").or_(page.get_by_test_id("stExpander").first).first.wait_for()
    refs = page.get_by_test_id("stExpander")
    refs.filter(has_text="[0]").first.wait_for(timeout=180_000)
    page.get_by_text("个数字已溯源").first.wait_for()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.wait_for_timeout(800)  # let the charts finish drawing
    # The chat scrolls to its end; the README shot starts at the question.
    page.get_by_test_id("stChatMessage").first.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    shot(page, "02-answer-top.png")
    page.locator("[data-testid='stVegaLiteChart']").first.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    shot(page, "02-answer-charts.png")

    # Open reference [1]: the exact passage, its source, date and link.
    ref1 = refs.filter(has_text="[1]").first
    ref1.locator("summary").click()
    ref1.get_by_text("引用原文").wait_for()
    ref1.scroll_into_view_if_needed()
    assert "来源" in ref1.inner_text() and "日期" in ref1.inner_text()
    ref0 = refs.filter(has_text="[0]").first
    ref0.locator("summary").click()
    ref0.get_by_text("数据源").wait_for()
    ref0.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    shot(page, "03-references.png")

    page.set_viewport_size({"width": 1440, "height": 6400})
    page.get_by_test_id("stChatMessage").first.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(800)
    shot(page, "04-answer-full.png")
    page.set_viewport_size({"width": 1440, "height": 1000})

    # Reruns with no model work, timed inside the page from the click until the script has
    # finished and the result is painted (two animation frames later): re-selecting the open
    # conversation (a plain rerun) and switching the interface language (every label redrawn).
    sidebar = page.get_by_test_id("stSidebar")
    current = sidebar.locator("button[kind=primary]").first
    time_click(page, current)  # untimed: the first rerun after the answer also settles the page
    plain = [time_click(page, current) for _ in range(5)]
    language = [time_click(page, sidebar.get_by_role("radio", name=label, exact=True))
                for label in ["English", "中文", "English", "中文"]]
    page.get_by_text("参考资料", exact=True).first.wait_for()
    assert min(plain + language) > 0, "a rerun did not finish within 10 s"
    rerun = statistics.median(plain) / 1000

    timings = {"server_up_s": round(server_s, 2), "first_paint_s": round(first_paint, 2),
               "interactive_s": round(interactive, 2), "rerun_median_s": round(rerun, 3),
               "rerun_ms": [round(r) for r in plain],
               "language_switch_median_s": round(statistics.median(language) / 1000, 3),
               "language_switch_ms": [round(r) for r in language],
               "targets": {"first_paint_s": FIRST_PAINT_TARGET_S, "rerun_s": RERUN_TARGET_S}}
    (OUT / "timings.json").write_text(json.dumps(timings, indent=2))
    # Reported, not asserted: a timed assertion fails on a busy machine, not on slow code.
    print(f"\nUI timings: {json.dumps(timings)}")

    # The PDF is built only when asked for; it arrives as a file that starts with the question.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_test_id("stDownloadButton").filter(has_text="PDF").first.locator("button").click()
    pdf = OUT / "answer.pdf"
    download.value.save_as(pdf)
    first_page = "".join(PdfReader(pdf).pages[0].extract_text().split())
    assert pdf.read_bytes().startswith(b"%PDF-") and "".join(QUESTION.split()) in first_page


def test_bad_input_in_the_browser(app_url: tuple[str, float], browser, tmp_path: Path) -> None:
    url, _ = app_url
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="en-US")
    page.set_default_timeout(60_000)
    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    box.fill("x" * 20_000)
    box.press("Enter")
    page.get_by_text("The message has 20,000 characters").wait_for()
    shot(page, "05-too-long.png")

    page.goto(f"{url}/knowledge")
    page.get_by_text("Knowledge base", exact=True).first.wait_for()
    broken = tmp_path / "broken-report.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage, no xref, no trailer")
    # Wait for the upload itself (an HTTP PUT), not just the file's name: under load a click on
    # Ingest can otherwise reach the server before the file does ("nothing to ingest").
    with page.expect_response(lambda r: r.request.method == "PUT"):
        page.locator("input[type=file]").set_input_files(str(broken))
    page.get_by_text("broken-report.pdf").first.wait_for()
    page.get_by_role("button", name="Ingest", exact=True).click()
    page.get_by_text("Failed: broken-report.pdf").wait_for()
    shot(page, "06-broken-pdf.png")

    page.get_by_label("URLs (one per line)").fill("http://127.0.0.1:8501/")
    page.get_by_role("button", name="Fetch and ingest").click()
    page.get_by_text("Failed: http://127.0.0.1:8501/").wait_for()
    shot(page, "07-local-url.png")

    # The app keeps working: the market page still computes and draws.
    page.goto(f"{url}/market")
    page.get_by_text("Per index").wait_for()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.wait_for_timeout(800)
    shot(page, "08-market.png")


def test_login_on_a_shared_deployment(chromium: Path, market_data_dir: Path, browser, tmp_path: Path) -> None:
    """A fresh server with a shared password: even a deep link shows only the login form."""
    password = "br0wser-shared-pw"
    with serve(tmp_path / "home", market_data_dir, "server-login.log", FINSIGHT_AUTH_PASSWORD=password) as (url, _):
        page = browser.new_page(viewport={"width": 1200, "height": 800}, locale="en-US")
        page.set_default_timeout(60_000)
        # The very first request to the server names a page behind the login.
        page.goto(f"{url}/market")
        page.get_by_label("Shared password").wait_for()
        assert page.get_by_text("Per index").count() == 0
        page.get_by_label("User name").fill("alice")
        page.get_by_label("Shared password").fill("not-it")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Wrong password").wait_for()
        assert page.get_by_label("Shared password").input_value() == ""
        shot(page, "09-login-refused.png")
        page.get_by_label("Shared password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Signed in as alice").wait_for()
        page.get_by_text("Per index").wait_for()  # the page the link named, now open
        page.wait_for_function("document.querySelector('[data-testid=stApp]')"
                               ".getAttribute('data-test-script-state') !== 'running'")
        page.wait_for_timeout(500)
        assert password not in page.content()
        page.get_by_role("button", name="Sign out").click()
        page.get_by_label("Shared password").wait_for()
