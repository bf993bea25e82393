"""Sources a reader can trust: the user's own note is cited, quotes keep their qualifiers,
demo-pack text is labelled as our summary in every export, one number per document."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from assistant.grounding.citations import CitationRegistry
from assistant.offline.evidence import sentences
from assistant.service import ResearchService
from assistant.settings import Settings
from knowledge.models import Passage
from ui.components.export import answer_markdown


@pytest.fixture
def service(tmp_path, market_data_dir) -> ResearchService:
    settings = Settings(
        _env_file=None, finsight_home=tmp_path, finsight_market_data_dir=market_data_dir,
        finsight_market_providers="csv", finsight_demo_pack=True, openai_api_key=None, openai_base_url=None,
    )
    return ResearchService(settings)


def _note(tmp_path, name: str, title: str, publisher: str, body: str):
    path = tmp_path / name
    path.write_text(f"---\ntitle: {title}\npublisher: {publisher}\n---\n\n{body}\n", encoding="utf-8")
    return path


def test_a_users_note_that_answers_the_question_is_cited(service, tmp_path):
    # Only this note says anything about small-cap margins and the desk's preference; the demo
    # pack is loaded beside it.
    body = ("Our desk thinks small-cap margins will stay under pressure through mid-2026, so we prefer large caps "
            "for the next two quarters; small caps need rate cuts first, but only if inflation keeps falling.")
    service.kb.ingest([_note(tmp_path, "desk.md", "Desk note on small-cap margins", "Harbour Desk", body)])
    answer = service.ask("What does Harbour Desk think about small caps?")
    cited = [c for c in answer.citations if c.kind == "source" and c.publisher == "Harbour Desk"]
    assert cited, [(c.publisher, c.title) for c in answer.citations]
    assert f"[{cited[0].id}]" in answer.answer
    # ... quoted whole: the qualifier after the semicolon stays in the quote.
    assert "small caps need rate cuts first, but only if inflation keeps falling" in answer.answer


def test_a_semicolon_does_not_cut_a_qualifier_off():
    text = ("Small caps should outperform in 2026; but only if the Fed cuts rates at least twice. "
            "Earnings are expected to grow faster than those of large caps.")
    quoted = sentences(text)
    assert quoted[0] == "Small caps should outperform in 2026; but only if the Fed cuts rates at least twice."
    chinese = "小盘股2026年有望跑赢；但前提是美联储至少降息两次。"
    assert sentences(chinese, "zh") == [chinese]


def test_a_paragraph_that_calls_itself_our_explanation_is_never_quoted():
    text = ("Smaller companies tend to carry more debt relative to their size and more of it at floating rates, "
            "so lower policy rates reduce their interest bills faster. That general mechanism is our explanation, "
            "not a quote from the article.\n\nSmall caps beat the S&P 500 in January as investors priced in rate cuts.")
    quoted = sentences(text)
    assert quoted == ["Small caps beat the S&P 500 in January as investors priced in rate cuts."]


def test_demo_passages_are_labelled_as_our_summary_in_the_text_and_the_markdown_export(service):
    answer = service.ask("小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?")
    demo = [c for c in answer.citations if c.kind == "source" and c.demo]
    assert demo
    export = answer_markdown(answer)
    for c in demo:
        # Every line of the answer quoting a demo passage says whose words they are.
        for line in answer.answer.splitlines():
            if f"[{c.id}]" in line and "“" in line and not line.startswith(f"- [{c.id}]"):
                assert "finsight 演示摘要" in line, line
            elif line.startswith(f"- [{c.id}]"):  # the answer's own reference list says it too
                assert "演示摘要" in line, line
        reference = next(ln for ln in export.splitlines() if ln.startswith(f"- [{c.id}] "))
        assert "demo summary" in reference or "演示摘要" in reference
    # The publisher is never the speaker of a demo sentence.
    for c in demo:
        assert not re.search(rf"- \*\*{re.escape(c.publisher or '')}\*\*", answer.answer)


def _passage(chunk: str, source: str, text: str) -> Passage:
    return Passage(chunk_id=chunk, source_id=source, text=text, title=f"Doc {source}", publisher="Pub")


def test_two_passages_of_one_document_share_one_reference_number():
    registry = CitationRegistry()
    first = registry.add_passage(_passage("a1", "doc-a", "First passage of A, 12.5% growth."))
    other = registry.add_passage(_passage("b1", "doc-b", "Only passage of B."))
    second = registry.add_passage(_passage("a2", "doc-a", "Second passage of A, 7.5x multiple."))
    assert first == second == 1 and other == 2
    assert registry.add_passage(_passage("a2", "doc-a", "Second passage of A, 7.5x multiple.")) == 1
    refs = registry.citations()
    assert [c.id for c in refs] == [1, 2]
    assert [x.text for x in refs[0].excerpts] == ["First passage of A, 12.5% growth.",
                                                  "Second passage of A, 7.5x multiple."]
    # Verification reads the whole document under its number: both passages' figures are there.
    merged = registry.passage(1).text
    assert "12.5%" in merged and "7.5x" in merged
    registry.renumber({1: 2, 2: 1})
    assert registry.passage(2).source_id == "doc-a" and len(registry.excerpts(2)) == 2


def test_the_market_reference_shows_everything_an_answer_may_cite_from_it(market_data_dir):
    from knowledge.market import MarketData
    from ui.components.metrics import evidence_pairs_table, evidence_table

    report = MarketData(market_data_dir, None, ("csv",)).metrics(
        ["RUT", "SPX"], "2025-01-01", "2025-12-31", base="prior_close").to_json_dict(include_chart=True)
    table = evidence_table(report, lang="en").set_index("Measure")
    closes = pd.read_csv(market_data_dir / "RUT.csv", parse_dates=["date"]).set_index("date")["close"].dropna()
    year = closes.loc["2025-01-01":"2025-12-31"]
    upto = closes.loc[:"2025-12-31"]
    base = closes.loc[:"2024-12-31"]
    under = year / year.cummax() - 1
    trough = under.idxmin()
    peak = year.loc[:trough].idxmax()
    rut = table["RUT"]
    assert rut["Base close (day)"] == f"{base.iloc[-1]:,.2f} ({base.index[-1].date()})"
    assert rut["Last close"] == f"{year.iloc[-1]:,.2f} ({year.index[-1].date()})"
    assert rut["MA20"] == f"{upto.iloc[-20:].mean():,.2f}" and rut["MA200"] == f"{upto.iloc[-200:].mean():,.2f}"
    assert rut["Drawdown peak → trough"] == f"{peak.date()} → {trough.date()}"
    assert rut["High (day)"] == f"{year.max():,.2f} ({year.idxmax().date()})"
    assert rut["Daily vol"] == f"{year.pct_change().dropna().std() * 100:.2f}%"
    pairs = evidence_pairs_table(report, lang="en").set_index("Pair")
    spx = pd.read_csv(market_data_dir / "SPX.csv", parse_dates=["date"]).set_index("date")["close"].dropna()
    both = pd.concat([closes, spx], axis=1, join="inner").loc["2025-01-01":"2025-12-31"]
    ratio = both.iloc[:, 0] / both.iloc[:, 1]
    assert pairs.loc["RUT/SPX", "Ratio high (day)"] == f"{ratio.max():,.4f} ({ratio.idxmax().date()})"
