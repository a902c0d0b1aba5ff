"""Helpers shared by the principle checks: which tracks to judge, their texts, and names.

Kept free of any one principle's judgement: a check module decides what counts, these
helpers only find tracks, decisions and texts for it. Reading the texts is
`server.domain.checks._prose`'s, and the word families `_lexicon`'s.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from server.domain.checks._prose import Voice, name_words
from server.domain.snapshot import Decision, Finding, Initiative, Severity, Snapshot


def running_tracks(snapshot: Snapshot) -> list[Initiative]:
    """The tracks worth an alert: running (active or paused, not past their end) and in focus.

    Draft and closed tracks commit nobody yet or any more, so they raise nothing.
    """
    return [i for i in snapshot.ws.initiatives if snapshot.is_running(i) and snapshot.in_focus(i.key)]


def planned_or_running_tracks(snapshot: Snapshot) -> list[Initiative]:
    """The running tracks and the drafts not past their end: the ones a plan or a framing can still harm.

    A draft already carries its design (a dependency, a trade, a disengagement, a measure),
    and the paper asks for the analysis before the action, not after.
    """
    return [
        i
        for i in snapshot.ws.initiatives
        if (snapshot.is_running(i) or (i.status == "draft" and (i.end is None or i.end >= snapshot.today)))
        and snapshot.in_focus(i.key)
    ]


def current_decisions(snapshot: Snapshot, initiative_key: str) -> list[Decision]:
    """The decisions of a track that still stand: a superseded entry was corrected by a later one."""
    gone = snapshot.superseded()
    return [d for d in snapshot.decisions_by_initiative.get(initiative_key, []) if d.key not in gone]


def voice(snapshot: Snapshot, i: Initiative) -> Voice:
    """Who "we" are in a track's texts (its owner's government) and whom they may quote."""
    government = snapshot.government_of(i.owner)
    ours = [o.name for o in snapshot.ws.organisations if snapshot.government_of(o.key) == government]
    others = [o.name for o in snapshot.ws.organisations if snapshot.government_of(o.key) != government]
    others += [p.name for p in snapshot.ws.parties] + [x.name for x in snapshot.ws.interlocutors]
    mine = set(name_words(ours)) | {government.capitalize()}
    return Voice(tuple(sorted(mine)), tuple(w for w in name_words(others) if w not in mine))


def decision_label(d: Decision) -> str:
    """How a message names a decision: by its date and its opening words."""
    return f'the decision of {d.date.isoformat()} ("{excerpt(d.text, 60)}")'


def label(i: Initiative) -> str:
    """How a message names a track: by its title, as people know it (keys are for machines)."""
    return f"'{i.title}'"


def make(
    principle: str,
    words: str,
    kind: str,
    subjects: Sequence[str],
    severity: Severity,
    message: str,
    evidence: Sequence[str],
    remedy: str,
    initiatives: Sequence[str],
) -> Finding:
    """A finding in the shape every check returns, with the paper's words attached."""
    return Finding(
        principle=principle,
        kind=kind,
        subjects=tuple(subjects),
        severity=severity,
        message=message,
        evidence=tuple(evidence),
        remedy=remedy,
        words=words,
        initiatives=tuple(initiatives),
    )


def worst(severities: Sequence[Severity]) -> Severity:
    """The most serious of several severities (one finding often gathers several causes)."""
    order: dict[Severity, int] = {"low": 0, "medium": 1, "high": 2}
    return max(severities, key=lambda s: order[s])


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class Source:
    """A piece of text a track carries, with where it was written.

    `decision` is set when the text is a decision's, so a finding can name that entry
    among its subjects and its alert clears when the entry is superseded.
    """

    where: str
    text: str
    decision: str | None = None


def track_texts(
    snapshot: Snapshot,
    i: Initiative,
    *,
    leverage: bool = True,
    metrics: bool = False,
    decisions: bool = True,
) -> Iterator[Source]:
    """Every free text of a track: title, description, aims, objectives, leverage, decisions."""
    yield Source("title", i.title)
    if i.description:
        yield Source("description", i.description)
    for n, aim in enumerate(i.aims):
        yield Source(f"aim {n + 1}", aim)
    for n, objective in enumerate(i.objectives):
        yield Source(f"objective {n + 1}", objective)
    if leverage:
        for n, lev in enumerate(i.leverage):
            # A lifted leverage tool no longer says anything about the track's conduct.
            if lev.description and lev.status != "lifted":
                yield Source(f"leverage {n + 1} ({lev.kind}, {lev.status})", lev.description)
    if metrics:
        for n, metric in enumerate(i.metrics):
            yield Source(f"metric {n + 1}", metric.name)
    if decisions:
        for d in current_decisions(snapshot, i.key):
            yield Source(f"decision of {d.date.isoformat()}", d.text, decision=d.key)


def excerpt(text: str, limit: int = 160) -> str:
    """A text short enough to stand in an alert's evidence."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
