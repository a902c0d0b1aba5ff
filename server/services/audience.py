"""The one visibility layer: what one person may read, written as queries.

Every read of a track, an item behind it, a decision or log entry, a comment, a
field report, an alert, a blind notice, a grant, a coordination link or an event is
filtered here, from the reader's organisation, government, role and sharing grants:

- A track is visible to the people of its owner's government (except field
  contributors, who have no home and see only what is shared with them) and to
  whoever holds a live sharing grant: to their organisation, their government (or its
  state's own organisation, which stands for it) or themselves. That government is the
  track's *home*.
- What stays home: items and comments marked internal, internal decisions with their
  sign-offs, internal sign-offs and declines, the log entries about sharing,
  coordination and dismissals, the grants themselves, coordination links to tracks
  outside the workspace, the track's alerts and blind notices, and the events that
  speak of any of these.
- What a person may not see is `NotFound`, never `NotAllowed`, so that its
  existence does not leak.

`Audience(None)` is the system (checks, the CLI), which sees everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true
from sqlalchemy.sql import Select
from sqlmodel import Session, col
from sqlmodel import select as select_one

from server.domain import snapshot as doc
from server.models import (
    AlertInitiative,
    Comment,
    CoordinationLink,
    Event,
    FieldReport,
    Initiative,
    LogEntry,
    Organisation,
    SharingGrant,
    User,
)
from server.models.initiatives import LINE_MODELS
from server.services import memo
from server.services.errors import NotFound

LEVELS = {"view": 1, "comment": 2, "sign-off": 3}
# Log entries about whom a track is shared with, with whom its owner talks and which
# alerts it set aside, and its departments' delegations of sign-off: the owner's government
# reads them, a partner never does.
HOME_ONLY_ENTRIES = (
    "grant",
    "withdrawal",
    "coordination",
    "dismissal",
    "delegation",
    "revocation",
    "delegation_end",
)


def _gov_of_org() -> Any:
    return func.coalesce(Organisation.government, Organisation.key)


class Audience:
    """One reader: the queries and checks that decide what they may see."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.system = actor is None
        self.active = actor is None or actor.active
        self.government: str | None = actor.government if actor is not None else None
        # Field contributors have no home: even their own government's tracks reach
        # them only through a grant.
        self.home_government: str | None = (
            None if actor is None or actor.role == "field_contributor" else self.government
        )
        # Per reader and request: a page asks the same questions of one track many times.
        self._home_cache: dict[int, bool] = {}
        self._level_cache: dict[int, int] = {}

    # ------------------------------------------------------------ tracks

    def _live_grant(self) -> ColumnElement[bool]:
        """A grant that is not withdrawn and names the reader, their organisation or government.

        A grant to a state's own organisation (the "Kingdom of Ostmark") is a grant to its
        government: it reaches every department of that government, as the one sharing meant.
        """
        assert self.actor is not None
        state = select(col(Organisation.id)).where(
            col(Organisation.kind) == "state", _gov_of_org() == self.government
        )
        return and_(
            col(SharingGrant.withdrawn_at).is_(None),
            or_(
                col(SharingGrant.org_id) == self.actor.organisation_id,
                col(SharingGrant.government) == self.government,
                col(SharingGrant.org_id).in_(state),
                col(SharingGrant.user_id) == self.actor.id,
            ),
        )

    def granted(self, initiative_id: Any = Initiative.id) -> ColumnElement[bool]:
        """True where a live grant shares the track with the reader."""
        if self.actor is None:
            return true()
        return exists(
            select(col(SharingGrant.id)).where(
                col(SharingGrant.initiative_id) == initiative_id, self._live_grant()
            )
        )

    def home(self, owner_id: Any = Initiative.owner_id) -> ColumnElement[bool]:
        """True where the track belongs to the reader's own government (its home)."""
        if self.actor is None:
            return true()
        if self.home_government is None or not self.active:
            return false()
        own = select(col(Organisation.id)).where(_gov_of_org() == self.home_government)
        clause: ColumnElement[bool] = owner_id.in_(own)
        return clause

    def tracks(self) -> ColumnElement[bool]:
        """The filter for `Initiative` rows the reader may see."""
        if self.actor is None:
            return true()
        if not self.active:
            return false()
        return or_(self.home(), self.granted())

    def track_ids(self) -> Select[Any]:
        """The ids of the visible tracks, as a subquery."""
        return select(col(Initiative.id)).where(self.tracks())

    def home_track_ids(self) -> Select[Any]:
        """The ids of the reader's home tracks, as a subquery."""
        return select(col(Initiative.id)).where(self.home())

    def track(self, db: Session, initiative_id: int) -> Initiative:
        """The track if the reader may see it; `NotFound` otherwise."""
        found = db.exec(
            select_one(Initiative).where(col(Initiative.id) == initiative_id, self.tracks())
        ).first()
        if found is None:
            raise NotFound("No such initiative")
        return found

    def track_by_key(self, db: Session, key: str) -> Initiative:
        found = db.exec(select_one(Initiative).where(col(Initiative.key) == key, self.tracks())).first()
        if found is None:
            raise NotFound("No such initiative")
        return found

    def visible_ids(self, db: Session, ids: Iterable[int]) -> set[int]:
        """Which of these track ids the reader may see."""
        wanted = set(ids)
        if not wanted:
            return set()
        rows = db.exec(select_one(Initiative.id).where(col(Initiative.id).in_(wanted), self.tracks())).all()
        return {i for i in rows if i is not None}

    def home_ids(self, db: Session, ids: Iterable[int]) -> set[int]:
        """Which of these track ids are the reader's home tracks."""
        wanted = set(ids)
        if not wanted:
            return set()
        rows = db.exec(select_one(Initiative.id).where(col(Initiative.id).in_(wanted), self.home())).all()
        return {i for i in rows if i is not None}

    def is_home(self, db: Session, initiative: Initiative) -> bool:
        """Whether the reader works in the track's own government (and so reads what stays home)."""
        if self.actor is None:
            return True
        if self.home_government is None or not self.active:
            return False
        assert initiative.id is not None
        known = self._home_cache.get(initiative.id)
        if known is None:
            # Organisations are reference data, read once while the workspace's mark stands.
            owner = next((o for o in memo.organisations(db) if o.id == initiative.owner_id), None)
            known = owner is not None and owner.government_key == self.home_government
            self._home_cache[initiative.id] = known
        return known

    def grant_level(self, db: Session, initiative_id: int) -> int:
        """The highest live grant level the reader holds on the track (0 for none)."""
        if self.actor is None:
            return LEVELS["sign-off"]
        if initiative_id in self._level_cache:
            return self._level_cache[initiative_id]
        levels = db.exec(
            select_one(SharingGrant.level).where(
                col(SharingGrant.initiative_id) == initiative_id, self._live_grant()
            )
        ).all()
        level = max((LEVELS.get(str(level), 0) for level in levels), default=0)
        self._level_cache[initiative_id] = level
        return level

    # ------------------------------------------------------------ what lies on a track

    def lines(self, model: Any, initiative_id: int, home: bool) -> Any:
        """The items of one kind behind a visible track (internal ones at home only)."""
        q = select_one(model).where(model.initiative_id == initiative_id)
        if not home:
            q = q.where(model.internal == False)  # noqa: E712
        return q.order_by(model.id)

    def line(self, db: Session, initiative: Initiative, part: str, line_id: int) -> Any:
        """One item behind a visible track; `NotFound` if absent, elsewhere, or internal abroad."""
        model = LINE_MODELS.get(part)
        if model is None:
            raise NotFound("No such part of an initiative")
        row = db.get(model, line_id)
        if row is None or row.initiative_id != initiative.id:
            raise NotFound("No such item")
        if row.internal and not self.is_home(db, initiative):
            raise NotFound("No such item")
        return row

    def comments(self, initiative_id: int, home: bool) -> Any:
        q = select_one(Comment).where(Comment.initiative_id == initiative_id)
        if not home:
            q = q.where(Comment.internal == False)  # noqa: E712
        return q.order_by(col(Comment.id))

    def comment(self, db: Session, comment_id: int) -> tuple[Comment, Initiative]:
        """A comment on a visible track; `NotFound` if absent or internal abroad."""
        row = db.get(Comment, comment_id)
        if row is None:
            raise NotFound("No such comment")
        initiative = self.track(db, row.initiative_id)
        if row.internal and not self.is_home(db, initiative):
            raise NotFound("No such comment")
        return row, initiative

    def grants(self, db: Session, initiative: Initiative) -> list[SharingGrant]:
        """The live grants of a track, for its home; a partner sees none of them."""
        if not self.is_home(db, initiative):
            return []
        return list(
            db.exec(
                select_one(SharingGrant)
                .where(SharingGrant.initiative_id == initiative.id, col(SharingGrant.withdrawn_at).is_(None))
                .order_by(col(SharingGrant.id))
            ).all()
        )

    def linked(self, db: Session, initiative_id: int) -> list[Initiative]:
        """The visible tracks linked as coordinated with this one."""
        pairs = db.exec(
            select_one(CoordinationLink).where(
                or_(col(CoordinationLink.a_id) == initiative_id, col(CoordinationLink.b_id) == initiative_id)
            )
        ).all()
        others = [p.b_id if p.a_id == initiative_id else p.a_id for p in pairs]
        if not others:
            return []
        return list(
            db.exec(
                select_one(Initiative)
                .where(col(Initiative.id).in_(others), self.tracks())
                .order_by(col(Initiative.id))
            ).all()
        )

    def external_links(self, db: Session, initiative: Initiative) -> list[str]:
        """Coordinated tracks outside the workspace: the home's own knowledge."""
        return list(initiative.external_links) if self.is_home(db, initiative) else []

    # ------------------------------------------------------------ the decision log

    def log_entries(self) -> ColumnElement[bool]:
        """The filter for `LogEntry` rows: entries of visible tracks, what stays home at home."""
        if self.actor is None:
            return true()
        visible = col(LogEntry.initiative_id).in_(self.track_ids())
        at_home = col(LogEntry.initiative_id).in_(self.home_track_ids())
        abroad_ok = and_(
            col(LogEntry.entry_type).not_in(HOME_ONLY_ENTRIES),
            col(LogEntry.internal) == False,  # noqa: E712
        )
        return and_(visible, or_(abroad_ok, at_home))

    def entry_visible_at(self, entry: LogEntry, home: bool) -> bool:
        """Whether an entry of a track the reader sees (home or not) is theirs to read."""
        return home or (entry.entry_type not in HOME_ONLY_ENTRIES and not entry.internal)

    # ------------------------------------------------------------ field reports

    def reports(self) -> ColumnElement[bool]:
        """The filter for `FieldReport` rows.

        A report on a track is as visible as the track; a report on a crisis alone is
        read by everyone but field contributors; a filer's organisation always reads
        its own reports.
        """
        if self.actor is None:
            return true()
        if not self.active:
            return false()
        on_track = and_(
            col(FieldReport.initiative_id).is_not(None), col(FieldReport.initiative_id).in_(self.track_ids())
        )
        own = col(FieldReport.org_id) == self.actor.organisation_id
        if self.actor.role == "field_contributor":
            return or_(on_track, own)
        return or_(on_track, own, col(FieldReport.initiative_id).is_(None))

    # ------------------------------------------------------------ alerts and notices

    def alert_ids(self) -> Any:
        """Alerts the reader reads: those concerning a track of their own government.

        An alert is the owning government's own assessment, and its text may quote
        items that stay home; a partner reads the alerts of its own tracks (and, through
        a finding's views, blind notices about others), never those of a track that was
        only shared with it.
        """
        q = select_one(AlertInitiative.alert_id)
        if self.actor is None:
            return q
        return q.join(Initiative, col(Initiative.id) == AlertInitiative.initiative_id).where(self.home())

    # ------------------------------------------------------------ events

    def events(self) -> ColumnElement[bool]:
        """The events the reader may receive: of tracks they see (home-only ones at home),
        or addressed to their organisation."""
        if self.actor is None:
            return true()
        on_track = col(Event.initiative_id).is_not(None)
        return or_(
            and_(
                on_track,
                col(Event.home_only).is_(False),
                col(Event.initiative_id).in_(self.track_ids()),
            ),
            and_(
                on_track,
                col(Event.home_only).is_(True),
                col(Event.initiative_id).in_(self.home_track_ids()),
            ),
            and_(col(Event.initiative_id).is_(None), col(Event.org_id) == self.actor.organisation_id),
        )


def of(actor: User | None) -> Audience:
    return Audience(actor)


def without_internal(ws: doc.Workspace, home: set[str]) -> doc.Workspace:
    """The document less what stays home on the tracks not in `home` (keys).

    Items, decisions and sign-offs marked internal are left out of every track the
    reader does not call home; the rest (grants included, which the sign-off rule
    reads to know who may sign) is kept, so that a rule judged on the result says only
    what the reader may see.
    """
    tracks = []
    for t in ws.initiatives:
        if t.key in home:
            tracks.append(t)
            continue
        tracks.append(
            t.model_copy(
                update={
                    part: [item for item in getattr(t, part) if not item.internal]
                    for part in ("red_lines", "staff", "resources", "leverage", "metrics")
                }
            )
        )
    decisions = [
        d.model_copy(update={"signoffs": [s for s in d.signoffs if not s.internal]})
        if d.initiative not in home
        else d
        for d in ws.decisions
        if d.initiative in home or not d.internal
    ]
    return ws.model_copy(update={"initiatives": tracks, "decisions": decisions})


__all__ = ["Audience", "HOME_ONLY_ENTRIES", "LEVELS", "of", "without_internal"]
