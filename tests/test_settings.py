"""Settings: the embedded default needs nothing; production refuses a placeholder key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from server.settings import Settings


def test_embedded_default_is_sqlite_without_any_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ACCORD_DATABASE_URL", "ACCORD_REDIS_URL", "ACCORD_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    s = Settings(_env_file=None)
    assert s.is_sqlite and s.sqlalchemy_url.endswith("data/accord.db")
    assert s.broker_url.startswith("sqla+sqlite:///")


@pytest.mark.parametrize("key", ["", "change-me", "dev-secret-key-not-for-production", "short"])
def test_production_refuses_placeholder_secret(key: str) -> None:
    with pytest.raises(ValidationError, match="ACCORD_SECRET_KEY"):
        Settings(_env_file=None, environment="production", secret_key=key)


def test_production_accepts_a_real_secret() -> None:
    s = Settings(_env_file=None, environment="production", secret_key="x" * 48)
    assert s.environment == "production"
