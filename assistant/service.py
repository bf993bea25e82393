"""The research service: one question in, one verified, cited answer out.

It owns the long-lived parts (market data, knowledge base, conversation store), builds a fresh
toolbox and citation registry per answer, runs the LLM analyst when an endpoint is configured
(falling back to the offline analyst when it is not, or when it fails), verifies the draft and
stores the turn.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from functools import cached_property

from assistant.analyst import Analyst
from assistant.answer import Answer, AnswerEvent, Event, StepEvent, TokenEvent
from assistant.grounding.citations import CitationRegistry
from assistant.grounding.coverage import check_coverage, findings_of, used_by_figures
from assistant.grounding.verification import verify_answer
from assistant.history import ConversationStore
from assistant.language import detect_language, has_supported_script
from assistant.notes import Note, note, note_text
from assistant.offline.analyst import OfflineAnalyst
from assistant.reading import previous_request, read_request
from assistant.settings import Settings
from assistant.tools import Toolbox
from knowledge import KnowledgeBase
from knowledge.market import MarketData
from knowledge.text import first_line

MAX_QUESTION_CHARS = 4000


class QuestionError(ValueError):
    """A question that cannot be asked as written; the message says what to do."""


def check_question(question: str) -> str:
    """Return the stripped question or raise QuestionError with a one-line fix."""
    text = (question or "").strip()
    if not text:
        raise QuestionError("The question is empty: type a question, e.g. 'How did the Russell 2000 do this year?'")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is {len(text):,} characters; keep it under {MAX_QUESTION_CHARS:,} "
            "(put long documents in the knowledge base instead)."
        )
    return text


class ResearchService:
    """Answers questions with tools; shared by the CLI and the UI (one per process)."""

    def __init__(self, settings: Settings | None = None, today: date | None = None, *,
                 market: MarketData | None = None, kb: KnowledgeBase | None = None,
                 history: ConversationStore | None = None, offline: Analyst | None = None,
                 llm: Analyst | None = None) -> None:
        """Collaborators not given are built from `settings` on first use; tests inject in-process
        ones (a market on a synthetic price folder, a scripted analyst) instead of patching."""
        self.settings = settings or Settings()
        self.today = today
        self._kb_lock = threading.Lock()
        self._kb: KnowledgeBase | None = kb
        # Seed the cached properties below with what was injected.
        given = {"market": market, "history": history, "offline": offline, "llm": llm}
        self.__dict__.update({name: value for name, value in given.items() if value is not None})

    @cached_property
    def market(self) -> MarketData:
        s = self.settings
        return MarketData(csv_dir=s.finsight_market_data_dir, cache_dir=s.market_cache_path, providers=s.provider_order)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base, opened (and the demo pack loaded) on first use by any thread."""
        # A lock, not cached_property: the UI's warm-up thread and a first question may race here.
        with self._kb_lock:
            if self._kb is None:
                self._kb = self._open_kb()
            return self._kb

    @property
    def kb_loaded(self) -> bool:
        return self._kb is not None

    def _open_kb(self) -> KnowledgeBase:
        kb = self._new_kb()
        if self.settings.finsight_demo_pack:
            kb.ensure_demo_pack()
        return kb

    def _new_kb(self) -> KnowledgeBase:
        s = self.settings
        key = s.openai_api_key.get_secret_value() if s.openai_api_key else None
        return KnowledgeBase(
            None if s.finsight_chroma_url else s.chroma_path,
            chroma_url=s.finsight_chroma_url,
            embedding=s.finsight_embedding,
            openai_api_key=key,
            openai_base_url=s.openai_base_url,
        )

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Re-embed the knowledge base with the configured model (after FINSIGHT_EMBEDDING changed).

        Works on a store the current model cannot open; returns the chunks re-embedded.
        """
        with self._kb_lock:
            kb = self._kb or self._new_kb()
            done = kb.reindex(progress)
            self._kb = kb
        return done

    @cached_property
    def history(self) -> ConversationStore:
        return ConversationStore(self.settings.history_path)

    @cached_property
    def offline(self) -> Analyst:
        return OfflineAnalyst()

    @cached_property
    def llm(self) -> Analyst | None:
        if not self.settings.llm_configured:
            return None
        from assistant.llm.agent import LLMAnalyst  # imported lazily: langchain is slow to import

        return LLMAnalyst(self.settings)

    def warm_up(self) -> None:
        """Load the slow parts (embedding model, knowledge index, LLM client libraries) ahead of
        the first question; the UI runs this in a background thread after its first paint."""
        kb = self._kb_or_none(lambda _event: None)
        if kb is not None:
            # A failure here is reported properly by the first real search.
            with contextlib.suppress(Exception):
                kb.search("warm up", k=1)
        if self.settings.llm_configured:
            import assistant.llm.agent  # noqa: F401 - langchain takes seconds to import

    def mode_label(self) -> str:
        """What answers: 'LLM · <model>' or 'offline analyst'."""
        return f"LLM · {self.settings.finsight_model}" if self.settings.llm_configured else "offline analyst"

    def ask(self, question: str, thread_id: str | None = None, owner: str = "") -> Answer:
        """Answer one question (blocking) and return the verified answer."""
        answer = None
        for event in self.ask_stream(question, thread_id=thread_id, owner=owner):
            if isinstance(event, AnswerEvent):
                answer = event.answer
        assert answer is not None  # ask_stream always ends with an AnswerEvent or raises
        return answer

    def ask_stream(self, question: str, thread_id: str | None = None, owner: str = "") -> Iterator[Event]:
        """Yield StepEvents and TokenEvents while the answer is written, then one AnswerEvent.

        Raises QuestionError at once for an empty or oversized question.
        """
        text = check_question(question)
        events: queue.Queue[Event | BaseException | None] = queue.Queue()

        def work() -> None:
            try:
                events.put(AnswerEvent(answer=self._answer(text, thread_id, owner, events.put)))
            except BaseException as exc:  # handed to the consumer, which re-raises it
                events.put(exc)
            finally:
                events.put(None)

        worker = threading.Thread(target=work, name="finsight-answer", daemon=True)
        worker.start()
        while (item := events.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
        worker.join()

    def _answer(self, question: str, thread_id: str | None, owner: str, emit: Callable[[Event], None]) -> Answer:
        started = time.perf_counter()
        thread_id = thread_id or uuid.uuid4().hex[:12]
        if self.history.owner_of(thread_id) not in (None, owner):
            # Refuse before any tool or model work is spent on someone else's thread.
            raise PermissionError("this conversation belongs to another user; start a new one")
        previous = self.history.turns(thread_id, owner=owner)
        registry = CitationRegistry()
        toolbox = Toolbox(self.market, self._kb_or_none(emit), registry, on_step=emit, today=self.today)

        mode, model = "offline", None
        notes: list[Note] = []
        if not has_supported_script(question):
            notes.append(note("third_language"))
        draft = None
        if self.llm is not None:
            from assistant.llm.agent import LLMUnavailable

            try:
                draft = self.llm.run(question, previous, toolbox, emit)
                mode, model = "llm", self.settings.finsight_model
            except LLMUnavailable as exc:
                notes.append(note("llm_unavailable", reason=exc))
                emit(StepEvent(label="offline analyst (fallback)", detail={"reason": str(exc)}))
                registry = CitationRegistry()
                toolbox = Toolbox(self.market, toolbox.kb, registry, on_step=emit, today=self.today)
        if draft is None:
            draft = self.offline.run(question, previous, toolbox, emit)

        if not draft.markdown.strip():
            raise RuntimeError(f"the {mode} analyst produced no answer; try rephrasing the question")
        # The text and its AnswerDoc are verified together: one numbering for both.
        checked = verify_answer(draft.markdown, registry, doc=draft.doc)
        request = draft.request or read_request(question, previous_request(previous), toolbox.today,
                                                data_end_of=toolbox.data_end)
        market = registry.market_json()
        # The offline analyst's document names the Findings it shows; a model's prose, read into
        # sections, names none: its figures say which it used.
        if mode == "offline" and draft.doc is not None:
            used = draft.doc.findings_used()
        else:
            used = used_by_figures(findings_of(market), checked.figures)
        language = draft.language or detect_language(question)
        all_notes = notes + list(draft.notes)
        answer = Answer(
            question=question,
            thread_id=thread_id,
            mode=mode,
            model=model,
            language=language,
            answer=checked.text,
            citations=registry.citations(used=set(checked.cited) | {f.source_id for f in checked.figures if f.grounded}),
            figures=checked.figures,
            tool_calls=toolbox.calls,
            dangling_citations=checked.dangling,
            notes=[note_text(n, language) for n in all_notes],
            note_codes=all_notes,
            followups=list(draft.followups),
            market=market,
            elapsed_s=round(time.perf_counter() - started, 3),
            request=request.model_dump(mode="json"),
            coverage=check_coverage(request, market, used, checked.text,
                                    declined_all=bool(draft.doc and draft.doc.section("decline")) and not market),
            doc=checked.doc.model_dump(mode="json") if checked.doc else None,
        )
        self.history.add_turn(thread_id, answer, owner=owner)
        return answer

    def _kb_or_none(self, emit: Callable[[Event], None]) -> KnowledgeBase | None:
        # The knowledge base is optional evidence: a broken store must not stop market answers.
        try:
            return self.kb
        except Exception as exc:  # noqa: BLE001 - any store failure degrades to "no passages"
            emit(StepEvent(label="knowledge base unavailable", detail={"reason": first_line(exc)}))
            return None


__all__ = ["ResearchService", "QuestionError", "check_question", "TokenEvent", "StepEvent", "AnswerEvent"]
