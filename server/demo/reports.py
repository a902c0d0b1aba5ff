"""The demo's field reports: what humanitarian organisations, UN agencies, local actors and embassies saw."""

from __future__ import annotations

from typing import Any

from server.demo.world import Day


def _report(
    day: int, source: str, text: str, *, crisis: str | None = None, track: str | None = None, **more: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"date": Day(day), "source_kind": source, "text": text}
    if crisis:
        out["crisis"] = crisis
    if track:
        out["initiative"] = track
    out.update(more)
    return out


def field_reports() -> list[dict[str, Any]]:
    rn, mm, dw, ro = "relief-net", "meridian-medics", "delta-women", "seas-refugee-office"
    return [
        # Eastern Corridor: NGOs, UN agencies, local actors and embassies, all through the six months.
        _report(
            -170,
            "ngo",
            "Checkpoints at Brennick closed for four days; 30 trucks turned back.",
            crisis="corridor",
            org=rn,
        ),
        _report(
            -140, "un", "Displacement to the Lowmoor camps passes 60,000 people.", crisis="corridor", org=ro
        ),
        _report(
            -118,
            "local_actor",
            "Traders in Vell report grain prices doubled since spring.",
            crisis="corridor",
        ),
        _report(
            -96,
            "embassy",
            "The Corridor Union's interior ministry signals openness to notification talks.",
            crisis="corridor",
            org="varnia-mfa",
        ),
        _report(
            -71,
            "ngo",
            "Mobile clinic team held for six hours at the Tamsk bridge, then released.",
            crisis="corridor",
            org=mm,
        ),
        _report(
            -52,
            "un",
            "Water trucking to Ostra covers a third of needs; pumps need spare parts.",
            crisis="corridor",
            org=ro,
        ),
        _report(
            -33,
            "local_actor",
            "Camp committees in Lowmoor ask for lighting near latrines.",
            crisis="corridor",
        ),
        _report(-12, "ngo", "Two checkpoints closed again after shelling.", track="corridor-access", org=rn),
        _report(
            -9,
            "un",
            "Cash distribution in Lowmoor reached 18,400 families this month.",
            crisis="corridor",
            org=ro,
        ),
        _report(-5, "local_actor", "Convoy reached Vell after a six-hour delay.", track="corridor-access"),
        # Saltmarsh Delta.
        _report(
            -160,
            "un",
            "Flooding along the Linden Reach dykes displaces 12,000 people.",
            crisis="delta",
            org=ro,
        ),
        _report(
            -125,
            "local_actor",
            "Women's groups in Marsh Point report clinics turning patients away for lack of medicines.",
            crisis="delta",
            org=dw,
        ),
        _report(
            -90,
            "ngo",
            "Medicine stocks at three Marsh Point clinics below two weeks.",
            track="delta-clinic-supplies",
            org=mm,
        ),
        _report(
            -61, "ngo", "Cold chain restored at the Marsh Point depot.", track="delta-clinic-supplies", org=mm
        ),
        _report(
            -40,
            "local_actor",
            "Council fighters set up a post at the northern Kessel Bay water point.",
            track="delta-water",
            org=dw,
            red_line_breached="no water points used as military positions",
        ),
        _report(
            -27,
            "un",
            "Port Avel customs clearing relief cargo in three days on average.",
            crisis="delta",
            org=ro,
        ),
        _report(
            -9,
            "ngo",
            "Reed Brigades fighters occupied the Linden Reach shelter for two nights.",
            track="delta-shelters",
            org=rn,
            red_line_breached="no armed presence in shelters",
        ),
        _report(
            -8,
            "un",
            "Clinic in Marsh Point struck; staff withdrawn.",
            crisis="delta",
            org=ro,
            red_line_breached="no attacks on clinics",
        ),
        _report(
            -6,
            "local_actor",
            "Fishing boats back at sea in Kessel Bay for the first time since the floods.",
            crisis="delta",
            org=dw,
        ),
        _report(
            -3,
            "ngo",
            "Medicines delivered to all twelve Marsh Point clinics.",
            track="delta-clinic-supplies",
            org=mm,
        ),
        # Karst Highlands.
        _report(
            -175, "un", "Returns to Dorn begin; 1,200 households registered.", crisis="highlands", org=ro
        ),
        _report(-131, "ngo", "Water points repaired in two return villages.", track="karst-returns", org=rn),
        _report(
            -99,
            "embassy",
            "Karstian officials ask for help with school reconstruction in Dorn.",
            crisis="highlands",
            org="varnia-mfa",
        ),
        _report(-64, "ngo", "Front checkpoints tax relief goods at Upper Vask.", crisis="highlands", org=rn),
        _report(
            -41,
            "un",
            "Tallow camp population stable at 9,000; winter kits short by a third.",
            crisis="highlands",
            org=ro,
        ),
        _report(
            -20, "ngo", "Water points repaired in two more return villages.", track="karst-returns", org=rn
        ),
        _report(
            -11,
            "local_actor",
            "Village councils in Dorn report teachers unpaid for two months.",
            crisis="highlands",
        ),
        _report(
            -4, "un", "Mine incident on the Kell Pass road; one returnee injured.", crisis="highlands", org=ro
        ),
        # Sundermere: only NGOs report (D1's true alert); the UN report is too old to count.
        _report(
            -95,
            "un",
            "First assessment of the siege: Greyhaven's water supply at a fifth of normal.",
            crisis="sundermere",
            org=ro,
        ),
        _report(
            -50,
            "ngo",
            "Relief ship turned away from Port Sunder for lack of a berth.",
            crisis="sundermere",
            org=rn,
        ),
        _report(
            -29,
            "ngo",
            "Greyhaven hospital on generator power for the tenth day.",
            crisis="sundermere",
            org=mm,
        ),
        _report(
            -14,
            "ngo",
            "Patients on the Isle of Mott waiting for evacuation now number 60.",
            crisis="sundermere",
            org=mm,
        ),
        _report(
            -2,
            "ngo",
            "Desalination plant at Port Sunder ran all week on relief fuel.",
            crisis="sundermere",
            org=rn,
        ),
    ]
