"""The design a maintainer relies on: layers that import downward, no import cycle, a small top level.

Read from the source with `ast` (imports inside functions count too): ontology ← loaders ← piagraph
← app, every module importing only its own layer or the ones below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import REPO

LAYERS = ("ontology", "loaders", "piagraph", "app")
"""Bottom first: a module may import its own layer and the layers before it."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in sorted((REPO / layer).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imports(path: Path, name: str) -> set[str]:
    """The first-party modules a module imports (absolute and relative, at any depth)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {module for module in found if module.split(".")[0] in LAYERS}


@pytest.fixture(scope="module")
def import_graph() -> nx.DiGraph:
    known = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, path in known.items():
        for target in imports(path, name):
            if target in known and target != name:
                graph.add_edge(name, target)
    return graph


def test_every_layer_imports_only_downward(import_graph):
    upward = [(a, b) for a, b in import_graph.edges
              if LAYERS.index(b.split(".")[0]) > LAYERS.index(a.split(".")[0])]
    assert upward == []


def test_no_module_of_the_loaders_imports_piagraph(import_graph):
    assert [(a, b) for a, b in import_graph.edges if a.startswith("loaders") and b.startswith("piagraph")] == []


def test_there_is_no_import_cycle(import_graph):
    # A package's __init__ re-exports its modules: the edge from a module up to its own package is
    # the usual way Python loads a submodule, not a cycle of the design.
    design = nx.DiGraph((a, b) for a, b in import_graph.edges if not a.startswith(b + "."))
    assert list(nx.simple_cycles(design)) == []


def test_piagraph_has_at_most_eight_top_level_modules():
    top = sorted(path.name for path in (REPO / "piagraph").glob("*.py"))
    assert len(top) <= 8, top


def test_sparql_prefixes_are_written_in_one_python_module():
    writers = sorted(str(path.relative_to(REPO)) for path in REPO.rglob("*.py")
                     if ".venv" not in path.parts and "PREFIX pia:" in path.read_text(encoding="utf-8")
                     and path.name != "test_architecture.py")
    assert writers == ["ontology/__init__.py"]


def test_every_error_piagraph_raises_on_purpose_has_one_base():
    import ontology.errors as errors

    classes = [value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, Exception)]
    assert len(classes) > 10
    assert all(issubclass(cls, errors.PiagraphError) for cls in classes)
    defined_elsewhere = []
    for name, path in modules().items():
        if name == "ontology.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(base, ast.Name) and base.id.endswith(("Error", "Exception")) for base in node.bases):
                defined_elsewhere.append(f"{name}.{node.name}")
    assert defined_elsewhere == []
