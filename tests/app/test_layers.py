"""The house's one direction of imports (README, "Architecture"), checked by walking every module's
imports with the standard library's ast:

    shell (app factory, cli, outage, api)  →  features  →  reporting  →  core (core, models, surveydef, questions, tasks)

A module may import its own layer and any layer to its right, never to its left; no feature
imports another feature's routes (views, blueprint, api modules); and no two modules import
each other, directly or round a longer circle. Imports inside functions count too: a lazy import
still ties two modules together.
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

APP = Path(__file__).resolve().parents[2] / "app"
SHELL = {"app", "app.cli", "app.outage", "app.api", "app.api.openapi", "app.api.openapi_answers"}
CORE = ("app.core", "app.models", "app.surveydef", "app.questions", "app.tasks")
REPORTING = ("app.reporting",)
RANK = {"core": 0, "reporting": 1, "feature": 2, "shell": 3}
ROUTE_MODULES = ("views", "blueprint", "api")
#: The one import against the flow, and why: a plain `rq worker` (started without the Flask CLI)
#: has no app, so the job builds one; every other process hands the job its app.
EXCEPTIONS = {("app.tasks.runner", "app")}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in APP.rglob("*.py") if "migrations" not in p.parts}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every app module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("app"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return {m for m in found if m in known}


def layer(module: str) -> str:
    if module in SHELL:
        return "shell"
    if module.startswith(CORE):
        return "core"
    if module.startswith(REPORTING):
        return "reporting"
    return "feature"


def feature(module: str) -> str:
    return ".".join(module.split(".")[:2])


def is_route_module(module: str) -> bool:
    leaf = module.rsplit(".", 1)[-1]
    return leaf in ROUTE_MODULES or leaf.endswith("_views")


def graph() -> nx.DiGraph:
    mods = modules()
    g = nx.DiGraph()
    g.add_nodes_from(mods)
    for name, path in mods.items():
        g.add_edges_from((name, target) for target in imports_of(path, set(mods))
                         if target != name and (name, target) not in EXCEPTIONS)
    return g


def test_the_walk_sees_the_imports_it_should():
    g = graph()
    assert ("app.responses.intake", "app.responses.submission") in g.edges
    assert ("app.themes.views", "app.reporting.requests") in g.edges
    assert layer("app.core.access") == "core" and layer("app.themes.views") == "feature" and layer("app") == "shell"


def test_no_module_imports_upward():
    upward = sorted(f"{a} ({layer(a)}) imports {b} ({layer(b)})" for a, b in graph().edges
                    if RANK[layer(b)] > RANK[layer(a)])
    assert upward == []


def test_no_feature_imports_another_features_routes():
    crossing = sorted(f"{a} imports {b}" for a, b in graph().edges
                      if layer(a) == "feature" and layer(b) == "feature" and feature(a) != feature(b)
                      and is_route_module(b))
    assert crossing == []


def test_no_import_circles():
    circles = sorted(" → ".join(c) for c in nx.simple_cycles(graph()))
    assert circles == []
