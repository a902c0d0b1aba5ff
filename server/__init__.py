"""Accord's server: settings, database, models, services, the JSON API and the CLI."""
