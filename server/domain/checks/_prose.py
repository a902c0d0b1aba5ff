"""Reading the prose people write on a track: clauses, and whether a phrase is asserted there.

The checks that judge free text (D2, N1, N2, N5) look for families of expressions
(an aid word, a link, a concession) rather than fixed phrases, and then ask one
question of every match: does the track say this, in its own voice? It does not when
the phrase is

- denied, avoided or rejected ("we will not condition access on a ceasefire", "no
  humanitarian pause", "refuse any trade of aid for recognition");
- reported from another side ("the authorities demand a ceasefire before convoys",
  "Moravel insists relief must wait", "the pause proposed by Orlavia", "according to
  the Front, ..."), unless we take the demand up ("we accepted their demand that ...");
- mentioned as a word rather than used ("avoid the term 'humanitarian truce'").

Word families are written as stems with their inflections (a light lemmatisation:
"suspend", "suspends", "suspended", "suspension"), so that a paraphrase in another
form of the same word still reads the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# A full stop after a short abbreviation ("vs.", "e.g.", "approx.") ends no sentence.
_ABBREVIATION = (
    r"(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bapprox\.)(?<!\bcf\.)(?<!\bno\.)(?<!\bst\.)"
)
_SENTENCE = re.compile(rf"{_ABBREVIATION}(?<=[.!?;])\s+|\n+|(?<=:)\s+(?=[A-Za-z\"'“‘])", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """A text cut into sentences, semicolon clauses and the clauses after a colon."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


_STATEMENT = re.compile(rf"{_ABBREVIATION}(?<=[.!?;])\s+|\n+", re.IGNORECASE)


def statements(text: str) -> list[str]:
    """A text cut into sentences and semicolon clauses, a heading kept with what follows its colon.

    Desk officers write "Convoys: no movement before a truce" and "Demand of the
    Authority: aid only after recognition": the heading names what the clause is about
    and whose words it gives, so the two are read together.
    """
    return [s.strip() for s in _STATEMENT.split(text) if s.strip()]


# A note whose head is a link: "- pending: truce sig.", "Precondition: the Council signs".
_LINK_NOTE = re.compile(
    r"^[\W_]*(?P<link>pending|until|once|after|unless|subject\s+to|(?:pre)?conditions?|prerequisites?|"
    r"depends?\s+on|dependent\s+on|contingent\s+on|conditional\s+on|requires?|waits?\s+(?:for|on))\s*:\s*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)


def notes(parts: Sequence[str]) -> list[str]:
    """Statements with a note that opens on a link joined to the note before it.

    Terse notes put the condition on a line of its own ("- convoys: on hold" / "- pending:
    truce sig."): the link's heading says what the line before waits on, so the two read
    as one statement ("convoys: on hold pending truce sig.").
    """
    out: list[str] = []
    for part in parts:
        m = _LINK_NOTE.match(part)
        if m and out:
            link = m.group("link").lower()
            if re.match(r"(?:pre)?conditions?|prerequisites?", link):
                link = "on condition that"
            out[-1] = f"{out[-1].rstrip(' .;')} {link} {m.group('rest')}"
        else:
            out.append(part)
    return out


def after_of(parts: Sequence[str], n: int, end: int) -> str:
    """What follows a phrase ending at parts[n][end:]: the rest of its statement and the next one."""
    return " ".join([parts[n][end:], *parts[n + 1 : n + 2]])


# --------------------------------------------------------------------------- negation

# A cue within or just before a phrase turns the statement around ("must not be
# conditional on", "we reject any humanitarian truce").
_STRONG_NEGATION = re.compile(
    r"\b(?:not|never|nor|cannot|neither|avoid\w*|reject\w*|refus\w*|declin\w*|rule[sd]?\s+out|ruling\s+out|"
    r"oppos(?:e|es|ed|ing)|resist(?:s|ed|ing)?|regardless|instead\s+of|rather\s+than|irrespective|without\s+any|no\s+longer|"
    r"unconditional\w*|den(?:y|ies|ied)|prevent\w*|forbid\w*|prohibit\w*|whatever|whether\s+or\s+not|with\s+or\s+without"
    r"|come\s+what\s+may)\b|n't\b",
    re.IGNORECASE,
)
# "no" and "without" are too common to reach far: they negate only what follows closely
# ("no humanitarian pause"), not a phrase later in the sentence ("no later than May, ...").
_WEAK_NEGATION = re.compile(r"\b(?:no|without|free\s+of|nothing)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)


_NEGATIVE_HALT = re.compile(
    r"\b(?:agree\w*|commit\w*|promis\w*|undertak\w*|pledg\w*)\s+not\s+to\s+(?:fight|shoot|fire|attack|shell)\w*",
    re.I,
)


# "not ... until" sets a condition, unless what is denied is the waiting itself ("we will not wait
# for a ceasefire before sending the teams").
_NOT_UNTIL = re.compile(
    r"\b(?:not|n't|never)\b(?!\s+(?:\w+\s+)?(?:wait|await|hold\s+(?:back|off)|delay)\w*)"
    r"(?=[^,;]*\b(?:until|till|unless|before|while|whilst|as\s+long\s+as|so\s+long\s+as)\b)",
    re.IGNORECASE,
)
# A "no" before a condition sets it too: "no new funding until it drops its claim".
_CONDITION_AFTER = re.compile(
    r"^[^,;:]*?\b(?:until|till|unless|before|pending|without|if|once)\b", re.IGNORECASE
)
# The phrase as the subject of a denial: "humanitarian ceasefires are not the way to get aid in"
# (not "a truce is not yet in place", which still waits on it).
_DENIED_AFTER = re.compile(
    r"\s+(?:(?:is|are|was|were|would\s+be|will\s+be)\s+(?:not|no|never)\b"
    r"(?!\s+(?:yet|in\s+place|agreed|signed|holding|respected|over|possible|likely|expected|to\b|longer|more|"
    r"permitted|allowed|authori[sz]ed))"
    # or that it touches nothing: "the political process does not slow the repairs"
    r"|(?:(?:does|do|did|will|would|should|must|shall|can|may)\s+not\s+|(?:doesn't|don't|didn't|won't|wouldn't|"
    r"can't|cannot|shouldn't|mustn't)\s+)(?:slow|affect|delay|hold\s+up|condition|determine|touch|change|stop|block|"
    r"hinder|influence|decide|dictate|set)\w*)",
    re.IGNORECASE,
)
# A link whose object is "no" one thing denies the link: "our convoys wait for no truce", "access
# hinges on nothing the Council does" (not "until no shelling is heard", which sets a condition).
_LINK_TO_NONE = re.compile(
    r"\b(?:wait\w*|await\w*|depend\w*|hing\w*|rest\w*|condition\w*|contingent|tied|linked|pegged|subject|subordinated?)"
    r"\s+(?:(?:for|on|upon|to)\s+)?(?:no|none|nothing)\b",
    re.IGNORECASE,
)
# "truce or no truce", "ceasefire or not", "any truce or none": whatever happens to it.
_OR_NOT = re.compile(r"\b(\w+)\s+or\s+no\s+\1\b|\bor\s+not\b(?!\s+at\s+all)|\bor\s+none\b", re.IGNORECASE)


def negated(sentence: str, start: int, end: int) -> bool:
    """Whether the phrase at sentence[start:end] is denied, avoided or rejected where it stands.

    Only the phrase and the few words of its clause before it are read: a "not" earlier
    in the sentence usually belongs to another clause ("since they have not replied,
    suspend ...").
    """
    before = re.split(r"[,:()\u2013\u2014]", sentence[:start])[-1].split()[-6:]
    # A halt in the fighting worded with a "not" ("agree not to fight") denies nothing.
    phrase = _NEGATIVE_HALT.sub(" ", " ".join([*before, sentence[start:end]]))
    # "not ... until" sets a condition ("we will not start the programme until ..."), it denies nothing.
    phrase = _NOT_UNTIL.sub(" ", phrase)
    if (
        _STRONG_NEGATION.search(phrase)
        or any(m.start() <= end + 15 for m in _OR_NOT.finditer(sentence, start))
        or _DENIED_AFTER.match(sentence, end)
        or _LINK_TO_NONE.search(sentence, start, end)
    ):
        return True
    return bool(_WEAK_NEGATION.search(sentence[:start])) and not _CONDITION_AFTER.match(sentence[start:])


# --------------------------------------------------------------------------- voice

# Verbs by which a text reports what someone else wants, says or offers, in their forms.
_REPORTING = (
    r"(?:(?:demand|insist|want|propos|float|suggest|ask|claim|argu|maintain|requir|offer|expect|"
    r"tabl|rais|wish|stipulat|link|condition|warn|threaten|announc|declar|stat|reiterat|repeat|"
    r"counter|respond|urg|hint|signal|indicat)(?:e|es|ed|s|ing)?"
    r"|(?:call|push|press|lobb(?:y|ie))(?:s|es|ed|ing)?\s+for|put(?:s|ting)?\s+forward|set(?:s|ting)?\s+out"
    r"|say|says|said|speaks?|spoke|spoken|talk(?:s|ed)?\s+(?:of|about)|seeks?|sought|ties|tied|tying|makes?|made|holds?|held|tells?|told|repl(?:y|ies|ied)"
    r"|would\s+like|will\s+only|would\s+only)"
)
# Who may stand as the subject of a report: anyone but us.
_FIRST_PERSON = re.compile(r"\b(?:we|our|us|ours|I|my)\b", re.IGNORECASE)
_THIRD_PARTY_NOUN = re.compile(
    r"\b(?:they|them|their|he|she|his|her|authorit\w*|militia\w*|commanders?|front|army|rebels?|insurgents?|"
    r"fighters|side|sides|parties|party|administration|junta|regime|movement|brigades?|group|counterparts?|"
    r"interlocutors?|partners?|allies|ally|donors?|mediators?|governor|anyone|anybody|someone|somebody|whoever)\b",
    re.IGNORECASE,
)
# Capitalised words that name our own offices, not another side ("the Special Envoy proposes").
_OUR_OFFICES = {
    "envoy",
    "minister",
    "ministry",
    "office",
    "embassy",
    "ambassador",
    "department",
    "desk",
    "unit",
    "task",
    "force",
    "cabinet",
    "secretary",
    "president",
    "prime",
    "mission",
    "team",
    "directorate",
    "agency",
    "special",
    "foreign",
    "development",
    "defence",
    "defense",
    "treasury",
    "humanitarian",
    "director",
    "head",
    "deputy",
    "general",
    "coordinator",
    "coordination",
    "cell",
    "state",
    "government",
    "we",
    "our",
    "the",
    "a",
    "an",
}
# A demand or offer named as someone's: "Moravel's demand that", "their proposal of".
_FRAMES = (
    r"(?:demands?|conditions?|proposals?|offers?|insistence|requests?|position|terms|line|ask|wish|call|idea|plan|"
    r"package|preconditions?|letter|note|statement|message|communiqu\w*|ultimatum|reply|response|"
    r"counter-?proposals?|draft|words)"
)
_POSSESSED_FRAME = re.compile(
    rf"(?:\b\w+'s|\b\w+s'|\b(?:their|his|her|its))\s+(?:\w+\s+){{0,2}}?{_FRAMES}\b",
    re.IGNORECASE,
)
# The same named after the frame: "Demand of the Authority", "the letter from the Units".
_FRAME_OF = re.compile(
    rf"\b{_FRAMES}\s+(?:of|from|by)\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s*)+|them|they|him|her)", re.IGNORECASE
)
# A stretch of words in quotation marks: someone's words given as they were said or written.
_QUOTED = re.compile(
    r"(?:(?<=^)|(?<=[\s:(\[]))['‘\"“]((?:[^'’\"”]|(?<=\w)['’](?=\w))+?)['’\"”](?=[\s.,;:)!?]|$)"
)
_BY_FRAME = re.compile(
    r"\b(?:proposed|demanded|floated|suggested|requested|sought|put\s+forward|raised|tabled|offered|"
    r"imposed|set|wanted|advocated|pushed|favoured|favored)\s+by\s+(?!us\b|ourselves\b)",
    re.IGNORECASE,
)
# (not our own: "according to our plan", "according to the Minister's instructions")
_ACCORDING = re.compile(
    r"\baccording\s+to\b(?!\s+(?:our|my|the\s+(?:minister|cabinet|director|desk|ministry|department)\w*)\b)"
    r"|\bin\s+the\s+words\s+of\b|\bas\s+\w+\s+(?:puts?|sees?)\s+it\b",
    re.I,
)
# A phrase followed by who said it: "the humanitarian window the Authority announced", "the pause
# that the Units proposed".
_REPORTED_AFTER = re.compile(
    rf"\s+(?:that\s+|which\s+)?((?:the\s+)?(?:[A-Z][\w'’-]*\s+){{1,3}}|they\s+|he\s+|she\s+)(?:has\s+|had\s+|have\s+)?"
    rf"{_REPORTING}\b"
)
# We take up what another side asked for: then it is ours again.
_TAKEN_UP = re.compile(
    r"\b(?:we|our\s+\w+)\s+(?:\w+\s+){0,2}?(?:accept\w*|agree\w*|endors\w*|support\w*|back\w*|adopt\w*|"
    r"take\s+up|took\s+up|go\s+along|went\s+along|meet|met|grant\w*|honou?r\w*)\b",
    re.IGNORECASE,
)
# Naming a word rather than using it.
_MENTION = re.compile(
    r"\b(?:term|terms|phrase|wording|words?|language|expression|label|notion|concept|framing|"
    r"vocabulary|rhetoric|talk\s+of|references?\s+to|mentions?\s+of|so-called|"
    # naming what someone else calls it: "calling it a ...", "what the Authority calls a ...", "dubbed the lull a ..."
    r"call(?:s|ed|ing)?\s+(?:it|this|that|them|these)|what\s+(?:[\w'’-]+\s+){0,3}?call(?:s|ed)?|"
    r"(?:dubb|labell?|brand|term)(?:s|ed|ing)?\s+(?:[\w'’-]+\s+){0,3}?|referred\s+to\s+as|known\s+as)"
    r"\s*(?:an?\s+|the\s+)?[\"'“‘]?\s*$",
    re.IGNORECASE,
)


_GENERIC_NAME_WORDS = {
    "the",
    "of",
    "for",
    "and",
    "republic",
    "kingdom",
    "state",
    "states",
    "government",
    "ministry",
    "department",
    "office",
    "agency",
    "council",
    "front",
    "army",
    "authority",
    "committee",
    "movement",
    "forces",
    "force",
    "union",
    "people's",
    "peoples",
    "national",
    "provisional",
    "democratic",
    "federal",
    "united",
    "islamic",
    "popular",
    "liberation",
    "self-defence",
    "defence",
    "foreign",
    "affairs",
    "development",
    "humanitarian",
    "aid",
    "relief",
    "international",
    "regional",
    "local",
    "de",
    "facto",
    "administration",
    "group",
    "brigade",
    "units",
    "unit",
    "militia",
    "coalition",
}


def name_words(names: Sequence[str]) -> tuple[str, ...]:
    """The distinctive words of some names ("Moravel" of "Kingdom of Moravel"), to spot them in prose."""
    out: set[str] = set()
    for name in names:
        for w in re.findall(r"[A-Z][\w'-]+", name):
            w = re.sub(r"'s$", "", w)
            if w.casefold() not in _GENERIC_NAME_WORDS and len(w) > 2:
                out.add(w)
        out.update(acronyms(name))
    return tuple(sorted(out))


def acronyms(name: str) -> set[str]:
    """The initials a desk officer writes for a name: "PDF" for "Plateau Defence Forces", "MFA" for
    "Varnia, Ministry of Foreign Affairs", "IVSU" or "IVSDU" for "Irrin Valley Self-Defence Units"."""
    out: set[str] = set()
    for part in name.split(","):
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", part) if w[0].isupper()]
        if len(words) < 2:
            continue
        out.add("".join(w[0] for w in words))
        out.add("".join(x[0] for w in words for x in w.split("-") if x))
    return {a for a in out if len(a) >= 2}


@dataclass(frozen=True)
class Voice:
    """Who speaks in a track's texts: "we" (its owner's government) and the others it may quote."""

    ours_names: tuple[str, ...] = ()
    others_names: tuple[str, ...] = ()

    def ours(self, words: str) -> bool:
        return bool(_FIRST_PERSON.search(words)) or _named(words, self.ours_names)

    def others(self, words: str, sentence_start: bool) -> bool:
        """Whether a subject names someone else: a party, a partner, a third-party noun or a proper name."""
        if _THIRD_PARTY_NOUN.search(words) or _named(words, self.others_names):
            return True
        tokens = words.split()
        # A capital at the head of a sentence proves nothing; inside it, it marks a name
        # (unless it names one of our own offices).
        return any(
            w[:1].isupper() and w.strip(".,'’\"").casefold() not in _OUR_OFFICES
            for w in (tokens[1:] if sentence_start else tokens)
        )


def _named(words: str, names: Sequence[str]) -> bool:
    low = words.casefold()
    return any(re.search(rf"\b{re.escape(n.casefold())}\b", low) for n in names)


def quoted(sentence: str, start: int, voice: Voice) -> bool:
    """Whether the phrase at sentence[start] stands inside someone else's words in quotation marks.

    A quoted stretch of four words or more is a statement, not a term ("From the Units'
    letter: 'no convoys until Brannock recognises the Council'"); it is ours only when the
    words before it give it to us ("our message to them: '...'").
    """
    for m in _QUOTED.finditer(sentence):
        if m.start(1) <= start < m.end(1) and len(m.group(1).split()) >= 4:
            lead = re.split(r"[;.]", sentence[: m.start()])[-1]
            return not (voice.ours(lead) and not _owned_by_other(lead, voice))
    return False


# A heading that names a side and, at most, a frame and the occasion: "PDF line at the Oskel
# meeting:", "Ironwood (via Vessar):"; not one that says what we did ("Agreed with Vessar:").
_HEADING = re.compile(
    rf"^\s*(?P<who>(?:the\s+)?(?:[A-Z][\w'’-]*\s*){{1,3}})(?:\([^)]*\)\s*)?"
    rf"(?:{_FRAMES}\b[^:]*)?:\s*$"
)


def _owned_by_other(head: str, voice: Voice) -> bool:
    """Whether a heading gives what follows to another side: "their proposal", "Demand of the Authority"."""
    heading = _HEADING.match(head)
    if heading:
        who = heading.group("who")
        # a name the workspace knows or a word for another side, not any capital ("Approved:")
        if not voice.ours(who) and (_named(who, voice.others_names) or _THIRD_PARTY_NOUN.search(who)):
            return True
    for m in _POSSESSED_FRAME.finditer(head):
        owner = re.sub(r"'s$|'$", "", m.group(0).split()[0])
        if _ACTED_ON.search(head[: m.start()]):
            continue  # "at the LFA's request, convoys will wait ...": we act on it, the plan is ours
        if not voice.ours(owner) and not _our_office(owner):  # "The Director's proposal:" is ours
            return True
    for m in _FRAME_OF.finditer(head):
        if not voice.ours(m.group(1)) and (
            voice.others(m.group(1), sentence_start=False)
            or m.group(1).lower() in ("them", "they", "him", "her")
        ):
            return True
    return False


_ACCEPT = re.compile(
    r"\b(?:accept\w*|agree\w*|endors\w*|adopt\w*|took\s+up|take\s+up|go(?:ne)?\s+along|went\s+along|consent\w*)\b",
    re.IGNORECASE,
)


def _our_office(subject: str) -> bool:
    """Whether a subject names one of our own offices by its title: "the desk", "the Minister"."""
    named = [w.strip(".,'’\"").casefold() for w in subject.split()]
    named = [
        w for w in named if w and w not in ("the", "a", "an", "our", "has", "have", "had", "was", "were")
    ]
    return bool(named) and all(w in _OUR_OFFICES for w in named)


# Our own acceptance given on its own after a demand: "Agreed by the Minister.", "Accepted."
_BARE_ACCEPT = re.compile(
    r"^\W*(?:(?:was|were|has\s+been|have\s+been)\s+)?(?:agreed|accepted|approved|endorsed)\b(?:\s+by\s+(?P<by>[^.;,]+?))?"
    r"(?:\s+(?:on|in)\s+[^.;,]+)?\s*[.;!]?\s*$",
    re.IGNORECASE,
)
# Acting on another side's demand: "at the LFA's request", "following their proposal".
_ACTED_ON = re.compile(
    r"\b(?:at|on|following|upon|in\s+response\s+to|in\s+line\s+with|pursuant\s+to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def taken_up_after(after: str, voice: Voice) -> bool:
    """Whether the words after a reported demand say that we took it up ("..., and we have accepted that linkage",
    "The desk has accepted this", "Agreed by the Minister.", "... was accepted by Varnia")."""
    for m in _ACCEPT.finditer(after):
        subject = re.split(r"[,:;()]|\b(?:and|but|while|that|which|so)\b", after[: m.start()])[-1]
        if (voice.ours(subject) or _our_office(subject)) and not _STRONG_NEGATION.search(subject):
            return True
        by = re.match(r"\s*by\s+([^.;,]+)", after[m.end() :])
        if by and (voice.ours(by.group(1)) or _our_office(by.group(1))):
            return True
    for part in re.split(r"(?<=[.;])\s+", after):
        bare = _BARE_ACCEPT.match(part)
        if bare and (
            bare.group("by") is None or voice.ours(bare.group("by")) or _our_office(bare.group("by"))
        ):
            return True
    return False


def _named_after(sentence: str, end: int, voice: Voice) -> bool:
    """Whether the words right after a phrase give it to another side: "the window the Authority announced"."""
    m = _REPORTED_AFTER.match(sentence, end)
    return m is not None and not voice.ours(m.group(1)) and voice.others(m.group(1), sentence_start=False)


_SETS_CONDITION = re.compile(
    r"\b(?:only|until|till|once|unless|during|wait\w*|pending|subject\s+to|conditional|contingent|depend\w*|"
    r"in\s+exchange|in\s+return)\b",
    re.IGNORECASE,
)


def reported(sentence: str, start: int, voice: Voice, end: int | None = None) -> bool:
    """Whether the phrase starting at sentence[start] is what another side wants, says or offers."""
    head = sentence[:start]
    if _TAKEN_UP.search(head):
        return False
    if (
        end is not None
        and _named_after(sentence, end, voice)
        and not _SETS_CONDITION.search(sentence, start, end)
    ):
        # "the pause the Authority announced" is theirs; "our convoys enter only during the quiet hours the
        # Authority announced" makes our work wait on them, whoever named the hours
        return True
    if _ACCORDING.search(head) or _BY_FRAME.search(sentence[max(0, start - 80) : start + 120]):
        return True
    if _owned_by_other(head, voice) or quoted(sentence, start, voice):
        return True
    # A reporting verb governs the clause it stands in: "since Hadra has not replied, suspend
    # all contacts" reports nothing.
    tail_at = max(head.rfind(","), head.rfind(";"))
    # (a word joined by a hyphen is no verb: "PDF-held villages")
    for m in re.finditer(rf"(?<![-\w]){_REPORTING}\b", head[tail_at + 1 :], re.IGNORECASE):
        local = head[tail_at + 1 :]
        cut = re.split(r"[,:;()\u2013\u2014]|\b(?:and|but|while|whereas|that|which|so)\b", local[: m.start()])
        subject = cut[-1]
        if not subject.split() or re.search(r"\b(?:is|are|was|were|be|been|being|to)\s*$", subject, re.I):
            continue  # an order or a passive ("propose ...", "aid is tied to ...") is the track's own
        if voice.ours(subject):
            continue
        if voice.others(
            subject, sentence_start=len(cut) == 1 and not head[: m.start()].strip().startswith(("'", '"'))
        ):
            return True
    return False


_PLAN_VERBS = (
    r"propos|urg|want|plan|ask|press|push|call|recommend|insist|intend|decid|agree|seek|wish|demand|require"
)


def acted_by_other(sentence: str, start: int, voice: Voice) -> bool:
    """Whether the verb at sentence[start] has another side as its subject ("Sundar broke off relations").

    For phrases that begin with their verb: the words just before it, back to the clause's
    start, name who acts.
    """
    head = sentence[:start]
    cut = re.split(r"[,:;()\u2013\u2014]|\b(?:and|but|while|whereas|that|which|who|so)\b", head)
    subject = cut[-1]
    if not subject.split() and len(cut) > 1 and re.search(r"\b(?:who|that|which)\s*$", head, re.IGNORECASE):
        subject = cut[-2]  # a relative clause acts through what it stands for: "anyone who ties ..."
    # "we propose that allies have no dealings with it": the plan is ours, whoever carries it out.
    if len(cut) > 1 and re.search(
        rf"\b(?:{_PLAN_VERBS})\w*(?:\s+that)?\s*$", head[: len(head) - len(subject)].rstrip(), re.IGNORECASE
    ):
        before = head[: len(head) - len(subject)]
        if voice.ours(" ".join(before.split()[:-1][-6:])):
            return False
    if not subject.split() or voice.ours(subject):
        return False
    if re.search(
        r"\b(?:to|will|would|should|must|shall|can|may|please|let\s+us)\s*$", subject, re.IGNORECASE
    ):
        subject = re.sub(
            r"\b(?:to|will|would|should|must|shall|can|may)\s*$", "", subject, flags=re.IGNORECASE
        )
    return voice.others(subject, sentence_start=len(cut) == 1)


_PAST = re.compile(r"\b(?:was|were|had|did|went|came|rose|fell|grew|began|\w{2,}ed)\b", re.IGNORECASE)
_NOT_PAST = re.compile(
    r"\b(?:will|would|shall|should|must|can|could|may|might|is|are|am|be|has|have|needs?|only|until|unless|if|once)\b"
    # "to" before a verb, not before what it goes to ("relief to the north resumed")
    r"|\bto\b(?!\s+(?:the|a|an|its|their|our|his|her|this|that|these|those|all|each|every|both|(?-i:[A-Z0-9]))\b)"
    r"|n't\b",
    re.IGNORECASE,
)


def narrated(clause: str) -> bool:
    """Whether a clause tells what happened ("the number of convoys doubled"), not what is to be done.

    "After the March truce, convoys doubled" orders two past events; "convoys resume after a
    truce is signed" sets a condition.
    """
    return bool(_PAST.search(clause)) and not _NOT_PAST.search(clause)


# Asking another side to do something: "press Vessar to release ...", "remind the Authority that ...".
_ASK_OF = re.compile(
    r"\b(?:press\w*|urg\w*|ask\w*|call\w*\s+(?:on|upon)|tell\w*|told|push\w*|request\w*|encourag\w*|pressur\w*|"
    r"lobb\w*|demand\w*|persuad\w*|invit\w*|remind\w*|warn\w*|implor\w*|appeal\w*\s+to)\s+"
    r"(?P<who>(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,2}?)\s+(?:to|that)\s+(?:(?:stop|start|keep|cease|end)\s+)?$",
    re.IGNORECASE,
)


def asked_of_other(sentence: str, start: int, voice: Voice) -> bool:
    """Whether the act at sentence[start] is what we ask of another side, not what we do.

    "Press Vessar to release the aid trucks": Vessar releases them; "tell Ironwood that we
    will release the tranche ...": we do.
    """
    m = _ASK_OF.search(sentence[:start])
    return (
        m is not None
        and not voice.ours(m.group("who"))
        and voice.others(m.group("who"), sentence_start=False)
    )


# The word named as a word after it: "the 'humanitarian truce' language is to be avoided".
_MENTIONED_AFTER = re.compile(
    # (not "terms": "the ceasefire terms" are the deal's)
    r"['’\"”]?\s*(?:language|wording|terminology|labels?|phrases?|framing|vocabulary|rhetoric)\b",
    re.IGNORECASE,
)


def mentioned(sentence: str, start: int) -> bool:
    """Whether the phrase at sentence[start] is named as a word ("the term 'humanitarian truce'")."""
    return bool(_MENTION.search(sentence[:start]))


# Verbs that make one thing wait on another or put it to use: whoever stands before them acts.
_LINKING_VERB = re.compile(
    r"(?:condition|tie|ties|tied|tying|link|links|linked|linking|peg|pegs|pegged|make|makes|made|making|subordinat|"
    r"trade|traded|trades|trading|swap|barter|exchang|use|uses|used|using|leverag|put|puts|putting|hold|held|withh)\w*\b",
    re.IGNORECASE,
)


# A proposal, in the clause before a phrase: "Defence proposed tying the next fuel deliveries to ...".
_PROPOSED = re.compile(
    r"\b(?:propos\w*|suggest\w*|floated|recommend\w*|raised|put\s+forward|tabled|wanted|wants?|asked|asks|"
    r"request\w*|urg(?:e|es|ed|ing)|pushed\s+for|pressed\s+for|called\s+for)\b",
    re.IGNORECASE,
)
# What turns it down: "Declined.", "The Minister declined: ...", "This was rejected".
_TURNED_DOWN = re.compile(
    r"^\W*(?P<who>(?:[\w'’-]+\s+){0,4}?)(?:(?:was|were|has\s+been|have\s+been)\s+)?(?:declined|refused|rejected|"
    r"turned\s+(?:it\s+|this\s+|that\s+)?down|vetoed|overruled|ruled\s+(?:it\s+|this\s+)?out|not\s+accepted|"
    r"did\s+not\s+accept)\b",
    re.IGNORECASE,
)


def declined_after(sentence: str, start: int, end: int, after: str, voice: Voice) -> bool:
    """Whether the phrase at sentence[start] is a proposal that the next statement turns down for us.

    "Defence proposed tying the fuel deliveries to the ridge talks. The Minister declined":
    the linkage never became the track's. A proposal the other side turns down stays ours
    ("we proposed ...; the Authority refused"). `after` is the rest of the sentence and the
    next statement (`after_of`).
    """
    clause = re.split(r"[;:()\u2013\u2014]|,\s*(?:but|and|while)\b", sentence[:start])[-1]
    if not _PROPOSED.search(clause):
        return False
    tail = sentence[end:]
    nxt = after[len(tail) :] if after.startswith(tail) else after.split(".", 1)[-1]
    m = _TURNED_DOWN.match(nxt.strip())
    return m is not None and not (
        voice.others(m.group("who"), sentence_start=True) and not voice.ours(m.group("who"))
    )


def asserted(sentence: str, start: int, end: int, voice: Voice, after: str = "") -> bool:
    """Whether the track says the phrase at sentence[start:end] itself, and means it.

    `after` is what follows the phrase (the rest of its sentence, the next one): a demand
    reported there may be taken up ("...; we have agreed"), a proposal turned down ("...
    The Minister declined").
    """
    if negated(sentence, start, end) or mentioned(sentence, start) or _MENTIONED_AFTER.match(sentence, end):
        return False
    if after and declined_after(sentence, start, end, after, voice):
        return False
    other = reported(sentence, start, voice, end) or (
        bool(_LINKING_VERB.match(sentence, start)) and acted_by_other(sentence, start, voice)
    )
    return not other or taken_up_after(after or sentence[end:], voice)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def spans(pattern: re.Pattern[str], sentence: str) -> list[Span]:
    return [Span(m.start(), m.end()) for m in pattern.finditer(sentence)]


def ordered(
    sentence: str,
    parts: Sequence[re.Pattern[str]],
    gap: int = 90,
    boundary: re.Pattern[str] | None = None,
) -> Iterator[Span]:
    """Every way the patterns occur in this order in a sentence, each within `gap` characters of the last.

    A `boundary` between two parts (a new clause, "but") breaks the chain.
    """

    def walk(i: int, after: int, first: int) -> Iterator[Span]:
        for s in spans(parts[i], sentence):
            if s.start < after or (i and s.start - after > gap):
                continue
            if i and boundary and boundary.search(sentence[after : s.start]):
                continue
            start = s.start if i == 0 else first
            if i == len(parts) - 1:
                yield Span(start, s.end)
            else:
                yield from walk(i + 1, s.end, start)

    yield from walk(0, 0, 0)


def family(*alternatives: str) -> str:
    """Alternatives joined into one non-capturing group, longest first so none shadows another."""
    return "(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + ")"


def words(pattern: str) -> re.Pattern[str]:
    """A pattern matched on word boundaries, ignoring case."""
    return re.compile(rf"\b{pattern}\b", re.IGNORECASE)
