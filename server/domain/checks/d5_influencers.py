"""D5: work with those who can influence parties to the conflict.

Every party a running track targets should have at least one interlocutor mapped in the
workspace as having influence over it. Non-state parties weigh more: they are the ones
the paper finds least reachable through traditional channels.

The gap is the party's, not a track's: the workspace maps no one with influence over
it. So one alert stands per party, concerning every running track that targets it
(its fingerprint does not change as tracks come and go); a reader who sees only some
of those tracks is told of their own track alone.
"""

from __future__ import annotations

from collections import defaultdict

from server.domain.checks._common import label, make
from server.domain.snapshot import Finding, FindingView, Initiative, Snapshot

ID = "D5"
TITLE = "Work with those who can influence parties to the conflict"
WORDS = (
    "Diplomatic initiatives must identify and engage the interlocutors who can influence the parties "
    "whose behaviour most directly affects humanitarian outcomes."
)

_PARTY_KIND = {
    "state": "state",
    "armed_group": "non-state armed group",
    "de_facto_authority": "de facto authority",
}


def run(snapshot: Snapshot) -> list[Finding]:
    """Parties targeted by a running track with no interlocutor mapped who influences them."""
    targeting: dict[str, list[Initiative]] = defaultdict(list)
    # Every running track counts, in focus or not: the alert concerns them all, and a
    # focused run must give it the same tracks as the sweep.
    for i in snapshot.ws.initiatives:
        if snapshot.is_running(i):
            for party_key in sorted(set(i.parties)):
                targeting[party_key].append(i)
    findings: list[Finding] = []
    for party_key, tracks in sorted(targeting.items()):
        if snapshot.influencers.get(party_key) or not snapshot.in_focus(*(i.key for i in tracks)):
            continue
        party = snapshot.parties[party_key]
        kind = _PARTY_KIND[party.kind]
        names = ", ".join(label(i) for i in tracks)
        remedy = (
            f"Identify the states, leaders or networks with influence over {party.name}, record "
            "them as interlocutors, and engage them."
        )
        gap = f"no interlocutor in the workspace is recorded as influencing {party.name}"
        findings.append(
            make(
                ID,
                WORDS,
                "no_interlocutor",
                [party_key],
                "low" if party.kind == "state" else "medium",
                (
                    f"{party.name} is targeted by {'track' if len(tracks) == 1 else 'tracks'} {names} "
                    "with no interlocutor mapped who influences it."
                ),
                [f"{party.name} is a {kind}, a party to {names}", gap],
                remedy,
                [i.key for i in tracks],
            )
        )
        findings[-1].views.update(
            {
                i.key: FindingView(
                    f"Track {label(i)} targets {party.name} with no interlocutor mapped who influences it.",
                    (f"{party.name} is a {kind} and a party to {label(i)}", gap),
                    remedy,
                )
                for i in tracks
            }
        )
    return findings
