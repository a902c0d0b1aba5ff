"""Domain services: every rule and permission check of Accord lives here."""
