"""N5: don't skip the do-no-harm analysis.

Punitive leverage (sanctions, conditionality, suspension) that is proposed or active on
a running track must carry a do-no-harm assessment. Lifted tools and incentives are
left alone.
"""

from __future__ import annotations

from server.domain.checks._common import excerpt, label, make, running_tracks, worst
from server.domain.snapshot import Finding, Severity, Snapshot

ID = "N5"
TITLE = "Don't skip the do-no-harm analysis"
WORDS = (
    "States pursuing humanitarian diplomacy engagements must carefully assess whether their actions "
    "could unintentionally harm humanitarian responses or increase protection risks for civilians."
)

_PUNITIVE = ("sanction", "conditionality", "suspension")


def run(snapshot: Snapshot) -> list[Finding]:
    """Running tracks with punitive leverage, proposed or active, and no do-no-harm assessment."""
    findings: list[Finding] = []
    for i in running_tracks(snapshot):
        unassessed = [
            lev
            for lev in i.leverage
            if lev.kind in _PUNITIVE and lev.status != "lifted" and not lev.do_no_harm_assessment
        ]
        if not unassessed:
            continue
        # An active measure already bites; a proposed one can still be assessed first.
        severities: list[Severity] = ["high" if lev.status == "active" else "medium" for lev in unassessed]
        kinds = ", ".join(sorted({lev.kind for lev in unassessed}))
        findings.append(
            make(
                ID,
                WORDS,
                "punitive_leverage_without_do_no_harm",
                [i.key],
                worst(severities),
                f"Track {label(i)} has punitive leverage ({kinds}) with no do-no-harm assessment.",
                [
                    f"{lev.kind} ({lev.status}), no do-no-harm assessment"
                    + (f': "{excerpt(lev.description)}"' if lev.description else "")
                    for lev in unassessed
                ],
                "Assess the measure's effect on humanitarian responses, local access agreements and "
                "civilians before it goes further, and record the assessment on the leverage tool.",
                [i.key],
            )
        )
    return findings
