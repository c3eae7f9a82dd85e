"""The house's floors: no import runs back up, and no two packages import each other.

The web apps stand in the order below (docs/adr/0003): an app may import those before it,
never one after it. The demo is the top floor: it imports the apps to fill them; no app
imports it (each app's demo steps live in ``demo/by_app/<app>.py``). ``config`` (settings
and URLs) is the roof that wires everything and is not checked. The pure core
(``src/xiaozhen``) imports neither Django nor any web app, and its packages form no cycle.

Imports anywhere in a module count, inside functions too: a lazy import is still a
dependency. Migrations are left out (they name apps by label, as Django requires).
A new app must be added to ``WEB_LAYERS`` (and to ADR 0003) before this test passes.
"""

from __future__ import annotations

import ast
import pathlib
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
CORE = ROOT / "src" / "xiaozhen"

#: Bottom to top. Each may import only those listed before it.
WEB_LAYERS = [
    "portal",        # layout, language, errors, forms, dashboards' registries: the ground floor
    "safety",        # lockout, throttles, backups, the safe HTTP client: needs no other app
    "regions",       # GB/T 2260 regions and the scope rule (regions.scope)
    "audit",         # the append-only trail every action writes
    "accounts",      # users, roles, organisations; the permission helpers every app builds on
    "programmes",    # programme files and their versions
    "towns",         # towns, enrolments, tiers, indicator values
    "boundaries",    # town boundaries and red-line layers
    "enterprises",   # enterprise figures, per-mu evaluation, cultivation pools
    "industry_chains",  # industry chains and the towns' enterprises on them
    "applications",  # calls and applications, the review chain
    "reviews",       # expert panels, acceptance and naming
    "assessments",   # annual assessment
    "projects",      # contracts, funding, milestones
    "reports",       # quarterly reports, ledgers, bulletins
    "vitality",      # the vitality index, data signals, uncertainty runs
    "lists",         # published lists
    "notifications", # messages and the inbox, sent on others' events
    "documents",     # official documents and certificates drawn from the apps below
    "cockpit",       # the leaders' cockpit: maps and panels over the apps below
    "api",           # the open REST API
    "demo",          # demo data: the top floor
]
NOT_APPS = {"config", "templates", "static"}


def imported_modules(path: pathlib.Path, package: str) -> set[str]:
    """Every absolute module name ``path`` imports (relative imports resolved against ``package``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                names.add(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                names.add(node.module)
    return names


def _package_of(path: pathlib.Path, root: pathlib.Path) -> str:
    """The package a relative import in ``path`` starts from (its directory, for __init__.py too)."""
    return ".".join(path.relative_to(root).parts[:-1])


def web_edges() -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) → the files that do it."""
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in WEB.rglob("*.py"):
        rel = path.relative_to(WEB)
        app = rel.parts[0]
        if len(rel.parts) == 1 or app in NOT_APPS or "migrations" in rel.parts:
            continue
        for name in imported_modules(path, _package_of(path, WEB)):
            top = name.split(".")[0]
            if top != app and (WEB / top).is_dir() and top not in NOT_APPS:
                edges[(app, top)].add(str(rel))
    return edges


def core_edges() -> dict[tuple[str, str], set[str]]:
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in CORE.rglob("*.py"):
        rel = path.relative_to(CORE)
        me = rel.parts[0].removesuffix(".py")
        for name in imported_modules(path, "xiaozhen." + _package_of(path, CORE) if len(rel.parts) > 1 else "xiaozhen"):
            parts = name.split(".")
            if parts[0] == "xiaozhen" and len(parts) > 1 and parts[1] != me:
                edges[(me, parts[1])].add(str(rel))
    return edges


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Every strongly connected group of more than one node (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted({n for edge in edges for n in edge}):
        if node not in index:
            visit(node)
    return found


def test_every_web_app_has_a_floor():
    apps = {p.name for p in WEB.iterdir() if (p / "apps.py").exists()}
    missing = sorted(apps - set(WEB_LAYERS))
    assert not missing, f"add {missing} to WEB_LAYERS in tests/test_layering.py and to docs/adr/0003"


def test_no_web_app_imports_an_app_above_it():
    floor = {app: n for n, app in enumerate(WEB_LAYERS)}
    back = [
        f"{a} → {b} ({', '.join(sorted(files))})"
        for (a, b), files in sorted(web_edges().items())
        if a in floor and b in floor and floor[b] > floor[a]
    ]
    assert not back, "imports running back up the house:\n" + "\n".join(back)


def test_no_two_web_apps_import_each_other_in_a_circle():
    assert cycles(set(web_edges())) == []


def test_the_core_imports_neither_django_nor_the_web():
    web_apps = {p.name for p in WEB.iterdir() if p.is_dir()}
    offenders = []
    for path in CORE.rglob("*.py"):
        rel = path.relative_to(CORE)
        pkg = "xiaozhen." + _package_of(path, CORE) if len(rel.parts) > 1 else "xiaozhen"
        for name in imported_modules(path, pkg):
            top = name.split(".")[0]
            if top in {"django", "ninja"} | web_apps:
                offenders.append(f"{rel}: {name}")
    assert offenders == []


def test_the_core_packages_form_no_circle():
    assert cycles(set(core_edges())) == []


def test_the_checker_sees_a_back_import_and_a_circle():
    """The test above would pass on an empty graph; make sure the checker can fail."""
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
    assert ("regions", "portal") in web_edges()  # a real, allowed import is seen
    assert ("demo", "reports") in web_edges()
