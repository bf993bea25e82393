"""The app as a new user gets it, in a real browser (Debian's Chromium via Playwright):
prices from the built-in snapshot only, three messages sent in quick succession, and every
request the page makes recorded to prove nothing is fetched from outside 127.0.0.1.

Screenshots go to test-output/ui/fresh-*.png.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assistant.history import ConversationStore
from tests.conftest import REPO
from tests.processes import free_port, serve_process
from tests.test_ui_browser import ARGS, IDLE, OUT, chromium  # noqa: F401 - chromium is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTIONS = [
    "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)",
    "只看最近一个月呢?",
    "和纳斯达克100比呢?",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture(scope="module")
def fresh_app(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:  # noqa: F811
    """The app with no data folder and no live provider: the embedded snapshot answers."""
    home = tmp_path_factory.mktemp("fresh-home")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FINSIGHT_"))}
    env.update(FINSIGHT_HOME=str(home), FINSIGHT_MARKET_PROVIDERS="snapshot")
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "streamlit", "run", "ui/app.py", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true"]
    url = f"http://127.0.0.1:{port}"
    with serve_process(cmd, f"{url}/_stcore/health", OUT / "fresh-server.log", pytest.fail, cwd=REPO, env=env):
        yield url, home


@pytest.fixture(scope="module")
def context(chromium: Path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=ARGS)
        ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        ctx.requests = []  # every URL any page of this context asks for, in order
        ctx.on("request", lambda request: ctx.requests.append(request.url))

        def loopback_only(route) -> None:  # recorded above; never sent anywhere but 127.0.0.1
            host = urlsplit(route.request.url).hostname
            route.continue_() if host is None or host in LOOPBACK else route.abort()

        ctx.route("**/*", loopback_only)
        yield ctx
        browser.close()


def shot(page, name: str) -> None:
    page.wait_for_timeout(400)
    page.screenshot(path=str(OUT / f"fresh-{name}.png"))


def user_messages(page) -> list[str]:
    """The text of every user message on the page, top to bottom."""
    users = page.get_by_test_id("stChatMessage").filter(has=page.get_by_test_id("stChatMessageAvatarUser"))
    return [m.get_by_test_id("stMarkdownContainer").first.inner_text().strip() for m in users.all()]


def _market_call(answer) -> dict:
    (call,) = [c for c in answer.tool_calls if c.name == "market_metrics"]
    assert call.ok, call.error
    return call.args


def test_three_quick_messages_are_stored_and_shown_in_order(fresh_app, context) -> None:
    url, home = fresh_app
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    page.get_by_role("button", name="新对话").wait_for()
    page.wait_for_function(IDLE)
    shot(page, "01-start")

    for question in QUESTIONS:  # all three within about a second, while the first is answered
        box.fill(question)
        box.press("Enter")
        page.wait_for_timeout(150)
    page.get_by_text("排队中").first.wait_for()
    shot(page, "02-queued")

    # Done: six messages on the page, nothing queued, the script idle, three grounding lines.
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stChatMessage]').length === 6"
        " && !document.body.innerText.includes('排队中')"
        " && document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'",
        timeout=300_000,
    )
    page.get_by_text("个数字已溯源").nth(2).wait_for(timeout=60_000)
    assert user_messages(page) == QUESTIONS
    shot(page, "03-answered")

    store = ConversationStore(home / "history.sqlite3")
    (thread,) = store.threads()
    assert thread.title == QUESTIONS[0][:60]  # named after the first question
    turns = store.turns(thread.id)
    assert [t.question for t in turns] == QUESTIONS
    first, second, third = (_market_call(t) for t in turns)
    # Each follow-up was answered with the turns before it: the second keeps the first's
    # indexes and measures the last month of the data (a relative window means the latest data);
    # the third keeps that window.
    assert first["symbols"] == ["RUT", "SPX"] and (first["start"], first["end"]) == ("2025-09-01", "2026-01-31")
    assert second["symbols"] == first["symbols"] and second["end"] == str(turns[1].market[0]["as_of"])[:10]
    assert date.fromisoformat(second["end"]) - date.fromisoformat(second["start"]) <= timedelta(days=31)
    assert third["symbols"][0] == "RUT" and "NDX" in third["symbols"]
    assert (third["start"], third["end"]) == (second["start"], second["end"])
    assert all("snapshot" in str(r.get("provider")) for t in turns for r in t.market)

    # A reload reopens the thread from the store, in the same order, its title with a date.
    page.reload()
    page.get_by_test_id("stChatMessage").nth(5).wait_for()
    assert user_messages(page) == QUESTIONS
    label = f"{QUESTIONS[0][:60]} · {date.today().isoformat()}"  # the thread's title and day
    page.get_by_test_id("stSidebar").get_by_role("button", name=label).wait_for()
    page.get_by_text("内置快照").first.wait_for()
    shot(page, "04-reloaded")


def test_market_and_knowledge_pages_on_the_snapshot(fresh_app, context) -> None:
    url, _ = fresh_app
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/market")
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.get_by_text("内置快照").first.wait_for()
    shot(page, "05-market")

    page.goto(f"{url}/knowledge")
    delete = page.get_by_role("button", name="删除", exact=True)
    delete.wait_for(timeout=180_000)
    assert delete.is_disabled()  # nothing chosen, nothing confirmed
    page.get_by_test_id("stSelectbox").filter(has_text="删除来源").locator("input").click()
    page.get_by_role("option").first.click()
    confirm = page.get_by_text("确认删除").first
    confirm.wait_for()
    assert delete.is_disabled()
    shot(page, "06-delete-confirm")
    confirm.click()
    page.wait_for_function(IDLE)
    # The rerun that enables the button can land just after the page reads idle on a busy box:
    # wait for it (a button that never enables still fails after 30 s).
    delete.and_(page.locator("button:not([disabled])")).wait_for(timeout=30_000)
    assert delete.is_enabled()


def test_the_page_requests_nothing_outside_loopback(fresh_app, context) -> None:
    """Runs after the others in this module: the recorder has seen the pages load and answer."""
    url, _ = fresh_app
    page = context.new_page()
    page.goto(url)
    page.get_by_test_id("stChatInputTextArea").wait_for()
    page.wait_for_function(IDLE)
    page.wait_for_timeout(1500)  # late loads: favicon, fonts, icons
    requested = list(context.requests)
    assert len(requested) > 20 and any("favicon" in u or "/media/" in u for u in requested), requested[:20]
    outside = sorted({u for u in requested
                      if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOOPBACK})
    assert outside == [], outside


def test_an_answer_without_its_data_shows_a_warning_and_no_followups(chromium: Path, context,  # noqa: F811
                                                                     tmp_path: Path) -> None:
    """A data folder without the index asked about: the answer gets a warning, not a success
    badge, and offers no follow-ups that would fail the same way."""
    empty = tmp_path / "prices"
    empty.mkdir()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FINSIGHT_"))}
    env.update(FINSIGHT_HOME=str(tmp_path / "home"), FINSIGHT_MARKET_DATA_DIR=str(empty),
               FINSIGHT_MARKET_PROVIDERS="csv", FINSIGHT_DEMO_PACK="false")
    cmd = [sys.executable, "-m", "streamlit", "run", "ui/app.py", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true"]
    url = f"http://127.0.0.1:{port}"
    with serve_process(cmd, f"{url}/_stcore/health", OUT / "fresh-nodata-server.log", pytest.fail, cwd=REPO, env=env):
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(url)
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for()
        box.fill("罗素2000在2025年9月至2026年1月涨了多少?")
        box.press("Enter")
        warning = page.get_by_test_id("stAlertContentWarning").filter(has_text="行情数据获取失败")
        warning.wait_for()
        page.wait_for_function(IDLE)
        assert "RUT" in warning.inner_text()
        assert page.get_by_text("已溯源").count() == 0 and page.get_by_text("没有需要溯源").count() == 0
        assert page.get_by_text("继续追问").count() == 0
        shot(page, "07-no-data-warning")
