"""N5: don't skip the do-no-harm analysis.

Punitive leverage (sanctions, conditionality, suspension) that is proposed or active on a
track must carry a do-no-harm assessment. It shows in two places:

- the track's leverage tools of those kinds, unless the tool is lifted, or what it
  suspends is a burden on the other side rather than something it receives (a
  "suspension" of fees, tariffs or visa requirements is a goodwill gesture, not a
  measure);
- the track's own prose and its standing decisions, when they impose a measure that no
  leverage tool records ("all development cooperation with Merriq will be halted until
  the blockade ends", "impose travel bans on the Council's leaders"): with no tool there
  is no assessment to point to, unless the text itself says one was made.

Drafts are judged with the running tracks ("prior to any diplomatic action, states
should carefully consider"); incentives, aid offers and lifted tools are left alone, and
so are measures another state takes, measures lifted, and measures rejected.
"""

from __future__ import annotations

import re

from server.domain.checks._common import (
    current_decisions,
    decision_label,
    excerpt,
    label,
    make,
    planned_or_running_tracks,
    voice,
    worst,
)
from server.domain.checks._prose import Voice, acted_by_other, asserted, clauses, words
from server.domain.snapshot import Finding, Initiative, Leverage, Severity, Snapshot

ID = "N5"
TITLE = "Don't skip the do-no-harm analysis"
WORDS = (
    "States pursuing humanitarian diplomacy engagements must carefully assess whether their actions "
    "could unintentionally harm humanitarian responses or increase protection risks for civilians."
)

_PUNITIVE = ("sanction", "conditionality", "suspension")

# What a "suspension" may lift from the other side's shoulders: then it rewards, it does not punish.
_BURDEN = words(
    r"(?:fees?|tariffs?|dut(?:y|ies)|charges?|levies|taxes|debt\s+(?:repayments?|service)|interest|penalt(?:y|ies)|"
    r"visa\s+requirements?|requirements?|restrictions|sanctions|bans?|embargo(?:es)?|fines?|quotas?)"
)
_SUSPEND = words(r"(?:suspen\w*|waiv\w*|exempt\w*|defer\w*|lift\w*|eas\w*|remov\w*|relax\w*|cancel\w*)")

_THEIRS = (
    r"(?:development\s+)?(?:cooperation|aid|assistance|funding|budget\s+support|programmes?|trade\s+preferences|"
    r"loans?|credit|flights|membership|participation|grants?|disbursements?|scholarships|military\s+cooperation|"
    r"investment|contracts?|imports|exports|payments)"
)
_MEASURE = re.compile(
    r"\b(?:impos|appl|adopt|propos|extend|tighten|enforc|introduc|expand|renew|broaden)\w*\s+(?:\S+\s+){0,4}?"
    r"(?:sanctions|asset\s+freezes?|travel\s+bans?|visa\s+bans?|entry\s+bans?|embargo(?:es)?|export\s+controls|"
    r"import\s+bans?|tariffs|penalt(?:y|ies)|restrictions|conditions)\b"
    r"|\b(?:freez\w*|froze)\s+(?:\S+\s+){0,3}?assets\b"
    r"|\bdesignat\w*\s+(?:\S+\s+){0,4}?(?:as\s+(?:a\s+)?terrorist|under|for\s+sanctions)"
    r"|\b(?:blacklist\w*|sanction(?:s|ed|ing)?\s+(?:the|its|their|\w+'s)\b)"
    rf"|\b(?:cut\w*|halt\w*|suspend\w*|freez\w*|froze|withh[eo]ld\w*|stop\w*|end\w*|terminat\w*|reduc\w*|withdraw\w*)"
    rf"\s+(?:off\s+)?(?:all\s+|the\s+|our\s+|its\s+|their\s+|further\s+)?(?:\S+\s+){{0,2}}?{_THEIRS}\b"
    rf"|\b{_THEIRS}\s+(?:\S+\s+){{0,4}}?(?:will|would|shall|is|are|to)\s+(?:be\s+)?(?:halted|cut|suspended|frozen|"
    r"withheld|stopped|ended|terminated|reduced|withdrawn|stop|end|cease)\b"
    rf"|\b{_THEIRS}\s+(?:\S+\s+){{0,4}}?(?:halted|cut|suspended|frozen|withheld|stopped|ended|terminated|reduced|withdrawn|"
    r"stops|ends|ceases)\s+(?:unless|until|if|pending|while|as\s+long\s+as|so\s+long\s+as)\b"
    r"|\b(?:exclu\w*|expel\w*|suspend\w*)\s+(?:\S+\s+){0,3}?from\s+(?:the\s+)?(?:\S+\s+){0,2}?(?:forum|council|organi[sz]ation|"
    r"meetings?|summit|union|league|body|bloc|group)\b",
    re.IGNORECASE,
)
_REVERSAL = re.compile(
    r"\b(?:lift\w*|eas\w*|end\w*|revers\w*|drop\w*|scrap\w*|remov\w*|unfreez\w*|restor\w*)\s*$", re.I
)
# A text that says the analysis was made.
_ASSESSED = words(
    r"do[\s-]+no[\s-]+harm|harm\s+(?:analysis|assessment)|impact\s+on\s+(?:humanitarian|civilians)"
)


def _assessed_in(text: str, v: Voice) -> bool:
    """Whether a text says, in its own voice, that a do-no-harm analysis was made."""
    return any(
        asserted(sentence, m.start(), m.end(), v)
        for sentence in clauses(text)
        for m in _ASSESSED.finditer(sentence)
    )


def _punitive_tool(lev: Leverage, v: Voice | None = None) -> bool:
    """A leverage tool that punishes: of a punitive kind (not a suspension of fees or tariffs),
    or of another kind whose own words impose a measure ("incentive: aid cut unless ...")."""
    if lev.status == "lifted":
        return False
    if lev.kind not in _PUNITIVE:
        return v is not None and bool(lev.description) and bool(measures(lev.description, v))
    if lev.kind == "suspension" and lev.description:
        m = _SUSPEND.search(lev.description)
        if m and _BURDEN.search(lev.description[m.end() : m.end() + 60]):
            return False
    return True


def measures(text: str, v: Voice) -> list[str]:
    """Sentences in which the track itself imposes a punitive measure."""
    out: list[str] = []
    for sentence in clauses(text):
        if any(asserted(sentence, m.start(), m.end(), v) for m in _ASSESSED.finditer(sentence)):
            continue
        for m in _MEASURE.finditer(sentence):
            if _REVERSAL.search(" ".join(sentence[: m.start()].split()[-3:]) + " "):
                continue
            if acted_by_other(sentence, m.start(), v) or not asserted(sentence, m.start(), m.end(), v):
                continue
            out.append(sentence)
            break
    return out


def _tools_finding(snapshot: Snapshot, i: Initiative, v: Voice) -> Finding | None:
    tools = [lev for lev in i.leverage if _punitive_tool(lev, v)]
    unassessed = [
        lev for lev in tools if not lev.do_no_harm_assessment and not _assessed_in(lev.description, v)
    ]
    prose: list[str] = []
    if not tools:
        # A measure the prose imposes and no tool records has no assessment to point to.
        texts = [("title", i.title), ("description", i.description)]
        texts += [(f"aim {n + 1}", a) for n, a in enumerate(i.aims)]
        texts += [(f"objective {n + 1}", o) for n, o in enumerate(i.objectives)]
        prose = [f'{where}: "{excerpt(h)}"' for where, text in texts for h in measures(text, v)]
    if not unassessed and not prose:
        return None
    # An active measure already bites; a proposed one can still be assessed first.
    severities: list[Severity] = ["high" if lev.status == "active" else "medium" for lev in unassessed] or [
        "medium" if i.status == "draft" else "high"
    ]
    kinds = ", ".join(sorted({lev.kind for lev in unassessed})) or "in its own words"
    return make(
        ID,
        WORDS,
        "punitive_leverage_without_do_no_harm",
        [i.key],
        worst(severities),
        f"Track {label(i)} has punitive leverage ({kinds}) with no do-no-harm assessment.",
        [
            *(
                f"{lev.kind} ({lev.status}), no do-no-harm assessment"
                + (f': "{excerpt(lev.description)}"' if lev.description else "")
                for lev in unassessed
            ),
            *(f"{p}; no leverage tool records the measure or its assessment" for p in prose),
        ],
        "Assess the measure's effect on humanitarian responses, local access agreements and "
        "civilians before it goes further, and record the assessment on the leverage tool.",
        [i.key],
    )


def run(snapshot: Snapshot) -> list[Finding]:
    """Tracks with punitive leverage, proposed or active, and no do-no-harm assessment."""
    findings: list[Finding] = []
    for i in planned_or_running_tracks(snapshot):
        v = voice(snapshot, i)
        if (f := _tools_finding(snapshot, i, v)) is not None:
            findings.append(f)
        if any(_punitive_tool(lev, v) for lev in i.leverage):
            continue  # the tools are judged; a decision acting on them is theirs
        for d in current_decisions(snapshot, i.key):
            hits = measures(d.text, v)
            if not hits:
                continue
            name = decision_label(d)
            findings.append(
                make(
                    ID,
                    WORDS,
                    "punitive_leverage_without_do_no_harm",
                    [i.key, d.key],
                    "high",
                    f"{name[0].upper()}{name[1:]} on track {label(i)} imposes a punitive measure with no "
                    "do-no-harm assessment.",
                    [f'{name}: "{excerpt(h)}"' for h in hits] + ["no leverage tool records the measure"],
                    "Assess the measure's effect on humanitarian responses, local access agreements and "
                    "civilians, and record it as a leverage tool with its assessment.",
                    [i.key],
                )
            )
    return findings
