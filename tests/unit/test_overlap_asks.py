"""What a track asks within a field of work: two tracks on one field may put different questions.

Two desks on detention with the same party may ask for the people held to be freed, or
for places of detention to be visited; two on registration may ask for organisations to
be registered, or for visas for their staff. The sentence model puts such aims close (they
share the field's words); the asks read from each track's action and its object tell them
apart, and leave alone two wordings of one ask.
"""

from __future__ import annotations

import datetime as dt

import pytest

from server.domain.overlap import THRESHOLD, text
from tests.unit.overlap_pairs import pair_score as _score

TODAY = dt.date(2026, 6, 1)


def _asked(*aims: str) -> set[str]:
    got = text.asks("", aims)
    return {name for name, bit in text.ASK_BITS.items() if got & bit}


@pytest.mark.parametrize(
    ("aim", "asked"),
    [
        ("release of the civilians detained at the border", {"release"}),
        ("hostages back home safe and sound", set()),
        ("an exchange of prisoners between the two sides", {"release", "held_fighters"}),
        ("captured soldiers released", {"release", "held_fighters"}),
        # Freeing people held names detention without its words; goods held do not.
        ("the agency's engineers held by the militia set free", {"release", "held_staff"}),
        ("aid trucks held at the crossing released", set()),
        ("the agency's drivers freed from custody", {"release", "held_staff"}),
        ("detained nurses released, kept apart from the men held by the militia", {"release", "held_staff"}),
        ("a neutral body allowed to see everyone held in the camps' prisons", {"visits"}),
        ("staff of the committee allowed to visit detainees", {"visits"}),
        ("news of the people arrested, and where they are held", {"news"}),
        ("fair trials for the detainees, with lawyers", {"legal"}),
        ("registration of charities with the ministry renewed", {"organisations"}),
        ("visas for the staff of registered charities", {"entry"}),
        ("birth registration for displaced children", {"documents"}),
        ("travel permits for aid staff inside the province", {"movement"}),
        ("relief cargo through customs within two days", set()),
        ("import licences for relief cargo without customs delays", {"import", "organisations"}),
        ("a licence for money transfers to aid agencies", set()),
    ],
)
def test_the_asks_of_one_aim(aim: str, asked: set[str]) -> None:
    assert _asked(aim) == asked


def test_freeing_people_held_is_detention() -> None:
    detention = text.FIELD_BITS["detention"]
    assert text.fields("", ["the agency's engineers held by the militia set free"]) & detention
    assert not text.fields("", ["aid trucks held at the crossing released"]) & detention


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "release of civilians detained by the Front",
            "independent visits to places of detention run by the Front",
        ),
        ("exchange of prisoners between the army and the Front", "freeing the four nurses held by the Front"),
        (
            "registration of international NGOs with the Authority",
            "visas issued for the staff of aid agencies",
        ),
        ("aid agencies licensed to operate in the north", "entry visas for foreign relief workers"),
        (
            "families told the whereabouts of those the Front arrested",
            "release of people detained by the Front",
        ),
        ("release of the kidnapped aid workers", "release of captured soldiers held by the Front"),
    ],
)
def test_one_field_other_asks_are_other_questions(a: str, b: str) -> None:
    assert _score([a], [b]) < THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("release of detained aid workers", "freeing humanitarian staff held in custody by the Movement"),
        ("exchange of prisoners between the army and the Front", "a swap of captured fighters with the army"),
        ("release of prisoners of war", "prisoner exchange with the army"),
        (
            "visits by a neutral body to the Front's prisons",
            "a neutral body given access to the Front's prisoners",
        ),
        (
            "registration of international NGOs with the Authority",
            "aid agencies licensed by the Authority quickly",
        ),
        ("work permits for international staff", "visas for expatriate aid workers"),
        (
            "freedom for civilians arrested at checkpoints",
            "civilians held since the checkpoint arrests set free",
        ),
        ("safe return of the engineers kidnapped near the dam", "freedom for the three abducted engineers"),
    ],
)
def test_one_ask_in_other_words_is_one_question(a: str, b: str) -> None:
    assert _score([a], [b]) >= THRESHOLD


def test_a_track_that_asks_several_things_meets_each() -> None:
    # Freeing the staff held, and news of them meanwhile: the same question as their release.
    both = ["release of the agency's detained staff", "regular news of the staff held"]
    assert _score(both, ["freeing the agency's employees held in custody"]) >= THRESHOLD
