"""The Dockerfile and compose.yaml, checked without Docker (it cannot run on our CI machines):
every command they run exists, every setting they set is one the app or gunicorn reads, every
file they copy or name is in the repository, every secret comes from a file.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.deploy.known import (
    ROOT,
    SECRET_NAMES,
    celery_apps,
    is_known_variable,
    manage_py_commands,
    management_commands,
    repo_paths,
    shell_words,
)

DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
DOCKERIGNORE = ROOT / ".dockerignore"
# Variables for Python and pip themselves, not settings of the app.
RUNTIME_VARIABLES = {
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PYTHONPATH",
    "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK",
}
APP_IMAGE = "trainerhub:latest"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    stage: int  # index of the FROM it belongs to

    def words(self) -> list[str]:
        """The command of RUN/CMD/HEALTHCHECK, in exec (JSON) or shell form."""
        text = self.args
        if self.keyword == "HEALTHCHECK":  # HEALTHCHECK --interval=30s ... CMD [...]
            text = re.sub(r"^(--\S+\s+)*CMD\s+", "", text)
        if text.startswith("["):
            return json.loads(text)
        return shell_words(text)


def dockerfile() -> list[Instruction]:
    logical, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        current += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            logical.append(current.strip())
            current = ""
    instructions, stage = [], -1
    for text in logical:
        keyword, _, args = text.partition(" ")
        if keyword.upper() == "FROM":
            stage += 1
        instructions.append(Instruction(keyword.upper(), re.sub(r"\s+", " ", args), stage))
    return instructions


def of(keyword: str) -> list[Instruction]:
    return [i for i in dockerfile() if i.keyword == keyword]


def final_stage() -> list[Instruction]:
    instructions = dockerfile()
    return [i for i in instructions if i.stage == instructions[-1].stage]


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def app_services() -> dict[str, dict]:
    services = compose()["services"]
    return {name: s for name, s in services.items() if s.get("image") == APP_IMAGE}


def ignored_by_docker(path: str) -> bool:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = Path(path.rstrip("/")).parts
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(fnmatch.fnmatch(p, pattern) for p in prefixes for pattern in patterns)


def commands_in_dockerfile() -> list[list[str]]:
    return [i.words() for i in dockerfile() if i.keyword in {"RUN", "CMD", "HEALTHCHECK"}]


def commands_in_compose() -> list[list[str]]:
    commands = []
    for service in app_services().values():
        command = service.get("command")
        if command:
            commands.append(command if isinstance(command, list) else shell_words(command))
    return commands


def all_commands() -> list[list[str]]:
    return commands_in_dockerfile() + commands_in_compose()


# --- Dockerfile --------------------------------------------------------------------------------


def test_the_image_runs_on_python_311_slim_as_a_user_who_is_not_root() -> None:
    froms = [i.args.split()[0] for i in of("FROM")]
    assert "python:3.11-slim" in froms
    users = [i.args for i in final_stage() if i.keyword == "USER"]
    assert users == ["trainerhub"]
    keywords = [i.keyword for i in final_stage()]
    assert keywords.index("USER") < keywords.index("CMD")


def test_every_file_the_dockerfile_copies_is_in_the_build_context() -> None:
    copies = [i for i in of("COPY") if "--from=" not in i.args]
    assert copies, "the Dockerfile copies nothing from the repository?"
    for copy in copies:
        *sources, _dest = copy.args.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
            assert not ignored_by_docker(source), f"COPY {source}: excluded by .dockerignore"


def test_the_build_context_leaves_out_secrets_local_data_and_the_virtualenv() -> None:
    for path in ("secrets/secret_key", ".venv", "data/trainerhub.sqlite3", "node_modules", ".git"):
        assert ignored_by_docker(path), f"{path} would be sent to the Docker build"


def test_the_dockerfile_sets_only_settings_that_exist() -> None:
    names = []
    for env in of("ENV"):
        names += [word.split("=", 1)[0] for word in env.args.split() if "=" in word]
    for words in commands_in_dockerfile():  # NAME=value before a command in RUN
        names += [w.split("=", 1)[0] for w in words if re.match(r"^[A-Z][A-Z0-9_]*=", w)]
    unknown = sorted(n for n in names if n not in RUNTIME_VARIABLES and not is_known_variable(n))
    assert names and not unknown, f"not read by config/settings.py or gunicorn: {unknown}"


def test_static_files_are_collected_at_build_time_without_baking_a_key_in() -> None:
    collect = [w for w in commands_in_dockerfile() if "collectstatic" in w]
    assert len(collect) == 1
    # A build-only data folder and key: the image must not carry a generated secret key.
    assert any(w.startswith("DATA_DIR=/tmp/") for w in collect[0])
    assert any(w.startswith("SECRET_KEY=") for w in collect[0])


def test_the_healthcheck_and_the_server_use_files_that_exist() -> None:
    (healthcheck,) = of("HEALTHCHECK")
    assert healthcheck.words() == ["python", "deploy/healthcheck.py"]
    (cmd,) = of("CMD")
    assert cmd.words() == ["gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"]
    for words in commands_in_dockerfile():
        for path in repo_paths(words):
            assert (ROOT / path).is_file(), f"{' '.join(words)}: {path} does not exist"


# --- compose.yaml ------------------------------------------------------------------------------


def test_compose_runs_web_worker_beat_postgres_and_redis() -> None:
    services = compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    assert {"web", "worker", "beat", "migrate"} == set(app_services())
    assert compose()["services"]["web"].get("build") == "."


def test_every_dependency_waits_for_a_real_health_condition() -> None:
    services = compose()["services"]
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            condition = rule["condition"]
            assert condition in {"service_healthy", "service_completed_successfully"}, name
            if condition == "service_healthy":
                check = services[target].get("healthcheck", {})
                assert check.get("test") and not check.get("disable"), f"{name} -> {target}"
            else:
                assert services[target].get("restart") == "no", f"{name} -> {target}"
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_sets_only_settings_that_exist() -> None:
    for name, service in app_services().items():
        unknown = sorted(v for v in service["environment"] if not is_known_variable(v))
        assert not unknown, f"{name}: not read by config/settings.py or gunicorn: {unknown}"


def test_every_setting_comes_from_the_environment_or_a_secret_file() -> None:
    for name, service in app_services().items():
        for variable, value in service["environment"].items():
            literal = not str(value).startswith(("${", "/run/secrets/"))
            if literal:
                # Fixed by the stack's own wiring, not by the operator.
                assert variable in {"REDIS_URL", "TASK_BACKEND"}, f"{name}: {variable}={value}"


def test_secrets_are_read_from_mounted_files_never_set_inline() -> None:
    declared = set(compose()["secrets"])
    for name, service in app_services().items():
        environment = service["environment"]
        assert not SECRET_NAMES & set(environment), f"{name} sets a secret inline"
        for variable, value in environment.items():
            if variable.endswith("_FILE"):
                secret = value.removeprefix("/run/secrets/")
                assert secret in service["secrets"] and secret in declared, f"{name}: {value}"
    for secret in compose()["secrets"].values():
        path = secret["file"].removeprefix("./")
        assert path.startswith("secrets/")
        assert ignored_by_docker(path), f"{path} would be sent to the Docker build"
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False)
        assert ignored.returncode == 0, f"{path} is not ignored by git"


def test_commands_name_real_management_commands_and_the_celery_app() -> None:
    known = management_commands()
    named = [cmd for words in all_commands() for cmd in manage_py_commands(words)]
    assert {"migrate", "collectstatic"} <= set(named)
    assert not set(named) - known, f"no such management command: {set(named) - known}"
    apps = {app for words in all_commands() for app in celery_apps(words)}
    assert apps == {"config.celery"}


def test_the_web_port_is_the_one_the_image_listens_on() -> None:
    env = dict(w.split("=", 1) for i in of("ENV") for w in i.args.split() if "=" in w)
    (port,) = compose()["services"]["web"]["ports"]
    assert port == f"127.0.0.1:{env['PORT']}:{env['PORT']}"
    assert env["HOST"] == "0.0.0.0"  # inside the container; published on loopback only
