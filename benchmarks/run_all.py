"""`make bench`: run every benchmark under benchmarks/ and keep their printed figures.

Each benchmark is a script that prints its own figures and ratios; this runner runs them in
turn and writes the combined output to benchmarks/results/<date>-bench.txt.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("bench_*.py"))
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
    out_path = HERE / "results" / f"{stamp}-bench.txt"
    out_path.parent.mkdir(exist_ok=True)
    failed = []
    with out_path.open("w", encoding="utf-8") as out:
        for script in scripts:
            header = f"\n=== {script.name} ===\n"
            print(header, end="", flush=True)
            out.write(header)
            proc = subprocess.run([sys.executable, str(script), *sys.argv[1:]], capture_output=True, text=True, cwd=HERE.parent)
            print(proc.stdout, end="")
            out.write(proc.stdout)
            if proc.returncode != 0:
                failed.append(script.name)
                print(proc.stderr, file=sys.stderr)
                out.write(proc.stderr)
    print(f"\nfigures written to {out_path.relative_to(HERE.parent)}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
