"""The decision log page: entries a person may read, filtered, each decision with its sign-offs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from server.models import Initiative, LogEntry, Organisation, User
from server.services import decisions, initiative_page, initiatives
from server.services.decisions import LogFilters
from server.services.initiative_page import DecisionView


@dataclass
class LogPage:
    entries: list[LogEntry]
    decisions: dict[int, DecisionView]
    signoffs: dict[int, list[LogEntry]]
    initiatives: dict[int, Initiative]
    orgs: dict[int, Organisation]
    people: dict[int, str]


def page(db: Session, actor: User | None, filters: LogFilters, limit: int = 200) -> LogPage:
    rows = decisions.entries(db, actor, filters, limit)
    tracks = {t.id: t for t in initiatives.listing(db, actor, limit=5000) if t.id is not None}
    orgs, people = initiative_page.names(db, people_ids=set())
    by_decision: dict[int, list[LogEntry]] = {}
    for e in rows:
        if e.decision_id is not None:
            by_decision.setdefault(e.decision_id, []).append(e)
    views = {v.entry.id: v for v in initiative_page.decision_views(db, actor, rows) if v.entry.id is not None}
    return LogPage(rows, views, by_decision, tracks, orgs, people)


def decision(db: Session, actor: User | None, decision_id: int) -> LogEntry:
    """One decision entry the actor may read; `NotFound` otherwise."""
    return decisions.get_decision(db, actor, decision_id)[0]
