"""E-mail end to end: a real worker hands mail to a real SMTP server started in the test."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, col, select

from server.db import get_engine
from server.models import Alert, Initiative, Organisation, User
from server.models.webhooks import MailMessage
from server.relay import relay_pending
from server.services import decisions, mail
from server.settings import get_settings
from tests import factories
from tests.web.conftest import signin_form
from tests.workers.conftest import Worker, wait_for

SHARED_TEXT = "Open the northern convoy route on Tuesdays and Fridays"
PRIVATE_TITLE = "Delta back channel"
PRIVATE_TEXT = "Talk to the river elders before the partners hear of it"


class Inbox:
    """An SMTP server on a free port that keeps every message it is handed."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content))
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    box = Inbox()
    monkeypatch.setenv("ACCORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ACCORD_SMTP_PORT", str(box.port))
    monkeypatch.setenv("ACCORD_SMTP_TLS", "none")
    monkeypatch.setenv("ACCORD_MAIL_SENDER", "Accord <accord@example.test>")
    monkeypatch.setenv("ACCORD_DIGEST_HOUR_UTC", "0")
    get_settings.cache_clear()
    yield box
    box.stop()


def _text(m: Message) -> str:
    part = m.get_payload(decode=True) if not m.is_multipart() else m.get_payload(0).get_payload(decode=True)  # type: ignore[union-attr]
    assert isinstance(part, bytes)
    return part.decode()


def _org(db: Session, key: str) -> int:
    org = db.exec(select(Organisation).where(Organisation.key == key)).one()
    assert org.id is not None
    return org.id


def _world(db: Session) -> dict[str, Any]:
    """A track of Varnia shared with Ostmark for sign-off, and one it keeps to itself."""
    factories.load(
        db,
        factories.document(
            initiatives=[
                factories.initiative(
                    "shared",
                    title="Access talks for the northern valleys",
                    end="2099-12-31",
                    shared_with=[{"government": "ostmark", "level": "sign-off"}],
                ),
                factories.initiative("private", title=PRIVATE_TITLE, end="2099-12-31"),
            ]
        ),
    )
    ids = {t.key: t.id for t in db.exec(select(Initiative)).all()}
    people = {
        "desk": factories.person(db, "varnia-mfa", "desk_officer"),
        "dev": factories.person(db, "varnia-dev", "desk_officer"),
        "partner": factories.person(db, "ostmark-fa", "desk_officer"),
    }
    return {**ids, **people}


def _decide(db: Session, actor: User, initiative_id: int, text: str, touches: list[int]) -> int:
    entry = decisions.log(
        db,
        actor,
        initiative_id,
        {"text": text, "date": date(2026, 6, 1), "kind": "other", "touches": touches},
    )
    db.commit()
    assert entry.id is not None
    return entry.id


def _messages() -> list[MailMessage]:
    with Session(get_engine()) as s:
        return list(s.exec(select(MailMessage).order_by(col(MailMessage.id))).all())


def _open_alerts() -> int:
    with Session(get_engine()) as s:
        return len(s.exec(select(Alert.id).where(Alert.status == "open")).all())


@pytest.mark.worker
def test_signoff_notice_and_digests_arrive_and_name_only_what_each_may_see(
    on_redis: str, inbox: Inbox, db: Session, workers: Callable[..., Worker]
) -> None:
    w = workers()
    world = _world(db)
    for who in ("dev", "partner"):
        mail.set_choices(db, world[who], {"signoff_notices": True, "daily_digest": True})
    mail.set_choices(db, world["desk"], {"signoff_notices": True, "daily_digest": True})
    db.commit()
    relay_pending()  # the import's checks: the private track's alerts open
    try:
        wait_for(lambda: _open_alerts() > 0, 60, what="the checks' alerts")
    except AssertionError:
        print(w.log()[-5000:])
        raise
    # Varnia's development agency and Ostmark are asked; the logger's own ministry is not.
    shared_decision = _decide(
        db, world["desk"], world["shared"], SHARED_TEXT, [_org(db, "varnia-dev"), _org(db, "ostmark-fa")]
    )
    private_decision = _decide(db, world["desk"], world["private"], PRIVATE_TEXT, [_org(db, "varnia-dev")])
    relay_pending()
    dev_mail, partner_mail = world["dev"].email, world["partner"].email
    try:
        wait_for(lambda: len(inbox.to(dev_mail)) >= 2, 60, what="two notices to the development agency")
        wait_for(lambda: len(inbox.to(partner_mail)) >= 1, 60, what="a notice to Ostmark")
    except AssertionError:
        print(w.log()[-5000:])
        raise
    notices = {m["Subject"]: _text(m) for m in inbox.to(dev_mail)}
    assert any(SHARED_TEXT in t for t in notices.values()) and any(
        PRIVATE_TEXT in t for t in notices.values()
    )
    assert f"#decision-{shared_decision}" in "".join(notices.values())
    (partner_notice,) = inbox.to(partner_mail)
    assert partner_notice["From"] == "Accord <accord@example.test>"
    assert SHARED_TEXT in _text(partner_notice)
    assert not inbox.to(world["desk"].email)  # the logger signed as they logged: nothing asked of them

    # The digests, made as beat makes them, sent by the worker through the outbox.
    with Session(get_engine(write=True)) as s:
        made = mail.digests_due(s, now=datetime.now().replace(hour=23))
        s.commit()
    assert len(made) == 3
    relay_pending()
    try:
        wait_for(lambda: len(inbox.to(partner_mail)) >= 2, 60, what="Ostmark's digest")
        wait_for(lambda: len(inbox.to(dev_mail)) >= 3, 60, what="the development agency's digest")
        wait_for(lambda: len(inbox.to(world["desk"].email)) >= 1, 60, what="the ministry's digest")
    except AssertionError:
        print(w.log()[-5000:])
        raise
    partner_digest = _text(inbox.to(partner_mail)[-1])
    assert "Accord digest" in inbox.to(partner_mail)[-1]["Subject"]
    assert SHARED_TEXT in partner_digest
    for hidden in (PRIVATE_TITLE, PRIVATE_TEXT, "private", f"#decision-{private_decision}"):
        assert hidden not in partner_digest, hidden
    home_digest = _text(inbox.to(world["desk"].email)[-1])
    assert "Open alerts" in home_digest
    dev_digest = _text(inbox.to(dev_mail)[-1])
    assert SHARED_TEXT in dev_digest and PRIVATE_TEXT in dev_digest
    # Each mail once: asking again makes nothing new.
    with Session(get_engine(write=True)) as s:
        assert mail.digests_due(s, now=datetime.now().replace(hour=23)) == []
    wait_for(lambda: all(m.status in ("sent", "skipped") for m in _messages()), 30, what="every mail done")
    assert (
        sorted(m.kind for m in _messages() if m.status == "sent") == ["digest"] * 3 + ["signoff_notice"] * 3
    )


def test_partner_digest_is_written_as_the_partner_reads(db: Session, inbox: Inbox) -> None:
    world = _world(db)
    _decide(db, world["desk"], world["shared"], SHARED_TEXT, [_org(db, "ostmark-fa")])
    _decide(
        db, world["desk"], world["private"], PRIVATE_TEXT, [_org(db, "ostmark-fa"), _org(db, "varnia-dev")]
    )
    mail.set_choices(db, world["partner"], {"daily_digest": True})
    mail.set_choices(db, world["dev"], {"daily_digest": False, "signoff_notices": True})
    db.commit()
    (made,) = mail.digests_due(db, now=datetime.now().replace(hour=23))
    db.commit()
    written = mail.compose(db, made)
    assert written is not None and written.to == world["partner"].email
    assert SHARED_TEXT in written.text
    assert PRIVATE_TEXT not in written.text and PRIVATE_TITLE not in written.text
    mail.send(written)
    wait_for(lambda: inbox.to(world["partner"].email), 10, what="the mail")


def test_choices_are_validated_and_kept(db: Session) -> None:
    world = _world(db)
    assert not mail.choices(db, world["dev"]).daily_digest
    mail.set_choices(db, world["dev"], {"daily_digest": True})
    db.commit()
    assert mail.choices(db, world["dev"]).daily_digest and not mail.choices(db, world["dev"]).signoff_notices
    from server.services.errors import Invalid

    with pytest.raises(Invalid):
        mail.set_choices(db, world["dev"], {"daily_digest": True, "weekly": True})


def test_account_page_offers_and_keeps_the_choices(db: Session) -> None:
    import re

    from fastapi.testclient import TestClient

    from server.app import create_app

    world = _world(db)
    with TestClient(create_app(), follow_redirects=False) as client:
        r = client.post("/signin", data=signin_form(client, world["dev"].email))
        assert r.status_code == 303
        page = client.get("/account").text
        assert 'name="daily_digest"' in page and 'name="signoff_notices"' in page
        m = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert m
        r = client.post("/account/mail", data={"csrf_token": m.group(1), "signoff_notices": "1"})
        assert r.status_code == 303
        db.expire_all()
        chosen = mail.choices(db, world["dev"])
        assert chosen.signoff_notices and not chosen.daily_digest
        assert 'name="signoff_notices" value="1" checked' in client.get("/account").text
