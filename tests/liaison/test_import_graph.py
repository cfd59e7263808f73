"""The app-level import graph: no cycle, and no lower app importing a higher one.

Every first-party package in INSTALLED_APPS is an app (liaison's sub-packages count as liaison). The order is
liaison < stations < bodies < suggestions < supervision < voting < the second-wave apps (any other first-party app,
each above all of these): voting's project evaluations are supervision Assessments (a foreign key and the
assessment services), so supervision sits below voting. A lower app that must reach a higher one does it
through a hook on its own side (an AppConfig method looked up by name, or a register function such as
suggestions.hooks), never by an import. Every import counts, including those inside functions; migrations and
tests do not.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["liaison", "stations", "bodies", "suggestions", "supervision", "voting"]


def _apps() -> list[str]:
    first_party = []
    for entry in settings.INSTALLED_APPS:
        top = entry.split(".")[0]
        if (ROOT / top / "__init__.py").exists() and top not in first_party:
            first_party.append(top)
    return first_party


def _rank(app: str) -> int:
    return ORDER.index(app) if app in ORDER else len(ORDER)


def _imports(app: str) -> dict[str, set[str]]:
    """{other app: {"file:line", ...}} for every absolute import of another first-party app by `app`."""
    apps = set(_apps())
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        rel = path.relative_to(ROOT)
        if {"migrations", "tests"} & set(rel.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(rel))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in apps and top != app:
                    found.setdefault(top, set()).add(f"{rel}:{node.lineno}")
    return found


def _graph() -> dict[str, dict[str, set[str]]]:
    return {app: _imports(app) for app in _apps()}


def test_every_known_app_is_found():
    assert set(ORDER) <= set(_apps())


def test_no_lower_app_imports_a_higher_one():
    wrong = [
        f"{app} -> {other}: {', '.join(sorted(where))}"
        for app, edges in _graph().items()
        for other, where in edges.items()
        if _rank(other) > _rank(app)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    graph = {app: set(edges) for app, edges in _graph().items()}
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []

    def visit(app: str, stack: list[str]) -> None:
        state[app] = 1
        for other in sorted(graph.get(app, ())):
            if state.get(other) == 1:
                cycles.append([*stack[stack.index(other) :], other])
            elif other not in state:
                visit(other, [*stack, other])
        state[app] = 2

    for app in sorted(graph):
        if app not in state:
            visit(app, [app])
    assert not cycles, cycles
