"""A track's meaning as one vector: what its title, aims and objectives say, not whom or where.

Each sentence (the title, every aim and objective; the description only when there is
neither aim nor objective) is embedded by the static sentence model
(`server.domain.embedding`), and the track's vector is the normalised sum of its
sentences' unit vectors. Names are left out first: two departments working on the
same town or with the same party write its name in every sentence, and a sentence
model counts a shared name as shared meaning. Parties and crises are compared as
structure (the index's party sets and blocks), so the vector keeps only the question:
what is to be released, repaired, delivered or allowed.

A name, here, is a capitalised word after a sentence's first word, or a first word
that the model's vocabulary does not know as a lower-case word ("Brask", "Ostra"). The
short forms officials write for the questions of the field (MEDEVAC, UXO) are spelt out
first (`spelt_out`), so that they are read as the words they stand for.
Words that only say what kind of place a track works at (airport, bridge, camp,
station, warehouse: `SITE_WORDS`) are left out for the same reason: two departments on
the same bridge with other aims share "bridge", and one flight route told as "landing
at the airport" and "landing at the airfield" does not need it. Words of a place that
carry the question itself (hospital, school, prison, checkpoint) stay.
The vector depends on the track's own text alone, so it is computed once, stored with
the track, and the same in a full build and an incremental update.

The names themselves are kept apart (`names`): two tracks that each name places and
share none work on different sites ("repair of the Kavelor mill", "repair of the Dosta
dam"), and the index scales their score down (`index.OTHER_SITE_FACTOR`).

Beside the vector, `fields` reads which fields of humanitarian work the same text names
(health, education, water, detention, access ...). A sentence model puts "floating
clinics" and "school boats" close; two tracks that each name a field and share none are
on different questions, and the index scales their score down (`index.OTHER_QUESTION_FACTOR`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from server.domain.embedding import DIMS, MODEL_ID, model

__all__ = [
    "DIMS",
    "MODEL_ID",
    "Stored",
    "aim_vectors",
    "aims_of",
    "digest",
    "fields",
    "from_bytes",
    "is_stored",
    "names",
    "sentences",
    "stored",
    "stored_aim_vectors",
    "unpack",
    "vector_bytes",
    "vectors",
]

_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
# Kinds of place that say where a track works, not what it seeks (singular and plural).
SITE_WORDS = frozenset(
    """airport airports airfield airfields airstrip airstrips port ports harbour harbours harbor
    harbors dock docks quay quays bridge bridges camp camps station stations plant plants works
    dam dams mill mills warehouse warehouses depot depots compound compounds building buildings
    village villages town towns city cities district districts neighbourhood neighbourhoods
    neighborhood neighborhoods quarter quarters base bases barracks terminal terminals site sites
    facility facilities premises""".split()
)


# Capitalised words that are no names of places: months and days.
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)


def _split(text: str, common: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """A sentence's words without names and site words, and its place names (lower case).

    `common`: the words the track writes in lower case somewhere; a first word among them
    ("Vaccination access", beside "vaccination teams allowed") is no name. A word in
    capitals (NGO, UN) is left out of the vector like a name but is no place.
    """
    known = model().knows
    kept: list[str] = []
    found: list[str] = []
    for n, w in enumerate(_WORD.findall(text)):
        base = re.split(r"['’]", w, maxsplit=1)[0]
        low = base.lower()
        if base[:1].isupper() and (n > 0 or not (known(low) or low in common)):
            # A first word may be a name or a word the vocabulary splits ("Vacating"):
            # only a capitalised word inside a sentence is taken for a place.
            if n > 0 and not (len(base) > 1 and base.rstrip("s").isupper()) and low not in _NOT_NAMES:
                found += [part.lower() for part in base.split("-") if part[:1].isupper()]
            continue
        if low in SITE_WORDS:
            continue
        kept.append(w)
    return kept, found


def _common(texts: Iterable[str]) -> frozenset[str]:
    """The words written in lower case in these texts."""
    return frozenset(w for t in texts for w in _WORD.findall(t) if w[:1].islower())


# The short forms officials write for the questions of humanitarian work, spelt out: a
# word in capitals is otherwise left out like a name, and one desk's "MEDEVAC" is another's
# "medical evacuation". Only forms with one sense in the field; organisations' names stay out.
_SHORT_FORMS = {
    "MEDEVAC": "medical evacuation",
    "Medevac": "medical evacuation",
    "CASEVAC": "casualty evacuation",
    "EWIPA": "explosive weapons in populated areas",
    "PoC": "protection of civilians",
    "HNS": "humanitarian notification system",
    "DECON": "deconfliction",
    "NSL": "no-strike list",
    "IDP": "internally displaced person",
    "IDPs": "internally displaced persons",
    "UXO": "unexploded ordnance",
    "ERW": "explosive remnants of war",
    "IHL": "international humanitarian law",
    "NFI": "non-food items",
    "NFIs": "non-food items",
    "WASH": "water, sanitation and hygiene",
    "GBV": "gender-based violence",
    "SGBV": "sexual and gender-based violence",
    "CAAC": "children and armed conflict",
    "UASC": "unaccompanied and separated children",
    "MHPSS": "mental health and psychosocial support",
    "HLP": "housing, land and property",
    "DDR": "disarmament, demobilisation and reintegration",
    "CoH": "cessation of hostilities",
}
_SHORT_FORM = re.compile(r"\b(?:" + "|".join(sorted(_SHORT_FORMS, key=len, reverse=True)) + r")\b")


def spelt_out(text: str) -> str:
    """A text with the short forms of `_SHORT_FORMS` written out."""
    return _SHORT_FORM.sub(lambda m: _SHORT_FORMS[m.group(0)], text)


def _said(aims: Iterable[str], objectives: Iterable[str], description: str) -> list[str]:
    said = [s for s in dict.fromkeys(s.strip() for s in (*aims, *objectives)) if s]
    if not said and description.strip():
        said = [description]
    return said


def _texts(title: str, aims: Iterable[str], objectives: Iterable[str], description: str) -> tuple[str, ...]:
    """A track's sentences as read: the title, its aims and objectives (the description
    when it has neither), short forms spelt out."""
    return tuple(spelt_out(t) for t in (title, *_said(aims, objectives, description)))


def sentences(
    title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = ""
) -> list[str]:
    """The sentences a track's vector is made of, names and site words removed, each once."""
    texts = _texts(title, aims, objectives, description)
    common = _common(texts)
    out = [" ".join(_split(s, common)[0]) for s in texts]
    return [s for s in out if s]


def names(
    title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = ""
) -> frozenset[str]:
    """The names a track's title and aims use (lower case): places, and parties or
    organisations, which the index sets apart (`OverlapIndex.sites`)."""
    texts = _texts(title, aims, objectives, description)
    common = _common(texts)
    return frozenset(n for s in texts for n in _split(s, common)[1])


def vectors(texts: Sequence[Sequence[str]]) -> np.ndarray:
    """Unit vectors (float32, one row per track) for tracks given as their `sentences`."""
    flat = [s for ss in texts for s in ss]
    out = np.zeros((len(texts), DIMS), np.float32)
    if not flat:
        return out
    emb = model().encode(flat)
    lengths = np.array([len(ss) for ss in texts])
    has = np.nonzero(lengths)[0]
    starts = (np.cumsum(lengths) - lengths)[has]
    out[has] = np.add.reduceat(emb, starts, axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def vector_bytes(v: np.ndarray) -> bytes:
    """A track vector as stored: float16, little-endian."""
    return np.asarray(v, dtype="<f2").tobytes()


def from_bytes(b: bytes) -> np.ndarray:
    """A stored track vector back as float32 (zeros if it is not one of this model's)."""
    if len(b) != DIMS * 2:
        return np.zeros(DIMS, np.float32)
    return np.frombuffer(b, dtype="<f2").astype(np.float32)


def digest(ss: Sequence[str]) -> str:
    """Names the text a vector was made from, with the model: equal digests, equal vectors."""
    return hashlib.sha256("\n".join([MODEL_ID, *ss]).encode()).hexdigest()


# --------------------------------------------------------------------------- stored form

_FIELDS_AT = DIMS * 2
_AIMS_AT = _FIELDS_AT + 8
_NAMES_LEN_AT = _AIMS_AT + 2
_HEAD = _NAMES_LEN_AT + 4
# Aim vectors are stored as unit vectors times this, in int8: they only choose and show
# the closest pair of aims (to two decimals), so a byte a dimension is enough.
AIM_SCALE = 127


@dataclass(frozen=True)
class Stored:
    """What is stored for a track: its vector, fields of work (and asks) and names, all from its text alone."""

    vector: np.ndarray
    fields: int
    names: frozenset[str]


def aims_of(aims: Iterable[str], objectives: Iterable[str] = ()) -> tuple[str, ...]:
    """The aims and objectives a finding quotes, each once, in order."""
    return tuple(dict.fromkeys(s for s in (*aims, *objectives) if s.strip()))


def aim_vectors(aims: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """Each track's aims (`aims_of`) as unit vectors (float32, aims x dims), in one batch."""
    vecs = vectors([sentences(a, ()) for ab in aims for a in ab])
    out: list[np.ndarray] = []
    at = 0
    for ab in aims:
        out.append(vecs[at : at + len(ab)])
        at += len(ab)
    return out


def stored(tracks: Sequence[tuple[str, Sequence[str], Sequence[str], str]]) -> list[bytes]:
    """The stored form of tracks given as (title, aims, objectives, description), in one batch:
    the vector (float16), the fields and asks (uint64), the number of aims (uint16), the length of the
    names (uint32), each aim's vector (int8, `AIM_SCALE`) and the names (UTF-8, one a line).

    A full build reads these instead of the text, and the wording of its findings reads
    the aims' vectors: no sentence model, no word lists.
    """
    vecs = vectors([sentences(*t) for t in tracks])
    aims = aim_vectors([aims_of(t[1], t[2]) for t in tracks])
    out: list[bytes] = []
    for v, av, t in zip(vecs, aims, tracks, strict=True):
        said = "\n".join(sorted(names(*t))).encode()
        q = np.rint(av * AIM_SCALE).astype(np.int8)
        out.append(
            vector_bytes(v)
            + int(fields(*t)).to_bytes(8, "little")
            + len(av).to_bytes(2, "little")
            + len(said).to_bytes(4, "little")
            + said
            + q.tobytes()
        )
    return out


def is_stored(b: bytes | None) -> bool:
    """Whether this is a track's stored form (else it is made from the text)."""
    return b is not None and len(b) >= _HEAD


def unpack(b: bytes | None) -> Stored | None:
    """A stored track back (None if it is not in this form: then it is made from the text)."""
    if b is None or len(b) < _HEAD:
        return None
    vec = np.frombuffer(b, dtype="<f2", count=DIMS).astype(np.float32)
    size = int.from_bytes(b[_NAMES_LEN_AT:_HEAD], "little")
    said = b[_HEAD : _HEAD + size]
    return Stored(
        vec,
        int.from_bytes(b[_FIELDS_AT:_AIMS_AT], "little"),
        frozenset(said.decode().split("\n")) if said else frozenset(),
    )


def unpack_many(blobs: Sequence[bytes]) -> tuple[np.ndarray, list[int], list[frozenset[str]]]:
    """Tracks' stored forms (each in the stored form: see `unpack`) back at once: their
    vectors (float32, tracks x dims), fields and names."""
    vecs = np.frombuffer(b"".join(b[:_FIELDS_AT] for b in blobs), dtype="<f2").reshape(len(blobs), DIMS)
    fields = [int.from_bytes(b[_FIELDS_AT:_AIMS_AT], "little") for b in blobs]
    said: list[frozenset[str]] = []
    for b in blobs:
        size = int.from_bytes(b[_NAMES_LEN_AT:_HEAD], "little")
        said.append(frozenset(b[_HEAD : _HEAD + size].decode().split("\n")) if size else frozenset())
    return vecs.astype(np.float32), fields, said


def stored_aim_vectors(b: bytes | None) -> np.ndarray | None:
    """The aims' vectors of a stored track (float32, aims x dims; None if it is not in the stored form)."""
    if b is None or len(b) < _HEAD:
        return None
    count = int.from_bytes(b[_AIMS_AT:_NAMES_LEN_AT], "little")
    at = _HEAD + int.from_bytes(b[_NAMES_LEN_AT:_HEAD], "little")
    if len(b) != at + count * DIMS:
        return None
    q = np.frombuffer(b, dtype=np.int8, count=count * DIMS, offset=at).reshape(count, DIMS)
    return q.astype(np.float32) * (1.0 / AIM_SCALE)


# --------------------------------------------------------------------------- the question

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
        "livelihood livelihoods salary salaries wage wages arrears payroll stipend stipends unpaid orchard orchards|back_pay",
    ),
    (
        # Not "held by", "held in" or "held at": valleys held by a front, talks held in a
        # capital. A person held is named by custody, captivity, detention or a hostage.
        "detention",
        "detain* detention prison* custody hostage hostages captive captives captivity abduct* kidnap* arrest* "
        "pows incommunicado|held_without|held_incommunicado|screening_centres|screening_centers|screening_centre|"
        "screening_camps|captured_soldiers|captured_fighters|captured_combatants",
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
        "registration register* licen* permit permits visa visas accreditation|work_authorisations|work_authorizations|"
        "bureaucratic_impediments",
    ),
    (
        # Passage, and the customs that let goods through (a bureaucratic impediment to access).
        "access",
        "access convoy convoys crossing crossings checkpoint checkpoints corridor corridors passage deliveries delivery "
        "trucks lorries roadblock roadblocks siege besieged blockade evacuat* customs",
    ),
    (
        # Sparing people and places from the fighting: attacks, and looting or military use.
        # An attack is named by its means or its target ("strikes on", "fire on"), not by
        # "strike" alone (a teachers' strike).
        "civilians",
        "shelling bombardment bombardments airstrike airstrikes indiscriminate untouched looting looted plunder* "
        "raided artillery striking|human_shields|recruitment_of_children|child_soldiers|military_use|spared_from|"
        "not_targeted|explosive_weapons|no-strike|air_strike|air_strikes|drone_strike|drone_strikes|strikes_on|"
        "strike_on|strikes_against|attack_on|attacks_on|attacks_against|from_attack|from_attacks|fire_on|firing_on|"
        "fired_on|targeting_directive|targeting_directives|targeting_rules|targeting_of_civilians|"
        "protection_of_civilians|civilian_protection|respect_and_protect|respects_and_protects|"
        "respected_and_protected",
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
    # The pay of a service's staff: salaries owed to teachers are not the schools' reopening.
    ("pay", "salary salaries wage wages arrears payroll stipend stipends unpaid|back_pay"),
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
# Sparing people and places from attack: a question of its own, which a track on the broad
# fields alone does not ask, though it names the same places (hospitals spared from air
# strikes, and medicines for them; convoys spared, and convoys let through).
SPARING = FIELD_BITS["civilians"]


def fields(title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = "") -> int:
    """The fields of humanitarian work a track's title and aims name, as bits (0: none named),
    and above them (`FIELD_MASK`) what it asks within those fields (`asks`).

    Read from the same text as the meaning vector (the description only when there is
    neither aim nor objective).
    """
    said = [s for s in (*aims, *objectives) if s.strip()]
    if not said:
        said = [description]
    texts = tuple(spelt_out(t) for t in (title, *said))
    return _track_fields(texts) | _asks_of(texts)


# Payment that a party demands of aid (a fee at a checkpoint, a bribe) hinders passage: it
# is not the question of finance, which is money moved to pay for aid.
_DEMANDED_PAYMENT = re.compile(
    r"\bpayments?\s+(?:(?:is|are|be|being|was|were)\s+)?"
    r"(?:demanded|charged|extorted|exacted|levied|requested|required)\b"
    r"|\bpayments?\s+of\s+(?:fees|taxes|tolls|levies|bribes|duties)\b"
    r"|\b(?:demand\w*|extort\w*|exact\w*)\s+(?:a\s+|any\s+)?payments?\b"
)
# Weapons used against people or places are an attack (sparing from it is the question of
# civilians); weapons as such (withdrawn, handed in) are the question of weapons.
_WEAPONS_USED = re.compile(
    r"\b(?:(?:use|using|used)\s+(?:of\s+)?(?:\w+\s+){0,3})?explosive\s+weapons\b"
    r"|\b(?:use|using|used)\s+(?:of\s+)?(?:\w+\s+){0,2}weapons\s+(?:against|on|in)\b"
)
# What is held or handed back may be things: aid trucks impounded and kept in custody,
# vehicles returned. A text that names vehicles or goods and no person is on neither
# detention nor the return of the displaced, whatever words of holding or return it uses.
_THINGS = re.compile(
    r"\b(?:vehicles?|trucks?|lorry|lorries|fleets?|cargo(?:es|s)?|goods|supplies|consignments?|shipments?|"
    r"equipment|boats?|transport|aircraft|planes?)\b"
)
_HELD_PERSONS = re.compile(
    r"\b(?:detainees?|prisoners?|hostages?|captives?|abductees?|returnees?|refugees?|displaced|pows?)\b"
)


def _names_persons(low: str) -> bool:
    return any(rx.search(low) for rx in (_PERSONS, _STAFF, _FIGHTERS, _HELD_PERSONS))


# "Teachers' pay" is their salaries. In a sentence on pay, the staff it names say whose pay
# it is, not the field in question: teachers' salaries are no question of education.
_POSSESSIVE_PAY = re.compile(r"(\w(?:['’]s?|s['’])\s+)pay\b")
_PAY = re.compile(r"\b(?:salary|salaries|wages?|arrears|payroll|stipends?|unpaid|back\s+pay)\b")
_PAYEES = re.compile(
    r"\b(?:teachers?|lecturers?|nurses?|doctors?|midwi(?:fe|ves)|medics?|surgeons?|paramedics?|"
    r"(?:medical|health|hospital|clinic|school|water|utility|sanitation)\s+(?:staff|workers?|personnel|employees))\b"
)


@functools.lru_cache(maxsize=65536)
def _fields_of(text: str) -> int:
    """The fields one sentence names, each word read in the sense it has there."""
    low = _WEAPONS_USED.sub(" bombardment ", _DEMANDED_PAYMENT.sub(" fee ", text.lower()))
    low = _POSSESSIVE_PAY.sub(r"\1salaries", low)
    if _PAY.search(low):
        low = _PAYEES.sub(" staff ", low)
    return _read_fields(low)


@functools.lru_cache(maxsize=65536)
def _track_fields(texts: tuple[str, ...]) -> int:
    """The fields a track's sentences name; whether what is held or returned is people is
    read over the whole track (the lorries in its aim, the custody in an objective)."""
    out = 0
    for t in texts:
        out |= _fields_of(t)
    low = " ".join(texts).lower()
    people = FIELD_BITS["detention"] | FIELD_BITS["returns"]
    if out & people and _THINGS.search(low) and not _names_persons(low):
        out &= ~people
    return out


def _read_fields(low: str) -> int:
    """The fields whose words, stems or phrases a lower-case text uses."""
    out = 0
    for t in _EXACT.keys() & set(_TOKEN.findall(low)):
        out |= _EXACT[t]
    for m in _STEM_RE.finditer(low):
        out |= _STEMS[m.group(0)]
    for m in _PHRASE_RE.finditer(low):
        out |= _PHRASES[" ".join(m.group(0).split())]
    return out


# --------------------------------------------------------------------------- what is asked

# Inside one field of work, what a track asks the party to do: its action and what it acts
# on. Two tracks on detention may ask for people to be freed, for places of detention to
# be visited, for news of the held, or for a swap of prisoners; two on registration may ask
# for organisations to be registered, for their staff to be let into the country, for
# travel inside it or for goods through customs. Tracks that each ask something of one
# field, and nothing alike, put different questions to the party, however close their
# words. Each ask is read by its action (a verb, its noun or participle) and, where the
# action alone is vague ("access", "permits"), by what it applies to. The asks are kept
# in the bits above the fields (`FIELD_MASK`), in the same stored value.
FIELD_MASK = (1 << 32) - 1
_ASK_SHIFT = 32


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + pattern + r")\b")


# Detention: what is asked for the people held. "Return", "handover" and amnesty of a
# person held are release; access to, or seeing, the held is a visit.
_RELEASE = _rx(
    r"releas\w*|freed|freeing|freedom|free(?!\s+(?:of|from|movement|access|passage)\b)|liberat\w*|"
    r"let\s+go|return\w*|hand(?:ed|ing)?\s+over|handover\w*|unconditional\w*|parole\w*|pardon\w*|amnest\w*"
)
_EXCHANGE = _rx(r"exchang\w*|swap\w*|all[\s-]for[\s-]all|prisoner\s+trades?")
_VISITS = _rx(r"visit\w*|monitor\w*|inspect\w*|interview\w*")
_SEEN = _rx(r"access|see|seeing|seen|meet|meeting|contact|contacts")
_CONDITIONS = _rx(
    r"conditions?|treatment|ill[\s-]treat\w*|tortur\w*|humane\w*|inhumane\w*|overcrowd\w*|abuses?|"
    r"medical\s+care|health\s*care"
)
_NEWS = _rx(
    r"whereabouts|fate|proof\s+of\s+life|lists?|names|information|news|notif\w*|regist\w*|accounted|"
    r"account\s+for|messages?|phone\s+calls?|letters?"
)
_LEGAL = _rx(
    r"trials?|tried|charges?|charged|courts?|lawyers?|legal|due\s+process|sentenc\w*|death\s+penalty|"
    r"executions?|judicial\w*|judges?"
)
# Who is to be freed, where a track says: the people of an organisation (its staff), or
# the fighters of a side. The one who holds them ("held by the Front's fighters") is not.
_STAFF = _rx(
    r"(?:aid|relief|humanitarian|health|medical)\s+(?:workers?|staff|personnel)|staff|personnel|"
    r"workers?|teams?|nurses?|doctors?|medics?|paramedics?|engineers?|technicians?|drivers?|volunteers?|"
    r"employees?|contractors?|officials?|delegates?|colleagues?|journalists?|reporters?|crews?"
)
_FIGHTERS = _rx(
    r"fighters?|soldiers?|combatants?|prisoners\s+of\s+war|pows?|servicem[ae]n|conscripts?|"
    r"militiam[ae]n|troops|captured\s+(?:members|officers)"
)
_BY = re.compile(r"\bby\b[^,;:.()]*")

# Registration: what is asked of the party's paperwork.
_ENTRY = _rx(r"visas?|entry|enter|entering|(?:work|residence|residency)\s+permits?|residency")
_MOVEMENT = _rx(r"travel\w*|movements?|trips?|passes")
_IMPORT = _rx(
    r"customs|import\w*|tax\w*|dut(?:y|ies)|clearance\s+of\s+(?:goods|cargo\w*|supplies|shipments?)"
)
_PAPERS = _rx(
    r"documents?|documentation|identity|id\s+cards?|births?|certificates?|passports?|civil\s+regist\w*"
)
# Registering people (the displaced, voters) is their papers, not an organisation's status.
_PEOPLE = _rx(r"displaced|refugees?|returnees?|families|residents|voters?|children|detainees|persons|people")
_ORG = _rx(
    r"regist\w*|licen[cs]\w*|accredit\w*|legal\s+status|authori[sz]ed\s+to\s+operate|"
    r"permission\s+to\s+operate|memorand\w*|mou"
)
# "Registered NGOs", "accredited staff": a status the sentence takes as given, not one it asks for.
_GIVEN_STATUS = re.compile(
    r"\b(?:registered|licen[cs]ed|accredited)\s+(?!(?:with|by|in|within|without|for|to|as|under|at|on|and|or|"
    r"quickly|promptly|again|once|before|after)\b)\w+"
)
_MONEY = _rx(r"banks?|banking|transfers?|payments?|remittances?|sanctions|accounts?|funds|cash")

ASKS = (
    "release",
    "visits",
    "conditions",
    "news",
    "legal",
    "held_staff",
    "held_fighters",
    "entry",
    "movement",
    "import",
    "documents",
    "organisations",
)
ASK_BITS = {name: 1 << (_ASK_SHIFT + n) for n, name in enumerate(ASKS)}
# Asks compared with one another: two tracks that each name one of a group, and share
# none of it, ask different things. Who is held is compared on its own: the release of
# an agency's staff and that of captured fighters are two questions.
ASK_GROUPS = (
    sum(ASK_BITS[a] for a in ("release", "visits", "conditions", "news", "legal")),
    ASK_BITS["held_staff"] | ASK_BITS["held_fighters"],
    sum(ASK_BITS[a] for a in ("entry", "movement", "import", "documents", "organisations")),
)


def asks(title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = "") -> int:
    """What a track asks within the fields it names (bits of `ASK_BITS`; 0: nothing read).

    Read sentence by sentence from the same text as the fields: the title and the aims
    and objectives (the description only when there is neither)."""
    said = [s for s in (*aims, *objectives) if s.strip()]
    if not said:
        said = [description]
    return _asks_of(tuple(spelt_out(t) for t in (title, *said)))


@functools.lru_cache(maxsize=65536)
def _asks_of(texts: tuple[str, ...]) -> int:
    """The asks of a track's sentences, and the detention field when a sentence asks for
    people held to be freed without naming detention ("released" and "held by")."""
    detention, registration = FIELD_BITS["detention"], FIELD_BITS["registration"]
    track = _track_fields(texts)
    out = 0
    if not track & detention and any(_frees_people_held(s.lower()) for s in texts):
        out = track = track | detention
    for s in texts:
        low = s.lower()
        here = _fields_of(low) | (detention if _frees_people_held(low) else 0)
        if track & detention:
            out |= _detention_asks(low, bool(here & detention))
        if track & registration and not here & detention:
            out |= _registration_asks(low)
    return out


# People freed from where they are held: a word of freeing, of being held, and of people
# (aid trucks held at a crossing and released are not detention).
_FREEING = _rx(r"releas\w*|freed|freeing|freedom|free|liberat\w*|set\s+free")
_HELD = _rx(r"held|taken|seized|captured|kept|holding")
_PERSONS = _rx(
    r"civilians?|people|persons|men|women|children|boys|girls|minors|villagers|residents|families|"
    r"fishers|fishermen|farmers|students|pupils|passengers|members"
)


def _frees_people_held(low: str) -> bool:
    held = _BY.sub(" ", low)
    return bool(
        _FREEING.search(low)
        and _HELD.search(low)
        and (_PERSONS.search(held) or _STAFF.search(held) or _FIGHTERS.search(held))
    )


def _detention_asks(low: str, names_detention: bool) -> int:
    out = 0
    for name, rx in (
        ("release", _RELEASE),
        ("visits", _VISITS),
        ("conditions", _CONDITIONS),
        ("news", _NEWS),
        ("legal", _LEGAL),
    ):
        if rx.search(low):
            out |= ASK_BITS[name]
    if names_detention and _SEEN.search(low):
        out |= ASK_BITS["visits"]
    held = _BY.sub(" ", low)
    swap = bool(_EXCHANGE.search(low))
    # Who is held is read where they are to be freed: staff who visit detainees are not held.
    if swap or out & ASK_BITS["release"]:
        if _STAFF.search(held):
            out |= ASK_BITS["held_staff"]
        if _FIGHTERS.search(held):
            out |= ASK_BITS["held_fighters"]
    # An exchange frees people held on both sides: the prisoners the fighting took, unless
    # the sentence names whose staff.
    if swap:
        out |= ASK_BITS["release"]
        if not out & ASK_BITS["held_staff"]:
            out |= ASK_BITS["held_fighters"]
    return out


def _registration_asks(low: str) -> int:
    out = 0
    if _ENTRY.search(low):
        out |= ASK_BITS["entry"]
    if _MOVEMENT.search(low):
        out |= ASK_BITS["movement"]
    if _IMPORT.search(low):
        out |= ASK_BITS["import"]
    if _PAPERS.search(low):
        out |= ASK_BITS["documents"]
    if _ORG.search(_GIVEN_STATUS.sub(" ", low)) and not _MONEY.search(low):
        out |= ASK_BITS["documents"] if _PEOPLE.search(low) else ASK_BITS["organisations"]
    return out
