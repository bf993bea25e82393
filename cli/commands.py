"""What each `finsight` subcommand does, once its arguments are parsed."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.answer import Answer, AnswerEvent, StepEvent, TokenEvent
from assistant.answerdoc import REFERENCES, doc_parts, sections_markdown
from assistant.answerdoc_parse import answer_doc
from assistant.references import citation_line, reference_words
from assistant.service import QuestionError, ResearchService
from assistant.settings import Settings
from assistant.untrusted import strip_controls
from knowledge import KnowledgeError
from knowledge.market import MarketDataError, format_report, parse_period
from knowledge.text import first_line

_err = Console(stderr=True, highlight=False)


def plain(text: object) -> str:
    """Text from documents or a model, fit for a terminal: no escape sequences or control
    characters (a document could otherwise recolour, retitle or rewrite the reader's terminal)."""
    return strip_controls(str(text))


def markup_safe(text: object) -> str:
    """The same, for a Rich console: square brackets escaped, so `[red]` or `[link=...]` in a
    title is shown, not interpreted."""
    return escape(plain(text))


def describe_error(exc: BaseException) -> tuple[str, int]:
    """One line and an exit code for any exception that reaches the CLI."""
    if isinstance(exc, QuestionError | MarketDataError | KnowledgeError):
        return plain(first_line(exc)), 1
    if isinstance(exc, FileNotFoundError):
        return f"file not found: {exc.filename}; check the path", 1
    if isinstance(exc, PermissionError):
        if exc.filename is None:
            return str(exc), 1
        return f"permission denied: {exc.filename}; check FINSIGHT_HOME is writable", 1
    first = plain((str(exc).splitlines() or [""])[0]) or exc.__class__.__name__
    return f"unexpected error: {first} (set FINSIGHT_DEBUG=1 for details)", 1


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def ask(args: argparse.Namespace, settings: Settings) -> int:
    service = ResearchService(settings)
    answer: Answer | None = None
    streamed = ""
    for event in service.ask_stream(args.question, thread_id=args.thread):
        if isinstance(event, StepEvent):
            _err.print(f"[dim]· {markup_safe(event.label)}[/dim]")
        elif isinstance(event, TokenEvent) and not args.json and event.section != REFERENCES:
            # The text as it is written; a writer's own reference list is left for the registry's.
            sys.stdout.write(plain(event.text))
            sys.stdout.flush()
            streamed += event.text
        elif isinstance(event, AnswerEvent):
            answer = event.answer
    if answer is None:
        raise QuestionError("no answer was produced; try rephrasing the question")
    if args.json:
        _print_json(answer.model_dump(mode="json"))
        return 0
    body = answer_body(answer)
    if streamed and streamed.strip() != body.strip():
        # Verification or the reading changed the text (a citation removed or renumbered, the
        # model's own reference list left out): show the final one.
        _err.print("\n[dim]— verified text (citations checked and renumbered) —[/dim]")
    if streamed.strip() != body.strip():
        print(plain(body).rstrip())
    print(plain(reference_list(answer)))
    _print_summary(answer)
    return 0


def answer_body(answer: Answer) -> str:
    """The verified answer's sections from its AnswerDoc, without a reference list written into them."""
    doc = answer_doc(answer)
    head, tail = doc_parts(doc)
    return sections_markdown(head + tail, doc.language)


def reference_list(answer: Answer) -> str:
    """The references from the citation registry, as a Markdown list under its heading ('' without any)."""
    if not answer.citations:
        return ""
    lines = [f"- {citation_line(c, answer.language)}" for c in sorted(answer.citations, key=lambda c: c.id)]
    return f"\n### {reference_words(answer.language)['refs']}\n\n" + "\n".join(lines) + "\n"


def answer_text(answer: Answer) -> str:
    """The verified answer for a terminal, from its AnswerDoc: its sections, then the references
    from the citation registry in place of any list written into the text."""
    return answer_body(answer).rstrip() + "\n" + reference_list(answer)


def _print_summary(answer: Answer) -> None:
    traced = f"{answer.grounded_count} of {len(answer.figures)} figures traced to their sources"
    _err.print(f"[dim]{answer.mode} mode · {traced}[/dim]")
    for fig in answer.ungrounded:
        kind = "cited to a source that does not hold it" if fig.miscited else "not traced"
        _err.print(f"[yellow]! {kind}: {markup_safe(fig.text)}[/yellow]")
    if answer.dangling_citations:
        ids = ", ".join(f"[{n}]" for n in answer.dangling_citations)
        _err.print(f"[yellow]! removed citations no tool returned: {ids}[/yellow]")
    for note in answer.notes:
        if note not in answer.answer:  # the offline-mode line is already the answer's last line
            _err.print(f"[yellow]! {markup_safe(note)}[/yellow]")
    _err.print(f"[dim]thread {answer.thread_id} (follow up with --thread {answer.thread_id})[/dim]")


def metrics(args: argparse.Namespace, settings: Settings) -> int:
    service = ResearchService(settings)
    start, end = args.start, args.end
    if args.period:
        period = parse_period(args.period, date.today())
        if period is None:
            raise QuestionError(f"could not read the period '{args.period}'; try YYYY-MM-DD with --start/--end")
        start, end = start or period.start, end or period.end
    report = service.market.metrics(args.symbols, start=start, end=end)
    if args.json:
        _print_json(report.to_json_dict(include_chart=args.chart))
    else:
        print(format_report(report))
    return 0


def ingest(args: argparse.Namespace, settings: Settings) -> int:
    from rich.progress import Progress

    service = ResearchService(settings)
    with Progress(console=_err, transient=True, disable=args.json) as progress:
        task = progress.add_task("ingesting", total=None)

        def on_progress(item: str, done: int, total: int) -> None:
            progress.update(task, description=f"ingesting {item[-50:]}", completed=done, total=total)

        summary = service.kb.ingest(args.items, progress=on_progress)
    if args.json:
        _print_json(summary.model_dump(mode="json") if hasattr(summary, "model_dump") else vars(summary))
    else:
        print(
            f"added {len(summary.added)}, updated {len(summary.updated)}, "
            f"skipped {len(summary.skipped)}, failed {len(summary.failed)}"
        )
        for item, reason in summary.failed:
            print(f"  failed: {plain(item)}: {plain(reason)}")
        for item, reason in summary.skipped_reasons.items():
            print(f"  skipped: {plain(item)}: {plain(reason)}")
    # Exit 1 when anything failed (the rest was still ingested), so scripts notice.
    return 1 if summary.failed else 0


def reindex(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from rich.progress import Progress

    service = ResearchService(settings)
    started = time.perf_counter()
    with Progress(console=_err, transient=True, disable=args.json) as progress:
        task = progress.add_task("re-embedding passages", total=None)
        done = service.reindex(lambda n, total: progress.update(task, completed=n, total=total))
    seconds = time.perf_counter() - started
    model = service.kb.embedder.name
    if args.json:
        _print_json({"chunks": done, "embedding_model": model, "seconds": round(seconds, 2)})
    else:
        print(f"re-embedded {done} passages with {model} in {seconds:.1f} s")
    return 0


def search(args: argparse.Namespace, settings: Settings) -> int:
    if args.k < 1 or args.k > 100:
        raise QuestionError("--k must be between 1 and 100")
    service = ResearchService(settings)
    filters = dict(
        k=args.k, date_from=args.date_from, date_to=args.date_to, publisher=args.publisher, language=args.language
    )
    if args.queries_file:
        for line in args.queries_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                hits = service.kb.search(line.strip(), **filters)
                print(json.dumps({"query": line.strip(), "passages": [h.model_dump(mode="json") for h in hits]}, ensure_ascii=False))
        return 0
    if not args.query:
        raise QuestionError("give a query, or --queries-file FILE")
    hits = service.kb.search(args.query, **filters)
    if args.json:
        _print_json({"query": args.query, "passages": [h.model_dump(mode="json") for h in hits]})
        return 0
    if not hits:
        print("no passages found; add sources with 'finsight ingest PATH_OR_URL'")
    for rank, hit in enumerate(hits, 1):
        where = hit.url or hit.file_name or ""
        print(plain(f"{rank}. {hit.title} — {hit.publisher or '?'}, {hit.published or 'undated'} ({hit.score:.3f})"))
        print(f"   {plain(where)}")
        print("   " + plain(hit.text.replace("\n", " ")[:300]))
    return 0


def sources(args: argparse.Namespace, settings: Settings) -> int:
    service = ResearchService(settings)
    if args.action == "remove":
        if not args.source_id:
            raise QuestionError("give the source id to remove: finsight sources remove ID (ids from 'finsight sources')")
        if not service.kb.remove_source(args.source_id):
            raise QuestionError(f"no source with id {args.source_id}; list them with 'finsight sources'")
        print(f"removed {args.source_id}")
        return 0
    rows = service.kb.sources()
    if args.json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return 0
    table = Table("id", "title", "publisher", "date", "lang", "chunks")
    for r in rows:
        table.add_row(*(markup_safe(v) for v in (r.source_id, r.title + (" (demo)" if r.demo else ""), r.publisher or "",
                                                   r.published or "", r.language or "", r.chunks)))
    Console().print(table)
    return 0
