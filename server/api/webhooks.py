"""Webhooks over JSON: an organisation's admin registers them and reads their delivery log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from server.api.http import LIMIT_DEFAULT, PAGE_HEADERS, Cursor, Limit, WebhookId, next_page, window
from server.api.schemas import UtcDateTime
from server.auth import CurrentUser, SessionDep
from server.models.webhooks import Webhook
from server.services import webhooks
from server.services.webhooks import WebhookData

router = APIRouter(tags=["webhooks"])


class WebhookOut(BaseModel):
    id: int
    url: str
    kinds: list[str]
    description: str
    active: bool
    created_at: UtcDateTime


class WebhookWithSecret(WebhookOut):
    """The webhook and its signing secret, shown only in this answer."""

    secret: str


class AttemptOut(BaseModel):
    number: int
    at: UtcDateTime
    status_code: int | None
    error: str
    duration_ms: int


class DeliveryOut(BaseModel):
    id: int
    kind: str
    delivery_key: str
    status: str
    tries: int
    created_at: UtcDateTime
    delivered_at: UtcDateTime | None
    attempts: list[AttemptOut]


def _out(hook: Webhook) -> WebhookOut:
    return WebhookOut.model_validate(hook, from_attributes=True)


def _with_secret(hook: Webhook, secret: str) -> WebhookWithSecret:
    return WebhookWithSecret(**_out(hook).model_dump(), secret=secret)


@router.get("/webhooks", responses={200: {"headers": PAGE_HEADERS}})
def listing(
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[WebhookOut]:
    """The webhooks of the caller's organisation (its admins only), by id."""
    found = webhooks.listing(db, user, window(cursor, limit))
    return [_out(h) for h in next_page(request, response, found, limit, key=lambda h: h.id or 0)]


@router.post("/webhooks", status_code=201)
def register(data: WebhookData, db: SessionDep, user: CurrentUser) -> WebhookWithSecret:
    """Register a URL for event kinds; the answer holds the signing secret, shown only now."""
    hook, secret = webhooks.register(db, user, data)
    return _with_secret(hook, secret)


@router.get("/webhooks/{webhook_id}")
def get(webhook_id: WebhookId, db: SessionDep, user: CurrentUser) -> WebhookOut:
    return _out(webhooks.get(db, user, webhook_id))


@router.post("/webhooks/{webhook_id}/pause")
def pause(webhook_id: WebhookId, db: SessionDep, user: CurrentUser) -> WebhookOut:
    return _out(webhooks.set_active(db, user, webhook_id, False))


@router.post("/webhooks/{webhook_id}/resume")
def resume(webhook_id: WebhookId, db: SessionDep, user: CurrentUser) -> WebhookOut:
    return _out(webhooks.set_active(db, user, webhook_id, True))


@router.post("/webhooks/{webhook_id}/secret")
def rotate_secret(webhook_id: WebhookId, db: SessionDep, user: CurrentUser) -> WebhookWithSecret:
    """A new signing secret, shown only now; the old one stops at once."""
    hook, secret = webhooks.rotate_secret(db, user, webhook_id)
    return _with_secret(hook, secret)


@router.delete("/webhooks/{webhook_id}", status_code=204, response_class=Response)
def remove(webhook_id: WebhookId, db: SessionDep, user: CurrentUser) -> None:
    webhooks.remove(db, user, webhook_id)


@router.get("/webhooks/{webhook_id}/deliveries", responses={200: {"headers": PAGE_HEADERS}})
def deliveries(
    webhook_id: WebhookId,
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[DeliveryOut]:
    """The newest deliveries first, each with every try."""
    found = next_page(
        request,
        response,
        webhooks.delivery_log(db, user, webhook_id, window=window(cursor, limit, newest_first=True)),
        limit,
        key=lambda v: v.delivery.id or 0,
    )
    return [
        DeliveryOut(
            **v.delivery.model_dump(
                include={"kind", "delivery_key", "status", "tries", "created_at", "delivered_at"}
            ),
            id=v.delivery.id or 0,
            attempts=[AttemptOut.model_validate(a, from_attributes=True) for a in v.attempts],
        )
        for v in found
    ]
