"""One small workspace seen from every role, for the permission tests.

Varnia's foreign ministry owns two tracks: one shared with the government of
Ostmark at sign-off level (with items and a comment that stay home), one shared
with nobody. Kestrel runs its own unshared track that overlaps Varnia's private one,
so each owner gets a blind overlap notice. A person of each role signs in with a
session made here, so no test waits for password hashing per request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import MetaData, Table, text
from sqlmodel import Session, select

from server import db as dbmod
from server.models import (
    Alert,
    AuthSession,
    Comment,
    CoordinationRequest,
    FieldReport,
    Initiative,
    LeverageTool,
    LogEntry,
    Metric,
    MetricActual,
    Organisation,
    RedLine,
    ResourceLine,
    SharingGrant,
    StaffLine,
    User,
)
from server.services import coordination, delegations
from tests import factories

ROLES = (
    "admin",
    "coordinator",
    "owner_desk",
    "other_desk",
    "partner_granted",
    "partner_ungranted",
    "field",
    "anonymous",
)
# Organisation and role of each signed-in role of the matrix.
PEOPLE = {
    "admin": ("varnia-mfa", "admin"),
    "coordinator": ("varnia-dev", "coordinator"),
    "owner_desk": ("varnia-mfa", "desk_officer"),
    "other_desk": ("varnia-fin", "desk_officer"),
    "partner_granted": ("ostmark-fa", "partner_reviewer"),
    "partner_ungranted": ("kestrel-fo", "partner_reviewer"),
    "field": ("relief-net", "field_contributor"),
    "kestrel_desk": ("kestrel-fo", "desk_officer"),
}

# Text of every item that stays home on the shared track: no partner response may hold it.
INTERNAL_TEXTS = (
    "Walk away below forty trucks a day",
    "Freeze the assets of the Lowland treasurer",
    "Ministerial visits to the valley counted",
    "The minister doubts Ostmark's resolve",
    "QZX",  # the currency of an internal resource line
)
# What Kestrel's track says: Varnia may never read it, and the other way round.
# (title, words of the description, start, end, a party only this track engages)
KESTREL_SECRETS = (
    "Kestrel delta bargaining channel",
    "quiet talks with the Highland council",
    "2026-02-03",
    "2027-11-30",
    "Marsh Boatmen Guild",
)
VARNIA_PRIVATE_SECRETS = (
    "Varnia delta relief channel",
    "negotiated corridor for the marsh towns",
    "2026-01-20",
    "2027-10-31",
    "Delta Fishers Union",
)

AIMS = ["humanitarian access to the marsh towns", "release of detained aid workers"]


def document(rich: bool = False) -> dict[str, Any]:
    """The matrix's workspace; `rich` adds the secrets the body scan looks for (see `RICH`)."""
    orgs = factories.BASE["organisations"] + [
        {"key": "kestrel", "name": "Republic of Kestrel", "kind": "state", "government": "kestrel"},
        {
            "key": "kestrel-fo",
            "name": "Kestrel, Foreign Office",
            "kind": "department",
            "government": "kestrel",
        },
    ]
    shared = factories.initiative(
        "t-shared",
        title="Northern valleys access",
        description="Access for convoys to the northern valleys.",
        shared_with=[{"government": "ostmark", "level": "sign-off"}],
        red_lines=[
            {"text": "Pause if convoys are taxed at checkpoints", "trigger": "pause"},
            {"text": INTERNAL_TEXTS[0], "trigger": "withdraw", "internal": True},
        ],
        leverage=[
            {"kind": "incentive", "description": "Port access for the valley traders"},
            {
                "kind": "sanction",
                "description": INTERNAL_TEXTS[1],
                "do_no_harm_assessment": True,
                "internal": True,
            },
        ],
        metrics=[
            {
                "name": "Checkpoints lifted on the northern road",
                "kind": "outcome",
                "actuals": [{"date": "2026-04-30", "value": 2}],
            },
            {
                "name": INTERNAL_TEXTS[2],
                "kind": "symbolic",
                "internal": True,
                "actuals": [{"date": "2026-04-30", "value": 5}],
            },
        ],
        resources=[
            {"kind": "funding", "amount": 1000000, "currency": "EUR", "dedicated": True, "org": "varnia-dev"},
            {"kind": "funding", "amount": 250000, "currency": INTERNAL_TEXTS[4], "internal": True},
        ],
        staff=[{"org": "varnia-mfa", "fte": 2}],
    )
    private = factories.initiative(
        "t-private",
        title=VARNIA_PRIVATE_SECRETS[0],
        description=f"A {VARNIA_PRIVATE_SECRETS[1]}.",
        crisis="delta",
        parties=["hca", "dfu"],
        aims=AIMS,
        start=VARNIA_PRIVATE_SECRETS[2],
        end=VARNIA_PRIVATE_SECRETS[3],
    )
    kestrel = factories.initiative(
        "t-kestrel",
        owner="kestrel-fo",
        title=KESTREL_SECRETS[0],
        description=f"Opening {KESTREL_SECRETS[1]}.",
        crisis="delta",
        parties=["hca", "mbg"],
        aims=AIMS,
        start=KESTREL_SECRETS[2],
        end=KESTREL_SECRETS[3],
    )
    parties = factories.BASE["parties"] + [
        {"key": "dfu", "name": VARNIA_PRIVATE_SECRETS[4], "kind": "armed_group"},
        {"key": "mbg", "name": KESTREL_SECRETS[4], "kind": "armed_group"},
    ]
    doc = factories.document(
        organisations=orgs,
        parties=parties,
        initiatives=[shared, private, kestrel],
        decisions=[
            {
                "key": "d-shared",
                "initiative": "t-shared",
                "date": "2026-05-02",
                "text": "Offer port access in return for convoy passage",
                "kind": "agreement",
                "touches_departments": ["varnia-dev", "ostmark"],
            },
            {
                "key": "d-private",
                "initiative": "t-private",
                "date": "2026-05-03",
                "text": "Open the marsh channel with the council",
                "kind": "other",
            },
        ],
        field_reports=[
            {
                "key": "fr-shared",
                "initiative": "t-shared",
                "org": "relief-net",
                "date": "2026-05-10",
                "source_kind": "ngo",
                "text": "Convoys waited two days at the river checkpoint",
            },
            {
                "key": "fr-crisis",
                "crisis": "corridor",
                "org": "relief-net",
                "date": "2026-05-11",
                "source_kind": "ngo",
                "text": "Fuel shortages across the corridor",
            },
            {
                "key": "fr-private",
                "initiative": "t-private",
                "org": "varnia-mfa",
                "date": "2026-05-12",
                "source_kind": "embassy",
                "text": "The marsh council asked for a second meeting",
            },
        ],
    )
    return enrich(doc) if rich else doc


# ------------------------------------------------------------------ the rich world
#
# The body scan (test_bodies.py) needs every kind of secret to exist once, under a
# string found nowhere else, and a reader who may see it. `document(rich=True)` adds:
# on t-shared an objective, its own dates, internal staff, resource and leverage lines
# of a department that appears nowhere else (Defence), a grant to a multilateral body,
# an external coordination link and a dependency on the private track; a track of Loria
# that overlaps t-shared (so the owner gets a blind notice naming Loria); three tracks
# of three owners engaging one party on the Grey Fjord (pairs and forum shopping); and
# a second decision on t-shared that the development agency declined with a reason; and
# an incentive on the private track and a sanction on Kestrel's, both aimed at the
# Highland council at once (a contradictory-leverage alert that each side reads blind).
LORIA_DESK = "loria_desk"
RICH_PEOPLE = {LORIA_DESK: ("loria-mfa", "desk_officer")}
SHARED_OBJECTIVE = "Reopen the Tamsin bridge crossing before the thaw"
SHARED_DATES = ("2026-01-14", "2027-09-27")
EXTERNAL_LINK = "ext-quorvane-accord"
INTERNAL_STAFF = {"org": "varnia-def", "fte": 0.35, "until": "2031-03-17", "internal": True}
INTERNAL_RESOURCE = {
    "kind": "logistics",
    "amount": 4321987,
    "currency": "XDR",
    "until": "2032-08-19",
    "org": "varnia-def",
    "internal": True,
}
INTERNAL_LEVERAGE = {
    "kind": "conditionality",
    "description": "Tie the grain credits to the Vellmar ledger audit",
    "org": "varnia-def",
    "do_no_harm_assessment": True,
    "internal": True,
}
DECLINE_REASON = "The Garvel clause binds our grants"
PRIVATE_INCENTIVE = {
    "kind": "incentive",
    "description": "Salt-pan concessions for the Highland council",
    "status": "proposed",
    "party": "hca",
}
KESTREL_SANCTION = {
    "kind": "sanction",
    "description": "Freeze the Highland council's Orvik port dues",
    "status": "active",
    "party": "hca",
    "do_no_harm_assessment": True,
}
FJORD_AIMS = ["protection of displaced fishing families on the fjord coast", "reopening of the fjord clinics"]


def _complete(track: dict[str, Any]) -> dict[str, Any]:
    """Dedicated staff and an outcome metric, so that a track added for the scan raises no
    alert of its own besides the overlaps it is there for (fewer alerts, a quicker scan)."""
    track.setdefault("staff", [{"org": track["owner"], "fte": 1}])
    track.setdefault(
        "metrics",
        [
            {
                "name": "Families reached by the clinics each month",
                "kind": "outcome",
                # A target no token, id or time in an answer can spell by chance.
                "target": "900 families by the thaw",
                "actuals": [{"date": "2026-05-31", "value": 640}],
            }
        ],
    )
    return track


def enrich(doc: dict[str, Any]) -> dict[str, Any]:
    """The matrix's workspace with every kind of secret the body scan searches for."""
    doc["organisations"] += [
        {"key": "loria", "name": "Republic of Loria", "kind": "state", "government": "loria"},
        {
            "key": "loria-mfa",
            "name": "Loria, Ministry of External Affairs",
            "kind": "department",
            "government": "loria",
        },
        {"key": "sava-envoy", "name": "Office of the Sava Envoy", "kind": "multilateral"},
    ]
    doc["crises"] += [{"key": "fjord", "name": "Grey Fjord crisis", "region": "Grey Fjord"}]
    doc["parties"] += [{"key": "fgc", "name": "Fjord Guard Council", "kind": "de_facto_authority"}]
    doc["interlocutors"] += [
        {"key": "ulvik-harbour", "name": "Harbour Master of Ulvik", "influences": ["fgc"]}
    ]
    shared = next(i for i in doc["initiatives"] if i["key"] == "t-shared")
    shared.update(
        objectives=[SHARED_OBJECTIVE],
        start=SHARED_DATES[0],
        end=SHARED_DATES[1],
        coordinated_with=[EXTERNAL_LINK],
        depends_on=["t-private"],
    )
    shared["shared_with"] = shared["shared_with"] + [{"org": "sava-envoy", "level": "view"}]
    shared["staff"] = shared["staff"] + [INTERNAL_STAFF]
    shared["resources"] = shared["resources"] + [INTERNAL_RESOURCE]
    shared["leverage"] = shared["leverage"] + [INTERNAL_LEVERAGE]
    for key, tool in (("t-private", PRIVATE_INCENTIVE), ("t-kestrel", KESTREL_SANCTION)):
        track = next(i for i in doc["initiatives"] if i["key"] == key)
        track["leverage"] = [*track.get("leverage", []), dict(tool)]
    doc["initiatives"] += [
        _complete(
            factories.initiative(
                "t-loria",
                owner="loria-mfa",
                title="Pellory convoy channel",
                description="Access for convoys to the northern valleys through Pellory.",
                objectives=["Win the consent of the Pellory quartermaster"],
                start="2026-03-09",
                end="2027-12-15",
            )
        ),
        _complete(
            factories.initiative(
                "t-fjord-v",
                owner="varnia-dev",
                title="Fjord clinics lifeline",
                description="Reopen the clinics of the Grey Fjord with the Guard Council.",
                crisis="fjord",
                parties=["fgc"],
                aims=FJORD_AIMS,
                objectives=["Staff the Skarn clinic by spring"],
                start="2026-02-11",
                end="2027-08-21",
                red_lines=[{"text": "Pause if the Skarn clinic is shelled", "trigger": "pause"}],
                # Shared later with one field contributor, who must not read this line.
                staff=[{"org": "varnia-dev", "fte": 0.45, "until": "2030-11-23", "internal": True}],
            )
        ),
        _complete(
            factories.initiative(
                "t-fjord-k",
                owner="kestrel-fo",
                title="Kestrel fjord shuttle",
                description="Shuttle talks with the Guard Council on the Grey Fjord clinics.",
                crisis="fjord",
                parties=["fgc"],
                aims=FJORD_AIMS,
                objectives=["Keep the Ulvik ferry running"],
                start="2026-02-17",
                end="2027-07-29",
            )
        ),
        _complete(
            factories.initiative(
                "t-fjord-l",
                owner="loria-mfa",
                title="Loria fjord relief line",
                description="A relief line to the Grey Fjord clinics agreed with the Guard Council.",
                crisis="fjord",
                parties=["fgc"],
                aims=FJORD_AIMS,
                objectives=["Open the Brask warehouse"],
                start="2026-02-23",
                end="2027-06-30",
            )
        ),
    ]
    doc["decisions"] += [
        {
            "key": "d-shared-2",
            "initiative": "t-shared",
            "date": "2026-05-05",
            "text": "Ask the river elders to host the convoy talks",
            "kind": "other",
            "touches_departments": ["varnia-dev", "ostmark"],
            "signoffs": [
                {"org": "varnia-dev", "date": "2026-05-06", "declined": True, "reason": DECLINE_REASON}
            ],
        },
        {
            "key": "d-loria",
            "initiative": "t-loria",
            "date": "2026-04-22",
            "text": "Grant the Pellory quartermaster a fuel quota",
            "kind": "other",
        },
        {
            "key": "d-fjord-k",
            "initiative": "t-fjord-k",
            "date": "2026-04-18",
            "text": "Offer the Guard Council a ferry permit",
            "kind": "other",
        },
    ]
    doc["field_reports"] += [
        {
            "key": "fr-loria",
            "initiative": "t-loria",
            "org": "loria-mfa",
            "date": "2026-05-14",
            "source_kind": "embassy",
            "text": "The Pellory depot ran out of diesel",
        },
        {
            # On the crisis, by a government: every government reads it, a field contributor not.
            "key": "fr-corridor-loria",
            "crisis": "corridor",
            "org": "loria-mfa",
            "date": "2026-05-15",
            "source_kind": "embassy",
            "text": "Sappers cleared the approach to the Orrin bridge",
        },
    ]
    return doc


def token_of(role: str) -> str:
    return f"session-token-of-{role}"


def csrf_of(role: str) -> str:
    return f"csrf-token-of-{role}"


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, Any] = field(default_factory=dict)

    def headers(self, role: str, unsafe: bool = False) -> dict[str, str]:
        """What a role's browser sends: its session cookie, and the CSRF token on writes."""
        if role == "anonymous":
            return {}
        out = {"Cookie": f"accord={token_of(role)}"}
        if unsafe:
            out["X-CSRF-Token"] = csrf_of(role)
        return out


def _id(db: Session, model: Any, **where: Any) -> int:
    q = select(model)
    for name, value in where.items():
        q = q.where(getattr(model, name) == value)
    row = db.exec(q).first()
    assert row is not None, (model, where)
    return int(row.id)


def build(db: Session, with_checks: bool = True, with_request: bool = True, rich: bool = False) -> World:
    """Load the workspace, sign everyone in, run the checks, and name every object."""
    factories.load(db, document(rich))
    users = {}
    for role, (org, kind) in (PEOPLE | RICH_PEOPLE if rich else PEOPLE).items():
        users[role] = factories.person(db, org, kind, email=f"{role}@example.test")
        # Every person of the world has a session, not only the matrix's roles.
        digest = hashlib.sha256(token_of(role).encode()).hexdigest()
        db.add(AuthSession(id=digest, user_id=users[role].id, csrf_token=csrf_of(role)))
    shared_id = _id(db, Initiative, key="t-shared")
    db.add(
        Comment(
            initiative_id=shared_id,
            author_id=users["owner_desk"].id,
            org_id=users["owner_desk"].organisation_id,
            text="Convoy timing agreed with the valley elders",
        )
    )
    db.add(
        Comment(
            initiative_id=shared_id,
            author_id=users["owner_desk"].id,
            org_id=users["owner_desk"].organisation_id,
            text=INTERNAL_TEXTS[3],
            internal=True,
        )
    )
    db.commit()
    world = World(users=users)
    if with_checks:
        from workers.tasks import check_everything_now

        check_everything_now()
        db.expire_all()
        alert = db.exec(
            select(Alert).where(Alert.fingerprint == "N4:parallel_tracks:t-kestrel,t-private")
        ).first()
        assert alert is not None, "the private and Kestrel tracks should overlap (N4)"
        world.ids["alert_id"] = alert.id
    if with_checks and with_request:
        coordination.request(db, users["kestrel_desk"], {"alert_id": alert.id})
        db.commit()
        world.ids["request_id"] = db.exec(select(CoordinationRequest)).one().id
    ids = world.ids
    ids.setdefault("request_id", 0)  # none yet: the routes that name one answer 404
    ids["shared_id"] = shared_id
    ids["shared_key"] = "t-shared"
    ids["private_id"] = _id(db, Initiative, key="t-private")
    ids["private_key"] = "t-private"
    ids["kestrel_id"] = _id(db, Initiative, key="t-kestrel")
    ids["decision_id"] = _id(db, LogEntry, key="d-shared")
    ids["private_decision_id"] = _id(db, LogEntry, key="d-private")
    ids["comment_id"] = _id(db, Comment, internal=False)
    ids["internal_comment_id"] = _id(db, Comment, internal=True)
    ids["report_id"] = _id(db, FieldReport, key="fr-shared")
    ids["report_key"] = "fr-shared"
    ids["crisis_report_id"] = _id(db, FieldReport, key="fr-crisis")
    ids["private_report_id"] = _id(db, FieldReport, key="fr-private")
    ids["grant_id"] = _id(db, SharingGrant, initiative_id=shared_id)
    ids["line_id"] = _id(db, RedLine, initiative_id=shared_id, internal=False)
    ids["internal_line_id"] = _id(db, RedLine, initiative_id=shared_id, internal=True)
    ids["metric_id"] = _id(db, Metric, initiative_id=shared_id, internal=False)
    ids["staff_line_id"] = _id(db, StaffLine, initiative_id=shared_id, internal=False)
    ids["resource_line_id"] = _id(db, ResourceLine, initiative_id=shared_id, internal=False)
    ids["leverage_line_id"] = _id(db, LeverageTool, initiative_id=shared_id, internal=False)
    ids["internal_metric_id"] = _id(db, Metric, initiative_id=shared_id, internal=True)
    ids["actual_id"] = _id(db, MetricActual, metric_id=ids["metric_id"])
    ids["field_org_id"] = users["field"].organisation_id
    # The admin screens: a person and an organisation of Varnia (the admin's government).
    ids["desk_user_id"] = users["owner_desk"].id
    ids["desk_user_version"] = users["owner_desk"].version
    ids["varnia_org_id"] = users["owner_desk"].organisation_id
    ids["varnia_org_version"] = users["owner_desk"].organisation.version
    ids["crisis_id"] = db.exec(select(Initiative.crisis_id).where(Initiative.id == shared_id)).one()
    # Varnia's finance ministry hands its sign-off to the defence ministry: Varnia's to read.
    ids["def_org_id"] = _id(db, Organisation, key="varnia-def")
    ids["delegation_id"] = delegations.create(
        db,
        users["other_desk"],
        {
            "delegate_org_id": ids["def_org_id"],
            "starts_on": dt.date.today(),
            "ends_on": dt.date.today() + dt.timedelta(days=30),
        },
    ).id
    # End the test's transaction: on SQLite an open write transaction locks out the app.
    # (A commit, not a rollback, so that the loaded people stay readable.)
    db.commit()
    return world


class DbSnapshot:
    """The test database as it is now, to put back after a request that changed it.

    Each cell of the matrix must meet the same world; a write that succeeded (a grant
    withdrawn, a session ended) is undone by restoring. SQLite is copied whole with
    its backup API. On PostgreSQL every row is kept, and a statement trigger on each
    table notes the tables a request wrote to; only those are written back, under the
    replica role, which skips the decision log's append-only triggers (and the noting
    triggers themselves) as a DBA could.
    """

    def __init__(self) -> None:
        engine = dbmod.get_engine(write=False)
        self.url = engine.url
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.tables: dict[str, Table] = {}
        if engine.dialect.name == "sqlite":
            self.copy = sqlite3.connect(":memory:")
            with sqlite3.connect(str(engine.url.database)) as live:
                live.backup(self.copy)
            return
        metadata = MetaData()
        metadata.reflect(engine)
        self.tables = {
            t.name: t for t in metadata.sorted_tables if t.name not in ("alembic_version", "matrix_touched")
        }
        with dbmod.get_engine(write=True).begin() as conn:
            conn.execute(text("CREATE UNLOGGED TABLE IF NOT EXISTS matrix_touched (name text PRIMARY KEY)"))
            conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION matrix_note() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN INSERT INTO matrix_touched VALUES (TG_TABLE_NAME) ON CONFLICT DO NOTHING; "
                    "RETURN NULL; END $$"
                )
            )
            for name in self.tables:
                conn.execute(
                    text(
                        f"CREATE OR REPLACE TRIGGER matrix_note AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                        f'ON "{name}" FOR EACH STATEMENT EXECUTE FUNCTION matrix_note()'
                    )
                )
            for t in self.tables.values():
                order = list(t.primary_key.columns) or list(t.columns)
                self.rows[t.name] = [dict(r._mapping) for r in conn.execute(t.select().order_by(*order))]

    def __enter__(self) -> DbSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        """Take the noting triggers, their function and their table away again (PostgreSQL)."""
        if not self.tables:
            return
        with dbmod.get_engine(write=True).begin() as conn:
            for name in self.tables:
                conn.execute(text(f'DROP TRIGGER IF EXISTS matrix_note ON "{name}"'))
            conn.execute(text("DROP FUNCTION IF EXISTS matrix_note() CASCADE"))
            conn.execute(text("DROP TABLE IF EXISTS matrix_touched"))

    def restore(self) -> None:
        engine = dbmod.get_engine(write=True)
        if engine.dialect.name == "sqlite":
            for e in dbmod.engines(str(engine.url)):
                e.dispose()
            live = sqlite3.connect(str(engine.url.database))
            try:
                self.copy.backup(live)
            finally:
                live.close()
            return
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            touched = [n for (n,) in conn.execute(text("DELETE FROM matrix_touched RETURNING name"))]
            tables = [t for name, t in self.tables.items() if name in touched]
            for t in tables:
                conn.execute(t.delete())
            for t in tables:
                if self.rows[t.name]:
                    conn.execute(t.insert(), self.rows[t.name])
            for t in tables:
                if "id" in t.columns and str(t.columns["id"].type).upper().startswith(("INT", "BIGINT")):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), "
                            f'COALESCE((SELECT MAX(id) FROM "{t.name}"), 0) + 1, false)'
                        )
                    )
