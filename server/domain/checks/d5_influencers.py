"""D5: work with those who can influence parties to the conflict.

Every party a running track targets should have at least one interlocutor mapped in the
workspace as having influence over it. Non-state parties weigh more: they are the ones
the paper finds least reachable through traditional channels.
"""

from __future__ import annotations

from server.domain.checks._common import label, make, running_tracks
from server.domain.snapshot import Finding, Snapshot

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
    findings: list[Finding] = []
    for i in running_tracks(snapshot):
        # A party listed twice on one track is one gap, not two.
        for party_key in sorted(set(i.parties)):
            if snapshot.influencers.get(party_key):
                continue
            party = snapshot.parties[party_key]
            kind = _PARTY_KIND[party.kind]
            findings.append(
                make(
                    ID,
                    WORDS,
                    "no_interlocutor",
                    [i.key, party_key],
                    "low" if party.kind == "state" else "medium",
                    f"Track {label(i)} targets {party.name} with no interlocutor mapped who influences it.",
                    [
                        f"{party.name} ({party_key}) is a {kind} and a party to track {i.key}",
                        f"no interlocutor in the workspace is recorded as influencing {party_key}",
                    ],
                    f"Identify the states, leaders or networks with influence over {party.name}, record "
                    "them as interlocutors, and engage them.",
                    [i.key],
                )
            )
    return findings
