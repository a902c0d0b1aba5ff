"""D2: keep humanitarian objectives separate from political and military agendas.

Three things entangle them: a humanitarian track that waits on a political, security or
economic track (directly or through other tracks); aid used as a leverage tool on a
non-humanitarian track (an aid offer, or any incentive, conditionality or suspension
whose lever is aid itself: "hospital funding stops unless ...", not "no licences until
seized aid is returned"; or prose and decisions of such a track that hand out or
withhold aid: "offer 2,000 tonnes of food aid to the Council"); and any text of a track
(metrics and decisions included) that trades aid or access against a political,
military or economic concession, or makes aid serve an agenda ("to win hearts and
minds", "in support of the army's campaign").

A humanitarian track whose red lines pause or end it on another agenda's events ("pause
if the normalisation talks collapse") waits on that agenda as surely as through a
dependency; one that counts another agenda's goal among its own aims or objectives ("the
Authority's recognition of the provincial council", "mining licences for our firms") is
entangled with it by design. Drafts are judged with the running tracks: a draft already carries its design, and the
separation the paper asks for is formal, built in from the start.

The text is read for meaning rather than fixed phrases (`_prose`, `_lexicon`): an aid
word ("cash grants", "medical kits", "water trucking"), a link ("conditional on", "only
once", "in step with", "in exchange for"; or aid called "the inducement", "a
bargaining chip") and a concession ("recognition", "the consortium's licence bid",
"pull back from Cobb", "join the status talks"), in one clause and in an order that
makes the one wait on the other. The sentence must be the track's own: a denial ("aid
is not conditional on recognition"), a rejection, or another side's demand reported
("Moravel insists relief must wait until the Committee disarms") raises nothing, unless
we take the demand up ("we accepted their demand that ..."). A deal may span two clauses
("recognition of its customs office; in return, convoys may pass"), tell a party what
it must do first ("must join the status talks before the next tranche of aid"), set the
two as lacks ("no recognition, no relief") or lay a plan out in stages with the aid in a
stage after the price ("Phase 1: the Council endorses the roadmap. Phase 2: food aid").

Besides the phrase rules, a clause-level reading of condition (`_condition`, shared with
N1) cuts each statement into what waits and what it waits on, whatever the words: on a
humanitarian track the waiting clause is the track's own work however it is named ("the
water points open as the district chiefs sign the accord"), the condition may be passive, a noun
("pending the Council's approval of ..."), inverted ("were the Front to release ..."),
named as such ("a prerequisite for"), in the statement before ("Until they do, ..."), or
the other side of an exchange in either direction; it also reads aid steered by its
recipients' side ("villages that inform on the insurgents") and, on another agenda's
track, aid brought into play on a party.

A price need not be a named concession: aid made to wait on anything a party does
that is no part of delivering it ("food aid if the Council supports our candidate",
"cash grants once Hadra signs the fisheries pact") is a price; a condition about the
aid's own logistics or timing ("once the authority issues permits", "if the road is
safe", "until the end of February", "aid continues until ...") is not.

The line with N1: a halt in the fighting (ceasefire, truce, pause, quiet hours) as the
price of aid is N1's framing alone and not a concession here, so that sentence raises
one alert. Aid or access made to wait on a political, military or economic concession
is both: humanitarian issues traded against political concessions (D2), and aid
delivery framed as requiring a concession (N1, in the paper's words). Aid used as a
leverage tool, a humanitarian track waiting on a political one, and aid made to serve
an agenda with no condition are D2's alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from server.domain.checks import _condition, _reading_model
from server.domain.checks._common import (
    decision_label,
    excerpt,
    label,
    make,
    planned_or_running_tracks,
    track_texts,
    voice,
    worst,
)
from server.domain.checks._lexicon import (
    ACCESS,
    AGENDA_AIM,
    AGENDA_EVENT,
    AID,
    ALONGSIDE,
    CAMPAIGN,
    CHIP,
    CONCESSION,
    CONDITION_HEAD,
    ENABLING,
    EXCHANGE,
    FIRST_THEN,
    HALT,
    HARD_CONCESSION,
    INDUCEMENT,
    LINK,
    STANDING,
    TALKS,
    THEN,
    TIME,
    TRADE_VERB,
    WITHIN,
)
from server.domain.checks._prose import (
    Span,
    Voice,
    after_of,
    asked_of_other,
    asserted,
    clauses,
    family,
    narrated,
    notes,
    ordered,
    statements,
    words,
)
from server.domain.snapshot import Finding, Initiative, Severity, Snapshot

ID = "D2"
TITLE = "Keep humanitarian objectives separate from political and military agendas"
WORDS = (
    "To mitigate these risks, it is essential to have formal and visible separation between "
    "humanitarian, political, military and economic tracks. This prevents humanitarian issues from "
    "being traded against political concessions and clearly signals to all parties that humanitarian "
    "issues will be treated on their own terms."
)

_AGENDAS = ("political", "security", "economic")

_GIVE = words(family(AID, ACCESS))
_AID_ONLY = words(AID)
_ENABLING = words(ENABLING)
_TALKS = words(TALKS)
# Another agenda's deal or talks, even unqualified ("the wider deal with the Administration").
_TALKS_OF_AGENDA = re.compile(
    rf"\b(?:wider|broader|overall|bilateral|political|trade|security|border|economic|main|larger|grand)\s+"
    rf"(?:[\w'’-]+\s+)?{TALKS}\b",
    re.IGNORECASE,
)
_HALT = words(HALT)
_TIME = words(TIME)
# Who may be asked for a price: any actor on the other side of a table, named by its office.
_ACTOR = words(
    # not a community's own committee ("once the camp committee elections are held")
    r"(?:government|ministry|council|(?<!camp\s)(?<!village\s)(?<!water\s)(?<!community\s)(?<!women's\s)(?<!school\s)(?<!health\s)(?<!distribution\s)(?<!parents'\s)(?<!youth\s)(?<!beneficiary\s)committee|forces|units|officials|leadership|authorities|authority|"
    r"governor|junta|regime|commanders?|militias?|rebels|army|front|movement|administration|parliament|"
    r"president|leaders?|chiefs?|elders|clans?|tribes?)"
)
# Before a party's act, "as" links too ("water trucking grows as the Authority cooperates").
# "after" too: "release the grant after the Authority signs the memorandum".
_PARTY_LINK = words(family(LINK, r"as", r"after"))
_LINK = words(LINK)
_CONCESSION = words(CONCESSION)
_EXCHANGE = words(EXCHANGE)
# A new clause with its own point breaks a chain of aid, link and concession.
_BOUNDARY = re.compile(
    r",\s*(?:while|whereas|but|and|although|though|meanwhile|whilst)\b|\b(?:while|whereas|but|although|meanwhile)\b"
    # a colon that opens a denial: "kept apart: no concession on tariffs is tied to aid"
    r"|\(|\)|[:;\u2013\u2014]\s*(?:no|not|nothing|never|none|neither)\b",
    re.IGNORECASE,
)
_CLAUSE_HEAD = re.compile(rf"^\s*{CONDITION_HEAD}", re.IGNORECASE)
_CONDITION_VERB = words(
    r"(?:condition|conditions|conditioned|conditioning|tie|ties|tied|tying|link|links|linked|linking|"
    r"make|makes|made|making|subordinat\w*|peg|pegs|pegged)"
)
_ON = words(r"(?:on|upon|to|conditional\s+on|contingent\s+on|dependent\s+on|subject\s+to)")
_AS = r"(?:as|is|are|remains?|becomes?|serves?\s+as|acts?\s+as|becoming|serving\s+as)\s+(?:a|an|the|our|their|its)?\s*"
_CHIP = words(rf"{_AS}(?:\w+\s+)?{CHIP}")
# "as leverage", "is part of the price": aid named as what pays or presses
_AS_LEVER = words(
    rf"{_AS}(?:(?:a\s+)?part\s+of\s+(?:the\s+|our\s+|a\s+)?|one\s+of\s+(?:the\s+|our\s+|its\s+|their\s+)?)?"
    rf"(?:[\w'’-]+\s+)?{INDUCEMENT}"
)
# Aid said to give us a lever: "our food aid envelope gives us leverage in the status talks".
_GIVES_LEVER = words(
    r"(?:gives?|giving|gave|provides?|lends?|affords?|buys?)\s+(?:us\s+|our\s+(?:\w+\s+)?\w+\s+)?(?:some\s+|real\s+|a\s+)?"
    r"(?:\w+\s+)?(?:leverage|lever|weight|clout|influence|a\s+card|bargaining\s+power)"
)
_USE = words(
    r"(?:use|uses|used|using|leverag\w*|wield\w*|dangl\w*|deploy\w*|offer\w*|hold\w*\s+(?:out|back|up)|held\s+(?:back|up)|"
    r"withh[eo]ld\w*|delay\w*|slow\w*|ration\w*|throttl\w*)"
)
_TO_GET = words(
    r"(?:to|in\s+order\s+to|so\s+as\s+to)\s+(?:help\s+)?(?:get|bring|push|press|induce|persuade|secure|obtain|extract|win|buy|"
    r"lure|entice|coax|pressure|force|make|reward|punish|coerce|compel|influence|sway|soften|woo|court|encourage|"
    r"convince|motivate|tempt|nudge|move|shift|budge"
    # pressure kept on a party: "to keep pressure on the Authority", "to keep Hadra at the table"
    r"|(?:keep|put|apply|maintain|increase|ratchet\s+up)\s+(?:up\s+)?(?:the\s+|more\s+)?pressure"
    r"|keep\s+(?:[\w'’-]+\s+){1,3}?at\s+the\s+(?:negotiating\s+)?table)"
)
_TO_GAIN = words(
    rf"(?:to|in\s+order\s+to|so\s+as\s+to|and|help|helps|helping|(?:should|would|could|will|can|may|might|must)(?:\s+help)?)\s+"
    # a party may stand between: "help the Authority gain legitimacy"
    rf"(?:to\s+)?(?:(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}?)??(?:boost|build|bolster|strengthen|increase|shore\s+up|win|gain|buy|"
    rf"earn|create|generate|foster|reinforce|cement|entrench|secure|extend|consolidate|reward)\s+(?:[\w'’-]+\s+){{0,3}}?{STANDING}"
)
_SERVES = words(
    r"(?:in\s+support\s+of|to\s+support|supports?|serv(?:e|es|ing)|underpin\w*|as\s+part\s+of|part\s+of|"
    r"in\s+service\s+of|to\s+advance|advanc\w*)"
)
# Aid as the subject of persuasion: "medical supplies could help persuade the leadership to ...".
_PERSUADES = words(
    r"(?:(?:is|are|be|been|being)\s+used\s+|could\s+|can\s+|would\s+|will\s+|may\s+|might\s+|should\s+)?"
    r"(?:help\s+)?(?:to\s+)?(?:(?:persuad|induc|entic|coax|pressur|encourag|convinc|lur|sway|woo|tempt|nudg|motivat)(?:e|es|ed|ing)?|"
    r"(?:brings?|bringing|brought|gets?|getting|got)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?to)"
)
_ON_TABLE = words(
    r"(?:is\s+|are\s+|remains?\s+|stays?\s+|goes\s+|go\s+|be\s+)?on\s+the\s+(?:negotiating\s+)?table"
)
_PUT = words(r"(?:put\w*|plac\w*|keep\w*|kept|bring\w*|brought|includ\w*|add\w*)")
_INTO_BARGAIN = words(
    r"(?:on|onto)\s+the\s+(?:negotiating\s+)?table|in(?:to)?\s+the\s+(?:talks|negotiations|bargain\w*|deal|package)"
)
# Aid given to those who do something: "for households in villages that vote for the unity list".
_FOR_THOSE_WHO = words(r"(?:only\s+)?(?:for|to|in)\s+(?:[\w'’-]+\s+){0,4}?(?:that|who|which|whose)")
_REWARD = words(r"(?:reward\w*|pay\w*|compensat\w*)")
EARNS = words(
    r"(?:earns?|earned|buys?|bought|wins?|won|gets?|brings?|qualif(?:y|ies)\s+for|entitles?\s+(?:\w+\s+)?to)"
)
# People taking a side in the conflict: "cooperate against the insurgents", "back the government".
_SIDE_TAKEN = words(
    r"(?:cooperat\w*|work\w*|stand\w*|fight\w*|rise|rising|rose|organi[sz]\w*)\s+(?:with\s+(?:us|the\s+army|the\s+government)\s+)?"
    r"against\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:insurgen\w*|rebels?|militants?|extremists?|guerrillas?|terrorists?|"
    r"enemy|armed\s+(?:groups?|opposition)|government|regime|army|front|militias?)"
    rf"|{_condition._ALLEGIANCE.pattern[2:-2]}"
)
# Recipients named by what they do for another agenda, then served first: "districts that back the
# unity government will be prioritised for shelter kits".
_RECIPIENTS_WHO = words(
    r"(?:villages?|districts?|households?|communit\w+|famil\w+|areas?|tribes?|clans?|towns?|camps?|"
    r"neighbourhoods?|municipalit\w+|regions?|provinces?|councils?)\s+(?:that|who|whose|which|where)"
)
_SERVED_FIRST = words(
    r"(?:will\s+|would\s+|shall\s+|are\s+to\s+|to\s+)?(?:be\s+)?(?:prioriti[sz]ed|favou?red|first\s+in\s+line|"
    r"(?:become\s+|are\s+)?eligible|qualify|get\s+priority|have\s+priority|receive\s+(?:more|extra|additional))\s+(?:for|to)?"
)
_NO = words(r"no")
_WITHOUT = words(r"(?:without|unless|until|before)")
_PACKAGE = words(
    r"(?:package|bundle|grand\s+bargain|together\s+or\s+not\s+at\s+all|all\s+or\s+nothing|single\s+deal|"
    r"one\s+deal|as\s+a\s+whole|quid\s+pro\s+quo)"
)
_POLITICS_NEAR = words(rf"(?:{CONCESSION}|talks|negotiat\w*|table|concessions?|dealings|relations\s+with)")


# A party told what it must do first, and what it then gets.
_MUST = words(
    r"(?:must|ha(?:s|ve|d)\s+to|needs?\s+to|(?:is|are)\s+(?:required|expected|asked|told)\s+to|will\s+have\s+to|"
    r"should\s+first|first)"
)
_FIRST_THEN = words(
    r"(?:before|prior\s+to|ahead\s+of|(?:in\s+order\s+)?to\s+(?:receive|get|obtain|qualify\s+for|unlock|earn|secure|"
    r"see|keep|continue\s+receiving))"
)


# A party named by a pronoun that acts: "until it withdraws its candidate" (not "once it is safe").
_PRONOUN_ACTS = re.compile(
    r"^(?:it|they|(?:its|their)\s+(?:[\w'’-]+\s+)?(?:delegation|leaders?|leadership|negotiators?|representatives?|"
    r"commanders?|forces|fighters|units|government|council|ministers?|officials))\s+(?!is\b|are\b|was\b|were\b|be\b|becomes?\b|arrives?\b|reach\w*|gets?\b|has\b|have\b|rains?\b)"
    r"(?:\w+\s+){0,2}?\w+",
    re.IGNORECASE,
)
# Aid put to work for another agenda: "food assistance will be used to reward districts that voted for ...".
_USED = words(r"(?:used|employed|deployed|leveraged|wielded|channelled|channeled|directed|targeted)")
# Aid held back in the passive: "relief to the north is being slow-walked to keep pressure on the Authority".
_HELD_BACK = words(
    r"(?:held\s+(?:back|up)|withheld|delayed|slowed(?:\s+down)?|slow-walked|rationed|throttled|dangled|kept\s+back)"
)
# A clause that pays for the one before: "recognition of its customs office; in return, convoys may pass".
_IN_RETURN = re.compile(
    r"^\s*(?:and\s+)?(?:in\s+(?:return|exchange|turn)|as\s+(?:a\s+)?(?:quid\s+pro\s+quo|counterpart|counterpart)|"
    r"for\s+(?:its|their|our)\s+part|against\s+this)\b"
    # after a short subject ("Hadra, for its part, will ...") or at the clause's end ("we expect its vote in return")
    r"|^\s*(?:[\w'’-]+,?\s+){1,3}?for\s+(?:its|their|our)\s+part\b"
    r"|\b(?:in\s+(?:return|exchange)|as\s+(?:a\s+)?quid\s+pro\s+quo)\s*[.;!]?\s*$",
    re.IGNORECASE,
)
# A deal in which each side gets its part: "the Authority gets 500 tonnes of flour, we get its support".
_EACH_GETS = words(r"(?:gets?|receives?|obtains?|is\s+given|are\s+given|secures?)")


_NOT_START = words(
    r"(?:not|n't|never)\s+(?:start|begin|resume|restart|release|deliver|send|fund|open|launch|disburse|unlock|extend)\w*"
)
# The humanitarian track itself, named as what waits.
_THIS_TRACK = words(
    r"(?:this|the|our)\s+(?:track|initiative|programme|engagement|work|effort|response|operation)|"
    r"(?:humanitarian|relief|aid)\s+(?:work|activities|operations)"
)
# Talks or a track of another agenda, however named ("the Foreign Office's talks with the
# Authority"); not talks about the aid itself ("the access talks").
_OTHER_TALKS = words(
    rf"(?:{CONCESSION}|(?!(?:access|humanitarian|aid|relief|convoy|delivery|when|once|if|until|unless|after|only)\b)"
    rf"(?:[\w'’-]+\s+){{0,3}}?"
    r"(?:talks|negotiations|track|process|dialogue|deal|roadmap))"
)


# "as" opening a clause of manner: "as IHL requires", "as agreed with the agencies", "as planned".
_MANNER = re.compile(
    r"(?:[\w'’-]+\s+){0,3}?(?:requires?|required|demands?|says?|said|provides?|stipulates?|obliges?|allows?|permits?|"
    r"planned|agreed|usual|expected|needed|before|always|foreseen|scheduled|set\s+out)\b",
    re.IGNORECASE,
)


def _logistics(condition: str) -> bool:
    """Whether a condition is about the aid's own delivery or timing, or a halt in the fighting (N1's)."""
    return any(p.search(condition) for p in (_HALT, _ENABLING, _TIME))


# A condition that points back to the statement before ("until they do"): read with it (`_condition`).
_ANAPHORIC_ACT = re.compile(
    r"^\s*(?:(?:they|it)\s+(?:do|does|have|has|will)|that\s+happens|this\s+happens|then)\b\W*$", re.IGNORECASE
)


def _price(condition: str, v: Voice, after: bool = False) -> bool:
    """Whether a condition names something a party does that is no part of delivering aid.

    "the Council endorses our candidate", "it withdraws its candidate", "the status talks
    conclude"; not "the authority issues permits", "the road is safe", "the end of February".
    """
    head = " ".join(condition.split()[:4])
    if after:
        # "after the Authority signs": a party acts; "after the withdrawal of forces" names a time.
        head = " ".join(re.sub(r"^(?:the|both|all)\s+", "", condition, flags=re.I).split()[:1])
    if _logistics(condition) or _ANAPHORIC_ACT.match(condition):
        return False
    named = (
        v.others(head, sentence_start=False)
        or bool(_ACTOR.search(head))
        or bool(_PRONOUN_ACTS.match(condition))
    ) and not v.ours(head)
    return named or bool(_TALKS.search(condition))


_AS_ROLE = re.compile(
    rf"(?:an?\s+|the\s+|our\s+|its\s+|their\s+)?(?:[\w'’-]+\s+)?{INDUCEMENT}\b"
    # what the aid is owed as: "demanded as Hadra's obligation under IHL", "as a legal duty"
    r"|(?:an?\s+|the\s+|our\s+|its\s+|their\s+|[\w'’-]+['’]s?\s+)?(?:[\w'’-]+\s+)?(?:obligations?|duty|duties|right|rights|"
    r"requirement|entitlement|matter\s+of\s+(?:law|principle|right|need|IHL|obligation|international\s+law))\b",
    re.IGNORECASE,
)


def party_price(sentence: str, v: Voice) -> list[Span]:
    """Aid made to wait on something a party does that is no part of delivering it.

    "food aid if the Council endorses our candidate", "cash grants once Hadra signs the
    fisheries pact": the condition names a party (or talks of another agenda) and nothing
    of the aid's own logistics ("once the authority issues permits", "if the road is safe").
    """
    out: list[Span] = []
    for aid in _AID_ONLY.finditer(sentence):
        for link in _PARTY_LINK.finditer(sentence, aid.end()):
            if link.start() - aid.end() > 90 or _BOUNDARY.search(sentence[aid.end() : link.start()]):
                break
            if re.search(
                r"\b(?:continu|remain|stay|last|run)\w*\s+(?:\w+\s+)?$", sentence[: link.start()], re.I
            ):
                break  # "aid continues until ..." says how long, not at what price
            if narrated(sentence) and re.search(r"\b(?:after|as|when|following)\b", link.group(0), re.I):
                break  # "deliveries continued after it collapsed": two past events in time order, no price
            rest = sentence[link.end() :]
            if re.fullmatch(
                r"(?:wait|waits|waiting|await|awaits|awaiting)", link.group(0).strip(), re.I
            ) and not re.match(r"\s+(?:the|a|an|its|their|for|on|until)\b", rest, re.I):
                continue  # "the teams wait in Tarsk": where, not on what
            stop = _BOUNDARY.search(rest)
            condition = " ".join((rest[: stop.start()] if stop else rest).split()[:14])
            if link.group(0).lower() == "as" and (_MANNER.match(condition) or _AS_ROLE.match(condition)):
                # "as IHL requires", "as planned": how, not at what price; "as leverage for the talks":
                # aid used as a lever, D2's alone, not made to wait on anything
                continue
            if not condition or _logistics(condition):
                continue
            if _price(condition, v, after=link.group(0).lower() == "after"):
                out.append(Span(aid.start(), link.end() + len(condition)))
            break
    return out


# Put off until something comes: "the mission to Vell is postponed until the Council signs the accord".
DEFERRED = words(
    r"(?:postpon\w*|deferr?\w*|delay\w*|shelv\w*|parked|put\s+on\s+hold|on\s+hold|held\s+(?:up|back|over)|"
    r"suspend\w*|paused|halted|frozen)\s+(?:[\w'’-]+\s+){0,3}?(?:until|till|pending|awaiting)"
)
_OTHER_AGENDA = words(family(TALKS, CONCESSION))


def deferred_price(sentence: str, v: Voice) -> list[Span]:
    """On a humanitarian track, anything of it put off until a party pays a price.

    What a humanitarian track puts off is humanitarian work, named or not ("the mission",
    "phase two"); the condition is a named political, military or economic concession,
    not logistics. Not talks or another agenda's step put off.
    """
    if narrated(sentence):
        return []
    out = []
    for m in DEFERRED.finditer(sentence):
        if _OTHER_AGENDA.search(re.split(r"[,;:()]", sentence[: m.start()])[-1]):
            continue
        rest = sentence[m.end() :]
        stop = _BOUNDARY.search(rest)
        condition = " ".join((rest[: stop.start()] if stop else rest).split()[:14])
        if (
            condition
            and not _logistics(condition)
            # a named concession: without an aid word to anchor it, a party's mere act ("until the elders
            # agree on the site") is more often the work's own arrangement than a price
            and _CONCESSION.search(condition)
        ):
            out.append(Span(m.start(), m.end() + len(condition)))
    return out


def _trade_spans(sentence: str, v: Voice, agenda: bool = False) -> list[Span]:
    """Where a sentence offers aid or access against a political, military or economic concession.

    On a political, security or economic (`agenda`) track the track's own business is the agenda:
    aid named as a lever or a gesture there needs no talks named beside it.
    """
    found = [
        *party_price(sentence, v),
        # aid ... only once ... recognition
        *ordered(sentence, [_GIVE, _LINK, _CONCESSION], boundary=_BOUNDARY),
        # sanctions relief in exchange for convoy access
        *ordered(sentence, [_CONCESSION, _EXCHANGE, _GIVE], boundary=_BOUNDARY),
        # trade convoy access for recognition
        *ordered(
            sentence, [words(TRADE_VERB), _GIVE, words(r"for|against"), _CONCESSION], boundary=_BOUNDARY
        ),
        # condition aid on the withdrawal of forces; make relief conditional on ...
        *ordered(sentence, [_CONDITION_VERB, _GIVE, _ON, _CONCESSION], boundary=_BOUNDARY),
        # no aid without recognition
        *ordered(sentence, [_NO, _GIVE, _WITHOUT, _CONCESSION], gap=40, boundary=_BOUNDARY),
        # the Authority must join the talks before the next tranche of aid; they have to cede the ridge to receive aid
        *ordered(sentence, [_MUST, _CONCESSION, _FIRST_THEN, _GIVE], gap=60, boundary=_BOUNDARY),
        # we will not start the water programme until the recognition question is settled
        *ordered(
            sentence,
            [_NOT_START, _GIVE, words(r"until|till|unless|before"), _CONCESSION],
            gap=40,
            boundary=_BOUNDARY,
        ),
        # this track waits for the Foreign Office's talks with the Authority to conclude
        *ordered(sentence, [_THIS_TRACK, _LINK, _OTHER_TALKS], gap=40, boundary=_BOUNDARY),
        # food aid as a bargaining chip
        *ordered(sentence, [_GIVE, _CHIP], gap=40),
        # recognition first, then the distributions; first recognition of the commission, then aid
        *ordered(sentence, [_CONCESSION, words(FIRST_THEN), _GIVE], gap=30),
        *ordered(sentence, [words(r"first"), _CONCESSION, words(THEN), _GIVE], gap=40),
        # cash assistance increased for households in villages that vote for the unity list
        *ordered(sentence, [_GIVE, _FOR_THOSE_WHO, _CONCESSION], gap=60, boundary=_BOUNDARY),
        # food distributed in villages that cooperate against the insurgents: aid steered by allegiance
        *ordered(sentence, [_GIVE, _FOR_THOSE_WHO, _SIDE_TAKEN], gap=60, boundary=_BOUNDARY),
        # the same with the recipients named first: districts that back the government are prioritised for aid
        *ordered(sentence, [_RECIPIENTS_WHO, _CONCESSION, _SERVED_FIRST, _GIVE], gap=50),
        # food for votes; recognition for access
        *swapped(sentence, _GIVE),
        # each weapon handed in earns a food voucher: the price buys the aid
        *ordered(sentence, [_CONCESSION, EARNS, _GIVE], gap=40, boundary=_BOUNDARY),
        # relief to win hearts and minds; aid to shore up the regime's legitimacy
        *ordered(sentence, [_GIVE, _TO_GAIN], gap=60),
        # access negotiated within the normalisation talks: the humanitarian file folded into another agenda's
        *ordered(sentence, [_GIVE, words(WITHIN), _CONCESSION], gap=40, boundary=_BOUNDARY),
        *ordered(sentence, [_GIVE, words(WITHIN), _TALKS_OF_AGENDA], gap=60, boundary=_BOUNDARY),
        *ordered(sentence, [_GIVE, words(ALONGSIDE), _CONCESSION], gap=40, boundary=_BOUNDARY),
        # aid in support of the army's stabilisation campaign
        *ordered(sentence, [_GIVE, _SERVES, words(CAMPAIGN)], gap=40, boundary=_BOUNDARY),
    ]
    # only once the council is recognised will aid flow
    head = _CLAUSE_HEAD.match(sentence)
    if head:
        found += [Span(0, s.end) for s in ordered(sentence[head.end() :], [_CONCESSION, _GIVE])]
        # if the Council endorses our candidate, food aid will be increased
        condition, comma, main = sentence[head.end() :].partition(",")
        give = _AID_ONLY.search(main)
        if comma and give and _price(condition.strip(), v) and not narrated(main):
            found.append(Span(0, len(sentence) - len(main) + give.end()))
    # the council joins the talks, using our food aid envelope as the inducement; using relief to bring them to the table
    if agenda or _POLITICS_NEAR.search(sentence):
        found += [
            *ordered(sentence, [_GIVE, _AS_LEVER], gap=40),
            *ordered(sentence, [_GIVE, _GIVES_LEVER], gap=40, boundary=_BOUNDARY),
            *ordered(sentence, [_USE, _GIVE, _TO_GET], gap=50),
            *ordered(sentence, [_GIVE, _USED, _TO_GET], gap=50),
            # held back to press a party: the purpose must name one ("to force the Council", not "to make room")
            *(
                s
                for s in ordered(sentence, [_GIVE, _HELD_BACK, _TO_GET], gap=50)
                if _names_party(sentence[s.end : s.end + 40], v)
            ),
            *ordered(sentence, [_GIVE, _PERSUADES], gap=40, boundary=_BOUNDARY),
            *ordered(sentence, [_GIVE, _ON_TABLE], gap=20),
            *ordered(sentence, [_PUT, _GIVE, _INTO_BARGAIN], gap=40),
            *ordered(sentence, [_REWARD, words(r"with"), _GIVE], gap=50),
        ]
        found += bundled(sentence, _GIVE, _CONCESSION)
    return [
        *found,
        *reciprocal(sentence, v),
        *no_price_no_aid(sentence, _GIVE, _CONCESSION),
        *swapped_sign(sentence, _GIVE, _CONCESSION),
        *dealt(sentence, _GIVE, _CONCESSION, v),
        *compound_link(sentence, _GIVE, _CONCESSION),
    ]


def _names_party(words_after: str, v: Voice) -> bool:
    """Whether the words after a purpose verb name another side ("the Council to ...", "pressure on Hadra")."""
    head = re.sub(r"^\s*(?:up\s+)?(?:the\s+|more\s+)?pressure\s+(?:on|upon)\s+", "", words_after)
    head = " ".join(head.split()[:3])
    return (v.others(head, sentence_start=False) or bool(_ACTOR.search(head))) and not v.ours(head)


def reciprocal(sentence: str, v: Voice) -> list[Span]:
    """A deal told as two sides' parts: "we fund the clinics for another year, they back our seat".

    Two clauses side by side, one with us as subject and one with another side; aid or
    access in one and a concession in the other.
    """
    body = sentence[sentence.rfind(":") + 1 :]
    offset = len(sentence) - len(body)
    parts = re.split(r"[,;]\s*|\s+(?:and|while)\s+(?=(?:they|it|we)\b)", body)
    if len(parts) != 2:
        return []
    first, second = (p.strip() for p in parts)
    if not first or not second:
        return []
    subjects = [" ".join(p.split()[:2]) for p in (first, second)]
    ours = [bool(re.match(r"(?:we|our)\b", s, re.I)) or v.ours(s.split()[0]) for s in subjects]
    theirs = [
        bool(re.match(r"(?:they|it|its|their)\b", s, re.I))
        or (v.others(s, sentence_start=False) and not v.ours(s))
        for s in subjects
    ]
    if not ((ours[0] and theirs[1]) or (theirs[0] and ours[1])):
        return []
    give = [_GIVE.search(p) for p in (first, second)]
    price = [_CONCESSION.search(p) for p in (first, second)]
    for a, b in ((0, 1), (1, 0)):
        aid = give[a]
        if aid is not None and price[b] is not None:
            start = offset + body.find(parts[a].strip()) + aid.start()
            return [Span(start, start + len(aid.group(0)))]
    return []


# "No recognition, no relief": the second withheld for as long as the first is missing.
_NO_X_NO_Y = re.compile(
    r"\bno\s+(?P<x>[^,;:.!?()]{1,60}?)\s*(?:,|;|:|\u2013|\u2014|\s-|=|->)\s*(?:then\s+)?no\s+(?P<y>[^,;:.!?()]{1,60})",
    re.IGNORECASE,
)


def no_price_no_aid(sentence: str, give: re.Pattern[str], price: re.Pattern[str]) -> list[Span]:
    """The price and the aid set as two lacks: "no ceasefire, no convoys", "no recognition, no relief"."""
    return [
        Span(m.start(), m.end())
        for m in _NO_X_NO_Y.finditer(sentence)
        if price.search(m.group("x")) and not give.search(m.group("x")) and give.search(m.group("y"))
    ]


# A sign set between what is given and what is paid: "food aid <-> recognition", "relief vs. the port lease".
_SWAP_SIGN = re.compile(r"\s(?:<->|<=>|↔|⇔|⇄|vs\.?|versus)\s", re.IGNORECASE)
_CLAUSE_CUT = re.compile(r"[,;:()]")


def swapped_sign(sentence: str, give: re.Pattern[str], price: re.Pattern[str]) -> list[Span]:
    """Aid and a price set either side of a sign of exchange, in one clause."""
    out = []
    for m in _SWAP_SIGN.finditer(sentence):
        left = _CLAUSE_CUT.split(sentence[: m.start()])[-1]
        right = _CLAUSE_CUT.split(sentence[m.end() :])[0]
        if (give.search(left) and price.search(right) and not give.search(right)) or (
            price.search(left) and give.search(right) and not give.search(left)
        ):
            out.append(Span(m.start() - len(left), m.end() + len(right)))
    return out


# The link written into one compound word: "ceasefire-dependent", "recognition-linked relief".
_COMPOUND_LINK = re.compile(
    r"\b(?P<price>[\w'’-]+?)-(?:dependent|contingent|linked|conditional|conditioned|tied|based|pegged|gated|bound)\b",
    re.IGNORECASE,
)


def compound_link(sentence: str, give: re.Pattern[str], price: re.Pattern[str]) -> list[Span]:
    """Aid or access qualified by a price in one compound word, the aid named within a few words:
    "truce-contingent deliveries", "access remains ceasefire-dependent"."""
    out = []
    for m in _COMPOUND_LINK.finditer(sentence):
        if not price.fullmatch(m.group("price").replace("-", " ")) and not price.fullmatch(m.group("price")):
            continue
        near = [
            g
            for g in give.finditer(sentence)
            if -60 < g.start() - m.end() < 40 or -60 < m.start() - g.end() < 60
        ]
        if near:
            g = near[0]
            out.append(Span(min(m.start(), g.start()), max(m.end(), g.end())))
    return out


# A heading that names a deal: "Deal:", "Trade-off accepted:", "Quid pro quo:".
_DEAL_HEAD = re.compile(
    r"^\W*(?:the\s+)?(?:deal|trade-?offs?|bargain|quid\s+pro\s+quo|swap|exchange|understanding|arrangement)\b[^:]{0,30}:\s*",
    re.IGNORECASE,
)
_DEAL_PARTS = re.compile(r"\s*(?:[,;+]|\band\b|\bwhile\b)\s*", re.IGNORECASE)


def dealt(sentence: str, give: re.Pattern[str], price: re.Pattern[str], v: Voice) -> list[Span]:
    """A deal told under its heading, one part aid or access and another a price or any act of a party:
    "Deal: we open the crossing to relief, Hadra gives us the port"."""
    m = _DEAL_HEAD.match(sentence)
    if m is None:
        return []
    parts = [p for p in _DEAL_PARTS.split(sentence[m.end() :]) if p.strip()]
    gives = [p for p in parts if give.search(p)]
    paid = [p for p in parts if not give.search(p) and (price.search(p) or _party_does(p, v))]
    return [Span(m.end(), len(sentence))] if gives and paid else []


def _party_does(clause: str, v: Voice) -> bool:
    """Whether a clause has another side as its subject, doing something that is no part of delivering aid."""
    subject = " ".join(clause.split()[:2])
    return v.others(subject, sentence_start=False) and not v.ours(subject) and not _logistics(clause)


# Aid said to stand outside a deal: "owed regardless", "not part of the agreement", "no linkage".
_UNTIED = words(
    r"(?:regardless|irrespective|whatever|unconditional\w*|not\s+(?:a\s+)?(?:part|linked|tied|conditional|subject)|"
    r"no\s+part|no\s+(?:link|linkage|condition\w*))"
)


def agreed_together(text: str, give: re.Pattern[str], price: re.Pattern[str], v: Voice) -> list[str]:
    """An agreement that holds aid or access and a price among its terms, however they are joined.

    "Agreed with Hadra: convoys through the Ostra crossing; Varnia recognises the council": the
    terms of one agreement are given against each other (the paper: "political concessions or
    agreements based on the provision of aid"). Each must be said, not denied or reported.
    """
    if _KEPT_APART.search(text) or _UNTIED.search(text):
        return []  # "humanitarian access is owed regardless and is no part of the deal"
    parts = notes(statements(text))

    def said(pattern: re.Pattern[str]) -> bool:
        return any(asserted(s, m.start(), m.end(), v) for s in parts for m in pattern.finditer(s))

    # (a decision records in the past tense what stands: "Agreed with Hadra: ...")
    return [" ".join(text.split())] if said(give) and said(price) else []


# Words that set the second of two statements after the first: "Recognition first; relief afterwards".
_COMES_AFTER = words(
    r"(?:then|afterwards|after\s+that|thereafter|next|later|follows?|to\s+follow|comes?\s+after)"
)


def sequenced(first: str, second: str, give: re.Pattern[str], price: re.Pattern[str], v: Voice) -> bool:
    """A price in one statement and aid set after it in the next: "Hadra recognises the council; relief follows"."""
    if narrated(first) or narrated(second) or give.search(first):
        return False
    return (
        any(asserted(first, m.start(), m.end(), v) for m in price.finditer(first))
        and bool(_COMES_AFTER.search(second))
        and any(asserted(second, g.start(), g.end(), v) for g in give.finditer(second))
    )


# The marks of a plan laid out in stages: "Phase 1:", "step two", "(2)", "2.", "Second:".
_STAGE = re.compile(
    r"(?:^|(?<=[\s(;:,.]))(?:(?:phase|step|stage)\s*(?:\d+|one|two|three|four|five|I{1,3}|IV|[a-e])\b\s*[:.)\u2013\u2014-]?"
    r"|\(\d\)|(?<![\w.])\d[.)](?=\s)|(?:first|second|third|fourth|finally)\s*:)",
    re.IGNORECASE,
)


def staged(
    text: str, give: re.Pattern[str], price: re.Pattern[str], v: Voice, setting: re.Pattern[str] | None = None
) -> list[str]:
    """A plan laid out in stages that puts a price in one stage and aid or access in a later one.

    "Phase 1: ceasefire. Phase 2: relief deliveries", "(1) recognition of the council; (2)
    food aid": the aid is sequenced after the price, as surely as with "only once". A stage
    that names the aid beside the price orders nothing; a `setting` after the price ("ceasefire
    violations", "the ceasefire line") names no price.
    """
    marks = list(_STAGE.finditer(text))
    if len(marks) < 2:
        return []
    ends = [m.start() for m in marks[1:]] + [len(text)]
    stages = [text[m.end() : end] for m, end in zip(marks, ends, strict=True)]
    for n, first in enumerate(stages):
        if give.search(first) or narrated(first):
            continue
        if not any(
            asserted(first, m.start(), m.end(), v) and not (setting and setting.match(first[m.end() :]))
            for m in price.finditer(first)
        ):
            continue
        if any(
            asserted(later, g.start(), g.end(), v) for later in stages[n + 1 :] for g in give.finditer(later)
        ):
            return [" ".join(text.split())]
    return []


def bundled(sentence: str, give: re.Pattern[str], price: re.Pattern[str]) -> list[Span]:
    """Aid and a price put in one package ("recognition, an amnesty and relief corridors, to be agreed
    together"); not an aid package ("a winter shelter package"), which is the aid itself."""
    if not price.search(sentence):
        return []
    aid_ends = {m.end() for m in give.finditer(sentence)}
    for package in _PACKAGE.finditer(sentence):
        if any(
            e <= package.start() and re.fullmatch(r"\s*(?:[\w'’-]+\s+)?", sentence[e : package.start()])
            for e in aid_ends
        ):
            continue
        aid = give.search(sentence)
        if aid:
            # "together or not at all" holds its own "not": read the negation before the aid only.
            return [Span(aid.start(), aid.end())]
    return []


_HARD = words(HARD_CONCESSION)
_FOR = words(r"for")


def swapped(sentence: str, give: re.Pattern[str]) -> list[Span]:
    """Aid and a concession swapped with a bare "for", either way round: "food for votes",
    "recognition for access", "weapons for food"."""
    paid = [
        span
        for span in ordered(sentence, [_HARD, _FOR, give], gap=15)
        # "political support for humanitarian access" backs it, it does not buy it
        if not re.match(r"(?:political\s+)?support", sentence[span.start :], re.IGNORECASE)
    ]
    return [*ordered(sentence, [give, _FOR, _HARD], gap=15), *paid]


_DENIES_PART = words(r"(?:nothing|none|not|never|no|without|n't)")


def paired(first: str, second: str, v: Voice) -> bool:
    """Two clauses that make one deal: one side's part, then "in return" (or "X gets ..., we get ...") the other's."""
    m = _IN_RETURN.search(second)
    if m is None and not (_EACH_GETS.search(first) and _EACH_GETS.search(second)):
        return False
    if m is not None and _DENIES_PART.search(second):
        return False  # "nothing is offered in return", "Hadra, for its part, has recognised nothing"
    if (
        m is not None
        and m.start() == 0
        and (lead := re.match(r"\s*([^,]+),\s*for\s+(?:its|their|our)\s+part", second))
    ):
        # "Hadra, for its part, will ...": a side's part; "the relief track, for its part, runs on need" contrasts
        if not (v.others(lead.group(1), sentence_start=False) or v.ours(lead.group(1))):
            return False

    def has(pattern: re.Pattern[str], clause: str) -> bool:
        return any(asserted(clause, m.start(), m.end(), v) for m in pattern.finditer(clause))

    return (has(_CONCESSION, first) and has(_GIVE, second)) or (
        has(_GIVE, first) and has(_CONCESSION, second)
    )


# "... and, in return, the Council accepts ...": one side's part, then the other's, in one sentence.
_IN_RETURN_WITHIN = re.compile(
    r"[,;:]?\s*(?:and|while|with)?\s*,?\s*(?=(?:in\s+(?:return|exchange|turn)|as\s+a\s+quid\s+pro\s+quo|for\s+(?:its|their)\s+part)\b)",
    re.IGNORECASE,
)


def paired_within(sentence: str, v: Voice) -> bool:
    """A deal told in one sentence, its two parts joined by "in return": "relief flights resume from
    10 June and, in return, the Council accepts the interim boundary commission"."""
    m = _IN_RETURN_WITHIN.search(sentence)
    if m is None or m.start() == 0:
        return False
    if _DENIES_PART.search(" ".join(sentence[: m.start()].split()[-3:])):
        return False  # "offers nothing in return": no deal
    first = sentence[: m.start()]
    first = first[first.rfind(":") + 1 :]
    second = sentence[m.end() :]
    if paired(first, second, v):
        return True
    # the other side's part need not be a named concession: any act of a party that is no part of
    # delivering aid ("in return, the Council accepts the interim boundary commission")
    act = _IN_RETURN.sub("", second, count=1).strip(" ,")
    return any(asserted(first, g.start(), g.end(), v) for g in _GIVE.finditer(first)) and _price(act, v)


def trades(text: str, v: Voice, humanitarian: bool = False) -> list[str]:
    """The sentences of a text in which the track itself trades aid or access for a concession.

    On a `humanitarian` track, whatever the track puts off until a party pays a price is
    its aid made to wait on it (`deferred_price`).
    """
    parts = notes(statements(text))
    found = [
        sentence
        for n, sentence in enumerate(parts)
        if any(
            asserted(sentence, s.start, s.end, v, after_of(parts, n, s.end))
            for s in _trade_spans(sentence, v, agenda=not humanitarian)
            + (deferred_price(sentence, v) if humanitarian else [])
        )
    ]
    found += [sentence for sentence in parts if sentence not in found and paired_within(sentence, v)]
    if not found:
        found += staged(text, _GIVE, _CONCESSION, v)
    for n, (first, second) in enumerate(zip(parts, parts[1:], strict=False)):
        if second in found or first in found:
            continue
        # "The Council seeks an end to the embargo. The school grant could feature in that discussion."
        that, agenda = _THAT_AGENDA.search(second), _CONCESSION.search(first)
        if that and agenda:
            named = f"{second[: that.start()]}{agenda.group(0)}{second[that.end() :]}"
            if any(
                asserted(named, s.start, s.end, v, after_of(parts, n + 1, len(second)))
                for s in _trade_spans(named, v, agenda=not humanitarian)
            ):
                found.append(f"{first} {second}")
                continue
        if paired(first, second, v) or sequenced(first, second, _GIVE, _CONCESSION, v):
            found.append(f"{first} {second}")
            continue
        # "Our funding gives us weight with the Authority; we intend to use it to move them on ...":
        # the pronoun stands for the aid of the clause before.
        resolved = resolve(first, second)
        if resolved != second and any(
            asserted(resolved, s.start, s.end, v, after_of(parts, n + 1, len(second)))
            for s in _trade_spans(resolved, v, agenda=not humanitarian)
        ):
            found.append(f"{first} {second}")
    return found


# Talks named by a word that points back: "that conversation", "the same talks".
_THAT_AGENDA = re.compile(
    r"\b(?:that|this|those|these|the\s+same)\s+(?:conversation|discussion|talks|negotiations?|deal|bargain|package|"
    r"exchange|file|question|issue|process|dialogue)\b",
    re.IGNORECASE,
)
_PRONOUN_OBJECT = re.compile(rf"({_USE.pattern[2:-2]})\s+(?:it|this|them|these|that)\b", re.IGNORECASE)


def resolve(first: str, second: str, give: re.Pattern[str] | None = None) -> str:
    """The second clause with the pronoun that stands for the first clause's aid replaced by it."""
    give = give or _GIVE
    aid = give.match(first) or give.match(re.sub(r"^\s*(?:\w+'s|our|the|this|these|its|all)\s+", "", first))
    subject = re.split(r"\b(?:is|are|was|were|gives?|gave|has|have|will|would|can|could|remains?)\b", first)[
        0
    ]
    if aid is None:
        aid = next((m for m in give.finditer(subject)), None)
    if aid is None and _PRONOUN_SUBJECT.match(second):
        # "We have 400 tonnes of flour in Vell. It goes north only after ...": the one aid named before
        named = list(give.finditer(first))
        aid = named[0] if len({m.group(0).lower() for m in named}) == 1 else None
    if aid is None:
        return second
    resolved = _PRONOUN_OBJECT.sub(lambda m: f"{m.group(1)} {aid.group(0)}", second, count=1)
    if resolved == second and not _EXPLETIVE.match(second):
        # "The convoys are ready. They will leave when the Army pulls back": the subject stands for the aid
        resolved = _PRONOUN_SUBJECT.sub(aid.group(0), second, count=1)
    return resolved


_PRONOUN_SUBJECT = re.compile(r"^\s*(?:it|they|these|those|this|all\s+of\s+(?:it|them))\b", re.IGNORECASE)
# "It is foreseen that ...", "It was agreed to ...": an "it" that stands for nothing.
_EXPLETIVE = re.compile(
    r"^\s*(?:it|this)\s+(?:is|was|has\s+been|had\s+been|will\s+be|would\s+be|remains|seems|appears)\s+"
    r"(?:\w+\s+){0,2}?(?:that|to|whether|how|why|when|if)\b",
    re.IGNORECASE,
)


def _dependencies(snapshot: Snapshot, i: Initiative) -> list[tuple[Initiative, list[str]]]:
    """The non-humanitarian tracks a track waits on, each with the chain of keys that leads there.

    The walk goes through humanitarian tracks only: a dependency on a humanitarian track
    that itself waits on a political one entangles this track as well.
    """
    found: list[tuple[Initiative, list[str]]] = []
    seen = {i.key}
    frontier: list[list[str]] = [[i.key]]
    while frontier:
        path = frontier.pop(0)
        here = snapshot.initiatives[path[-1]]
        for key in here.depends_on:
            if key in seen:
                continue
            seen.add(key)
            other = snapshot.initiatives[key]
            if other.kind in _AGENDAS:
                found.append((other, [*path, key]))
            else:
                frontier.append([*path, key])
    return found


def _depends_findings(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    findings: list[Finding] = []
    for other, path in _dependencies(snapshot, i):
        direct = len(path) == 2
        chain = " -> ".join(label(snapshot.initiatives[k]) for k in path)
        findings.append(
            make(
                ID,
                WORDS,
                "depends_on_political_track",
                [i.key, other.key],
                "high" if direct else "medium",
                f"Humanitarian track {label(i)} depends on the {other.kind} track {label(other)}.",
                [
                    f"{label(i)} is humanitarian; {label(other)} is {other.kind} ({other.status})",
                    f"dependency: {chain}" + ("" if direct else " (through other tracks)"),
                ],
                f"Remove the dependency of {label(i)} on {label(other)} so the humanitarian aims "
                "stand on their own terms, and coordinate the two tracks instead.",
                [i.key],
            )
        )
    return findings


_GIVE_OR_CUT = words(
    r"(?:suspend|cut|withh[eo]ld|halt|freez|froze|stop|offer|provid|increas|doubl|expand|resum|restor|scal|"
    r"extend|grant|promis|pledg|unlock|releas|reduc|end)\w*(?:\s+(?:up|back|off|down))?\s+(?:\w+\s+){0,3}?$"
)


# A quantity of aid: "a package of 2,000 food parcels", "the next shipment of seed stocks".
_QUANTITY_OF = re.compile(
    r"\s*(?:[\w'’,.-]+\s+){0,4}?(?:packages?|rounds?|shipments?|consignments?|tranches?|batch(?:es)?|loads?|planeloads?|"
    r"truckloads?|boatloads?|tonnes?|tons|pallets?|amounts?|volumes?|quantit(?:y|ies))\s+of\s+(?:[\w'’,.-]+\s+){0,2}?",
    re.IGNORECASE,
)


def _offers_aid(snapshot: Snapshot, i: Initiative, text: str) -> bool:
    """Whether a leverage tool's description makes aid itself the lever (its subject or object).

    Aid named further on is what the lever is for ("no fuel licences until seized aid is
    returned"), not what it moves.
    """
    v = voice(snapshot, i)
    for sentence in clauses(text)[:1]:
        for m in _AID_ONLY.finditer(sentence):
            lead = sentence[: m.start()]
            if (
                len(lead.split()) <= 3 or _GIVE_OR_CUT.search(lead) or _QUANTITY_OF.fullmatch(lead)
            ) and asserted(sentence, m.start(), m.end(), v):
                return True
    return False


_AGENDA_EVENT = words(AGENDA_EVENT)


# Words that tell of a failure inside an event ("does not sign", "refuses to recognise").
_FAILURE = re.compile(
    r"\b(?:(?:does|do|did|is|are|was|were|has|have|had|will|would)\s+not|(?:doesn|don|didn|isn|aren|wasn|weren|hasn|haven|won)['’]t|"
    r"not|never|(?:refus|reject|declin|fail)\w*(?:\s+to)?)\b",
    re.IGNORECASE,
)


def _failure_kept(text: str) -> str:
    """A red line's text with the words of failure blanked out (offsets kept): the event stays an event."""
    return _FAILURE.sub(lambda m: " " * len(m.group(0)), text)


def _red_line_findings(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    """A humanitarian track whose red lines make it pause or withdraw on another agenda's events.

    "pause if the normalisation talks collapse", "withdraw if elections are postponed": the
    humanitarian track waits on a political process, as surely as through `depends_on`.
    """
    v = voice(snapshot, i)
    hits = [
        f'red line ({rl.trigger or "no trigger"}): "{excerpt(rl.text)}"'
        for rl in i.red_lines
        if (
            # a red line names an event, and the event may be a failure: "the LFA does not sign the
            # protocol", "Hadra rejects the peace plan" are the political agenda's course as much
            any(
                asserted(_failure_kept(rl.text), m.start(), m.end(), v)
                for m in _AGENDA_EVENT.finditer(rl.text)
            )
            or _condition.waits_on_agenda(rl.text, v)
        )
        # "withdraw if anyone asks to link the campaign to recognition", "relief becomes an item in the
        # talks": the red line guards the separation
        and not _CONDITION_VERB.search(rl.text)
        and not _condition.guards_separation(rl.text)
    ]
    if not hits:
        return []
    return [
        make(
            ID,
            WORDS,
            "waits_on_political_events",
            [i.key],
            "medium",
            f"Humanitarian track {label(i)} pauses or withdraws on the events of a political agenda.",
            hits,
            "Tie the track's red lines to what happens to civilians and to humanitarian work, not to "
            "the course of political talks, elections or deals.",
            [i.key],
        )
    ]


_AGENDA_AIM = words(AGENDA_AIM)
# The other agenda named as the setting or as what the aim stays apart from, not sought.
_AIM_SETTING = re.compile(
    r"\b(?:during|after|before|since|despite|throughout|until|amid|around|ahead\s+of|in\s+the\s+run-up\s+to|"
    r"following|separate\w*\s+from|apart\s+from|outside|independent\w*\s+of|regardless\s+of|whatever|"
    r"unaffected\s+by|insulated\s+from|not\s+linked\s+to|delinked\s+from|de-linked\s+from|irrespective\s+of)\s+"
    r"(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)


# People's sides in the conflict, counted: "hamlets that ceased hiding the rebels",
# "households that back the government". Allegiance is a military or political aim, not a need.
_SIDE = (
    r"(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:insurgen\w*|rebels?|militants?|extremists?|guerrillas?|terrorists?|enemy|"
    r"armed\s+(?:groups?|opposition)|government|regime|army|ruling\s+party|opposition)"
)
_SWAYED = words(
    r"(?:(?:stop\w*|ceas\w*|refus\w*|no\s+longer|(?:turn\w*|rall\w*|side\w*)\s+(?:against|with|behind))\s+(?:[\w'’-]+\s+){0,1}?)?"
    r"(?:shelter\w*|support\w*|harbou?r\w*|back\w*|join\w*|feed\w*|hid\w*|cooperat\w*\s+with|inform\w*\s+on|"
    r"report\w*\s+on|denounc\w*|reject\w*|vot\w*\s+for|turn\w*\s+against|side\w*\s+with)\s+" + _SIDE
)


_METRIC_AIM = re.compile(f"{_SWAYED.pattern}|{_AGENDA_AIM.pattern}", re.IGNORECASE)
_WHO_DID = re.compile(r"\b(?:that|whose|who|which|where)\b", re.IGNORECASE)


def _counts_won_over(metric: str) -> bool:
    """A metric that counts aid's recipients by what they did for another agenda: "districts whose
    councils endorsed the roadmap after receiving seed aid"."""
    if not _AID_ONLY.search(metric):
        return False
    for m in _WHO_DID.finditer(metric):
        clause = metric[m.end() : m.end() + 80]
        if _CONCESSION.search(clause) or _condition.allegiance(clause):
            return True
    return False


def _aim_findings(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    """A humanitarian track that counts another agenda's goal among its own.

    "aims: convoys to Cobb; the Authority's recognition of the provincial council": the
    humanitarian objective is entangled with a political one in the track's very design,
    whatever the prose says about separation.
    """
    v = voice(snapshot, i)
    where = [("title", i.title), *((f"aim {n + 1}", a) for n, a in enumerate(i.aims))]
    where += [(f"objective {n + 1}", o) for n, o in enumerate(i.objectives)]
    # what a track measures is what it is for: a count of people won over is an aim of winning them over
    where += [(f"metric {n + 1}", m.name) for n, m in enumerate(i.metrics)]
    hits = []
    for place, text in where:
        # a metric counts people won over, or another agenda's goal reached ("commanders who joined the peace talks")
        aims = _METRIC_AIM if place.startswith("metric") else _AGENDA_AIM
        if place.startswith("metric") and _counts_won_over(text):
            hits.append(f'{place}: "{excerpt(text)}"')
            continue
        for sentence in clauses(text):
            if any(
                asserted(sentence, m.start(), m.end(), v) and not _AIM_SETTING.search(sentence[: m.start()])
                for m in aims.finditer(sentence)
            ):
                hits.append(f'{place}: "{excerpt(sentence)}"')
    if not hits:
        return []
    return [
        make(
            ID,
            WORDS,
            "political_aim",
            [i.key],
            "medium",
            f"Humanitarian track {label(i)} counts a political, military or economic goal among its aims.",
            hits,
            f"Move the political, military or economic goal to a track of its own and keep {label(i)}'s "
            "aims to what civilians and humanitarian work need.",
            [i.key],
        )
    ]


def _aid_leverage_finding(
    snapshot: Snapshot, i: Initiative, offered: list[str], traded: list[str]
) -> Finding | None:
    offers = [
        lev
        for lev in i.leverage
        if lev.status != "lifted"
        and (lev.kind == "aid_offer" or (lev.description and _offers_aid(snapshot, i, lev.description)))
    ]
    if not offers and not offered:
        return None
    severities: list[Severity] = ["high" if lev.status == "active" else "medium" for lev in offers] or [
        "high"
    ]
    evidence = [
        f"{label(i)} is {'an' if i.kind[0] in 'aeiou' else 'a'} {i.kind} track",
        *(
            f"{lev.kind.replace('_', ' ')} ({lev.status})"
            + (f": {excerpt(lev.description)}" if lev.description else "")
            for lev in offers
        ),
        *offered,
        *traded,
    ]
    return make(
        ID,
        WORDS,
        "aid_as_leverage",
        [i.key],
        worst(severities),
        f"The {i.kind} track {label(i)} uses aid as a leverage tool.",
        evidence,
        "Take aid out of this track's leverage (withdraw or lift the tool); offer aid through a "
        "humanitarian track on its own terms.",
        [i.key],
    )


# A track that gives or withholds aid itself: the verb and aid as its object, or aid and a passive.
_DETERMINERS = (
    r"(?:(?:the|our|all|its|their|further|more|new|extra|additional|any|some|emergency|humanitarian|urgent|next|"
    r"remaining|planned|upcoming|"
    r"much-needed|a|an|\d[\d,.]*|\w+'s|tonnes?\s+of|packages?\s+of|shipments?\s+of|million|billion|thousand|"
    r"euros?|EUR|dollars?|USD|[€$£][\d,.]+\w*)\s+){0,5}"
)
_HANDS_OUT = re.compile(
    r"\b(?:offer|provid|deliver|send|sent|suppl|fund|financ|pledg|promis|grant|extend|increas|doubl|expand|resum|channel|"
    r"restor|unlock|releas|dangl|propos|suspend|cut|withh[eo]ld|halt|freez|froze|reduc|scal(?:e|es|ed|ing)\s+(?:up|back|down)|"
    r"sweeten\w*\s+(?:\w+\s+){0,2}?with)"
    # One word may qualify the aid ("more winter relief"), not a preposition: "a payment
    # channel for relief salaries" names a channel, it hands nothing out.
    rf"\w*\s+(?:back\s+|off\s+)?(?:to\s+\w+\s+)?{_DETERMINERS}"
    # a quantity of it: "offer a package of 2,000 food parcels"
    rf"(?:(?:packages?|rounds?|shipments?|consignments?|tranches?|batch(?:es)?|planeloads?|truckloads?)\s+of\s+{_DETERMINERS})?"
    rf"(?:(?!(?:for|of|in|on|at|by|from|with|into)\s)[\w-]+\s+)?{AID}\b"
    rf"|\b{AID}\b\s+(?:\w+\s+){{0,3}}?(?:will|would|shall|to|can|could|may|is|are)\s+(?:also\s+)?(?:only\s+)?be\s+"
    r"(?:offered|provided|delivered|sent|supplied|funded|pledged|promised|granted|extended|increased|doubled|"
    r"expanded|resumed|restored|unlocked|released|suspended|cut|withheld|halted|frozen|reduced|scaled)\b",
    re.IGNORECASE,
)


# Aid named as kept apart from the track: "separately, the aid office funds WASH on its own terms".
_KEPT_APART = words(
    r"(?:separately|separate\w*\s+from|apart\s+from|on\s+(?:its|their)\s+own\s+terms|independent\w*(?:\s+of)?|"
    r"outside\s+(?:this|the)\s+track|not\s+part\s+of\s+(?:this|the)\s+track)"
)


def offers(text: str, v: Voice) -> list[str]:
    """The sentences in which a track itself hands out or withholds aid (not aid it names as kept apart)."""
    return [
        sentence
        for sentence in statements(text)
        if not _KEPT_APART.search(sentence)
        and any(
            asserted(sentence, m.start(), m.end(), v) and not asked_of_other(sentence, m.start(), v)
            for m in _HANDS_OUT.finditer(sentence)
        )
    ]


def _decision_finding(snapshot: Snapshot, i: Initiative, key: str, kind: str, evidence: list[str]) -> Finding:
    d = decision_label(snapshot.decisions[key])
    what = (
        "trades aid or access for a concession"
        if kind == "aid_traded_for_concession"
        else (f"offers or withholds aid on {'an' if i.kind[:1] in 'aeiou' else 'a'} {i.kind} track")
    )
    return make(
        ID,
        WORDS,
        kind,
        [i.key, key],
        "high",
        f"{d[0].upper()}{d[1:]} on track {label(i)} {what}.",
        evidence,
        f"Supersede {d} with one that keeps aid and access off the bargaining table"
        + (
            "."
            if i.kind == "humanitarian"
            else ", and route aid through a humanitarian track on its own terms."
        ),
        [i.key],
    )


# Where a track states what it is to be: a plan, never a report of what happened.
_PLANS = ("title", "aim", "objective", "metric")


def _text_findings(snapshot: Snapshot, i: Initiative) -> tuple[list[Finding], list[str], list[str]]:
    """Findings for the decisions, and the evidence of the track's own texts: trades, then offers of aid."""
    findings: list[Finding] = []
    own_trades: list[str] = []
    own_offers: list[str] = []
    v = voice(snapshot, i)
    agenda = i.kind != "humanitarian"
    for src in track_texts(snapshot, i, metrics=True):
        traded = trades(src.text, v, humanitarian=not agenda)
        traded += [
            c.statement
            for c in _condition.conditions(
                src.text, v, humanitarian=not agenda, plan=src.where.split()[0] in _PLANS
            )
            if c.kind in (_condition.PRICE_KIND, _condition.AGENDA_KIND)
            and not any(c.statement in t or t in c.statement for t in traded)
        ]
        if not traded and src.decision is not None and snapshot.decisions[src.decision].kind == "agreement":
            traded = agreed_together(src.text, _GIVE, _CONCESSION, v)
        # On a political, security or economic track, aid handed out or withheld is aid used as leverage.
        offered = [h for h in offers(src.text, v) if h not in traded] if agenda else []
        if not traded and not offered:
            continue
        if src.decision is not None:
            kind = "aid_traded_for_concession" if traded else "aid_as_leverage"
            findings.append(
                _decision_finding(
                    snapshot,
                    i,
                    src.decision,
                    kind,
                    [f'{src.where}: "{excerpt(h)}"' for h in [*traded, *offered]],
                )
            )
            continue
        own_trades += [f'{src.where}: "{excerpt(h)}"' for h in traded]
        own_offers += [f'{src.where}: "{excerpt(h)}"' for h in offered]
    return findings, own_trades, own_offers


def _own_trade_finding(i: Initiative, evidence: list[str]) -> Finding:
    return make(
        ID,
        WORDS,
        "aid_traded_for_concession",
        [i.key],
        "high",
        f"Track {label(i)} trades aid or access for a concession.",
        evidence,
        "Reword the track so that aid and access are not offered against political, military "
        "or economic concessions.",
        [i.key],
    )


def run(snapshot: Snapshot) -> list[Finding]:
    """Humanitarian tracks entangled with other agendas, and aid offered as a bargaining chip."""
    findings: list[Finding] = []
    for i in planned_or_running_tracks(snapshot):
        decided, traded, offered = _text_findings(snapshot, i)
        findings.extend(decided)
        if i.kind == "humanitarian":
            depends = _depends_findings(snapshot, i)
            if depends and traded:
                # The track's prose telling how it waits on another agenda is the same cause as the
                # dependency itself: one alert, with the prose as its evidence.
                first = depends[0]
                depends[0] = replace(first, evidence=(*first.evidence, *traded))
                traded = []
            findings.extend(depends)
            if not traded and not depends:
                entangled = _red_line_findings(snapshot, i) or _aim_findings(snapshot, i)
                findings.extend(entangled)
        elif (f := _aid_leverage_finding(snapshot, i, offered, traded)) is not None:
            # One alert for the track's own use of aid, whether its leverage or its prose says so.
            findings.append(f)
            continue
        if traded:
            findings.append(_own_trade_finding(i, traded))
    return findings + _learned_findings(snapshot, findings)


def _learned_findings(snapshot: Snapshot, found: list[Finding]) -> list[Finding]:
    """What the learned reading (`_reading_model`) finds where the rules found nothing.

    A track the rules raised nothing on, or a decision with no alert of its own, is read
    again sentence by sentence; a framing the phrase rules did not foresee is told as they
    would tell it: a trade on a humanitarian track, aid as leverage on another.
    """
    out: list[Finding] = []
    for i in planned_or_running_tracks(snapshot):
        covered = [set(f.subjects) for f in found if i.key in f.subjects]
        for decision, evidence in _reading_model.learned(snapshot, i, ID).items():
            if decision is not None:
                if not any(decision in c for c in covered):
                    kind = "aid_traded_for_concession" if i.kind == "humanitarian" else "aid_as_leverage"
                    out.append(_decision_finding(snapshot, i, decision, kind, evidence))
            elif not covered:
                if i.kind == "humanitarian":
                    out.append(_own_trade_finding(i, evidence))
                elif (f := _aid_leverage_finding(snapshot, i, evidence, [])) is not None:
                    out.append(f)
    return out
