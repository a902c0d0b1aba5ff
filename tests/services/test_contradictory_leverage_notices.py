"""Contradictory leverage between tracks not shared with each other: a blind notice on each
side, a request to coordinate from it, and the alert cleared once the other side accepts."""

from __future__ import annotations

from sqlmodel import Session, select

from server.models import Alert
from server.services import coordination
from tests import factories
from workers.tasks import check_everything_now

CLASH = "N4:contradictory_leverage:lfa,t-freeze,t-fund"


def _alert(db: Session) -> Alert:
    db.expire_all()
    return db.exec(select(Alert).where(Alert.fingerprint == CLASH)).one()


def test_notice_request_and_acceptance_clear_the_clash(db: Session, db_backend: str) -> None:
    factories.load(
        db,
        factories.document(
            initiatives=[
                factories.initiative(
                    "t-fund",
                    title="Reconstruction fund for the valleys",
                    leverage=[{"kind": "incentive", "description": "Reconstruction fund access"}],
                ),
                factories.initiative(
                    "t-freeze",
                    owner="ostmark-fa",
                    title="Asset freezes on LFA commanders",
                    kind="political",
                    leverage=[
                        {
                            "kind": "sanction",
                            "description": "Asset freezes on three commanders",
                            "status": "active",
                            "do_no_harm_assessment": True,
                        }
                    ],
                ),
            ]
        ),
    )
    varnia = factories.person(db, "varnia-mfa", "desk_officer")
    ostmark = factories.person(db, "ostmark-fa", "desk_officer")
    check_everything_now()
    alert = _alert(db)
    assert alert.status == "open" and alert.severity == "high"

    # Each side reads a notice on its own track, naming the other organisation and the crisis only.
    for reader, other, hidden in (
        (varnia, "Ostmark, Foreign Office", "Asset freezes"),
        (ostmark, "Varnia, Ministry of Foreign Affairs", "Reconstruction fund"),
    ):
        (notice,) = [n for n in coordination.notices(db, reader) if n.alert_id == alert.id]
        assert notice.kind == "contradictory_leverage" and notice.other_organisations == [other]
        said = " ".join([notice.message, *notice.evidence, notice.remedy])
        assert hidden not in said and "Lowland Freedom Army" in said

    (made,) = coordination.request(db, varnia, {"alert_id": alert.id})
    db.commit()
    assert made.id is not None
    coordination.accept(db, ostmark, made.id)
    db.commit()
    check_everything_now()
    assert _alert(db).status == "resolved", "the two tracks are now linked as coordinated"
