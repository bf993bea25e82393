"""Exporting the reference answer: Markdown (built on every render) and PDF (built on click).

The PDF is deferred to the click because building it costs far more than a rerun's budget;
this prints both so the ratio stays visible.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "market-data"
QUESTION = "小盘股基本面改善能否支撑其相对大盘股的持续性超额表现?(2025年9月至2026年1月)"


def timed(build, runs: int) -> tuple[float, int]:
    """(median milliseconds, size in bytes) over `runs` builds."""
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(build())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


def main() -> int:
    if not (DATA / "RUT.csv").exists():
        print(f"skipped: no market data at {DATA}")
        return 0
    from assistant.service import ResearchService
    from assistant.settings import Settings
    from ui.components.export import answer_markdown
    from ui.components.export_pdf import answer_pdf

    runs = 5 if "--quick" in sys.argv else 20
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(_env_file=None, finsight_home=home, finsight_market_data_dir=DATA,
                            finsight_market_providers="csv", openai_api_key=None, openai_base_url=None)
        answer = ResearchService(settings).ask(QUESTION)
    answer_pdf(answer)  # first build registers the fonts; not counted
    md_ms, md_bytes = timed(lambda: answer_markdown(answer).encode(), runs)
    pdf_ms, pdf_bytes = timed(lambda: answer_pdf(answer), runs)
    print(f"reference answer ({len(answer.citations)} references, {len(answer.figures)} figures), {runs} builds each:")
    print(f"  Markdown: median {md_ms:.2f} ms, {md_bytes:,} bytes")
    print(f"  PDF:      median {pdf_ms:.1f} ms, {pdf_bytes:,} bytes (no font embedded)")
    print(f"  PDF / Markdown time: {pdf_ms / md_ms:.0f}x, so the PDF is built only when its button is clicked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
