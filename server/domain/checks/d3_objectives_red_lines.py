"""D3: define clear objectives, red lines and accountability mechanisms.

A running track needs objectives, red lines that say when it pauses, recalibrates or
withdraws, compliance monitoring once an agreement is reached, and an answer in the
decision log when a field report says one of its red lines was breached.
"""

from __future__ import annotations

from server.domain.checks._common import current_decisions, excerpt, label, make, running_tracks
from server.domain.snapshot import FieldReport, Finding, Initiative, Snapshot

ID = "D3"
TITLE = "Define clear objectives, red lines and accountability mechanisms"
WORDS = (
    "Providing defined objectives also allows humanitarian organisations to indicate red lines at the "
    "onset of an initiative, including identifying when it should be paused, recalibrated or withdrawn "
    "to avoid doing harm. Initiatives must also include mechanisms to monitor compliance and hold "
    "parties to account beyond initial agreements."
)


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _breaches(snapshot: Snapshot, i: Initiative) -> list[FieldReport]:
    """Field reports of a breached red line of this track, up to today.

    A report on the track itself counts whatever red line it names; a report filed on the
    crisis counts when it names one of this track's red lines, since the crisis may carry
    several tracks with red lines of their own.
    """
    out: list[FieldReport] = []
    seen: set[int] = set()
    for r in snapshot.reports_by_initiative.get(i.key, []):
        if r.red_line_breached and r.date <= snapshot.today:
            seen.add(id(r))
            out.append(r)
    for r in snapshot.reports_by_crisis.get(i.crisis, []):
        if id(r) in seen or not r.red_line_breached or r.date > snapshot.today:
            continue
        if r.initiative is None and any(_same(r.red_line_breached, rl.text) for rl in i.red_lines):
            out.append(r)
    return sorted(out, key=lambda r: r.date)


def _plan_findings(i: Initiative) -> list[Finding]:
    findings: list[Finding] = []
    if not any(o.strip() for o in i.objectives):
        findings.append(
            make(
                ID,
                WORDS,
                "no_objectives",
                [i.key],
                "medium",
                f"Track {label(i)} has no objectives.",
                [f"status {i.status}", "objectives: none recorded"]
                + ([f"aims: {'; '.join(i.aims)}"] if i.aims else []),
                "Record clear, realistic objectives, agreed with the partners on the track.",
                [i.key],
            )
        )
    if not i.red_lines:
        findings.append(
            make(
                ID,
                WORDS,
                "no_red_lines",
                [i.key],
                "medium",
                f"Track {label(i)} has no red lines.",
                ["red lines: none recorded"],
                "Record red lines with the humanitarian organisations involved, each saying whether "
                "the track pauses, recalibrates or withdraws when it is crossed.",
                [i.key],
            )
        )
    elif not any(rl.trigger for rl in i.red_lines):
        findings.append(
            make(
                ID,
                WORDS,
                "red_lines_without_trigger",
                [i.key],
                "low",
                f"No red line of track {label(i)} says when to pause, recalibrate or withdraw.",
                [f'red line without trigger: "{excerpt(rl.text)}"' for rl in i.red_lines],
                "Give at least one red line a trigger: pause, recalibrate or withdraw.",
                [i.key],
            )
        )
    return findings


def _accountability_findings(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    findings: list[Finding] = []
    decisions = current_decisions(snapshot, i.key)
    if not i.compliance_monitoring:
        for d in decisions:
            if d.kind != "agreement":
                continue
            findings.append(
                make(
                    ID,
                    WORDS,
                    "agreement_without_monitoring",
                    [i.key, d.key],
                    "high",
                    f"Track {label(i)} reached an agreement ({d.key}) with no compliance monitoring.",
                    [
                        f'agreement {d.key} ({d.date.isoformat()}): "{excerpt(d.text)}"',
                        "compliance monitoring: no",
                    ],
                    "Set up a mechanism to monitor the parties' compliance with the agreement and "
                    "record it on the track.",
                    [i.key],
                )
            )
    # Any later entry of the log answers a breach, superseded or not: it was a decision
    # taken. A same-day entry counts too, or a breach reported and answered on one day
    # would never clear.
    all_decisions = snapshot.decisions_by_initiative.get(i.key, [])
    unanswered = [r for r in _breaches(snapshot, i) if not any(d.date >= r.date for d in all_decisions)]
    if unanswered:
        first = unanswered[0]
        days = (snapshot.today - first.date).days
        findings.append(
            make(
                ID,
                WORDS,
                "red_line_breach_unanswered",
                [i.key],
                "high",
                f"A red line of track {label(i)} was reported breached {days} day(s) ago "
                "and no decision has been taken since.",
                [
                    f'{r.date.isoformat()}, {r.source_kind}: breached "{r.red_line_breached}": '
                    f'"{excerpt(r.text)}"'
                    for r in unanswered
                ],
                "Log a decision on the track answering the breach: pause, recalibrate, withdraw, "
                "or continue with the reasons.",
                [i.key],
            )
        )
    return findings


def run(snapshot: Snapshot) -> list[Finding]:
    """Running tracks without objectives, red lines, compliance monitoring or an answer to a breach."""
    findings: list[Finding] = []
    for i in running_tracks(snapshot):
        findings.extend(_plan_findings(i))
        findings.extend(_accountability_findings(snapshot, i))
    return findings
