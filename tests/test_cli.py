"""The `accord` command as a person uses it: clear one-line errors, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent / "data" / "workspace-example.json"


def accord(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


def _no_trace(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_import_export_round_trip_and_verify(home: Path) -> None:
    done = accord("import", str(EXAMPLE), cwd=home)
    assert done.returncode == 0, done.stderr
    assert "1 initiatives" in done.stdout
    out = home / "out.json"
    assert accord("export", "--out", str(out), cwd=home).returncode == 0
    exported = json.loads(out.read_text())
    assert exported["initiatives"][0]["title"] == "Access talks for the northern valleys"
    verified = accord("log", "verify", cwd=home)
    assert verified.returncode == 0 and "2 entries" in verified.stdout


def test_bad_document_exits_1_with_each_path(home: Path) -> None:
    bad = json.loads(EXAMPLE.read_text())
    bad["initiatives"][0]["owner"] = "nobody"
    bad["initiatives"][0]["kind"] = "cultural"
    bad["extra"] = 1
    path = home / "bad.json"
    path.write_text(json.dumps(bad))
    result = accord("import", str(path), cwd=home)
    assert result.returncode == 1
    _no_trace(result)
    lines = result.stderr.strip().splitlines()
    assert any("initiatives[0].owner: unknown organisation 'nobody'" in line for line in lines)
    assert any("initiatives[0].kind" in line for line in lines)
    assert any("extra: unknown field" in line for line in lines)
    assert lines[-1] == "accord: 3 error(s); nothing was imported"
    empty = accord("export", cwd=home)
    assert json.loads(empty.stdout).get("initiatives", []) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "missing.json"), "accord: no such file: missing.json"),
        (
            (
                "users",
                "create",
                "--email",
                "a@b.example",
                "--name",
                "A",
                "--org",
                "nowhere",
                "--role",
                "admin",
                "--password",
                "long enough pw",
            ),
            "accord: no organisation with key 'nowhere'",
        ),
    ],
)
def test_user_errors_are_one_line(home: Path, args: tuple[str, ...], message: str) -> None:
    result = accord(*args, cwd=home)
    assert result.returncode != 0
    _no_trace(result)
    assert result.stderr.strip().splitlines() == [message]


def test_not_json_is_one_line(home: Path) -> None:
    path = home / "x.json"
    path.write_text("{not json")
    result = accord("import", str(path), cwd=home)
    assert result.returncode == 1
    _no_trace(result)
    assert "not JSON" in result.stderr


def test_production_refuses_placeholder_key_in_one_line(home: Path) -> None:
    result = accord("db", "upgrade", cwd=home, env={"ACCORD_ENVIRONMENT": "production"})
    assert result.returncode == 2
    _no_trace(result)
    assert result.stderr.strip().splitlines()[-1].startswith("accord: ACCORD_SECRET_KEY must be set")


def test_bad_role_is_one_line(home: Path) -> None:
    assert accord("import", str(EXAMPLE), cwd=home).returncode == 0
    result = accord(
        "users",
        "create",
        "--email",
        "a@b.example",
        "--name",
        "A",
        "--org",
        "varnia-mfa",
        "--role",
        "emperor",
        "--password",
        "long enough pw",
        cwd=home,
    )
    assert result.returncode == 2
    _no_trace(result)
    assert result.stderr.strip().startswith("accord: role: choose one of admin")


def test_demo_loads_and_prints_a_login_per_role(home: Path) -> None:
    result = accord("demo", cwd=home)
    assert result.returncode == 0, result.stderr
    for role in ("admin", "coordinator", "desk_officer", "partner_reviewer", "field_contributor"):
        assert role in result.stdout
    again = accord("demo", cwd=home)
    assert again.returncode == 2 and "already holds a workspace" in again.stderr
    assert accord("log", "verify", cwd=home).returncode == 0


def test_users_create_ties_the_delegation_that_names_the_person(home: Path) -> None:
    """A workspace names a delegate who has no account yet; `accord users create` makes it
    and says under which delegation the person now signs (a namesake abroad is not them)."""
    from tests.factories import document
    from tests.services.test_delegations import named

    ws = document()
    extra = named("Vera Lind")
    ws["organisations"] += extra["organisations"]
    ws["delegations"] = extra["delegations"]
    path = home / "ws.json"
    path.write_text(json.dumps(ws))
    assert accord("import", str(path), cwd=home).returncode == 0

    def create(email: str, org: str) -> subprocess.CompletedProcess[str]:
        args = ("--email", email, "--name", "Vera Lind", "--org", org, "--role", "desk_officer")
        return accord("users", "create", *args, "--password", "long enough pw", cwd=home)

    abroad = create("vera@ostmark.example", "ostmark-fa")
    assert abroad.returncode == 0 and "signs off for" not in abroad.stdout
    made = create("vera@varnia.example", "varnia-dev")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.strip().splitlines()
    assert lines[0] == "created vera@varnia.example (desk_officer, Varnia, Development Agency)"
    assert lines[1].startswith(
        "signs off for Varnia, Ministry of the Interior under delegation dl-int "
        "(everything of Varnia, Ministry of the Interior, "
    )
    assert lines[1].endswith(", active)")
