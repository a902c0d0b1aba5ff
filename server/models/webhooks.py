"""What leaves Accord on its own: webhooks with their deliveries and tries, and e-mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.models.base import json_list, timestamp, utcnow

# What a webhook may subscribe to: the event kinds as a receiver reads them.
WEBHOOK_KINDS = (
    "alert.opened",
    "alert.resolved",
    "decision.logged",
    "signoff.given",
    "signoff.declined",
    "grant.changed",
)
DELIVERY_STATUSES = ("pending", "delivered", "failed")
MAIL_KINDS = ("signoff_notice", "digest")
MAIL_STATUSES = ("pending", "sent", "skipped", "failed")


class Webhook(SQLModel, table=True):
    """A URL an organisation's admin registered to be told of events of some kinds.

    The signing secret is never stored: it is derived from the workspace's secret key
    and `salt`, shown once when the webhook is made, and changes with the salt.
    """

    __tablename__ = "webhook"

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    url: str = Field(max_length=2000)
    kinds: list[str] = Field(default_factory=list, sa_column=json_list())
    description: str = Field(default="", max_length=200)
    salt: str = Field(max_length=64)
    active: bool = True
    # Events up to this one happened before the webhook existed and are not sent.
    since_event_id: int = 0
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    removed_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))


class WebhookDelivery(SQLModel, table=True):
    """One event for one webhook: the signed body, fixed when the event is fanned out."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("webhook_id", "event_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhook.id", index=True)
    # The event it tells of (no foreign key: the event table may be pruned, the log stays).
    event_id: int
    kind: str = Field(max_length=40)
    # The idempotency id (`Accord-Delivery`): the same on every try of this delivery.
    delivery_key: str = Field(max_length=64, unique=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=20, index=True)
    tries: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    last_try_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))


class WebhookAttempt(SQLModel, table=True):
    """One try of a delivery, as the delivery log shows it."""

    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True)
    number: int
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    status_code: int | None = None
    error: str = Field(default="", max_length=500)
    duration_ms: int = 0


class DeliveryCursor(SQLModel, table=True):
    """How far the fan-out has read the event table.

    Every event up to `last_event_id` is done; `seen` holds the ids above it that are
    done too. Events commit out of id order, so the mark passes an id only once its
    event is old enough that no transaction can still be writing one below it.
    """

    __tablename__ = "delivery_cursor"

    name: str = Field(primary_key=True, max_length=40)
    last_event_id: int = 0
    seen: list[int] = Field(default_factory=list, sa_column=json_list())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())


class MailPreference(SQLModel, table=True):
    """The e-mail a person chose on their account page."""

    __tablename__ = "mail_preference"

    user_id: int = Field(foreign_key="person.id", primary_key=True)
    signoff_notices: bool = False
    daily_digest: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())


class MailMessage(SQLModel, table=True):
    """One mail to one person; (person, kind, ref) makes it once, however often it is asked for."""

    __tablename__ = "mail_message"
    __table_args__ = (UniqueConstraint("user_id", "kind", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=20)
    # The decision entry of a sign-off notice, the day of a digest.
    ref: str = Field(max_length=64)
    status: str = Field(default="pending", max_length=20, index=True)
    tries: int = 0
    error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp())
    sent_at: datetime | None = Field(default=None, sa_column=Column(DateTime, nullable=True))
