"""D3: define clear objectives, red lines and accountability mechanisms.

A running track needs objectives, red lines that say when it pauses, recalibrates or
withdraws, compliance monitoring once an agreement is reached, and an answer in the
decision log when a field report says one of its red lines was breached.

Monitoring counts when the track records it, or when the agreement or a later entry
of the log sets it up in words ("a joint committee verifies compliance monthly"; not
"no monitoring was agreed"). A report filed on the crisis names one of this track's
red lines when it uses nearly the same words, in any form ("armed escort imposed by a
party" for "no armed escorts by parties"); a report filed on the track counts whatever
it names, and a breached-red-line field that says "none" is no breach.
"""

from __future__ import annotations

import re

from server.domain.checks._common import (
    current_decisions,
    decision_label,
    excerpt,
    label,
    make,
    running_tracks,
    voice,
)
from server.domain.checks._prose import Voice, asserted, clauses, words
from server.domain.snapshot import Decision, FieldReport, Finding, Initiative, Snapshot

ID = "D3"
TITLE = "Define clear objectives, red lines and accountability mechanisms"
WORDS = (
    "Providing defined objectives also allows humanitarian organisations to indicate red lines at the "
    "onset of an initiative, including identifying when it should be paused, recalibrated or withdrawn "
    "to avoid doing harm. Initiatives must also include mechanisms to monitor compliance and hold "
    "parties to account beyond initial agreements."
)


_FILLER = {
    "a",
    "an",
    "the",
    "of",
    "to",
    "by",
    "on",
    "in",
    "at",
    "for",
    "with",
    "from",
    "and",
    "or",
    "any",
    "no",
    "not",
    "all",
    "its",
    "their",
    "our",
    "is",
    "are",
    "be",
    "being",
    "been",
    "into",
    "under",
    "own",
}


def _stem(word: str) -> str:
    """A word without its commonest English endings, so "evicted" and "evictions" meet."""
    for suffix, keep in (("ies", "y"), ("ied", "y")):
        if word.endswith(suffix) and len(word) > 4:
            return word[: -len(suffix)] + keep
    for suffix in ("ations", "ation", "ings", "ing", "ions", "ion", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _content(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in _FILLER}


def _names(breach: str, red_line: str) -> bool:
    """Whether a report's breached red line is this one, in the same words or nearly.

    People do not copy a red line letter for letter into a report ("armed escorts imposed on
    convoys" for "no armed escorts imposed on relief convoys"): the words that carry the
    red line's meaning must nearly all be there, in either direction.
    """
    a, b = _content(breach), _content(red_line)
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / min(len(a), len(b)) >= 0.8 and shared / max(len(a), len(b)) >= 0.5


# An agreement that sets up its own follow-up: monitoring written into the decision log.
_MONITORING = words(
    r"(?:monitor\w*|verif\w*|compliance\s+(?:committee|mechanism|review|checks?|reports?)|"
    r"(?:joint|follow-up|review|oversight|implementation)\s+(?:committee|cell|mechanism|visits?|meetings?|body|group)|"
    r"(?:reports?|reviews?|checks?)\s+(?:back\s+)?(?:weekly|monthly|fortnightly|quarterly|every\s+\w+)|"
    r"third-party\s+(?:monitor\w*|observers?)|observers?)"
)


def _monitored_in_log(decisions: list[Decision], agreement: Decision, v: Voice) -> bool:
    """Whether the agreement, or a later entry of the log, sets up monitoring of compliance."""
    for d in decisions:
        if d.date < agreement.date:
            continue
        for sentence in clauses(d.text):
            if any(asserted(sentence, m.start(), m.end(), v) for m in _MONITORING.finditer(sentence)):
                return True
    return False


_NO_BREACH = {"", "none", "no", "n/a", "na", "nil", "-", "false", "null"}


def _breached(r: FieldReport) -> bool:
    """Whether a report says a red line was breached (a field filled with "none" says it was not)."""
    return r.red_line_breached is not None and r.red_line_breached.strip().casefold() not in _NO_BREACH


def _breaches(snapshot: Snapshot, i: Initiative) -> list[FieldReport]:
    """Field reports of a breached red line of this track, up to today.

    A report on the track itself counts whatever red line it names; a report filed on the
    crisis counts when it names one of this track's red lines, since the crisis may carry
    several tracks with red lines of their own.
    """
    out: list[FieldReport] = []
    seen: set[int] = set()
    for r in snapshot.reports_by_initiative.get(i.key, []):
        if _breached(r) and r.date <= snapshot.today:
            seen.add(id(r))
            out.append(r)
    for r in snapshot.reports_by_crisis.get(i.crisis, []):
        if id(r) in seen or not _breached(r) or r.date > snapshot.today:
            continue
        if r.initiative is None and any(_names(r.red_line_breached or "", rl.text) for rl in i.red_lines):
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
        v = voice(snapshot, i)
        for d in decisions:
            if d.kind != "agreement" or _monitored_in_log(decisions, d, v):
                continue
            findings.append(
                make(
                    ID,
                    WORDS,
                    "agreement_without_monitoring",
                    [i.key, d.key],
                    "high",
                    f"Track {label(i)} reached an agreement ({decision_label(d)}) with no compliance monitoring.",
                    [
                        f'agreement of {d.date.isoformat()}: "{excerpt(d.text)}"',
                        "compliance monitoring: none recorded on the track or in the decision log",
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
