"""A learned reading of a sentence for D2 and N1, for the prose the phrase rules miss.

The rules of `_prose` and `_lexicon` are certain where they fire, but people write the
same framing in words no rule foresaw ("relief flights resume the day the Front signs",
"the grain goes north once the council backs our man"). This reading scores a sentence
by what it means rather than by its phrases: the sentence's vector from the shipped
static distillation of all-MiniLM-L6-v2 (`embedding`), next to a few facts of its
structure that a mean of word vectors cannot see (which families of words it holds,
whether it negates, tells of the past, or names another side, what kind of track and
what kind of text it is). One logistic regression per principle turns them into a
probability.

The weights are made by `bench/train_prose_model.py --with-apart` from the tune sets only
(`tests/data/tune/`, and the tune parts of the sets written apart, their held-aside
cases left out), labelled by the rules (the clause-level reading of condition included),
shipped as `data/prose_model.npz` and checked against their SHA-256 when loaded. Running the reading needs numpy alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from server.domain import embedding
from server.domain.checks import _condition
from server.domain.checks import _lexicon as lx
from server.domain.checks._common import excerpt, track_texts, voice
from server.domain.checks._prose import (
    Voice,
    asserted,
    family,
    narrated,
    negated,
    statements,
    words,
)
from server.domain.once import once
from server.domain.snapshot import Initiative, Snapshot

PATH = Path(__file__).resolve().parent.parent / "data" / "prose_model.npz"
SHA256 = "b602f53e57e7bbae9469d458efaab03a1eeaa5d0358928da73f5df9da9ec3b45"
PRINCIPLES = ("D2", "N1")

_FAMILIES = {
    "aid": lx.AID,
    "access": lx.ACCESS,
    "work": lx.WORK,
    "halt": lx.HALT,
    "hum_halt": lx.HUMANITARIAN_HALT,
    "truce": lx.TRUCE,
    "political": lx.POLITICAL,
    "military": lx.MILITARY,
    "economic": lx.ECONOMIC,
    "link": lx.LINK,
    "exchange": lx.EXCHANGE,
    "trade_verb": lx.TRADE_VERB,
    "inducement": lx.INDUCEMENT,
    "chip": lx.CHIP,
    "purpose": lx.PURPOSE,
    "talks": lx.TALKS,
    "enabling": lx.ENABLING,
    "time": lx.TIME,
    "condition_head": lx.CONDITION_HEAD,
    "seek": lx.SEEK,
    "agenda_event": lx.AGENDA_EVENT,
    "agenda_aim": lx.AGENDA_AIM,
    "standing": lx.STANDING,
    "campaign": lx.CAMPAIGN,
}
_PATTERNS = {name: words(p) for name, p in _FAMILIES.items()}
_NEGATION = re.compile(
    r"\b(?:not|never|nor|cannot|neither|no|without|avoid\w*|reject\w*|refus\w*|declin\w*|regardless|"
    r"irrespective|unconditional\w*|whatever|independent\w*|separate\w*|apart)\b|n't\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|until|once|provided|only|when|after|before|in\s+return|in\s+exchange|conditional|"
    r"contingent|depend\w*|subject\s+to|so\s+that|as\s+soon\s+as|in\s+step)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“”]|(?:^|\s)[‘']")
_PLACES = ("title", "description", "aim", "objective", "leverage", "metric", "decision", "red")
STRUCTURE = (
    *_FAMILIES,
    "negation",
    "conditional",
    "narrated",
    "quoted",
    "others",
    "ours",
    "humanitarian_track",
    *(f"in_{p}" for p in _PLACES),
    "give_and_price",
    "give_and_halt",
    "hum_and_halt",
    "give_and_link",
)


def structure(sentence: str, v: Voice, humanitarian: bool, where: str) -> np.ndarray:
    """The facts of a sentence's structure, as numbers (names in `STRUCTURE`)."""
    has = {name: 1.0 if p.search(sentence) else 0.0 for name, p in _PATTERNS.items()}
    give = max(has["aid"], has["access"], has["work"])
    price = max(has["political"], has["military"], has["economic"], has["talks"])
    place = where.split()[0] if where else ""
    row = [
        *has.values(),
        1.0 if _NEGATION.search(sentence) else 0.0,
        1.0 if _CONDITIONAL.search(sentence) else 0.0,
        1.0 if narrated(sentence) else 0.0,
        1.0 if _QUOTE.search(sentence) else 0.0,
        1.0 if v.others(sentence, sentence_start=True) else 0.0,
        1.0 if v.ours(sentence) else 0.0,
        1.0 if humanitarian else 0.0,
        *(1.0 if place == p else 0.0 for p in _PLACES),
        give * price,
        give * has["halt"],
        (1.0 if humanitarian else 0.0) * has["halt"],
        give * max(has["link"], has["exchange"], has["condition_head"]),
    ]
    return np.asarray(row, np.float32)


def vectors(sentences: list[str]) -> np.ndarray:
    """The sentences' meaning vectors: the whole, what comes before its condition, and the condition.

    A mean of word vectors ignores order; cut at the first word that sets a condition or an
    exchange ("once", "unless", "in return"), the two halves tell what is offered from what
    it waits on.
    """
    heads, tails = [], []
    for x in sentences:
        m = _CONDITIONAL.search(x)
        heads.append(x[: m.start()] if m else x)
        tails.append(x[m.start() :] if m else "")
    model = embedding.model()
    return np.hstack([model.encode(sentences), model.encode(heads), model.encode(tails)])


@dataclass(frozen=True)
class Reading:
    """One logistic regression per principle over [meaning vector, structure]."""

    mean: np.ndarray
    scale: np.ndarray
    weights: dict[str, np.ndarray]
    bias: dict[str, float]
    threshold: dict[str, float]

    def probabilities(self, rows: np.ndarray, principle: str) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.weights[principle] + self.bias[principle]
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"mean": self.mean, "scale": self.scale}
        for p in self.weights:
            arrays[f"w_{p}"] = self.weights[p].astype(np.float32)
            arrays[f"b_{p}"] = np.asarray([self.bias[p]], np.float64)
            arrays[f"t_{p}"] = np.asarray([self.threshold[p]], np.float64)
        with path.open("wb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path = PATH, check: bool = True) -> Reading:
        data = path.read_bytes()
        if check and SHA256 and hashlib.sha256(data).hexdigest() != SHA256:
            raise embedding.ModelFileError(f"{path}: SHA-256 differs from the shipped reading's")
        with np.load(path, allow_pickle=False) as z:
            ps = [k[2:] for k in z.files if k.startswith("w_")]
            return cls(
                mean=z["mean"],
                scale=z["scale"],
                weights={p: z[f"w_{p}"] for p in ps},
                bias={p: float(z[f"b_{p}"][0]) for p in ps},
                threshold={p: float(z[f"t_{p}"][0]) for p in ps},
            )


def _input(said: Sequence[tuple[str, str]], v: Voice, humanitarian: bool) -> np.ndarray:
    """The model's input for sentences, each with where it was said."""
    if not said:
        return np.zeros((0, 3 * embedding.DIMS + len(STRUCTURE)), np.float32)
    s = np.stack([structure(x, v, humanitarian, where) for x, where in said])
    return np.hstack([vectors([x for x, _ in said]), s])


def rows(sentences: list[str], v: Voice, humanitarian: bool, where: str) -> np.ndarray:
    """The model's input for sentences of one text."""
    return _input([(x, where) for x in sentences], v, humanitarian)


@once
def reading() -> Reading:
    """The shipped reading, loaded (and checked) once per process."""
    return Reading.load()


_GIVE = words(family(lx.AID, lx.ACCESS, lx.WORK))


def speaks(sentence: str, v: Voice, where: str = "") -> bool:
    """Whether a sentence is the track's own plan about aid or access, meant as said.

    A mean of word vectors cannot tell "aid waits on recognition" from "aid never waits on
    recognition", nor our plan from the other side's demand or from a past event: the
    reading scores only sentences that name aid, access or humanitarian work, deny nothing,
    report nobody else's words and tell no past event (a decision may: it records what
    stands). The rules read those others finely.
    """
    # A decision records in the past what stands ("Package agreed: relief flights resume ...").
    told = narrated(sentence) and not where.startswith("decision")
    if negated(sentence, 0, len(sentence)) or told:
        return False
    return any(asserted(sentence, m.start(), m.end(), v) for m in _GIVE.finditer(sentence))


_TIES = ("link", "exchange", "chip")
# A condition that heads its clause ("Should the Front sign, ..."); inside a clause "should" is a modal.
_HEAD = re.compile(rf"(?:^|[,;:(]\s*)\W*{lx.CONDITION_HEAD}", re.IGNORECASE)


def ties(sentence: str) -> bool:
    """Whether a sentence sets a condition or names a trade, a link or a price.

    Aid framed as conditional, or handed out as a price, is said with one of these; a
    sentence with none ("medical supplies reach Vell while the talks continue", "since the
    ceasefire collapsed, convoys face shelling") may sit beside an agenda or a truce
    without hanging on it. The rules read the truce's own wording; the reading does not
    guess.
    """
    return bool(_CONDITIONAL.search(sentence) or _HEAD.search(sentence)) or any(
        _PATTERNS[name].search(sentence) for name in _TIES
    )


def _judged(
    said: Sequence[tuple[str, str, str | None]], v: Voice, humanitarian: bool, principle: str
) -> list[tuple[str, str, str | None]]:
    """Of (sentence, where, decision), those the reading holds to frame aid or access as the
    principle forbids; only sentences it scores (`speaks`, `ties`) are read, in one batch."""
    # a statement of when the work stops, or of harm answered, is a red line's business, never a price
    # nor one whose every condition is the aid's own needs (its staff, trucks, permits, safety)
    # nor one the clause reading holds to be the other principle's alone: aid waiting on a halt in the
    # fighting is N1's, aid steered by its recipients' side or put to work on a party is D2's
    alone = _condition.AGENDA_KIND if principle == "N1" else _condition.HALT_KIND
    said = [
        x
        for x in said
        if speaks(x[0], v, x[1])
        and ties(x[0])
        and not _condition.stops_on_harm(x[0])
        and not _condition.own_needs_only(x[0], v)
        and not _only_kind(x[0], v, humanitarian, alone)
    ]
    if not said:
        return []
    r = reading()
    p = r.probabilities(_input([(x, where) for x, where, _ in said], v, humanitarian), principle)
    return [x for x, q in zip(said, p, strict=True) if q >= r.threshold[principle]]


def _only_kind(sentence: str, v: Voice, humanitarian: bool, kind: str) -> bool:
    """Whether every condition the clause reading finds in a sentence is of this kind (and it finds one)."""
    kinds = {c.kind for c in _condition.conditions(sentence, v, humanitarian)}
    return kinds == {kind}


def flagged(sentences: list[str], v: Voice, humanitarian: bool, where: str, principle: str) -> list[str]:
    """The sentences of one text the reading holds to frame aid or access as the principle forbids."""
    return [x for x, _, _ in _judged([(x, where, None) for x in sentences], v, humanitarian, principle)]


# The training script reads the rules alone, to label sentences by what they find.
ENABLED = True


def learned(snapshot: Snapshot, i: Initiative, principle: str) -> dict[str | None, list[str]]:
    """The track's sentences the reading flags, as alert evidence, by the decision they belong to.

    The key None gathers the track's own texts (title, description, aims, objectives,
    leverage, metrics, red lines); a decision's key its text. All the sentences of a track
    are scored in one batch.
    """
    if not ENABLED:
        return {}
    v = voice(snapshot, i)
    hum = i.kind == "humanitarian"
    texts = [(s.where, s.text, s.decision) for s in track_texts(snapshot, i, metrics=True)]
    # a red line that names aid put into play as what stops the work guards the separation
    texts += [
        (f"red line ({rl.trigger or 'no trigger'})", rl.text, None)
        for rl in i.red_lines
        if not _condition.guards_separation(rl.text)
    ]
    said = [(sentence, where, decision) for where, text, decision in texts for sentence in statements(text)]
    out: dict[str | None, list[str]] = {}
    for sentence, where, decision in _judged(said, v, hum, principle):
        out.setdefault(decision, []).append(f'{where}: "{excerpt(sentence)}"')
    return out
