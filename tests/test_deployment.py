"""The deployment files: docker-compose.yml names only real `accord` commands."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import typer.main
import yaml

from server.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _resolve(argv: list[str]) -> Any:
    """Walk the CLI's command tree along argv; None if a command does not exist."""
    command: Any = typer.main.get_command(app)
    for word in argv:
        if word.startswith("-"):
            break
        commands = getattr(command, "commands", None)
        if commands is None:  # a leaf command: the rest are its arguments
            break
        if word not in commands:
            return None
        command = commands[word]
    return command


def _options(command: Any) -> set[str]:
    return {opt for p in command.params for opt in getattr(p, "opts", [])}


def test_compose_services_and_commands() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert services["web"]["deploy"]["replicas"] == 2
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in services[name], f"{name} has no health check"
    accord_services = {n: s for n, s in services.items() if "command" in s and s["command"][0] == "accord"}
    assert set(accord_services) >= {"migrate", "web", "worker", "beat"}
    for name, service in accord_services.items():
        argv = service["command"][1:]
        command = _resolve(argv)
        assert command is not None, f"service {name}: 'accord {shlex.join(argv)}' is not a command"
        for word in argv:
            if word.startswith("--"):
                assert word in _options(command), f"service {name}: unknown option {word}"
        check = service.get("healthcheck", {}).get("test", [])
        if len(check) > 1 and check[1] == "accord":
            assert _resolve(check[2:]) is not None, f"service {name}: health check command missing"


def test_compose_image_builds_from_project_files() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = ROOT / compose["services"]["web"]["build"]["dockerfile"]
    assert dockerfile.is_file()
    for line in dockerfile.read_text().splitlines():
        if line.startswith("COPY "):
            for src in line.split()[1:-1]:
                assert (ROOT / src).exists(), f"{dockerfile.name} copies a missing {src}"
