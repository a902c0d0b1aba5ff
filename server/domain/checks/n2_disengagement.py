"""N2: don't initiate diplomatic disengagement without considering humanitarian impact.

Disengagement shows in three places: a decision of kind `disengagement`, a suspension
among the leverage tools, or a decision whose text severs relations, suspends contacts
or sets a no-contact policy. Any of them on a running track without a humanitarian
impact assessment raises an alert.
"""

from __future__ import annotations

import re

from server.domain.checks._common import (
    current_decisions,
    decision_label,
    excerpt,
    find_phrases,
    label,
    make,
    running_tracks,
    worst,
)
from server.domain.snapshot import Finding, Initiative, Severity, Snapshot

ID = "N2"
TITLE = "Don't initiate diplomatic disengagement without considering humanitarian impact"
WORDS = (
    "States should refrain from severing diplomatic relations, suspending contacts with de facto "
    "authorities or applying no-contact policies toward designated groups without analysing the "
    "consequences for humanitarian responses."
)

# Between the verb and what it cuts, only the words that qualify a channel: a free gap
# would read "suspend convoys until contacts resume" as cutting contacts.
_QUALIFIERS = (
    r"(?:\s+(?:all|any|the|our|its|their|every|diplomatic|direct|official|bilateral|high-level|"
    r"political|further|formal|informal|remaining|working-level|ministerial))*\s+"
)
_CONTACT = r"(?:contacts?|relations|ties|dialogue|engagement|talks|communications?)"
_DISENGAGE = re.compile(
    rf"\b(?:sever\w*|break\w*\s+off|broke\s+off|cut\w*(?:\s+off)?|freez\w*|froze|suspend\w*|halt\w*|"
    rf"terminat\w*|downgrad\w*){_QUALIFIERS}{_CONTACT}\b"
    rf"|\b(?:severance|suspension|freeze|termination|downgrading|rupture|breaking\s+off)\s+of"
    rf"{_QUALIFIERS}{_CONTACT}\b"
    r"|\bno[\s-]+contacts?\b"
    r"|\b(?:recall\w*|withdraw\w*|expel\w*)\s+(?:\S+\s+){0,2}?(?:ambassadors?|envoys?|diplomats?)\b"
    r"|\bclos\w*\s+(?:\S+\s+){0,2}?(?:embassy|embassies|diplomatic\s+mission|liaison\s+office)\b",
    re.IGNORECASE,
)
# Words that undo a disengagement rather than start one.
_REVERSAL = re.compile(
    r"\b(?:lift\w*|end\w*|revers\w*|drop\w*|scrap\w*|resum\w*|restor\w*|reopen\w*|review\w*|"
    r"reconsider\w*|rescind\w*|revok\w*)\b",
    re.IGNORECASE,
)


def _remedy(i: Initiative) -> str:
    return (
        f"Assess the humanitarian impact of disengaging on track {label(i)} (backing for humanitarian "
        "negotiators, access, who fills the vacuum) and record it, or keep the channel open."
    )


def run(snapshot: Snapshot) -> list[Finding]:
    """Running tracks that disengage from a party with no humanitarian impact assessment."""
    findings: list[Finding] = []
    for i in running_tracks(snapshot):
        if i.impact_assessment:
            continue
        suspensions = [lev for lev in i.leverage if lev.kind == "suspension" and lev.status != "lifted"]
        if suspensions:
            # A suspension still on the table can be assessed first; an active one already cut the line.
            severities: list[Severity] = [
                "high" if lev.status == "active" else "medium" for lev in suspensions
            ]
            findings.append(
                make(
                    ID,
                    WORDS,
                    "disengagement_without_impact_assessment",
                    [i.key],
                    worst(severities),
                    f"Track {label(i)} suspends engagement with no humanitarian impact assessment.",
                    [
                        f"suspension ({lev.status})"
                        + (f': "{excerpt(lev.description)}"' if lev.description else "")
                        for lev in suspensions
                    ]
                    + ["humanitarian impact assessment: no"],
                    _remedy(i),
                    [i.key],
                )
            )
        for d in current_decisions(snapshot, i.key):
            hits = find_phrases(_DISENGAGE, d.text, _REVERSAL)
            if d.kind != "disengagement" and not hits:
                continue
            evidence = [f'{decision_label(d)}, of kind {d.kind}: "{excerpt(d.text)}"']
            evidence.append("humanitarian impact assessment: no")
            findings.append(
                make(
                    ID,
                    WORDS,
                    "disengagement_without_impact_assessment",
                    [i.key, d.key],
                    "high",
                    f"{decision_label(d)[0].upper()}{decision_label(d)[1:]} on track {label(i)} disengages "
                    "with no humanitarian impact assessment.",
                    evidence,
                    _remedy(i),
                    [i.key],
                )
            )
    return findings
