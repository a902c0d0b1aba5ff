"""The JSON API, one router per area; every router here is mounted under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from server.api import (
    alerts,
    comments,
    coordination,
    decisions,
    delegations,
    export,
    exports,
    field_reports,
    initiatives,
    sharing,
    tokens,
    webhooks,
)

ROUTERS: list[APIRouter] = [
    initiatives.router,
    decisions.router,
    delegations.router,
    comments.router,
    field_reports.router,
    sharing.router,
    coordination.router,
    export.router,
    exports.router,
    alerts.router,
    tokens.router,
    webhooks.router,
]
