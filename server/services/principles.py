"""The Principles page: the paper's ten principles, how Accord checks each, and the reader's open alerts.

The paper's words are the checks' own (`WORDS` of each module in
`server.domain.checks`, the principle's later kinds of finding included); the open
alerts are counted through the same visibility layer as the alerts inbox
(`alerts.list_visible`), so a reader is told only of alerts they may read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session

from server.domain import checks
from server.models import User
from server.services import alerts
from server.services.initiative_page import LIVE_ALERTS

# How each check works, in plain words (the README's table says the same at more length).
HOW: dict[str, str] = {
    "D1": (
        "An active track that has started needs recent field reports: its own, or reports filed on its "
        "crisis as a whole. Accord raises an alert when none is recent, or when the recent ones all come "
        "from one kind of source. A neighbouring track's reports do not count."
    ),
    "D2": (
        "A humanitarian track must not depend on a political, security or economic one, and aid must not be "
        "used as leverage. Accord reads the tracks' texts, metrics and decisions for aid or access made to "
        "wait on a political, military or economic concession, or made to serve an agenda. A denial, or "
        "another side's demand reported, raises nothing."
    ),
    "D3": (
        "A running track needs objectives, red lines that say when it pauses, recalibrates or withdraws, "
        "compliance monitoring once an agreement is reached, and a decision after a field report says one "
        "of its red lines was breached. Accord raises an alert for each that is missing."
    ),
    "D4": (
        "Every department whose equities a decision touches must sign it off: Accord names the missing "
        "sign-offs, raises the alert's severity as the decision ages, and warns when it is acted on "
        "unsigned. An active track also needs dedicated staff and resources that last as long as it does."
    ),
    "D5": (
        "Every party a running track targets should have at least one interlocutor mapped as having "
        "influence over it. One alert stands per party with no such interlocutor, about every track that "
        "targets it."
    ),
    "N1": (
        "Access and aid are owed under IHL during the fighting. Accord raises an alert on the words "
        "'humanitarian ceasefire', 'truce' or 'pause' and their kin, and on aid or access made to wait on a "
        "halt in the fighting or on a concession. A ceasefire on a political track is no finding."
    ),
    "N2": (
        "Severing relations, suspending contacts or a no-contact policy (in a decision, a leverage tool or "
        "a track's plan) needs a humanitarian impact assessment first. Accord raises an alert where there "
        "is none on the track or in the decision's own words."
    ),
    "N3": (
        "A track must be judged by humanitarian outcomes. Accord raises an alert when all of a track's "
        "metrics count visibility or activity (visits, conferences, trucks), when an active one has none, "
        "and when an outcome metric is never measured or does not move while the busy ones grow. A blank "
        "metric kind is inferred from its name and marked as inferred."
    ),
    "N4": (
        "Two tracks of different owners on the same crisis, parties and aims, at the same time and not "
        "linked as coordinated, run in parallel. Accord tells each owner, without showing either the "
        "other's track, and asks them to coordinate; it also flags a party engaged by three or more such "
        "tracks, and a carrot offered on one track while a stick is used on another."
    ),
    "N5": (
        "Sanctions, conditionality or a suspension, proposed or active, need a do-no-harm analysis. Accord "
        "raises an alert when a track records such a measure without one, or imposes a punitive measure "
        "in its prose or a decision with no leverage tool recording it."
    ),
}


@dataclass
class Principle:
    id: str
    title: str
    words: list[str]
    how: str
    open: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)

    @property
    def inbox_url(self) -> str:
        return f"/alerts?principle={self.id}"


def _words(principle: str) -> list[str]:
    """The paper's words each module of the principle stands on, once each."""
    seen: list[str] = []
    for module in checks.all_modules():
        if module.ID == principle and module.WORDS not in seen:
            seen.append(module.WORDS)
    return seen


def overview(db: Session, actor: User | None) -> list[Principle]:
    """The ten principles in the paper's order, each with the open alerts the actor may read."""
    live = alerts.list_visible(db, actor, statuses=LIVE_ALERTS, limit=100_000)
    counts = Counter(v.principle for v in live)
    severities: dict[str, Counter[str]] = {}
    for v in live:
        severities.setdefault(v.principle, Counter())[v.severity] += 1
    out = []
    for module in checks.all_checks():
        p = module.ID
        sev = severities.get(p, Counter())
        out.append(
            Principle(
                id=p,
                title=module.TITLE,
                words=_words(p),
                how=HOW[p],
                open=counts.get(p, 0),
                by_severity={s: sev[s] for s in ("high", "medium", "low") if sev[s]},
            )
        )
    return out
