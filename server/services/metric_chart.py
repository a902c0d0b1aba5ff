"""A small chart of one metric: its measured values against its baseline and target.

The page draws it as inline SVG from what this module computes (no script): the line of
values from the baseline on, a dashed line at the target value, and the target's date.
Everything the chart shows is also said in words (`summary`) and in a table (`rows`),
for those who do not see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    value: float
    baseline: bool = False


@dataclass
class Chart:
    """What the SVG draws, in its own coordinates, and the same in words."""

    title: str
    summary: str
    points: list[Point]
    polyline: str
    target_y: float | None
    target_x: float | None
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def chart(metric: Any, actuals: list[Any]) -> Chart | None:
    """The chart of a metric (a stored `Metric`) and its values, or None with nothing to draw."""
    series: list[tuple[date, float, bool]] = []
    if metric.baseline_value is not None and metric.baseline_date is not None:
        series.append((metric.baseline_date, float(metric.baseline_value), True))
    series += [(a.date, float(a.value), False) for a in actuals]
    series.sort(key=lambda s: (s[0], not s[2]))
    if not series:
        return None
    days: list[date] = [d for d, _, _ in series] + ([metric.target_date] if metric.target_date else [])
    values = [v for _, v, _ in series] + (
        [float(metric.target_value)] if metric.target_value is not None else []
    )
    first: date = min(days)
    last: date = max(days)
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    span_days = max((last - first).days, 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(d: date) -> float:
        return round(LEFT + inner_w * (d - first).days / span_days, 1)

    def y(v: float) -> float:
        return round(TOP + inner_h * (high - v) / (high - low), 1)

    points = [Point(x(d), y(v), d, v, base) for d, v, base in series]
    better = "lower" if metric.direction == "down" else "higher"
    parts = []
    if metric.baseline_value is not None and metric.baseline_date is not None:
        parts.append(f"baseline {_fmt(metric.baseline_value)} on {metric.baseline_date.isoformat()}")
    measured = [p for p in points if not p.baseline]
    if measured:
        parts.append(
            f"{len(measured)} value{'s' if len(measured) != 1 else ''} measured from "
            f"{measured[0].day.isoformat()} to {measured[-1].day.isoformat()}, the last "
            f"{_fmt(measured[-1].value)}"
        )
    else:
        parts.append("no value measured yet")
    if metric.target_value is not None:
        by = f" by {metric.target_date.isoformat()}" if metric.target_date else ""
        parts.append(f"target {_fmt(metric.target_value)}{by}")
    summary = "; ".join(parts) + f". A {better} value is better."
    rows = [(p.day.isoformat(), _fmt(p.value), "baseline" if p.baseline else "measured") for p in points]
    if metric.target_value is not None:
        rows.append(
            (
                metric.target_date.isoformat() if metric.target_date else "",
                _fmt(metric.target_value),
                "target",
            )
        )
    return Chart(
        title=f"{metric.name}: values measured against the baseline and the target",
        summary=summary,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        target_y=y(float(metric.target_value)) if metric.target_value is not None else None,
        target_x=x(metric.target_date) if metric.target_date else None,
        y_ticks=[(y(high), _fmt(high)), (y(low), _fmt(low))],
        x_ticks=[(x(first), first.isoformat()), (x(last), last.isoformat())],
        rows=rows,
    )
