"""Hostile files (issue 15): each one's load time and peak memory, against the targets
(under 10 s and under 500 MB each).

The files are built on the spot by tests/hostile_files.py at the sizes of the issue: a DOCX whose
zip directory lies (2.2 GB inflated), 283k paragraphs, 64k styles, a 49 MB one-line text file, a
45 MB and a 7 MB HTML page, a PDF whose content stream inflates past pypdf's limit. Each is
loaded in a fresh process the way ingest loads it (read, sniff, parse in the sandbox child) and,
when it loads, chunked. Reported: outcome, seconds to load and to chunk, the peak RSS of the
ingesting process and of the sandbox child that parsed it; the larger is held to the target.

    python benchmarks/bench_hostile.py [--quick]     (--quick: one-tenth sizes)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TARGET_S, TARGET_MB = 10.0, 500.0

CHILD = """
import json, resource, sys, time
from pathlib import Path
from knowledge.chunking import chunk_text
from knowledge.loaders import loader_for_content
from knowledge.loaders.sandbox import ParseReport, load_in_sandbox
from knowledge.models import KnowledgeError

if __name__ == "__main__":
    path = Path(sys.argv[1])
    load_in_sandbox(loader_for_content(b"# warm", "warm.md"), b"# warm\\n\\nup", "warm.md")  # fork server up
    report = ParseReport()
    started = time.perf_counter()
    chunks, chunk_s = None, None
    try:
        data = path.read_bytes()
        doc = load_in_sandbox(loader_for_content(data, path.name), data, str(path), report=report)
        outcome = f"loaded {len(doc.text):,} chars"
        load_s = time.perf_counter() - started
        t = time.perf_counter()
        chunks = len(chunk_text(doc.text))
        chunk_s = time.perf_counter() - t
    except KnowledgeError as exc:
        load_s = time.perf_counter() - started
        outcome = "refused: " + str(exc)
    print(json.dumps({"outcome": outcome, "load_s": load_s, "chunk_s": chunk_s, "chunks": chunks,
                      "parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "child_mb": report.child_peak_mb}))
"""


def main() -> int:
    from tests import hostile_files as hostile

    quick = "--quick" in sys.argv
    cases = {
        "lying zip directory": lambda: hostile.lying_zip_docx(220 if quick else 2200),
        "283k paragraphs": lambda: hostile.many_paragraphs_docx(28_300 if quick else 283_000),
        "64k styles": lambda: hostile.many_styles_docx(6_400 if quick else 64_000),
        "49 MB one-line text": lambda: hostile.one_line_text(5 if quick else 49),
        "45 MB HTML": lambda: hostile.big_html(5 if quick else 45),
        "7 MB HTML (read whole)": lambda: hostile.big_html(7),
        "PDF stream bomb": lambda: hostile.pdf_stream_bomb(120),
    }
    print(f"targets: under {TARGET_S:.0f} s and under {TARGET_MB:.0f} MB peak RSS per file{' (quick sizes)' if quick else ''}")
    header = f"{'file':<24} {'size MB':>8} {'load s':>7} {'chunk s':>8} {'ingest MB':>10} {'parser MB':>10} {'s/target':>9} {'MB/target':>10}  outcome"
    print(header)
    print("-" * len(header))
    worst_s = worst_mb = 0.0
    misses = []
    with tempfile.TemporaryDirectory(prefix="finsight-hostile-") as folder:
        for label, build in cases.items():
            name, data = build()
            path = Path(folder) / name
            path.write_bytes(data)
            del data
            proc = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=REPO, capture_output=True, text=True,
                                  timeout=900)
            if proc.returncode != 0:
                print(f"{label:<24} failed: {proc.stderr.strip().splitlines()[-1:]}")
                misses.append(label)
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            total_s = r["load_s"] + (r["chunk_s"] or 0.0)
            peak = max(r["parent_mb"], r["child_mb"] or 0.0)
            worst_s, worst_mb = max(worst_s, total_s), max(worst_mb, peak)
            if total_s >= TARGET_S or peak >= TARGET_MB:
                misses.append(label)
            chunk = f"{r['chunk_s']:.2f}" if r["chunk_s"] is not None else "–"
            child = f"{r['child_mb']:.0f}" if r["child_mb"] is not None else "killed"
            print(f"{label:<24} {path.stat().st_size / 1e6:>8.2f} {r['load_s']:>7.2f} {chunk:>8} {r['parent_mb']:>10.0f} "
                  f"{child:>10} {total_s / TARGET_S:>9.2f} {peak / TARGET_MB:>10.2f}  {r['outcome'][:90]}")
            path.unlink()
    print(f"worst: {worst_s:.2f} s ({worst_s / TARGET_S:.2f} of target), {worst_mb:.0f} MB ({worst_mb / TARGET_MB:.2f} of target)")
    print("all within target" if not misses else f"over target: {', '.join(misses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
