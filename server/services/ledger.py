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
from typing import Any, cast

from sqlalchemy import CursorResult, update
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


def _lock_head(db: Session) -> LogCheckpoint:
    """Take the log's write lock and return the checkpoint row.

    The UPDATE takes a row lock on PostgreSQL (and the database write lock on SQLite)
    before the head is read, so concurrent appends queue instead of forking the chain.
    """
    # synchronize_session=False: the row is re-read below, and matching the UPDATE against
    # every object in the session would make a long import quadratic.
    result = db.execute(
        update(LogCheckpoint)
        .where(col(LogCheckpoint.id) == 1)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    updated = cast(CursorResult[Any], result).rowcount
    if not updated:
        db.add(LogCheckpoint(id=1, count=0, head_hash=GENESIS, mac=seal(0, GENESIS)))
        db.flush()
    checkpoint = db.get(LogCheckpoint, 1, populate_existing=True)
    assert checkpoint is not None
    return checkpoint


def append(db: Session, entry: LogEntry) -> LogEntry:
    """Append one entry to the chain; the caller's transaction commits it."""
    checkpoint = _lock_head(db)
    entry.created_at = utcnow()
    entry.prev_hash = checkpoint.head_hash or GENESIS
    entry.entry_hash = entry_hash(entry.prev_hash, entry)
    db.add(entry)
    db.flush()
    checkpoint.count += 1
    checkpoint.head_hash = entry.entry_hash
    checkpoint.mac = seal(checkpoint.count, checkpoint.head_hash)
    db.add(checkpoint)
    db.flush()
    return entry


def lock(db: Session) -> None:
    """Serialise with other appends (for a check-then-append, such as one sign-off)."""
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
    checkpoint = db.get(LogCheckpoint, 1)
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
