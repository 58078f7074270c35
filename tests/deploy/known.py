"""What really exists, for the static checks of the deploy files: the settings the app and
gunicorn read from the environment, the management commands, the Celery app, the repo's files.

Read from the code itself (an AST walk, Django's command registry), so a deploy file that names
a setting or command which was renamed or never existed fails its test.
"""

from __future__ import annotations

import ast
import shlex
from functools import cache
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
# Where the settings are read: the app's helpers take the name as their first argument.
SETTINGS_SOURCES = [ROOT / "config" / "settings.py", ROOT / "config" / "env.py"]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
ENV_HELPERS = {"env", "env_bool", "env_int", "env_list", "_truthy"}
# Read by the app's env() only; gunicorn's variables have no NAME_FILE form.
SECRET_NAMES = {
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "ASSISTANT_API_KEY",
    "DATABASE_URL",
    "EMAIL_URL",
    "TWILIO_AUTH_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "S3_SECRET_ACCESS_KEY",
}


def _first_string_arg(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _is_os_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def _name_of(node: ast.AST) -> str | None:
    """The variable a node reads: env("X") and its siblings, os.environ.get("X"),
    os.getenv("X"), os.environ["X"]; None for any other node."""
    if isinstance(node, ast.Subscript) and _is_os_environ(node.value):
        key = node.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    helper = isinstance(func, ast.Name) and func.id in ENV_HELPERS
    environ_get = isinstance(func, ast.Attribute) and (
        (func.attr == "get" and _is_os_environ(func.value)) or func.attr == "getenv"
    )
    return _first_string_arg(node) if helper or environ_get else None


def _names_read(source: Path) -> set[str]:
    names = {_name_of(node) for node in ast.walk(ast.parse(source.read_text()))}
    return {name for name in names if name and name.isupper()}


@cache
def app_settings() -> frozenset[str]:
    """Every variable the app reads through config.env (each also as NAME_FILE)."""
    return frozenset().union(*(_names_read(path) for path in SETTINGS_SOURCES))


@cache
def gunicorn_settings() -> frozenset[str]:
    return frozenset(_names_read(GUNICORN_CONF))


def all_settings() -> frozenset[str]:
    return app_settings() | gunicorn_settings()


def is_known_variable(name: str) -> bool:
    if name.endswith("_FILE"):
        return name.removesuffix("_FILE") in app_settings()
    return name in all_settings()


def management_commands() -> set[str]:
    return set(get_commands())


def manage_py_commands(command: list[str]) -> list[str]:
    """The subcommand after every `manage.py` in one command line."""
    return [command[i + 1] for i, token in enumerate(command[:-1]) if token.endswith("manage.py")]


def celery_apps(command: list[str]) -> list[str]:
    """The module after `celery -A` (or `--app`) in one command line."""
    apps = []
    for i, token in enumerate(command[:-1]):
        if token in {"-A", "--app"} and any(t.endswith("celery") for t in command[:i]):
            apps.append(command[i + 1])
    return apps


def shell_words(line: str) -> list[str]:
    return shlex.split(line, comments=False)


def repo_paths(command: list[str]) -> list[str]:
    """Tokens that name a file of the repository (deploy/x.py, scripts/y.py, manage.py)."""
    found = []
    for token in command:
        value = token.split("=", 1)[-1] if token.startswith("-") else token
        if value.endswith((".py", ".conf")) and not value.startswith("/"):
            found.append(value)
    return found
