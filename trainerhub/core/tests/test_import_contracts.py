"""The import contracts in pyproject.toml name the split view and API modules one by one
(import-linter's wildcards stand for whole module names): a new `views_*.py` or `api_*.py`
must be added there, or the "no page view imports from an API module" rule would miss it."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _contract(name: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"] == name)


def _modules(prefix: str) -> set[str]:
    found = set()
    for path in (ROOT / "trainerhub").glob(f"*/{prefix}*.py"):
        found.add(f"trainerhub.{path.parent.name}.{path.stem}")
    return found


def _covered(module: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(module, pattern) for pattern in patterns)


def test_every_view_module_is_a_source_of_the_view_contract():
    contract = _contract("No page view imports from an API module")
    missing = {m for m in _modules("views") if not _covered(m, contract["source_modules"])}
    assert missing == set()


def test_every_api_module_is_forbidden_to_the_views():
    contract = _contract("No page view imports from an API module")
    missing = {m for m in _modules("api") if not _covered(m, contract["forbidden_modules"])}
    assert missing == set()
