"""N2: don't initiate diplomatic disengagement without considering humanitarian impact.

Disengagement shows in four places: a decision of kind `disengagement`; a suspension
among the leverage tools that cuts contact (not a suspension of trade preferences or
fees, which is punitive leverage and N5's); a decision whose text severs relations,
suspends contacts or sets a no-contact policy; and a track whose own prose plans it
("no dealings with the Council by any ally", "persuade partners to shun it"). Any of
them on a track without a humanitarian impact assessment raises an alert; the
assessment counts when the track records it, or when the track's description or the
decision says in its own words that the impact was assessed ("impact on camp access was
assessed with the agencies"; not "no impact assessment was made"). Drafts are
judged: the paper asks for the analysis before the disengagement, and a plan is the
time for it.

The prose is read for meaning (`_prose`): disengagement in its many forms ("freeze
diplomatic ties", "terminate the channel", "engagement with the militia is to cease",
"expel their diplomats"), but not its reversal ("restore relations", "lift the
no-contact policy"), its denial ("we will not sever relations"), a pause of our own
operations that keeps the channel open, or another state's disengagement reported
("we note that Sundar broke off relations").
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
from server.domain.checks._prose import Voice, acted_by_other, asserted, clauses, reported, words
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
    r"political|further|formal|informal|remaining|working-level|ministerial|existing|regular|"
    r"(?-i:[A-Z])[\w'’-]+|interfaith|back|mediation|liaison|humanitarian|technical))*\s+"
)
_CONTACT = (
    r"(?:contacts?|relations|ties|dialogue|engagement|talks|communications?|channels?|dealings|representation|"
    r"diplomatic\s+presence|cooperation\s+with|meetings\s+with|exchanges\s+with)"
)
_CUT = (
    r"(?:sever\w*|break\w*\s+off|broke\s+off|cut\w*(?:\s+off)?|freez\w*|froze|suspend\w*|halt\w*|"
    r"terminat\w*|downgrad\w*|end(?:s|ed|ing)?|stop\w*|cease\w*|discontinu\w*|withdraw\w*\s+from|"
    r"pull\w*\s+out\s+of|walk\w*\s+out\s+of|abandon\w*|close\w*\s+(?:down\s+)?)"
)
_DISENGAGE = re.compile(
    rf"\b{_CUT}{_QUALIFIERS}{_CONTACT}\b"
    rf"|\b(?:severance|suspension|freeze|termination|downgrading|rupture|breaking\s+off|end|cessation)\s+of"
    rf"{_QUALIFIERS}{_CONTACT}\b"
    # the passive: "engagement with the militia is to cease", "dialogue frozen"
    rf"|\b{_CONTACT}(?:\s+(?:with|to)\s+(?:[\w'’-]+\s+){{0,4}}?)?\s*(?:is|are|will|shall|must|to)?\s*(?:be\s+)?"
    r"(?:to\s+)?(?:cease[sd]?|end(?:s|ed)?|stop(?:s|ped)?|frozen|suspended|severed|cut(?:\s+off)?|halted|terminated|"
    r"broken\s+off|discontinued|downgraded|closed)\b"
    r"|\bno[\s-]+(?:contacts?|dealings|engagement|relations|talks|dialogue)\b"
    r"|\b(?:shun\w*|boycott\w*|ostraci[sz]\w*|blacklist\w*|cold-shoulder\w*|isolat(?:e|es|ing))\b"
    r"|\bdiplomatic(?:ally)?\s+isolat\w*"
    r"|\b(?:recall\w*|withdraw\w*|expel\w*|pull\w*\s+out)\s+(?:\S+\s+){0,2}?(?:ambassadors?|envoys?|diplomats?|chargés?|"
    r"(?:embassy|mission|diplomatic|consular)\s+(?:staff|personnel))\b"
    r"|\bclos\w*\s+(?:\S+\s+){0,2}?(?:embassy|embassies|mission|consulates?|liaison\s+office)\b"
    r"|\bdeclar\w*\s+(?:\S+\s+){0,3}?persona\s+non\s+grata\b",
    re.IGNORECASE,
)
# Words that undo a disengagement rather than start one.
_REVERSAL = re.compile(
    r"\b(?:lift\w*|end\w*|revers\w*|drop\w*|scrap\w*|resum\w*|restor\w*|reopen\w*|review\w*|"
    r"reconsider\w*|rescind\w*|revok\w*|reverse\w*|undo\w*|instead\s+of)\b",
    re.IGNORECASE,
)
# Re-engagement: what a decision filed under "disengagement" may in fact do.
_RESTORES = re.compile(
    rf"\b(?:restor\w*|resum\w*|re-?establish\w*|reopen\w*|normali[sz]\w*|renew\w*)"
    rf"(?:\s+[\w'’-]+){{0,3}}?\s+(?:{_CONTACT}|embassy|embassies|mission)"
    r"|\b(?:lift\w*|end(?:s|ed|ing)?|scrap\w*|drop\w*)\s+(?:the\s+|our\s+|its\s+)?(?:[\w'’-]+\s+)?"
    r"(?:no[\s-]+contact\s+polic\w*|suspension|freeze|boycott|isolation)",
    re.IGNORECASE,
)
# A suspension tool whose object is not contact: trade preferences, fees, programmes.
_CONTACT_WORD = words(rf"(?:{_CONTACT}|diplomat\w*|embass\w*|envoys?|ambassadors?|visits?)")


# A text that says the humanitarian consequences were weighed.
_WEIGHED = words(
    r"(?:(?:humanitarian\s+)?impact\s+(?:assessment|analysis)|assess\w*\s+(?:the\s+)?(?:humanitarian\s+)?"
    r"(?:impact|consequences|effects?)|(?:consequences|impact|effects?)\s+(?:for|on)\s+(?:the\s+)?humanitarian\w*|"
    r"(?:analys\w*|weigh\w*|review\w*|consider\w*)\s+(?:the\s+)?(?:humanitarian\s+)?(?:consequences|impact|effects?))"
)


def weighed(text: str, v: Voice) -> bool:
    """Whether a text says, in its own voice, that the humanitarian impact was assessed."""
    return any(
        asserted(sentence, m.start(), m.end(), v)
        for sentence in clauses(text)
        for m in _WEIGHED.finditer(sentence)
    )


# Refusing contact says its own "no": read for who says it, not for a negation.
_REFUSE = re.compile(
    r"\b(?:no\s+longer|cease\s+to|stop|stops|stopped|refuse\w*\s+to|will\s+not|won't|shall\s+not|not\s+to|never\s+again)\s+"
    r"(?:engag\w*|deal\w*|talk\w*|meet\w*|speak\w*|communicat\w*|liais\w*)\s+(?:directly\s+)?with\b",
    re.IGNORECASE,
)


def disengages(text: str, v: Voice) -> list[str]:
    """The sentences of a text in which the track itself cuts contact."""
    out: list[str] = []
    for sentence in clauses(text):
        refusal = next(
            (
                m
                for m in _REFUSE.finditer(sentence)
                if not re.search(r"\b(?:not|never|n't)\b", " ".join(sentence[: m.start()].split()[-3:]))
                and not acted_by_other(sentence, m.start(), v)
                and not reported(sentence, m.start(), v)
                and not _REVERSAL.search(" ".join(sentence[: m.start()].split()[-3:]))
            ),
            None,
        )
        if refusal is not None:
            out.append(sentence)
            continue
        for m in _DISENGAGE.finditer(sentence):
            lead = " ".join(sentence[: m.start()].split()[-4:])
            if _REVERSAL.search(lead) or _REVERSAL.match(m.group(0)):
                continue
            if acted_by_other(sentence, m.start(), v) or not asserted(sentence, m.start(), m.end(), v):
                continue
            out.append(sentence)
            break
    return out


def _remedy(i: Initiative) -> str:
    return (
        f"Assess the humanitarian impact of disengaging on track {label(i)} (backing for humanitarian "
        "negotiators, access, who fills the vacuum) and record it, or keep the channel open."
    )


def _track_finding(snapshot: Snapshot, i: Initiative, v: Voice) -> Finding | None:
    suspensions = [
        lev
        for lev in i.leverage
        if lev.status != "lifted"
        and (
            (lev.kind == "suspension" and (not lev.description or _CONTACT_WORD.search(lev.description)))
            or bool(lev.description and disengages(lev.description, v))
        )
    ]
    prose = [
        f'{where}: "{excerpt(h)}"'
        for where, text in [("title", i.title), ("description", i.description)]
        + [(f"aim {n + 1}", a) for n, a in enumerate(i.aims)]
        + [(f"objective {n + 1}", o) for n, o in enumerate(i.objectives)]
        for h in disengages(text, v)
    ]
    if not suspensions and not prose:
        return None
    # A suspension still on the table can be assessed first; an active one already cut the line.
    severities: list[Severity] = ["high" if lev.status == "active" else "medium" for lev in suspensions] or [
        "high" if i.status != "draft" else "medium"
    ]
    return make(
        ID,
        WORDS,
        "disengagement_without_impact_assessment",
        [i.key],
        worst(severities),
        f"Track {label(i)} {'plans to disengage' if i.status == 'draft' else 'disengages'} with no humanitarian "
        "impact assessment.",
        [
            *(
                f"suspension ({lev.status})" + (f': "{excerpt(lev.description)}"' if lev.description else "")
                for lev in suspensions
            ),
            *prose,
            "humanitarian impact assessment: no",
        ],
        _remedy(i),
        [i.key],
    )


def run(snapshot: Snapshot) -> list[Finding]:
    """Tracks that disengage from a party, or plan to, with no humanitarian impact assessment."""
    findings: list[Finding] = []
    for i in planned_or_running_tracks(snapshot):
        if i.impact_assessment:
            continue
        v = voice(snapshot, i)
        if weighed(i.description, v):
            continue  # the track records the assessment in its own words
        if (f := _track_finding(snapshot, i, v)) is not None:
            findings.append(f)
        for d in current_decisions(snapshot, i.key):
            hits = disengages(d.text, v)
            if (d.kind != "disengagement" and not hits) or weighed(d.text, v):
                continue
            if not hits and _RESTORES.search(d.text):
                continue  # filed as a disengagement decision, but its words re-engage
            name = decision_label(d)
            findings.append(
                make(
                    ID,
                    WORDS,
                    "disengagement_without_impact_assessment",
                    [i.key, d.key],
                    "high",
                    f"{name[0].upper()}{name[1:]} on track {label(i)} disengages with no humanitarian impact "
                    "assessment.",
                    [f'{name}, of kind {d.kind}: "{excerpt(d.text)}"', "humanitarian impact assessment: no"],
                    _remedy(i),
                    [i.key],
                )
            )
    return findings
