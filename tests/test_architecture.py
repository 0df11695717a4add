"""The layers of the tree, checked from the code's own imports (runtime and TYPE_CHECKING).

records <- models <- stages <- pipeline <- report, store <- collect <- api <- cli, web. A
lower layer never imports a higher one (so no analysis layer can reach the fetcher), no module imports itself through others, and
benchmarks are not part of the package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storytrace"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The storytrace module an imported dotted name lives in (a module, or its package)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> Iterator[str]:
    """Every storytrace module ``module`` imports, wherever the import statement stands."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            found = _resolve(name) if name.startswith("storytrace") else None
            if found is not None and found != module:
                yield found


GRAPH = {module: set(imports_of(module)) for module in MODULES}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "storytrace"


def _reach(start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in GRAPH[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def _circles() -> list[list[str]]:
    """Groups of modules that import each other, directly or through others."""
    reach = {module: _reach(module) for module in GRAPH}
    groups = {
        frozenset(other for other in reach[module] if module in reach[other]) for module in GRAPH
    }
    return sorted(sorted(group) for group in groups if len(group) > 1)


def test_architecture_has_no_import_circle() -> None:
    assert _circles() == []


#: What each layer may not import.
FORBIDDEN = {
    "records": {
        "stages",
        "models",
        "pipeline",
        "report",
        "store",
        "web",
        "api",
        "cli",
        "bench",
        "collect",
    },
    "models": {"stages", "pipeline", "report", "store", "web", "api", "cli", "collect"},
    "stages": {"pipeline", "report", "store", "web", "api", "cli", "bench", "console", "collect"},
    "pipeline": {"report", "store", "web", "api", "cli", "console", "collect"},
    "report": {"store", "web", "api", "cli", "pipeline", "collect"},
    "store": {"report", "web", "api", "cli", "collect"},
    "collect": {"web", "api", "cli", "pipeline"},
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_architecture_layer_imports_nothing_above_it(layer: str) -> None:
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if _layer(module) == layer
        for target in targets
        if _layer(target) in FORBIDDEN[layer]
    )
    assert wrong == []


def test_architecture_benchmarks_are_not_in_the_package() -> None:
    assert not (PACKAGE / "bench").exists()
    assert not any("bench" in module.split(".") for module in MODULES)
