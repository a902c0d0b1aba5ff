"""The tamper-evident chain under the decision log.

Each entry stores SHA-256 over the previous entry's hash and its own canonical
content. The head of the chain (count and last hash) is kept in a checkpoint row
sealed with an HMAC of the secret key, rewritten in the same transaction as every
append. Flipping a byte, deleting or swapping entries breaks the chain; truncating
the tail or appending a forged entry leaves a chain that no longer reaches the
sealed head, and forging the seal needs the secret key, which never enters the
database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from server.models import LogCheckpoint, LogEntry
from server.models.base import utcnow
from server.settings import get_settings

GENESIS = "0" * 64
_CONTENT_FIELDS = (
    "entry_type",
    "key",
    "initiative_id",
    "decision_id",
    "decision_hash",
    "supersedes_id",
    "date",
    "kind",
    "text",
    "touches",
    "org_id",
    "actor_id",
    "actor_name",
    "payload",
    "created_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=value.microsecond).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(entry: LogEntry) -> bytes:
    """The entry's content as canonical JSON (sorted keys, no spaces)."""
    content = {name: _plain(getattr(entry, name)) for name in _CONTENT_FIELDS}
    if entry.internal:
        # Only when set, so that entries written before the flag existed keep their hashes.
        content["internal"] = True
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(prev_hash: str, entry: LogEntry) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(entry)).hexdigest()


def seal(count: int, head_hash: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"{count}:{head_hash}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _Head:
    count: int
    head_hash: str


# The head a transaction holds (locked and, after its own appends, moved by it), so that a
# second append in one transaction neither locks nor reads it again. Forgotten when any
# transaction of the session ends, savepoints included (`_forget_head`).
_HELD = "ledger_head"


def _lock_head(db: Session) -> _Head:
    """Take the log's write lock and read the head, in one statement (or none if held).

    The UPDATE takes a row lock on PostgreSQL (and the database write lock on SQLite)
    and returns the head it locked, so concurrent appends queue instead of forking the chain.
    """
    held: _Head | None = db.info.get(_HELD)
    if held is not None:
        return held
    # synchronize_session=False: matching the UPDATE against every object in the session
    # would make a long import quadratic.
    found = db.execute(
        update(LogCheckpoint)
        .where(col(LogCheckpoint.id) == 1)
        .values(updated_at=utcnow())
        .returning(col(LogCheckpoint.count), col(LogCheckpoint.head_hash))
        .execution_options(synchronize_session=False)
    ).first()
    if found is None:
        db.add(LogCheckpoint(id=1, count=0, head_hash=GENESIS, mac=seal(0, GENESIS)))
        db.flush()
        head = _Head(0, GENESIS)
    else:
        head = _Head(int(found[0]), str(found[1] or GENESIS))
    db.info[_HELD] = head
    return head


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_head(session: OrmSession, _transaction: Any) -> None:
    session.info.pop(_HELD, None)


def append(db: Session, entry: LogEntry) -> LogEntry:
    """Append one entry to the chain; the caller's transaction commits it."""
    head = _lock_head(db)
    entry.created_at = utcnow()
    entry.prev_hash = head.head_hash
    entry.entry_hash = entry_hash(entry.prev_hash, entry)
    db.add(entry)
    db.flush()
    moved = _Head(head.count + 1, entry.entry_hash)
    db.execute(
        update(LogCheckpoint)
        .where(col(LogCheckpoint.id) == 1)
        .values(count=moved.count, head_hash=moved.head_hash, mac=seal(moved.count, moved.head_hash))
        .execution_options(synchronize_session=False)
    )
    db.info[_HELD] = moved
    return entry


def lock(db: Session) -> None:
    """Serialise with other appends (for a check-then-append, such as a correction)."""
    _lock_head(db)


def lock_entry(db: Session, entry_id: int) -> None:
    """Serialise the check-then-append of one entry's followers (its sign-offs, its correction).

    On PostgreSQL a row lock on the entry, held to the commit: sign-offs of one decision
    queue, those of other decisions go on, and each takes the chain's head only to append.
    Take it before the head (`lock`, `append`), never after, so no two writers wait on
    each other. SQLite has one writer at a time: there it takes the head, which the
    transaction's appends then reuse.
    """
    if db.get_bind().dialect.name == "postgresql":
        db.execute(select(col(LogEntry.id)).where(col(LogEntry.id) == entry_id).with_for_update())
    else:
        _lock_head(db)


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    broken_at: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        """The line `accord log verify` prints: the chain's state, how long it is, where it broke."""
        if self.ok:
            return f"{self.state} ({self.count} entries)"
        where = f"entry {self.broken_at}" if self.broken_at is not None else "the head"
        return f"decision log broken at {where}: {self.reason}"

    @property
    def state(self) -> str:
        """The chain's state alone, as exports give it to their readers.

        Neither how many entries the whole log holds nor where it broke: the count takes
        in every government's internal entries, and would tell a reader how much was
        recorded out of its sight.
        """
        return "decision log verified: chain intact" if self.ok else f"decision log broken: {self.reason}"


def verify(db: Session) -> Verification:
    """Walk the chain from the start and compare its end with the sealed checkpoint."""
    prev = GENESIS
    count = 0
    last_id: int | None = None
    for entry in db.exec(select(LogEntry).order_by(LogEntry.id)):  # type: ignore[arg-type]
        count += 1
        if entry.prev_hash != prev:
            return Verification(False, count - 1, entry.id, "does not follow the entry before it")
        if entry_hash(prev, entry) != entry.entry_hash:
            return Verification(False, count - 1, entry.id, "content does not match its hash")
        prev = entry.entry_hash
        last_id = entry.id
    # populate_existing: appends write the head with a plain UPDATE, past the session's copy.
    checkpoint = db.get(LogCheckpoint, 1, populate_existing=True)
    if checkpoint is None:
        if count == 0:
            return Verification(True, 0)
        return Verification(False, count, None, "the sealed checkpoint is missing")
    if not hmac.compare_digest(checkpoint.mac, seal(checkpoint.count, checkpoint.head_hash)):
        return Verification(False, count, None, "the checkpoint's seal is not valid")
    if count < checkpoint.count:
        return Verification(
            False,
            count,
            last_id,
            f"{checkpoint.count - count} entries after this one are missing (truncated tail)",
        )
    if count > checkpoint.count or prev != checkpoint.head_hash:
        extra = db.exec(select(LogEntry).order_by(LogEntry.id).offset(checkpoint.count)).first()  # type: ignore[arg-type]
        return Verification(
            False,
            checkpoint.count,
            extra.id if extra else last_id,
            "not covered by the sealed checkpoint (entry added outside Accord)",
        )
    return Verification(True, count)
