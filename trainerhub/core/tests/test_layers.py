"""Views and API modules never touch the ORM: every read goes through a selector or an access
function that takes the trainer (see `core/tenancy.py`), so no page or endpoint can forget the
trainer's filter.

What the scan looks at: every `views*.py`, `api*.py` (urls modules included) and every module
of a `views/` or `api/` package under trainerhub/, tests excepted. It fails on

- a model manager by name: `.objects`, `._default_manager`, `._base_manager` and any other
  manager a project model declares (read from the app registry, so a new manager is covered);
- `.raw(...)`, `.extra(...)` and a database cursor (`connection.cursor()`, `connections[...]`);
- the queryset-building methods that no other type in our code has: `filter`, `exclude`,
  `annotate`, `aggregate`, `order_by`, `select_related`, `prefetch_related`, `values_list`,
  `only`, `defer`, `select_for_update`, `get_or_create`, `update_or_create`, `bulk_create`,
  `bulk_update`, `in_bulk`, `iterator`, `using` — on any receiver, a selector's queryset
  included: narrowing rows is the selector's job (give it a parameter), not the view's;
- `get_object_or_404` / `get_list_or_404`, which fetch by a model without the trainer.

What it allows, on purpose: `dict.values()`, `.get()`, `.count()`, `.exists()`, `.first()`,
slicing and iteration of a queryset a selector returned (those cannot widen what a selector
chose), and forms and serializers (not scanned): their `ModelChoiceField` /
`PrimaryKeyRelatedField` querysets validate an id against the trainer's rows and are built
from the trainer the view hands them. `/healthz` pings the database with `SELECT 1` (no table,
no tenant's row): that one cursor is the only exception, listed below by file and function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]  # trainerhub/

QUERYSET_METHODS = frozenset(
    {
        "filter",
        "exclude",
        "annotate",
        "aggregate",
        "order_by",
        "select_related",
        "prefetch_related",
        "values_list",
        "only",
        "defer",
        "select_for_update",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "in_bulk",
        "iterator",
        "using",
        "raw",
        "extra",
    }
)
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
# (file relative to trainerhub/, function): the database ping of the health check.
ALLOWED_CURSORS = {("core/views.py", "healthz")}


def manager_names() -> frozenset[str]:
    names = {"objects", "_default_manager", "_base_manager"}
    for model in apps.get_models():
        names.update(manager.name for manager in model._meta.managers)
    return frozenset(names)


def layer_modules() -> list[Path]:
    found = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        in_package = any(part in ("views", "api") for part in parts[:-1])
        if in_package or path.name.startswith(("views", "api")):
            found.add(path)
    return sorted(found)


class _Scan(ast.NodeVisitor):
    def __init__(self, rel: str, managers: frozenset[str]) -> None:
        self.rel = rel
        self.managers = managers
        self.function = ""
        self.found: list[str] = []

    def _flag(self, node: ast.AST, what: str) -> None:
        self.found.append(f"{self.rel}:{node.lineno} {what}")

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in self.managers:
            self._flag(node, f".{node.attr} (a model manager)")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in QUERYSET_METHODS:
                self._flag(node, f".{func.attr}(...) builds a queryset")
            if func.attr == "cursor" and (self.rel, self.function) not in ALLOWED_CURSORS:
                self._flag(node, ".cursor() (raw SQL)")
        elif isinstance(func, ast.Name) and func.id in SHORTCUTS:
            self._flag(node, f"{func.id}(...) fetches by model")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Name) and node.value.id == "connections":
            self._flag(node, "connections[...] (raw SQL)")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name in SHORTCUTS:
                self._flag(node, f"imports {alias.name}")
        self.generic_visit(node)


def violations(path: Path, managers: frozenset[str]) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    scan = _Scan(rel, managers)
    scan.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return scan.found


def _scan_source(source: str) -> list[str]:
    scan = _Scan("example/views.py", manager_names())
    scan.visit(ast.parse(source))
    return scan.found


def test_the_scan_covers_every_app_with_pages_or_endpoints():
    apps_seen = {p.relative_to(ROOT).parts[0] for p in layer_modules()}
    assert {"accounts", "clients", "core", "dashboard", "notifications", "portal"} <= apps_seen
    assert "scheduling" in apps_seen


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Booking.objects.filter(trainer=t)", [".objects", ".filter("]),
        ("self.model._default_manager.all()", ["._default_manager"]),
        ("Client._base_manager.get(pk=1)", ["._base_manager"]),
        ("Booking.objects.raw('SELECT * FROM x')", [".objects", ".raw("]),
        ("qs = selectors.bookings_for_trainer(trainer=t).exclude(status='x')", [".exclude("]),
        ("from django.shortcuts import get_object_or_404", ["get_object_or_404"]),
        ("def f():\n    connection.cursor()", [".cursor()"]),
        ("connections['default']", ["connections["]),
    ],
)
def test_the_scan_catches_each_kind_of_orm_use(source, expected):
    found = _scan_source(source)
    assert len(found) == len(expected)
    for what in expected:
        assert sum(what in line for line in found) == 1, (what, found)


@pytest.mark.parametrize(
    "source",
    [
        "errors.values()",
        "request.GET.get('page')",
        "list(selectors.bookings_for_trainer(trainer=t)[:50])",
        "selectors.tags_for_trainer(trainer=t).exists()",
        "Booking.Status.CANCELLED",
        "Client.Status.choices",
    ],
)
def test_the_scan_allows_what_cannot_widen_a_selectors_answer(source):
    assert _scan_source(source) == []


def test_views_and_api_modules_never_touch_the_orm():
    managers = manager_names()
    found = [v for path in layer_modules() for v in violations(path, managers)]
    assert found == [], "Move these reads into the app's selectors:\n" + "\n".join(found)
