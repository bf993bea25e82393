"""The finsight evaluation harness: a golden question set, independent expected figures, scores.

`python -m benchmarks.eval.run` (or `make bench`) runs the golden set through the research
service and writes a dated JSON and a Markdown summary under `benchmarks/results/`.
"""
