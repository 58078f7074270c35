"""deploy/trainerhub.env.example: it names every setting the app and gunicorn read (and nothing
else), explains each, holds no secret, and what it sets passes Django's deployment checks.
Beside it, the recipe's files agree with each other on ports and paths.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.deploy.known import ROOT, SECRET_NAMES, all_settings, is_known_variable

EXAMPLE = ROOT / "deploy" / "trainerhub.env.example"
SITE = ROOT / "deploy" / "nginx" / "trainerhub.conf"
VARIABLE = re.compile(r"^(#?)([A-Z][A-Z0-9_]*)=(.*)$")


def variables() -> list[tuple[bool, str, str]]:
    """(active, name, value) for every NAME=value line, commented out or not."""
    found = []
    for line in EXAMPLE.read_text().splitlines():
        match = VARIABLE.match(line.strip())
        if match:
            found.append((not match[1], match[2], match[3]))
    return found


def active() -> dict[str, str]:
    return {name: value for on, name, value in variables() if on}


def test_it_names_every_setting_and_only_settings_that_exist() -> None:
    named = {name for _, name, _ in variables()}
    unknown = sorted(n for n in named if not is_known_variable(n))
    assert not unknown, f"not read by config/settings.py or gunicorn: {unknown}"
    documented = {n.removesuffix("_FILE") if n.endswith("_FILE") else n for n in named}
    missing = sorted(all_settings() - documented)
    assert not missing, f"settings the example does not mention: {missing}"


def test_every_setting_is_explained_by_a_comment_above_it() -> None:
    for block in EXAMPLE.read_text().split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if any(VARIABLE.match(line) for line in lines):
            first = lines[0]
            assert first.startswith("# ") and not VARIABLE.match(first[2:]), block


def test_no_secret_is_written_in_it() -> None:
    for on, name, _ in variables():
        if name in SECRET_NAMES:
            assert not on, f"{name} is set in the example: secrets go in {name}_FILE"
    # The only URL with credentials is the commented PostgreSQL one, which has no password.
    for _, name, value in variables():
        assert not re.search(r"://[^/@\s]*:[^/@\s]*@", value), f"{name} holds a password"


def test_what_it_sets_passes_djangos_deployment_checks(tmp_path: Path) -> None:
    env = {
        **active(),
        "DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_nginx_gunicorn_and_the_units_agree_on_the_address_and_the_paths() -> None:
    env, site = active(), SITE.read_text()
    assert f"server {env['HOST']}:{env['PORT']};" in site
    web = (ROOT / "deploy" / "systemd" / "trainerhub-web.service").read_text()
    checkout = re.search(r"^WorkingDirectory=(.+)$", web, re.M)[1]
    # STATIC_ROOT's default is the checkout's staticfiles/ folder: nginx serves that.
    assert f"alias {checkout}/staticfiles/;" in site
    assert env["DATA_DIR"] == "/var/lib/" + re.search(r"^StateDirectory=(.+)$", web, re.M)[1]
    assert env["BEHIND_PROXY"] == "true" and env["HTTPS"] == "true"
