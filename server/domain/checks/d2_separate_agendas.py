"""D2: keep humanitarian objectives separate from political and military agendas.

Three things entangle them: a humanitarian track that waits on a political, security or
economic track (directly or through other tracks); aid offered as a leverage tool on a
non-humanitarian track; and any text of a track that trades aid or access for a
political concession. Trading access for a ceasefire is left to N1, which owns that
framing, so that one sentence does not raise the same alert twice.
"""

from __future__ import annotations

import re

from server.domain.checks._common import (
    excerpt,
    find_phrases,
    label,
    make,
    running_tracks,
    track_texts,
    worst,
)
from server.domain.snapshot import Finding, Initiative, Severity, Snapshot

ID = "D2"
TITLE = "Keep humanitarian objectives separate from political and military agendas"
WORDS = (
    "To mitigate these risks, it is essential to have formal and visible separation between "
    "humanitarian, political, military and economic tracks. This prevents humanitarian issues from "
    "being traded against political concessions and clearly signals to all parties that humanitarian "
    "issues will be treated on their own terms."
)

_AGENDAS = ("political", "security", "economic")

_AID = (
    r"(?:aid|assistance|relief|access|food|medical\s+supplies|medicines?|convoys?|deliveries|"
    r"supplies|fuel|vaccines?|shelter|cash\s+transfers?)"
)
_CONNECTOR = (
    r"(?:in\s+exchange\s+for|in\s+return\s+for|as\s+a\s+reward\s+for|conditional\s+(?:on|upon)|"
    r"conditioned\s+(?:on|upon)|contingent\s+(?:on|upon)|dependent\s+(?:on|upon)|tied\s+to|"
    r"only\s+(?:if|after|once|when)|if|once|as\s+soon\s+as|provided\s+that|on\s+condition\s+that|traded\s+(?:for|against))"
)
# Concessions a party or a state makes on the political, military or economic plane.
# Ceasefires, truces and pauses are N1's.
_CONCESSION = (
    r"(?:(?:political|military|territorial|economic)\s+(?:concessions?|gains?|demands?)|concessions?|"
    r"recogni(?:tion|[sz]\w*)|normali[sz]\w*|prisoners?|"
    r"withdraw\w*\s+(?:of\s+)?(?:its\s+|their\s+|the\s+)?(?:from|forces|fighters|units|militias?)|hostages?|detainees?|"
    r"elections?|peace\s+talks|negotiations|sanctions\s+relief|lifting\s+(?:of\s+)?(?:the\s+)?sanctions|"
    r"disarmament|demobili[sz]ation|surrender|territor(?:y|ies)|troops?|military\s+bases?|basing\s+rights|"
    r"votes?|political\s+support|counter-?terrorism\s+cooperation|border\s+control|migration\s+control|"
    r"trade\s+deal|mining\s+rights|oil\s+rights)"
)
_GAP = r"[^.;]{0,80}?"
_TRADE = re.compile(
    rf"\b{_AID}\b{_GAP}\b{_CONNECTOR}\b{_GAP}\b{_CONCESSION}\b"
    rf"|\b{_CONCESSION}\b{_GAP}\b(?:in\s+exchange\s+for|in\s+return\s+for)\b{_GAP}\b{_AID}\b"
    rf"|\b(?:trade|trades|traded|trading|swap|swaps|swapped|barter\w*)\b{_GAP}\b{_AID}\b\s+"
    rf"(?:for|against)\b{_GAP}\b{_CONCESSION}\b"
    rf"|\b{_AID}\b\s+as\s+(?:a\s+)?(?:bargaining\s+chip|lever(?:age)?|reward|sweetener)\b",
    re.IGNORECASE,
)


def _dependencies(snapshot: Snapshot, i: Initiative) -> list[tuple[Initiative, list[str]]]:
    """The non-humanitarian tracks a track waits on, each with the chain of keys that leads there.

    The walk goes through humanitarian tracks only: a dependency on a humanitarian track
    that itself waits on a political one entangles this track as well.
    """
    found: list[tuple[Initiative, list[str]]] = []
    seen = {i.key}
    frontier: list[list[str]] = [[i.key]]
    while frontier:
        path = frontier.pop(0)
        here = snapshot.initiatives[path[-1]]
        for key in here.depends_on:
            if key in seen:
                continue
            seen.add(key)
            other = snapshot.initiatives[key]
            if other.kind in _AGENDAS:
                found.append((other, [*path, key]))
            else:
                frontier.append([*path, key])
    return found


def _depends_findings(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    findings: list[Finding] = []
    for other, path in _dependencies(snapshot, i):
        direct = len(path) == 2
        chain = " -> ".join(path)
        findings.append(
            make(
                ID,
                WORDS,
                "depends_on_political_track",
                [i.key, other.key],
                "high" if direct else "medium",
                f"Humanitarian track {label(i)} depends on the {other.kind} track {label(other)}.",
                [
                    f"{i.key} is humanitarian; {other.key} is {other.kind} ({other.status})",
                    f"dependency: {chain}" + ("" if direct else " (through other tracks)"),
                ],
                f"Remove the dependency of {i.key} on {other.key} so the humanitarian aims "
                "stand on their own terms, and coordinate the two tracks instead.",
                [i.key],
            )
        )
    return findings


def _aid_leverage_finding(i: Initiative) -> Finding | None:
    offers = [lev for lev in i.leverage if lev.kind == "aid_offer" and lev.status != "lifted"]
    if not offers:
        return None
    severities: list[Severity] = ["high" if lev.status == "active" else "medium" for lev in offers]
    evidence = [
        f"{i.key} is a {i.kind} track",
        *(
            f"aid offer ({lev.status})" + (f": {excerpt(lev.description)}" if lev.description else "")
            for lev in offers
        ),
    ]
    return make(
        ID,
        WORDS,
        "aid_as_leverage",
        [i.key],
        worst(severities),
        f"The {i.kind} track {label(i)} uses aid as a leverage tool.",
        evidence,
        "Withdraw the aid offer from this track's leverage, or lift it; offer aid through a "
        "humanitarian track on its own terms.",
        [i.key],
    )


def _trade_findings(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    findings: list[Finding] = []
    own: list[str] = []
    for src in track_texts(snapshot, i):
        hits = find_phrases(_TRADE, src.text)
        if not hits:
            continue
        evidence = [f'{src.where}: "{excerpt(h)}"' for h in hits]
        if src.decision is None:
            own.extend(evidence)
            continue
        findings.append(
            make(
                ID,
                WORDS,
                "aid_traded_for_concession",
                [i.key, src.decision],
                "high",
                f"Decision {src.decision} on track {label(i)} trades aid or access for a concession.",
                evidence,
                f"Supersede decision {src.decision} with one that keeps aid and access off the "
                "bargaining table.",
                [i.key],
            )
        )
    if own:
        findings.append(
            make(
                ID,
                WORDS,
                "aid_traded_for_concession",
                [i.key],
                "high",
                f"Track {label(i)} trades aid or access for a concession.",
                own,
                "Reword the track so that aid and access are not offered against political, military "
                "or economic concessions.",
                [i.key],
            )
        )
    return findings


def run(snapshot: Snapshot) -> list[Finding]:
    """Humanitarian tracks entangled with other agendas, and aid offered as a bargaining chip."""
    findings: list[Finding] = []
    for i in running_tracks(snapshot):
        if i.kind == "humanitarian":
            findings.extend(_depends_findings(snapshot, i))
        elif (f := _aid_leverage_finding(i)) is not None:
            findings.append(f)
        findings.extend(_trade_findings(snapshot, i))
    return findings
