"""D1: ground humanitarian diplomacy in realities on the ground.

A running track should be fed by recent field reports from more than one kind of
source. Reports count when filed on the track itself or on its crisis: field
contributors often report on a context, not on a diplomatic track they cannot see.
"""

from __future__ import annotations

from server.domain.checks._common import label, make, running_tracks
from server.domain.snapshot import FieldReport, Finding, Initiative, Snapshot

ID = "D1"
TITLE = "Ground humanitarian diplomacy in realities on the ground"
WORDS = (
    "Effective humanitarian diplomacy requires diplomatic engagement to be informed by realities on "
    "the ground. Humanitarian organisations, local actors, and local communities hold real-time "
    "knowledge of conflict dynamics and access constraints that cannot be gained elsewhere. States "
    "should collate such information from diverse organisations through inclusive engagement at "
    "country, regional and global levels."
)

_SOURCE_NAMES = {
    "ngo": "NGOs",
    "un": "UN agencies",
    "local_actor": "local actors",
    "embassy": "embassies",
}


def _reports(snapshot: Snapshot, i: Initiative) -> list[FieldReport]:
    """The field reports that inform a track up to today: its own and its crisis's, once each."""
    seen: set[int] = set()
    out: list[FieldReport] = []
    for r in [*snapshot.reports_by_initiative.get(i.key, []), *snapshot.reports_by_crisis.get(i.crisis, [])]:
        # A report dated after `today` has not informed anything yet.
        if id(r) in seen or r.date > snapshot.today:
            continue
        seen.add(id(r))
        out.append(r)
    return sorted(out, key=lambda r: r.date)


def _judge(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    stale_days = snapshot.settings.field_report_stale_days
    reports = _reports(snapshot, i)
    crisis = snapshot.crises.get(i.crisis)
    crisis_name = crisis.name if crisis else i.crisis
    remedy_report = (
        f"File a field report on the track or on its crisis ({crisis_name}) from a humanitarian organisation, "
        "a UN agency or a local actor, and keep them coming."
    )
    if not reports:
        return [
            make(
                ID,
                WORDS,
                "no_field_report",
                [i.key],
                "high",
                f"Track {label(i)} is running with no field report on it or on its crisis, {crisis_name}.",
                [f"status {i.status}", f"no field report filed on {i.key} or on crisis {i.crisis}"],
                remedy_report,
                [i.key],
            )
        ]
    findings: list[Finding] = []
    latest = reports[-1]
    age = (snapshot.today - latest.date).days
    if age > stale_days:
        findings.append(
            make(
                ID,
                WORDS,
                "stale_field_reports",
                [i.key],
                "medium",
                f"Track {label(i)} has had no field report for {age} days.",
                [
                    f"latest field report {latest.date.isoformat()} ({latest.source_kind}), {age} days old",
                    f"reports count as recent for {stale_days} days",
                ],
                remedy_report,
                [i.key],
            )
        )
        return findings
    # Diversity is judged on the reports still recent: an old UN report does not make
    # today's picture more than one source deep.
    recent = [r for r in reports if (snapshot.today - r.date).days <= stale_days]
    kinds = sorted({r.source_kind for r in recent})
    if len(kinds) == 1:
        only = kinds[0]
        missing = ", ".join(name for kind, name in _SOURCE_NAMES.items() if kind != only)
        findings.append(
            make(
                ID,
                WORDS,
                "single_source",
                [i.key],
                "low",
                f"Track {label(i)} is informed only by {_SOURCE_NAMES[only]}.",
                [
                    f"{len(recent)} recent field report(s), all from {_SOURCE_NAMES[only]}",
                    f"latest {latest.date.isoformat()}",
                ],
                f"Collate reports from other kinds of source as well ({missing}).",
                [i.key],
            )
        )
    return findings


def run(snapshot: Snapshot) -> list[Finding]:
    """Running tracks with no recent field report, or reports from one kind of source only."""
    findings: list[Finding] = []
    for i in running_tracks(snapshot):
        findings.extend(_judge(snapshot, i))
    return findings
