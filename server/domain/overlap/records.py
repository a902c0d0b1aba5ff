"""What the overlap index knows of a track, what it answers, and the numbers it answers by."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from server.domain.overlap.text import ASK_GROUPS, FIELD_BITS, FIELD_MASK, GENERIC, NOT_ACCESS, SPARING

ACCESS = FIELD_BITS["access"]

if TYPE_CHECKING:
    from server.domain.snapshot import Initiative

MAX_CANDIDATES = 50
# Below this candidate similarity a pair is not scored (every labelled overlap of the
# tuning sets is far above it).
CANDIDATE_FLOOR = 0.2
# Candidate similarity = PARTY_WEIGHT * party cosine + (1 - PARTY_WEIGHT) * meaning.
PARTY_WEIGHT = 0.4
# A pair is reported from this score on; "high" severity from HIGH_SCORE on. Chosen on
# tests/data/tune/N4.json and the labelled pairs of bench/gen_overlap_pairs.py.
THRESHOLD = 0.45
HIGH_SCORE = 0.7
# Two tracks are on the same question when their meaning is at least this close: the
# bar for forum shopping, where the tracks need not share every party or date.
SAME_QUESTION = 0.25

KINDS = ("humanitarian", "political", "security", "economic")


def other_asks(f1: np.ndarray, f2: np.ndarray) -> np.ndarray:
    """Pairs of tracks that ask different things within a field (`overlap.text.asks`): for
    some group of asks, each names one and they share none (the release of the people
    held and visits to places of detention; an organisation's registration and visas for
    its staff)."""
    out: np.ndarray = np.zeros(np.broadcast(f1, f2).shape, bool)
    for group in ASK_GROUPS:
        a1, a2 = f1 & group, f2 & group
        out |= (a1 != 0) & (a2 != 0) & ((a1 & a2) == 0)
    return out


def other_questions(f1: np.ndarray, f2: np.ndarray) -> np.ndarray:
    """Pairs of tracks on different questions: each names a field of work
    (`overlap.text.fields`) and they share none, or each names a field besides the broad
    ones (`text.GENERIC`: health, access) and they share none of those (polio
    vaccination and fuel for hospitals, both health), or they ask different things
    within a field (`other_asks`), or one seeks what the other's broad fields do not:
    sparing from attack, or a field's own work beside passage alone."""
    asked = other_asks(f1, f2)
    f1, f2 = f1 & FIELD_MASK, f2 & FIELD_MASK
    s1, s2 = f1 & ~GENERIC, f2 & ~GENERIC
    out: np.ndarray = ((f1 != 0) & (f2 != 0) & ((f1 & f2) == 0)) | ((s1 != 0) & (s2 != 0) & ((s1 & s2) == 0))
    # One on a question access is not sought for (detention, accountability), the other
    # on access without it.
    n1, n2 = f1 & NOT_ACCESS & ~f2, f2 & NOT_ACCESS & ~f1
    out |= ((n1 != 0) & ((f2 & ACCESS) != 0)) | ((n2 != 0) & ((f1 & ACCESS) != 0))
    # One on the broad fields alone, the other on sparing from attack, which the first does
    # not name (hospitals spared from air strikes, and medicines for them); or one on
    # passage alone, the other on a question of its own that it does not ask passage for
    # (seed for farmers, and aid boats let across).
    broad1, broad2 = (f1 != 0) & (s1 == 0), (f2 != 0) & (s2 == 0)
    spare1, spare2 = (f1 & SPARING & ~f2) != 0, (f2 & SPARING & ~f1) != 0
    out |= (broad1 & spare2) | (broad2 & spare1)
    passage1, passage2 = broad1 & ((f1 & ACCESS) != 0), broad2 & ((f2 & ACCESS) != 0)
    own1, own2 = (s1 != 0) & ((f1 & ACCESS) == 0), (s2 != 0) & ((f2 & ACCESS) == 0)
    out |= (passage1 & own2) | (passage2 & own1)
    out |= asked
    return out


def same_narrow_question(f1: np.ndarray, f2: np.ndarray) -> np.ndarray:
    """Pairs of tracks that name the same fields of work besides the broad ones
    (`text.GENERIC`), and at least one, and ask nothing different within them: the same
    narrow question."""
    s1, s2 = f1 & FIELD_MASK & ~GENERIC, f2 & FIELD_MASK & ~GENERIC
    out: np.ndarray = (s1 != 0) & (s1 == s2) & ~other_asks(f1, f2)
    return out


def access_only(f1: np.ndarray, f2: np.ndarray) -> np.ndarray:
    """Pairs of tracks that both name access and no other field of work: passage is their
    whole question. (Health is named by the place as often as by the aim: every track at
    a hospital names it.)"""
    out: np.ndarray = ((f1 & FIELD_MASK) == ACCESS) & ((f2 & FIELD_MASK) == ACCESS)
    return out


# Statuses of tracks that run, or are drafted to run: a draft that would start while
# another desk's track runs on the same question is the parallel process to prevent.
LIVE = ("active", "paused", "draft")


@dataclass(frozen=True)
class TrackRecord:
    """What the overlap index knows of one track: plain values, no database row."""

    key: str
    owner: str
    crisis: str
    kind: str
    title: str
    description: str = ""
    aims: tuple[str, ...] = ()
    parties: frozenset[str] = frozenset()
    start: dt.date | None = None
    end: dt.date | None = None
    status: str = "active"
    coordinated_with: frozenset[str] = frozenset()
    # Crises that share a region are searched together: their tracks can overlap.
    region: str | None = None
    objectives: tuple[str, ...] = ()
    # The track's meaning vector, fields and names as stored (`overlap.text.stored`), or
    # None to compute them from the text. Not compared: they follow from the text, which is.
    vector: bytes | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_initiative(cls, i: Initiative, region: str | None = None) -> TrackRecord:
        return cls(
            key=i.key,
            owner=i.owner,
            crisis=i.crisis,
            kind=i.kind,
            title=i.title,
            description=i.description,
            aims=tuple(i.aims),
            parties=frozenset(i.parties),
            start=i.start,
            end=i.end,
            status=i.status,
            coordinated_with=frozenset(i.coordinated_with),
            region=region,
            objectives=tuple(i.objectives),
        )

    @property
    def block(self) -> str:
        return f"region:{self.region.strip().lower()}" if self.region else f"crisis:{self.crisis}"

    def live(self, today: dt.date) -> bool:
        """Running or drafted, and not past its end: the tracks that can run in parallel."""
        return self.status in LIVE and (self.end is None or self.end >= today)


@dataclass(frozen=True)
class PairScore:
    """How strongly two tracks overlap, and the parts the score is made of."""

    a: str
    b: str
    score: float
    party: float
    meaning: float
    time: float
    kind_factor: float

    @property
    def severity(self) -> str:
        return "high" if self.score >= HIGH_SCORE else "medium"


@dataclass(frozen=True)
class ForumGroup:
    """A party engaged at once, on one question, by several uncoordinated tracks of different owners."""

    party: str
    tracks: tuple[str, ...]


@dataclass
class Names:
    """Display names, so that explanations need no snapshot."""

    organisations: dict[str, str] = field(default_factory=dict)
    parties: dict[str, str] = field(default_factory=dict)
    crises: dict[str, str] = field(default_factory=dict)


_BLAS: Any = None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread while the index computes.

    The index multiplies many small matrices (a block is a few hundred tracks). A
    multithreaded BLAS spins its threads for each: on a machine whose cores are busy
    with other work that made 1,000 block products take 8 to 13 s instead of 0.55 s.
    """
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController

        _BLAS = ThreadpoolController()
    with _BLAS.limit(limits=1, user_api="blas"):
        yield


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while a full run makes its many small objects, and
    one BLAS thread (`one_blas_thread`).

    Records, features and findings hold no reference cycles, but each collection of
    the oldest generation walks every live object: with hundreds of thousands of
    tracks that made wording the findings grow faster than the number of tracks.
    The collector is back on (if it was) when the block ends.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        with one_blas_thread():
            yield
    finally:
        if was:
            gc.enable()


def day(d: dt.date | None, default: float) -> float:
    return float(d.toordinal()) if d is not None else default
