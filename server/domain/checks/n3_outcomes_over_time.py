"""N3, outcomes over time: an outcome metric that is never measured, or that does not move.

The paper's don't #3 asks for "sustained humanitarian outcomes" and for pressure kept up
"beyond high-level visits, announcements, and conferences". An outcome metric only
holds a track to that if someone measures it and the values are read:

- `outcome_never_measured`: an active track that began at least 90 days ago has an
  outcome metric with no actual value (a baseline is not one: it is the value before);
- `outcome_not_moving`: an outcome metric whose last 3 values are none of them better,
  in its direction, than the value 3 periods before the last, while an output or
  symbolic metric of the same track grew over those same dates: the track is busy and
  visible, and the outcome stays where it was.

A metric's values are its baseline (the value before the track began, where given)
followed by its actuals, in date order, so that a track measured three times since its
baseline can already be judged. An outcome already at its target value is not "not
moving": it has arrived. A metric's kind is judged as N3's main check judges it
(declared, or inferred from the name). Only active tracks are judged: a draft has not
begun to measure, and a paused or closed one is not expected to move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from server.domain.checks._common import label
from server.domain.checks.n3_symbolic_metrics import JudgedMetric, judge_metrics
from server.domain.snapshot import Finding, Initiative, Measure, Metric, Snapshot

ID = "N3"
TITLE = "Don't prioritise visibility, processes or symbolic gains over sustained humanitarian outcomes: outcomes over time"
WORDS = (
    "Don't prioritise visibility, processes or symbolic gains over sustained humanitarian outcomes. "
    "[...] States should be prepared to invest and sustain diplomatic pressure, beyond high-level visits, "
    "announcements, and conferences. [...] The metrics for successful humanitarian diplomacy must reflect "
    "improvements to the conditions needed for humanitarians to deliver programmes effectively and for "
    "civilians to be better protected."
)

NEVER_MEASURED = "outcome_never_measured"
NOT_MOVING = "outcome_not_moving"
# How long a track may run before its outcome metrics must have a first value.
FIRST_MEASURE_DAYS = 90
# How many periods an outcome may stand still before it is "not moving".
PERIODS = 3


def values(m: Metric) -> list[Measure]:
    """The metric's baseline (if any) and actuals, in date order (a baseline first on a tie)."""
    series = ([m.baseline] if m.baseline is not None else []) + sorted(m.actuals, key=lambda a: a.date)
    return sorted(series, key=lambda a: a.date)


def better(m: Metric, value: float, than: float) -> bool:
    """Whether `value` is better than `than` in the metric's direction."""
    return value < than if m.direction == "down" else value > than


def _reached(m: Metric, value: float) -> bool:
    if m.target_value is None:
        return False
    return value <= m.target_value if m.direction == "down" else value >= m.target_value


def _fmt(x: float) -> str:
    return f"{x:g}"


def _as_of(series: list[Measure], day: dt.date) -> Measure | None:
    """The last value dated on or before `day`."""
    known = [a for a in series if a.date <= day]
    return known[-1] if known else None


@dataclass(frozen=True)
class Stalled:
    """An outcome that has not moved over its last periods, with where it stood."""

    metric: Metric
    reference: Measure
    last: list[Measure]


def stalled(m: Metric) -> Stalled | None:
    """The outcome's last `PERIODS` values if none is better than the value before them."""
    series = values(m)
    if len(series) < PERIODS + 1:
        return None
    reference, last = series[-PERIODS - 1], series[-PERIODS:]
    if any(better(m, a.value, reference.value) for a in last):
        return None
    if _reached(m, last[-1].value):
        return None
    return Stalled(m, reference, last)


def grew(m: Metric, start: dt.date, end: dt.date) -> tuple[Measure, Measure] | None:
    """The metric's value at `start` and at `end` if it rose in between (as of each date).

    At `start` the value is the last one known then, or the first measured after it."""
    series = values(m)
    before = _as_of(series, start) or next((a for a in series if start <= a.date <= end), None)
    after = _as_of(series, end)
    if before is None or after is None or after.date <= before.date:
        return None
    return (before, after) if after.value > before.value else None


def _finding(i: Initiative, kind: str, message: str, evidence: list[str], remedy: str) -> Finding:
    return Finding(
        principle=ID,
        kind=kind,
        subjects=(i.key,),
        severity="medium",
        message=message,
        evidence=tuple(evidence),
        remedy=remedy,
        words=WORDS,
        initiatives=(i.key,),
    )


def never_measured(snapshot: Snapshot, i: Initiative, judged: list[JudgedMetric]) -> Finding | None:
    if i.start is None or (snapshot.today - i.start).days < FIRST_MEASURE_DAYS:
        return None
    blank = [j for j in judged if j.kind == "outcome" and not j.metric.actuals]
    if not blank:
        return None
    names = ", ".join(f"'{j.metric.name}'" for j in blank)
    days = (snapshot.today - i.start).days
    evidence = [f"track {label(i)} began on {i.start.isoformat()}, {days} days ago"]
    evidence += [f"{j.describe()}: no actual value recorded" for j in blank]
    if any(j.inferred for j in blank):
        evidence.append("kinds marked inferred were read from the metrics' names; declare them to override")
    return _finding(
        i,
        NEVER_MEASURED,
        f"Track {label(i)} has run for {days} days and its outcome "
        f"{'metric has' if len(blank) == 1 else 'metrics have'} never been measured ({names}): nothing "
        "shows whether it changes anything for people.",
        evidence,
        "Record the value of each outcome metric at the end of every period (and its baseline, the value "
        "before the track began), so that the track is judged by its outcomes.",
    )


def not_moving(i: Initiative, judged: list[JudgedMetric]) -> Finding | None:
    outcomes = [j for j in judged if j.kind == "outcome"]
    busy = [j for j in judged if j.kind in ("output", "symbolic")]
    evidence: list[str] = []
    stuck: list[str] = []
    for j in outcomes:
        s = stalled(j.metric)
        if s is None:
            continue
        growing = [(b, g) for b in busy if (g := grew(b.metric, s.reference.date, s.last[-1].date))]
        if not growing:
            continue
        stuck.append(f"'{j.metric.name}'")
        values_ = ", ".join(f"{_fmt(a.value)} on {a.date.isoformat()}" for a in s.last)
        target = f", target {_fmt(j.metric.target_value)}" if j.metric.target_value is not None else ""
        evidence.append(
            f"outcome '{j.metric.name}' ({'lower' if j.metric.direction == 'down' else 'higher'} is better"
            f"{target}): {_fmt(s.reference.value)} on {s.reference.date.isoformat()}, then {values_}"
        )
        for b, (before, after) in growing:
            evidence.append(
                f"{b.kind} '{b.metric.name}' grew from {_fmt(before.value)} on {before.date.isoformat()} "
                f"to {_fmt(after.value)} on {after.date.isoformat()}"
            )
    if not stuck:
        return None
    return _finding(
        i,
        NOT_MOVING,
        f"On track {label(i)} the outcome {'metric' if len(stuck) == 1 else 'metrics'} {', '.join(stuck)} "
        f"did not move toward {'its' if len(stuck) == 1 else 'their'} target over the last {PERIODS} "
        "periods measured, while the track's output or symbolic metrics grew: activity is rising, the "
        "outcome is not.",
        evidence,
        "Ask why the outcome does not follow the activity: change the approach or the pressure applied, "
        "and record the decision; counting more of the outputs will not move it.",
    )


def run(snapshot: Snapshot) -> list[Finding]:
    """Judge the outcome metrics of every active track (of the focus, if one is set) over time."""
    findings: list[Finding] = []
    for i in snapshot.ws.initiatives:
        if i.status != "active" or not i.metrics or not snapshot.in_focus(i.key):
            continue
        judged = judge_metrics(i.metrics)
        for f in (never_measured(snapshot, i, judged), not_moving(i, judged)):
            if f is not None:
                findings.append(f)
    return findings
