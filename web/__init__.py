"""Accord's browser workspace: server-rendered pages improved by htmx."""
