"""`make bench` entry for the analysis questions (benchmarks/eval/realistic/analysis_questions.yaml).

Asks every analysis question (calendar tables, drawdown episodes, regimes, rate sensitivity,
rolling views, what prices cannot measure; zh and en, with follow-ups) through the offline analyst
and prints how many were computed (the right tool, figures matching pandas), honestly declined,
wrong or substituted. Writes benchmarks/results/<stamp>-analyses-eval.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: make the repo importable

from benchmarks.eval.realistic.analyses import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
