"""What the JSON API answers, built only from what a service let the caller see.

Every route declares one of these as its answer, so the OpenAPI document describes each
field. The models of stored rows (comments, reports, log entries, grants, items behind a
track) take their fields from the row's table, so a column added there shows in the API
and in its document at once.
"""

from __future__ import annotations

from dataclasses import MISSING
from dataclasses import fields as dc_fields
from datetime import UTC, date, datetime
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, create_model
from sqlmodel import SQLModel

from server.domain import signoffs
from server.domain.snapshot import Signoff
from server.models import (
    Comment,
    CoordinationLink,
    FieldReport,
    Initiative,
    LogEntry,
    MetricActual,
    SharingGrant,
)
from server.models.initiatives import LINE_MODELS
from server.services.initiatives import InitiativeView


def _utc(value: datetime) -> str:
    """A stored moment (UTC, kept without a zone) as RFC 3339 with its `Z`."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Every moment the API answers is UTC and says so, as OpenAPI's `date-time` requires.
UtcDateTime = Annotated[
    datetime,
    PlainSerializer(_utc, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]


def _zoned(annotation: Any) -> Any:
    """`annotation` with `datetime` (alone or optional) answered as `UtcDateTime`."""
    if annotation is datetime:
        return UtcDateTime
    if get_origin(annotation) in (Union, UnionType) and datetime in get_args(annotation):
        return Union[tuple(UtcDateTime if a is datetime else a for a in get_args(annotation))]  # noqa: UP007
    return annotation


def _row_model(table: type[SQLModel], name: str, doc: str) -> type[BaseModel]:
    """An answer model with every column of `table`, each required (the id too)."""
    columns: dict[str, Any] = {n: (_zoned(f.annotation), ...) for n, f in table.model_fields.items()}
    columns["id"] = (int, ...)
    model = create_model(name, __config__=ConfigDict(from_attributes=True), **columns)
    model.__doc__ = doc
    return model


def view_model(view: type, name: str) -> type[BaseModel]:
    """An answer model with the fields of a service's view (a dataclass), moments in UTC."""
    hints = get_type_hints(view)
    fields = {
        f.name: (_zoned(hints[f.name]), f.default if f.default is not MISSING else ...)
        for f in dc_fields(view)
    }
    model = create_model(name, __config__=ConfigDict(from_attributes=True), **fields)
    model.__doc__ = view.__doc__
    return model


CommentOut = _row_model(Comment, "CommentOut", "A comment on a track; `internal` ones stay home.")
FieldReportOut = _row_model(FieldReport, "FieldReportOut", "A field report on a crisis or a track.")
LogEntryOut = _row_model(
    LogEntry, "LogEntryOut", "One entry of the append-only decision log, with its place in the hash chain."
)
GrantOut = _row_model(
    SharingGrant, "GrantOut", "A track shared with an organisation, a government or a person."
)
LinkOut = _row_model(CoordinationLink, "CoordinationLinkOut", "Two tracks linked as coordinated.")
Part = Literal["red_lines", "staff", "resources", "leverage", "metrics"]
_LINE_NAMES = {
    "red_lines": "RedLineOut",
    "staff": "StaffLineOut",
    "resources": "ResourceOut",
    "leverage": "LeverageToolOut",
    "metrics": "MetricOut",
}
LINE_OUT: dict[str, type[BaseModel]] = {
    part: _row_model(LINE_MODELS[part], _LINE_NAMES[part], f"An item behind a track ({part}).")
    for part in _LINE_NAMES
}
if set(LINE_MODELS) != set(LINE_OUT):  # a new kind of item needs its answer model here
    raise RuntimeError(f"items without an answer model: {sorted(set(LINE_MODELS) - set(LINE_OUT))}")
RedLineOut = LINE_OUT["red_lines"]
StaffLineOut = LINE_OUT["staff"]
ResourceOut = LINE_OUT["resources"]
LeverageToolOut = LINE_OUT["leverage"]
MetricOut = LINE_OUT["metrics"]
# Any one kind of item: the answer of a route that adds or edits an item of `{part}`.
LineOut = Union[tuple(LINE_OUT.values())]  # type: ignore[valid-type]  # noqa: UP007


class Problem(BaseModel):
    """An error as RFC 9457 problem details (`application/problem+json`)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem; `about:blank` when the status says it")
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = Field(
        default=None, description="For invalid input: each field's path (`metrics[2].kind`) and message"
    )


class FieldProblem(BaseModel):
    loc: str
    message: str


Problem.model_rebuild()


class Ref(BaseModel):
    id: int
    key: str
    name: str


class PartyRef(Ref):
    kind: str


class ActualOut(BaseModel):
    """A value a metric was measured at, dated at the end of the period it measures."""

    id: int
    date: date
    value: float


class MetricWithActuals(MetricOut):  # type: ignore[valid-type, misc]
    """A metric and the values it was measured at, in date order."""

    actuals: list[ActualOut]


class Lines(BaseModel):
    """The items behind a track that the caller may read, by kind."""

    red_lines: list[RedLineOut] = []  # type: ignore[valid-type]
    staff: list[StaffLineOut] = []  # type: ignore[valid-type]
    resources: list[ResourceOut] = []  # type: ignore[valid-type]
    leverage: list[LeverageToolOut] = []  # type: ignore[valid-type]
    metrics: list[MetricWithActuals] = []  # type: ignore[valid-type]


class InitiativeSummary(BaseModel):
    id: int
    key: str
    title: str
    owner_id: int
    kind: str
    crisis_id: int
    status: str
    start: date | None
    end: date | None
    version: int
    updated_at: UtcDateTime


class InitiativeDetail(InitiativeSummary):
    description: str
    aims: list[str]
    objectives: list[str]
    impact_assessment: bool
    compliance_monitoring: bool
    owner: Ref
    crisis: Ref
    parties: list[PartyRef]
    home: bool
    can_edit: bool
    can_comment: bool
    lines: Lines
    coordinated: list[InitiativeSummary]
    depends_on: list[InitiativeSummary]
    grants: list[GrantOut]  # type: ignore[valid-type]
    comments: list[CommentOut]  # type: ignore[valid-type]
    field_reports: list[FieldReportOut]  # type: ignore[valid-type]


class SignoffStatus(BaseModel):
    """Who must sign off a decision, who has, who declined and who is still missing."""

    decision: str
    initiative: str
    date: date
    proposer: str
    requirements: list[signoffs.Requirement]
    supersedes: str | None
    superseded_by: str | None
    extra: list[Signoff]
    ignored: list[signoffs.IgnoredSignoff]
    unresolved: list[str]
    missing: list[signoffs.Requirement]


class Waiting(BaseModel):
    """A decision that waits for the caller's organisation to sign off, and where it stands."""

    decision: LogEntryOut  # type: ignore[valid-type]
    status: SignoffStatus


class RequestCreated(BaseModel):
    id: int
    status: str


def summary(i: Initiative) -> InitiativeSummary:
    return InitiativeSummary.model_validate(i, from_attributes=True)


def detail(v: InitiativeView) -> InitiativeDetail:
    i = v.initiative
    return InitiativeDetail(
        **{**summary(i).model_dump(), "updated_at": v.changed_at or i.updated_at},
        description=i.description,
        aims=list(i.aims),
        objectives=list(i.objectives),
        impact_assessment=i.impact_assessment,
        compliance_monitoring=i.compliance_monitoring,
        owner=Ref.model_validate(v.owner, from_attributes=True),
        crisis=Ref.model_validate(v.crisis, from_attributes=True),
        parties=[PartyRef.model_validate(p, from_attributes=True) for p in v.parties],
        home=v.home,
        can_edit=v.can_edit,
        can_comment=v.can_comment,
        lines=Lines(**{part: [_line_of(v, part, row) for row in rows] for part, rows in v.lines.items()}),
        coordinated=[summary(o) for o in v.coordinated],
        depends_on=[summary(o) for o in v.depends_on],
        grants=[grant(g) for g in v.grants],
        comments=[comment(c) for c in v.comments],
        field_reports=[report(r) for r in v.reports],
    )


def _line_of(v: InitiativeView, part: str, row: Any) -> BaseModel:
    if part == "metrics":
        values = {**LINE_OUT[part].model_validate(row, from_attributes=True).__dict__}
        return MetricWithActuals(**values, actuals=[actual(a) for a in v.actuals.get(row.id, [])])
    return line(part, row)


def actual(a: MetricActual) -> ActualOut:
    return ActualOut(id=a.id or 0, date=a.date, value=a.value)


def status(state: signoffs.SignoffStatus) -> SignoffStatus:
    values = {f.name: getattr(state, f.name) for f in dc_fields(state)}
    return SignoffStatus(**values, missing=list(state.missing))


def grant(g: SharingGrant) -> BaseModel:
    return GrantOut.model_validate(g, from_attributes=True)


def comment(c: Comment) -> BaseModel:
    return CommentOut.model_validate(c, from_attributes=True)


def report(r: FieldReport) -> BaseModel:
    return FieldReportOut.model_validate(r, from_attributes=True)


def entry(e: LogEntry, home: bool = True) -> BaseModel:
    """A log entry; abroad, which delegation a sign-off was made under is left out."""
    out = LogEntryOut.model_validate(e, from_attributes=True)
    payload = getattr(out, "payload", None)
    if not home and isinstance(payload, dict) and "delegation" in payload:
        out = out.model_copy(update={"payload": {k: v for k, v in payload.items() if k != "delegation"}})
    return out


def link(row: CoordinationLink) -> BaseModel:
    return LinkOut.model_validate(row, from_attributes=True)


def line(part: str, row: Any) -> BaseModel:
    return LINE_OUT[part].model_validate(row, from_attributes=True)
