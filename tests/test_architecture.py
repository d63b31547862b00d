"""The package's layers: the import-linter contract, no import cycle, imports at module level, ruff."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sco_research"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        assert found, f"{name} is not installed (make install puts it into .venv)"
        return found
    return str(path)


def test_layers_contract_is_kept():
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_import_cycle_inside_the_package():
    import grimp

    graph = grimp.build_graph("sco_research", cache_dir=None)
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    # Tarjan's strongly connected components: any component with more than one module is a cycle.
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    assert cycles == []


def _deferred_package_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.level > 0 or (inner.module or "").startswith("sco_research")):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{inner.lineno}")
                elif isinstance(inner, ast.Import) and any(a.name.startswith("sco_research") for a in inner.names):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{inner.lineno}")
    return found


def test_package_imports_are_at_module_level():
    """Only heavy third-party libraries may be imported inside functions; the package's own modules never."""
    deferred = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _deferred_package_imports(path)]
    assert deferred == []


def test_the_deferred_import_check_can_fail(tmp_path):
    module = tmp_path / "sco_research" / "m.py"
    module.parent.mkdir()
    module.write_text("def f():\n    from .data import load_table\n", encoding="utf-8")
    global PACKAGE
    saved, PACKAGE = PACKAGE, module.parent
    try:
        assert _deferred_package_imports(module) == ["sco_research/m.py:2"]
    finally:
        PACKAGE = saved


@pytest.mark.parametrize("target", ["sco_research", "tests", "scripts", "benchmarks"])
def test_ruff_finds_nothing(target):
    result = subprocess.run([_tool("ruff"), "check", "--no-cache", target], cwd=PACKAGE.parent,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
