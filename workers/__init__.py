"""Accord's background work: the Celery app, its tasks and the principle checks."""
