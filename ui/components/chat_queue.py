"""Questions of one browser session, answered one at a time, in the order they were sent.

Streamlit stops a script run when the user sends another message, so an answer must not live
in the script run that asked for it. Each session has one `ChatQueue`: a question is submitted
the moment it is read, a worker thread answers the questions in order (each one after the
previous is stored, so a follow-up always sees the turns before it), and every script run only
*watches* the jobs (`follow`), replaying the events so far and then the new ones.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from assistant import first_line
from assistant.answer import Answer, AnswerEvent, Event

if TYPE_CHECKING:
    from assistant.service import ResearchService

JobState = Literal["queued", "running", "done", "failed"]
_ids = itertools.count(1)


@dataclass
class Job:
    """One question on its way to an answer."""

    question: str
    thread_id: str
    owner: str
    id: int = field(default_factory=lambda: next(_ids))
    state: JobState = "queued"
    events: list[Event] = field(default_factory=list)
    answer: Answer | None = None
    error: str | None = None
    turns_before: int | None = None  # stored turns of the thread when this job started

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def stored_in(self, stored_turns: int) -> bool:
        """True when the thread's stored turns (counted by the caller) already hold this answer."""
        return self.state == "done" and self.turns_before is not None and stored_turns > self.turns_before


class ChatQueue:
    """The session's questions in arrival order, answered by one worker thread."""

    def __init__(self, service: ResearchService) -> None:
        self.service = service
        self._jobs: list[Job] = []
        self._changed = threading.Condition()
        self._worker: threading.Thread | None = None

    def submit(self, question: str, thread_id: str, owner: str) -> Job:
        """Queue `question` for `thread_id`; it is answered after every question sent before it."""
        job = Job(question=question, thread_id=thread_id, owner=owner)
        with self._changed:
            self._jobs.append(job)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="finsight-chat-queue", daemon=True)
                self._worker.start()
            self._changed.notify_all()
        return job

    def jobs(self, thread_id: str, owner: str) -> list[Job]:
        """This thread's jobs still to show, in the order they were sent."""
        with self._changed:
            return [j for j in self._jobs if j.thread_id == thread_id and j.owner == owner]

    def busy(self) -> bool:
        """True while any question of this session is queued or being answered."""
        with self._changed:
            return any(not j.finished for j in self._jobs)

    def forget(self, job: Job) -> None:
        """Drop a finished job once the page shows it from the stored history (or showed its error)."""
        with self._changed:
            if job in self._jobs and job.finished:
                self._jobs.remove(job)

    def follow(self, job: Job, poll_s: float = 0.25) -> Iterator[Event]:
        """Every event of `job` so far, then each new one as it comes, until the job finishes."""
        seen = 0
        while True:
            with self._changed:
                while seen >= len(job.events) and not job.finished:
                    self._changed.wait(timeout=poll_s)
                batch = job.events[seen:]
                seen += len(batch)
                done = job.finished and seen >= len(job.events)
            yield from batch
            if done:
                return

    def _next(self) -> Job | None:
        with self._changed:
            job = next((j for j in self._jobs if j.state == "queued"), None)
            if job is None:
                self._worker = None  # under the lock: a later submit starts a new worker
            else:
                job.state = "running"
            return job

    def _work(self) -> None:
        while (job := self._next()) is not None:
            try:
                job.turns_before = self.service.history.turn_count(job.thread_id, owner=job.owner)
                for event in self.service.ask_stream(job.question, thread_id=job.thread_id, owner=job.owner):
                    with self._changed:
                        job.events.append(event)
                        if isinstance(event, AnswerEvent):
                            job.answer = event.answer
                        self._changed.notify_all()
                outcome: JobState = "done" if job.answer is not None else "failed"
            except Exception as exc:  # noqa: BLE001 - any failure becomes one line for the reader
                job.error, outcome = first_line(exc), "failed"
            with self._changed:
                job.state = outcome
                self._changed.notify_all()
