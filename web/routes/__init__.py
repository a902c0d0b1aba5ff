"""The pages, one router per area of the UI."""

from __future__ import annotations

from fastapi import APIRouter

from web.routes import auth

ROUTERS: list[APIRouter] = [auth.router]
