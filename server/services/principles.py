"""The Principles page: the paper's ten principles, how Accord checks each, and the reader's open alerts.

The paper's words are the checks' own (`WORDS` of each module in
`server.domain.checks`, the principle's later kinds of finding included); the open
alerts are counted with the alerts inbox's own filter (`alerts.filtered`, over the
visibility layer), so a reader is told only of alerts they may read, and the number
beside a principle is the one its inbox link shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from server.domain import checks
from server.models import Alert, User
from server.services import alerts, audience

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
    # Open alerts as the inbox counts them by default (the reader's department's, for a
    # desk officer; the whole government's for a coordinator or an admin) ...
    open: int = 0
    # ... and all the reader may read, when that is more (a desk officer's whole government).
    open_all: int = 0

    @property
    def inbox_url(self) -> str:
        return f"/alerts?principle={self.id}"

    @property
    def inbox_all_url(self) -> str:
        return f"/alerts?principle={self.id}&department="


def _words(principle: str) -> list[str]:
    """The paper's words each module of the principle stands on, once each."""
    seen: list[str] = []
    for module in checks.all_modules():
        if module.ID == principle and module.WORDS not in seen:
            seen.append(module.WORDS)
    return seen


def _by_principle(db: Session, actor: User | None, f: alerts.Filters) -> dict[str, int]:
    """Open alerts per principle, through the inbox's own filter (one query)."""
    ids = alerts.filtered(audience.of(actor), f).subquery()
    rows = db.exec(
        select(Alert.principle, func.count())
        .where(col(Alert.id).in_(select(ids.c.id)))
        .group_by(Alert.principle)
    ).all()
    return {str(p): int(n) for p, n in rows}


def overview(db: Session, actor: User | None) -> list[Principle]:
    """The ten principles in the paper's order, each with the open alerts the actor may read."""
    department = alerts.mine(actor)
    own = _by_principle(db, actor, alerts.Filters(department=department))
    every = own if department is None else _by_principle(db, actor, alerts.Filters())
    return [
        Principle(
            id=module.ID,
            title=module.TITLE,
            words=_words(module.ID),
            how=HOW[module.ID],
            open=own.get(module.ID, 0),
            open_all=every.get(module.ID, 0),
        )
        for module in checks.all_checks()
    ]
