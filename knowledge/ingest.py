"""Turning ingest items (files, folders, URLs) into loaded Documents. I/O at the edge."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from pathlib import Path

from knowledge.fetch import TIMEOUT_S, fetch_url
from knowledge.loaders import LoaderError, loader_for, loader_for_content, supported_suffixes
from knowledge.loaders.sandbox import DEFAULT_BUDGET, ParseBudget, load_in_sandbox
from knowledge.models import Document, KnowledgeError

MAX_FILE_BYTES = 50 * 1024 * 1024


def is_url(item: str | Path) -> bool:
    """True for http(s) URLs."""
    return isinstance(item, str) and item.strip().lower().startswith(("http://", "https://"))


SYMLINK_SKIPPED = "a symbolic link inside the folder: not followed (add the file it points to by name)"


def expand(items: Iterable[str | Path]) -> tuple[list[str | Path], list[tuple[str, str]], dict[str, str]]:
    """(files and URLs to ingest, failures, skipped item -> reason) with folders walked
    recursively in name order.

    Hidden files and unsupported types inside folders are ignored silently; named explicitly,
    an unsupported file is reported. Symbolic links inside a folder (to files or folders) are
    never followed and are listed as skipped: a link to `.env` or `/etc/passwd` dropped into a
    shared folder must not become a searchable passage.
    """
    todo: list[str | Path] = []
    failed: list[tuple[str, str]] = []
    skipped: dict[str, str] = {}
    suffixes = supported_suffixes()
    for item in items:
        if is_url(item):
            todo.append(str(item).strip())
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            found: list[Path] = []
            for folder, dirs, files in os.walk(path, followlinks=False):
                here = Path(folder)
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in [*dirs, *files]:
                    candidate = here / name
                    if candidate.is_symlink() and not name.startswith("."):
                        skipped[str(candidate)] = SYMLINK_SKIPPED
                dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
                found += [here / f for f in files if not f.startswith(".") and not (here / f).is_symlink()
                          and Path(f).suffix.lower() in suffixes and (here / f).is_file()]
            todo += sorted(found)
        elif path.is_file():
            todo.append(path)
        else:
            failed.append((str(item), "no such file or folder"))
    return todo, failed, skipped


def load_file(path: Path, max_bytes: int = MAX_FILE_BYTES, budget: ParseBudget = DEFAULT_BUDGET) -> Document:
    """A Document from a local file, parsed in a child process under `budget`; raises
    KnowledgeError with a one-line reason."""
    loader = loader_for(path.name)
    if loader is None:
        raise LoaderError(
            f"unsupported file type '{path.suffix or path.name}' (use one of {', '.join(sorted(supported_suffixes()))})"
        )
    size = path.stat().st_size
    if size == 0:
        raise LoaderError("the file is empty; nothing to index")
    if size > max_bytes:
        # Checked before reading so a huge file never lands in memory.
        raise LoaderError(
            f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit; split it into smaller files"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"cannot read the file ({exc.strerror or type(exc).__name__})") from exc
    # The name only admits the file; its bytes decide how it is parsed (or that it is refused).
    doc = load_in_sandbox(loader_for_content(data, path.name), data, str(path.resolve()), budget)
    doc.file_name = path.name
    return doc


def load_url(
    url: str, max_bytes: int, allow_hosts: Collection[str] = (), timeout: float = TIMEOUT_S,
    budget: ParseBudget = DEFAULT_BUDGET,
) -> Document:
    """A Document from a web page fetched under the SSRF policy, parsed under `budget`."""
    page = fetch_url(url, max_bytes=max_bytes, allow_hosts=allow_hosts, timeout=timeout)
    if not page.body.strip():
        raise LoaderError("the page is empty")
    loader = loader_for(page.final_url, page.content_type)
    if loader is None:
        raise LoaderError(f"unsupported content type '{page.content_type}'")
    doc = load_in_sandbox(loader, page.body, page.final_url, budget)
    doc.location = url
    doc.url = url
    if page.final_url != url:
        doc.extra["final_url"] = page.final_url
    return doc
