"""The pages, one router per area of the UI."""

from __future__ import annotations

from fastapi import APIRouter

from server.api import events as live_events
from web.routes import (
    account,
    admin,
    alerts,
    auth,
    coordination,
    crises,
    dashboard,
    decisions,
    delegations,
    exports,
    initiative_lines,
    initiatives,
    principles,
    reports,
    webhooks,
)

ROUTERS: list[APIRouter] = [
    auth.router,
    account.router,
    admin.router,
    dashboard.router,
    decisions.router,
    delegations.router,
    alerts.router,
    coordination.router,
    crises.router,
    exports.router,
    initiatives.router,
    # After the initiative pages: `/{part}/...` would otherwise shadow their fixed paths.
    initiative_lines.router,
    principles.router,
    reports.router,
    webhooks.router,
    # The pages' live stream, at the path the layout connects to (`sse-connect="/events"`).
    live_events.router,
]
