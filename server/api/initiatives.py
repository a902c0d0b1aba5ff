"""Initiatives (tracks) over JSON: list, read, create, edit, status, items, links."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from server.api import schemas
from server.api.http import (
    DB_INT_MAX,
    ETAG_HEADER,
    LIMIT_DEFAULT,
    PAGE_HEADERS,
    VERSIONED_STATUSES,
    ActualId,
    Cursor,
    IfMatch,
    InitiativeId,
    Key,
    Limit,
    LineId,
    MetricId,
    OtherId,
    PreconditionFailed,
    decode_cursor,
    encode_cursor,
    id_filter,
    matched_version,
    precondition,
    set_etag,
    version_of,
)
from server.auth import CurrentUser, SessionDep
from server.services import answers, initiatives, metric_actuals
from server.services.initiative_lines import LINE_DATA
from server.services.initiatives import Filters, InitiativeData
from server.services.validation import blanks_as_none

router = APIRouter(tags=["initiatives"])
Part = schemas.Part
Version = Annotated[int | None, Field(ge=1, le=DB_INT_MAX)]
VERSIONED: dict[int | str, dict[str, Any]] = {
    200: {"headers": ETAG_HEADER},
    **{code: {"description": text} for code, text in VERSIONED_STATUSES.items()},
}


class InitiativeUpdate(InitiativeData):
    """The edited initiative and the version it was edited from (or send `If-Match`)."""

    version: Version = None


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["draft", "active", "paused", "closed"]
    version: Version = None


class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    other_id: int = Field(ge=1, le=DB_INT_MAX)


class InternalFlag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    internal: bool


@router.get("/initiatives", responses={200: {"headers": PAGE_HEADERS}})
def list_initiatives(
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    crisis_id: int | None = id_filter("Only the tracks on this crisis"),
    owner_id: int | None = id_filter("Only the tracks this organisation owns"),
    kind: Annotated[str | None, Query(max_length=40)] = None,
    status: Literal["draft", "active", "paused", "closed"] | None = None,
    has_alerts: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title or description")] = None,
    shared_with_us: bool = False,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[schemas.InitiativeSummary]:
    """The tracks the caller may see, by id; `shared_with_us` keeps those shared by other governments."""
    filters = Filters(crisis_id, owner_id, kind, status, has_alerts, q, shared_with_us)
    found = initiatives.listing(db, user, filters, limit=limit + 1, after=decode_cursor(cursor), by_id=True)
    if len(found) > limit:
        found = found[:limit]
        nxt = request.url.include_query_params(cursor=encode_cursor(found[-1].id or 0), limit=limit)
        response.headers["Link"] = f'<{nxt}>; rel="next"'
    return [schemas.summary(i) for i in found]


@router.get("/initiatives/by-key/{key}", responses={200: {"headers": ETAG_HEADER}})
def get_initiative_by_key(
    key: Key, response: Response, db: SessionDep, user: CurrentUser
) -> schemas.InitiativeDetail:
    found = initiatives.get_by_key(db, user, key)
    assert found.id is not None
    return _detail(response, initiatives.view(db, user, found.id))


@router.get(
    "/initiatives/{initiative_id}",
    response_model=schemas.InitiativeDetail,
    responses={200: {"headers": ETAG_HEADER}},
)
@answers.kept
def get_initiative(
    request: Request, initiative_id: InitiativeId, response: Response, db: SessionDep, user: CurrentUser
) -> Any:
    """A track with what the caller may read of it; its `ETag` is its version, for `If-Match`."""
    kept = answers.lookup(request, db, initiative_id)
    if kept is not None:
        return kept
    detail = _detail(response, initiatives.view(db, user, initiative_id))
    answers.offer(request, db, initiative_id)
    return detail


def _detail(response: Response, view: initiatives.InitiativeView) -> schemas.InitiativeDetail:
    set_etag(response, view.initiative.version)
    return schemas.detail(view)


@router.post("/initiatives", status_code=201, responses={201: {"headers": ETAG_HEADER}})
def create_initiative(
    data: InitiativeData, response: Response, db: SessionDep, user: CurrentUser
) -> schemas.InitiativeSummary:
    created = initiatives.create(db, user, data)
    set_etag(response, created.version)
    return schemas.summary(created)


@router.put("/initiatives/{initiative_id}", responses=VERSIONED)
def update_initiative(
    initiative_id: InitiativeId,
    data: InitiativeUpdate,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    if_match: IfMatch = None,
) -> schemas.InitiativeSummary:
    """Save an edit from the version read (`If-Match`, or `version`): stale, 412 (409 with `version`)."""
    fields = InitiativeData.model_validate(data.model_dump(exclude={"version"}))
    with precondition(if_match):
        saved = initiatives.update(db, user, initiative_id, fields, version_of(if_match, data.version))
    set_etag(response, saved.version)
    return schemas.summary(saved)


@router.post("/initiatives/{initiative_id}/status", responses=VERSIONED)
def set_status(
    initiative_id: InitiativeId,
    data: StatusChange,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    if_match: IfMatch = None,
) -> schemas.InitiativeSummary:
    """Open, pause or close a track, from the version read (`If-Match`, or `version`)."""
    with precondition(if_match):
        saved = initiatives.set_status(
            db, user, initiative_id, data.status, version_of(if_match, data.version)
        )
    set_etag(response, saved.version)
    return schemas.summary(saved)


class _BlankIsNone(BaseModel):
    """A blank value reads as none, as the forms' blank fields do (`"until": ""`)."""

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        return blanks_as_none(data)


def _line_routes(part: str, model: type[BaseModel]) -> None:
    """`POST .../lines/<part>` and `PUT .../lines/<part>/{line_id}`, typed by the item's own model.

    One pair of operations per kind of item, so the document describes each body (an
    unknown field answers 422 naming it); the paths are the ones a client always used.
    """
    name = model.__name__.removesuffix("Data")
    new = create_model(f"{name}In", __base__=(model, _BlankIsNone), __doc__=f"A new item of `{part}`.")
    edit = create_model(
        f"{name}Update",
        __base__=(model, _BlankIsNone),
        __doc__=f"An item of `{part}` as edited, and the version it was read at (or send `If-Match`).",
        version=(Version, None),
    )

    def add_line(
        initiative_id: InitiativeId,
        data: new,  # type: ignore[valid-type]
        response: Response,
        db: SessionDep,
        user: CurrentUser,
    ) -> schemas.LineOut:  # type: ignore[valid-type]
        row = initiatives.add_line(db, user, initiative_id, part, data.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
        set_etag(response, row.version)
        return schemas.line(part, row)

    def update_line(
        initiative_id: InitiativeId,
        line_id: LineId,
        data: edit,  # type: ignore[valid-type]
        response: Response,
        db: SessionDep,
        user: CurrentUser,
        if_match: IfMatch = None,
    ) -> schemas.LineOut:  # type: ignore[valid-type]
        # Fields left out stay unset, so an edit that omits `internal` keeps the item where it was.
        fields = data.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        body_version = fields.pop("version", None)
        with precondition(if_match):
            row = initiatives.update_line(
                db, user, initiative_id, part, line_id, fields, version_of(if_match, body_version)
            )
        set_etag(response, row.version)
        return schemas.line(part, row)

    # The models are made here, so the annotations name them as objects, not as strings.
    add_line.__annotations__["data"] = new
    update_line.__annotations__["data"] = edit
    router.post(
        f"/initiatives/{{initiative_id}}/lines/{part}",
        status_code=201,
        responses={201: {"headers": ETAG_HEADER}},
        operation_id=f"add_line_{part}",
        summary=f"Add an item to {part}",
        description="Add an item behind a track (`internal` keeps it home).",
    )(add_line)
    router.put(
        f"/initiatives/{{initiative_id}}/lines/{part}/{{line_id}}",
        responses=VERSIONED,
        operation_id=f"update_line_{part}",
        summary=f"Edit an item of {part}",
        description="Edit an item from the version it was read at (`If-Match`, or `version` in the body).",
    )(update_line)


for _part, _model in LINE_DATA.items():
    _line_routes(_part, _model)


@router.put("/initiatives/{initiative_id}/lines/{part}/{line_id}/internal")
def set_line_internal(
    initiative_id: InitiativeId,
    part: Part,
    line_id: LineId,
    data: InternalFlag,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
) -> schemas.LineOut:  # type: ignore[valid-type]
    """Keep an item home (or share it with the track's partners again)."""
    row = initiatives.set_internal(db, user, initiative_id, part, line_id, data.internal)
    set_etag(response, row.version)
    return schemas.line(part, row)


@router.delete(
    "/initiatives/{initiative_id}/lines/{part}/{line_id}",
    status_code=204,
    response_class=Response,
    responses={412: {"description": VERSIONED_STATUSES[412]}},
)
def remove_line(
    initiative_id: InitiativeId,
    part: Part,
    line_id: LineId,
    db: SessionDep,
    user: CurrentUser,
    if_match: IfMatch = None,
) -> None:
    """Remove an item; with `If-Match`, only if it is still at that version."""
    wanted = matched_version(if_match)
    if wanted is not None:
        _, line = initiatives.get_line(db, user, initiative_id, part, line_id)
        if line.version != wanted:
            raise PreconditionFailed("Someone else changed this item after you read it", version=line.version)
    initiatives.remove_line(db, user, initiative_id, part, line_id)


@router.get("/initiatives/{initiative_id}/metrics/{metric_id}/actuals")
def list_actuals(
    initiative_id: InitiativeId, metric_id: MetricId, db: SessionDep, user: CurrentUser
) -> list[schemas.ActualOut]:
    """The values a metric was measured at, in date order (404 if the metric is not the caller's to see)."""
    return [schemas.actual(a) for a in metric_actuals.values(db, user, initiative_id, metric_id).actuals]


@router.post("/initiatives/{initiative_id}/metrics/{metric_id}/actuals", status_code=201)
def record_actual(
    initiative_id: InitiativeId,
    metric_id: MetricId,
    data: metric_actuals.ActualData,
    db: SessionDep,
    user: CurrentUser,
) -> schemas.ActualOut:
    """Record the value a metric stood at on a date, the end of the period measured."""
    return schemas.actual(metric_actuals.record(db, user, initiative_id, metric_id, data))


@router.delete(
    "/initiatives/{initiative_id}/metrics/{metric_id}/actuals/{actual_id}",
    status_code=204,
    response_class=Response,
)
def remove_actual(
    initiative_id: InitiativeId, metric_id: MetricId, actual_id: ActualId, db: SessionDep, user: CurrentUser
) -> None:
    metric_actuals.remove(db, user, initiative_id, metric_id, actual_id)


@router.post("/initiatives/{initiative_id}/coordinated", status_code=201)
def link_coordinated(
    initiative_id: InitiativeId, data: LinkRequest, db: SessionDep, user: CurrentUser
) -> schemas.LinkOut:  # type: ignore[valid-type]
    """Link two tracks as coordinated (both must be the caller's government's to edit)."""
    return schemas.link(initiatives.link_coordinated(db, user, initiative_id, data.other_id))


@router.delete(
    "/initiatives/{initiative_id}/coordinated/{other_id}", status_code=204, response_class=Response
)
def unlink_coordinated(
    initiative_id: InitiativeId, other_id: OtherId, db: SessionDep, user: CurrentUser
) -> None:
    initiatives.unlink_coordinated(db, user, initiative_id, other_id)
