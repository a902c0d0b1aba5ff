"""The fields of humanitarian work a track's title and aims name (health, detention, access ...).

A sentence model puts "floating clinics" and "school boats" close; two tracks that each
name a field and share none are on different questions (`records.other_questions`).
The fields are read from a lexicon, not from the model, so they agree where the model
puts two wordings of one question apart.
"""

from __future__ import annotations

import functools
import re

# What a track is about, by the field of humanitarian work its title and aims name: the
# clusters humanitarians organise by, and access and detention, the two questions
# humanitarian diplomacy most often carries. Two tracks that each name a field, and share
# none, are on different questions (clinics and school boats, water repairs and exams),
# however close a sentence model puts their words.
# Each field by its words: a word, a stem ("vaccin*": any word it begins) or a phrase.
_FIELDS: tuple[tuple[str, str], ...] = (
    (
        "health",
        "health clinic clinics hospital hospitals medic* doctor doctors nurse nurses vaccin* immunis* immuniz* polio "
        "cholera measles epidemic epidemics surg* patient patients wounded ambulance ambulances maternity medicine "
        "medicines drugs insulin dialysis pharmac* injured casualty casualties sick oncology cancer",
    ),
    (
        "education",
        "school schools pupil pupils student students teacher teachers exam exams examinations classes classroom classrooms education universit*",
    ),
    (
        "water",
        "water wells sanitation hygiene sewage sewer sewers desalination pumping pump pumps latrine latrines wash borehole boreholes reservoir reservoirs",
    ),
    (
        "food",
        "food flour bread bakeries bakery grain wheat ration rations nutrition* malnutrition hunger famine starvation",
    ),
    (
        "livelihoods",
        "fish* farm* harvest* crop crops livestock herd* pasture pastures grazing reed reeds market markets trader traders "
        "livelihood livelihoods salary salaries wages orchard orchards",
    ),
    (
        # Not "held by", "held in" or "held at": valleys held by a front, talks held in a
        # capital. A person held is named by custody, captivity, detention or a hostage.
        "detention",
        "detain* detention prison* imprison* jail* gaol gaols custody hostage hostages captive captives captivity "
        "abduct* kidnap* arrest* internment internees interned pows incommunicado|held_without|held_incommunicado|"
        "screening_centres|screening_centers|screening_centre|screening_camps|captured_soldiers|captured_fighters|"
        "captured_combatants|deprived_of_liberty|deprived_of_their_liberty|deprivation_of_liberty",
    ),
    (
        "mines",
        "mine mines demin* landmine landmines unexploded uxo|explosive_ordnance|explosive_remnants|clearance_teams",
    ),
    ("shelter", "shelter shelters tent tents housing winteris* winteriz* blankets heating"),
    (
        "energy",
        "electricity grid fuel diesel petrol tanker tankers generator generators|power_plant|power_station|"
        "power_lines|power_grid|power_supply",
    ),
    (
        "registration",
        "registration register* licen* permit permits visa visas accredit*|work_authorisations|work_authorizations|"
        "bureaucratic_impediments",
    ),
    (
        "access",
        "access convoy convoys crossing crossings checkpoint checkpoints corridor corridors passage deliveries delivery "
        "trucks lorries roadblock roadblocks siege besieged blockade evacuat*",
    ),
    (
        # Sparing people and places from the fighting: attacks, and looting or military use.
        "civilians",
        "shelling bombardment bombardments airstrike airstrikes indiscriminate untouched looting looted plunder* "
        "raided|human_shields|recruitment_of_children|child_soldiers|military_use|spared_from|not_targeted",
    ),
    # Questions inside a broader field: a track that names one of these names its field
    # too (the words are in both), and two tracks on different ones of them are on
    # different questions even when both name the broader field (`GENERIC`).
    ("vaccination", "vaccin* immunis* immuniz* inoculat* polio measles jabs"),
    (
        "evacuation",
        "evacuat* medevac wounded injured casualty casualties ambulance ambulances|medical_evacuation|medical_exit",
    ),
    (
        "missing",
        "disappear* exhum* burial burials|missing_persons|persons_missing|people_missing|the_missing|"
        "missing_relatives|mortal_remains|mass_graves|fate_of|bodies_of|the_dead",
    ),
    (
        "returns",
        "returns returnee returnees|voluntary_return|return_home|go_back|going_back|go_home|going_home|"
        "to_return|right_of_return|return_of_displaced|return_of_the_displaced",
    ),
    ("fishing", "fish*"),
    ("farming", "farm* harvest* crop crops orchard orchards fields|sowing|planting"),
    ("herding", "herd* pasture pastures grazing graze flock flocks shepherd*"),
    ("markets", "market markets trader traders shops shop"),
    # Answering for what was done: attacks investigated, perpetrators tried, victims compensated.
    ("accountability", "accountability investigation investigations impunity prosecut* compensation"),
    # Questions of the fighting itself, that political and security tracks carry.
    (
        "ceasefire",
        "ceasefire ceasefires cease-fire truce truces armistice|cessation_of_hostilities|humanitarian_pause|"
        "days_of_tranquillity|stop_the_fighting",
    ),
    ("weapons", "weapons disarm* demilitaris* demilitariz*|pull_back|pulled_back|withdrawal_of_forces"),
    (
        "deconfliction",
        "hotline hotlines deconflict* notification notifications|direct_line|communication_line|notified_aid|"
        "notified_convoy|notified_movements",
    ),
    ("recruitment", "recruits recruitment demobilis* demobiliz*|child_soldiers|recruitment_of_children"),
    ("amnesty", "amnesty amnesties deserters pardon pardons"),
    # Works on what the fighting damaged: engineers at a plant, a bridge or a road. A
    # track on the works and a track on passage over the same bridge are two questions.
    ("repair", "repair repairs repaired repairing rebuild* reconstruct* rehabilitat* resurfac* restor*"),
    # Trade and business: what an economic track seeks for traders and their goods, which
    # humanitarian access is not sought for (a bridge repaired for commercial traffic, and
    # aid trucks let across it).
    ("commerce", "trade commerce commercial merchant merchants business businesses exporters importers"),
    (
        "finance",
        "bank banks banking payment payments remittance remittances currency liquidity sanctions cash|money_transfer|"
        "money_transfers|bank_transfers|move_funds|transfer_funds",
    ),
)
# The stored form keeps the fields in 32 bits.
assert len(_FIELDS) <= 32
_EXACT: dict[str, int] = {}
_STEMS: dict[str, int] = {}
_PHRASES: dict[str, int] = {}
for _n, (_, _spec) in enumerate(_FIELDS):
    _words, _, _phrases = _spec.partition("|")
    for _w in _words.split():
        if _w.endswith("*"):
            _STEMS[_w[:-1]] = _STEMS.get(_w[:-1], 0) | 1 << _n
        else:
            _EXACT[_w] = _EXACT.get(_w, 0) | 1 << _n
    for _p in filter(None, _phrases.split("|")):
        _PHRASES[_p.replace("_", " ")] = _PHRASES.get(_p.replace("_", " "), 0) | 1 << _n
_TOKEN = re.compile(r"[a-z]+")
_STEM_RE = re.compile(r"\b(?:" + "|".join(sorted(_STEMS, key=len, reverse=True)) + ")")
_PHRASE_RE = re.compile(
    r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in sorted(_PHRASES, key=len, reverse=True)) + r")\b"
)
FIELD_BITS = {name: 1 << n for n, (name, _) in enumerate(_FIELDS)}
# Fields so broad that sharing one says little: health (vaccination, evacuating the
# wounded and fuel for hospitals are all health), livelihoods (fishing, grazing, a
# harvest, a market), and access, registration and repair (the means of most processes:
# the road, the permit, visa or accreditation for the staff who take it, the works on what
# they reach). Two tracks that each name a field besides these, and share none of those,
# are on different questions (`records.other_questions`): repairs to a water station and
# to power lines.
GENERIC = (
    FIELD_BITS["health"]
    | FIELD_BITS["livelihoods"]
    | FIELD_BITS["access"]
    | FIELD_BITS["registration"]
    | FIELD_BITS["repair"]
)
# Questions that access is not sought for: a track on one of them and a track on access
# that does not name it are on different questions (release of detained nurses and clinic
# teams reaching a district; accountability for attacks on convoys and the convoys' passage).
NOT_ACCESS = FIELD_BITS["detention"] | FIELD_BITS["accountability"] | FIELD_BITS["commerce"]


@functools.lru_cache(maxsize=65536)
def fields_of(text: str) -> int:
    """The fields a text names, as bits (0: none named)."""
    low = text.lower()
    out = 0
    for t in _EXACT.keys() & set(_TOKEN.findall(low)):
        out |= _EXACT[t]
    for m in _STEM_RE.finditer(low):
        out |= _STEMS[m.group(0)]
    for m in _PHRASE_RE.finditer(low):
        out |= _PHRASES[" ".join(m.group(0).split())]
    return out
