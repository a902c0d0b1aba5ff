"""The values a metric was measured at, one per period, dated at the period's end.

A value is part of its metric: whoever may see the metric may read its values (an
internal metric's stay home with it), whoever may edit the track may record and remove
them, and a change is news where the metric is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import Field
from sqlmodel import Session, col, select

from server.models import Initiative, Metric, MetricActual, User
from server.services import audience, policy
from server.services.errors import Invalid, NotFound
from server.services.initiative_common import bump, touched
from server.services.validation import Bounded, Day, blanks_as_none, parse


class ActualData(Bounded):
    """A value measured, and the date that ends the period it measures."""

    date: Day
    value: float = Field(allow_inf_nan=False)


@dataclass
class MetricValues:
    """A metric the reader may see, with its values in date order."""

    initiative: Initiative
    metric: Metric
    actuals: list[MetricActual]
    can_edit: bool


def of_metrics(db: Session, metric_ids: Iterable[int]) -> dict[int, list[MetricActual]]:
    """The values of these metrics (which the caller may see), by metric, in date order."""
    ids = sorted(set(metric_ids))
    out: dict[int, list[MetricActual]] = defaultdict(list)
    if not ids:
        return out
    rows = db.exec(
        select(MetricActual)
        .where(col(MetricActual.metric_id).in_(ids))
        .order_by(col(MetricActual.metric_id), col(MetricActual.date))
    ).all()
    for row in rows:
        out[row.metric_id].append(row)
    return out


def _metric(db: Session, actor: User | None, initiative_id: int, metric_id: int) -> tuple[Initiative, Metric]:
    aud = audience.of(actor)
    initiative = aud.track(db, initiative_id)
    metric = aud.line(db, initiative, "metrics", metric_id)
    assert isinstance(metric, Metric)
    return initiative, metric


def values(db: Session, actor: User | None, initiative_id: int, metric_id: int) -> MetricValues:
    """A metric and its values; `NotFound` if the reader may not see the metric."""
    initiative, metric = _metric(db, actor, initiative_id, metric_id)
    assert metric.id is not None
    can_edit = policy.may_edit(db, actor, initiative)
    return MetricValues(initiative, metric, of_metrics(db, [metric.id])[metric.id], can_edit)


def record(
    db: Session, actor: User | None, initiative_id: int, metric_id: int, data: ActualData | dict[str, Any]
) -> MetricActual:
    """Record the value a metric stood at on a date (the end of the period measured)."""
    initiative, metric = _metric(db, actor, initiative_id, metric_id)
    policy.require_edit(db, actor, initiative)
    typed = parse(ActualData, blanks_as_none(data))
    taken = db.exec(
        select(MetricActual.id).where(MetricActual.metric_id == metric.id, MetricActual.date == typed.date)
    ).first()
    if taken is not None:
        raise Invalid.field(
            "date", "a value is already recorded for this date; remove it first to correct it"
        )
    assert metric.id is not None
    row = MetricActual(
        metric_id=metric.id, date=typed.date, value=typed.value, created_by_id=actor.id if actor else None
    )
    db.add(row)
    bump(db, initiative, actor)
    db.flush()
    touched(db, initiative, "initiative.metrics.measured", home_only=bool(metric.internal))
    return row


def remove(db: Session, actor: User | None, initiative_id: int, metric_id: int, actual_id: int) -> None:
    """Remove a value recorded in error."""
    initiative, metric = _metric(db, actor, initiative_id, metric_id)
    policy.require_edit(db, actor, initiative)
    row = db.get(MetricActual, actual_id)
    if row is None or row.metric_id != metric.id:
        raise NotFound("No such value")
    db.delete(row)
    bump(db, initiative, actor)
    db.flush()
    touched(db, initiative, "initiative.metrics.measured", home_only=bool(metric.internal))
