"""From the database to the plain `Snapshot` the checks judge.

A check of one initiative needs that initiative and its neighbours: every track on the
same crisis (or on a crisis of the same region, which the overlap search blocks
together), and every track that engages one of the same parties. The sweep loads the
whole workspace. Both read as the system (actor `None`): checks see everything, and
what each person may see of an alert is decided when it is shown.

The overlap index a worker process keeps (`workers.overlap_state`) reads its tracks
here too, without snapshots: `load_directory` and `load_tracks` read the few tables it
needs in bulk, for every track or for those an event named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, text
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from server.domain import snapshot as doc
from server.domain.embedding import MODEL_ID
from server.domain.overlap import Names, TrackRecord
from server.domain.snapshot import CheckSettings, Snapshot
from server.models import (
    CoordinationLink,
    Crisis,
    FieldReport,
    Initiative,
    InitiativeParty,
    InitiativeVector,
    LeverageTool,
    Organisation,
)
from server.services.workspace import export_document
from server.settings import get_settings


def check_settings() -> CheckSettings:
    """The checks' thresholds, from Accord's settings."""
    s = get_settings()
    return CheckSettings(
        signoff_escalate_days=s.signoff_escalate_days,
        borrowed_resources_max_days=s.borrowed_resources_max_days,
        field_report_stale_days=s.field_report_stale_days,
        forum_shopping_min_tracks=s.forum_shopping_min_tracks,
    )


@dataclass(frozen=True)
class Loaded:
    """A snapshot and the ids behind its keys, for the reconciler."""

    snapshot: Snapshot
    # initiative key -> id, for every initiative in the snapshot
    ids: dict[str, int]
    # the focus as ids; None for the whole workspace
    focus_ids: set[int] | None


def neighbour_ids(db: Session, initiative: Initiative) -> set[int]:
    """The initiative and every track it may be judged together with."""
    assert initiative.id is not None
    crisis = db.get(Crisis, initiative.crisis_id)
    crisis_ids = {initiative.crisis_id}
    if crisis is not None and crisis.region:
        crisis_ids |= set(db.exec(select(Crisis.id).where(Crisis.region == crisis.region)).all())  # type: ignore[arg-type]
    # A party is engaged by a track that names it, or by a leverage tool aimed at it.
    party_ids = set(
        db.exec(select(InitiativeParty.party_id).where(InitiativeParty.initiative_id == initiative.id)).all()
    )
    party_ids |= {
        p
        for p in db.exec(
            select(LeverageTool.party_id).where(LeverageTool.initiative_id == initiative.id)
        ).all()
        if p is not None
    }
    sharing = select(InitiativeParty.initiative_id).where(col(InitiativeParty.party_id).in_(party_ids))
    aiming = select(LeverageTool.initiative_id).where(col(LeverageTool.party_id).in_(party_ids))
    rows = db.exec(
        select(Initiative.id).where(
            or_(
                col(Initiative.crisis_id).in_(crisis_ids),
                col(Initiative.id).in_(sharing),
                col(Initiative.id).in_(aiming),
            )
        )
    ).all()
    return {i for i in rows if i is not None} | {initiative.id}


def _crisis_reports(db: Session, ws: doc.Workspace) -> list[doc.FieldReport]:
    """Reports filed on a crisis alone, which a partial export leaves out.

    Checks judge a track by the reports on its crisis too, so a focused run must see
    them, or it would clear an alert the sweep raises again.
    """
    keys = {i.crisis for i in ws.initiatives}
    if not keys:
        return []
    crises = {c.id: c.key for c in db.exec(select(Crisis).where(col(Crisis.key).in_(keys))).all()}
    orgs = {o.id: o.key for o in db.exec(select(Organisation)).all()}
    out = []
    for r in db.exec(
        select(FieldReport)
        .where(col(FieldReport.initiative_id).is_(None), col(FieldReport.crisis_id).in_(crises))
        .order_by(col(FieldReport.id))
    ).all():
        out.append(
            doc.FieldReport(
                key=r.key,
                crisis=crises[r.crisis_id],
                org=orgs.get(r.org_id) if r.org_id is not None else None,
                date=r.date,
                source_kind=r.source_kind,
                text=r.text,
                red_line_breached=r.red_line_breached,
            )
        )
    return out


def load_initiative(db: Session, initiative_id: int) -> Loaded | None:
    """The snapshot for checking one initiative, focused on it; None if it is gone."""
    initiative = db.get(Initiative, initiative_id)
    if initiative is None:
        return None
    ids = neighbour_ids(db, initiative)
    ws = export_document(db, actor=None, initiative_ids=ids)
    present = {r.key for r in ws.field_reports if r.key}
    extra = [r for r in _crisis_reports(db, ws) if r.key not in present]
    if extra:
        ws = ws.model_copy(update={"field_reports": [*ws.field_reports, *extra]})
    keys = _keys(db, ids)
    snapshot = Snapshot(ws, focus={initiative.key}, settings=check_settings())
    return Loaded(snapshot, keys, {initiative_id})


def load_all(db: Session) -> Loaded:
    """The snapshot of the whole workspace, with no focus (the sweep, `checks run`)."""
    ws = export_document(db, actor=None)
    return Loaded(Snapshot(ws, settings=check_settings()), _keys(db, None), None)


def load_keys(db: Session, keys: set[str]) -> Loaded:
    """The whole workspace focused on the named initiatives (`checks run --initiative`)."""
    loaded = load_all(db)
    snapshot = Snapshot(loaded.snapshot.ws, focus=keys, settings=check_settings())
    return Loaded(snapshot, loaded.ids, {loaded.ids[k] for k in keys if k in loaded.ids})


def _keys(db: Session, ids: set[int] | None) -> dict[str, int]:
    q = select(Initiative.key, Initiative.id)
    if ids is not None:
        q = q.where(col(Initiative.id).in_(ids))
    return {k: i for k, i in db.exec(q).all() if i is not None}


# ---------------------------------------------------------------- the overlap index's view


@dataclass(frozen=True)
class Directory:
    """Organisations, parties and crises by id, with the names N4 words its findings in."""

    orgs: dict[int, str]
    parties: dict[int, str]
    crises: dict[int, str]
    # crisis key -> its region as stored (None for none)
    regions: dict[str, str | None]
    names: Names


def load_directory(db: Session) -> Directory:
    """Three small tables, read whole: cheap enough to read before every incremental check.

    Plain SQL rows, not ORM objects: this runs on every check, and the ORM's row
    handling cost more than the reading itself."""
    orgs: dict[int, str] = {}
    org_names: dict[str, str] = {}
    for oid, key, name in db.execute(text("SELECT id, key, name FROM organisation")).all():
        orgs[oid], org_names[key] = key, name
    parties: dict[int, str] = {}
    party_names: dict[str, str] = {}
    for pid, key, name in db.execute(text("SELECT id, key, name FROM party")).all():
        parties[pid], party_names[key] = key, name
    crises: dict[int, str] = {}
    crisis_names: dict[str, str] = {}
    regions: dict[str, str | None] = {}
    for cid, key, name, region in db.execute(text("SELECT id, key, name, region FROM crisis")).all():
        crises[cid], crisis_names[key], regions[key] = key, name, region
    # Every crisis is named, not only those with tracks as in an export: a finding names
    # only crises of its tracks, so the wording is the same either way.
    return Directory(orgs, parties, crises, regions, Names(org_names, party_names, crisis_names))


def overlap_regions(regions: dict[str, str | None], used: Iterable[str]) -> dict[str, str]:
    """The region each crisis is searched under, as `OverlapIndex.from_snapshot` decides it.

    An export (the sweep's snapshot) lists only crises that have tracks, and a region
    blocks crises together only when two of those or more name it; `used` are those crises.
    """
    used = set(used)
    count: dict[str, int] = defaultdict(int)
    for key in used:
        region = regions.get(key)
        if region:
            count[region.strip().lower()] += 1
    out: dict[str, str] = {}
    for key in used:
        region = regions.get(key)
        if region and count[region.strip().lower()] > 1:
            out[key] = region
    return out


def _chunked(ids: Collection[int], size: int = 500) -> Iterator[list[int]]:
    items = sorted(ids)
    for n in range(0, len(items), size):
        yield items[n : n + size]


def load_tracks(
    db: Session, directory: Directory, ids: Collection[int] | None = None
) -> dict[int, TrackRecord]:
    """What the overlap index needs of each initiative (all, or `ids`), by id, in bulk.

    The same fields an export gives `TrackRecord.from_initiative`, read with a handful of
    queries whatever the number of tracks, and each track's stored meaning vector when
    the current model made it (else None: the index computes it from the text); `region`
    is left unset (it depends on which crises have tracks, see `overlap_regions`).
    """
    cols: tuple[Any, ...] = (
        Initiative.id,
        Initiative.key,
        Initiative.owner_id,
        Initiative.crisis_id,
        Initiative.kind,
        Initiative.title,
        Initiative.description,
        Initiative.aims,
        Initiative.start,
        Initiative.end,
        Initiative.status,
        Initiative.external_links,
        Initiative.objectives,
        InitiativeVector.model,
        InitiativeVector.vector,
    )
    chunks: list[list[int] | None] = [None] if ids is None else list(_chunked(ids))
    rows: list[Any] = []
    party_of: dict[int, set[str]] = defaultdict(set)
    linked: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks:
        q = core_select(*cols).outerjoin(
            InitiativeVector,
            col(InitiativeVector.initiative_id) == col(Initiative.id),
        )
        pq = select(InitiativeParty.initiative_id, InitiativeParty.party_id)
        lq = select(CoordinationLink.a_id, CoordinationLink.b_id)
        if chunk is not None:
            q = q.where(col(Initiative.id).in_(chunk))
            pq = pq.where(col(InitiativeParty.initiative_id).in_(chunk))
            lq = lq.where(col(CoordinationLink.a_id).in_(chunk))
        rows.extend(db.execute(q).all())
        for iid, pid in db.exec(pq).all():
            party_of[iid].add(directory.parties[pid])
        # An export lists a link on its `a` side only; the index reads it both ways.
        for a, b in db.exec(lq).all():
            linked[a].append(b)
    keys = {r[0]: r[1] for r in rows}
    missing = {b for bs in linked.values() for b in bs} - set(keys)
    for chunk in _chunked(missing):
        keys.update(db.exec(select(Initiative.id, Initiative.key).where(col(Initiative.id).in_(chunk))).all())
    out: dict[int, TrackRecord] = {}
    for row in rows:
        iid, key, owner_id, crisis_id, kind, title, description, aims, start, end, status, external = row[:12]
        objectives, model, vector = row[12:]
        out[iid] = TrackRecord(
            key=key,
            owner=directory.orgs[owner_id],
            crisis=directory.crises[crisis_id],
            kind=kind,
            title=title,
            description=description,
            aims=tuple(aims or ()),
            parties=frozenset(party_of[iid]),
            start=start,
            end=end,
            status=status,
            coordinated_with=frozenset([*(keys[b] for b in linked[iid] if b in keys), *(external or ())]),
            objectives=tuple(objectives or ()),
            vector=bytes(vector) if vector is not None and model == MODEL_ID else None,
        )
    return out
