"""The layers: imports flow one way, and no module imports itself in a circle.

    cyberdiplo          configuration and the URLs that mount every app
    research visual content   across types: search, exports, feeds, API; pictures; the loader
    norms agreements bodies glossary incidents positions profiles paths
                        one app per family of record types
    editorial           the admin base, workflow, roles, history, imports
    reference           themes, countries, sources and citations
    core                Entry, the registry, dates, text, page helpers

A module may import from its own app and from the layers below it; apps on
the same layer never import each other (they reach each other's records
through "app.Model" relations and the registry).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    {"core"},
    {"reference"},
    {"editorial"},
    {"norms", "agreements", "bodies", "glossary", "incidents", "positions", "profiles", "paths"},
    {"research", "visual", "content"},
    {"cyberdiplo"},
]
LAYER = {package: level for level, packages in enumerate(LAYERS) for package in packages}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every project module and the project modules it imports, at any depth in its code."""
    graph: dict[str, set[str]] = {}
    for package in LAYER:
        for path in (ROOT / package).rglob("*.py"):
            name = module_name(path)
            found = set()
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    found |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            graph[name] = {m for m in found if m.split(".")[0] in LAYER}
    modules = set(graph)
    # "from core import citations" names a module; "from core.models import Entry" does not.
    return {name: {m for m in found if m in modules} for name, found in graph.items()}


def test_every_app_is_in_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"cyberdiplo"}
    assert apps == set(LAYER)


def test_imports_only_point_down_or_within_an_app():
    wrong = []
    for module, targets in imports().items():
        source = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if other != source and LAYER[other] >= LAYER[source]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = imports()
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)
