"""A clause-level reading of condition, shared by D2 and N1.

The phrase rules of D2 and N1 look for an aid word, a link and a price in one order. People
also write the same thing in words no family holds: "the water points open as the district chiefs
sign the accord", "tents for the hamlets, provided the Brigade gives the hilltop post to the
police", "no truce is agreed yet. Until there is one, the boats stay moored". This
reading cuts a statement into what is done and what it waits on, whatever the words:

- the condition opens on a marker ("if", "unless", "once", "only when", "until",
  "provided that", "on condition that", "subject to", "contingent on", "in return for",
  "as soon as", "after", and "as" or "when" before a party that acts), or, in the next
  statement, on "until then" or "until they do", whose condition is the statement before;
- what waits is the clause the marker hangs on. On a humanitarian track that clause is
  the track's own work, however it is named; on any other track it must name aid or access;
- the condition is read for what it asks: a halt in the fighting (N1's alone), or a price
  (a political, military or economic concession, or any act of a party that is no part of
  delivering the aid), which is both D2's and N1's. A condition about the aid's own
  logistics or timing, or about harm done to people or to the work (a red line's business),
  asks no price.

The statement must be the track's own and meant (`_prose.asserted`): a denial ("relief is
not conditional on ..."), a demand of another side reported, a past event told, or a
statement that the work stops when something happens ("we suspend if ...") raises nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.domain.checks._lexicon import (
    ACCESS,
    AID,
    CONCESSION,
    ENABLING,
    HALT,
    TALKS,
    TIME,
    WORK,
)
from server.domain.checks._prose import (
    Voice,
    asserted,
    family,
    narrated,
    notes,
    reported,
    statements,
    taken_up_after,
    words,
)

HALT_KIND = "halt"
PRICE_KIND = "price"
# Aid steered by what its recipients do for another agenda, or put to work on a party: D2's alone.
AGENDA_KIND = "agenda"

_HALT = words(HALT)
_CONCESSION = words(CONCESSION)
_ENABLING = words(ENABLING)
_TIME = words(TIME)
_AID = words(AID)
_GIVE = words(
    family(
        AID,
        ACCESS,
        WORK,
        # letting someone or something in: "let the inspectors into the camp"
        r"(?:permit|allow|let|admit)\w*\s+(?:[\w'’-]+\s+){0,5}?(?:into|in|through|to\s+(?:enter|visit|reach|cross|berth|land|dock))",
    )
)

# Words that open a condition, longest first.
_MARKER = re.compile(
    r"\b(?P<m>(?:only\s+|but\s+only\s+|and\s+only\s+)?(?:"
    r"on\s+(?:the\s+)?condition\s+(?:that|of)|provided(?:\s+that)?|providing(?:\s+that)?|"
    r"(?:conditional|contingent|dependent|predicated|conditioned)\s+(?:up)?on|subject\s+to|"
    r"in\s+(?:return|exchange)\s+for|as\s+soon\s+as|as\s+long\s+as|so\s+long\s+as|"
    # verbs and phrases of dependence: "awaits a ceasefire", "in step with the pull-back of troops"
    r"(?:is\s+|are\s+|be\s+)?(?:tied|linked|pegged|keyed|indexed|subordinated?)\s+to|in\s+step\s+with|in\s+lockstep\s+with|"
    r"at\s+the\s+pace\s+of|(?:depends?|depending|dependent|hinges?|hinging|rests?|resting)\s+(?:up)?on|"
    r"(?:awaits?|awaiting)|(?:waits?|waiting)\s+(?:for|on|upon)|(?:sequenced|phased|synchroni[sz]ed)\s+(?:with|after|behind)|"
    r"as\s+(?:an?|the|our|its)\s+(?:[\w'’-]+\s+)?(?:reward|incentive|inducement|price|payment|currency|sweetener|carrot|"
    r"lever|leverage|bargaining\s+chip|quid\s+pro\s+quo)\s+(?:for|of)|"
    r"(?:as\s+)?(?:an?\s+|one\s+|the\s+)?(?:part|element|component|plank|item|chapter|strand)\s+of|"
    r"one\s+of\s+the\s+(?:items|points|issues|elements|chips|cards)\s+(?:on|in|of)|upon|"
    r"once|if|unless|until|till|pending|after|when|as|before|"
    r"(?:on\s+|from\s+)?the\s+(?:day|moment|minute|hour|week)(?:\s+that)?(?=\s+(?:the|it|they|its|their|(?-i:[A-Z])))|"
    # a condition by its absence: "without a ceasefire, no convoys"; "absent a truce, the teams stay"
    r"(?:without|absent|barring|failing|short\s+of|in\s+the\s+absence\s+of)(?=\s+(?:a|an|the|any|its|their)\b)|"
    # an inverted condition: "were the Front to release ...", "should the Authority endorse ..."
    r"(?:were|should|had)(?=\s+(?:the\s+)?(?-i:[A-Z])|\s+(?:they|it)\b)))\b",
    re.IGNORECASE,
)
# Markers that also tell time or manner ("as agreed", "when possible", "after the rains"):
# a condition only when a party is named acting, or a halt in the fighting comes.
_LOOSE = {"as", "when", "after"}
# Markers of several words read as one: "as soon as" sets a moment, "as long as" a span.
_DEPENDS = re.compile(
    r"(?:(?:is|are|be)\s+)?(?:tied|linked|pegged|keyed|indexed|subordinated?)\s+to|in\s+(?:lock)?step\s+with|at\s+the\s+pace\s+of|"
    r"(?:depends?|depending|dependent|hinges?|hinging|rests?|resting)\s+(?:up)?on|awaits?|awaiting|"
    r"(?:waits?|waiting)\s+(?:for|on|upon)|(?:sequenced|phased|synchroni[sz]ed)\s+(?:with|after|behind)",
    re.IGNORECASE,
)
_MARKER_AS = {
    "as soon as": "once",
    "as long as": "while",
    "so long as": "while",
    "were": "if",
    "should": "if",
    "had": "if",
}
# Markers that also order two events in time: what follows may be told, not planned.
_TIMED = {"as", "when", "after"}
# Markers that say how long the work stays stopped, not what stops it.
_ENDS = {"until", "till", "pending", "unless", "while", "before", "without"}
# A denial in the waiting clause that sets the condition rather than denying it: "cannot start unless".
_NEGATIVE = re.compile(
    r"\b(?:cannot|can't|won't|will\s+not|would\s+not|must\s+not|may\s+not|not|never|no|nothing|none)\b", re.I
)
# A condition in the next statement that stands for the one before: "Until they do, ...".
_ANAPHORIC = re.compile(
    r"^\s*(?:and\s+)?(?:only\s+)?(?:until|till|pending|unless|before|once|when)\s+"
    r"(?:then|that|this|they\s+do|it\s+does|that\s+happens|this\s+happens|that\s+is\s+done|such\s+time|so)\b",
    re.IGNORECASE,
)
_ANAPHOR_INSIDE = re.compile(r"[;,]\s*(?:and\s+)?(?:until|till)\s+then\b", re.IGNORECASE)
# Where a condition stops: a new clause with its own point.
_STOP = re.compile(
    r"[,;:()\u2013\u2014]|\b(?:but|while|whereas|although|though|and\s+(?:we|our|the\s+desk|partners?))\b",
    re.IGNORECASE,
)
# Who may be asked for a price: a party named by its office, or by a pronoun that acts.
_ACTOR = words(
    "(?:"
    r"(?:government|ministry|council|(?<!camp\s)(?<!village\s)(?<!water\s)(?<!community\s)(?<!women's\s)(?<!school\s)(?<!health\s)(?<!distribution\s)(?<!parents'\s)(?<!youth\s)(?<!beneficiary\s)committee|forces|units|officials|leadership|authorities|authority|"
    r"governor|junta|regime|commanders?|militias?|rebels|insurgents|army|front(?![\s-]*lines?)|movement|administration|parliament|"
    r"president|leaders?|chiefs?|elders|clans?|tribes?|parties|side|sides|command|units?|brigades?|battalions?)"
    ")"
)
_PRONOUN_ACTS = re.compile(
    r"^(?:it|they|(?:its|their)\s+(?:[\w'’-]+\s+)?(?:delegation|leaders?|leadership|negotiators?|representatives?|"
    r"commanders?|forces|fighters|units|government|council|ministers?|officials|chiefs?|elders))\s+"
    r"(?!is\b|are\b|was\b|were\b|be\b|becomes?\b|arrives?\b|reach\w*|gets?\b|has\b|have\b|rains?\b)\w+",
    re.IGNORECASE,
)
# A concession named in the passive or with its object between the verb and its particle:
# "the jailed mayors are freed", "turn the ferry post over to the police".
_STRONG = words(
    "(?:"
    r"(?:detained|jailed|imprisoned|abducted|captured|held|arrested)\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:is|are|be|been|get|gets)\s+(?:released|freed|set\s+free|pardoned|exchanged)"
    r"|(?:release|releases|released|releasing|free|frees|freed|freeing)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|our\s+|all\s+)?"
    r"(?:(?:[\w'’-]+\s+){0,3}?(?:nationals|citizens|engineers|journalists|deputies|politicians|officers|soldiers|"
    r"captives|prisoners|detainees|hostages|activists|leaders|teachers|students|doctors|nurses|civilians|villagers)"
    r"|(?:[\w'’-]+\s+){0,2}?(?:abducted|detained|jailed|imprisoned|captured|kidnapped|arrested|held))"
    r"|(?:hand|hands|handed|handing|turn|turns|turned|turning)\s+(?:[\w'’-]+\s+){1,5}?over\s+to"
    # a party's officials received or recognised: a political gesture in the passive
    r"|(?:its|their|the\s+[\w'’-]+['’]s?)\s+(?:[\w'’-]+\s+)?(?:ministers?|officials|leaders?|representatives?|envoys?|"
    r"delegation|governor|administration)\s+(?:is|are|be|being|get|gets)\s+(?:formally\s+|officially\s+)?"
    r"(?:received|recognised|recognized|accredited|seated|invited|hosted)"
    r"|(?:pull\w*\s+(?:(?:its|their|the)\s+(?:[\w'’-]+\s+)?)?(?:back|out)|disarm\w*|demobili[sz]\w*|redeploy\w*|disengag\w*)"
    r"|withdraw\w*\s+(?:of\s+)?(?:its|their|the|all)\s+(?:[\w'’-]+\s+)?(?:forces|troops|fighters|units|militias?|"
    r"positions?|candidate\w*|claims?|objections?|veto|bid|nominee|resolution)\b|withdraw\w*\s+from"
    r"|(?:handover|hand-over|surrender|cession)\s+of"
    r"|(?:hand|hands|handed|handing|turn|turns|turned|turning)\s+in\s+(?:its\s+|their\s+|the\s+)?(?:weapons|arms|rifles|guns)"
    # another agenda's text or step accepted in the passive: "until the timetable is endorsed"
    r"|(?:is|are|be|been|being)\s+(?:formally\s+)?(?:accepted|endorsed|ratified|recogni[sz]ed|adopted|handed\s+over)"
    r"|(?:sign\w*|accept\w*|endors\w*|agree\w*\s+to|commit\w*\s+to)\s+(?:up\s+to\s+)?(?:the\s+|a\s+|its\s+|our\s+)?"
    r"(?:[\w'’-]+\s+){0,3}?(?:roadmap|road\s+map|peace\s+plan|demobili[sz]ation\s+plan|settlement|transition)"
    ")"
)
# What the aid itself needs or is: a condition about it is logistics, whatever else it says.
_OWN_NEEDS = words(
    "(?:"
    r"aid|relief|humanitarian\w*|staff|workers|teams|drivers|trucks|supplies|stocks|warehouses?|convoys?|"
    r"sites?|locations?|venues?|modalities|dates?|demin\w*|mine\s+clearance|clearing\s+the|"
    # another humanitarian track or service the work leans on: "leans on the supply hub"
    r"(?:demining|clearance|logistics|supply|pipeline|warehouse|shelter|health|water|food|nutrition|protection|WASH|"
    r"medical|relief|humanitarian|cluster)\s+(?:track|hub|programme|operation|cluster|partners?|pipeline)|"
    r"permits?|visas?|clearances?|notifications?|safe|safety|security\s+(?:allows|permits|situation|guarantees?)"
    ")"
)
# Harm done to people or to the work: what a red line or a suspension answers, not a price.
_HARM = words(
    r"(?:attack|shell|bomb|kill|arrest|abduct|harass|threaten|recruit|violat|abus|loot|divert|seiz|target|"
    r"enter|occup|militari[sz]|storm|raid|search|"
    r"intimidat|expel|evict|obstruct|block|tax|interfer|confiscat|steal|assault|rap|tortur|disappear)(?:s|es|ed|ing|e)?"
)
# The work stopping or ending: "we suspend if ...", "withdraw when ...": a red line, not a price.
_STOPS = words(
    r"(?:suspend|pause|withdraw|stop|halt|end|terminat|review|reconsider|reassess|close|exit|leave|"
    r"scale\s+down|wind\s+down|freeze|evacuat)\w*"
)
# Help that is not humanitarian aid: "development aid", "military assistance", "loans", "debt relief".
_NOT_AID = words(
    "(?:"
    r"(?:development|military|security|budget|budgetary|technical|trade|defen[cs]e|police|governance|macro-?economic)\s+"
    r"(?:aid|assistance|support|cooperation|funding|programmes?)|loans?|credit\s+lines?|(?:sanctions|debt|tax|tariff)\s+relief"
    ")"
)
# Someone else's agenda as the subject of what waits: "the status talks resume once ...".
_OTHER_SUBJECT = words(rf"(?:{TALKS}|{CONCESSION})")
# Whatever happens: the condition is denied. "sent whatever the mediators achieve"
_WHATEVER = words(
    "(?:"
    r"whatever|regardless|irrespective|independent(?:ly)?\s+of|with\s+or\s+without|not\s+(?:conditional|"
    r"contingent|dependent|tied|linked)|no\s+matter"
    ")"
)
# A halt that ends, not one that comes: "until the truce expires" is a deadline.
_HALT_ENDS = re.compile(
    r"\b(?:ends?|ended|expires?|expired|collaps\w*|breaks?\s+down|lapses?|lapsed|runs?\s+out|is\s+over|is\s+lifted)\b",
    re.IGNORECASE,
)
# A ceasefire that names a place or a body, not a halt: "the ceasefire-line survey", "truce monitors".
_HALT_NAMES = re.compile(
    r"[\s-]*(?:lines?|maps?|monitor\w*|commission|committee|violations?|zones?|observers?|boundary|areas?)\b",
    re.I,
)
# Coordinated with something, not waiting on it: "as part of", "as agreed", "as needed".
_AS_MANNER = re.compile(
    r"^\s*(?:an?\s|the\s+(?:basis|price|reward|result|way|means|part|condition)\b|part\b|well\b|far\b|much\b|soon\b|long\b|such\b|usual\b|planned\b|agreed\b|needed\b|"
    r"required\b|requested\b|foreseen\b|scheduled\b|before\b|always\b|expected\b|possible\b|necessary\b|"
    r"set\s+out\b|IHL\b|international\b|per\b|follows?\b|of\b|for\b|to\b|with\b|in\b|at\b|on\b|by\b|its\s+own\b|"
    r"our\s+own\b|a\s+matter\b|[\w'’-]+\s+(?:requires?|demands?|allows?|permits?|says|said|provides?)\b"
    # "as the Brigade has asked", "as the Council proposed": whose words, not a condition
    r"|(?:[\w'’-]+\s+){1,4}?(?:(?:has|have|had)\s+)?(?:demand|request|ask|propos|insist|want|suggest|requir|agree|plan|"
    r"expect|foresee|say|said|stat|put|urg|call)\w*\b)",
    re.IGNORECASE,
)


# A past the word list of `narrated` misses: "once the bombing ended, more boats docked".
_TOLD = re.compile(
    r"^(?:[\w'’-]+\s+){1,4}?(?:stopped|ended|signed|withdrew|released|came|left|took|got)\b", re.I
)
# A link denied in the clause that waits: "we will never tie the rations to ...".
_DENIED_LINK = re.compile(
    r"\b(?:not|never|n't|cannot|no\s+longer)\s+(?:\w+\s+){0,2}?(?:make|makes|made|tie|ties|tied|link|links|linked|trade|swap|barter|exchange|"
    r"condition\w*|subordinat\w*|hold\s+back|wait|be\s+(?:made\s+)?(?:conditional|contingent|dependent))\b",
    re.IGNORECASE,
)
# Another side's words: "the governor said visas 'might come sooner' if ...".
_SAYS = re.compile(
    r"\b(?:said|says|told|tells|asked|asks|demand(?:s|ed)?|insist(?:s|ed)?|propos(?:es|ed)|offer(?:s|ed)|"
    r"suggest(?:s|ed)|float(?:s|ed)|claim(?:s|ed)|warn(?:s|ed)|threaten(?:s|ed)|stat(?:es|ed)|indicat(?:es|ed)|"
    r"hint(?:s|ed)|want(?:s|ed)|would\s+like|replied|answered)\b",
    re.IGNORECASE,
)


# Our own offices, named without a name: "the minister", "the desk", "cabinet".
_OFFICES = {
    "the",
    "our",
    "minister",
    "ministry",
    "desk",
    "envoy",
    "cabinet",
    "department",
    "embassy",
    "ambassador",
    "capital",
    "headquarters",
    "secretary",
    "director",
    "team",
    "mission",
    "special",
    "foreign",
    "prime",
    "deputy",
}


def _reported(before: str, v: Voice, after: str) -> bool:
    """Whether the words before a condition give it to someone not ours, not taken up after."""
    for m in _SAYS.finditer(before):
        if re.search(r"\b(?:which|who|whom|whose)\s+(?:[\w'’-]+\s+){0,3}$", before[: m.start()], re.I):
            continue  # a relative clause: "the orchards, which the Council wants replanted, ..."
        subject = re.split(r"[,;:()]|\b(?:and|but|while|that|which)\b", before[: m.start()])[-1].strip()
        if not subject or re.search(
            r"\b(?:is|are|was|were|be|been|being|has\s+been|have\s+been)$", subject, re.I
        ):
            continue  # a passive: "the Front was informed that ..." is what we said
        if v.ours(subject) or (subject.split()[0].lower() in ("it", "this") and len(subject.split()) == 1):
            continue
        if all(w.lower().strip(".,'’") in _OFFICES for w in subject.split()):
            continue  # "the minister wants ...", "the desk proposes ...": our own offices
        return not taken_up_after(after, v)
    return False


@dataclass(frozen=True)
class Condition:
    """A statement that makes something wait on a condition, and what kind of condition."""

    statement: str
    kind: str


def _extent(text: str) -> str:
    stop = _STOP.search(text)
    return " ".join((text[: stop.start()] if stop else text).split()[:18])


# A party's act named as a noun, after its possessive.
_ACT_NOUN = re.compile(
    r"^['’]s?\s+(?:[\w'’-]+\s+)?(?:acceptance|signature|signing|recognition|endorsement|approval|agreement|withdrawal|"
    r"release|handover|hand-over|support|backing|vote|participation|return|adherence|ratification|entry|"
    r"disarmament|demobili[sz]ation|surrender|consent|commitment|cooperation|concession|pull-?back|decision)\b",
    re.IGNORECASE,
)


def _party_acts(condition: str, v: Voice, strict: bool = False) -> bool:
    """Whether a condition opens on a party that does something ("the Front frees ...").

    `strict`: the party must be one the workspace names or an office ("the Council", "its
    leaders"), not any capitalised word ("after several incidents near Omra").
    """
    body = re.sub(r"^(?:that|the|both|all|each|every)\s+", "", condition.strip(), flags=re.IGNORECASE)
    if v.ours(" ".join(body.split()[:2])):
        return False  # we act: "our forces withdraw" (not "the Front backs our candidate")
    if re.match(r"^(?:[\w'’-]+\s+)?[\w'’-]+['’]s?\s", body):
        # a party's act named as a noun: "the Council's approval of the charter"; not "the army's presence"
        return bool(_ACT_NOUN.match(body[body.find("'") if "'" in body else body.find("’") :]))
    # the party is the condition's subject, at its head: not "grants from Veldt"
    subject = " ".join(body.split()[:2])
    if _ACTOR.search(subject) or _PRONOUN_ACTS.match(body):
        return True
    if strict:
        low = subject.casefold()
        return any(re.search(rf"\b{re.escape(n.casefold())}\b", low) for n in v.others_names)
    return v.others(subject, sentence_start=False) and body[:1].isupper()


# Another agenda's talks: "in step with the tariff negotiations".
_AGENDA_TALKS = words(
    r"(?:debt|trade|border|boundary|status|political|peace|security|normali[sz]ation|constitutional|mining|investment|"
    r"customs|tariff|power-sharing|unity|sanctions|recognition|accreditation|election\w*)\s+"
    r"(?:talks|negotiations|dialogue|process|deal|track|file|framework)"
)


# A party's bare consent to the work: "if the Authority agrees", "once the Council gives its go-ahead".
_CONSENT = re.compile(
    r"^\s*(?:the\s+|both\s+|all\s+)?(?:[\w'’-]+\s+){1,3}?(?:agrees?|accepts?|consents?|approves?|concurs?|says\s+yes|"
    r"(?:allows?|permits?|authori[sz]es?)\s+(?:it|this|that|them|us)|gives?\s+(?:its|their)\s+(?:consent|approval|go-ahead|"
    r"green\s+light|agreement|blessing))\W*$",
    re.IGNORECASE,
)


def _price(condition: str, v: Voice, loose: bool, named: bool = True) -> bool:
    """Whether a condition asks a price: a concession, or a party's act that is no part of delivering aid.

    When the work that waits is not `named` ("the well drilling waits until the headmen choose
    the site"), a party's mere act is more often the work's own arrangement: only a named
    concession is a price.
    """
    strong = _STRONG.search(condition)
    if strong and not _OWN_NEEDS.search(strong.group(0)) and not _halt(condition):
        return True
    if (
        _halt(condition)
        or _HARM.search(condition)
        or _OWN_NEEDS.search(condition)
        or _CONSENT.match(condition)
    ):
        return False
    if (_CONCESSION.search(condition) or _AGENDA_TALKS.search(condition)) and _party_acts(
        condition, v, strict=loose
    ):
        # a party's concession, whatever else the condition names: "the Council admitting foreign
        # observers to its border zone"
        return True
    if (
        _ENABLING.search(condition)
        or _TIME.search(" ".join(condition.split()[:4]))
        or _OWN_NEEDS.search(condition)
    ):
        return False
    if (_CONCESSION.search(condition) or _AGENDA_TALKS.search(condition)) and not loose:
        return True
    return _party_acts(condition, v, strict=loose or not named)


def _halt(condition: str) -> bool:
    """Whether a condition is a halt in the fighting that comes (not "any truce", not "the truce
    expires", not a place named after one: "the ceasefire line")."""
    return any(
        not _HALT_ENDS.search(condition[m.end() : m.end() + 40])
        and not _HALT_NAMES.match(condition, m.end())
        and not re.search(
            r"\b(?:any|every|each|whatever|no)\s+(?:[\w'’-]+\s+)?$", condition[: m.start()], re.I
        )
        for m in _HALT.finditer(condition)
    )


def _waits(main: str, humanitarian: bool, v: Voice, trigger: bool = True) -> str | None:
    """Whether the clause a condition hangs on is humanitarian work that waits: "named" when it
    names aid, access or the work, "track" when it is a humanitarian track's own unnamed work."""
    words_ = main.split()
    if not words_:
        return None
    near = main.rsplit(",", 1)[-1] if main.rsplit(",", 1)[-1].strip() else main
    if trigger and _STOPS.search(near) and not re.search(r"\b(?:held|kept|stays?|remains?)\b", near, re.I):
        # "we suspend if ...": a red line's trigger; "suspended until ..." waits for its end
        return None
    if _NOT_AID.search(main):
        return None
    if _GIVE.search(main):
        return "named"
    if not humanitarian:
        return None
    # the subject's head, not a place named after its verb ("Nothing will reach Vell until ...")
    subject = " ".join(words_[:3])
    if _OTHER_SUBJECT.search(subject) or (v.others(subject, sentence_start=True) and not v.ours(subject)):
        return None
    return "track"


# One side's part paid for by the other's: "in return the gunmen leave the square".
_IN_RETURN = re.compile(
    r"\b(?:in\s+(?:return|exchange)|as\s+(?:a\s+)?quid\s+pro\s+quo|as\s+the\s+price|for\s+(?:its|their)\s+part)\b"
    r"(?!\s+for\b)\s*,?",
    re.I,
)
# Another side's demand carried by us to the table: "our envoy will take that offer back to them".
_CARRIED = re.compile(
    r"\b(?:carry|carries|carried|carrying|relay\w*|convey\w*|pass\w*\s+on|present\w*|table\w*|put\w*\s+forward|"
    r"take|takes|took|taking|back\w*|support\w*)\s+(?:up\s+)?(?:that|this|the|their|its)\s+(?:[\w'’-]+\s+)?"
    r"(?:offer|demand|proposal|condition|terms|request|ask|deal|arrangement)\b"
    r"|\bas\s+the\s+basis\s+(?:for|of)\b",
    re.IGNORECASE,
)


def _exchange(statement: str, previous: str, v: Voice, after: str) -> bool:
    """Aid or access on one side of a deal and a price "in return" on the other.

    The aid may stand in the statement before ("The port is ready to let relief ships berth.
    The Command asks that in return ..."); a demand another side makes is ours when we carry
    it to the table ("our envoy will take that offer back ...").
    """
    for m in _IN_RETURN.finditer(statement):
        part = _extent(statement[m.end() :])
        if not part or _HALT.search(part) or not _price(part, v, False):
            continue
        before = statement[: m.start()]
        if not (_GIVE.search(before) or _GIVE.search(previous)) or _NOT_AID.search(before):
            continue
        if _WHATEVER.search(statement) or _DENIED_PART.search(part):
            continue
        if _reported(before, v, "") and not _CARRIED.search(statement[m.end() :] + " " + after):
            continue
        return True
    return False


_DENIED_PART = re.compile(r"\b(?:nothing|none|not|never|no)\b|n't\b", re.IGNORECASE)


# Another side allowed to stop the work while it fights: "it may stop the trucks while it is
# attacking". Access owed during hostilities, made to give way to them.
_MAY_HALT = words(
    "(?:"
    r"(?:may|can|could|is\s+(?:allowed|entitled|free|permitted)\s+to|are\s+(?:allowed|entitled|free|permitted)\s+to|"
    r"reserves?\s+the\s+right\s+to)\s+(?:halt|suspend|stop|block|close|pause|interrupt|restrict|hold\s+up|bar|deny|"
    r"turn\s+back)\w*"
    ")"
)
_WHILE_FIGHTING = words(
    "(?:"
    r"(?:while|whilst|during|whenever|when|as\s+long\s+as|for\s+the\s+duration\s+of)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:(?:offensive|military|combat|security)\s+operations|offensives?|fighting|hostilities|clashes|shelling|combat|"
    r"attacks|airstrikes|military\s+activit\w+)"
    ")"
)


# Work set for a halt to come: "scheduled for the next window of calm", "goes in on the first quiet day".
_SET_FOR_HALT = words(
    r"(?:for|on|in|during|at)\s+(?:the\s+|a\s+)?(?:next|first|coming|following|each|every|any\s+future)\s+"
    r"(?:[\w'’-]+\s+)?" + r"(?:" + HALT + r")"
)


# Work packed into halts: "bundles all deliveries into monthly two-day respites".
_CONFINED = words(
    r"(?:bundl|concentrat|confin|restrict|limit|squeez|pack|fit|schedul|tim|group|compress)\w*\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:into|to|within|inside|around|for)\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,2}?(?:" + HALT + r")"
)


def _set_for_halt(statement: str, v: Voice, after: str, plan: bool) -> bool:
    """Whether the work is set to happen in a halt still to come, or packed into halts."""
    for m in _CONFINED.finditer(statement):
        told = m.group(0).split()[0].lower().endswith("ed") and not plan  # "bundled", not "bundles"
        if not told and _GIVE.search(statement[m.start() : m.end()]) and _halt(statement[m.start() :]):
            if asserted(statement, m.start(), m.end(), v, after):
                return True
    if not plan and narrated(statement.rsplit(":", 1)[-1]):
        return False
    for m in _SET_FOR_HALT.finditer(statement):
        work = [g for g in _GIVE.finditer(statement, 0, m.start()) if m.start() - g.end() <= 60]
        if work and _halt(statement[m.start() :]) and asserted(statement, m.start(), m.end(), v, after):
            return True
    return False


def _gives_way(statement: str, v: Voice, after: str) -> bool:
    """Whether a statement lets another side stop the work while it fights."""
    for m in _MAY_HALT.finditer(statement):
        subject = re.split(r"[,;:()]|\b(?:and|but|that)\b", statement[: m.start()])[-1]
        if v.ours(subject) and not re.search(r"\b(?:it|they)\b", subject, re.I):
            continue  # our own suspension for safety
        rest = statement[m.end() : m.end() + 140]
        work = _GIVE.search(rest)
        if work is None or work.start() > 40:
            continue
        fight = _WHILE_FIGHTING.search(rest, work.end())
        if fight is None or fight.start() - work.end() > 60:
            continue
        if asserted(statement, m.start(), m.end() + fight.end(), v, after):
            return True
    return False


# Aid given by who its recipients are for: "in villages that inform on the insurgents", "districts
# whose elders back the candidate".
_RECIPIENTS = words(
    r"(?:for|to|in|into|on|favou?r\w*|prioriti[sz]\w*|target\w*|reward\w*|towards?)\s+(?:the\s+|those\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:villages?|districts?|households?|communit\w+|famil\w+|areas?|tribes?|clans?|towns?|camps?|families|people|"
    r"neighbourhoods?|localities|municipalit\w+|regions?|provinces?|councils?|leaders?|elders)\s+"
    r"(?:that|who|whose|which|where)\b"
)
# People's sides in the conflict: sheltering, backing or informing on one side.
_ALLEGIANCE = words(
    r"(?:shelter\w*|support\w*|harbou?r\w*|back|backs|backed|backing|join\w*|feed\w*|hid\w*|cooperat\w*\s+with|"
    r"inform\w*\s+on|report\w*\s+on|denounc\w*|reject\w*|vot\w*\s+for|turn\w*\s+against|side\w*\s+with)\s+"
    r"(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:insurgen\w*|rebels?|militants?|extremists?|guerrillas?|terrorists?|enemy|"
    r"armed\s+(?:groups?|opposition)|government\w*|regime|army|ruling\s+party|opposition|candidate\w*|list|movement|front)"
)


def allegiance(text: str) -> bool:
    """Whether a text names people taking or leaving a side in the conflict ("inform on the insurgents")."""
    return bool(_ALLEGIANCE.search(text))


_WHO_DID_IT = re.compile(
    r"^\s*(?:the\s+|those\s+)?(?:[\w'’-]+\s+){0,2}?(?:villages?|districts?|households?|communit\w+|famil\w+|areas?|"
    r"tribes?|clans?|towns?|camps?|people|neighbourhoods?|municipalit\w+|regions?|provinces?)\s+(?:that|who|whose|which|where)\b",
    re.IGNORECASE,
)


def _steered(statement: str, v: Voice, after: str) -> bool:
    """Aid directed to recipients by what they do for another agenda (allegiance, a vote, a concession)."""
    for g in _GIVE.finditer(statement):
        r = _RECIPIENTS.search(statement, g.end())
        if r is None or r.start() - g.end() > 60:
            continue
        condition = _extent(statement[r.end() :])
        if not (_ALLEGIANCE.search(condition) or _CONCESSION.search(condition) or _STRONG.search(condition)):
            continue
        if _OWN_NEEDS.search(condition) or _HARM.search(condition.split()[0] if condition.split() else ""):
            continue
        if asserted(statement, g.start(), r.end(), v, after) and not _reported(
            statement[: g.start()], v, after
        ):
            return True
    return False


# Aid put to work on a party or a negotiation: "to bring the movement back to the table", "when
# pressing for the concession", "during the trade talks".
_PUT_TO_WORK = words(
    r"(?:(?:in\s+order\s+)?to|so\s+as\s+to|and)\s+(?:help\s+)?(?:bring|get|press|push|persuade|induce|coax|pressure|move|"
    r"win\s+over|sway|nudge|entice|lure|tempt|reward|punish)\s+(?:the\s+|its\s+|their\s+)?"
    r"|(?:when|while|whilst|as)\s+(?:we\s+are\s+|it\s+is\s+)?(?:pressing|pushing|asking|negotiating|bargaining|lobbying)\s+for"
    r"|(?:in|at|during|into)\s+the\s+(?:[\w'’-]+\s+){0,2}?(?:negotiations|talks|bargaining|table)"
)
# Verbs by which a track itself brings aid into play.
_PLAYS = words(
    r"(?:hold\w*\s+out|held\s+out|dangl\w*|mention\w*|float\w*|put\w*\s+forward|promis\w*|"
    r"offer\w*|pledg\w*|hint\w*\s+at|bring\w*\s+up|use|uses|used|using|deploy\w*|leverag\w*|withh[eo]ld\w*|"
    r"cut\w*|suspend\w*|expand\w*|increas\w*)"
)


def _put_to_work(statement: str, v: Voice, after: str) -> bool:
    """On a non-humanitarian track: our aid brought into play on a party or a negotiation."""
    if _KEPT_APART.search(statement) or _NOT_AID.search(statement):
        return False
    plays = [(p.start(), _AID.search(statement, p.end())) for p in _PLAYS.finditer(statement)]
    # or aid named first and changed after: "humanitarian funding for the south doubled to reward ..."
    plays += [(a.start(), a) for a in _AID.finditer(statement) if _CHANGED.match(statement, a.end())]
    for start, aid in plays:
        if aid is None or aid.start() - start > 50:
            continue
        work = _PUT_TO_WORK.search(statement, aid.end())
        if work is None or work.start() - aid.end() > 60:
            continue
        if asserted(statement, start, aid.end(), v, after) and not _reported(statement[:start], v, after):
            return True
    return False


_CHANGED = re.compile(
    r"\s+(?:[\w'’-]+\s+){0,4}?(?:doubled|tripled|increased|expanded|raised|cut|halved|reduced|held\s+back|withheld|"
    r"delayed|suspended|frozen|scaled\s+(?:up|back|down))\b",
    re.IGNORECASE,
)


_KEPT_APART = words(
    r"(?:separately|separate\w*\s+from|apart\s+from|on\s+(?:its|their)\s+own\s+terms|independent\w*(?:\s+of)?|"
    r"handled\s+by\s+the\s+(?:[\w'’-]+\s+)?(?:track|office|agency|desk)|nothing\s+in\s+return|"
    r"offer\w*\s+nothing|without\s+offering)"
)


# The condition named first, then what it is the condition of: "recognition of the council is a
# prerequisite for the nutrition programme", "a ceasefire is the precondition for the convoys"; in a
# plan's terse wording without the verb: "the Front's signature of the accord as a prerequisite for ...".
_IS_PRECONDITION = words(
    r"(?:is|are|remains?|becomes?|will\s+be|would\s+be|as)\s+(?:the|a|an|our|one)\s+(?:[\w'’-]+\s+)?"
    r"(?:pre-?conditions?|prerequisites?|conditions?|price|requirements?|sine\s+qua\s+non)\s+(?:for|of|to)"
)
# A condition announced and given after a colon: "comes with one condition: the Front must disarm".
_ONE_CONDITION = re.compile(
    r"\b(?:with|on|under|subject\s+to|carries|has)\s+(?:one|a|an|the\s+following|two|three|some)\s+(?:[\w'’-]+\s+)?"
    r"(?:conditions?|preconditions?|prerequisites?|strings?)\s*:",
    re.IGNORECASE,
)
# The same the other way round: "the price of the convoys is the Authority's vote".
# In a terse note the verb may be a colon: "Condition for the next relief tranche: Hadra endorses the roadmap".
_PRICE_OF = re.compile(
    r"(?:\b(?:the|a|our|its)\s+|^\W*)(?:pre-?condition|prerequisite|condition|price|requirement)\s+(?:of|for)\s+(?P<work>[^,;:]+?)"
    r"(?:\s+(?:is|are|will\s+be|would\s+be|remains)\s+|\s*:\s*)(?P<condition>.+)$",
    re.IGNORECASE,
)


def _stated_first(statement: str, v: Voice, humanitarian: bool, plan: bool, after: str) -> str | None:
    """A condition named as such: before "is the precondition for", or after "one condition:"."""
    if not plan and narrated(statement):
        return None
    for m in _IS_PRECONDITION.finditer(statement):
        condition, main = statement[: m.start()], _extent(statement[m.end() :])
        if not _GIVE.search(main) or _NOT_AID.search(main):
            continue
        kind = HALT_KIND if _halt(condition) else PRICE_KIND if _price(condition, v, False) else None
        if kind and asserted(statement, m.start(), m.end(), v, after) and not _reported(condition, v, after):
            return kind
    for p in _PRICE_OF.finditer(statement):
        if not _GIVE.search(p.group("work")) or _NOT_AID.search(p.group("work")):
            continue
        condition = _extent(p.group("condition"))
        kind = HALT_KIND if _halt(condition) else PRICE_KIND if _price(condition, v, False) else None
        if kind and asserted(statement, p.start(), p.end("work"), v, after):
            return kind
    for m in _ONE_CONDITION.finditer(statement):
        main, condition = statement[: m.start()], statement[m.end() :]
        if _waits(main, humanitarian, v, trigger=False) is None:
            continue
        condition = re.sub(r"^\s*(?:that\s+)?", "", condition)
        kind = HALT_KIND if _halt(condition) else PRICE_KIND if _price(condition, v, False) else None
        if kind and asserted(statement, m.start(), m.end(), v, after) and not _reported(main, v, after):
            return kind
    return None


# Access granted by a party: "lets relief agencies into the districts", "opens the crossing to convoys".
_GRANTS = words(
    r"(?:let|lets|letting|allow\w*|admit\w*|open\w*|grant\w*|permit\w*|accept\w*|stop\w*\s+(?:blocking|obstructing))"
)


def _paid_with_access(main: str, condition: str, v: Voice) -> bool:
    """A concession of ours bought with access: "ease the travel ban if the Council lets the agencies in"."""
    if not (
        _CONCESSION.search(main)
        and re.search(r"\b(?:lift|eas|waiv|relax|unfreez|recogni|regist|upgrad|grant|offer)\w*", main, re.I)
    ):
        return False
    if _GIVE.search(main) or v.others(" ".join(main.split()[:2]), sentence_start=True) and not v.ours(main):
        return False  # aid on both sides, or another side's concession
    grant = _GRANTS.search(condition)
    return grant is not None and bool(_GIVE.search(condition, grant.end())) and _party_acts(condition, v)


# Where the waiting clause starts after a leading condition written without a comma.
_MAIN_AFTER = re.compile(
    r"\s(?=(?:there|we|our)\s+(?:[\w'’-]+\s+)?(?:will|would|can|cannot|shall|must|is|are)\b)", re.I
)


def _read(statement: str, previous: str, v: Voice, humanitarian: bool, plan: bool, after: str) -> str | None:
    """The kind of condition a statement sets on humanitarian work, or None."""
    if _WHATEVER.search(statement):
        return None
    found: str | None = None
    ana = _ANAPHORIC.match(statement)
    inside = _ANAPHOR_INSIDE.search(statement)
    if (ana or inside) and previous:
        if ana:
            rest = statement[ana.end() :]
            main = rest.partition(",")[2] or rest
            at, to = ana.start(), ana.end()
        else:
            assert inside is not None
            main = statement[inside.end() :]
            at, to = inside.start(), inside.end()
        waits = _waits(main, humanitarian, v, trigger=False)
        kind = (
            HALT_KIND
            if _halt(previous)
            else PRICE_KIND
            if _price(_extent(previous), v, False, named=waits == "named")
            else None
        )
        if kind and waits and (plan or not narrated(main)):
            if asserted(statement, at, to, v, after) and not _reported(statement[:at], v, after):
                found = kind
    if _exchange(statement, previous, v, after):
        return PRICE_KIND
    if _WHATEVER.search(statement) is None and _steered(statement, v, after):
        return AGENDA_KIND
    if not humanitarian and _put_to_work(statement, v, after):
        return AGENDA_KIND
    if (stated := _stated_first(statement, v, humanitarian, plan, after)) is not None:
        return stated
    if _gives_way(statement, v, after) or _set_for_halt(statement, v, after, plan):
        found = HALT_KIND
    for m in _MARKER.finditer(statement):
        if found == PRICE_KIND:
            break
        if _ANAPHORIC.match(statement, m.start()):
            continue  # "until they do": read with the statement before
        full = " ".join(w for w in m.group("m").lower().split() if w not in ("only", "but", "and"))
        marker = "depends" if _DEPENDS.fullmatch(full) else _MARKER_AS.get(full, full.split()[-1])
        if re.search(r"\bthe\s+(?:day|moment|minute|hour|week)\b", full):
            marker = "once"
        if full.split()[0] in ("without", "absent", "barring", "failing", "short") or full.startswith(
            "in the absence"
        ):
            if statement[: m.start()].strip(" ,;:"):
                if not re.search(r"\b(?:no|not|never|nothing|cannot|n't)\b", statement[: m.start()], re.I):
                    continue  # "convoys move without a ceasefire": no condition at all
            marker = "without"
        if re.search(r"\bone\s+of\s+the\s+\w+\s+(?:on|in|of)$", m.group("m"), re.I):
            marker = "part of"
        elif marker in ("for", "of") and not re.search(
            r"\b(?:part|element|component|plank|item|chapter|strand)\s+of$", m.group("m"), re.I
        ):
            marker = "for"  # in return for, as a reward for
        elif marker == "of":
            marker = "part of"
        loose = marker in _LOOSE
        rest = statement[m.end() :]
        if marker == "as" and _AS_MANNER.match(rest):
            continue
        condition = _extent(rest)
        if not condition:
            continue
        if marker == "depends" and re.match(r"\s*(?:no|none|nothing)\b", condition, re.I):
            continue  # "our convoys wait for no truce", "depends on no political deal": a denial
        before = statement[: m.start()]
        clause_start = max(before.rfind(";"), before.rfind(":")) + 1
        main = before[clause_start:]
        if not main.strip(" ,"):
            # the condition heads the sentence: what waits follows its comma, or stands in the statement before
            main = rest.partition(",")[2] or (previous if previous.rstrip().endswith((";", ",", ":")) else "")
            if not main and (cut := _MAIN_AFTER.search(rest)):
                # no comma: "without a ceasefire there will be no convoys"
                main, condition = rest[cut.start() :], _extent(rest[: cut.start()])
        if marker == "before" and not re.search(r"\b(?:no|not|never|nothing|none)\b|n't\b", main, re.I):
            continue  # "no convoys before ..." waits; "convoys go before the talks" orders a calendar
        waits = _waits(main, humanitarian, v, trigger=marker not in _ENDS)
        if waits is None:
            if (
                marker not in _LOOSE
                and _paid_with_access(main, condition, v)
                and asserted(statement, m.start(), m.end(), v, after)
            ):
                found = PRICE_KIND  # "ease the travel ban if the Council lets the agencies in"
            continue
        if not plan and ((marker in _TIMED and narrated(main)) or _TOLD.search(condition)):
            continue
        if _DENIED_LINK.search(main) or _reported(before, v, after):
            continue
        if marker not in _ENDS and re.search(
            r"\b(?:nothing|none|neither|no)\b", re.split(r",|\b(?:but|and|while)\b", main)[-1], re.I
        ):
            continue  # "nothing here hangs on the summit", "no part of it depends on ..."
        lead = len(before) - len(before[clause_start:].lstrip(" ,"))
        if (
            before[clause_start:].strip(" ,")
            and reported(statement, lead, v)
            and not taken_up_after(after, v)
        ):
            continue  # "Veldt (through its envoy): aid only after ...": their words
        if marker == "part of":
            # aid folded into another agenda's deal: "as part of the disarmament bargain"
            if _halt(condition):
                kind = HALT_KIND
            elif _CONCESSION.search(condition) and waits == "named":
                kind = PRICE_KIND
            else:
                continue
        elif marker == "for" and _GIVE.search(condition) and not _GIVE.search(main):
            # the other way round: "the Council signs the charter in exchange for open roads for relief"
            if not (_CONCESSION.search(main) or _STRONG.search(main)):
                continue
            kind = PRICE_KIND
        elif _halt(condition) and marker != "as":
            kind = HALT_KIND
        elif _price(condition, v, loose, named=waits == "named"):
            # a reward for recipients by what they did ("for districts that vote for the list"): steered, D2's
            kind = AGENDA_KIND if marker == "for" and _WHO_DID_IT.match(condition) else PRICE_KIND
        else:
            continue
        # a denial inside the condition is part of it: "frozen for as long as the Authority refuses to sign";
        # so is one in the waiting clause before "until", "unless" or "without": "cannot start unless ..."
        said = statement
        if marker in _ENDS:
            said = (
                statement[:clause_start]
                + _NEGATIVE.sub(lambda n: "_" * len(n.group(0)), statement[clause_start : m.start()])
                + statement[m.start() :]
            )
        if not asserted(said, m.start(), m.end(), v, after):
            continue
        if found is None or kind == PRICE_KIND:
            found = kind
    return found


_TRIGGER = re.compile(r"\b(?:if|when|whenever|should|in\s+the\s+event\s+(?:that|of)|once)\b", re.IGNORECASE)


_AID_IN_PLAY = words(
    r"(?:items?|chips?|cards?|bargain\w*|trad(?:e|es|ed|ing)|price|levers?|leverage\w*|currency|exchang\w*|conditions?|"
    r"conditional\w*|instrumentali[sz]\w*|politici[sz]\w*)"
)


def guards_separation(red_line: str) -> bool:
    """Whether a red line names aid put into play as what stops the work: "relief becomes a chip in the
    status talks", "aid is made conditional on recognition". Such a red line guards the separation."""
    return bool(_GIVE.search(red_line) and _AID_IN_PLAY.search(red_line))


def stops_on_harm(statement: str) -> bool:
    """Whether a statement says when the work stops, or answers harm: a red line's business.

    "We will pause the programme if the Front attacks the sites", "withdraw should staff be
    threatened": the work stopping on a trigger, or a condition that names harm done, is no
    framing of aid as a price.
    """
    for m in _TRIGGER.finditer(statement):
        before = statement[: m.start()]
        main = (
            before[max(before.rfind(";"), before.rfind(":")) + 1 :] or statement[m.end() :].partition(",")[2]
        )
        condition = _extent(statement[m.end() :])
        near = main.rsplit(",", 1)[-1] if main.rsplit(",", 1)[-1].strip() else main
        if _STOPS.search(near) or (_HARM.search(condition) and not _STRONG.search(condition)):
            return True
    return False


def waits_on_agenda(red_line: str, v: Voice) -> bool:
    """Whether a red line stops the work on another agenda's course: "stop distributions if the
    Council rejects the peace plan", "withdraw if the Front boycotts the constitutional conference".

    Its trigger is a party's political, military or economic act, or a political event; not
    harm done to people or the work, nor the aid's own needs, nor the fighting (N1's).
    """
    m = _TRIGGER.search(red_line)
    if m is None:
        return False
    condition = _extent(red_line[m.end() :])
    if not condition or _halt(condition) or _HARM.search(condition) or _ENABLING.search(condition):
        return False
    return _price(condition, v, False) and asserted(red_line, m.start(), m.end(), v)


def own_needs_only(statement: str, v: Voice) -> bool:
    """Whether every condition a statement sets is about the aid's own needs (its staff, trucks,
    permits or safety: "engineers enter once the armed group confirms safe passage for them"),
    the needs it answers, its money or its season ("if the displacement continues", "until the
    end of the lean season")."""
    found = False
    for m in _MARKER.finditer(statement):
        condition = _extent(statement[m.end() :])
        if not condition:
            continue
        if _halt(condition) or _CONCESSION.search(condition) or _STRONG.search(condition):
            return False
        if not (
            _OWN_NEEDS.search(condition)
            or _NEEDS.search(condition)
            or _TIME.search(" ".join(condition.split()[:4]))
        ):
            return False
        found = True
    return found


# What the work answers or runs on: need, money, the season, a place reopening.
_NEEDS = words(
    "(?:"
    r"needs?|displacement|displaced|famine|malnutrition|outbreak|epidemic|cases|floods?|drought|rains?|harvest|"
    r"funding|funds|donors?|money|budget|"
    r"(?:airport|road|bridge|port|crossing|route|market|border|warehouse)s?\s+(?:re)?opens?|(?:re)?opening\s+of\s+the|"
    r"(?:stays?|remains?|is|are|kept)\s+open|"
    r"(?:re)?open\w*\s+(?:the\s+)?(?:[\w'’-]+\s+)?(?:road|bridge|route|airport|port|crossing|market|border|airstrip)|"
    # compliance with what is owed anyway: "when the parties respect the deconfliction system"
    r"deconflict\w*|IHL|international\s+humanitarian\s+law|(?:legal\s+)?obligations|humanitarian\s+principles"
    ")"
)


def conditions(text: str, v: Voice, humanitarian: bool, plan: bool = False) -> list[Condition]:
    """The statements of a text that make humanitarian work wait on a halt in the fighting or a price.

    A statement whose condition stands in the one before ("Until they do, ...") is given
    with it.
    """
    parts = notes(statements(text))
    out: list[Condition] = []
    for n, statement in enumerate(parts):
        previous = parts[n - 1] if n else ""
        after = " ".join(parts[n + 1 : n + 2])
        kind = _read(statement, previous, v, humanitarian, plan, after)
        if kind is None:
            continue
        anaphoric = bool(_ANAPHORIC.match(statement) or _ANAPHOR_INSIDE.search(statement)) or (
            bool(_IN_RETURN.search(statement)) and not _GIVE.search(statement)
        )
        out.append(Condition(f"{previous} {statement}" if anaphoric and previous else statement, kind))
    return out
