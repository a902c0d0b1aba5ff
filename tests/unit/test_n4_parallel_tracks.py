"""Cases for don't #4: parallel uncoordinated tracks and forum shopping, with near misses."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from server.domain.checks import n4_parallel_tracks as n4
from server.domain.overlap import OverlapIndex, TrackRecord
from server.domain.snapshot import CheckSettings, FindingView, Snapshot, parse_document

ORGS = [
    {"key": "varnia-mfa", "name": "Varnia, Ministry of Foreign Affairs", "kind": "department",
     "government": "varnia"},
    {"key": "varnia-dev", "name": "Varnia, Development Agency", "kind": "department", "government": "varnia"},
    {"key": "ostmark", "name": "Kingdom of Ostmark", "kind": "state", "government": "ostmark"},
    {"key": "selden", "name": "Republic of Selden", "kind": "state", "government": "selden"},
    {"key": "quorra", "name": "Quorra Federation", "kind": "state", "government": "quorra"},
]  # fmt: skip
CRISES = [
    {"key": "corridor", "name": "Eastern Corridor crisis", "region": "Eastern Corridor"},
    {"key": "delta", "name": "Marrow Delta crisis", "region": "Marrow Delta"},
    {"key": "corridor-south", "name": "Southern Corridor floods", "region": "Eastern Corridor"},
]
PARTIES = [
    {"key": "lfa", "name": "Lowland Freedom Army", "kind": "armed_group"},
    {"key": "hcc", "name": "Highland Civic Council", "kind": "de_facto_authority"},
    {"key": "tarn", "name": "Republic of Tarn", "kind": "state"},
    {"key": "brm", "name": "Black Reed Movement", "kind": "armed_group"},
]

# Two desks describe the same process in their own words.
A = {
    "key": "t1", "owner": "varnia-mfa", "kind": "humanitarian", "crisis": "corridor",
    "title": "Access talks for the northern valleys",
    "description": "Negotiating with the Lowland Freedom Army so that aid convoys can pass the "
                   "checkpoints on the road to Vell and Ostra.",
    "parties": ["lfa", "tarn"],
    "aims": ["humanitarian access to Vell and Ostra", "weekly aid convoys through the checkpoints"],
    "start": "2026-01-10", "end": "2026-09-30",
}  # fmt: skip
B = {
    "key": "t2", "owner": "ostmark", "kind": "humanitarian", "crisis": "corridor",
    "title": "Dialogue on relief entry to Vell",
    "description": "Ostmark's envoy holds discussions with Tarn and the LFA command about letting "
                   "relief trucks reach Ostra and Vell past the crossings.",
    "parties": ["tarn", "lfa"],
    "aims": ["trucks with relief supplies reach Vell", "reopen crossings near Ostra"],
    "start": "2026-03-01", "end": "2026-12-31",
}  # fmt: skip
C = {
    "key": "t3", "owner": "selden", "kind": "humanitarian", "crisis": "corridor",
    "title": "Prisoner exchange between Tarn and the Black Reed Movement",
    "description": "Mediation of a swap of detainees held since the winter offensive.",
    "parties": ["tarn", "brm"],
    "aims": ["release of detainees held by both sides", "family visits for prisoners"],
    "start": "2026-02-01", "end": "2026-10-31",
}  # fmt: skip


def doc(*tracks: dict[str, Any], today: str = "2026-06-01") -> dict[str, Any]:
    return {
        "format": "accord-workspace/1",
        "today": today,
        "organisations": ORGS,
        "crises": CRISES,
        "parties": PARTIES,
        "initiatives": [copy.deepcopy(t) for t in tracks],
    }


def with_(track: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(track)
    out.update(changes)
    return out


def pair_findings(data: dict[str, Any], focus: set[str] | None = None) -> list[tuple[str, ...]]:
    found = n4.run(Snapshot.from_document(data, focus=focus))
    return [f.subjects for f in found if f.kind == n4.PAIR_KIND]


AIRPORT_FLIGHTS = {
    "title": "Vell airport flights", "description": "Relief flights into Vell.",
    "aims": ["humanitarian flights allowed to land at Vell airport"],
}  # fmt: skip
AIRPORT_LANDING = {
    "title": "Landing rights for relief aircraft", "description": "Cargo planes for Vell.",
    "aims": ["relief cargo planes granted landing rights at the Vell airfield"],
}  # fmt: skip
AIRPORT_WAGES = {
    "title": "Vell airport wages", "description": "Arrears owed to the airport's civil staff.",
    "aims": ["unpaid salaries of Vell airport's civilian employees settled"],
}  # fmt: skip


# (name, tracks, expected pairs)
PAIR_CASES: list[Any] = [
    ("paraphrase by another state", [A, B], [("t1", "t2")]),
    ("paraphrase by another department of the same government", [A, with_(B, owner="varnia-dev")],
     [("t1", "t2")]),
    ("paraphrase with reordered aims", [A, with_(B, aims=list(reversed(B["aims"])))], [("t1", "t2")]),
    ("paused track still runs", [A, with_(B, status="paused")], [("t1", "t2")]),
    ("open-ended dates overlap", [with_(A, start=None, end=None), B], [("t1", "t2")]),
    ("one shared party is enough when the aims match", [A, with_(B, parties=["lfa", "hcc"])], [("t1", "t2")]),
    ("no parties recorded on one side", [A, with_(B, parties=[])], [("t1", "t2")]),
    ("humanitarian and political on the same parties", [A, with_(B, kind="political")], [("t1", "t2")]),
    ("crises sharing a region", [A, with_(B, crisis="corridor-south")], [("t1", "t2")]),
    ("coordination recorded only by the other side is still coordination",
     [A, with_(B, coordinated_with=["t1"])], []),
    ("coordinated, recorded by this side", [with_(A, coordinated_with=["t2"]), B], []),
    ("same owner", [A, with_(B, owner="varnia-mfa")], []),
    ("dates do not overlap", [A, with_(B, start="2026-10-01", end="2027-03-01")], []),
    ("closed track", [A, with_(B, status="closed")], []),
    ("a draft that would run beside the other", [A, with_(B, status="draft")], [("t1", "t2")]),
    ("a draft that would start after the other ends", [A, with_(B, status="draft", start="2026-10-01")], []),
    ("ended before today", [A, with_(B, start="2025-01-01", end="2026-05-31")], []),
    ("different crisis in another region", [A, with_(B, crisis="delta")], []),
    ("same crisis, other parties", [A, with_(B, parties=["hcc", "brm"])], []),
    # The sentence model puts convoy access and a prisoner exchange 0.42 apart; the fields
    # of work they name (access, detention) tell them apart.
    ("same crisis and parties, other aims", [A, with_(C, parties=["lfa", "tarn"])], []),
    ("same crisis, unrelated process", [A, C], []),
    ("three desks on one process", [A, B, with_(A, key="t4", owner="selden", title="Convoy access to Ostra")],
     [("t1", "t2"), ("t1", "t4"), ("t2", "t4")]),
    # The kind of place ("the airport") says where a track works, not what it seeks: two
    # desks at one airport with other aims are two processes; one aim told twice is one.
    ("same site, same aim in other words", [with_(A, **AIRPORT_FLIGHTS), with_(B, **AIRPORT_LANDING)],
     [("t1", "t2")]),
    ("same site, other aims", [with_(A, **AIRPORT_FLIGHTS), with_(B, **AIRPORT_WAGES)], []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "tracks", "expected"),
    PAIR_CASES,
    ids=[c.values[0] if hasattr(c, "values") else c[0] for c in PAIR_CASES],
)
def test_pairs(name: str, tracks: list[dict[str, Any]], expected: list[tuple[str, ...]]) -> None:
    assert pair_findings(doc(*tracks)) == expected


def _three_on_tarn(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    # Three owners engage Tarn at once on one question, the people it detains, each in
    # its own words and on its own crisis: forum shopping, whether or not they pair.
    t1 = with_(
        A,
        key="t1",
        title="Detainees held by Tarn",
        description="Civilians arrested at checkpoints.",
        aims=["release of civilians detained by the Republic of Tarn"],
        parties=["tarn", "lfa"],
    )
    t3 = with_(
        C,
        key="t3",
        title="Prisoner release",
        description="Mediation with Tarn's interior ministry.",
        aims=["freedom for prisoners held in Tarn jails"],
        parties=["tarn", "brm"],
        crisis="delta",
    )
    t5 = with_(
        A,
        key="t5",
        owner="quorra",
        title="Captives in Tarn",
        description="Quiet contacts.",
        aims=["people held captive by Tarn set free"],
        parties=["tarn"],
    )
    tracks = {"t1": t1, "t3": t3, "t5": t5}
    for key, change in changes.items():
        tracks[key] = with_(tracks[key], **change)
    return list(tracks.values())


def _three_questions_on_tarn() -> list[dict[str, Any]]:
    # The near miss: three owners engage Tarn at once, each on a question of its own.
    t1, t3, t5 = _three_on_tarn()
    return [
        t1,
        with_(t3, title="Water for Vell", description="The pumping station was hit.",
              aims=["repair of the pumping station serving Vell"]),
        with_(t5, title="Exams in Ostra", description="Schools closed since the winter.",
              aims=["pupils in Ostra able to sit their exams"]),
    ]  # fmt: skip


FORUM_CASES: list[tuple[str, list[dict[str, Any]], list[tuple[str, ...]]]] = [
    ("three owners engage Tarn at once on one question", _three_on_tarn(), [("t1", "t3", "t5")]),
    ("three owners engage Tarn at once on three questions", _three_questions_on_tarn(), []),
    ("two of the three on another question", [*_three_on_tarn()[:2], _three_questions_on_tarn()[2]], []),
    ("two of the three coordinated", _three_on_tarn(t5={"coordinated_with": ["t3"]}), []),
    ("two of the three by one owner", _three_on_tarn(t5={"owner": "selden"}), []),
    ("one of the three closed", _three_on_tarn(t5={"status": "closed"}), []),
    ("one of the three not at the same time",
     _three_on_tarn(t5={"start": "2026-10-01", "end": "2027-01-01"}), []),
    ("four tracks, one coordinated pair: the other three are still parallel",
     [*_three_on_tarn(), with_(_three_on_tarn()[0], key="t6", owner="varnia-dev", title="Tarn's detainees",
                               coordinated_with=["t5"])],
     [("t1", "t3", "t5", "t6")]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "tracks", "expected"), FORUM_CASES, ids=[c[0] for c in FORUM_CASES])
def test_forum_shopping(name: str, tracks: list[dict[str, Any]], expected: list[tuple[str, ...]]) -> None:
    found = [f for f in n4.run(Snapshot.from_document(doc(*tracks))) if f.kind == n4.FORUM_KIND]
    assert [f.initiatives for f in found] == expected
    for f in found:
        assert f.subjects == ("tarn",)


def test_forum_shopping_setting_raises_the_bar() -> None:
    snap = Snapshot(
        parse_document(doc(*_three_on_tarn())), settings=CheckSettings(forum_shopping_min_tracks=4)
    )
    assert [f for f in n4.run(snap) if f.kind == n4.FORUM_KIND] == []


def test_pair_finding_explains_itself() -> None:
    (f,) = [f for f in n4.run(Snapshot.from_document(doc(A, B))) if f.kind == n4.PAIR_KIND]
    assert (f.principle, f.subjects, f.initiatives, f.words) == ("N4", ("t1", "t2"), ("t1", "t2"), n4.WORDS)
    text = " ".join((f.message, *f.evidence))
    assert "Kingdom of Ostmark" in text and "Lowland Freedom Army" in text and "Republic of Tarn" in text
    assert "2026-03-01 to 2026-09-30" in text
    assert "Vell" in text  # a phrase that matched
    assert "coordinated" in f.remedy and "merge" in f.remedy and "separate" in f.remedy
    assert f.severity in ("high", "medium")


def _leaks(view: FindingView, track: dict[str, Any]) -> list[str]:
    body = " ".join((view.message, *view.evidence, view.remedy))
    party_names = {p["key"]: p["name"] for p in PARTIES}
    secrets = [track["title"], track["description"], *track["aims"], track["start"], track["end"]]
    secrets += [party_names[p] for p in track["parties"]] + list(track["parties"])
    return [s for s in secrets if s and s in body]


def test_pair_views_name_only_the_other_organisation_and_the_crisis() -> None:
    (f,) = [f for f in n4.run(Snapshot.from_document(doc(A, B))) if f.kind == n4.PAIR_KIND]
    assert set(f.views) == {"t1", "t2"}
    assert (
        "Kingdom of Ostmark" in f.views["t1"].message and "Eastern Corridor crisis" in f.views["t1"].message
    )
    assert "Varnia, Ministry of Foreign Affairs" in f.views["t2"].message
    assert "coordination" in f.views["t1"].remedy
    assert _leaks(f.views["t1"], B) == [] and _leaks(f.views["t2"], A) == []
    assert "t2" not in f.views["t1"].message


def test_forum_views_reveal_no_other_track() -> None:
    tracks = _three_on_tarn()
    (f,) = [f for f in n4.run(Snapshot.from_document(doc(*tracks))) if f.kind == n4.FORUM_KIND]
    for mine in tracks:
        view = f.views[mine["key"]]
        for theirs in tracks:
            if theirs is not mine:
                assert _leaks(view, theirs) == []
                assert theirs["key"] not in view.message


@pytest.mark.parametrize("focus", [{"t1"}, {"t2"}, {"t3"}, {"t5"}, {"t1", "t5"}])
def test_focus_gives_the_full_run_findings_that_touch_it(focus: set[str]) -> None:
    tracks = [*_three_on_tarn(), B]
    full = n4.run(Snapshot.from_document(doc(*tracks)))
    focused = n4.run(Snapshot.from_document(doc(*tracks), focus=focus))
    assert focused == [f for f in full if focus & set(f.initiatives)]


def test_incremental_updates_match_a_fresh_build() -> None:
    tracks = [A, B, C, *_three_on_tarn()[2:]]
    snap = Snapshot.from_document(doc(*tracks))
    index = OverlapIndex.build([], snap.today, OverlapIndex.from_snapshot(snap).names)
    for t in snap.ws.initiatives:
        index.update(TrackRecord.from_initiative(t))
    assert n4.findings(index) == n4.run(snap)
    # Edit: t2 moves out of the overlap window, then comes back; t3 is deleted.
    changed = with_(B, start="2026-10-01", end="2027-03-01")
    index.update(TrackRecord.from_initiative(parse_document(doc(changed)).initiatives[0]))
    assert ("t1", "t2") not in [f.subjects for f in n4.findings(index) if f.kind == n4.PAIR_KIND]
    index.update(TrackRecord.from_initiative(snap.initiatives["t2"]))
    index.remove("t3")
    fresh = Snapshot.from_document(doc(A, B, *_three_on_tarn()[2:]))
    assert n4.findings(index) == n4.run(fresh)


def test_candidates_are_capped() -> None:
    many = [
        with_(A, key=f"c{n}", owner=["ostmark", "selden", "quorra", "varnia-dev"][n % 4]) for n in range(80)
    ]
    index = OverlapIndex.from_snapshot(Snapshot.from_document(doc(A, *many)), max_candidates=50)
    assert len(index.candidates("t1")) == 50
    assert index.candidates("nope") == []


def test_registry_shape() -> None:
    assert n4.ID == "N4" and n4.TITLE and "forum shopping" in n4.WORDS
    assert dt.date(2026, 6, 1) == Snapshot.from_document(doc()).today


def _crowd() -> list[dict[str, Any]]:
    # Forty variants of two processes in one crisis: with a cap of four candidates, which
    # pairs are found depends on the cap, in both directions.
    owners = ["varnia-mfa", "varnia-dev", "ostmark", "selden", "quorra"]
    places = ["Vell", "Ostra", "Dubrin", "Kamen Ridge"]
    out = []
    for n in range(40):
        base = A if n % 2 else C
        out.append(
            with_(
                base,
                key=f"k{n}",
                owner=owners[n % 5],
                title=f"{base['title']} ({places[n % 4]})",
                aims=base["aims"][: 1 + n % 2],
                start=f"2026-0{1 + n % 5}-01",
            )
        )
    return out


def test_incremental_updates_match_a_fresh_build_when_candidates_are_capped() -> None:
    snap = Snapshot.from_document(doc(*_crowd()))
    index = OverlapIndex.from_snapshot(snap, max_candidates=4)
    records = dict(index.records)
    edits: dict[str, dict[str, Any]] = {
        "k3": {"end": dt.date(2026, 6, 15)},
        "k8": {"parties": frozenset({"tarn"})},
        "k11": {"aims": ("humanitarian access to Dubrin",), "owner": "quorra"},
        "k20": {"status": "closed"},
        "k3 again": {"end": dt.date(2026, 12, 31)},
    }
    for key, change in edits.items():
        key = key.split()[0]
        records[key] = replace(records[key], **change)
        index.update(records[key])
    index.remove("k30")
    del records["k30"]
    fresh = OverlapIndex.build(records.values(), snap.today, index.names, max_candidates=4)
    full = n4.findings(fresh)
    assert len([f for f in full if f.kind == n4.PAIR_KIND]) > 10
    assert n4.findings(index) == full
    for focus in ({"k1"}, {"k3"}, {"k8"}, {"k11"}, {"k20"}, {"k31"}, {"k1", "k3", "k8", "k11"}, {"k2", "k4"}):
        assert n4.findings(index, focus=focus) == [f for f in full if focus & set(f.initiatives)]
    assert all(len(index.candidates(k)) <= 4 for k in records)


def test_site_words_and_names_are_kept_out_of_the_vector() -> None:
    from server.domain.overlap import text

    sentences = text.sentences(
        "Vell airport flights", ["humanitarian flights allowed to land at Vell airport"]
    )
    assert sentences == ["flights", "humanitarian flights allowed to land at"]
    # A first word the vocabulary splits is no name when the track writes it in lower case.
    assert text.sentences("Vaccination access", ["vaccination teams allowed in"])[0] == "Vaccination access"
    assert text.names("Vell airport flights", ["flights to land at Vell and Upper Teel", "UN planes"]) == {
        "vell",
        "upper",
        "teel",
    }


def test_tracks_at_different_named_sites_score_lower() -> None:
    mill = with_(A, title="Repair of the Kavelor mill", aims=["engineers repair the Kavelor mill"])
    dam = with_(B, title="Repair of the Dosta dam", aims=["engineers repair the Dosta dam"])
    same = with_(B, title="Kavelor mill repairs", aims=["engineers repair the mill at Kavelor"])
    index = OverlapIndex.from_snapshot(Snapshot.from_document(doc(mill, dam)))
    assert index.sites("t1") == {"kavelor"} and index.sites("t2") == {"dosta"}
    assert index.other_sites("t1", "t2")
    apart = index.score("t1", "t2")
    together = OverlapIndex.from_snapshot(Snapshot.from_document(doc(mill, same))).score("t1", "t2")
    assert apart is not None and together is not None
    assert apart.score < together.score
    # Party and crisis names are not places: "Lowland" is in a party's name.
    index = OverlapIndex.from_snapshot(
        Snapshot.from_document(doc(with_(A, aims=["convoys reach the Lowland Freedom Army's areas"]), B))
    )
    assert index.sites("t1") == set()
