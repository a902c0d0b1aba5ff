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
("we note that Sundar broke off relations"). Other words count too ("contacts will be
wound down", "talks are off", "not to meet Authority representatives", "the liaison
office will be shut", "the channel will be allowed to lapse"); a meeting that merely
ended ("talks ended without agreement") or a refusal about a thing ("we will not meet
the deadline") does not. A decision that disengages carries the track's own prose and
tools about it: one act, one alert.
"""

from __future__ import annotations

import re
from dataclasses import replace

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
    r"(?:sever\w*|break\w*(?:\s+off)?|broke(?:\s+off)?|cut\w*(?:\s+off)?|freez\w*|froze|suspend\w*|halt\w*|"
    r"wind\w*\s+down|wound\s+down|bar|bars|barred|barring|ban|bans|banned|banning|"
    r"terminat\w*|downgrad\w*|end(?:s|ed|ing)?|stop\w*|cease\w*|discontinu\w*|withdraw\w*\s+from|"
    r"pull\w*\s+out\s+of|walk\w*\s+out\s+of|abandon\w*|close\w*\s+(?:down\s+)?)"
)
_DISENGAGE = re.compile(
    rf"\b{_CUT}{_QUALIFIERS}{_CONTACT}\b"
    rf"|\b(?:severance|suspension|freeze|termination|downgrading|rupture|breaking\s+off|end|cessation)\s+of"
    rf"{_QUALIFIERS}{_CONTACT}\b"
    # the passive: "engagement with the militia is to cease", "dialogue frozen"
    rf"|\b{_CONTACT}(?:\s+(?:with|to)\s+(?:[\w'’-]+\s+){{0,4}}?)?\s*(?:is|are|will|shall|must|to)?\s*(?:be\s+)?"
    r"(?:to\s+)?(?:cease[sd]?|stop(?:s|ped)?|frozen|suspended|severed|cut(?:\s+off)?|halted|terminated|"
    r"broken\s+off|discontinued|downgraded|closed|wound\s+down|barred|banned|off)\b"
    # "ended" alone tells of a meeting that closed; "is to end" is a decision to stop
    rf"|\b{_CONTACT}(?:\s+(?:with|to)\s+(?:[\w'’-]+\s+){{0,4}}?)?\s*(?:is|are|will|shall|must)\s+(?:to\s+)?end\b"
    rf"|\b{_CONTACT}\s+(?:\S+\s+){{0,6}}?(?:allowed|left|let)\s+(?:to\s+)?(?:lapse|wither|die)\b"
    r"|\bdowngrad\w*\s+(?:\S+\s+){0,2}?(?:presence|representation|mission|embassy)\b"
    r"|\bpull\w*\s+(?:\S+\s+){0,2}?(?:ambassadors?|envoys?|diplomats?|embassy\s+staff)\s+out\b"
    r"|\b(?:shut\w*|clos\w*)\s+(?:down\s+)?(?:\S+\s+){0,2}?(?:embassy|embassies|mission|consulates?|liaison\s+office)\b"
    r"|\b(?:embassy|mission|consulate|liaison\s+office)\s+(?:in\s+\S+\s+)?(?:will|is\s+to|are\s+to|to)\s+be\s+(?:shut|closed)\b"
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
    r"(?:(?:engag\w*|deal\w*|talk\w*|meet\w*|speak\w*|communicat\w*|liais\w*)\s+(?:directly\s+)?with\b"
    r"|(?:meet|receive|host|see|talk\s+to|speak\s+to)\s+(?:the\s+|any\s+|its\s+|their\s+)?\S+)"
    r"|\b(?:have|has|having)\s+nothing\s+(?:further\s+|more\s+)?to\s+do\s+with\b",
    re.IGNORECASE,
)


_COUNTERPART = words(
    r"(?:officials?|representatives?|delegat\w*|envoys?|emissar\w*|commanders?|leaders?|leadership|ministers?|"
    r"counterparts?|negotiators?|interlocutors?|chiefs?|governors?)"
)


def _refuses_someone(sentence: str, m: re.Match[str], v: Voice) -> bool:
    """Whether a refusal to meet or receive is about people ("not to meet Authority representatives"),
    not a thing ("we will not meet the deadline"). A refusal to deal *with* someone always is."""
    if re.search(r"\bwith\b|nothing", m.group(0), re.IGNORECASE):
        return True
    ahead = " ".join(sentence[m.end() - len(m.group(0).split()[-1]) :].split()[:4])
    return bool(_COUNTERPART.search(ahead)) or any(
        re.search(rf"\b{re.escape(n)}\b", ahead, re.IGNORECASE) for n in v.others_names
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
                and _refuses_someone(sentence, m, v)
            ),
            None,
        )
        if refusal is not None:
            out.append(sentence)
            continue
        for m in _DISENGAGE.finditer(sentence):
            lead = " ".join(sentence[: m.start()].split()[-4:])
            if _REVERSAL.search(lead):
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
        own = _track_finding(snapshot, i, v)
        decided: list[Finding] = []
        for d in current_decisions(snapshot, i.key):
            hits = disengages(d.text, v)
            if (d.kind != "disengagement" and not hits) or weighed(d.text, v):
                continue
            if not hits and _RESTORES.search(d.text):
                continue  # filed as a disengagement decision, but its words re-engage
            name = decision_label(d)
            decided.append(
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
        if own is not None and decided:
            # The decision is the act the track's prose and tools describe: one alert, with both.
            first = decided[0]
            decided[0] = replace(first, evidence=tuple(dict.fromkeys((*first.evidence, *own.evidence))))
        elif own is not None:
            decided.append(own)
        findings.extend(decided)
    return findings
