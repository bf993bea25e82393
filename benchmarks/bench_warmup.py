"""First question in a fresh process, with and without `ResearchService.warm_up()` beforehand.

The UI calls warm_up in a background thread right after its first paint; this shows what that
saves the reader on the first question. Each measurement runs in its own process, so "cold"
really is cold (no embedding model, no knowledge index loaded).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "market-data"
QUESTION = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?(2025年9月至2026年1月)"

CHILD = """
import sys, time
from assistant.service import ResearchService
from assistant.settings import Settings
s = Settings(_env_file=None, finsight_home=sys.argv[1], finsight_market_data_dir=sys.argv[2],
             finsight_market_providers="csv", openai_api_key=None, openai_base_url=None)
svc = ResearchService(s)
if sys.argv[3] == "warm":
    svc.warm_up()
t = time.perf_counter()
svc.ask(sys.argv[4])
print(time.perf_counter() - t)
"""


def first_question_seconds(home: str, mode: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, home, str(DATA), mode, QUESTION],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    if not (DATA / "RUT.csv").exists():
        print(f"skipped: no market data at {DATA}")
        return 0
    runs = 2 if "--quick" in sys.argv else 4
    with tempfile.TemporaryDirectory() as home:
        first_question_seconds(home, "cold")  # embeds the demo pack once; not counted
        cold = [first_question_seconds(home, "cold") for _ in range(runs)]
        warm = [first_question_seconds(home, "warm") for _ in range(runs)]
    print(f"first question in a fresh process, offline mode, {runs} runs each:")
    print(f"  without warm-up: median {statistics.median(cold):.2f} s")
    print(f"  after warm_up(): median {statistics.median(warm):.2f} s")
    print(f"  saved for the reader: {statistics.median(cold) - statistics.median(warm):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
