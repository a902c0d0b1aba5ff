"""The `accord` command: serve, migrate, import and export, demo, users, API tokens, log verify."""

from __future__ import annotations

import errno
import json
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import select

if TYPE_CHECKING:
    from server.settings import Settings

app = typer.Typer(
    help="Accord: a shared workspace for humanitarian diplomacy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
users_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
log_app = typer.Typer(help="The decision log.", no_args_is_help=True)
tokens_app = typer.Typer(help="People's API tokens.", no_args_is_help=True)
vectors_app = typer.Typer(help="Stored meaning vectors of the tracks (N4).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(tokens_app, name="tokens")
app.add_typer(users_app, name="users")
app.add_typer(log_app, name="log")
app.add_typer(vectors_app, name="vectors")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line saying what was wrong, and exit non-zero."""
    typer.echo(f"accord: {message}", err=True)
    return typer.Exit(code)


def _settings() -> Settings:
    from pydantic import ValidationError

    from server.settings import get_settings

    try:
        return get_settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = _PLAIN.get(err["type"], err["msg"].removeprefix("Value error, "))
        field = ".".join(str(part) for part in err["loc"])
        if field:
            msg = f"ACCORD_{field.upper()}: {msg}"
        raise fail(msg) from None


# Settings errors in plain words (pydantic's own read "Input should be a valid integer, ...").
_PLAIN = {
    "int_parsing": "not a whole number",
    "float_parsing": "not a number",
    "bool_parsing": "not true or false",
    "literal_error": "not one of the values it may take",
}


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


# (email, role, organisation's name, organisation's kind) for each demo login.
Login = tuple[str, str, str, str]


def load_demo() -> list[Login]:
    """Load the demo workspace and its people; return their logins."""
    from server import demo
    from server.db import session_scope
    from server.domain.snapshot import parse_document
    from server.models import Organisation
    from server.services import users, workspace

    with session_scope() as db:
        workspace.import_document(db, parse_document(demo.document()))
        workspace.set_name(db, demo.NAME)
        workspace.set_host(db, demo.HOST)
        db.flush()
        orgs = {o.key: o for o in db.exec(select(Organisation)).all()}
        # One argon2 hash for the one shared password: hashing it once per person would
        # make loading the demo take seconds longer for nothing.
        password_hash = users.hash_password(demo.DEMO_PASSWORD)
        for email, name, org_key, role in demo.PEOPLE:
            users.create(
                db, None, email, name, orgs[org_key].id, role, demo.DEMO_PASSWORD, password_hash=password_hash
            )
        _demo_dismissal(db)
    return demo_logins()


# The demo's dismissal awaiting a second department: who dismisses, and why.
DEMO_DISMISSER = "desk.mfa@varnia.example"
DEMO_DISMISSAL_REASON = (
    "Raised with the other departments at the weekly coordination meeting; follow-up agreed"
)


def _demo_dismissal(db: Any) -> None:
    """Run the checks once, then dismiss a high-severity alert of the foreign ministry's tracks:
    it waits, counted open, for a second department of Varnia to confirm."""
    from server.domain.checks import run_all
    from server.models import User
    from server.services import alerts, loader, reconcile
    from server.services.errors import DomainError

    loaded = loader.load_all(db)
    reconcile.reconcile(db, run_all(loaded.snapshot), loaded.ids, None, None)
    db.flush()
    officer = db.exec(select(User).where(User.email == DEMO_DISMISSER)).one()
    for view in alerts.by_severity(alerts.list_visible(db, officer)):
        if view.severity != "high" or view.partial:
            continue
        try:
            alerts.dismiss(db, officer, view.id, DEMO_DISMISSAL_REASON)
        except DomainError:
            continue
        return


def demo_logins() -> list[Login]:
    """The demo's logins that exist in the database, in the demo's order (none if it holds no demo)."""
    from server import demo
    from server.db import session_scope
    from server.services import users

    rows: list[Login] = []
    with session_scope(write=False) as db:
        for email, _name, _org, _role in demo.PEOPLE:
            user = users.by_email(db, email)
            if user is not None and user.active:
                org = user.organisation
                rows.append((user.email, user.role, org.name, org.kind))
    return rows


_KIND = {
    "department": "department",
    "state": "state",
    "humanitarian_org": "humanitarian",
    "multilateral": "multilateral",
}


def _print_logins(rows: list[Login], headline: str) -> None:
    from server.demo import DEMO_PASSWORD

    typer.echo(f"{headline} Logins (password for all: {DEMO_PASSWORD}):")
    width = max(len(email) for email, _, _, _ in rows) + 2
    for email, role, org, kind in rows:
        typer.echo(f"  {role:<18} {email:<{width}} {org} ({_KIND.get(kind, kind)})")
    typer.echo("Print them again at any time with: accord demo --logins")


@app.command()
def demo(
    logins: Annotated[
        bool, typer.Option("--logins", help="Print the demo's logins again; load nothing.")
    ] = False,
) -> None:
    """Load the fictional demo workspace into an empty database and print a login per role."""
    _upgrade()
    if logins:
        rows = demo_logins()
        if not rows:
            raise fail("the database holds no demo workspace; load it with: accord demo", 1)
        _print_logins(rows, "Demo workspace.")
        return
    if not _is_empty():
        raise fail(
            "the database already holds a workspace; the demo loads only into an empty one "
            "(its logins: accord demo --logins)"
        )
    _print_logins(load_demo(), "Demo workspace loaded.")


def port_problem(host: str, port: int) -> str | None:
    """Why the web server could not listen on host:port, in one line; None if it can.

    Binds a throw-away socket the way uvicorn will (SO_REUSEADDR, so a port left in
    TIME_WAIT by a previous run counts as free), and lets it go at once.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        return f"cannot listen on {host}: not an address of this machine; choose another with --host"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use (is Accord already running?); "
                    f"choose another with --port, for example: accord serve --port {_next_port(host, port)}"
                )
            if exc.errno in (errno.EACCES, errno.EPERM):
                return f"not allowed to listen on port {port}; choose a port above 1023 with --port"
            if exc.errno == errno.EADDRNOTAVAIL:
                return f"cannot listen on {host}: not an address of this machine; choose another with --host"
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


def _next_port(host: str, port: int) -> int:
    """A nearby port that is free now, to suggest (the next one up, if none is)."""
    for candidate in range(port + 1, min(port + 20, 65535) + 1):
        try:
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind((host, candidate))
            return candidate
        except OSError:
            continue
    return port + 1 if port < 65535 else 8000


def _default(name: str) -> Any:
    from server.settings import Settings

    return Settings.model_fields[name].default


def _given(ctx: typer.Context, name: str) -> bool:
    """Whether an option was given on the command line (not left at its shown default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name != "DEFAULT"


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on (or set ACCORD_HOST).")] = _default("host"),
    port: Annotated[
        int, typer.Option(help="Port to listen on (or set ACCORD_PORT).", min=1, max=65535)
    ] = _default("port"),
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="Load the demo workspace if the database is empty, and print its logins."
        ),
    ] = False,
    web_only: Annotated[
        bool, typer.Option("--web-only", help="Run the web app alone, without worker and beat.")
    ] = False,
) -> None:
    """Run Accord: web, one worker and the scheduler together (the embedded deployment)."""
    s = _settings()
    # The command line wins; otherwise the settings (ACCORD_HOST, ACCORD_PORT, .env).
    host = host if _given(ctx, "host") else s.host
    port = port if _given(ctx, "port") else s.port
    # Before anything starts: a busy port would otherwise show up as a web process that
    # dies after the worker and the scheduler came up, with a traceback.
    problem = port_problem(host, port)
    if problem:
        raise fail(problem, 1)
    _upgrade()
    if demo:
        if _is_empty():
            _print_logins(load_demo(), "Demo workspace loaded.")
        elif rows := demo_logins():
            _print_logins(rows, "Demo workspace.")
        else:
            typer.echo("accord: the database already holds a workspace; the demo was not loaded", err=True)
    typer.echo(f"Accord on http://{host}:{port}")
    try:
        from server.cli_workers import run_embedded
    except ImportError:
        run_embedded = None  # type: ignore[assignment]
    if web_only or run_embedded is None:
        import uvicorn

        # Forwarded headers are Accord's to judge (ACCORD_TRUSTED_PROXIES), not uvicorn's.
        uvicorn.run(
            "server.app:create_app", factory=True, host=host, port=port, log_level="info", proxy_headers=False
        )
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
    from server.services import delegations, users
    from server.services.errors import DomainError

    _upgrade()
    try:
        with session_scope() as db:
            found = db.exec(select(Organisation).where(Organisation.key == org)).first()
            if found is None:
                raise fail(f"no organisation with key '{org}'")
            user = users.create(db, None, email, name, found.id, role, password)
            typer.echo(f"created {user.email} ({user.role}, {found.name})")
            for v in delegations.naming(db, user):
                typer.echo(
                    f"signs off for {v.department} under delegation {v.key} ({v.scope}, "
                    f"{v.starts_on.isoformat()} to {v.ends_on.isoformat()}, {v.state})"
                )
    except DomainError as exc:
        raise fail(exc.detail) from None


def _person(db: Any, email: str) -> Any:
    from server.services import users

    user = users.by_email(db, email.strip().lower())
    if user is None:
        raise fail(f"no person with the email {email!r}")
    return user


@tokens_app.command("create")
def tokens_create(
    email: Annotated[str, typer.Option(help="The owner's sign-in email.")],
    label: Annotated[str, typer.Option(help="What the token is for.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(help="write or sign-off, repeatable; every token may read."),
    ] = None,
    days: Annotated[int, typer.Option(help="Days until it ends (1 to 365).")] = 90,
) -> None:
    """Make an API token for a person and print it; it is shown this once."""
    from server.db import session_scope
    from server.services import sessions
    from server.services.errors import DomainError

    _upgrade()
    try:
        with session_scope() as db:
            user = _person(db, email)
            if not user.active:
                raise fail(f"{user.email} can no longer sign in")
            if not label.strip():
                raise fail("name the token with --label")
            token = sessions.create_api_token(db, user, label.strip()[:200], scope or [], days)
    except DomainError as exc:
        raise fail(exc.detail) from None
    typer.echo(token)


@tokens_app.command("list")
def tokens_list(email: Annotated[str, typer.Option(help="The owner's sign-in email.")]) -> None:
    """A person's API tokens, newest first: ref, state, scopes, end, name (never the token)."""
    from server.db import session_scope
    from server.services import sessions

    _upgrade()
    with session_scope(write=False) as db:
        user = _person(db, email)
        rows = sessions.api_tokens_of(db, user.id)
        if not rows:
            typer.echo(f"{user.email} has no API token")
            return
        for t in rows:
            ends = t.expires_at.strftime("%Y-%m-%d %H:%M") if t.expires_at else "never"
            scopes = ",".join(t.scopes.split())
            typer.echo(f"{t.ref}  {sessions.token_state(t):<7}  {scopes:<20}  ends {ends}  {t.label}")


@tokens_app.command("revoke")
def tokens_revoke(
    ref: Annotated[str, typer.Argument(help="The token's ref, as `accord tokens list` shows.")],
) -> None:
    """End an API token now, whoever owns it."""
    from server.db import session_scope
    from server.services import sessions
    from server.services.errors import DomainError

    _upgrade()
    try:
        with session_scope() as db:
            row = sessions.revoke_api_token(db, ref.strip(), None)
            typer.echo(f"revoked {row.ref} ({row.label or 'no name'})")
    except DomainError as exc:
        raise fail(exc.detail, 1) from None


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


@vectors_app.command("refresh")
def vectors_refresh(
    batch: Annotated[int, typer.Option(help="Tracks per transaction.", min=1)] = 500,
) -> None:
    """Make again, once, the stored vectors of an older model or text version (idempotent)."""
    from server.db import session_scope
    from server.services import stored_vectors

    _upgrade()
    done = stored_vectors.refresh(session_scope, batch)
    typer.echo(f"refreshed {done} stored vector(s)" if done else "every stored vector is current")


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
