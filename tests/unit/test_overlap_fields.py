"""The fields of work a track names, read by the sense its words have in their sentence.

A word of a field may carry another sense: "custody" of trucks is no detention, a payment
a party demands at a checkpoint is no finance, weapons fired at a town are an attack and
not a question of arms. And a track whose only question is passage is not on the question
of a track that seeks a field's own work without passage, or that seeks to spare people
and places from attack.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from server.domain.overlap import THRESHOLD, text
from server.domain.overlap.records import other_questions
from tests.unit.overlap_pairs import pair_score as _score

TODAY = dt.date(2026, 6, 1)


def _fields(*aims: str) -> set[str]:
    got = text.fields("", aims)
    return {name for name, bit in text.FIELD_BITS.items() if got & bit}


@pytest.mark.parametrize(
    "aim",
    [
        "artillery fire on the old town stops",
        "no air strikes on the eastern clinics",
        "the militia stops striking grain silos",
        "field hospitals protected from attack",
        "a restrictive targeting directive for the northern front",
        "the army stops using heavy explosive weapons against the river towns",
    ],
)
def test_an_attack_is_named_by_its_means_or_target(aim: str) -> None:
    assert "civilians" in _fields(aim)


@pytest.mark.parametrize(
    "aim",
    [
        "the teachers' strike ends before the exams",
        "targeting criteria for cash assistance agreed with partners",
    ],
)
def test_a_strike_of_workers_and_the_targeting_of_aid_are_no_attack(aim: str) -> None:
    assert "civilians" not in _fields(aim)


def test_weapons_used_against_places_are_no_question_of_arms() -> None:
    assert "weapons" not in _fields("the army stops using heavy explosive weapons against the river towns")
    assert "weapons" in _fields("heavy weapons withdrawn ten kilometres from the line")


def test_customs_let_goods_through() -> None:
    assert "access" in _fields("customs clearance of relief cargo within two days")


def test_a_payment_demanded_of_aid_is_no_finance() -> None:
    assert "finance" not in _fields("no payment demanded at the river checkpoints")
    assert "finance" not in _fields("convoys pass without payments of tolls")
    assert "finance" in _fields("payments to partners through local banks")


@pytest.mark.parametrize(
    ("aim", "field"),
    [
        ("aid lorries kept in custody by the garrison handed back", "detention"),
        ("the garrison agrees to return the relief vehicles it took", "returns"),
    ],
)
def test_things_held_or_returned_are_no_people(aim: str, field: str) -> None:
    assert field not in _fields(aim)


@pytest.mark.parametrize(
    ("aim", "field"),
    [
        ("agency staff held in custody by the garrison freed", "detention"),
        ("drivers detained with their lorries released", "detention"),
        ("the displaced allowed to return home with their vehicles", "returns"),
    ],
)
def test_people_held_or_returned_with_things_are_still_people(aim: str, field: str) -> None:
    assert field in _fields(aim)


def _other_questions(a: str, b: str) -> bool:
    fa, fb = text.fields("", [a]), text.fields("", [b])
    return bool(other_questions(np.array(fa), np.array(fb)))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("relief convoys not fired on along the coast road", "relief convoys allowed along the coast road"),
        (
            "seed and tools handed out to the hill farmers",
            "relief convoys admitted through the hill checkpoints",
        ),
        (
            "no more air strikes on the eastern clinics",
            "customs clearance of medical cargo for the eastern clinics",
        ),
    ],
)
def test_passage_alone_and_another_question_are_other_questions(a: str, b: str) -> None:
    assert _other_questions(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "safe passage for relief convoys along the coast road",
            "relief convoys allowed along the coast road",
        ),
        (
            "vaccination teams admitted through the hill checkpoints",
            "relief convoys admitted through the hill checkpoints",
        ),
        ("hospitals in the east spared from air strikes", "no artillery fire on the eastern hospitals"),
    ],
)
def test_passage_beside_passage_or_one_attack_twice_is_one_question(a: str, b: str) -> None:
    assert not _other_questions(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Sparing convoys from attack, and letting them through.
        (
            "aid convoys protected from attack on the coast road",
            "permits for aid convoys to use the coast road",
        ),
        # A field's own work without passage, and passage alone.
        (
            "seed and tools handed out to the hill farmers before sowing",
            "relief convoys admitted through the hill checkpoints",
        ),
        # Attacks on clinics, and medical cargo through customs.
        (
            "no more air strikes on the eastern clinics",
            "customs clearance of medical cargo for the eastern clinics",
        ),
    ],
)
def test_passage_alone_and_another_question_are_two_processes(a: str, b: str) -> None:
    assert _score([a], [b]) < THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "safe passage for relief convoys along the coast road",
            "relief convoys allowed along the coast road",
        ),
        ("artillery fire on the old town stops", "an end to the shelling of the old town"),
        (
            "the garrison hands back the agencies' impounded lorries",
            "the relief trucks the garrison seized returned to the agencies",
        ),
    ],
)
def test_one_question_in_other_words_stays_one(a: str, b: str) -> None:
    assert _score([a], [b]) >= THRESHOLD


@pytest.mark.parametrize(
    "aim",
    ["salaries of the valley's teachers paid again", "Nurses' pay settled before winter"],
)
def test_the_pay_of_a_service_staff_is_pay_not_the_service(aim: str) -> None:
    got = _fields(aim)
    assert "pay" in got
    assert not got & {"education", "health"}


def test_pay_is_a_question_inside_livelihoods() -> None:
    assert {"pay", "livelihoods"} <= _fields("the valley's nurses unpaid since spring")


def test_a_sentence_on_pay_and_on_the_service_names_both() -> None:
    assert {"pay", "education"} <= _fields("teachers' salaries paid and schools reopened")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("salaries of the valley's teachers paid again", "schools in the valley reopened for the new term"),
        ("clinics of the valley spared from shelling", "medicines for the clinics of the valley"),
    ],
)
def test_pay_or_sparing_and_the_service_are_other_questions(a: str, b: str) -> None:
    assert _other_questions(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("salaries of the valley's teachers paid again", "back pay for the teachers of the valley"),
        (
            "clinics of the valley spared from shelling",
            "the air force respects and protects the valley's clinics",
        ),
    ],
)
def test_pay_or_sparing_in_other_words_is_one_question(a: str, b: str) -> None:
    assert not _other_questions(a, b)
    assert _score([a], [b]) >= THRESHOLD


def test_short_forms_of_the_field_are_spelt_out() -> None:
    assert text.spelt_out("MEDEVAC for the wounded, UXO cleared") == (
        "medical evacuation for the wounded, unexploded ordnance cleared"
    )
    # Read as the words they stand for, in the vector and in the fields.
    assert "medical evacuation" in " ".join(text.sentences("MEDEVAC, northern valley", []))
    assert "civilians" in _fields("EWIPA: restraint by the air force")
    # A short form inside another word, or of another sense, stays as written.
    assert text.spelt_out("WASHINGTON talks") == "WASHINGTON talks"


def test_one_question_in_short_forms_and_in_plain_words_is_one() -> None:
    assert (
        _score(
            ["MEDEVAC of wounded civilians from the old town"],
            ["the injured taken out of the old town to hospitals"],
        )
        >= THRESHOLD
    )
