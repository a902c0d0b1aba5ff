"""Every table of Accord, one module per aggregate; importing this registers them all."""

from server.models.admin import AdminEntry, GovernmentSetting
from server.models.alerts import Alert, AlertDismissal, AlertInitiative, CoordinationRequest
from server.models.crises import Crisis, Influence, Interlocutor, Party
from server.models.decisions import LogCheckpoint, LogEntry
from server.models.delegations import Delegation
from server.models.events import Event, OutboxRow
from server.models.initiatives import (
    CoordinationLink,
    Dependency,
    Initiative,
    InitiativeHomeChange,
    InitiativeParty,
    LeverageTool,
    Metric,
    MetricActual,
    RedLine,
    ResourceLine,
    SharingGrant,
    StaffLine,
)
from server.models.meta import WorkspaceMeta
from server.models.organisations import Organisation
from server.models.people import ApiToken, AuthSession, SigninAttempt, User
from server.models.reports import Comment, FieldReport
from server.models.vectors import InitiativeVector
from server.models.webhooks import Webhook  # noqa: F401  (registers the webhook and e-mail tables too)

__all__ = [
    "AdminEntry",
    "Alert",
    "AlertDismissal",
    "AlertInitiative",
    "ApiToken",
    "AuthSession",
    "Comment",
    "CoordinationLink",
    "CoordinationRequest",
    "Crisis",
    "Delegation",
    "Dependency",
    "Event",
    "FieldReport",
    "GovernmentSetting",
    "Influence",
    "Initiative",
    "InitiativeHomeChange",
    "InitiativeParty",
    "InitiativeVector",
    "Interlocutor",
    "LeverageTool",
    "LogCheckpoint",
    "LogEntry",
    "Metric",
    "MetricActual",
    "Organisation",
    "OutboxRow",
    "Party",
    "RedLine",
    "ResourceLine",
    "SharingGrant",
    "SigninAttempt",
    "StaffLine",
    "User",
    "WorkspaceMeta",
]
