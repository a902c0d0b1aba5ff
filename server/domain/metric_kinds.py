"""Infer a metric's kind (outcome, output or symbolic) from its name, and suggest outcomes.

The paper (don't #3) asks that metrics "reflect improvements to the conditions needed
for humanitarians to deliver programmes", not trucks counted or visits made. Desk
officers often leave a metric's kind blank, so Accord infers it: a small text model
(TF-IDF over words and character n-grams, then logistic regression) trained from the
names shipped in `server/domain/data/metric_kinds_train.tsv`. Character n-grams let it
generalise to wording it has not seen ("dispensaries operating", "lorries loaded");
word bigrams catch the shapes that matter ("number of", "lifted for"); the name's
sentence vector (the static all-MiniLM-L6-v2 distillation the overlap check uses)
carries words it never saw to the ones they mean; and the vector of the name's
predicate alone (`predicate`: "trained" in "nurses trained in wound care", "operated" in
"cargo flights operated") says what was done, apart from what it was done about. A name's
kind is mostly in its verb: people trained and flights operated are the track's own
activity (outputs, like the paper's "counting trucks"), whatever their topic, while
clinics operating, checkpoints reopened and families able to return are conditions
changed for people; the whole name's vector is pulled by its topic words ("aid",
"people") toward the outcomes they usually appear in. The vector of the name's head
(`head`: the noun it counts, "meetings" in "meetings on lifting permits", "roundtables"
in "roundtables convened on the sieges") says what is counted apart from its topic: an
event or a message counted is the track's own activity however much its topic speaks of
access or release, while rations received, papers held or patients evacuated count a
change for people in whatever words. A time frame after the name's verb ("clinics
reopened since the talks") says since when, not what is counted: it is left out, so
that the event it names is not read as the track's own activity.

The model is fitted on first use and kept for the life of the process; fitting the
shipped file takes a few tens of milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from server.domain.once import once

Kind = Literal["outcome", "output", "symbolic"]
KINDS: tuple[Kind, ...] = ("outcome", "output", "symbolic")

TRAINING_FILE = Path(__file__).resolve().parent / "data" / "metric_kinds_train.tsv"


def read_examples(path: Path) -> list[tuple[str, Kind]]:
    """Read a `name<TAB>kind` file (with a header line) into (name, kind) pairs."""
    rows: list[tuple[str, Kind]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or (n == 0 and line.lower().startswith("name\t")):
            continue
        name, _, kind = line.rpartition("\t")
        if kind not in KINDS or not name.strip():
            raise ValueError(f"{path}:{n + 1}: expected 'name<TAB>kind', got {line!r}")
        rows.append((name.strip(), kind))
    return rows


def _normalise(name: str) -> str:
    # Digits carry no kind ("4 by September", "48 hours"); folding them keeps n-grams general.
    return _without_time_frame(re.sub(r"\d+", "0", name.lower()).strip())


# A time frame after what is counted: it says since when it is counted, not what. Up to a
# comma, a semicolon or a bracket.
_SINCE = re.compile(r"\s+(?:since|after|following|in\s+the\s+wake\s+of)\s+[^,;()]*")


def _without_time_frame(name: str) -> str:
    """The name without a time frame that follows its verb ("schools reopened since the
    ceasefire talks" -> "schools reopened"): the event it dates from is not what is counted,
    and its words ("talks", "visit") would read as the track's own activity. Without a verb
    before it the time is what is counted ("days since the last attack"), and it stays."""
    m = _SINCE.search(name)
    if m is None or not predicate(name[: m.start()]):
        return name
    return (name[: m.start()] + name[m.end() :]).strip()


@dataclass(frozen=True)
class MetricKindModel:
    """A fitted classifier: names in, (kind, confidence) out."""

    pipeline: Any

    def predict(self, names: Sequence[str]) -> list[tuple[Kind, float]]:
        if not names:
            return []
        probs = self.pipeline.predict_proba([_normalise(n) for n in names])
        classes = list(self.pipeline.classes_)
        out: list[tuple[Kind, float]] = []
        for row in probs:
            best = int(row.argmax())
            out.append((cast(Kind, str(classes[best])), float(row[best])))
        return out


# How much the sentence vector weighs beside the TF-IDF features, and balanced class
# weights: chosen by 5-fold cross-validation on the training file alone (0.87 with
# n-grams only, 0.92 with the vector at 1.0 and balanced classes; 1.5 and 2 do no
# better), never on the held-out names.
MEANING_WEIGHT = 1.0


class _Meaning:
    """A transformer giving each name the static all-MiniLM-L6-v2 vector of `server.domain.embedding`.

    Words the training file never saw still land near the words they mean ("meals served"
    beside "rations handed out"), which n-grams alone cannot give.
    """

    def __init__(self, weight: float = MEANING_WEIGHT) -> None:
        self.weight = weight

    def fit(self, names: Sequence[str], y: Any = None) -> _Meaning:
        return self

    def transform(self, names: Sequence[str]) -> Any:
        from scipy import sparse

        from server.domain import embedding

        return sparse.csr_matrix(embedding.model().encode(list(names)) * self.weight)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"weight": self.weight}

    def set_params(self, **params: Any) -> _Meaning:
        self.weight = params.get("weight", self.weight)
        return self


# Participles that do not end in -ed ("meetings held", "sorties flown"); and words that
# end like a verb form but are not one ("children", "hundred", "kitchen").
_IRREGULAR = frozenset(
    "held run sent given flown made done built set met taught brought kept paid shown seen drawn "
    "spent put cut won led fed read begun taken known written sold told found lost left undertaken driven "
    "broken forbidden frozen stolen spoken hidden beaten fallen grown thrown withdrawn overtaken shaken "
    "sworn torn born".split()
)
_NOT_VERBS = frozenset(
    "need seed speed bed red hundred children women men garden kitchen citizen dozen often open even "
    "seven eleven screen chosen".split()
)
# Adjectives that say a condition holds, as a verb would ("staff able to work", "clinics open").
_PREDICATIVE = frozenset("able open available operational functional accessible".split())


def _is_verb_form(w: str) -> bool:
    return w not in _NOT_VERBS and (w in _IRREGULAR or (len(w) > 4 and w.endswith(("ed", "ing"))))


_BEFORE_A_NOUN = frozenset("in of for to the a an by with from on at our their its his her".split())
# Prepositions that open what a name is about ("meetings on permits", "calls about releases").
_TOPIC = frozenset("on about regarding concerning".split())
# How a count or a share is introduced: the predicate comes after what is counted.
_COUNT_LEAD = re.compile(
    r"^(?:%|number|count|tally|share|percentage|proportion|amount|rate|progress on:?)\s+(?:of\s+)?"
)


def _words(name: str) -> list[str]:
    """The name's words, lower case, after any lead of a count ("number of"); letters with
    accents are letters ("démarches", "communiqués")."""
    return re.findall(r"[^\W\d_][\w'-]*", _COUNT_LEAD.sub("", name.lower().strip()))


def predicate(name: str) -> str:
    """The verb that says what the metric counts being done: the first verb form after its subject.

    "nurses trained in wound care" -> "trained"; "clinics operating in Vell" -> "operating";
    "staff able to work" -> "able"; "" where the name has none ("press coverage abroad").
    The name's first word is its subject ("training sessions held" -> "held"), a
    participle after a preposition or a determiner describes a noun ("in allied countries"),
    and once a topic has opened the name's own verb is its last ("reports on roads reopened
    published" -> "published"; "roundtables about reopening schools" -> "").
    """
    words: list[str] = _words(name)
    after_topic: list[str] = []
    for before, w in zip(words, words[1:], strict=False):
        # After a preposition or a determiner a participle describes a noun ("in allied countries").
        if before in _BEFORE_A_NOUN or before in _TOPIC:
            if before in _TOPIC:
                after_topic.append("")
            continue
        if w in _PREDICATIVE or _is_verb_form(w):
            if not after_topic:
                return w
            after_topic.append(w)
    # Once a topic has opened ("reports on roads reopened published"), the name's own verb is
    # the last: the ones before it say what the topic is.
    return next((w for w in reversed(after_topic) if w), "")


# Words that end the name's subject: prepositions, relatives and conjunctions ("meetings
# *on* permits", "districts *where* ...", "families *that* ...").
_ENDS_SUBJECT = (
    _BEFORE_A_NOUN
    | frozenset(
        "about regarding concerning over through across under within during after before since until between into "
        "onto against towards toward per where which who whose that when while as via".split()
    )
    | _PREDICATIVE
)
_DETERMINERS = frozenset("the a an our their its his her this these those".split())
# Measures whose noun follows "of" ("tonnes of flour", "rounds of talks"): the head is that noun.
_MEASURES = frozenset(
    "tonnes tons litres liters hectares kilometres kilograms rounds series batches sets units "
    "total volume value sum minutes hours days weeks months".split()
)


def head(name: str) -> str:
    """The noun the metric counts: the last word of its subject, before any topic or verb.

    "workshops held on reopening markets" -> "workshops"; "bilateral meetings
    on permits" -> "meetings"; "families receiving rations" -> "families"; "tonnes of
    flour delivered" -> "flour". What a name is about ("permits", "sieges") follows the
    head; what it counts is the head, and an event counted is an activity whatever its topic.
    """
    words: list[str] = _words(name)
    subject: list[str] = []
    for w in words:
        if w in _DETERMINERS and not subject:
            continue  # "the pledged funds": a participle after a determiner describes the noun
        if subject and (w in _ENDS_SUBJECT or _is_verb_form(w)):
            if w == "of" and subject and subject[-1] in _MEASURES:
                subject = []
                continue
            break
        subject.append(w)
    return subject[-1] if subject else ""


# How much the predicate's vector weighs: 0.5 and 1.0 did equally by 5-fold cross-validation
# on the training file (0.93 against 0.92 without it); 0.5 keeps every N3 tune case.
PREDICATE_WEIGHT = 0.5


class _WordVector(_Meaning):
    """The static vector of one word picked from the name (zeros where the name has none)."""

    def word(self, name: str) -> str:
        raise NotImplementedError

    def transform(self, names: Sequence[str]) -> Any:
        from scipy import sparse

        from server.domain import embedding

        words = [self.word(n) for n in names]
        vectors = embedding.model().encode([w or "." for w in words])
        vectors[[i for i, w in enumerate(words) if not w]] = 0
        return sparse.csr_matrix(vectors * self.weight)


class _Predicate(_WordVector):
    """The static vector of the name's predicate alone."""

    def __init__(self, weight: float = PREDICATE_WEIGHT) -> None:
        super().__init__(weight)

    def word(self, name: str) -> str:
        return predicate(name)


# How much the head's vector weighs: by 5-fold cross-validation on the training file, 0.5
# did best (0.913 against 0.907 without the head and 0.908 at 1.0).
HEAD_WEIGHT = 0.5


class _Head(_WordVector):
    """The static vector of the name's head noun alone."""

    def __init__(self, weight: float = HEAD_WEIGHT) -> None:
        super().__init__(weight)

    def word(self, name: str) -> str:
        return head(name)


def train(examples: Iterable[tuple[str, str]], meaning: bool = True) -> MetricKindModel:
    """Fit the classifier on (name, kind) pairs; `meaning` adds the vectors of the name, its predicate and its head."""
    # Imported here so that modules importing this one stay cheap until a kind is needed.
    # newton-cg fits this small, wide problem in a few tens of milliseconds (lbfgs: ~0.2 s).
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    pairs = list(examples)
    if not pairs:
        raise ValueError("no training examples")
    parts: list[tuple[str, Any]] = [
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ]
    if meaning:
        parts += [("meaning", _Meaning()), ("predicate", _Predicate()), ("head", _Head())]
    features = FeatureUnion(parts)
    pipeline = Pipeline(
        [
            ("features", features),
            ("clf", LogisticRegression(C=10.0, solver="newton-cg", max_iter=1000, class_weight="balanced")),
        ]
    )
    pipeline.fit([_normalise(n) for n, _ in pairs], [k for _, k in pairs])
    return MetricKindModel(pipeline)


@once
def model() -> MetricKindModel:
    """The process-wide model, fitted from the shipped training file on first use."""
    return train(read_examples(TRAINING_FILE))


def infer(name: str) -> tuple[Kind, float]:
    """The likely kind of a metric named `name`, and the model's confidence (0-1)."""
    return model().predict([name])[0]


def infer_many(names: Sequence[str]) -> list[tuple[Kind, float]]:
    """`infer` for several names at once (one call into the model)."""
    return model().predict(names)


# --------------------------------------------------------------------------- remedies

# Outcome metrics by what an aim is about. The paper names the outcomes that count:
# constraints lifted, staff and funds getting to where people are in need, protection
# and cash programmes running.
_SUGGESTIONS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("access", "corridor", "checkpoint", "crossing", "convoy", "siege", "reach"),
        (
            "access constraints lifted {where} (checkpoints reopened, permits honoured)",
            "days per month of unimpeded humanitarian access {where}",
        ),
    ),
    (
        ("protect", "civilian", "detain", "violence", "child"),
        ("protection programmes running {where}", "incidents against civilians reduced {where}"),
    ),
    (
        ("cash", "market", "bank", "payment", "livelihood", "salar"),
        ("households receiving cash assistance {where}", "humanitarian payments cleared by banks"),
    ),
    (
        ("staff", "visa", "permit", "worker", "registration", "ngo", "presence"),
        (
            "aid workers' visas and travel permits issued and used",
            "humanitarian staff able to work {where}",
        ),
    ),
    (
        ("health", "medical", "hospital", "clinic", "evacuat", "vaccin"),
        ("health services running {where}", "medical evacuations approved within 48 hours"),
    ),
    (
        ("fund", "aid", "relief", "assistance", "food", "water"),
        ("funds reaching local partners {where}", "assistance reaching people in need {where}"),
    ),
)

_DEFAULT_BY_KIND: dict[str, tuple[str, ...]] = {
    "humanitarian": (
        "staff and funds reaching the areas where people are in need",
        "access constraints lifted and access used",
        "protection and cash programmes running",
    ),
    "political": (
        "commitments on humanitarian access implemented on the ground",
        "bureaucratic impediments to aid removed",
    ),
    "security": (
        "deconfliction arrangements respected by all parties",
        "attacks on humanitarian staff and facilities reduced",
    ),
    "economic": (
        "humanitarian exemptions used by banks for aid payments",
        "humanitarian imports cleared without delay",
    ),
}

_WHERE = re.compile(r"\b(?:in|to|for|across|around|of)\s+(the\s+)?([\w' -]+)$", re.IGNORECASE)
_NOT_PLACES = {"access", "aid", "assistance", "civilians", "people", "staff", "detainees", "protection"}


def _where(aim: str) -> str:
    """A place named at the end of an aim ("... to the northern valleys"), as 'in ...'."""
    m = _WHERE.search(aim.strip().rstrip("."))
    if not m:
        return "in the areas in need"
    place = m.group(2).strip()
    if not place or place.split()[0].lower() in _NOT_PLACES:
        return "in the areas in need"
    return f"in {m.group(1) or ''}{place}"


def suggest_outcome_metrics(kind_of_initiative: str, aims: Sequence[str], limit: int = 3) -> list[str]:
    """Outcome metrics that would fit a track of this kind with these aims, best first."""
    out: list[str] = []
    for aim in aims:
        low = aim.lower()
        for words, templates in _SUGGESTIONS:
            if any(w in low for w in words):
                for t in templates:
                    s = t.format(where=_where(aim))
                    if s not in out:
                        out.append(s)
    for s in _DEFAULT_BY_KIND.get(kind_of_initiative, _DEFAULT_BY_KIND["humanitarian"]):
        if s not in out:
            out.append(s)
    return out[:limit]
