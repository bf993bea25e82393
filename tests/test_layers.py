"""The import graph: data flows one way, `ui`/`cli` -> `assistant` -> `knowledge`.

Read from the source with `ast` (no imports run): `knowledge` imports neither `assistant`, `ui`
nor `cli`; `assistant` imports neither `ui` nor `cli`; `ui` goes through `assistant` only; `ui`
and `cli` do not import each other; and among the modules of `assistant` and `knowledge` there is no import cycle at module level.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("knowledge", "assistant", "ui", "cli")
# package -> the packages it may import
ALLOWED = {"knowledge": set(), "assistant": {"knowledge"}, "ui": {"assistant"},
           "cli": {"assistant", "knowledge"}}


def _module(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    """The project modules `path` imports (relative imports resolved); with `top_level_only`,
    only the imports run when the module loads (not those inside functions or TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m.split(".")[0] in PACKAGES}


def _sources() -> list[Path]:
    return [p for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py")]


def test_no_upward_import():
    wrong = []
    for path in _sources():
        owner = path.relative_to(REPO).parts[0]
        for target in _imports(path):
            top = target.split(".")[0]
            if top != owner and top not in ALLOWED[owner]:
                wrong.append(f"{path.relative_to(REPO)} imports {target}")
    assert wrong == []


def test_no_import_cycle_at_load_time():
    modules = {_module(p): p for p in _sources() if p.parts[len(REPO.parts)] in ("assistant", "knowledge")}
    # A submodule reaching its own package ("from . import analyses") finds it already loading: not an edge.
    graph = {m: {t for t in _imports(p, top_level_only=True) if t in modules and t != m and not m.startswith(t + ".")}
             for m, p in modules.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m: str, trail: list[str]) -> bool:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle.extend(trail[trail.index(n):] + [m, n] if n in trail else [m, n])
                return True
            if state.get(n) is None and visit(n, [*trail, m]):
                return True
        state[m] = 2
        return False

    assert not any(state.get(m) is None and visit(m, []) for m in sorted(graph)), cycle


def test_the_checker_sees_a_wrong_arrow(tmp_path: Path):
    """The reader above must be able to fail: an upward import written in a file is found."""
    probe = REPO / "knowledge" / "_probe_layers.py"
    probe.write_text("from assistant.answer import Answer\n", encoding="utf-8")
    try:
        assert "assistant.answer" in _imports(probe)
        try:
            test_no_upward_import()
        except AssertionError:
            pass
        else:
            raise AssertionError("an upward import went unnoticed")
    finally:
        probe.unlink()


def test_the_checker_sees_a_cycle():
    a, b = REPO / "knowledge" / "_probe_a.py", REPO / "knowledge" / "_probe_b.py"
    a.write_text("from knowledge import _probe_b\n", encoding="utf-8")
    b.write_text("import knowledge._probe_a\n", encoding="utf-8")
    try:
        try:
            test_no_import_cycle_at_load_time()
        except AssertionError as failure:
            assert "knowledge._probe_a" in str(failure)
        else:
            raise AssertionError("an import cycle went unnoticed")
    finally:
        a.unlink()
        b.unlink()
