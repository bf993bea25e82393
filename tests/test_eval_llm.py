"""The evaluation harness in LLM mode: a golden slice against a scripted model on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.eval.golden import by_id
from tests import scripted_llm

# -- a slice of the golden set, end to end, in LLM mode against a scripted model ------------------

LLM_SLICE = ("perf-en-1", "cmp-en-1", "dec-en-1")  # one index, two indexes, a decline
REFUSAL = "There is no price data for the Nikkei 225 here, so I cannot report how it performed over that window."


def scripted_analyst(questions, alter: str | None = None):
    """A deliberately simple "model": per request it reads the body it was sent.

    Round trip 1 calls market_metrics with the symbols and window of the golden question (taken
    from the question's own figure specs), round trip 2 quotes the figures from the tool result
    JSON that came back, cited [0]. `alter` names one figure spec it misquotes by +0.5 points.
    """
    by_text = {q.question: q for q in questions}

    def reply(body: dict):
        messages = body["messages"]
        asked = [m["content"] for m in messages if m["role"] == "user"][-1]
        q = next(q for text, q in by_text.items() if text in asked)
        if q.decline:
            return scripted_llm.text(REFUSAL)
        targets = [spec.partition(":")[2].split("/") for spec in q.figures]
        symbols = list(dict.fromkeys(sym for target in targets for sym in target))
        results = [m["content"] for m in messages if m["role"] == "tool"]
        if not results:
            start, end = q.window
            return scripted_llm.call("market_metrics", symbols=symbols, start=start, end=end)
        data = json.loads(results[-1])
        lines = []
        for spec in q.figures:
            metric, _, target = spec.partition(":")
            if metric == "return":
                label, value = f"{target} return", data["series"][target]["return_pct"]
            elif metric == "excess":
                label, value = f"{target} excess return", data["pairs"][target]["excess_return_pct"]
            else:
                raise AssertionError(f"the scripted model cannot quote {spec}")
            value += 0.5 if spec == alter else 0.0
            lines.append(f"{label}: {value:+.2f}% [0].")
        return scripted_llm.text(" ".join(lines))

    return reply


@pytest.mark.slow
def test_golden_slice_runs_in_llm_mode_against_a_scripted_model(market_data_dir: Path, tmp_path: Path):
    from benchmarks.eval.run import run_modes

    questions = [by_id(i) for i in LLM_SLICE]
    # Two round trips per market question (tool call, answer), one for the decline.
    trips = sum(1 if q.decline else 2 for q in questions)
    with scripted_llm.ScriptedLLM() as server:
        endpoint = {"openai_base_url": server.base_url, "openai_api_key": "eval-test-key",
                    "finsight_model": "scripted-model", "finsight_llm_timeout": 10.0}

        def run(alter: str | None = None) -> dict[str, dict]:
            server.set_script([scripted_analyst(questions, alter)] * trips)
            runs = run_modes(["llm"], questions, market_data_dir, tmp_path, endpoint=endpoint)
            assert not server.errors and not server.script, server.errors
            assert len(server.requests) == trips
            return {row["id"]: row for row in runs["llm"]["questions"]}

        rows = run()
        problems = {i: (r["error"], r["missed"], r["answer"]) for i, r in rows.items()}
        assert list(rows) == list(LLM_SLICE)
        assert all(r["mode"] == "llm" and r["error"] is None and r["language_ok"] for r in rows.values()), problems
        for qid in ("perf-en-1", "cmp-en-1"):
            row = rows[qid]
            assert row["figure_total"] == len(by_id(qid).figures), problems
            assert row["figure_accuracy"] == 1.0 and row["grounding"] == 1.0, problems
            assert row["dangling"] == [] and row["citation_validity"] == 1.0, problems
        assert rows["dec-en-1"]["decline_ok"] is True and rows["dec-en-1"]["answer"] == REFUSAL, problems
        assert rows["dec-en-1"]["figure_total"] == 0

        altered = run(alter="excess:RUT/SPX")
        assert all(r["mode"] == "llm" and r["error"] is None for r in altered.values())
        assert altered["cmp-en-1"]["figure_accuracy"] == pytest.approx(2 / 3)
        assert [m["spec"] for m in altered["cmp-en-1"]["missed"]] == ["excess:RUT/SPX"]
        assert altered["cmp-en-1"]["grounding"] < 1.0  # the verifier traces no tool output to it either
        assert altered["perf-en-1"]["figure_accuracy"] == 1.0 and altered["dec-en-1"]["decline_ok"] is True

        # A rejected key: no retries, the offline analyst answers, and the harness flags every row with why.
        server.set_script([scripted_llm.status(401)] * len(questions))
        fallback = run_modes(["llm"], questions, market_data_dir, tmp_path, endpoint=endpoint)["llm"]["questions"]
        assert len(server.requests) == len(questions)
        assert all(r["mode"] == "offline" and "fell back" in r["error"] and "401" in r["error"] for r in fallback)


def test_llm_mode_without_an_endpoint_stops_with_one_line(market_data_dir: Path, tmp_path: Path, monkeypatch, capsys):
    from benchmarks.eval.run import main

    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    assert main(["--mode", "llm", "--data-dir", str(market_data_dir), "--home", str(tmp_path), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "OPENAI_BASE_URL" in err and "\n" not in err and not list(tmp_path.glob("*-eval.json"))
