"""The decision log of one track or one crisis, as a record to keep: CSV, print page, PDF.

Every entry is read through the visibility layer (`server.services.audience`), so an
export holds exactly what its reader may read on the log page: a partner's export of
a shared track carries no internal entry and none of the entries that stay home.
Each row keeps its own hash and the hash it follows; the verification line is the
chain's state as `accord log verify` prints it for the same chain (without the count of
the whole log's entries, which takes in what the reader may not read), so a reader can
hold the record against the command's answer.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from server.models import Crisis, Initiative, LogEntry, Organisation, User
from server.models.base import utcnow
from server.services import audience, ledger
from server.services.errors import NotFound

FONT = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSansMono.ttf"
CSV_COLUMNS = (
    "entry",
    "recorded_at",
    "date",
    "type",
    "kind",
    "track",
    "track_title",
    "organisation",
    "by",
    "decision",
    "supersedes",
    "touches",
    "internal",
    "text",
    "prev_hash",
    "entry_hash",
)


@dataclass(frozen=True)
class ExportRow:
    """One log entry as the record shows it."""

    id: int
    recorded_at: datetime
    date: str
    entry_type: str
    kind: str
    track_key: str
    track_title: str
    organisation: str
    by: str
    decision_id: int | None
    supersedes_id: int | None
    touches: list[str]
    internal: bool
    text: str
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class LogExport:
    """The entries of one track or crisis a reader may read, oldest first, and the chain's state."""

    scope: str  # "initiative" or "crisis"
    subject_id: int
    subject_key: str
    title: str
    rows: list[ExportRow]
    verification: str
    verified: bool
    generated_at: datetime
    reader: str

    @property
    def filename(self) -> str:
        return f"decision-log-{self.scope}-{self.subject_key}"


def initiative_log(db: Session, actor: User | None, initiative_id: int) -> LogExport:
    """The log of one track as the actor may read it; `NotFound` if the track is not theirs to see."""
    aud = audience.of(actor)
    track = aud.track(db, initiative_id)
    assert track.id is not None
    rows = _entries(db, aud, [track.id])
    return _export(db, actor, "initiative", track.id, track.key, f"Decision log of {track.title}", rows)


def crisis_log(db: Session, actor: User | None, crisis_id: int) -> LogExport:
    """The log of every track on a crisis that the actor may see, as they may read it."""
    crisis = db.get(Crisis, crisis_id)
    if crisis is None:
        raise NotFound("No such crisis")
    aud = audience.of(actor)
    ids = list(
        db.exec(select(Initiative.id).where(col(Initiative.crisis_id) == crisis_id, aud.tracks())).all()
    )
    rows = _entries(db, aud, [i for i in ids if i is not None])
    assert crisis.id is not None
    return _export(db, actor, "crisis", crisis.id, crisis.key, f"Decision log of the {crisis.name}", rows)


def _entries(db: Session, aud: audience.Audience, track_ids: list[int]) -> list[LogEntry]:
    if not track_ids:
        return []
    q = (
        select(LogEntry)
        .where(col(LogEntry.initiative_id).in_(track_ids), aud.log_entries())
        .order_by(col(LogEntry.id))
    )
    return list(db.exec(q).all())


def _export(
    db: Session,
    actor: User | None,
    scope: str,
    subject_id: int,
    subject_key: str,
    title: str,
    entries: list[LogEntry],
) -> LogExport:
    track_ids = {e.initiative_id for e in entries if e.initiative_id is not None}
    tracks = (
        {t.id: t for t in db.exec(select(Initiative).where(col(Initiative.id).in_(track_ids))).all()}
        if track_ids
        else {}
    )
    orgs = {o.id: o for o in db.exec(select(Organisation)).all()}
    names_by_key = {o.key: o.name for o in orgs.values()}
    rows = []
    for e in entries:
        assert e.id is not None
        track = tracks.get(e.initiative_id)
        org = orgs.get(e.org_id)
        rows.append(
            ExportRow(
                id=e.id,
                recorded_at=e.created_at,
                date=e.date.isoformat(),
                entry_type=e.entry_type,
                kind=e.kind or "",
                track_key=track.key if track else "",
                track_title=track.title if track else "",
                organisation=org.name if org else "",
                by=e.actor_name or "the system",
                decision_id=e.decision_id,
                supersedes_id=e.supersedes_id,
                touches=[names_by_key.get(k, k) for k in e.touches],
                internal=e.internal,
                text=e.text,
                prev_hash=e.prev_hash,
                entry_hash=e.entry_hash,
            )
        )
    result = ledger.verify(db)
    reader = f"{actor.name} ({actor.organisation.name})" if actor is not None else "Accord"
    return LogExport(scope, subject_id, subject_key, title, rows, result.state, result.ok, utcnow(), reader)


# ---------------------------------------------------------------- formats


def as_csv(export: LogExport) -> str:
    """The record as CSV: a header, one row per entry, and a last row of type `verification`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in export.rows:
        writer.writerow(
            [
                r.id,
                r.recorded_at.isoformat(timespec="seconds"),
                r.date,
                r.entry_type,
                r.kind,
                r.track_key,
                r.track_title,
                r.organisation,
                r.by,
                r.decision_id or "",
                r.supersedes_id or "",
                "; ".join(r.touches),
                "yes" if r.internal else "",
                _safe_cell(r.text),
                r.prev_hash,
                r.entry_hash,
            ]
        )
    verification = [""] * len(CSV_COLUMNS)
    verification[CSV_COLUMNS.index("type")] = "verification"
    verification[CSV_COLUMNS.index("text")] = export.verification
    writer.writerow(verification)
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_pdf(export: LogExport) -> bytes:
    """The record as a PDF, set in a monospaced Unicode font shipped with Accord."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(export.title)
    pdf.set_creator("Accord")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("Mono", "", str(FONT))
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    width = pdf.epw

    def para(text: str, size: float = 8.5, gap: float = 0.0) -> None:
        pdf.set_font("Mono", size=size)
        pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    para(export.title, size=13, gap=2)
    para(f"Exported {export.generated_at.isoformat(timespec='seconds')} UTC for {export.reader}.")
    para(f"{len(export.rows)} entr{'y' if len(export.rows) == 1 else 'ies'} you may read.", gap=2)
    para(export.verification, size=9.5, gap=3)
    for r in export.rows:
        head = f"#{r.id}  {r.date}  {r.entry_type}{' / ' + r.kind if r.kind else ''}"
        if r.internal:
            head += "  (internal)"
        para(head, size=9.5)
        lines = [
            f"Track: {r.track_title} ({r.track_key})",
            f"By: {r.by}{', ' + r.organisation if r.organisation else ''}",
            f"Recorded: {r.recorded_at.isoformat(timespec='seconds')} UTC",
        ]
        if r.decision_id:
            lines.append(f"For decision: #{r.decision_id}")
        if r.supersedes_id:
            lines.append(f"Supersedes: #{r.supersedes_id}")
        if r.touches:
            lines.append(f"Touches: {'; '.join(r.touches)}")
        para("\n".join(lines))
        if r.text:
            para(r.text)
        para(f"Hash:    {r.entry_hash}\nFollows: {r.prev_hash}", size=7.5, gap=3)
    return bytes(pdf.output())


__all__ = ["CSV_COLUMNS", "ExportRow", "LogExport", "as_csv", "as_pdf", "crisis_log", "initiative_log"]
