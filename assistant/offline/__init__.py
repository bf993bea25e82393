"""The offline analyst: a cited research report written from tool results alone, no language model.

`analyst` runs one answer (Request -> tools -> Findings -> AnswerDoc); `direct` writes the first
lines (what was assumed, then the direct answer); `report`, `short`, `outlook` and `evidence`
are the report's sections and quotes; `phrases` holds every sentence frame in both languages;
`declines` the refusals that help; `question` the older Intent the report templates read.
"""

from assistant.offline.analyst import OfflineAnalyst, followups, source_list

__all__ = ["OfflineAnalyst", "followups", "source_list"]
