"""The `accord` command: serve, migrate, import and export, demo, users, log verify."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import select

app = typer.Typer(
    help="Accord: a shared workspace for humanitarian diplomacy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
users_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
log_app = typer.Typer(help="The decision log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(log_app, name="log")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line saying what was wrong, and exit non-zero."""
    typer.echo(f"accord: {message}", err=True)
    return typer.Exit(code)


def _settings():  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from server.settings import get_settings

    try:
        return get_settings()
    except ValidationError as exc:
        raise fail(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


def _upgrade() -> None:
    from server.migrations import upgrade

    try:
        upgrade(_settings().sqlalchemy_url)
    except OperationalError as exc:
        raise fail(f"cannot reach the database: {exc.orig}") from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration the database lacks."""
    _upgrade()
    typer.echo("database is up to date")


def _is_empty() -> bool:
    from server.db import session_scope
    from server.models import Organisation

    with session_scope(write=False) as db:
        return db.exec(select(Organisation)).first() is None


def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo workspace and its people; return (email, role, organisation) rows."""
    from server import demo
    from server.db import session_scope
    from server.domain.snapshot import parse_document
    from server.models import Organisation
    from server.services import users, workspace

    with session_scope() as db:
        workspace.import_document(db, parse_document(demo.document()))
        workspace.set_name(db, demo.NAME)
        db.flush()
        orgs = {o.key: o for o in db.exec(select(Organisation)).all()}
        rows = []
        for email, name, org_key, role in demo.PEOPLE:
            users.create(db, None, email, name, orgs[org_key].id, role, demo.DEMO_PASSWORD)
            rows.append((email, role, orgs[org_key].name))
    return rows


def _print_logins(rows: list[tuple[str, str, str]]) -> None:
    from server.demo import DEMO_PASSWORD

    typer.echo(f"Demo workspace loaded. Logins (password for all: {DEMO_PASSWORD}):")
    for email, role, org in rows:
        typer.echo(f"  {role:<18} {email:<32} {org}")


@app.command()
def demo() -> None:
    """Load the fictional demo workspace into an empty database and print a login per role."""
    _upgrade()
    if not _is_empty():
        raise fail("the database already holds a workspace; the demo loads only into an empty one")
    _print_logins(load_demo())


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 0,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo workspace if the database is empty.")
    ] = False,
    web_only: Annotated[
        bool, typer.Option("--web-only", help="Run the web app alone, without worker and beat.")
    ] = False,
) -> None:
    """Run Accord: web, one worker and the scheduler together (the embedded deployment)."""
    s = _settings()
    _upgrade()
    if demo and _is_empty():
        _print_logins(load_demo())
    host, port = host or s.host, port or s.port
    typer.echo(f"Accord on http://{host}:{port}")
    try:
        from server.cli_workers import run_embedded
    except ImportError:
        run_embedded = None  # type: ignore[assignment]
    if web_only or run_embedded is None:
        import uvicorn

        uvicorn.run("server.app:create_app", factory=True, host=host, port=port, log_level="info")
    else:
        run_embedded(host, port)


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="A workspace document (JSON).")]) -> None:
    """Load a workspace document; all or nothing, errors name their JSON path."""
    from server.db import session_scope
    from server.domain.snapshot import DocumentInvalid, load_text
    from server.services import workspace

    if not file.is_file():
        raise fail(f"no such file: {file}")
    _upgrade()
    try:
        ws = load_text(file.read_text(encoding="utf-8"))
        with session_scope() as db:
            counts = workspace.import_document(db, ws)
    except DocumentInvalid as exc:
        for err in exc.errors:
            typer.echo(f"{file}: {err}", err=True)
        raise fail(f"{len(exc.errors)} error(s); nothing was imported", 1) from None
    except UnicodeDecodeError:
        raise fail(f"{file} is not UTF-8 text") from None
    typer.echo("imported " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@app.command("export")
def export(
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Write the whole workspace as a workspace document."""
    from server.db import session_scope
    from server.domain.snapshot import dump_document
    from server.services import workspace

    _upgrade()
    with session_scope(write=False) as db:
        text = json.dumps(dump_document(workspace.export_document(db)), indent=2, ensure_ascii=False)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"exported to {out}")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Sign-in email.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    org: Annotated[str, typer.Option(help="Organisation key.")],
    role: Annotated[
        str, typer.Option(help="admin, coordinator, desk_officer, partner_reviewer or field_contributor.")
    ],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create a person in an organisation with a role."""
    from server.db import session_scope
    from server.models import Organisation
    from server.services import users
    from server.services.errors import DomainError

    _upgrade()
    try:
        with session_scope() as db:
            found = db.exec(select(Organisation).where(Organisation.key == org)).first()
            if found is None:
                raise fail(f"no organisation with key '{org}'")
            user = users.create(db, None, email, name, found.id, role, password)
            typer.echo(f"created {user.email} ({user.role}, {found.name})")
    except DomainError as exc:
        raise fail(exc.detail) from None


@log_app.command("verify")
def log_verify() -> None:
    """Walk the decision log's hash chain; exit 1 naming the first broken entry."""
    from server.db import session_scope
    from server.services import ledger

    _upgrade()
    with session_scope(write=False) as db:
        result = ledger.verify(db)
    if not result.ok:
        raise fail(str(result), 1)
    typer.echo(str(result))


try:
    from server.cli_workers import register as _register_workers

    _register_workers(app)
except ImportError:  # pragma: no cover - the worker commands ship with the workers package
    pass


def main() -> None:
    try:
        app()
    except SQLAlchemyError as exc:
        typer.echo(f"accord: database error: {exc.__class__.__name__}", err=True)
        sys.exit(1)
