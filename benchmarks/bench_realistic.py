"""`make bench` entry for the realistic-questions evaluation (see benchmarks/eval/realistic/).

Asks every realistic question (and the golden set, judged the same way) through the offline
analyst and prints, per language, how many turns were understood, silently substituted, honestly
declined, wrongly declined or otherwise failed, plus the most common failure kinds. Writes
benchmarks/results/<stamp>-realistic.json and .md.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: make the repo importable

from benchmarks.eval.realistic.run import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["--quiet", *sys.argv[1:]]))
