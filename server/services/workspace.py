"""The workspace document in and out of the database: import, export, and the workspace's own facts.

Import (`workspace_import`) is all or nothing and names the JSON path of every error.
Export (`workspace_export`) reads in a few bulk queries, so that the sweep can load a
whole workspace; with an actor it goes through the visibility layer and leaves out
what stays home. The name and judging date live in `workspace_meta`.
"""

from __future__ import annotations

from server.services.workspace_export import export_document
from server.services.workspace_import import import_document
from server.services.workspace_meta import (
    get_name,
    host,
    judging_date,
    read_name,
    set_host,
    set_judging_date,
    set_name,
    today,
)

__all__ = [
    "export_document",
    "get_name",
    "host",
    "import_document",
    "judging_date",
    "read_name",
    "set_host",
    "set_judging_date",
    "set_name",
    "today",
]
