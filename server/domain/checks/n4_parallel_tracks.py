"""Don't #4: parallel, uncoordinated tracks on the same crisis, and forum shopping.

The search and the scores live in `server.domain.overlap`; this module words the findings.
A pair is two tracks of different owners on the same crisis, parties and question,
live at the same time (running, or drafted to run) and not linked as coordinated.
Forum shopping is a party engaged by several such tracks, parallel with one another.
Two tracks that overlap may belong to governments that do not share them with each
other, so every finding also carries, for each of its tracks, a view that names only
the other organisations and the crisis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from server.domain.overlap import ForumGroup, OverlapIndex, PairScore, bulk
from server.domain.snapshot import Finding, FindingView, Snapshot

ID = "N4"
TITLE = "Don't initiate parallel and uncoordinated diplomatic processes"
WORDS = (
    "A proliferation of parallel diplomatic initiatives can create fragmented approaches to "
    "solutions that can weaken the humanitarian outcomes. Where multiple states or coalitions "
    "pursue parallel uncoordinated initiatives, conflict parties can exploit differences in "
    "negotiating approaches, concessions, and messaging to advance their own interests. This "
    "practice is sometimes referred to as “forum shopping”, when parties selectively engage with "
    "diverse initiatives without participating meaningfully."
)

PAIR_KIND = "parallel_tracks"
FORUM_KIND = "forum_shopping"


def run(snapshot: Snapshot) -> list[Finding]:
    """Overlapping pairs and forum shopping over the snapshot (or touching its focus)."""
    index = OverlapIndex.from_snapshot(snapshot)
    return findings(index, snapshot.focus, snapshot.settings.forum_shopping_min_tracks)


def findings(index: OverlapIndex, focus: Iterable[str] | None = None, min_tracks: int = 3) -> list[Finding]:
    """The findings an index holds: the entry point for a worker that keeps its index."""
    with bulk():
        pairs = index.pairs(focus)
        out: list[Finding] = []
        # In slices, each slice's explanation data computed in one batch.
        for s in range(0, len(pairs), 2000):
            part = pairs[s : s + 2000]
            index.explained.prefetch([index.records[k] for p in part for k in (p.a, p.b)])
            out += [pair_finding(index, p) for p in part]
        out += [forum_finding(index, g) for g in index.forum_groups(min_tracks, focus)]
        return sorted(out, key=lambda f: (f.kind, f.subjects))


def _org(index: OverlapIndex, key: str) -> str:
    return index.names.organisations.get(key, key)


def _crisis(index: OverlapIndex, track: str) -> str:
    crisis = index.records[track].crisis
    return index.names.crises.get(crisis, crisis)


def _span(start: dt.date | None, end: dt.date | None) -> str:
    return f"{start.isoformat() if start else 'open start'} to {end.isoformat() if end else 'open end'}"


def pair_finding(index: OverlapIndex, p: PairScore) -> Finding:
    """The finding for two overlapping tracks, with a content-free view for each owner."""
    ra, rb = index.records[p.a], index.records[p.b]
    shared = sorted(index.names.parties.get(k, k) for k in ra.parties & rb.parties)
    start, end = index.overlap_dates(p.a, p.b)
    phrases = index.matched_phrases(p.a, p.b)
    crisis = _crisis(index, p.a)
    evidence = [
        f"‘{ra.title}’ of {_org(index, ra.owner)} and ‘{rb.title}’ of "
        f"{_org(index, rb.owner)}, {ra.kind} and {rb.kind}, are not linked as coordinated",
        "shared parties: " + (", ".join(shared) if shared else "none recorded on one side"),
        f"both running: {_span(start, end)}",
    ]
    if phrases:
        evidence.append("matching: " + "; ".join(phrases))
    evidence.append(
        f"overlap score {p.score:.2f} (parties {p.party:.2f}, meaning of title, aims and objectives "
        f"{p.meaning:.2f}, dates {p.time:.2f}, kinds ×{p.kind_factor:.2f})"
    )
    message = (
        f"Tracks ‘{ra.title}’ and ‘{rb.title}’ look like parallel processes on {crisis}: "
        f"{_org(index, ra.owner)} and {_org(index, rb.owner)} engage "
        f"{', '.join(shared) if shared else 'the same crisis'} on similar aims, at the same time, "
        "without coordination."
    )
    remedy = (
        "Link the two tracks as coordinated, merge them into one, or record on each why they "
        "must stay separate."
    )
    views = {mine: _pair_view(index, mine, theirs) for mine, theirs in ((p.a, p.b), (p.b, p.a))}
    return Finding(
        principle=ID,
        kind=PAIR_KIND,
        subjects=(p.a, p.b),
        severity="high" if p.severity == "high" else "medium",
        message=message,
        evidence=tuple(evidence),
        remedy=remedy,
        words=WORDS,
        initiatives=(p.a, p.b),
        views=views,
    )


def _pair_view(index: OverlapIndex, mine: str, theirs: str) -> FindingView:
    # Only the other organisation's name and this track's own crisis: the other track's
    # title, parties, aims and dates stay with those it was shared with.
    other = _org(index, index.records[theirs].owner)
    crisis = _crisis(index, mine)
    return FindingView(
        message=(
            f"Your track ‘{index.records[mine].title}’ on {crisis} may run in parallel with a track of {other} "
            "that is not coordinated with it."
        ),
        evidence=(f"organisation: {other}", f"crisis: {crisis}"),
        remedy=(
            f"Request coordination with {other}: once both sides agree, link the tracks as "
            "coordinated, merge them, or record why they are separate."
        ),
    )


def forum_finding(index: OverlapIndex, g: ForumGroup) -> Finding:
    """The one finding about a party engaged at once, on one question, by several uncoordinated tracks."""
    party = index.names.parties.get(g.party, g.party)
    owner_of = {k: index.records[k].owner for k in g.tracks}
    names = {o: _org(index, o) for o in set(owner_of.values())}
    owners = sorted(set(names.values()))
    evidence = tuple(
        f"‘{index.records[k].title}’ of {names[owner_of[k]]}, "
        f"{_span(index.records[k].start, index.records[k].end)}"
        for k in g.tracks
    )
    # What a view says besides its own track depends only on its owner and crisis.
    shared: dict[tuple[str, str], tuple[str, FindingView]] = {}
    views: dict[str, FindingView] = {}
    for k in g.tracks:
        me, crisis = owner_of[k], _crisis(index, k)
        if (me, crisis) not in shared:
            shared[me, crisis] = _forum_view(crisis, sorted({n for o, n in names.items() if o != me}))
        head, view = shared[me, crisis]
        views[k] = replace(view, message=f"A party your track ‘{index.records[k].title}’ on {crisis} {head}")
    return Finding(
        principle=ID,
        kind=FORUM_KIND,
        subjects=(g.party,),
        severity="high" if len(owners) >= 4 else "medium",
        message=(
            f"{party} is engaged at the same time, on the same question, by {len(g.tracks)} "
            f"uncoordinated tracks of {len(owners)} organisations ({', '.join(owners)}): room for "
            "forum shopping."
        ),
        evidence=evidence,
        remedy=(
            "Agree one lead track or a coordination mechanism among the owners, and link the "
            "tracks as coordinated."
        ),
        words=WORDS,
        initiatives=g.tracks,
        views=views,
    )


def _forum_view(crisis: str, others: list[str]) -> tuple[str, FindingView]:
    """The end of a forum view's message, and the view for one owner on one crisis.

    The party is not named: that another organisation engages it is the other track's
    content. The viewer knows their own track's parties."""
    head = (
        f"engages is also engaged at the same time, on the same question, by uncoordinated tracks of "
        f"{', '.join(others)}: "
        "room for forum shopping."
    )
    view = FindingView(
        message="",
        evidence=tuple(f"organisation: {o}" for o in others) + (f"crisis: {crisis}",),
        remedy=f"Request coordination with {', '.join(others)} and agree one lead track.",
    )
    return head, view
