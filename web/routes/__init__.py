"""The pages, one router per area of the UI."""

from __future__ import annotations

from fastapi import APIRouter

from web.routes import auth, dashboard, initiatives

ROUTERS: list[APIRouter] = [auth.router, dashboard.router, initiatives.router]
