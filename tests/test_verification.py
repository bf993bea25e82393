"""Verification: dangling citations, figure extraction and grounding (pure functions)."""

from __future__ import annotations

import pytest

from assistant.grounding.citations import CitationRegistry
from assistant.grounding.figures import extract_figures
from assistant.grounding.marketview import exact_values
from assistant.grounding.verification import ground_figures, strip_dangling, verify_answer
from knowledge import Passage


def _passage(n: int, text: str) -> Passage:
    return Passage(chunk_id=f"c{n}", source_id=f"s{n}", text=text, title=f"Doc {n}", publisher="Pub")


def test_dangling_citation_is_removed_and_reported() -> None:
    registry = CitationRegistry()
    registry.add_passage(_passage(1, "Small caps look cheap."))
    result = verify_answer("Small caps look cheap [1]. Rates will fall [7].\n[7] Made-up source", registry)
    assert result.dangling == [7]
    assert "[7]" not in result.text
    assert "Made-up source" not in result.text  # a reference line led by a dangling id goes whole
    assert "[1]" in result.text
    assert result.cited == [1]


def test_market_id_is_dangling_without_a_market_report() -> None:
    assert strip_dangling("RUT rose [0][1].", {1}) == ("RUT rose [1].", [0])
    assert strip_dangling("RUT rose [0, 1] and fell [0].", {1}) == ("RUT rose [1] and fell.", [0])


def test_invented_figure_is_flagged_ungrounded() -> None:
    figures = ground_figures("Small caps will beat large caps by 90% [0].", market=[0.1184, 0.0071])
    assert [(f.text, f.grounded, f.source_id) for f in figures] == [("90%", False, None)]


def test_percent_grounds_against_a_fraction_with_rounding() -> None:
    (fig,) = ground_figures("The Russell 2000 rose +11.84% [0].", market=[0.11843])
    assert fig.grounded and fig.source_id == 0 and fig.value == 11.84 and fig.unit == "percent"
    # Written at lower precision it still matches; at a different value it does not.
    assert ground_figures("up 12%", market=[0.11843])[0].grounded
    assert ground_figures("up 11.8%", market=[0.11843])[0].grounded
    assert not ground_figures("up 11.9%", market=[0.11843])[0].grounded
    assert not ground_figures("up 11.85%", market=[0.11843])[0].grounded


def test_percent_stored_as_percent_and_plain_fraction() -> None:
    assert ground_figures("The 10-year yield is 4.25%.", market=[4.2512])[0].grounded
    assert ground_figures("The ratio ended at 0.3767.", market=[0.37667])[0].grounded
    assert ground_figures("It closed at 2,613.74.", market=[2613.7412])[0].grounded


def test_sign_rules() -> None:
    assert ground_figures("the index fell 8.54% at worst", market=[-0.08543])[0].grounded
    assert ground_figures("drawdown -8.54%", market=[-0.08543])[0].grounded
    assert not ground_figures("return -11.12%", market=[0.11118])[0].grounded
    assert not ground_figures("return +8.54%", market=[-0.08543])[0].grounded


def test_derived_volatility_premium_grounds() -> None:
    report = {"series": {"A": {"daily_vol": 0.0115, "last_close": 110.0, "ma20": 100.0},
                         "B": {"daily_vol": 0.0071}},
              "pairs": {"A/B": {"a": "A", "b": "B", "vol_ratio": 0.0115 / 0.0071}}}
    values = exact_values(report)
    figs = ground_figures("daily volatility 1.15% vs 0.71%, 62% higher; 10.00% above MA20", market=values)
    assert [f.text for f in figs] == ["1.15%", "0.71%", "62%", "10.00%"]
    assert all(f.grounded for f in figs)


def test_passage_figures_ground_to_the_cited_passage() -> None:
    passages = {1: "GDPNow tracks growth of about 5.3% for Q4.", 2: "Growth of 5.3% and cuts of 75-100 bp."}
    figs = ground_figures("Growth near 5.3% [2]; the Fed may cut 75-100个基点 [2]. P/E 14.2x", {}, passages)
    assert [(f.text, f.source_id) for f in figs[:3]] == [("5.3%", 2), ("75", 2), ("100个基点", 2)]
    assert figs[3].text == "14.2x" and not figs[3].grounded
    # Without a marker in the sentence, the first passage that has it is used.
    assert ground_figures("growth near 5.3%", (), passages)[0].source_id == 1


@pytest.mark.parametrize(
    "text",
    [
        "在2025年9月至2026年1月期间,截至2026-01-30。",
        "From Sep 2025 to Jan 2026, as of Jan 5, 2026 and 5 January 2026.",
        "Russell 2000, S&P 500, Nasdaq-100, 罗素2000, 标普500 and 纳斯达克100 [1][2].",
        "MA20 > MA50, MA200, the 20-day average, 20日年化波动率 and the 10-year Treasury.",
        "- 短期(1-3个月) - 中期(6-12个月) - 长期(1年以上); 6-12 months; 105 trading days.",
        "## 1. Headline\n2. Second point\n3) third\n(4) fourth",
        "Rating ★★★★☆ (4/5), 3 stars; in 2025 and Q4 2025; https://example.com/2026/01/99.5",
        "Top 10 small caps, 3 reasons, 45个月周期, 第2季度",
    ],
)
def test_non_figures_are_skipped(text: str) -> None:
    assert extract_figures(text) == []


def test_figure_kinds() -> None:
    figs = extract_figures("**+11.84%**, 11.84 %, 14.2x, 1.2倍, 25bp, 50个基点, 2,345.67, 0.77, −3.1%, 20-60%")
    assert [(f.value, f.unit) for f in figs] == [
        (11.84, "percent"), (11.84, "percent"), (14.2, "multiple"), (1.2, "multiple"), (25, "bp"),
        (50, "bp"), (2345.67, "price"), (0.77, "number"), (-3.1, "percent"), (20, "percent"), (60, "percent"),
    ]


def test_citations_are_renumbered_in_reading_order() -> None:
    registry = CitationRegistry()
    for n, body in enumerate(("First passage.", "Growth near 5.3% in Q4.", "Small caps look cheap."), start=1):
        registry.add_passage(_passage(n, body))  # ids 1, 2, 3 in retrieval order
    text = ("Small caps look cheap [3]. Growth near 5.3% [2][3].\n\n### References\n\n"
            "- [2] Pub - Doc 2\n- [3] Pub - Doc 3\n")
    result = verify_answer(text, registry)
    assert result.text.startswith("Small caps look cheap [1]. Growth near 5.3% [1][2].")
    assert result.text.index("- [1] Pub - Doc 3") < result.text.index("- [2] Pub - Doc 2")
    assert result.cited == [1, 2]
    # The registry follows the text: [1] is now the third passage, the uncited one comes last.
    assert [registry.passage(i).chunk_id for i in (1, 2, 3)] == ["c3", "c2", "c1"]
    assert [(c.id, c.title) for c in registry.citations({1, 2})] == [(1, "Doc 3"), (2, "Doc 2")]
    # The figure's source id is the new id of the passage that states it.
    (fig,) = result.figures
    assert fig.text == "5.3%" and fig.source_id == 2 and fig.grounded


def test_renumbering_pure_functions() -> None:
    from assistant.grounding.renumber import apply_numbering, cited_in_order, reading_order

    text = "A [0][9]. B [3, 9].\n- [0] market\n- [9] nine\n- [3] three"
    assert cited_in_order(text) == [0, 9, 3]
    mapping = reading_order(text, {0, 3, 5, 9})
    assert mapping == {0: 0, 9: 1, 3: 2, 5: 3}
    assert apply_numbering(text, mapping) == "A [0][1]. B [1][2].\n- [0] market\n- [1] nine\n- [2] three"
    assert reading_order("no citations", {1, 2}) == {1: 1, 2: 2}
