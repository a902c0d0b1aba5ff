"""`accord tokens`: make, list and revoke a person's API tokens from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import EXAMPLE, _no_trace, accord

EMAIL = "desk@varnia.example"


def _person(home: Path) -> None:
    assert accord("import", str(EXAMPLE), cwd=home).returncode == 0
    made = accord(
        "users", "create", "--email", EMAIL, "--name", "Desk", "--org", "varnia-mfa",
        "--role", "desk_officer", "--password", "long enough pw", cwd=home,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr


def test_tokens_are_made_listed_and_revoked(tmp_path: Path) -> None:
    _person(tmp_path)
    made = accord(
        "tokens", "create", "--email", EMAIL, "--label", "nightly sync", "--scope", "write", "--days", "30",
        cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    ref = token.split("_")[1]
    listed = accord("tokens", "list", "--email", EMAIL, cwd=tmp_path)
    assert listed.returncode == 0
    line = listed.stdout.strip()
    assert line.startswith(ref) and "live" in line and "read,write" in line and "nightly sync" in line
    assert token not in listed.stdout
    revoked = accord("tokens", "revoke", ref, cwd=tmp_path)
    assert revoked.returncode == 0 and f"revoked {ref}" in revoked.stdout
    assert "revoked" in accord("tokens", "list", "--email", EMAIL, cwd=tmp_path).stdout


def test_token_errors_are_one_line(tmp_path: Path) -> None:
    _person(tmp_path)
    cases = [
        (("tokens", "revoke", "nosuchref"), "accord: No API token 'nosuchref'"),
        (("tokens", "list", "--email", "nobody@x.example"), "accord: no person with the email"),
        (
            ("tokens", "create", "--email", EMAIL, "--label", "x", "--scope", "admin"),
            "accord: scopes: unknown scope",
        ),
        (
            ("tokens", "create", "--email", EMAIL, "--label", "x", "--days", "400"),
            "accord: expires_in_days: a token",
        ),
    ]
    for args, message in cases:
        result = accord(*args, cwd=tmp_path)
        assert result.returncode != 0, args
        _no_trace(result)
        assert result.stderr.strip().startswith(message), (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
