"""How the demo writes a track, and how the tracks of a crisis are coordinated."""

from __future__ import annotations

from typing import Any

from server.demo.world import CRISES, Day


def funding_line(org: str, amount: int, until: int | None, dedicated: bool = True) -> dict[str, Any]:
    return {
        "kind": "funding",
        "amount": amount,
        "currency": "EUR",
        "until": None if until is None else Day(until),
        "dedicated": dedicated,
        "org": org,
    }


def staff_line(org: str, until: int | None, fte: float = 1.0, dedicated: bool = True) -> dict[str, Any]:
    return {"org": org, "fte": fte, "until": None if until is None else Day(until), "dedicated": dedicated}


def outcome(name: str, target: str) -> dict[str, Any]:
    return {"name": name, "kind": "outcome", "target": target}


def measured(key: str, metric: dict[str, Any], start: int, end: int | None) -> dict[str, Any]:
    """An outcome metric with its baseline at the track's start and a value at the end of every
    month since, moving steadily toward its target: a track run well is measured and improves.

    The figures are drawn from the track's key, so the demo is the same for the same day."""
    if metric.get("kind") != "outcome" or "actuals" in metric or start > -30:
        return metric
    seed = sum(ord(c) * (n + 1) for n, c in enumerate(key + metric["name"]))
    base, step = 4 + seed % 17, 1 + seed % 3
    last = -1 if end is None else min(end, -1)
    days = list(range(start + 30, last + 1, 30))
    months = max(1, ((end if end is not None else 180) - start) // 30)
    out = dict(metric)
    out["baseline"] = {"date": Day(start), "value": base}
    out["target_value"] = base + step * months
    if end is not None:
        out["target_date"] = Day(end)
    out["actuals"] = [{"date": Day(d), "value": base + step * (n + 1)} for n, d in enumerate(days)]
    return out


def output(name: str) -> dict[str, Any]:
    return {"name": name, "kind": "output"}


def symbolic(name: str) -> dict[str, Any]:
    return {"name": name, "kind": "symbolic"}


def red_line(text: str, trigger: str | None = "pause", internal: bool = False) -> dict[str, Any]:
    line: dict[str, Any] = {"text": text, "trigger": trigger}
    if internal:
        line["internal"] = True
    return line


def to_government(government: str, level: str = "view") -> dict[str, Any]:
    return {"government": government, "level": level}


def to_org(org: str, level: str = "view") -> dict[str, Any]:
    return {"org": org, "level": level}


# Where a track's decisions take place, and with whom: used by the decision texts.
PLACE: dict[str, str] = {}


def track(
    key: str,
    owner: str,
    title: str,
    crisis: str,
    kind: str = "humanitarian",
    *,
    place: str,
    parties: list[str],
    aims: list[str],
    objectives: list[str],
    start: int,
    end: int | None,
    metrics: list[dict[str, Any]],
    red_lines: list[dict[str, Any]] | None = None,
    staff: list[dict[str, Any]] | None = None,
    resources: list[dict[str, Any]] | None = None,
    budget: int = 300_000,
    **more: Any,
) -> dict[str, Any]:
    """A track, run well unless told otherwise.

    By default it has dedicated staff and funding of its owner that last exactly as long
    as it does, red lines with a trigger and the metrics given.
    """
    PLACE[key] = place
    out: dict[str, Any] = {
        "key": key,
        "owner": owner,
        "title": title,
        "kind": kind,
        "crisis": crisis,
        "status": "active",
        "parties": parties,
        "aims": aims,
        "objectives": objectives,
        "start": Day(start),
        "end": None if end is None else Day(end),
        "red_lines": red_lines if red_lines is not None else [red_line("no armed escorts for relief teams")],
        "staff": staff if staff is not None else [staff_line(owner, end)],
        "resources": resources if resources is not None else [funding_line(owner, budget, end)],
        "metrics": [measured(key, m, start, end) for m in metrics],
    }
    out.update(more)
    return out


# The demo's parallel, uncoordinated processes (N4's true alerts): two owners on the same
# party and aims, at the same time, and no link between them. With Defence's truce track,
# the corridor pair also engages the LFA three times over: forum shopping.
UNCOORDINATED = [
    ("corridor-access", "ostmark-valleys"),
    ("corridor-access", "corridor-ceasefire"),
    ("corridor-ceasefire", "ostmark-valleys"),
    ("delta-protection", "delta-ostmark-protection"),
    ("karst-front-access", "karst-ostmark-access"),
]

# Tracks that pull a party both ways at once with no link between them (N4's
# contradictory-leverage alert).
PULLING_APART = [("corridor-access", "tessaly-lfa-travel-bans")]


def coordination_cells(initiatives: list[dict[str, Any]]) -> None:
    """Link the tracks of each crisis that engage a common party, as its coordination cell does.

    Most tracks on a crisis engage the same authorities at the same time; what keeps them
    from being parallel processes is that their owners coordinate them. Closed tracks
    are left out, and so are the pairs of `UNCOORDINATED` and `PULLING_APART`.
    """
    apart = {frozenset(pair) for pair in UNCOORDINATED + PULLING_APART}
    for crisis in CRISES:
        cell = [t for t in initiatives if t["crisis"] == crisis["key"] and t["status"] != "closed"]
        for n, track in enumerate(cell):
            linked = list(track.get("coordinated_with", []))
            for other in cell[n + 1 :]:
                if (
                    set(track["parties"]) & set(other["parties"])
                    and frozenset((track["key"], other["key"])) not in apart
                    and other["key"] not in linked
                    and track["key"] not in other.get("coordinated_with", [])
                ):
                    linked.append(other["key"])
            track["coordinated_with"] = linked


def all_tracks() -> list[dict[str, Any]]:
    """Every track of the demo, crisis by crisis, linked within their coordination cells."""
    from server.demo import corridor, delta, highlands, sundermere

    tracks = [*corridor.tracks(), *delta.tracks(), *highlands.tracks(), *sundermere.tracks()]
    coordination_cells(tracks)
    return tracks
