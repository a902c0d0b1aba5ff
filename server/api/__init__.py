"""The JSON API, one router per area; every router here is mounted under /api."""

from __future__ import annotations

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
