"""The Streamlit app's logic through Streamlit's AppTest: real service, offline mode, real data.

Expected figures are computed here from the CSV files with the csv module, never by the app.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.answer import Answer, Citation, Figure
from assistant.history import ConversationStore
from tests.conftest import REPO, base_close, csv_closes, read_closes, series_return, window_return
from ui.components.answer_text import answer_parts, demote_headings
from ui.components.export import answer_markdown
from ui.i18n import browser_default

APP = str(REPO / "ui" / "app.py")
QUESTION = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现? (2025年9月至2026年1月)"
TIMEOUT = 180  # the first question embeds the demo pack; later ones take about a second


@pytest.fixture
def ui_env(monkeypatch: pytest.MonkeyPatch, warm_home: Path, market_data_dir: Path) -> Path:
    """Offline mode (no key, no endpoint), local CSV prices only, a shared warm state folder."""
    monkeypatch.setenv("FINSIGHT_HOME", str(warm_home))
    monkeypatch.setenv("FINSIGHT_MARKET_DATA_DIR", str(market_data_dir))
    monkeypatch.setenv("FINSIGHT_MARKET_PROVIDERS", "csv")
    monkeypatch.setenv("OPENAI_API_KEY", "")
    monkeypatch.setenv("OPENAI_BASE_URL", "")
    return warm_home


def fresh_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def all_text(at: AppTest) -> str:
    """Every markdown, caption, alert and expander label of the page, joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.error, *at.warning, *at.info, *at.success)]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def test_question_gives_answer_with_references(ui_env: Path, market_data_dir: Path) -> None:
    at = ask(fresh_app(), QUESTION)
    text = all_text(at)
    rut = window_return(read_closes(market_data_dir / "RUT.csv"), date(2025, 9, 1), date(2026, 1, 31))
    spx = window_return(read_closes(market_data_dir / "SPX.csv"), date(2025, 9, 1), date(2026, 1, 31))
    assert f"{rut * 100:+.2f}%" in text  # in the answer and in the [0] table
    assert f"{(rut - spx) * 100:+.2f}%" in text  # excess return in the pairs table
    labels = [e.label for e in at.expander]
    assert any(label.startswith("[0]") for label in labels)
    assert any(label.startswith("[1]") for label in labels), labels
    assert "figures traced" in text  # the grounding check (English interface: no browser locale)
    assert len(at.get("vega_lite_chart")) >= 2  # performance and RS ratio charts
    assert any(b.label.startswith("Export") for b in at.get("download_button"))
    # The turn is stored in the conversation database under the open thread.
    store = ConversationStore(ui_env / "history.sqlite3")
    turns = store.turns(at.session_state["thread_id"])
    assert [t.question for t in turns] == [QUESTION]
    assert turns[0].citations[0].kind == "market"


def test_followup_button_asks_in_same_thread(ui_env: Path) -> None:
    at = ask(fresh_app(), QUESTION)
    thread = at.session_state["thread_id"]
    followups = [b for b in at.button if b.key and b.key.startswith(f"{thread}-0-fu")]
    assert followups, "the answer offers follow-up questions"
    label = followups[0].label
    followups[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["thread_id"] == thread
    turns = ConversationStore(ui_env / "history.sqlite3").turns(thread)
    assert [t.question for t in turns] == [QUESTION, label]
    # Context kept: the follow-up still compares small caps with large caps.
    assert {"RUT", "SPX"} <= set(turns[1].market[0]["symbols"])
    users = [m for m in at.chat_message if m.name == "user"]
    assert len(users) == 2


def test_switch_rename_and_delete_conversations(ui_env: Path) -> None:
    at = ask(fresh_app(), "How did the Russell 2000 do in 2025?")
    first = at.session_state["thread_id"]
    at.button(key="conv-new").click().run()
    assert at.session_state["thread_id"] is None
    ask(at, "Nasdaq-100 vs S&P 500 last 3 months")
    second = at.session_state["thread_id"]
    assert second != first

    at.button(key=f"conv-{first}").click().run()
    assert at.session_state["thread_id"] == first
    users = [m for m in at.chat_message if m.name == "user"]
    assert [u.markdown[0].value for u in users] == ["How did the Russell 2000 do in 2025?"]

    store = ConversationStore(ui_env / "history.sqlite3")
    at.text_input(key=f"rename-{first}").set_value("Small caps 2025").run()
    at.button(key="conv-rename").click().run()
    assert {t.id: t.title for t in store.threads()}[first] == "Small caps 2025"
    # The sidebar shows the day the thread was last used (local time), here today.
    assert at.button(key=f"conv-{first}").label == f"Small caps 2025 · {date.today().isoformat()}"

    assert at.button(key="conv-delete").disabled  # needs the confirmation first
    at.checkbox(key=f"confirm-{first}").check().run()
    at.button(key="conv-delete").click().run()
    assert first not in {t.id for t in store.threads()}
    assert second in {t.id for t in store.threads()}
    assert at.session_state["thread_id"] is None


def test_bad_messages_get_clear_messages_and_app_keeps_working(ui_env: Path) -> None:
    at = ask(fresh_app(), "   ")
    assert any("empty" in w.value for w in at.warning)
    ask(at, "x" * 20_000)
    assert any("20,000" in e.value and "4,000" in e.value for e in at.error)
    assert at.session_state["thread_id"] is None  # nothing stored for a refused message
    ask(at, "How did the S&P 500 do in 2025?")
    assert any(e.label.startswith("[0]") for e in at.expander)


def test_language_toggle_switches_interface(ui_env: Path) -> None:
    at = fresh_app()
    assert at.title[0].value == "finsight research assistant"
    at.button_group(key="ui_lang").set_value("zh").run()
    assert at.title[0].value == "finsight 金融研究助手"


def test_market_page_metrics_match_the_csv(ui_env: Path, market_data_dir: Path) -> None:
    at = fresh_app()
    at.switch_page("views/market.py").run()
    assert not at.exception, at.exception
    rut, spx = read_closes(market_data_dir / "RUT.csv"), read_closes(market_data_dir / "SPX.csv")
    end = max(set(rut) & set(spx))
    expected = window_return(rut, end - timedelta(days=365), end)
    table = at.dataframe[0].value
    row = table[table.iloc[:, 0] == "RUT"].iloc[0]
    assert row["Return"] == f"{expected * 100:+.2f}%"
    assert len(at.get("vega_lite_chart")) >= 2


def test_knowledge_page_refuses_local_url(ui_env: Path) -> None:
    at = fresh_app()
    at.switch_page("views/knowledge.py").run()
    assert not at.exception, at.exception
    assert any("sources" in c.value for c in at.caption)  # "N sources, M chunks"
    at.text_area(key="kb-urls").set_value("http://127.0.0.1:8501/secret").run()
    at.button(key="kb-add-urls").click().run()
    assert not at.exception, at.exception
    failures = [e.value for e in at.error]
    assert any("127.0.0.1" in f for f in failures), failures
    at.text_input(key="kb-query").set_value("small caps earnings").run()
    assert at.expander, "search shows passages"


# Pure helpers: layout and export.

ANSWER_MD = """## RUT vs SPX

### Performance

RUT rose +11.12% [0].

### Relative strength

The ratio fell 4.22% from its high [0].

### Catalysts

Morgan Stanley calls small caps underappreciated [1].

### References

- [0] Market data: CSV, RUT, SPX
- [1] Morgan Stanley - "Outlook" (2025-12) https://example.com/ms

_Not investment advice._
"""


def _stored_before_the_answerdoc(text: str = ANSWER_MD) -> Answer:
    """An answer as earlier versions stored it: its text, no AnswerDoc (the renderers' legacy path)."""
    return Answer(question="Small caps?", mode="llm", language="en", answer=text)


def test_charts_go_after_the_market_sections_of_a_stored_answer_without_doc() -> None:
    head, tail = answer_parts(_stored_before_the_answerdoc())
    assert head.startswith("## RUT vs SPX") and head.rstrip().endswith("from its high [0].")
    assert tail.startswith("### Catalysts") and tail.rstrip().endswith("_Not investment advice._")


def test_answer_headings_are_demoted_one_level() -> None:
    assert demote_headings("## Title\n### Section\ntext # not a heading\n###### six") == (
        "### Title\n#### Section\ntext # not a heading\n###### six"
    )


def test_plain_reference_list_of_a_stored_answer_without_doc_is_left_out() -> None:
    text = "".join(answer_parts(_stored_before_the_answerdoc()))
    assert "### References" not in text and "- [1] Morgan" not in text
    assert "_Not investment advice._" in text and "underappreciated [1]" in text


def test_export_lists_references_with_passages() -> None:
    answer = Answer(
        question="Small caps?", mode="offline", language="en", answer=ANSWER_MD,
        citations=[
            Citation(id=0, kind="market", title="Market data", provider="csv", window="2025-09-02 .. 2026-01-30", as_of="2026-08-21"),
            Citation(id=1, kind="source", title="Outlook", publisher="Morgan Stanley", date="2025-12",
                     url="https://example.com/ms", passage="Small caps are the most underappreciated area."),
        ],
        figures=[Figure(text="+11.12%", value=11.12, grounded=True), Figure(text="4.22%", value=4.22, grounded=False)],
    )
    md = answer_markdown(answer)
    assert md.startswith("# Small caps?")
    assert "[0] Market data, window 2025-09-02 .. 2026-01-30, provider csv, as of 2026-08-21" in md
    assert "[1] Morgan Stanley, Outlook, 2025-12, https://example.com/ms" in md
    assert "> Small caps are the most underappreciated area." in md
    assert "1 of 2 figures traced" in md and "not traced: 4.22%" in md
    assert md.count("Morgan Stanley - \"Outlook\"") == 0  # the answer's own list is not repeated


def test_browser_locale_picks_interface_language() -> None:
    assert browser_default("zh-CN") == "zh"
    assert browser_default("zh-Hant-TW") == "zh"
    assert browser_default("en-US") == "en"
    assert browser_default(None) == "en"


def test_the_metrics_table_gives_a_yield_its_change_in_basis_points(market_data_dir) -> None:

    from knowledge.market import MarketData
    from ui.components.metrics import series_table

    report = MarketData(market_data_dir, None, ("csv",)).metrics(["US10Y", "RUT"], "2025-01-01", "2025-12-31")
    table = series_table(report.to_json_dict(), lang="en").set_index("Symbol")
    y, r = (csv_closes(market_data_dir / f"{s}.csv") for s in ("US10Y", "RUT"))
    change = y.loc[:"2025-12-31"].iloc[-1] - base_close(y, "2025-01-01")  # 2025-01-01 is shut: 2024-12-31's close
    assert table.loc["US10Y", "Return"] == f"{round(change * 100):+d} bp"
    assert table.loc["RUT", "Return"] == f"{series_return(r, '2025-01-01', '2025-12-31') * 100:+.2f}%"


def test_charts_leave_out_a_yield_but_keep_the_indexes(market_data_dir) -> None:
    from knowledge.market import MarketData
    from ui.components.charts import price_chart

    market = MarketData(market_data_dir, None, ("csv",))
    mixed = market.metrics(["US10Y", "RUT"], "2025-01-01", "2025-12-31").to_json_dict(include_chart=True)
    chart = price_chart(mixed)
    assert set(chart["normalised"]) == {"RUT"} and chart["ratio"] == {}
    assert chart["normalised"]["RUT"] == mixed["chart"]["normalised"]["RUT"]
    indexes = market.metrics(["RUT", "SPX"], "2025-01-01", "2025-12-31").to_json_dict(include_chart=True)
    assert price_chart(indexes) == indexes["chart"]
