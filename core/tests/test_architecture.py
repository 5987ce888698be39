"""The floors of the house (``docs/architecture.md``): an app imports only apps on lower
floors, never one on its own floor or above, and never another app from inside a function
(that only hides a cycle). Parsed from the source with ``ast``; tests and migrations aside."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. The same list, in words, is in docs/architecture.md.
FLOORS = [
    {"lib"},
    {"core"},
    {"registry", "frameworks"},
    {"assessments", "webinars"},
    {"invitations"},
    {"results"},
    {"pulse"},
    {"learning"},
    {"plans"},
    {"programme", "api"},
    {"demo", "digilyft"},
]
FLOOR = {app: level for level, apps in enumerate(FLOORS) for app in apps}

# Imports that still go up a floor, each with the reason; the list may only shrink (the test
# fails when one is gone, so that it is struck off here too).
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


def _modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] not in FLOOR or "tests" in parts or "migrations" in parts:
            continue
        yield parts[0], path


def _imports(tree):
    """(imported app, line, inside a function) for every absolute import of a project app."""
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module]
            for name in names:
                top = name.split(".")[0]
                if top in FLOOR:
                    found.append((top, child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _cross_app_imports():
    for app, path in _modules():
        for target, line, in_function in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if target != app:
                yield app, target, f"{path.relative_to(ROOT)}:{line}", in_function


def test_every_app_has_a_floor():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"lib", "digilyft"}
    assert apps - FLOOR.keys() == set()


def test_no_app_imports_one_on_its_own_floor_or_above():
    wrong = sorted(
        (where, f"{app} → {target}")
        for app, target, where, _ in _cross_app_imports()
        if FLOOR[target] >= FLOOR[app] and (app, target) not in KNOWN_UPWARD
    )
    assert wrong == []


def test_the_known_upward_imports_are_still_there_else_strike_them_off():
    seen = {(app, target) for app, target, _, _ in _cross_app_imports()}
    assert set(KNOWN_UPWARD) - seen == set()


def test_no_app_imports_another_inside_a_function():
    hidden = sorted(
        f"{where}: {app} → {target}"
        for app, target, where, in_function in _cross_app_imports()
        # AppConfig.ready() connecting signal receivers is Django's own idiom, not a dodge.
        if in_function and not where.startswith(f"{app}/apps.py:")
    )
    assert hidden == []


def test_core_stands_on_lib_alone():
    assert {target for app, target, _, _ in _cross_app_imports() if app == "core"} <= {"lib"}


def test_lib_has_no_models_and_imports_no_app():
    assert not (ROOT / "lib" / "models.py").exists()
    assert [where for app, _t, where, _f in _cross_app_imports() if app == "lib"] == []


def test_the_floors_are_written_in_the_architecture_page():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for level, apps in enumerate(FLOORS):
        line = f"{level}. " + ", ".join(f"`{app}`" for app in sorted(apps))
        assert line in page, line
