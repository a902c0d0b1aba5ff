"""How D2 and N1 read the prose desk officers write: clause structure, negation, who speaks.

Each row is one text of a track, read with the voice of a Varnian track (Varnia is "we";
Hadra, the Lowland Freedom Army and Ostmark are others), and the principles whose
reading must find it. A D2 and an N1 finding on the same text only where both apply:
aid made to wait on a halt in the fighting is N1's alone, aid used as a lever or made
to serve an agenda is D2's alone, aid or access made to wait on a political, military
or economic concession is both.
"""

from __future__ import annotations

import pytest

from server.domain.checks import d2_separate_agendas as d2
from server.domain.checks import n1_ihl_not_negotiable as n1
from server.domain.checks._prose import Voice, acronyms, asked_of_other, narrated, statements

VOICE = Voice(("Varnia",), ("Hadra", "Lowland", "Ostmark", *acronyms("Lowland Freedom Army")))


def read(text: str) -> set[str]:
    out = set()
    if d2.trades(text, VOICE):
        out.add("D2")
    if n1.framings(text, VOICE):
        out.add("N1")
    return out


CASES = [
    # a heading stays with what its colon introduces
    ("Convoys: no movement before a cessation of hostilities is in place.", {"N1"}),
    ("Medical supplies for Hadra: to go ahead only after the Authority has voted with us.", {"D2", "N1"}),
    (
        "Demand of the Authority (Vell meeting, 12 Jan): food aid only after its ministries are recognised.",
        set(),
    ),
    # a quoted statement is the other side's
    ("From the Army's letter: 'no convoys until Varnia recognises the Council'. We did not reply.", set()),
    # a linking verb's subject acts; a demand taken up after is ours again
    ("Hadra has linked convoy access to recognition of its ministries.", set()),
    (
        "Hadra asked us to tie convoys to recognition of its ministries, and we have accepted that linkage.",
        {"D2", "N1"},
    ),
    ("Hadra asked us to tie convoys to recognition of its ministries; we have not accepted it.", set()),
    # a "no" before a condition sets it; "X or no X" denies one
    (
        "No new water funding for Hadra's districts until it drops its claim to the border villages.",
        {"D2", "N1"},
    ),
    ("Access is owed by both parties under IHL, truce or no truce.", set()),
    ("We will not wait for a ceasefire before sending the medical teams.", set()),
    # a condition that leads the sentence, and one inverted
    (
        "Subject to Hadra's backing for our resolution at the assembly, we would expand nutrition programmes.",
        {"D2", "N1"},
    ),
    ("We would consider more shelter assistance should the Army agree to disarm.", {"D2", "N1"}),
    ("Convoys resume once the Authority issues the permits.", set()),
    # a narrated past orders events, it sets no condition
    ("After the March truce, the number of convoys reaching Vell doubled.", set()),
    ("Nutrition teams deploy after a truce is signed.", {"N1"}),
    ("Ceasefire first, then convoys.", {"N1"}),
    # manner, not price; an aid package is the aid itself
    ("Convoys continue during the fighting, as IHL requires.", set()),
    ("Offer a winter shelter package to Hadra to soften its stance on the border demarcation.", {"D2"}),
    # aid held as a lever is D2's alone; a halt as the price of aid is N1's alone
    ("Keep humanitarian funding in reserve as leverage for the status talks.", {"D2"}),
    ("Food deliveries to Vell resume once the Army agrees to a ceasefire around the market.", {"N1"}),
    ("Access in exchange for the Army pulling back from the Vell road.", {"D2", "N1"}),
    # a pronoun in the next clause stands for the aid before it
    (
        "Varnia's humanitarian funding gives us weight with Hadra; we intend to use it to move them on the customs union.",
        {"D2"},
    ),
    # a term followed by who announced it is theirs
    ("The humanitarian window the Authority announced has no bearing on our planning.", set()),
    # a heading that names another side, by its name or its initials, gives it what follows
    ("LFA line at the Vell meeting: no convoys without recognition of its council.", set()),
    ("Varnia line for the Vell meeting: no convoys without recognition of the Hadra council.", {"D2", "N1"}),
    # a phrase that is the subject of a denial is not used
    ("Humanitarian ceasefires are not the way to get aid in.", set()),
    ("Recognition for access: that is the deal we will put to Hadra.", {"D2", "N1"}),
    ("Political support for humanitarian access to Vell.", set()),
    # "in return" inside one sentence: the other side's part may be any act of a party, not logistics
    (
        "Package agreed with Hadra: relief flights resume from 10 June and, in return, Hadra accepts the "
        "interim boundary commission.",
        {"D2", "N1"},
    ),
    (
        "Relief flights resume from 10 June and, in return, the airport clears the manifests within a day.",
        set(),
    ),
    # a proposal our own side turns down in the next sentence never became the track's; one the other side
    # turns down stays ours
    (
        "Defence proposed tying the next fuel deliveries to progress in the ridge talks. The Minister declined: "
        "fuel goes on need.",
        set(),
    ),
    ("We proposed tying convoys to Hadra's recognition of the border. Hadra refused.", {"D2", "N1"}),
    # a note whose head is a link reads with the note before it
    ("- convoys: on hold\n- pending: truce sig. (LFA/Ostmark)\n- Ostmark briefed", {"N1"}),
    # a halt named by a span of time, or by the fighting it lacks; not attacks on what IHL protects
    ("We are seeking a quiet week on the front during which the repairs can be done.", {"N1"}),
    ("Distributions resume after a weekend without shelling.", {"N1"}),
    ("Clinics count the days without attacks on health facilities.", set()),
    ("Deliveries to Vell resume on the first day of the truce.", {"N1"}),
    ("Post-ceasefire deployment of the medical teams to Vell.", {"N1"}),
    # another agenda's text signed in the passive is a party's act; a humanitarian one is logistics
    ("The medical supplies stay in the warehouse until the debt schedule is signed.", {"D2", "N1"}),
    ("The medical supplies stay in the warehouse until the access protocol is signed.", set()),
    ("Our food aid envelope gives us leverage in the status talks.", {"D2"}),
    # a subject pronoun stands for the aid of the sentence before; not an "it" that stands for nothing
    ("The convoys are ready. They will leave when the Army pulls back from the ridge.", {"D2", "N1"}),
    ("The convoys are ready. They will leave when the bridge is repaired.", set()),
    # two statements that make one deal, "in return" at the end or "for its part" after the subject
    (
        "Hadra will receive the medical supplies it asked for; we expect its vote on the resolution in return.",
        {"D2", "N1"},
    ),
    (
        "We will fund the clinics in Hadra's districts. Hadra, for its part, will support our candidate.",
        {"D2", "N1"},
    ),
    # aid held back to press a party, not for a reason of its own
    ("Relief to the north is being slow-walked to keep pressure on Hadra before the status talks.", {"D2"}),
    (
        "Relief to the north is delayed to make room for the vaccine cold chain before the status talks.",
        set(),
    ),
    (
        "The food pipeline will be scaled up to the extent that Hadra cooperates on the debt talks.",
        {"D2", "N1"},
    ),
    ("Water trucking to the camps: on hold. Condition: Hadra accepts the border commission.", {"D2", "N1"}),
    # a halt, then the work, without "first"; not what happened
    ("A local cessation of hostilities, then relief to the villages.", {"N1"}),
    ("A ceasefire followed by convoys to Vell.", {"N1"}),
    ("The ceasefire collapsed, then convoys were shelled.", set()),
    # a political gesture to an authority, traded; not one made to carry our demarches
    ("Upgrade of Hadra's liaison office in exchange for access to the camps.", {"D2", "N1"}),
    ("Open a liaison office with Hadra to carry our access demarches.", set()),
    # a party's part named as its own in a bare swap
    ("Food for Hadra's support at the UN.", {"D2", "N1"}),
    # a part stated with a denial, or a contrast with "for its part", is no side of a deal
    ("Relief access is demanded as Hadra's obligation under IHL; nothing is offered in return.", set()),
    ("We support the political track; the relief track, for its part, runs on need alone.", set()),
    # a past event ordered in time is no condition
    ("Relief to the north resumed in March after the ceasefire; it has not stopped since.", set()),
    # a colon that opens a denial breaks a chain of price, link and aid
    ("The trade track and the relief track are kept apart: no concession on tariffs is tied to aid.", set()),
    # a halt written as one compound, and the fighting stopping "there"
    ("Relief flights resume only after a cessation-of-hostilities deal is signed.", {"N1"}),
    ("We will not send the medical teams to Ostra until the fighting there stops.", {"N1"}),
    # a link whose object is "no" one thing denies the link; "any truce or none" is whatever comes
    ("Our water convoys wait for no ceasefire: passage is owed during hostilities.", set()),
    ("The clinics in Vell stay open through any truce or none.", set()),
    # a party's progress named as its own; a link "timed to" another agenda's moment
    ("Cash assistance is scaled in line with Hadra's progress on the demobilisation plan.", {"D2", "N1"}),
    ("Release of the vaccine consignment is timed to the signing of the border treaty.", {"D2", "N1"}),
    # services of protection are aid (the paper: "protection programmes, cash assistance and other services")
    ("Psychosocial services in the camps expand only if Hadra backs our resolution.", {"D2", "N1"}),
    # recipients chosen by whether they sign up to another agenda's text (aid steered, D2's alone);
    # investment protection is no protection work
    (
        "Recovery grants go to districts whose councils sign up to the investment protection agreement.",
        {"D2"},
    ),
    # recognition in kind: a party's people dealt with under the state title it claims, for access
    (
        "Accept Hadra's clerks as 'Ministry' staff at the crossing, in exchange for clearance of the seed trucks.",
        {"D2", "N1"},
    ),
    # a referendum is an electoral event; a customs post handed back is a concession, not paperwork
    ("Fuel for the clinics in return for postponing the referendum on the valley's status.", {"D2", "N1"}),
    ("Seed distributions resume once the LFA hands back the customs post at Ostra.", {"D2", "N1"}),
    # people of a side set free are a concession; "day three of the truce" counts into the halt
    ("Hadra is to free the jailed mayors in return for the reopening of the Ostra crossing.", {"D2", "N1"}),
    ("The relief corridor to Vell opens on day two of the truce.", {"N1"}),
    # the price and the aid as two lacks
    ("No truce, no convoys.", {"N1"}),
    ("No recognition of the council, no food aid.", {"D2", "N1"}),
    ("No diversion, no looting: aid goes to households directly.", set()),
    # a halt that comes first, and one that only sets a deadline or is told
    ("We need a local truce ahead of the vaccination round in Vell.", {"N1"}),
    ("Pre-position the medical supplies before the truce expires.", set()),
    ("A ceasefire was agreed before the convoys arrived.", set()),
    # a plan in stages: the aid in a stage after the price
    ("Phase 1: a ceasefire around Vell. Phase 2: relief convoys into the town.", {"N1"}),
    ("(1) Hadra recognises the council; (2) food aid to its districts.", {"D2", "N1"}),
    ("Phase 1: needs assessment in Vell. Phase 2: relief convoys into the town.", set()),
    ("Step 1: report ceasefire violations. Step 2: convoys resume.", set()),
    # aid named as a gesture or one of the cards in another agenda's talks, or a lever in dealings with a party
    ("Relief is a useful sign of goodwill in the border negotiations with Hadra.", {"D2"}),
    ("Food aid to the LFA's districts is one of the cards we hold in the status talks.", {"D2"}),
    ("Medical supplies remain a lever in our dealings with Hadra over the port.", {"D2"}),
    ("Relief deliveries are Hadra's reward for joining the unity government.", {"D2"}),
    # aid steered by allegiance, and aid that builds a party's hold
    ("Our units will distribute food in villages that cooperate against the insurgents.", {"D2"}),
    ("Relief will reinforce the government's control over the retaken districts.", {"D2"}),
    # aid offered in the same breath as another agenda's text
    ("Emergency food aid pledged alongside the trade agreement with Hadra.", {"D2", "N1"}),
    # the track itself waiting on another agenda's track is D2's alone
    ("This track will move forward only when the border track delivers the protocol.", {"D2"}),
    # politics named as such, and relations between states
    ("Cash assistance to the north resumes only once political progress is made.", {"D2", "N1"}),
    ("Food aid for Hadra's districts will flow when our embassy reopens there.", {"D2", "N1"}),
    # someone unnamed who ties access is another side, reported
    ("Anyone who ties passage to a truce will be reminded of IHL.", set()),
    # two past events in time order set no price
    ("Deliveries went ahead during last month's truce and continued after it collapsed.", set()),
    # terse notes: a link hanging before a colon, a condition named and given after a colon
    ("Water trucking contingent: LFA pull-back from the Ostra road.", {"D2", "N1"}),
    # a sign of exchange between aid and a price ("vs." ends no sentence), and a deal under its heading
    ("Medical supplies <-> recognition of Hadra's council.", {"D2", "N1"}),
    ("Quid pro quo: food aid vs. the fishing licences.", {"D2", "N1"}),
    ("Deal: we reopen the crossing to relief, Hadra hands us the harbour.", {"D2", "N1"}),
    ("Deal: relief flights to Vell, the LFA clears the runway.", set()),
    # a price in one statement, aid set after it in the next
    ("Hadra recognises the council; relief follows.", {"D2", "N1"}),
    ("A truce first; convoys afterwards.", {"N1"}),
    ("Hadra recognised the council in May; relief resumed later.", set()),
    # a ban on politics lifted is a concession, not the aid's logistics
    ("Extra nutrition funding if the government lifts the ban on opposition parties.", {"D2", "N1"}),
    # a halt in other words: a hold on strikes, raids stopping, the fighting winding down, a place calming
    ("Medevac flights to Ostra only once there is a hold on air strikes.", {"N1"}),
    ("The polio round in Vell goes ahead when the drone strikes on the valley stop.", {"N1"}),
    ("Trauma kits go to the Ostra clinic once hostilities wind down.", {"N1"}),
    ("The hospital resupply waits until the situation in Vell calms down.", {"N1"}),
    ("Seed kits for Vell only after a no-strike period is agreed.", {"N1"}),
    # a strike of workers is no halt in the fighting
    ("Distributions resume once the strikes at the port end.", set()),
    # words of politics in a harmless sense: a camp's own elections, a professional recognition,
    # the licence or exemption the aid itself needs, the work's own details approved
    ("Cash distributions in the camp start once the camp committee elections are held.", set()),
    ("Nurses are deployed to Vell once the health ministry recognises their diplomas.", set()),
    ("Deliveries resume once the customs office approves the import licences for medicines.", set()),
    ("Water trucking resumes when the sanctions committee grants the exemption.", set()),
    ("School feeding starts once the education ministry approves the menus.", set()),
    # the wording capitalised is the same framing; a fund's window keeps its name
    ("We will push for a Humanitarian Truce around Vell before the winter.", {"N1"}),
    ("Funding for the clinics comes from the pooled fund's Humanitarian Window this year.", set()),
    # a demand taken up as officials write it: by our office, in the passive, on its own, or acted on
    ("The LFA asks that convoys to Vell wait for a quiet week. Agreed by the Minister.", {"N1"}),
    ("The LFA asks that convoys to Vell wait for a quiet week; the desk has accepted this.", {"N1"}),
    ("The LFA's demand that convoys wait for a truce was accepted by Varnia on 3 May.", {"N1"}),
    ("At the LFA's request, convoys to Vell will wait for a quiet week.", {"N1"}),
    ("The Director's proposal: convoys to Vell only after the truce.", {"N1"}),
    ("The LFA's proposal: convoys to Vell only after the truce. We declined.", set()),
    ("According to our plan, convoys enter Vell after the truce is signed.", {"N1"}),
    ("According to the LFA, convoys may enter Vell after the truce is signed.", set()),
    # our work made to wait on a halt another side named is still our framing
    ("Our convoys enter Vell only during the quiet hours the LFA announced.", {"N1"}),
    ("The humanitarian pause the LFA announced was never observed.", set()),
    ("The LFA demands that convoys wait for a truce. Agreed timetable for the convoys: Mondays.", set()),
    # the link written into one compound word
    ("Convoy access to Vell remains ceasefire-dependent.", {"N1"}),
    ("Recognition-linked relief for the council's districts.", {"D2", "N1"}),
    ("Convoy access to Vell is not ceasefire-dependent.", set()),
    ("Needs-based relief for the council's districts.", set()),
    # the term named as a word after it
    ("The 'humanitarian truce' language is to be avoided in all our statements on Vell.", set()),
    ("Convoy access to Vell is discussed alongside the ceasefire terms.", {"N1"}),
    # the work denied for as long as the fighting goes on; the work going on through it is owed
    ("We will not send the convoys to Vell while the fighting continues.", {"N1"}),
    ("No relief flights to Ostra as long as the shelling goes on.", {"N1"}),
    ("Convoys keep moving to Vell while the fighting continues, as IHL requires.", set()),
    ("Truce or no truce: passage of relief is owed while the fighting goes on.", set()),
    ("We will not link relief to recognition while the talks continue.", set()),
    # time counted from another agenda's event, its stages, its pace; a price that earns the aid
    ("Shelter kits go out the month after the status agreement is signed.", {"D2", "N1"}),
    ("Relief tranches for Vell are released at each stage of the disarmament process.", {"D2", "N1"}),
    (
        "The pace of deliveries to Ostra will match the pace of the demobilisation of the LFA's units.",
        {"D2", "N1"},
    ),
    ("Each weapon handed in at Vell earns a family a food voucher.", {"D2", "N1"}),
    ("Shelter kits go out the week after the survey of the camp is finished.", set()),
    # while a party's own elections or recognition stay a price
    ("Cash distributions in Vell start once Hadra's council recognises the election results.", {"D2", "N1"}),
]


@pytest.mark.parametrize("text, principles", CASES, ids=[t[:60] for t, _ in CASES])
def test_d2_and_n1_read_the_prose(text: str, principles: set[str]) -> None:
    assert read(text) == principles


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # a condition named as such in a plan's terse wording, without a verb
        ("a ceasefire signed by both sides as a prerequisite for the convoys to Vell", {"halt"}),
        ("Hadra's recognition of the border as a precondition for the nutrition programme", {"price"}),
        ("the end of the rains as a condition for the distributions", set()),
        # a dependency on "no" one thing is none
        ("Relief to Ostra depends on no political deal.", set()),
        ("Relief to Ostra depends on the Council's political deal.", {"price"}),
        # the track's own work unnamed, a place after its verb
        ("Nothing will reach Vell until the truce holds.", {"halt"}),
        # a terse note: the condition named, then given after a colon
        ("Condition for the next shelter tranche: Hadra endorses the roadmap.", {"price"}),
    ],
)
def test_the_clause_reading_of_condition(text: str, kinds: set[str]) -> None:
    from server.domain.checks import _condition

    assert {c.kind for c in _condition.conditions(text, VOICE, humanitarian=True, plan=True)} == kinds


@pytest.mark.parametrize(
    ("sentence", "traded"),
    [
        # on another agenda's track, aid named as a card or a lever needs no talks beside it
        ("The aid agency's food pipeline gives us a card to play with Hadra.", True),
        ("Deliveries by the relief track will be timed to our negotiating rounds with Hadra.", True),
        ("We will not use relief as a card with Hadra.", False),
    ],
)
def test_on_another_agendas_track_aid_as_a_lever_is_traded(sentence: str, traded: bool) -> None:
    assert bool(d2.trades(sentence, VOICE, humanitarian=False)) is traded


@pytest.mark.parametrize(
    ("sentence", "tied"),
    [
        ("Convoys should reach Vell by May.", False),
        ("Should Hadra sign the protocol, relief flights resume.", True),
        ("Relief flights resume, should Hadra sign the protocol.", True),
    ],
)
def test_the_learned_reading_takes_should_as_a_condition_only_where_it_heads_a_clause(
    sentence: str, tied: bool
) -> None:
    from server.domain.checks import _reading_model

    assert _reading_model.ties(sentence) is tied


def test_a_heading_stays_with_its_clause_and_sentences_still_split() -> None:
    assert statements("Convoys: no movement before a truce. Our reply: no linkage; aid is owed.") == [
        "Convoys: no movement before a truce.",
        "Our reply: no linkage;",
        "aid is owed.",
    ]


@pytest.mark.parametrize(
    "clause, told",
    [
        ("the number of convoys reaching Vell doubled", True),
        ("deliveries were suspended and resumed on 14 March", True),
        ("convoys resume once the truce is signed", False),
        ("teams will deploy after a truce", False),
        ("relief to the north resumed in March after the ceasefire", True),
        ("relief is to resume after the ceasefire", False),
    ],
)
def test_a_narrated_clause_tells_what_happened(clause: str, told: bool) -> None:
    assert narrated(clause) is told


def test_initials_name_a_party_and_a_department() -> None:
    assert acronyms("Plateau Defence Forces") == {"PDF"}
    assert acronyms("Varnia, Ministry of Foreign Affairs") == {"MFA"}
    assert acronyms("Irrin Valley Self-Defence Units") == {"IVSU", "IVSDU"}


@pytest.mark.parametrize(
    "sentence, asked",
    [
        ("Press Hadra to release the aid trucks held at the crossing.", True),
        ("We will remind the Army that cutting water supplies violates IHL.", True),
        ("Tell Hadra that we will release the next tranche of food aid.", False),
    ],
)
def test_an_act_asked_of_another_side_is_theirs(sentence: str, asked: bool) -> None:
    start = sentence.index("release") if "release" in sentence else sentence.index("cutting")
    assert asked_of_other(sentence, start, VOICE) is asked


@pytest.mark.parametrize(
    "sentence, hands_out",
    [
        ("Ask the central bank for a payment channel for relief salaries.", False),
        ("We will channel more relief to the camps in the north.", True),
        ("Varnia offers winter relief to the valley.", True),
        # a quantity of aid handed out or held back
        ("Offer a package of 2,000 food parcels to Hadra's council.", True),
        ("Withhold the next tranche of cash assistance from Hadra's districts.", True),
    ],
)
def test_a_noun_followed_by_aid_hands_nothing_out(sentence: str, hands_out: bool) -> None:
    """A verb that names a thing ("a payment channel for relief") is not aid given or withheld."""
    assert bool(d2.offers(sentence, VOICE)) is hands_out


# The learned reading (`_reading_model`) scores only what the track says itself and means.
@pytest.mark.parametrize(
    ("sentence", "speaks"),
    [
        ("Relief flights to Hadra resume the day its council signs the border protocol.", True),
        ("Relief flights to Hadra will not wait for the border protocol.", False),
        ("Hadra wants relief flights to wait for the border protocol.", False),
        ("After the March truce, convoys doubled.", False),
    ],
)
def test_the_learned_reading_scores_only_the_tracks_own_plans(sentence: str, speaks: bool) -> None:
    from server.domain.checks import _reading_model

    assert _reading_model.speaks(sentence, VOICE) is speaks


def test_the_learned_reading_is_the_shipped_file() -> None:
    import hashlib

    from server.domain.checks import _reading_model

    assert hashlib.sha256(_reading_model.PATH.read_bytes()).hexdigest() == _reading_model.SHA256
    r = _reading_model.reading()
    assert set(r.weights) == {"D2", "N1"} and all(t >= 0.9 for t in r.threshold.values())


def test_the_learned_reading_tells_a_halt_as_the_price_of_aid_in_new_words() -> None:
    from server.domain.checks import _reading_model

    sentence = "Medical teams will be sent in when the guns fall silent for a few days."
    assert _reading_model.flagged([sentence], VOICE, True, "description", "N1") == [sentence]
    assert _reading_model.flagged([sentence], VOICE, True, "description", "D2") == []
