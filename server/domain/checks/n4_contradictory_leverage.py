"""N4, contradictory leverage: one party offered a carrot on one track and a stick on another.

The paper's don't #4 (parallel processes let parties exploit "differences in negotiating
approaches, concessions, and messaging") and do #2 (keep the tracks formally apart, and
so agreed): when one owner offers a party an incentive or aid while another owner of
the workspace (another department of the same government, or an allied state or one of
its departments) proposes or applies a sanction, conditionality or suspension on the
same party, at the same time, and the two tracks are not linked as coordinated, the
party reads two messages and can play one against the other.

A tool aims at its `party`, or at every party of its track when it names none; it runs
from its own `start` to its own `end`, or the track's where it names none (an open end
runs on). Lifted tools count for nothing. One finding per pair of tracks and party,
about the two tracks and the party; each owner is told through a view of their own
track (their tool, the party, the crisis and the other organisation), since the two
tracks may not be shared with each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from server.domain.checks._common import excerpt, label
from server.domain.snapshot import Finding, FindingView, Initiative, Leverage, Snapshot

ID = "N4"
TITLE = "Don't initiate parallel and uncoordinated diplomatic processes: contradictory leverage"
WORDS = (
    "Do keep humanitarian objectives separate from political and military agendas [...] it is essential "
    "to have formal and visible separation between humanitarian, political, military and economic tracks. "
    "[...] Don't initiate parallel and uncoordinated diplomatic processes [...] Where multiple states or "
    "coalitions pursue parallel uncoordinated initiatives, conflict parties can exploit differences in "
    "negotiating approaches, concessions, and messaging to advance their own interests."
)

KIND = "contradictory_leverage"
CARROTS = ("incentive", "aid_offer")
STICKS = ("sanction", "conditionality", "suspension")
LIVE = ("proposed", "active")

_KIND_WORDS = {
    "incentive": "an incentive",
    "aid_offer": "an aid offer",
    "sanction": "a sanction",
    "conditionality": "conditionality",
    "suspension": "a suspension",
}


@dataclass(frozen=True)
class Aimed:
    """A live leverage tool aimed at one party, over the days it runs (None: open)."""

    track: Initiative
    tool: Leverage
    number: int
    party: str
    start: dt.date | None
    end: dt.date | None

    @property
    def carrot(self) -> bool:
        return self.tool.kind in CARROTS

    def span(self) -> str:
        start = self.start.isoformat() if self.start else "an open start"
        end = self.end.isoformat() if self.end else "an open end"
        return f"{start} to {end}"

    def verb(self) -> str:
        if self.carrot:
            return "offers" if self.tool.status == "active" else "proposes to offer"
        return "applies" if self.tool.status == "active" else "proposes"

    def describe(self) -> str:
        what = f"{_KIND_WORDS[self.tool.kind]} ({self.tool.status})"
        if self.tool.description:
            what += f", '{excerpt(self.tool.description, 100)}'"
        return what


def aimed_tools(i: Initiative) -> list[Aimed]:
    """The track's live carrots and sticks, one per party each is aimed at."""
    out: list[Aimed] = []
    for n, tool in enumerate(i.leverage):
        if tool.status not in LIVE or tool.kind not in CARROTS + STICKS:
            continue
        start = tool.start or i.start
        end = tool.end or i.end
        for party in [tool.party] if tool.party else sorted(set(i.parties)):
            out.append(Aimed(i, tool, n + 1, party, start, end))
    return out


def overlap(a: Aimed, b: Aimed) -> tuple[dt.date | None, dt.date | None] | None:
    """The days both tools run (inclusive; None on a side for open), or None if they never meet."""
    starts = [d for d in (a.start, b.start) if d is not None]
    ends = [d for d in (a.end, b.end) if d is not None]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    if start is not None and end is not None and end < start:
        return None
    return start, end


def run(snapshot: Snapshot) -> list[Finding]:
    """Every pair of tracks of different owners that pull one party both ways at once, uncoordinated."""
    by_party: dict[str, list[Aimed]] = defaultdict(list)
    for i in snapshot.ws.initiatives:
        for aimed in aimed_tools(i):
            by_party[aimed.party].append(aimed)
    clashes: dict[tuple[str, str, str], list[tuple[Aimed, Aimed, tuple[dt.date | None, dt.date | None]]]] = (
        defaultdict(list)
    )
    for party, tools in sorted(by_party.items()):
        carrots = [t for t in tools if t.carrot]
        sticks = [t for t in tools if not t.carrot]
        for c in carrots:
            for s in sticks:
                if c.track.owner == s.track.owner or c.track.key == s.track.key:
                    continue
                if s.track.key in snapshot.coordinated.get(c.track.key, ()):
                    continue
                if not snapshot.in_focus(c.track.key, s.track.key):
                    continue
                days = overlap(c, s)
                if days is None:
                    continue
                a, b = sorted((c.track.key, s.track.key))
                clashes[a, b, party].append((c, s, days))
    return [_finding(snapshot, party, pairs) for (_, _, party), pairs in sorted(clashes.items())]


def _org(snapshot: Snapshot, key: str) -> str:
    org = snapshot.organisations.get(key)
    return org.name if org else key


def _party(snapshot: Snapshot, key: str) -> str:
    party = snapshot.parties.get(key)
    return party.name if party else key


def _crisis(snapshot: Snapshot, i: Initiative) -> str:
    crisis = snapshot.crises.get(i.crisis)
    return crisis.name if crisis else i.crisis


def _days(days: tuple[dt.date | None, dt.date | None]) -> str:
    start, end = days
    return f"{start.isoformat() if start else 'open start'} to {end.isoformat() if end else 'open end'}"


def _finding(
    snapshot: Snapshot, party: str, pairs: list[tuple[Aimed, Aimed, tuple[dt.date | None, dt.date | None]]]
) -> Finding:
    name = _party(snapshot, party)
    first_carrot, first_stick, _ = pairs[0]
    giver, presser = first_carrot.track, first_stick.track
    message = (
        f"{name} is offered {_KIND_WORDS[first_carrot.tool.kind]} by {_org(snapshot, giver.owner)} on track "
        f"{label(giver)} while {_org(snapshot, presser.owner)} {first_stick.verb()} "
        f"{_KIND_WORDS[first_stick.tool.kind]} on it on track {label(presser)}, at the same time, and the two "
        "tracks are not coordinated: the party hears two messages and can play one against the other."
    )
    evidence: list[str] = []
    # Each track's own clashing tools, for the view its owner reads.
    own: dict[str, list[Aimed]] = {giver.key: [], presser.key: []}
    for carrot, stick, days in pairs:
        evidence.append(
            f"{label(carrot.track)} of {_org(snapshot, carrot.track.owner)}, leverage {carrot.number}: "
            f"{carrot.describe()} for {name}, {carrot.span()}"
        )
        evidence.append(
            f"{label(stick.track)} of {_org(snapshot, stick.track.owner)}, leverage {stick.number}: "
            f"{stick.describe()} on {name}, {stick.span()}"
        )
        evidence.append(f"both run {_days(days)}")
        for tool in (carrot, stick):
            if tool not in own[tool.track.key]:
                own[tool.track.key].append(tool)
    evidence = list(dict.fromkeys(evidence))
    evidence.append(f"{label(giver)} and {label(presser)} are not linked as coordinated")
    remedy = (
        f"Agree one line on {name} between {_org(snapshot, giver.owner)} and {_org(snapshot, presser.owner)}: "
        "link the two tracks as coordinated and sequence the incentive and the pressure, or lift one of them."
    )
    keys = (giver.key, presser.key)
    views = {
        giver.key: _view(snapshot, name, own[giver.key], presser),
        presser.key: _view(snapshot, name, own[presser.key], giver),
    }
    return Finding(
        principle=ID,
        kind=KIND,
        subjects=(*keys, party),
        severity="high",
        message=message,
        evidence=tuple(evidence),
        remedy=remedy,
        words=WORDS,
        initiatives=keys,
        views=views,
    )


def _view(snapshot: Snapshot, party: str, tools: list[Aimed], other: Initiative) -> FindingView:
    """What one owner reads: their own tools, the party, their crisis and the other organisation.

    The other track's title, tools, dates and description stay with those it was shared
    with; that the other organisation pulls the party the other way is the alert itself.
    """
    first = tools[0]
    org = _org(snapshot, other.owner)
    crisis = _crisis(snapshot, first.track)
    lines = tuple(
        f"your leverage {t.number}: {t.describe()}, {'for' if t.carrot else 'on'} {party}" for t in tools
    )
    return FindingView(
        message=(
            f"Your track ‘{first.track.title}’ on {crisis} {first.verb()} {_KIND_WORDS[first.tool.kind]} "
            f"{'to' if first.carrot else 'on'} {party} while a track of {org}, not coordinated with yours, "
            "pulls it the other way at the same time."
        ),
        evidence=(*lines, f"organisation: {org}", f"crisis: {crisis}"),
        remedy=(
            f"Request coordination with {org}: once both sides agree, link the tracks and agree one line "
            f"on {party}."
        ),
    )
