"""The `finsight` command: help, one-line errors, and the thin end-to-end slice."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import REPO, read_closes, window_return


def run(args: list[str], env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_help_lists_every_subcommand():
    out = run(["--help"])
    assert out.returncode == 0
    for name in ("ui", "ask", "metrics", "ingest", "search", "sources", "reindex"):
        assert name in out.stdout


@pytest.mark.parametrize("sub", ["ui", "ask", "metrics", "ingest", "search", "sources", "reindex"])
def test_each_subcommand_explains_itself(sub):
    out = run([sub, "--help"])
    assert out.returncode == 0
    assert "usage: finsight " + sub in out.stdout


@pytest.mark.parametrize("args", [["frobnicate"], ["ask"], ["metrics"], [], ["search", "--k", "many", "x"]])
def test_bad_arguments_give_one_line_and_nonzero_exit(args):
    out = run(args)
    assert out.returncode != 0
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr


def test_thin_slice_offline_answer_cites_both_returns(cli_env):
    question = "How did the Russell 2000 do versus the S&P 500 from 2025-09-01 to 2026-01-31?"
    out = run(["ask", question, "--json"], env=cli_env)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["mode"] == "offline"
    assert answer["language"] == "en"

    data = cli_env["FINSIGHT_MARKET_DATA_DIR"]
    from pathlib import Path

    start, end = date(2025, 9, 1), date(2026, 1, 31)
    rut = window_return(read_closes(Path(data) / "RUT.csv"), start, end)
    spx = window_return(read_closes(Path(data) / "SPX.csv"), start, end)
    text = answer["answer"]
    assert f"{rut * 100:.2f}%" in text, text
    assert f"{spx * 100:.2f}%" in text, text
    assert "[0]" in text
    market = [c for c in answer["citations"] if c["id"] == 0]
    assert market and market[0]["kind"] == "market"
    assert all(f["grounded"] for f in answer["figures"]), [f for f in answer["figures"] if not f["grounded"]]


def test_ask_prints_the_answer_once_with_the_registry_references(cli_env):
    question = "How did the Russell 2000 do versus the S&P 500 from 2025-09-01 to 2026-01-31?"
    out = run(["ask", question], env=cli_env)
    assert out.returncode == 0, out.stderr
    # The offline analyst's own list ("- [0] Market data: local market data files ...") is not
    # printed; the registry's is, once; the text itself is printed once (nothing was re-verified).
    assert "local market data files" not in out.stdout
    assert out.stdout.count("### References") == 1
    assert "- [0] Market data: daily closes of RUT, SPX, window 2025-09-02 .. 2026-01-30, provider csv" in out.stdout
    assert out.stdout.count("## Russell 2000 (RUT)") == 1 and "verified text" not in out.stderr


def test_unknown_symbol_is_one_line_without_traceback(cli_env):
    out = run(["metrics", "NOPE123", "--start", "2025-01-01", "--end", "2025-02-01"], env=cli_env)
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr


def test_api_key_is_never_printed(cli_env):
    env = dict(cli_env, OPENAI_API_KEY="sk-test-secret-000111", OPENAI_BASE_URL="http://127.0.0.1:9/v1", FINSIGHT_LLM_RETRIES="0", FINSIGHT_LLM_TIMEOUT="2")
    out = run(["ask", "How did the Russell 2000 do in 2025?", "--json"], env=env)
    assert "sk-test-secret-000111" not in out.stdout + out.stderr
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["mode"] == "offline"  # nothing listens on port 9: fallback


def test_ingest_search_sources_remove_round_trip(tmp_path, cli_env):
    env = dict(cli_env, FINSIGHT_HOME=str(tmp_path / "home"), FINSIGHT_DEMO_PACK="false")
    note = tmp_path / "desk-note.md"
    note.write_text("# Desk note\n\nOur desk saw copper inventories fall sharply in March 2026.\n", encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"\x00\x01 not a pdf")

    out = run(["ingest", str(note), str(broken), "--json"], env=env)
    assert out.returncode == 1, out.stderr  # one item failed; the other is still ingested
    summary = json.loads(out.stdout)
    assert len(summary["added"]) == 1 and len(summary["failed"]) == 1

    again = run(["ingest", str(note), "--json"], env=env)
    assert again.returncode == 0 and json.loads(again.stdout)["skipped"], again.stdout

    listed = json.loads(run(["sources", "--json"], env=env).stdout)
    assert [s["file_name"] for s in listed] == ["desk-note.md"]

    queries = tmp_path / "queries.txt"
    queries.write_text("copper inventories\n\n铜库存\n", encoding="utf-8")
    lines = run(["search", "--queries-file", str(queries)], env=env).stdout.strip().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["query"] == "copper inventories"
    assert first["passages"][0]["source_id"] == listed[0]["source_id"]

    removed = run(["sources", "remove", listed[0]["source_id"]], env=env)
    assert removed.returncode == 0, removed.stderr
    assert json.loads(run(["sources", "--json"], env=env).stdout) == []
    gone = run(["sources", "remove", listed[0]["source_id"]], env=env)
    assert gone.returncode == 1 and len(gone.stderr.strip().splitlines()) == 1


def test_metrics_json_has_the_documented_shape(cli_env):
    out = run(["metrics", "RUT", "SPX", "--start", "2025-09-01", "--end", "2026-01-31", "--json"], env=cli_env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    from pathlib import Path

    rut = read_closes(Path(cli_env["FINSIGHT_MARKET_DATA_DIR"]) / "RUT.csv")
    expected = window_return(rut, date(2025, 9, 1), date(2026, 1, 31))
    assert abs(data["series"]["RUT"]["return"] - expected) < 1e-12
    for key in ("excess_return", "rs_end", "rs_max", "rs_max_date", "rs_from_max", "beta", "correlation", "vol_ratio"):
        assert key in data["pairs"]["RUT/SPX"]
