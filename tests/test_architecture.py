"""The rules of docs/ARCHITECTURE.md that a machine can check, read from the source
with the standard library's `ast` (nothing is imported, so nothing is hidden by
import order):

- no import cycle among bulletin/, newsletter/ and config/, counting imports
  inside functions too;
- nothing imports a tasks module: newsletter.dispatch.queue (and bulletin's two
  queueing helpers) address tasks by their registered names, and the tasks
  import the modules doing the work;
- bulletin imports nothing from newsletter.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bulletin", "newsletter", "config")
TASK_MODULES = {"bulletin.tasks", "newsletter.tasks"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _imports(name: str, path: Path, modules) -> list[tuple[str, bool]]:
    """(imported project module, inside a function?) for every import in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, nested) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in child.names:
                    candidate = f"{base}.{alias.name}"
                    found.append((candidate if candidate in modules else base, nested))
            visit(child, nested)

    visit(tree, False)
    return [(target, nested) for target, nested in found if target in modules]


def _graph() -> dict[str, set[str]]:
    """Module → the project modules importing it runs. Importing a.b.c runs the
    __init__ of a and a.b first, so those count too (unless the importer is inside them)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, _in_function in _imports(name, path, modules):
            parts = target.split(".")
            for depth in range(1, len(parts) + 1):
                step = ".".join(parts[:depth])
                inside = name == step or name.startswith(step + ".")
                if step in modules and step != name and not inside:
                    graph[name].add(step)
            if target != name:
                graph[name].add(target)
    return graph


def _cycles(graph) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def test_the_graph_sees_the_packages_modules():
    graph = _graph()
    assert "newsletter.dispatch.queue" in graph["newsletter.dispatch.ledger"]
    assert "newsletter.dispatch.worker" in graph["newsletter.tasks"]
    assert "newsletter.dispatch.ledger" in graph["newsletter.dispatch.worker"]
    assert "newsletter.dispatch.queue" in graph["newsletter.services"]


def test_no_import_cycle():
    assert _cycles(_graph()) == []


def test_nothing_imports_a_tasks_module():
    modules = _modules()
    importers = sorted(
        name
        for name, path in modules.items()
        for target, _in_function in _imports(name, path, modules)
        if target in TASK_MODULES
    )
    assert importers == []


def test_bulletin_imports_nothing_from_newsletter():
    modules = _modules()
    offenders = sorted(
        f"{name} → {target}"
        for name, path in modules.items()
        if name.split(".")[0] == "bulletin"
        for target, _in_function in _imports(name, path, modules)
        if target.split(".")[0] == "newsletter"
    )
    assert offenders == []
