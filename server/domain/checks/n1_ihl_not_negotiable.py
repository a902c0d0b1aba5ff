"""N1: don't treat IHL as negotiable.

Two framings put access on the table: the wording itself ("humanitarian ceasefire",
"humanitarian truce", "humanitarian pause" and their kin), and access or aid made
conditional on a ceasefire or a concession ("convoys only once a truce holds", "truce
for aid"). A ceasefire on its own is not a finding: a political track may well monitor
one. The texts read are the track's title, description, aims, objectives, leverage
tools, metrics and standing decisions.
"""

from __future__ import annotations

import re

from server.domain.checks._common import (
    Source,
    decision_label,
    excerpt,
    find_phrases,
    label,
    make,
    running_tracks,
    track_texts,
)
from server.domain.snapshot import Finding, Initiative, Severity, Snapshot

ID = "N1"
TITLE = "Don't treat IHL as negotiable"
WORDS = (
    'States and humanitarian actors should avoid discussions on "humanitarian ceasefires" or '
    '"humanitarian truces" as this contributes to the blurred distinction between humanitarian '
    "outcomes and military objectives. While often well-intentioned, this terminology frames "
    "humanitarian access as dependent on a ceasefire and reinforces the perception that aid delivery "
    "requires political or military concessions."
)

_CEASE = r"(?:cease[\s-]*fires?|truces?|pauses?|lulls?|armistices?|cessations?\s+of\s+hostilities)"
_WORDING = re.compile(rf"\bhumanitarian[\s-]+{_CEASE}\b", re.IGNORECASE)

_ACCESS = (
    r"(?:access|aid|assistance|relief|deliver(?:y|ies)|convoys?|supplies|food|medicines?|"
    r"humanitarian\s+operations|evacuations?)"
)
_CONDITION = (
    r"(?:in\s+exchange\s+for|in\s+return\s+for|conditional\s+(?:on|upon)|conditioned\s+(?:on|upon)|"
    r"contingent\s+(?:on|upon)|dependent\s+(?:on|upon)|depends?\s+on|subject\s+to|tied\s+to|linked\s+to|"
    r"only\s+(?:if|after|once|when|during)|once|as\s+soon\s+as|provided\s+that|on\s+condition\s+that|requires?|"
    r"in\s+return\s+of|traded\s+(?:for|against))"
)
_PRICE = rf"(?:{_CEASE}|(?:political\s+|military\s+|territorial\s+)?concessions?)"
_GAP = r"[^.;]{0,60}?"
_CONDITIONAL = re.compile(
    rf"\b{_ACCESS}\b{_GAP}\b{_CONDITION}\b{_GAP}\b{_PRICE}\b"
    rf"|\b{_CEASE}\b{_GAP}\b(?:in\s+exchange\s+for|in\s+return\s+for)\b{_GAP}\b{_ACCESS}\b"
    rf"|\b{_CEASE}[\s-]+(?:for|against)[\s-]+{_ACCESS}\b",
    re.IGNORECASE,
)


def _finding(
    snapshot: Snapshot, i: Initiative, kind: str, src: Source | None, evidence: list[str]
) -> Finding:
    d = decision_label(snapshot.decisions[src.decision]) if src and src.decision else ""
    where = f"{d[0].upper()}{d[1:]} on track {label(i)}" if d else f"Track {label(i)}"
    subjects = [i.key, src.decision] if src and src.decision else [i.key]
    if kind == "humanitarian_ceasefire_wording":
        message = f"{where} speaks of a humanitarian ceasefire, truce or pause."
        remedy = (
            "Drop the ceasefire wording from the humanitarian aims: IHL obliges parties to allow "
            "aid through during hostilities, ceasefire or not."
        )
        severity: Severity = "medium"
    else:
        message = f"{where} makes access or aid conditional on a ceasefire or a concession."
        remedy = (
            "Reframe access as the parties' obligation under IHL, owed unconditionally, and keep "
            "any ceasefire talks on their own track."
        )
        severity = "high"
    if src and src.decision:
        remedy = f"Supersede {d}: " + remedy[0].lower() + remedy[1:]
    return make(ID, WORDS, kind, subjects, severity, message, evidence, remedy, [i.key])


def _judge(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    findings: list[Finding] = []
    # The track's own texts gather into one finding per kind; each decision gets its own,
    # so that superseding it clears exactly its alert.
    own: dict[str, list[str]] = {}
    for src in track_texts(snapshot, i, metrics=True):
        for kind, pattern in (
            ("access_conditional_on_concession", _CONDITIONAL),
            ("humanitarian_ceasefire_wording", _WORDING),
        ):
            hits = find_phrases(pattern, src.text)
            if not hits:
                continue
            evidence = [f'{src.where}: "{excerpt(h)}"' for h in hits]
            if src.decision is None:
                own.setdefault(kind, []).extend(evidence)
            else:
                findings.append(_finding(snapshot, i, kind, src, evidence))
    for kind, evidence in own.items():
        findings.append(_finding(snapshot, i, kind, None, evidence))
    return findings


def run(snapshot: Snapshot) -> list[Finding]:
    """Running tracks that frame access as conditional on a ceasefire or a concession."""
    findings: list[Finding] = []
    for i in running_tracks(snapshot):
        findings.extend(_judge(snapshot, i))
    return findings
