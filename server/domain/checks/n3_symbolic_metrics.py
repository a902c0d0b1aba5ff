"""N3: a track must be judged by humanitarian outcomes, not by visibility or activity.

The paper's don't #3: metrics that count visits, conferences, announcements or trucks
say nothing of whether humanitarians can deliver and civilians are better protected.
A metric's kind is taken as declared; where it is blank (or was itself filled in by
Accord) it is inferred from the metric's name by `server.domain.metric_kinds`, and the
evidence says so. A name only guessed to be an outcome (confidence below
`MIN_OUTCOME_CONFIDENCE`) does not clear a track: declaring the kind does.

Two findings: a track with no metric at all (nothing shows whether it improves
humanitarian outcomes), and a track whose metrics are all symbolic or outputs. An
outcome metric without a target is not a finding: the paper asks that metrics "reflect
improvements to the conditions needed for humanitarians to deliver programmes" and
says nothing of targets, and an outcome metric with no target still puts the outcome,
not visibility, first. Drafts are judged with the active tracks: a draft that counts
only the communiqué it hopes for is already built for visibility (a draft with no
metric yet has time to define them). A paused track is judged when it resumes.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.domain import metric_kinds
from server.domain.checks._common import label, planned_or_running_tracks
from server.domain.snapshot import Finding, Initiative, Metric, MetricKind, Severity, Snapshot

ID = "N3"
TITLE = "Don't prioritise visibility, processes or symbolic gains over sustained humanitarian outcomes"
WORDS = (
    "Don't prioritise visibility, processes or symbolic gains over sustained humanitarian outcomes. "
    "[...] The metrics for successful humanitarian diplomacy must reflect improvements to the "
    "conditions needed for humanitarians to deliver programmes effectively and for civilians to be "
    "better protected. This goes beyond counting trucks reaching a civilian population and instead "
    "should reflect that humanitarian aid encompasses protection programmes, cash assistance and other "
    "services, all of which rely on staff and funds getting to areas where people are in need."
)


@dataclass(frozen=True)
class JudgedMetric:
    """A metric with the kind the check judges it by, and where that kind came from."""

    metric: Metric
    kind: MetricKind
    inferred: bool
    confidence: float | None = None

    def describe(self) -> str:
        target = f", target '{self.metric.target}'" if _has_target(self.metric) else ", no target"
        if not self.inferred:
            source = "declared"
        elif self.confidence is None:
            source = "inferred by Accord when it was recorded"
        else:
            source = f"inferred from its name, confidence {self.confidence:.2f}"
        return f"metric '{self.metric.name}': {self.kind} ({source}){target}"


# A name is read as an outcome when the classifier finds that more likely than the other
# two kinds together; below that its guess is close to a coin toss between kinds, and a
# track is not cleared by a metric only guessed to be an outcome. (0.6 left a price of
# flour in a besieged quarter, read at 0.58, unable to clear its track.)
MIN_OUTCOME_CONFIDENCE = 0.5


def _unsure(j: JudgedMetric) -> bool:
    return j.inferred and j.confidence is not None and j.confidence < MIN_OUTCOME_CONFIDENCE


def _has_target(m: Metric) -> bool:
    return bool(m.target and m.target.strip())


def judge_metrics(metrics: list[Metric]) -> list[JudgedMetric]:
    """Each metric's kind: declared if given, else inferred from its name."""
    blank = [m.name for m in metrics if m.kind is None]
    guesses = dict(zip(blank, metric_kinds.infer_many(blank), strict=True)) if blank else {}
    out: list[JudgedMetric] = []
    for m in metrics:
        if m.kind is not None:
            out.append(JudgedMetric(m, m.kind, inferred=m.kind_inferred))
        else:
            kind, confidence = guesses[m.name]
            out.append(JudgedMetric(m, kind, inferred=True, confidence=confidence))
    return out


def _remedy(i: Initiative, lead: str) -> str:
    ideas = metric_kinds.suggest_outcome_metrics(i.kind, i.aims)
    examples = "; ".join(f"'{s}'" for s in ideas)
    return f"{lead} For example: {examples}."


def _finding(
    i: Initiative, kind: str, severity: Severity, message: str, evidence: list[str], remedy: str
) -> Finding:
    return Finding(
        principle=ID,
        kind=kind,
        subjects=(i.key,),
        severity=severity,
        message=message,
        evidence=tuple(evidence),
        remedy=remedy,
        words=WORDS,
        initiatives=(i.key,),
    )


def judge(i: Initiative) -> Finding | None:
    """The N3 finding for one track, if any (at most one: the kinds exclude each other)."""
    if not i.metrics:
        if i.status == "draft":
            return None  # a draft has time to define how it will be judged
        return _finding(
            i,
            "no_metrics",
            "medium",
            f"Track {label(i)} has no metric, so nothing shows whether it improves humanitarian outcomes.",
            [f"track {label(i)} lists no metrics", *(f"aim: {a}" for a in i.aims)],
            _remedy(i, "Record outcome metrics with targets."),
        )
    judged = judge_metrics(i.metrics)
    evidence = [j.describe() for j in judged]
    if any(j.inferred for j in judged):
        evidence.append("kinds marked inferred were read from the metrics' names; declare them to override")
    unsure = [j for j in judged if j.kind == "outcome" and _unsure(j)]
    outcomes = [j for j in judged if j.kind == "outcome" and not _unsure(j)]
    if unsure:
        evidence.append(
            f"an outcome read from a metric's name with confidence below {MIN_OUTCOME_CONFIDENCE:.2f} is not "
            "counted; declare the metric's kind to count it"
        )
    if not outcomes:
        symbolic = sum(j.kind == "symbolic" for j in judged)
        counts = f"{symbolic} symbolic and {len(judged) - symbolic} output"
        return _finding(
            i,
            "symbolic_only",
            # Only visibility is worse than activity: trucks counted at least counts deliveries.
            "high" if symbolic == len(judged) else "medium",
            f"Track {label(i)} is judged only by symbolic or output metrics ({counts}) and by no "
            "humanitarian outcome.",
            evidence,
            _remedy(
                i,
                "Add outcome metrics: constraints lifted, staff and funds reaching people, protection "
                "and cash programmes running.",
            ),
        )
    return None


def run(snapshot: Snapshot) -> list[Finding]:
    """Judge the metrics of every running or planned track (of the focus, if one is set)."""
    findings: list[Finding] = []
    for i in planned_or_running_tracks(snapshot):
        if i.status == "paused":
            continue  # judged again when it resumes
        f = judge(i)
        if f is not None:
            findings.append(f)
    return findings
