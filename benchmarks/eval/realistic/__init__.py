"""Realistic questions: typed the way investors type them, judged on what the answer measured.

`questions.yaml` holds the questions with the intent a person wrote down before running them;
`expected.py` computes every asked figure from the CSVs (pandas, independent of the app);
`judge.py` classes each answered turn; `run.py` asks them through the research service.
See README.md here for the conventions.
"""
