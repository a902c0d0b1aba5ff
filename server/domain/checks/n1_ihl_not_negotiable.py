"""N1: don't treat IHL as negotiable.

Access and aid are the parties' obligation under IHL, owed during the fighting. Two
framings put them on the table:

- the wording itself: "humanitarian ceasefire", "humanitarian truce", "humanitarian
  pause" and their kin ("humanitarian window", "humanitarian cessation of hostilities");
- access, aid or humanitarian work made to wait on a halt in the fighting ("engineers
  go in once both sides agree to quiet hours", "convoys only once a truce holds"), a
  halt sought as the way to aid ("a lull in hostilities so that distributions can take
  place", "local truces signed to let relief in"), or access traded against a political,
  military or economic concession, in either direction ("access conditional on
  military concessions", "we would register the Authority's charity if it opens its
  camps to NGOs", a package of withdrawal, amnesty and relief corridors).

Beside the phrase rules, the clause-level reading of condition shared with D2
(`_condition`) reads the same framing in grammar no phrase foresaw: a halt or a price in
a condition clause of any marker, in the statement before ("No truce is agreed yet.
Until there is one, ..."), named as a precondition, or work packed into halts; and
another side allowed to stop aid while it fights. The structure of a text frames it
too: the two set as lacks ("no truce, no convoys"), a halt that must come first ("a
truce ahead of the vaccination round"), a plan in stages with the work in a stage after
the halt ("Phase 1: ceasefire. Phase 2: relief convoys").

A ceasefire on its own is no finding: a political track may well negotiate or monitor
one. A humanitarian track that takes a halt in the fighting as its own aim (in its title,
aims, objectives or metrics, or "negotiate a pause in the shelling" in its prose) blurs
the paper's line between humanitarian outcomes and military objectives, and is told so;
so does one whose red line pauses or ends it when a truce fails ("ceasefire collapses",
trigger pause): its aid then waits on the truce. Red lines of any track are read like its
prose ("no convoys without a ceasefire"); one about harm done during a truce ("ceasefire
violations that hit schools") is not a framing. Access planned inside a halt ("convoys to
enter during the pause") is made to wait on it. The sentence must be the track's own (`_prose`): a denial, a rejection, another
side's proposal reported ("Orlavia floated a 'humanitarian pause'; we declined") or the
term mentioned as a word to avoid raises nothing. One source gives one alert: the
track's own texts gather into one, each standing decision has its own (so superseding
it clears exactly its alert), and a sentence that both uses the wording and makes
access conditional is one alert of the graver kind.

The line with D2: a halt in the fighting as the price of aid is N1's alone; aid or
access made to wait on a political, military or economic concession is both (aid
delivery framed as requiring a concession, N1; humanitarian issues traded against
political concessions, D2); aid used as a leverage tool, a humanitarian track waiting on
a political one, or aid made to serve an agenda without a condition is D2's alone.
Drafts are judged: the framing is in the plan already.
"""

from __future__ import annotations

import re

from server.domain.checks import _condition, _reading_model
from server.domain.checks._common import (
    Source,
    decision_label,
    excerpt,
    label,
    make,
    planned_or_running_tracks,
    track_texts,
    voice,
)
from server.domain.checks._lexicon import (
    ACCESS,
    ALONGSIDE,
    CHIP,
    CONCESSION,
    CONDITION_HEAD,
    EXCHANGE,
    FIRST_THEN,
    HALT,
    HUMANITARIAN_HALT,
    LINK,
    PROVIDES,
    PURPOSE,
    SEEK,
    TALKS,
    THEN,
    TRADE_VERB,
    TRUCE,
    WITHIN,
    WORK,
)
from server.domain.checks._prose import (
    Span,
    Voice,
    acted_by_other,
    after_of,
    asserted,
    clauses,
    family,
    narrated,
    negated,
    notes,
    ordered,
    statements,
    words,
)
from server.domain.checks.d2_separate_agendas import (
    DEFERRED,
    EARNS,
    agreed_together,
    bundled,
    compound_link,
    dealt,
    deferred_price,
    no_price_no_aid,
    paired,
    paired_within,
    party_price,
    resolve,
    sequenced,
    staged,
    swapped,
    swapped_sign,
)
from server.domain.snapshot import Finding, Initiative, Severity, Snapshot

ID = "N1"
TITLE = "Don't treat IHL as negotiable"
WORDS = (
    'States and humanitarian actors should avoid discussions on "humanitarian ceasefires" or '
    '"humanitarian truces" as this contributes to the blurred distinction between humanitarian '
    "outcomes and military objectives. While often well-intentioned, this terminology frames "
    "humanitarian access as dependent on a ceasefire and reinforces the perception that aid delivery "
    "requires political or military concessions."
)

WORDING = "humanitarian_ceasefire_wording"
CONDITIONAL = "access_conditional_on_concession"

_WORDING = words(HUMANITARIAN_HALT)
_WORK = words(WORK)
_ACCESS = words(ACCESS)
_HALT = words(HALT)
_LINK = words(family(LINK, r"only\s+during", r"only\s+(?:while|whilst)"))
_PURPOSE = words(PURPOSE)
# Words that order two events in time, and words that make one wait on the other.
_TIME_ORDER = words(r"(?:after|following|when|since)")
_CONDITION = words(
    r"(?:only|until|till|pending|once|unless|if|conditional|contingent|dependent|subject\s+to|tied|linked)"
)
_THEN_NEXT = re.compile(
    r"(?:,|;|:|\u2013|\u2014|->|\bthen\b)\s*(?:and\s+)?(?:only\s+)?then\b|\bfollowed\s+by\b|,\s*then\b", re.I
)
# "post-truce", "post-ceasefire": after the halt, in one word.
_POST_HALT = words(rf"post-?{HALT}")
_CONCESSION = words(CONCESSION)
_PRICE = words(family(HALT, CONCESSION))
_EXCHANGE = words(EXCHANGE)
_CONDITION_VERB = words(
    r"(?:condition|conditions|conditioned|conditioning|tie|ties|tied|tying|link|links|linked|linking|"
    r"make|makes|made|making|subordinat\w*|peg|pegs|pegged)"
)
_ON = words(r"(?:on|upon|to|conditional\s+on|contingent\s+on|dependent\s+on|subject\s+to)")
_BOUNDARY = re.compile(
    r",\s*(?:while|whereas|but|and|although|though|meanwhile|whilst)\b|\b(?:while|whereas|but|although|meanwhile)\b"
    # a colon that opens a denial: "kept apart: no concession on tariffs is tied to aid"
    r"|\(|\)|[:;\u2013\u2014]\s*(?:no|not|nothing|never|none|neither)\b",
    re.IGNORECASE,
)
_CLAUSE_HEAD = re.compile(rf"^\s*{CONDITION_HEAD}", re.IGNORECASE)
# Work set after a halt in time: "deploy after a truce is signed", "no movement before a ceasefire".
_SEQUENCE = words(r"(?:(?:no|not)\s+(?:[\w'’-]+\s+){0,2}?(?:before|until|unless|without)|after|following)")
# A halt someone is to obtain: "a negotiated lull", "the agreed quiet hours".
_SOUGHT_HALT = words(
    rf"(?:an?\s+|the\s+)?(?:negotiated|agreed|brokered|requested|secured|arranged|mediated)\s+(?:[\w'’-]+\s+)?{HALT}"
)
# A halt that comes, not one that ends: "before a truce is signed", not "before the truce expires" (a deadline).
_HALT_COMES = re.compile(
    # not "any" halt: "convoys move before and after any truce" says whatever comes
    rf"(?<!\bany\s)(?<!\bevery\s)(?<!\beach\s)(?<!\bwhatever\s)\b{HALT}\b(?!\s+(?:[\w'’-]+\s+)?(?:ends?|ended|expires?|expired|collaps\w*|breaks?\s+down|lapses?|lapsed|"
    r"runs?\s+out|is\s+over|is\s+lifted))",
    re.IGNORECASE,
)
# A plan (not a report) to work inside a halt: "convoys to enter during the pause".
_WILL_DURING = words(
    r"(?:will|would|shall|can|could|may|to|must|should|are\s+to|is\s+to)\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:during|within|in)\s+(?:the|this|that|a|each|every|any)\s+(?:[\w'’-]+\s+){0,2}?"
)
_AS_LEVER = words(
    r"(?:as|is|are|remains?|becomes?)\s+(?:a|an|the|our|their|its)?\s*(?:part\s+of\s+(?:the\s+|our\s+|a\s+)?)?(?:[\w'’-]+\s+)?"
    r"(?:lever|leverage|card|incentive|inducement|carrot|sweetener|currency|payment|price)"
)
_CHIP = words(
    rf"(?:as|is|are|remains?|becomes?)\s+(?:a|an|the|our|their|its)?\s*(?:\w+\s+)?(?:{CHIP}|concession|reward|prize|favour|favor)"
)


# Our own work paused, not a halt in the fighting: "pause movements on a route if staff are detained".
_OWN_PAUSE = re.compile(
    rf"\b(?:pause|pauses|paused|pausing|halt|halts|halted|halting|suspend\w*|stop|stops|stopped|stopping)"
    rf"(?=\s+(?:(?:all|our|the|its|their|any)\s+)?(?:[\w'’-]+\s+)?(?:{WORK}|movements?|operations?|activit\w+|"
    rf"deliver\w*|distribut\w*|work|programmes?|the\s+track)\b)"
    # an order to pause, at the head of a red line or a note: "pause if the fighters occupy the clinic"
    r"|^\s*(?:pause|halt|suspend|stop|withdraw)\b(?=\s*(?:$|[,;:]|\b(?:if|when|whenever|should|once|and|or|in\s+case)\b))",
    re.IGNORECASE,
)


_WHILE = words(r"(?:while|whilst|as\s+long\s+as|so\s+long\s+as|for\s+as\s+long\s+as)")
_FIGHTING_GOES_ON = words(
    r"(?:the\s+)?(?:fighting|hostilities|shelling|clashes|bombardment|bombing|war|offensive|air\s+strikes|airstrikes)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?:continues?|goes\s+on|lasts?|persists?|rages?|is\s+(?:ongoing|under\s+way)|are\s+(?:ongoing|under\s+way))"
)
# Humanitarian work denied in the clause before: "we will not send teams", "no convoys".
_DENIED_WORK = re.compile(
    rf"\b(?:not|no|never|cannot|can't|won't|n't)\b[^,;:]{{0,30}}?\b{WORK}\b[^,;:]{{0,40}}$", re.IGNORECASE
)


def _own_pause_masked(sentence: str) -> str:
    """The sentence with the verbs that pause our own work blanked out (offsets kept)."""
    return _OWN_PAUSE.sub(lambda m: "_" * len(m.group(0)), sentence)


def _conditional_spans(sentence: str, v: Voice, plan: bool = False) -> list[Span]:
    """Where a sentence makes access, aid or humanitarian work wait on a halt in the fighting or a concession.

    The paper: the terminology "frames humanitarian access as dependent on a ceasefire and
    reinforces the perception that aid delivery requires political or military concessions".
    A `plan` (an aim, an objective, a metric) states what is to be, never what happened.
    """
    told = not plan and narrated(sentence)
    sentence = _own_pause_masked(sentence)
    # Aid delivery made to wait on a party's act that has nothing to do with it: a price too.
    found: list[Span] = party_price(sentence, v)
    for work, price in ((_WORK, _HALT), (_WORK, _CONCESSION)):
        found += [
            # convoys only once a truce holds; access to Vell conditional on military concessions; not what
            # happened in time order ("relief resumed in March after the ceasefire")
            *(
                s
                for s in ordered(sentence, [work, _LINK, price], boundary=_BOUNDARY)
                if not (
                    told
                    and _TIME_ORDER.search(sentence[s.start : s.end])
                    and not _CONDITION.search(sentence[s.start : s.end])
                )
            ),
            # a truce for aid; sanctions relief in exchange for convoy access
            *ordered(sentence, [price, _EXCHANGE, work], boundary=_BOUNDARY),
            # we would register their charity if they open their camps to NGOs
            *ordered(sentence, [price, _LINK, work], boundary=_BOUNDARY),
            # trade convoy access for a ceasefire
            *ordered(sentence, [words(TRADE_VERB), work, words(r"for|against"), price], boundary=_BOUNDARY),
            # condition access on a ceasefire
            *ordered(sentence, [_CONDITION_VERB, work, _ON, price], boundary=_BOUNDARY),
            # no convoys until a truce is agreed
            *ordered(
                sentence, [words(r"no"), work, words(r"(?:without|unless|until|before)"), price], gap=40
            ),
        ]
        head = _CLAUSE_HEAD.match(sentence)
        if head and (plan or not narrated(sentence[head.end() :].partition(",")[2])):
            # only once a truce holds will convoys move (not "after the March truce, convoys doubled")
            found += [Span(0, s.end) for s in ordered(sentence[head.end() :], [price, work])]
        # ceasefire first, then convoys; first a local ceasefire, then the return of aid agencies
        found += ordered(sentence, [price, words(FIRST_THEN), work], gap=30)
        found += ordered(sentence, [words(r"first"), price, words(THEN), work], gap=40)
        # "a local cessation, then relief to the villages"; "a ceasefire followed by convoys" (not what happened)
        if not told:
            found += ordered(sentence, [price, _THEN_NEXT, work], gap=30)
    found += [
        # a lull in hostilities so that distributions can take place; truces to let relief in; pauses for aid
        *ordered(sentence, [_HALT, _PURPOSE, _WORK], gap=60, boundary=_BOUNDARY),
        *ordered(sentence, [_HALT, words(r"for"), _WORK], gap=12),
        # access negotiated within the peace talks; access as leverage
        *ordered(sentence, [_ACCESS, words(WITHIN), _CONCESSION], gap=40, boundary=_BOUNDARY),
        # access discussed alongside the ceasefire terms: put on the same table
        *ordered(sentence, [_WORK, words(ALONGSIDE), _PRICE], gap=40, boundary=_BOUNDARY),
        *ordered(sentence, [_ACCESS, words(r"against"), _CONCESSION], gap=20),
        *ordered(sentence, [_ACCESS, _AS_LEVER], gap=30),
        # aid as part of the ceasefire agreement; the truce provides for convoys
        # (not what happened: "the clinics stayed open through the truce last spring")
        *([] if told else ordered(sentence, [_WORK, words(WITHIN), _HALT], gap=40, boundary=_BOUNDARY)),
        *ordered(sentence, [_HALT, words(PROVIDES), _WORK], gap=40, boundary=_BOUNDARY),
        # convoys to enter during the pause; teams will deploy in the ceasefire window: access confined to the halt
        *ordered(sentence, [_WORK, _WILL_DURING, _HALT_COMES], gap=30, boundary=_BOUNDARY),
        # vaccination completed during a negotiated lull: work confined to a halt someone is to obtain
        *(
            []
            if told
            else ordered(
                sentence, [_WORK, words(r"during|within|in"), _SOUGHT_HALT], gap=30, boundary=_BOUNDARY
            )
        ),
        # convoys go in during agreed quiet hours only
        *ordered(
            sentence, [_WORK, words(r"during|within|in"), _HALT, words(r"only")], gap=30, boundary=_BOUNDARY
        ),
        # convoys: no movement before a cessation of hostilities; nutrition teams deploy after a truce is signed
        *([] if told else ordered(sentence, [_WORK, _SEQUENCE, _HALT_COMES], gap=60, boundary=_BOUNDARY)),
        # access for recognition, weapons for food
        *swapped(sentence, _WORK),
        # post-truce deployment of the medical teams; convoys: wk 1 post-ceasefire
        *(
            []
            if told
            else [
                *ordered(sentence, [_POST_HALT, _WORK], gap=40, boundary=_BOUNDARY),
                *ordered(sentence, [_WORK, _POST_HALT], gap=40, boundary=_BOUNDARY),
            ]
        ),
        # access as a bargaining chip, as a concession
        *ordered(sentence, [_ACCESS, _CHIP], gap=30),
    ]
    found += bundled(sentence, _WORK, _PRICE)
    # no ceasefire, no convoys; convoys <-> recognition; "Deal: we open the crossing, Hadra gives us the port"
    found += no_price_no_aid(sentence, _WORK, _PRICE)
    found += swapped_sign(sentence, _WORK, _PRICE)
    # truce-contingent deliveries; access remains ceasefire-dependent
    found += compound_link(sentence, _WORK, _PRICE)
    # each weapon handed in earns a food voucher; a week of calm buys the district a convoy
    found += ordered(sentence, [_PRICE, EARNS, _WORK], gap=40, boundary=_BOUNDARY)
    found += dealt(sentence, _WORK, _PRICE, v)
    # the work denied for as long as the fighting goes on: "no convoys while the shelling continues"
    if not told:
        lead = sentence[: sentence.find(",") if 0 < sentence.find(",") < 40 else 0]
        found += [
            s
            for s in ordered(sentence, [_WHILE, _FIGHTING_GOES_ON], gap=10)
            if _DENIED_WORK.search(sentence[: s.start]) or (lead and s.start == 0)
        ]
    # a halt that comes first: "we need a ceasefire before the teams can go in" (not what happened)
    if not told:
        found += ordered(
            sentence, [_HALT_COMES, words(r"before|prior\s+to|ahead\s+of"), _WORK], gap=40, boundary=_BOUNDARY
        )
    return found


_HALT_NAMED = words(r"(?:cease[\s-]*fires?|truces?|armistices?|cessations?|hudnas?)")


def _proper_name(sentence: str, m: re.Match[str]) -> bool:
    """Whether the wording is a name ("the pooled fund's Humanitarian Window"), not a framing.

    Every word of it capitalised, inside a sentence that is not itself in title case. A
    ceasefire, a truce, an armistice or a cessation names no fund or facility: capitalised,
    it is the same framing ("we will push for a Humanitarian Truce").
    """
    if _HALT_NAMED.search(m.group(0)):
        return False
    found = m.group(0).split()
    lower = [w for w in sentence.split() if w[:1].isalpha() and len(w) > 3 and w[:1].islower()]
    return m.start() > 0 and all(w[:1].isupper() for w in found) and len(lower) >= 2


_OTHER_AGENDA = words(family(TALKS, CONCESSION))


def _deferred_spans(sentence: str, plan: bool) -> list[Span]:
    """On a humanitarian track, anything of it put off until a halt in the fighting comes.

    The track's own work need not be named ("the mission", "phase two", "the round"): what a
    humanitarian track puts off is humanitarian work. Not talks or another agenda's step
    ("the status talks are postponed until a ceasefire holds"), and not what happened.
    """
    if not plan and narrated(sentence):
        return []
    out = []
    for s in ordered(sentence, [DEFERRED, _HALT_COMES], gap=40, boundary=_BOUNDARY):
        clause = re.split(r"[,;:()]", sentence[: s.start])[-1]
        if not _OTHER_AGENDA.search(clause) and not _OTHER_AGENDA.search(sentence[s.start : s.end]):
            out.append(s)
    return out


def framings(text: str, v: Voice, plan: bool = False, humanitarian: bool = False) -> dict[str, list[str]]:
    """The sentences of a text that frame access as negotiable, by kind (the graver kind first).

    On a `humanitarian` track, whatever the track puts off until a halt in the fighting is
    read as its work made to wait on one.
    """
    out: dict[str, list[str]] = {}
    parts = notes(statements(text))
    for n, sentence in enumerate(parts):
        spans = _conditional_spans(sentence, v, plan) + (
            _deferred_spans(sentence, plan) + deferred_price(sentence, v) if humanitarian else []
        )
        if paired_within(sentence, v) or any(
            asserted(sentence, s.start, s.end, v, after_of(parts, n, s.end)) for s in spans
        ):
            out.setdefault(CONDITIONAL, []).append(sentence)
        elif (
            (wording := list(_WORDING.finditer(sentence)))
            and not any(
                # "do not speak of 'humanitarian truces' or 'humanitarian ceasefires'": one denial covers the list
                negated(sentence, m.start(), m.end())
                for m in wording
            )
            and any(
                asserted(sentence, m.start(), m.end(), v, after_of(parts, n, m.end()))
                and not _proper_name(sentence, m)
                for m in wording
            )
        ):
            out.setdefault(WORDING, []).append(sentence)
    # Two statements that make one deal ("we fund the clinics. Hadra, for its part, backs our candidate"),
    # or a pronoun that stands for the work named before ("The convoys are ready. They leave when ...").
    told = {x for hits in out.values() for x in hits}
    for n, (first, second) in enumerate(zip(parts, parts[1:], strict=False)):
        if first in told or second in told:
            continue
        resolved = resolve(first, second, _WORK)
        if (
            paired(first, second, v)
            or sequenced(first, second, _WORK, _PRICE, v)
            or (
                resolved != second
                and any(
                    asserted(resolved, s.start, s.end, v, after_of(parts, n + 1, len(second)))
                    for s in _conditional_spans(resolved, v, plan)
                )
            )
        ):
            out.setdefault(CONDITIONAL, []).append(f"{first} {second}")
    if CONDITIONAL not in out:
        # a plan in stages: "Phase 1: ceasefire. Phase 2: relief deliveries"
        if stages := staged(text, _WORK, _PRICE, v, setting=_SETTING_AFTER):
            out[CONDITIONAL] = stages
    return out


_SEEK = words(SEEK)
_TRUCE = words(TRUCE)
_TRUCE_FAILS = words(
    rf"{TRUCE}\s+(?:[\w'’-]+\s+){{0,3}}?(?:collaps\w*|breaks?\s+down|broke\s+down|fails?|failed|ends?|ended|lapses?|"
    r"stall\w*|falter\w*|f[ae]ll\s+through|falls\s+through|break\s+off|broke\s+off|(?:is|are)\s+(?:suspended|abandoned)|"
    r"lapsed|expires?|expired|is\s+broken|(?:is\s+)?not\s+(?:held|respected|renewed|extended|agreed|signed|reached|"
    r"in\s+place)|does\s+not\s+hold|no\s+longer\s+holds|unravels?)"
    # no truce comes: "no ceasefire agreed by June" (not "no ceasefire violations reported")
    rf"|\bno\s+(?:[\w'’-]+\s+)?{TRUCE}(?!\s+(?:violations?|breach\w*|incidents?))"
    rf"|(?:collapse|breakdown|end|failure|lapse|expiry)\s+of\s+(?:the\s+|a\s+|any\s+)?(?:[\w'’-]+\s+)?{TRUCE}"
)
# The fighting itself coming back: a track that stops then waits on its stopping.
_FIGHTING_RESUMES = words(
    r"(?:hostilities|fighting|the\s+war|combat|the\s+offensive|military\s+operations)\s+(?:resume|resumes|restart|restarts|"
    r"break\s+out|breaks\s+out|flare\s+up|flares\s+up|escalat\w*)"
)
# A halt named as the setting, not the goal: "during the ceasefire", "ceasefire violations".
_SETTING_BEFORE = re.compile(
    r"\b(?:during|after|before|since|despite|throughout|until|beyond|outside|regardless\s+of|in\s+spite\s+of|"
    r"under|amid|following|with\s+or\s+without)\s+(?:the\s+|a\s+|any\s+|each\s+|every\s+)?(?:[\w'’-]+\s+)?$",
    re.IGNORECASE,
)
_SETTING_AFTER = re.compile(
    r"^\s*(?:violations?|breach\w*|lines?|monitor\w*|zones?|collaps\w*|ended|broke|holds?|held|observers?|"
    r"commission|committee|agreement\s+(?:text|clauses?))\b",
    re.IGNORECASE,
)
# Another track or process as the subject: "the political track is negotiating a ceasefire".
_OTHER_TRACK = re.compile(
    r"\b(?:political|security|military|economic|peace|other|another|separate|parallel|mediation)\s+"
    r"(?:track|process|channel|talks|mediators?|envoys?)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
_WORK_BEFORE = re.compile(rf"\b{WORK}\s+(?:[\w'’-]+\s+)?$", re.IGNORECASE)
# Where a track states what it is for.
_GOALS = ("title", "aim", "objective", "metric")


def _last_halt(sentence: str, s: Span) -> int:
    """Where the last halt in the fighting within a span starts."""
    found = [m.start() for m in _HALT.finditer(sentence, s.start, s.end)]
    return found[-1] if found else s.start


def halt_as_aim(text: str, where: str, v: Voice) -> list[str]:
    """Sentences in which a humanitarian track seeks a halt in the fighting as its own aim.

    The paper's distinction between humanitarian outcomes and military objectives blurs
    when a humanitarian track's aims, objectives or metrics are a ceasefire or a truce
    ("a ceasefire around Amsel", "truces brokered"). Prose elsewhere must say the track
    seeks it ("negotiate a pause in the shelling"), not merely mention it.
    """
    out: list[str] = []
    goal = where.split()[0] in _GOALS
    for sentence in clauses(text):
        spans = (
            [
                Span(m.start(), m.end())
                for m in _HALT.finditer(sentence)
                if not _SETTING_BEFORE.search(sentence[: m.start()])
                and not _SETTING_AFTER.match(sentence[m.end() :])
                # our own work halting is no halt in the fighting: "the emergency health team stood down"
                and not _WORK_BEFORE.search(sentence[: m.start()])
            ]
            if goal
            else [
                s
                for s in ordered(sentence, [_SEEK, _HALT], gap=40)
                # "The Authority proposed a pause", "the political track is negotiating a ceasefire":
                # someone else seeks it.
                if not acted_by_other(sentence, s.start, v)
                and not _OTHER_TRACK.search(sentence[: s.start])
                # "convoys reach the villages along the ceasefire line": a place, not a halt sought
                and not _SETTING_AFTER.match(sentence[s.end :])
                # "aid reached the town during last year's truce": the halt is the setting, and it happened
                and not _SETTING_BEFORE.search(sentence[: _last_halt(sentence, s)])
                and not narrated(sentence)
            ]
        )
        if any(asserted(sentence, s.start, s.end, v) for s in spans):
            out.append(sentence)
    return out


def _finding(snapshot: Snapshot, i: Initiative, src: Source | None, found: dict[str, list[str]]) -> Finding:
    d = decision_label(snapshot.decisions[src.decision]) if src and src.decision else ""
    where = f"{d[0].upper()}{d[1:]} on track {label(i)}" if d else f"Track {label(i)}"
    subjects = [i.key, src.decision] if src and src.decision else [i.key]
    evidence = [e for kind in (CONDITIONAL, WORDING) for e in found.get(kind, [])]
    if CONDITIONAL in found:
        kind = CONDITIONAL
        message = f"{where} makes access or aid conditional on a ceasefire or a concession."
        remedy = (
            "Reframe access as the parties' obligation under IHL, owed unconditionally, and keep "
            "any ceasefire talks on their own track."
        )
        severity: Severity = "high"
    else:
        kind = WORDING
        message = f"{where} speaks of a humanitarian ceasefire, truce or pause."
        remedy = (
            "Drop the ceasefire wording from the humanitarian aims: IHL obliges parties to allow "
            "aid through during hostilities, ceasefire or not."
        )
        severity = "medium"
    if d:
        remedy = f"Supersede {d}: " + remedy[0].lower() + remedy[1:]
    return make(ID, WORDS, kind, subjects, severity, message, evidence, remedy, [i.key])


def _judge(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    findings: list[Finding] = []
    own: dict[str, list[str]] = {}
    v = voice(snapshot, i)
    for src in track_texts(snapshot, i, metrics=True):
        framed = framings(
            src.text, v, plan=src.where.split()[0] in _GOALS, humanitarian=i.kind == "humanitarian"
        )
        if CONDITIONAL not in framed:
            held = _condition.conditions(
                src.text, v, humanitarian=i.kind == "humanitarian", plan=src.where.split()[0] in _GOALS
            )
            held = [c for c in held if c.kind != _condition.AGENDA_KIND]
            if held:
                framed[CONDITIONAL] = [c.statement for c in held]
        if (
            not framed
            and src.decision is not None
            and snapshot.decisions[src.decision].kind == "agreement"
            and (terms := agreed_together(src.text, _WORK, _PRICE, v))
        ):
            # aid or access among the terms of an agreement with a halt in the fighting or a price
            framed[CONDITIONAL] = terms
        if i.kind == "humanitarian" and not framed and (aims := halt_as_aim(src.text, src.where, v)):
            framed[WORDING] = aims
        found = {kind: [f'{src.where}: "{excerpt(h)}"' for h in hits] for kind, hits in framed.items()}
        if not found:
            continue
        if src.decision is None:
            for kind, evidence in found.items():
                own.setdefault(kind, []).extend(evidence)
        else:
            findings.append(_finding(snapshot, i, src, found))
    for rl in i.red_lines:
        where = f'red line ({rl.trigger or "no trigger"}): "{excerpt(rl.text)}"'
        framed = framings(rl.text, v, humanitarian=i.kind == "humanitarian")
        # A humanitarian track that pauses or ends when a truce fails makes its aid wait on the truce;
        # a red line about harm done during a truce ("ceasefire violations that hit schools") does not.
        if (
            not framed
            and i.kind == "humanitarian"
            and (_TRUCE_FAILS.search(rl.text) or _FIGHTING_RESUMES.search(rl.text))
        ):
            framed = {CONDITIONAL: [rl.text]}
        for kind in framed:
            own.setdefault(kind, []).append(where)
    if i.kind == "humanitarian" and (waits := _waits_on_truce(snapshot, i)):
        own.setdefault(CONDITIONAL, []).extend(waits)
    if own:
        findings.append(_finding(snapshot, i, None, own))
    return findings


def _waits_on_truce(snapshot: Snapshot, i: Initiative) -> list[str]:
    """The tracks a humanitarian track depends on whose own aim is a halt in the fighting.

    The track's access then waits on the ceasefire, as surely as if its prose said so.
    """
    out: list[str] = []
    # through other humanitarian tracks too: waiting on a track that waits on a truce is waiting on it
    seen, frontier = {i.key}, list(i.depends_on)
    while frontier:
        key = frontier.pop(0)
        other = snapshot.initiatives.get(key)
        if other is None or key in seen:
            continue
        seen.add(key)
        if other.kind == "humanitarian":
            frontier.extend(other.depends_on)
            continue
        goals = [other.title, *other.aims, *other.objectives]
        if any(_halt_sought(g) for g in goals):
            out.append(f"depends on the track {label(other)}, whose aim is a halt in the fighting")
    return out


def _halt_sought(goal: str) -> bool:
    """Whether a track's goal is a halt in the fighting (not a truce that fails, not a ceasefire line)."""
    return not _TRUCE_FAILS.search(goal) and any(
        not _SETTING_AFTER.match(goal[m.end() :]) and not _SETTING_BEFORE.search(goal[: m.start()])
        for m in _HALT.finditer(goal)
    )


def run(snapshot: Snapshot) -> list[Finding]:
    """Tracks that frame access as conditional on a ceasefire or a concession, or use the wording."""
    findings: list[Finding] = []
    for i in planned_or_running_tracks(snapshot):
        judged = _judge(snapshot, i)
        findings.extend(judged or _learned(snapshot, i))
    return findings


def _learned(snapshot: Snapshot, i: Initiative) -> list[Finding]:
    """What the learned reading (`_reading_model`) finds on a track the rules raised nothing on."""
    out: list[Finding] = []
    for decision, evidence in _reading_model.learned(snapshot, i, ID).items():
        src = (
            None if decision is None else next(s for s in track_texts(snapshot, i) if s.decision == decision)
        )
        kind = (
            WORDING
            if all(_WORDING.search(e) and not _CONCESSION.search(e) for e in evidence)
            else CONDITIONAL
        )
        out.append(_finding(snapshot, i, src, {kind: evidence}))
    return out
