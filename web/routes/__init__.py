"""The pages, one router per area of the UI."""

from __future__ import annotations

from fastapi import APIRouter

from web.routes import alerts, auth, crises, dashboard, decisions, initiatives

ROUTERS: list[APIRouter] = [
    auth.router,
    dashboard.router,
    decisions.router,
    alerts.router,
    crises.router,
    initiatives.router,
]
