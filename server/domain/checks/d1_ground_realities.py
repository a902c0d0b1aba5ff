"""D1: ground humanitarian diplomacy in realities on the ground.

An active track should be fed by recent field reports from more than one kind of
source ("collate such information from diverse organisations"). Which reports inform a
track:

- the reports filed on the track itself, and the reports filed on its crisis as a
  whole: field contributors often report on a context, not on a diplomatic track they
  cannot see;
- not the reports filed on another track of the same crisis: those answer that track's
  questions (its sites, its parties, its access constraints), and a track is not
  grounded because a neighbour is.

Only active tracks that have started are judged (DESIGN: "an active initiative"): a
paused track is not engaging anyone, a draft or closed one commits nobody, and one
that starts later has nothing to be grounded yet. Diversity is judged on the reports
still recent, so an old UN note does not make today's picture more than one source
deep; a track whose latest report is stale is told so (and not also told about its
sources, which the same remedy answers).
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


def _judged(snapshot: Snapshot, i: Initiative) -> bool:
    """An active track that has begun: the ones whose diplomacy must be informed now."""
    return i.status == "active" and (i.start is None or i.start <= snapshot.today)


def _reports(snapshot: Snapshot, i: Initiative) -> list[FieldReport]:
    """The field reports that inform a track up to today: its own, and its crisis's as a whole."""
    own = snapshot.reports_by_initiative.get(i.key, [])
    context = [r for r in snapshot.reports_by_crisis.get(i.crisis, []) if r.initiative is None]
    # A report dated after `today` has not informed anything yet.
    return sorted((r for r in [*own, *context] if r.date <= snapshot.today), key=lambda r: r.date)


def _who(snapshot: Snapshot, reports: list[FieldReport]) -> str:
    """The organisations behind some reports, by name, for the evidence."""
    names = sorted(
        {snapshot.organisations[r.org].name for r in reports if r.org and r.org in snapshot.organisations}
    )
    return f" ({', '.join(names)})" if names else ""


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
                f"Track {label(i)} is active with no field report on it or on its crisis, {crisis_name}.",
                [f"status {i.status}", f"no field report filed on the track or on {crisis_name} as a whole"],
                remedy_report,
                [i.key],
            )
        ]
    latest = reports[-1]
    age = (snapshot.today - latest.date).days
    if age > stale_days:
        return [
            make(
                ID,
                WORDS,
                "stale_field_reports",
                [i.key],
                "medium",
                f"Track {label(i)} has had no field report for {age} days.",
                [
                    f"latest field report {latest.date.isoformat()}, from {_SOURCE_NAMES[latest.source_kind]}"
                    f"{_who(snapshot, [latest])}, {age} days old",
                    f"reports count as recent for {stale_days} days",
                ],
                remedy_report,
                [i.key],
            )
        ]
    recent = [r for r in reports if (snapshot.today - r.date).days <= stale_days]
    kinds = sorted({r.source_kind for r in recent})
    if len(kinds) > 1:
        return []
    only = kinds[0]
    missing = ", ".join(name for kind, name in _SOURCE_NAMES.items() if kind != only)
    return [
        make(
            ID,
            WORDS,
            "single_source",
            [i.key],
            "low",
            f"Track {label(i)} is informed only by {_SOURCE_NAMES[only]}.",
            [
                f"{len(recent)} recent field report(s), all from {_SOURCE_NAMES[only]}{_who(snapshot, recent)}",
                f"latest {latest.date.isoformat()}",
            ],
            f"Collate reports from other kinds of source as well ({missing}).",
            [i.key],
        )
    ]


def run(snapshot: Snapshot) -> list[Finding]:
    """Active tracks with no recent field report, or reports from one kind of source only."""
    findings: list[Finding] = []
    for i in running_tracks(snapshot):
        if _judged(snapshot, i):
            findings.extend(_judge(snapshot, i))
    return findings
