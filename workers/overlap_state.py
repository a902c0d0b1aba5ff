"""One overlap index per worker process, kept up to date from the event table.

A check of one track used to build an `OverlapIndex` over the track's neighbours, for
every edit. Instead, each worker process builds one index over every track, lazily on
its first check, and then applies only what changed: an edit reloads the tracks it
touched, with the meaning vectors stored beside them (`update`/`remove`), and N4 asks
the index for the pairs and groups of the focus track alone. Each process that checks
holds a full index of its own, unless `ACCORD_OVERLAP_QUEUE` is on: then only the host's
overlap worker (one process, the `overlap` queue) holds one (bench/README.md).

Several worker processes share the work, and each edit is checked by one of them, so a
process cannot learn of changes from the checks it runs. It learns them from the
`event` table, which every change of an initiative writes in the change's own
transaction (edits, status, lines, coordination links on both tracks, imports): before
each use the holder reads the events above its watermark (a primary-key range, cheap),
reloads the initiatives they name and applies them. The result is the index a full
build over the same database would give, which is what the sweep builds.

A full rebuild instead of updates when:
* an event names no initiative and may have changed tracks (`workspace.imported`);
* `today` changed: which tracks are running depends on it, and the index is built for one day;
* an organisation, party or crisis name changed (findings word them), or the set of
  crises that share a region changed (it decides the blocks);
* the database is another one, or was emptied (the watermark's event is gone).

Gaps in event ids (PostgreSQL only): ids come from a sequence, so a transaction may
commit id 11 while another still holds 10 uncommitted; a reader that moved past 11
would never see 10. So the watermark stops below a missing id until the id appears or
cannot appear any more: when it is first missed, the holder notes the snapshot's
`xmax` (every transaction that could be writing it has an xid below that), and gives it
up once the snapshot's `xmin` reaches that mark (all those transactions have ended: a
committed one would be visible). A build likewise waits, briefly, for the transactions
running when it read the highest id to end before it reads the tracks. On SQLite,
writers hold the database lock from their first write to their commit, so ids are
committed in order and a gap is never filled later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from server.domain.overlap import OverlapIndex, TrackRecord
from server.services import loader, workspace

log = logging.getLogger("accord.workers")

# Events of these kinds change nothing the overlap index reads (alerts are the checks'
# own output; comments, decisions, reports and sharing grants are not part of a track's
# record). Any other kind naming an initiative reloads it; naming none, rebuilds.
_IGNORED = ("alert.", "comment.", "decision.", "report.", "sharing.")
# More missing ids than this, or more events read again above the watermark: rebuild.
_MAX_GAP = 10_000
# How long a build waits for the transactions running when it began to end.
_BUILD_WAIT_SECONDS = 5.0


@dataclass
class _Applied:
    """What one use of the holder did, for tests and logs."""

    rebuilt: bool = False
    reloaded: set[int] = field(default_factory=set)


class OverlapState:
    """The process's overlap index, its watermark and what it needs to stay exact."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.index: OverlapIndex | None = None
        self.builds = 0
        self.last = _Applied()
        self._db_url = ""
        # Every event id up to the watermark is applied (or can no longer appear).
        self.watermark = 0
        # The highest applied event and its time: if it is gone or changed, the database is another.
        self._anchor: tuple[int, Any] | None = None
        self._seen: set[int] = set()  # applied ids above the watermark
        self._holes: dict[int, int] = {}  # missing id above the watermark -> xmax when first missed
        self._key_of: dict[int, str] = {}  # initiative id -> key
        self.id_of: dict[str, int] = {}  # initiative key -> id
        self._crisis_of: dict[int, str] = {}
        self._used: Counter[str] = Counter()  # crisis key -> number of initiatives
        self._regions: dict[str, str] = {}
        self._directory: loader.Directory | None = None
        self._unsettled_below: int | None = None  # a build that could not wait: rebuild once settled

    def key_of(self, initiative_id: int) -> str | None:
        """The key of an initiative the index knows (None if it knows no such id)."""
        return self._key_of.get(initiative_id)

    def reset(self) -> None:
        """Forget the index; the next use builds it again."""
        with self._lock:
            self.index = None

    def current(self, db: Session, refresh: Iterable[int] = ()) -> OverlapIndex:
        """The index, brought up to date with every committed change; `refresh` ids are reloaded too.

        Call it inside the check's transaction, before the transaction writes anything."""
        with self._lock:
            self.last = _Applied()
            pg = db.get_bind().dialect.name == "postgresql"
            url = str(db.get_bind().engine.url)
            if self.index is None or url != self._db_url or self.index.today != workspace.today(db):
                return self._build(db, pg, url)
            changed, rebuild = self._poll(db, pg)
            if rebuild:
                return self._build(db, pg, url)
            directory = loader.load_directory(db)
            assert self._directory is not None
            if directory.names != self.index.names or directory.regions != self._directory.regions:
                return self._build(db, pg, url)
            self._directory = directory
            changed |= set(refresh)
            if changed and not self._apply(db, changed):
                return self._build(db, pg, url)
            self.last.reloaded = changed
            return self.index

    # ---------------------------------------------------------------- building

    def _build(self, db: Session, pg: bool, url: str) -> OverlapIndex:
        top, anchor = self._mark(db, pg)
        directory = loader.load_directory(db)
        tracks = loader.load_tracks(db, directory)
        self._key_of = {iid: r.key for iid, r in tracks.items()}
        self.id_of = {r.key: iid for iid, r in tracks.items()}
        self._crisis_of = {iid: r.crisis for iid, r in tracks.items()}
        self._used = Counter(self._crisis_of.values())
        self._regions = loader.overlap_regions(directory.regions, self._used)
        records = [replace(r, region=self._regions.get(r.crisis)) for r in tracks.values()]
        stale = sum(r.vector is None for r in records)
        if stale:
            # Made from the text at every build until saved again or refreshed once.
            log.warning(
                "overlap index: %d tracks have no stored vector of this model; run `accord vectors refresh`",
                stale,
            )
        self.index = OverlapIndex.build(records, workspace.today(db), directory.names)
        self._directory = directory
        self._db_url = url
        self.watermark, self._anchor = top, anchor
        self._seen, self._holes = set(), {}
        self.builds += 1
        self.last = _Applied(rebuilt=True, reloaded=set(tracks))
        log.info("overlap index built over %d tracks (build %d)", len(records), self.builds)
        return self.index

    def _mark(self, db: Session, pg: bool) -> tuple[int, tuple[int, Any] | None]:
        """The highest event id, read before the tracks, once no lower id can still appear."""
        self._unsettled_below = None
        if not pg:
            row = db.execute(text("SELECT id, created_at FROM event ORDER BY id DESC LIMIT 1")).first()
            return (int(row[0]), (int(row[0]), row[1])) if row else (0, None)
        row = db.execute(
            text(
                "SELECT e.id, e.created_at, CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text), "
                "CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) "
                "FROM (SELECT 1) AS one LEFT JOIN "
                "(SELECT id, created_at FROM event ORDER BY id DESC LIMIT 1) AS e ON true"
            )
        ).one()
        xmin, xmax = int(row[2]), int(row[3])
        # Transactions running now may hold ids below the highest: wait until they end,
        # so that the tracks read next include what they wrote.
        deadline = time.monotonic() + _BUILD_WAIT_SECONDS
        while xmin < xmax:
            if time.monotonic() > deadline:
                log.warning(
                    "overlap index: transactions still running after %.0fs; built anyway", _BUILD_WAIT_SECONDS
                )
                self._unsettled_below = xmax
                break
            time.sleep(0.01)
            xmin = int(
                db.execute(text("SELECT CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text)")).scalar_one()
            )
        if row[0] is None:
            return 0, None
        return int(row[0]), (int(row[0]), row[1])

    # ---------------------------------------------------------------- events

    def _poll(self, db: Session, pg: bool) -> tuple[set[int], bool]:
        """Initiatives named by new events, and whether to rebuild instead."""
        if self._anchor is not None:
            at = db.execute(
                text("SELECT created_at FROM event WHERE id = :id"), {"id": self._anchor[0]}
            ).first()
            if at is None or at[0] != self._anchor[1]:
                return set(), True  # the database was emptied or replaced
        if pg:
            rows = db.execute(
                text(
                    "SELECT e.id, e.kind, e.initiative_id, e.created_at, "
                    "CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text), "
                    "CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) "
                    "FROM (SELECT 1) AS one LEFT JOIN event AS e ON e.id > :w ORDER BY e.id"
                ),
                {"w": self.watermark},
            ).all()
            xmin, xmax = int(rows[0][4]), int(rows[0][5])
            if self._unsettled_below is not None and xmin >= self._unsettled_below:
                return set(), True  # a build that could not wait is made again, now that it can
            events = [(int(r[0]), r[1], r[2], r[3]) for r in rows if r[0] is not None]
        else:
            xmin = xmax = 0
            events = [
                (int(r[0]), r[1], r[2], r[3])
                for r in db.execute(
                    text("SELECT id, kind, initiative_id, created_at FROM event WHERE id > :w ORDER BY id"),
                    {"w": self.watermark},
                ).all()
            ]
        changed: set[int] = set()
        rebuild = False
        for eid, kind, initiative_id, created_at in events:
            if eid in self._seen:
                continue
            self._seen.add(eid)
            self._holes.pop(eid, None)
            if self._anchor is None or eid > self._anchor[0]:
                self._anchor = (eid, created_at)
            if kind.startswith(_IGNORED):
                continue
            if initiative_id is None:
                rebuild = True
            else:
                changed.add(int(initiative_id))
        top = max(self._seen, default=self.watermark)
        if top - self.watermark - len(self._seen) > _MAX_GAP or len(self._seen) > _MAX_GAP:
            # Ids jumped, or a transaction somewhere has run so long that the events
            # re-read above the watermark pile up: start over from the tables.
            return changed, True
        if pg:
            for eid in range(self.watermark + 1, top):
                if eid not in self._seen and eid not in self._holes:
                    self._holes[eid] = xmax
            # A missing id whose writers have all ended was rolled back: stop waiting for it.
            self._holes = {h: mark for h, mark in self._holes.items() if xmin < mark}
        self.watermark = min(self._holes) - 1 if self._holes else top
        self._seen = {e for e in self._seen if e > self.watermark}
        return changed, rebuild

    def _apply(self, db: Session, ids: set[int]) -> bool:
        """Reload these initiatives into the index; False if the blocks change (rebuild)."""
        assert self.index is not None and self._directory is not None
        fresh = loader.load_tracks(db, self._directory, ids)
        gone: list[str] = []
        for iid in ids:
            old_key = self._key_of.get(iid)
            new = fresh.get(iid)
            if old_key is not None and (new is None or new.key != old_key):
                gone.append(old_key)
                del self.id_of[old_key]
                del self._key_of[iid]
            old_crisis = self._crisis_of.pop(iid, None)
            if old_crisis is not None:
                self._used[old_crisis] -= 1
                if not self._used[old_crisis]:
                    del self._used[old_crisis]
            if new is not None:
                self._key_of[iid], self.id_of[new.key] = new.key, iid
                self._crisis_of[iid] = new.crisis
                self._used[new.crisis] += 1
        if loader.overlap_regions(self._directory.regions, self._used) != self._regions:
            return False
        for key in gone:
            self.index.remove(key)
        for record in fresh.values():
            r: TrackRecord = replace(record, region=self._regions.get(record.crisis))
            if self.index.records.get(r.key) != r:
                self.index.update(r)
        return True


_STATE = OverlapState()


def state() -> OverlapState:
    """This process's holder."""
    return _STATE


def current(db: Session, refresh: Iterable[int] = ()) -> OverlapIndex:
    """This process's overlap index, up to date with the database `db` reads."""
    return _STATE.current(db, refresh)
