"""Accord's settings: one typed object read from `ACCORD_*` variables and `.env`."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev-secret-key-not-for-production"}


class Settings(BaseSettings):
    """Everything configurable; the embedded default needs no variable at all."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", env_file=".env", extra="ignore")

    environment: str = "development"  # "production" refuses a placeholder secret key
    data_dir: Path = Path("data")
    database_url: str = ""  # empty: SQLite in data_dir
    redis_url: str = ""  # empty: the embedded broker, no server
    secret_key: str = "dev-secret-key-not-for-production"
    host: str = "127.0.0.1"
    port: int = 8000
    workspace_name: str = "Accord"

    session_idle_minutes: int = 60
    # A session's activity is stamped at most this often (a read stamps it after its answer).
    session_touch_seconds: int = 60
    # Answers reused per session while the workspace's write generation stands
    # (`server.services.answers`): at most this many per web process, and this much memory; 0 turns it off.
    answer_cache_entries: int = 2048
    answer_cache_mib: int = 64
    session_absolute_hours: int = 12
    signin_max_failures: int = 5
    signin_window_minutes: int = 15
    # Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses or
    # networks, comma-separated (`10.0.0.5,192.168.10.0/24`). Empty: none, the peer is the client.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    # argon2id cost; the defaults are the library's recommendation (RFC 9106's second choice).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536

    sweep_interval_seconds: int = 300
    # Route N4's overlap search to the `overlap` queue, consumed by one single-process
    # worker per host (`accord worker --overlap`), so that one overlap index is held per
    # host instead of one per prefork child; the `checks` queue then runs the other checks.
    overlap_queue: bool = False
    relay_interval_seconds: float = 2.0
    # The web process sends outbox rows to the broker right after each commit; beat's
    # relay task covers what this misses. Off in tests that run the app in-process.
    web_relay: bool = True
    broker_prefix: str = ""
    signoff_escalate_days: int = 14
    borrowed_resources_max_days: int = 180
    field_report_stale_days: int = 60
    forum_shopping_min_tracks: int = 3
    task_time_limit_seconds: int = 120
    sse_heartbeat_seconds: float = 15.0

    # One number sizes a web process: the requests it works on at once, the threads
    # they run in (anyio's limiter) and the database connections they hold. More
    # requests wait at most `request_queue_seconds` in a queue of `request_queue`,
    # then get 503 with Retry-After, so an overloaded process sheds load and never wedges.
    # Five seconds: a person waits that long for a page rather than be told to try again.
    db_pool_size: int = 20
    db_pool_timeout_seconds: float = 2.0
    request_queue: int = 1000
    request_queue_seconds: float = 5.0
    # Writes at once per process (each also takes one of the slots above), and how long a
    # write waits for one before 503: a save queued behind others is worth a longer wait
    # than a read, and waiting here holds no thread or connection.
    write_slots: int = 4
    write_queue_seconds: float = 6.0

    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    # `/metrics` answers only a request bearing this token; empty turns it off.
    metrics_token: str = ""
    # A worker serves its task metrics on this port (0: off), with the same token.
    worker_metrics_port: int = 0
    worker_metrics_host: str = "127.0.0.1"

    # Webhooks: a try waits `webhook_timeout_seconds` for an answer; a failed one is tried
    # again after `webhook_backoff_seconds` * 2^(tries - 1) (at most the max), up to
    # `webhook_max_tries` in all. A URL whose host is a private, loopback or link-local
    # address is refused unless `webhook_allow_private_hosts` (a receiver on the same
    # network as Accord, or a test).
    webhook_timeout_seconds: float = 10.0
    webhook_max_tries: int = 8
    webhook_backoff_seconds: float = 30.0
    webhook_backoff_max_seconds: float = 3600.0
    webhook_allow_private_hosts: bool = False
    # E-mail over SMTP (sign-off notices and daily digests); no host, no mail. `smtp_tls`:
    # "starttls" upgrades a plain connection, "ssl" connects over TLS, "none" is plain.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_tls: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: float = 20.0
    mail_sender: str = "Accord <accord@localhost>"
    # The address people open Accord at, for the links in mails (no trailing slash).
    public_url: str = "http://127.0.0.1:8000"
    # The daily digest goes out at the first beat after this hour (UTC).
    digest_hour_utc: int = Field(default=6, ge=0, le=23)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: Any) -> list[str]:
        items = value.split(",") if isinstance(value, str) else list(value or [])
        out = [str(item).strip() for item in items if str(item).strip()]
        for item in out:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
        return out

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key in PLACEHOLDER_SECRETS or len(self.secret_key) < 32
        ):
            raise ValueError(
                "ACCORD_SECRET_KEY must be set to a random value of 32 characters or more in production"
            )
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'accord.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    @property
    def broker_url(self) -> str:
        if self.redis_url:
            return self.redis_url
        return f"sqla+sqlite:///{(self.data_dir / 'broker.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
