"""Benchmark: the agent on the reference question, with the scripted model and offline.

Run: .venv/bin/python benchmarks/bench_agent.py   (reads ../shared/market-data; state in a temp folder)
Prints, for 小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?:
- LLM round trips and prompt tokens in total (tokenizer-free estimate from tests/scripted_llm.py:
  the real BPE files cannot be downloaded here; the estimate errs on the high side),
- time from question to first streamed token, excluding the model (the scripted model answers
  at once, so every millisecond is finsight's: setup, HTTP, tools, retrieval),
- the offline answer's wall time after warm-up, through ResearchService.
Targets: < 8k prompt tokens, < 300 ms to first token, < 2 s offline.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answer import AnswerEvent, TokenEvent  # noqa: E402
from assistant.service import ResearchService  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from tests.scripted_llm import Reply, ScriptedLLM, calls, text  # noqa: E402

DATA = ROOT.parent / "shared" / "market-data"
QUESTION = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?"
FOLLOW_UP = "只看最近一个月呢?"
TODAY = date(2026, 8, 23)
RUNS = 5


def tool_json(body: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The market report and passages the agent sent back to the model."""
    market, passages = {}, []
    for m in body["messages"]:
        if m["role"] != "tool":
            continue
        data = json.loads(m["content"])
        market = data if "series" in data else market
        passages += data.get("passages", [])
    return market, passages


def report(body: dict[str, Any]) -> Reply:
    """A report-shaped answer (REPORT-ANATOMY sections) quoting the tool results, as a model would."""
    market, passages = tool_json(body)
    rut, spx = market["series"]["RUT"], market["series"]["SPX"]
    pair = market["pairs"]["RUT/SPX"]
    cite = passages[0]["cite"] if passages else 0
    refs = "\n".join(f"[{p['cite']}] {p['publisher']}, {p['title']}, {p['date']}, {p['url']}" for p in passages[:3])
    return text(
        f"## 核心结论\n罗素2000在{market['window']['first_date']}至{market['window']['last_date']}上涨"
        f"{rut['return_pct']}% [0],标普500上涨{spx['return_pct']}% [0],超额收益{pair['excess_return_pct']}% [0]。\n\n"
        f"## 相对强度与趋势\n小盘/大盘比值较高点回落{pair['rs_from_max_pct']}% [0];收盘价相对MA50 {rut['last_vs_ma50_pct']}% [0]。\n\n"
        f"## 催化剂\n- 机构认为小盘股处于复苏早期 [{cite}]\n\n"
        f"## 技术指标\n| 指标 | 数值 | 解读 |\n|---|---|---|\n| 20日年化波动率 | {rut['ann_vol_20d_pct']}% [0] | 波动偏高 |\n"
        f"| 日波动率(小盘/大盘) | {rut['daily_vol_pct']}% / {spx['daily_vol_pct']}% [0] | 小盘高{pair['vol_premium_pct']}% |\n\n"
        f"## 风险\n- 最大回撤{rut['max_drawdown_pct']}% [0]\n\n## 评分\n| 维度 | 评分 |\n|---|---|\n| 动能 | ★★★☆☆ |\n\n"
        f"## 展望\n- 1-3个月:震荡\n- 6-12个月:取决于盈利\n- 1年以上:看基本面\n\n## 参考资料\n[0] 市场数据\n{refs}\n\n"
        "免责声明:基于历史数据,不构成投资建议。"
    )


def script() -> list:
    return [
        calls(
            ("market_metrics", {"symbols": ["RUT", "SPX"], "start": "2025-09-01", "end": "2026-01-31"}),
            ("search_sources", {"query": "small caps fundamentals earnings outlook valuation"}),
        ),
        report,
    ]


def follow_up_script() -> list:
    return [calls(("market_metrics", {"symbols": ["RUT", "SPX"], "period": "最近一个月"})), report]


def timed_llm_run(service: ResearchService, server: ScriptedLLM, question: str, thread: str | None, plan: list):
    """(ms to first token, total ms, answer) for one question; model delays are subtracted."""
    server.set_script(plan)
    t0 = time.perf_counter()
    first = None
    answer = None
    for event in service.ask_stream(question, thread_id=thread):
        if isinstance(event, TokenEvent) and first is None:
            first = time.perf_counter()
        if isinstance(event, AnswerEvent):
            answer = event.answer
    total = time.perf_counter()
    model = server.model_delay_s
    return (first - t0 - model) * 1000, (total - t0 - model) * 1000, answer


def main() -> int:
    if not (DATA / "RUT.csv").exists():
        print(f"market data not found at {DATA}; put shared/market-data beside the checkout")
        return 1
    with tempfile.TemporaryDirectory(prefix="finsight-bench-agent-", ignore_cleanup_errors=True) as tmp:
        return measure(Path(tmp))


def measure(home: Path) -> int:
    base = {"finsight_home": home, "finsight_market_data_dir": DATA, "finsight_market_providers": "csv"}

    with ScriptedLLM() as server:
        llm_settings = Settings(**base, openai_base_url=server.base_url, openai_api_key="bench-key",
                                finsight_model="scripted-model")
        service = ResearchService(llm_settings, today=TODAY)
        t0 = time.perf_counter()
        service.kb  # noqa: B018 - embed the demo pack before timing anything
        print(f"state folder {home}; demo pack ready in {time.perf_counter() - t0:.1f} s (not counted)")

        cold_first, _, answer = timed_llm_run(service, server, QUESTION, None, script())
        trips = len(server.requests)
        per_trip = [r.prompt_tokens for r in server.requests]
        assert answer is not None and answer.mode == "llm", "the scripted run fell back to offline"
        grounded = f"{answer.grounded_count}/{len(answer.figures)}"

        firsts, totals = [], []
        for i in range(RUNS):
            first, total, _ = timed_llm_run(service, server, QUESTION, f"bench-{i}", script())
            firsts.append(first)
            totals.append(total)
        timed_llm_run(service, server, QUESTION, "bench-follow", script())
        timed_llm_run(service, server, FOLLOW_UP, "bench-follow", follow_up_script())
        follow_tokens = server.total_prompt_tokens

    print("\nLLM path (scripted OpenAI-compatible server on 127.0.0.1, real HTTP + langchain):")
    print(f"  round trips for the reference question: {trips}")
    print(f"  prompt tokens in total (estimate, no tokenizer files offline): {sum(per_trip)} "
          f"(per trip {per_trip}; target < 8000)")
    print(f"  follow-up '{FOLLOW_UP}' prompt tokens in total: {follow_tokens}")
    print(f"  figures grounded in the scripted answer: {grounded}")
    print(f"  first streamed token, cold (first question in the process): {cold_first:.0f} ms")
    print(f"  first streamed token after warm-up: median {statistics.median(firsts):.0f} ms, "
          f"best {min(firsts):.0f} ms over {RUNS} runs (target < 300 ms; model time excluded)")
    print(f"  whole verified answer after warm-up: median {statistics.median(totals):.0f} ms")

    offline = ResearchService(Settings(**base, openai_api_key=None, openai_base_url=None), today=TODAY)
    offline.ask(QUESTION)  # warm-up: imports, embedder, frames
    walls = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = offline.ask(QUESTION)
        walls.append(time.perf_counter() - t0)
    assert result.mode == "offline"
    print("\nOffline path (ResearchService without an endpoint):")
    print(f"  reference question wall time after warm-up: median {statistics.median(walls):.2f} s, "
          f"best {min(walls):.2f} s over {RUNS} runs (target < 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
