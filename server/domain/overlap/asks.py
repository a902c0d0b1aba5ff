"""What a track asks the party to do within the fields of work it names (`fieldwork`).

Two tracks on one field may put different questions to the party: people freed or
visited, relief let in or people let out, an organisation registered or its staff given
visas. Their sentences share every word but the ask's own, so the sentence model puts
them close; the asks are read from each sentence's action and what it acts on.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from server.domain.overlap.fieldwork import FIELD_BITS, fields_of

# Each ask is read by its action (a verb, its noun or participle) and, where the action
# alone is vague ("access", "permits"), by what it applies to. Tracks that each ask
# something of one group of asks, and nothing alike, put different questions to the
# party, however close their words. The asks are kept in the bits above the fields
# (`FIELD_MASK`), in the same stored value (`text.fields`).
FIELD_MASK = (1 << 32) - 1
_ASK_SHIFT = 32


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + pattern + r")\b")


# Detention: what is asked for the people held. "Return", "handover" and amnesty of a
# person held are release; access to, seeing or contact with the held, and their
# treatment, are what visits are for.
_RELEASE = _rx(
    r"releas\w*|freed|freeing|freedom|free(?!\s+(?:of|from|movement|access|passage)\b)|liberat\w*|"
    r"let(?:s|ting)?\s+(?:[\w'’]+\s+){0,5}go|return\w*|hand(?:ed|ing)?\s+over|handover\w*|unconditional\w*|parole\w*|pardon\w*|amnest\w*"
)
_EXCHANGE = _rx(
    r"exchang\w*|swap\w*|all[\s-]for[\s-]all|reciprocal\w*|mutual\w*|(?:both|each|either)\s+sides?|(?:prisoners?|detainees?|captives?)\s+trad\w*|"
    r"trad(?:e|es|ed|ing)\s+(?:of\s+)?(?:the\s+)?(?:prisoners?|detainees|captives)"
)
_VISITS = _rx(r"visit\w*|monitor\w*|inspect\w*|interview\w*|messages?|phone\s+calls?|letters?")
_SEEN = _rx(r"access|see|seeing|seen|meet|meeting|contact|contacts|into|enter\w*|entry|allowed\s+in")
_CONDITIONS = _rx(
    r"conditions?|treatment|ill[\s-]treat\w*|tortur\w*|humane\w*|inhumane\w*|overcrowd\w*|abuses?|"
    r"medical\s+care|health\s*care"
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
_OPERATE = _rx(r"operat\w*\s+legally|legal\s+status|to\s+operate|memorand\w*\s+of\s+understanding|mous?")
_ORG = _rx(
    r"regist\w*|licen[cs]\w*|accredit\w*|legal\s+status|operat\w*\s+legally|to\s+operate|memorand\w*|mous?"
)
# "Registered NGOs", "accredited staff": a status the sentence takes as given, not one it asks for.
_GIVEN_STATUS = re.compile(
    r"\b(?:registered|licen[cs]ed|accredited)\s+(?!(?:with|by|in|within|without|for|to|as|under|at|on|and|or|"
    r"quickly|promptly|again|once|before|after)\b)\w+"
)
_ORGANISATIONS = _rx(r"ngos?|inngos?|organi[sz]ations?|agenc(?:y|ies)|charit(?:y|ies)|associations?|groups?")
_STATUS_OF = re.compile(
    r"\b(?:regist\w*|licen[cs]\w*|accredit\w*)\s+(?:of|for)\s+(?:(?:the|its|their|all|our|local|foreign|"
    r"international)\s+)*(?:[\w-]+(?:'s|’s|s'|s’)\s+)?(?:[\w-]+\s+)?(?P<whose>[\w-]+)"
)
_REGISTERED = re.compile(r"\b(?:registered|licen[cs]ed|accredited)\b")
_STATUS_AFTER = re.compile(r"(?P<whose>[\w-]+)\s+(?:\w+\s+)?(?:registered|licen[cs]ed|accredited)\b")
_MONEY = _rx(r"banks?|banking|transfers?|payments?|remittances?|sanctions|accounts?|funds|cash")

ASKS = (
    "release",
    "visits",
    "held_staff",
    "held_fighters",
    "entry",
    "movement",
    "import",
    "documents",
    "organisations",
    "relief_in",
    "people_out",
)
ASK_BITS = {name: 1 << (_ASK_SHIFT + n) for n, name in enumerate(ASKS)}
# Asks compared with one another, by group: two tracks that each name one of a group, and
# share none of it, ask different things. (News of the held, lists or proof of life, and
# the grounds they are held on are asked on the way to a release or a visit alike, and
# are not read.) Who is to be freed is compared on its own: the release of an agency's
# staff and that of captured fighters are two questions.
ASK_GROUPS: tuple[int, ...] = tuple(
    sum(ASK_BITS[a] for a in group)
    for group in (
        ("release", "visits"),
        ("held_staff", "held_fighters"),
        ("entry", "movement", "import", "documents", "organisations"),
        ("relief_in", "people_out"),
    )
)


def asks(title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = "") -> int:
    """What a track asks within the fields it names (bits of `ASK_BITS`; 0: nothing read).

    Read sentence by sentence from the same text as the fields: the title and the aims
    and objectives (the description only when there is neither)."""
    said = [s for s in (*aims, *objectives) if s.strip()]
    if not said:
        said = [description]
    return asks_of((title, *said))


@functools.lru_cache(maxsize=65536)
def asks_of(texts: tuple[str, ...]) -> int:
    """The asks of a track's sentences, and the detention field when a sentence asks for
    people held to be freed without naming detention ("released" and "held by")."""
    detention, registration = FIELD_BITS["detention"], FIELD_BITS["registration"]
    passage = FIELD_BITS["access"] | FIELD_BITS["evacuation"]
    track = fields_of(" ".join(texts))
    lows = [s.lower() for s in texts]
    freeing = [_frees_people_held(low) for low in lows]
    out = 0
    if not track & detention and any(freeing):
        out = track = track | detention
    if not track & registration and any(_OPERATE.search(low) and _ORGANISATIONS.search(low) for low in lows):
        # An organisation's right to operate is its status, as a registration is.
        out |= registration
        track |= registration
    if not track & (detention | registration | passage):
        return out
    for low, frees in zip(lows, freeing, strict=True):
        here = fields_of(low) | (detention if frees else 0)
        if track & detention:
            out |= _detention_asks(low, bool(here & detention))
        if track & registration and not here & detention:
            out |= _registration_asks(low)
        if track & passage:
            out |= _passage_asks(low)
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
        # How the held are treated is what visits see to.
        ("visits", _CONDITIONS),
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
    asked = _GIVEN_STATUS.sub(" ", low)
    entry = _ENTRY.search(low)
    if entry:
        # After visas or permits, "NGOs registered with the ministry" says whose staff.
        asked = asked[: entry.end()] + _REGISTERED.sub(" ", asked[entry.end() :])
    if _ORG.search(asked) and not _MONEY.search(low):
        # Whose status: the noun the registration is of ("accreditation of the agency's
        # staff"), or before it ("staff accredited"); else anything the sentence names.
        m = _STATUS_OF.search(asked) or _STATUS_AFTER.search(asked)
        whose = m.group("whose") if m else asked
        if _PEOPLE.search(whose):
            out |= ASK_BITS["documents"]
        elif _STAFF.search(whose) and not (m is None and _ORGANISATIONS.search(whose)):
            # Staff accredited, or licensed to work: the right of people to work there.
            out |= ASK_BITS["entry"]
        else:
            out |= ASK_BITS["organisations"]
    return out


# Access and evacuation: which way a track asks the party to let people or goods pass.
# Relief brought in (supplies, convoys, teams reaching people) and people let out (the
# wounded evacuated, families allowed to leave) are two questions, even through one
# corridor; a sentence or track that asks both (aid in, the wounded out) meets either.
_OUT = _rx(r"evacuat\w*|medevac\w*|leave|leaving|exit|exits|flee|fleeing|depart\w*|out")
_GOING = _rx(
    r"civilians?|people|persons|families|residents|wounded|patients|children|refugees|displaced|"
    r"population|sick|injured|casualties|women|elderly|inhabitants|villagers"
)
_RELIEF = _rx(
    r"aid|relief|supplies|supply|food|medicines?|fuel|convoys?|trucks?|lorries|deliveries|delivery|cargo\w*|"
    r"shipments?|consignments?|flights?|teams?|workers?|staff|clinics?|vaccinators?|agencies|humanitarian\s+access"
)
_IN = _rx(
    r"into|in|inside|enter\w*|reach\w*|deliver\w*|access|through|across|cross\w*|over|passage|land|landing|"
    r"unload\w*|lift\w*|"
    r"bring\w*|brought|arriv\w*|allowed|let|serving|operat\w*|work\w*|treat\w*|for"
)


def _passage_asks(low: str) -> int:
    out = 0
    if _OUT.search(low) and _GOING.search(low):
        out |= ASK_BITS["people_out"]
    if _RELIEF.search(low) and _IN.search(low):
        out |= ASK_BITS["relief_in"]
    return out
