"""Candidate search and scoring for overlapping tracks (the paper's don't #4).

The check `server.domain.checks.n4_parallel_tracks` turns what this module finds into
findings; the worker may keep one `OverlapIndex` per process and update it one track
at a time, and gets the same pairs as a full run over the same tracks.

How the search works, and why this way (figures from `bench/overlap_bench.py`):

* Blocking by crisis, or by region when crises share one: tracks on different crises
  never overlap, so a block is the natural first cut and costs nothing to maintain.
* Inside a block, each track is a pair of sparse vectors: its parties (binary) and
  its words (title, description and aims). The words go through a small domain
  thesaurus and truncation stemming, then a stable hash into a fixed space. We chose
  this over sklearn's fitted TF-IDF (char n-grams + words) and over MinHash LSH:
  - fitted TF-IDF gives every track an IDF that depends on all the others, so one
    edit would shift every score and an incremental update could never match a full
    run; hashed features are stateless, and a track's vector depends only on itself.
  - char n-grams catch spelling variants but not "talks" vs "dialogue"; two desks
    describing the same process mostly differ by synonyms, which the thesaurus and
    stemming handle, and by shared proper nouns and parties, which words keep.
    Char n-grams would also put several times more non-zeros in every row (not
    measured here: they were ruled out for the incremental reason above).
  - MinHash LSH estimates Jaccard on shingles, which paraphrases share little of,
    and its buckets add a second approximation on top of blocking (not built here;
    exact neighbours inside a block reach recall 0.999-1.0 against all pairs on 5k).
  Blocks hold at most a few thousand running tracks, so exact nearest neighbours by
  sparse matrix product within the block are cheap and need no approximate index.
* A track's candidates are its nearest eligible neighbours (different owner, running,
  overlapping dates, not coordinated) above a similarity floor, at most 50. A pair is
  scored when either side has the other among its candidates, so the result does not
  depend on which track was edited last.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from server.domain.snapshot import Initiative, Snapshot

MAX_CANDIDATES = 50
# Below this candidate similarity a pair is not scored; every labelled overlap in
# tests/data/overlap_pairs.json is above it (all 170 become candidates).
CANDIDATE_FLOOR = 0.2
# Candidate similarity = PARTY_WEIGHT * party cosine + (1 - PARTY_WEIGHT) * word cosine.
PARTY_WEIGHT = 0.4
# A pair is reported from this score on; "high" severity from HIGH_SCORE on. Chosen on
# the labelled pairs (tests/data/overlap_pairs.jsonl), checked on a second seed.
THRESHOLD = 0.45
HIGH_SCORE = 0.7

_DIM = 1 << 20
_FLOOR_MILLIONTHS = round(CANDIDATE_FLOOR * 1e6)
_INF = float("inf")
# Open-ended dates are clipped to this horizon around today for the time score only.
_HORIZON_DAYS = 730

# Words that say nothing about which process a track is: function words and the
# vocabulary every track in Accord shares.
_STOP = frozenset(
    """a an and are as at be been but by for from has have in into is it its of on or our
    that the their them these this those to was were will with within without would which
    who whose we us also all any both each other such than then there via per upon over
    under about after before during while new more most very can could should may might
    initiative initiatives track tracks process processes effort efforts engagement engage
    engaging work working aim aims goal goals objective objectives seek seeks seeking ensure
    ensuring promote promoting facilitate facilitating establish establishing secure
    securing achieve achieving obtain obtaining pursue pursuing support supporting
    towards toward including include includes part led lead leading take taking make making
    set up out one two three through between among regarding concerning related relating
    government ministry department state states side sides party parties""".split()
)

# A small thesaurus of the domain: desks describe the same thing with these words.
# Keys are the first five letters of a word (after lower-casing), values a concept.
_THESAURUS: dict[str, str] = {}
for _concept, _words in {
    "negotiate": "negotiation negotiate talks dialogue discussion discuss consultation "
    "mediation mediate contacts conversation channel",
    "detain": "detainee detained detention prisoner prisoners captive captives hostage "
    "hostages abductee abducted",
    "release": "release released freeing freed free liberation exchange swap handover",
    "access": "access entry passage reach",
    "aid": "aid assistance relief supplies goods",
    "convoy": "convoy convoys trucks lorries delivery deliveries shipment shipments",
    "ceasefire": "ceasefire truce pause lull cessation armistice",
    "evacuate": "evacuation evacuate evacuees evacuated extraction",
    "wounded": "wounded injured casualties sick patients",
    "medical": "medical medicine medicines health hospital hospitals clinic clinics",
    "water": "water wells pumping",
    "crossing": "crossing crossings checkpoint checkpoints border gate gates",
    "civilian": "civilian civilians population residents inhabitants people",
    "child": "child children minors youth",
    "vaccine": "vaccination vaccine vaccines immunisation immunization inoculation polio measles",
    "food": "food grain wheat flour rations",
    "corridor": "corridor corridors route routes road roads lane",
    "demine": "demining mines landmines explosive clearance",
    "return": "return returns returnees repatriation",
    "displaced": "displaced displacement idps refugees uprooted",
    "missing": "missing disappeared",
    "remains": "remains bodies mortal",
    "protect": "protection protect safety safeguard shield",
    "harvest": "harvest farming farmers crops fields",
    "power": "electricity power grid",
    "siege": "siege besieged blockade encircled encirclement",
    "fuel": "fuel diesel petrol",
    "school": "school schools education classroom classrooms",
    "monitor": "monitoring monitor observers observation verification verify",
    "accord": "agreement deal accord arrangement understanding",
}.items():
    for _w in _words.split():
        _THESAURUS[_w[:5]] = _concept

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


_TERMS: dict[str, str | None] = {}


def _term(word: str) -> str | None:
    """The term a word counts as, or None for a word that carries no meaning here."""
    t = _TERMS.get(word, "")
    if t == "":
        w = word.lower().strip("'-")
        t = None if len(w) < 3 or w in _STOP else _THESAURUS.get(w[:5], w[:5])
        if len(_TERMS) < 500_000:
            _TERMS[word] = t
    return t


_BUCKETS: dict[str, int] = {}


def _bucket(term: str) -> int:
    # crc32, not hash(): str hashes change between processes, and the buckets must not.
    b = _BUCKETS.get(term)
    if b is None:
        b = zlib.crc32(term.encode()) % _DIM
        if len(_BUCKETS) < 500_000:
            _BUCKETS[term] = b
    return b


def terms(text: str) -> list[tuple[str, str]]:
    """The meaningful terms of a text, each with the word it came from."""
    out: list[tuple[str, str]] = []
    for w in _WORD.findall(text):
        t = _term(w)
        if t is not None:
            out.append((t, w))
    return out


def _vector(term_list: Iterable[str], sublinear: bool) -> tuple[np.ndarray, np.ndarray]:
    """Bucket indices (sorted) and l2-normalised weights of a bag of terms."""
    counts: dict[int, float] = {}
    for t in term_list:
        b = _bucket(t)
        counts[b] = counts.get(b, 0.0) + 1.0
    if not counts:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    keys = sorted(counts)
    idx = np.array(keys, np.int64)
    val = np.array([counts[k] for k in keys], np.float64)
    if sublinear:
        val = 1.0 + np.log(val)
    val /= math.sqrt(float(val @ val))
    return idx, val


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while a full run makes its many small objects.

    Records, features and findings hold no reference cycles, but each collection of
    the oldest generation walks every live object: with hundreds of thousands of
    tracks that made wording the findings grow faster than the number of tracks.
    The collector is back on (if it was) when the block ends.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --------------------------------------------------------------------------- records


KINDS = ("humanitarian", "political", "security", "economic")


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
        )

    @property
    def block(self) -> str:
        return f"region:{self.region.strip().lower()}" if self.region else f"crisis:{self.crisis}"

    def running(self, today: dt.date) -> bool:
        """Same rule as `Snapshot.is_running`: active or paused and not past its end."""
        return self.status in ("active", "paused") and (self.end is None or self.end >= today)

    @property
    def text(self) -> str:
        return " ".join((self.title, self.description, *self.aims))


@dataclass(frozen=True)
class _Features:
    party_idx: np.ndarray
    text_idx: np.ndarray
    text_val: np.ndarray
    aims_idx: np.ndarray
    aims_val: np.ndarray

    @classmethod
    def of(cls, r: TrackRecord) -> _Features:
        pidx = np.array(sorted({_bucket("party:" + p) for p in r.parties}), np.int64)
        aims = [t for a in r.aims for t, _ in terms(a)]
        head = [t for t, _ in terms(r.title)] + [t for t, _ in terms(r.description)]
        tidx, tval = _vector(head + aims, sublinear=True)
        aidx, aval = _vector(aims, sublinear=False)
        return cls(pidx, tidx, tval, aidx, aval)


def _day(d: dt.date | None, default: float) -> float:
    return float(d.toordinal()) if d is not None else default


# --------------------------------------------------------------------------- blocks


class _Block:
    """The running tracks of one crisis (or region), as rows of sparse matrices.

    Columns are the block's own: the hashed buckets its tracks use, numbered as they
    come, so a block's matrices and their transposes are as wide as its vocabulary
    (a few thousand), not as the hash space. Each row keeps its entries in bucket
    order, so a dot product sums in the same order whichever side it is computed from
    and however the block was built: a full run and an incremental one agree exactly.

    An update appends the new row and marks the old one dead; dead rows are dropped
    once they are a quarter of the block. Nothing is vectorised again but the track
    that changed.
    """

    MATRICES = ("P", "T", "A")

    def __init__(self, records: list[TrackRecord], feats: list[_Features], ids: OverlapIndex) -> None:
        self.keys: list[str | None] = [r.key for r in records]
        self.slot: dict[str, int] = {r.key: n for n, r in enumerate(records)}
        rows: dict[str, list[tuple[np.ndarray, np.ndarray | None]]] = {
            "P": [(f.party_idx, None) for f in feats],
            "T": [(f.text_idx, f.text_val) for f in feats],
            "A": [(f.aims_idx, f.aims_val) for f in feats],
        }
        every = np.concatenate([i for rs in rows.values() for i, _ in rs] + [np.zeros(0, np.int64)])
        buckets = np.unique(every)
        self.vocab: dict[int, int] = dict(zip(buckets.tolist(), range(len(buckets)), strict=True))
        for name, rs in rows.items():
            setattr(self, name, self._csr(rs, len(buckets), buckets))
        self._transposed: dict[str, sp.csr_matrix] = {}
        self.alive = np.ones(len(records), bool)
        self.owner = np.array([ids.owner_id(r.owner) for r in records], np.int64)
        self.start = np.array([_day(r.start, -_INF) for r in records])
        self.end = np.array([_day(r.end, _INF) for r in records])
        self.kind = np.array([KINDS.index(r.kind) for r in records], np.int64)
        self.npart = np.array([len(f.party_idx) for f in feats], np.float64)
        self.has_aims = np.array([len(f.aims_idx) > 0 for f in feats], bool)
        self.tiebreak = np.array([zlib.crc32(r.key.encode()) for r in records], np.int64)
        # Maybe linked as coordinated with some track (set when a link may exist, never cleared).
        self.linked = np.array([bool(r.coordinated_with or ids._coord_in.get(r.key)) for r in records], bool)

    @staticmethod
    def _csr(
        rows: list[tuple[np.ndarray, np.ndarray | None]], width: int, buckets: np.ndarray | None = None
    ) -> sp.csr_matrix:
        """Stack (columns, values) rows into one CSR matrix; values None means all ones.

        With `buckets` (sorted), the rows hold buckets and a bucket's column is its place there."""
        # int32 indices: scipy checks the contents of int64 ones on every operation.
        indptr = np.zeros(len(rows) + 1, np.int32)
        np.cumsum([len(i) for i, _ in rows], out=indptr[1:])
        indices = np.concatenate([i for i, _ in rows] + [np.zeros(0, np.int64)])
        if buckets is not None:
            indices = np.searchsorted(buckets, indices)
        indices = indices.astype(np.int32)
        # float32 weights: half the memory and bandwidth of the block products; every score
        # is computed from these same products, so full and incremental runs still agree.
        data = np.concatenate([v if v is not None else np.ones(len(i)) for i, v in rows] + [np.zeros(0)])
        data = data.astype(np.float32)
        return sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))

    def __len__(self) -> int:
        return int(self.alive.sum())

    def _local(self, idx: np.ndarray) -> np.ndarray:
        """The block's columns for some buckets, new buckets getting new columns."""
        out = np.empty(len(idx), np.int32)
        for n, b in enumerate(idx.tolist()):
            out[n] = self.vocab.setdefault(b, len(self.vocab))
        return out

    def add(self, r: TrackRecord, f: _Features, ids: OverlapIndex) -> None:
        self.slot[r.key] = len(self.keys)
        self.keys.append(r.key)
        new = {
            "P": (self._local(f.party_idx), None),
            "T": (self._local(f.text_idx), f.text_val),
            "A": (self._local(f.aims_idx), f.aims_val),
        }
        width = len(self.vocab)
        for name, row in new.items():
            m = getattr(self, name)
            m = sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], width))
            setattr(self, name, sp.vstack([m, self._csr([row], width)], format="csr"))
        self._transposed.clear()
        self.alive = np.append(self.alive, True)
        self.owner = np.append(self.owner, ids.owner_id(r.owner))
        self.start = np.append(self.start, _day(r.start, -_INF))
        self.end = np.append(self.end, _day(r.end, _INF))
        self.kind = np.append(self.kind, KINDS.index(r.kind))
        self.npart = np.append(self.npart, float(len(f.party_idx)))
        self.has_aims = np.append(self.has_aims, len(f.aims_idx) > 0)
        self.tiebreak = np.append(self.tiebreak, zlib.crc32(r.key.encode()))
        self.linked = np.append(self.linked, bool(r.coordinated_with or ids._coord_in.get(r.key)))

    def drop(self, key: str) -> None:
        n = self.slot.pop(key)
        self.keys[n] = None
        self.alive[n] = False
        dead = len(self.keys) - len(self.slot)
        if dead > max(16, len(self.keys) // 4):
            self._compact()

    def _compact(self) -> None:
        keep = np.nonzero(self.alive)[0]
        self.keys = [self.keys[int(n)] for n in keep]
        self.slot = {k: n for n, k in enumerate(self.keys) if k is not None}
        for name in self.MATRICES:
            setattr(self, name, getattr(self, name)[keep])
        self._transposed.clear()
        for name in ("alive", "owner", "start", "end", "kind", "npart", "has_aims", "tiebreak", "linked"):
            setattr(self, name, getattr(self, name)[keep])

    def sparse_dots(self, name: str, rows: np.ndarray) -> sp.csr_matrix:
        """Dot products of `rows` with every row of matrix `name` (rows x block), sparse."""
        t = self._transposed.get(name)
        if t is None:
            t = self._transposed[name] = getattr(self, name).T.tocsr()
        out: sp.csr_matrix = getattr(self, name)[rows] @ t
        return out

    def dots(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Dense dot products of `rows` with every row of matrix `name` (rows x block)."""
        out: np.ndarray = self.sparse_dots(name, rows).toarray()
        return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class PairScore:
    """How strongly two tracks overlap, and the parts the score is made of."""

    a: str
    b: str
    score: float
    party: float
    aims: float
    text: float
    time: float
    kind_factor: float

    @property
    def severity(self) -> str:
        return "high" if self.score >= HIGH_SCORE else "medium"


@dataclass(frozen=True)
class ForumGroup:
    """A party engaged at once by several mutually uncoordinated tracks of different owners."""

    party: str
    tracks: tuple[str, ...]


@dataclass
class Names:
    """Display names, so that explanations need no snapshot."""

    organisations: dict[str, str] = field(default_factory=dict)
    parties: dict[str, str] = field(default_factory=dict)
    crises: dict[str, str] = field(default_factory=dict)


# How much a pair of kinds overlaps: two tracks of the same kind compete for the same
# concessions; a humanitarian and a political track on the same parties overlap less
# directly (the political one may carry the humanitarian one), other mixes less still.
def _kind_factor(k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    same = k1 == k2
    hum_pol = ((k1 == 0) & (k2 == 1)) | ((k1 == 1) & (k2 == 0))
    return np.where(same, 1.0, np.where(hum_pol, 0.85, 0.75))


@dataclass(frozen=True)
class _Words:
    """A track's terms for explanations: each term with the first word that gave it, and its aims."""

    first: dict[str, str]
    aims: tuple[tuple[str, frozenset[str]], ...]


# How many tracks' explanation terms an index keeps.
_EXPLAINED = 20_000


@dataclass(frozen=True)
class _Rows:
    """Some rows of a block against all of it: dot products, similarity, eligibility, rank."""

    rows: np.ndarray
    inter: np.ndarray  # shared parties
    text: np.ndarray  # text cosine
    sim: np.ndarray  # candidate similarity, in millionths
    ok: np.ndarray  # eligible and above the floor
    rank: np.ndarray  # similarity then key hash, -1 where not ok


class _Found:
    """Candidate pairs of one block as arrays: slots (low, high) and their dot products.

    A dot product is the same whichever side it is read from (rows keep their entries
    in bucket order), so each pair is kept once, from either side. A focus run may
    find one directed pair twice (as a candidate and in reverse): then it is kept twice
    in `_parts`, and once here (`done(directed_once=False)`).
    """

    def __init__(self) -> None:
        self._parts: list[tuple[np.ndarray, ...]] = []

    def add(self, block: _Block, s: _Rows, at: np.ndarray, cols: np.ndarray) -> None:
        """Pairs (s.rows[at], cols), reading their dot products from `s`."""
        if not len(at):
            return
        rows = s.rows[at]
        if len(at) < 64:
            aims = block.dots("A", rows)[np.arange(len(at)), cols]
        else:
            aims = block.dots("A", s.rows)[at, cols]
        self._parts.append((rows, cols.astype(np.int64), s.inter[at, cols], s.text[at, cols], aims))

    def done(self, directed_once: bool = True) -> _Found:
        """Each pair once. `directed_once`: no (row, column) was added twice."""
        if not self._parts:
            z = np.zeros(0, np.int64)
            self.i, self.j, self.inter, self.text, self.aims = z, z, z * 1.0, z * 1.0, z * 1.0
            return self
        rows, cols, inter, text, aims = (np.concatenate(x) for x in zip(*self._parts, strict=True))
        # Keep (r, c) when r < c, or when (c, r) was not found: a table of the block, no sort.
        size = int(max(rows.max(), cols.max())) + 1
        seen = np.zeros((size, size), bool)
        seen[rows, cols] = True
        keep = np.nonzero((rows < cols) | ~seen[cols, rows])[0]
        if not directed_once:
            _, first = np.unique(rows[keep] * size + cols[keep], return_index=True)
            keep = keep[first]
        self.i, self.j = np.minimum(rows, cols)[keep], np.maximum(rows, cols)[keep]
        self.inter, self.text, self.aims = inter[keep], text[keep], aims[keep]
        self._parts = []
        return self


# --------------------------------------------------------------------------- index


class OverlapIndex:
    """Running tracks blocked by crisis, searchable for overlaps, updatable one track at a time.

    Build it once (`from_snapshot` or `build`), then `update(record)` or `remove(key)` as
    tracks change; `pairs()` and `forum_groups()` answer for all tracks or, given
    `focus`, for the pairs and groups that touch the focus tracks. `today` fixes which
    tracks are running: build a new index when the date changes.
    """

    def __init__(self, today: dt.date, names: Names | None = None, max_candidates: int = MAX_CANDIDATES):
        self.today = today
        self.names = names or Names()
        self.max_candidates = max_candidates
        self.records: dict[str, TrackRecord] = {}
        self.blocks: dict[str, _Block] = {}
        self._block_of: dict[str, str] = {}
        self._coord_in: dict[str, set[str]] = defaultdict(set)
        self._by_party: dict[str, set[str]] = defaultdict(set)
        self._owner_ids: dict[str, int] = {}
        self._explained: dict[str, _Words] = {}
        self._lo = float(today.toordinal() - _HORIZON_DAYS)
        self._hi = float(today.toordinal() + _HORIZON_DAYS)

    # ---------------------------------------------------------------- building

    @classmethod
    def build(
        cls,
        records: Iterable[TrackRecord],
        today: dt.date,
        names: Names | None = None,
        max_candidates: int = MAX_CANDIDATES,
    ) -> OverlapIndex:
        """An index over these tracks, vectorised in bulk."""
        index = cls(today, names, max_candidates)
        grouped: dict[str, list[TrackRecord]] = defaultdict(list)
        with bulk():
            for r in records:
                index._remember(r)
                if r.running(today):
                    grouped[r.block].append(r)
            for block, rs in grouped.items():
                index.blocks[block] = _Block(rs, [_Features.of(r) for r in rs], index)
                for r in rs:
                    index._block_of[r.key] = block
                    for p in r.parties:
                        index._by_party[p].add(r.key)
        return index

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot, max_candidates: int = MAX_CANDIDATES) -> OverlapIndex:
        names = Names(
            organisations={k: o.name for k, o in snapshot.organisations.items()},
            parties={k: p.name for k, p in snapshot.parties.items()},
            crises={k: c.name for k, c in snapshot.crises.items()},
        )
        # A region blocks crises together only when two crises or more name it.
        crises_in: dict[str, int] = defaultdict(int)
        for c in snapshot.crises.values():
            if c.region:
                crises_in[c.region.strip().lower()] += 1
        region = {
            k: c.region
            for k, c in snapshot.crises.items()
            if c.region and crises_in[c.region.strip().lower()] > 1
        }
        records = [TrackRecord.from_initiative(i, region.get(i.crisis)) for i in snapshot.ws.initiatives]
        return cls.build(records, snapshot.today, names, max_candidates)

    def owner_id(self, owner: str) -> int:
        return self._owner_ids.setdefault(owner, len(self._owner_ids))

    def _remember(self, r: TrackRecord) -> None:
        self.records[r.key] = r
        for other in r.coordinated_with:
            self._coord_in[other].add(r.key)
            block = self._block_of.get(other)
            if block is not None:
                self.blocks[block].linked[self.blocks[block].slot[other]] = True

    def _forget(self, key: str) -> None:
        self._explained.pop(key, None)
        old = self.records.pop(key, None)
        if old is None:
            return
        for other in old.coordinated_with:
            self._coord_in[other].discard(key)
        block = self._block_of.pop(key, None)
        if block is not None:
            self.blocks[block].drop(key)
            if not self.blocks[block].slot:
                del self.blocks[block]
            for p in old.parties:
                self._by_party[p].discard(key)
                if not self._by_party[p]:
                    del self._by_party[p]

    def update(self, record: TrackRecord) -> None:
        """Put in a new or changed track; only its own row is vectorised again."""
        self._forget(record.key)
        self._remember(record)
        if record.running(self.today):
            f = _Features.of(record)
            block = self.blocks.get(record.block)
            if block is None:
                self.blocks[record.block] = _Block([record], [f], self)
            else:
                block.add(record, f, self)
            self._block_of[record.key] = record.block
            for p in record.parties:
                self._by_party[p].add(record.key)

    def remove(self, key: str) -> None:
        """Take a deleted track out of the index."""
        self._forget(key)

    def coordinated(self, a: str) -> set[str]:
        """The tracks linked with `a` as coordinated, whichever side recorded the link."""
        rec = self.records.get(a)
        out = set(rec.coordinated_with) if rec else set()
        return out | self._coord_in.get(a, set())

    # ---------------------------------------------------------------- search

    def _similar(self, block: _Block, rows: np.ndarray) -> _Rows:
        """Dot products, candidate similarity and eligibility of `rows` against the whole block.

        Each step works in place on one rows x block array: this is the part of a full
        run that grows with the square of a block's size."""
        inter = block.dots("P", rows)
        text = block.dots("T", rows)
        with np.errstate(divide="ignore"):
            inv = np.where(block.npart > 0, 1.0 / np.sqrt(block.npart), 0.0)
        # Similarity in millionths, a whole number: PARTY_WEIGHT * party cosine + the rest * text.
        sim = np.multiply(inter, inv[rows][:, None])
        sim *= inv[None, :]
        sim *= PARTY_WEIGHT
        sim += (1.0 - PARTY_WEIGHT) * text
        sim *= 1e6
        np.rint(sim, out=sim)
        ok = sim >= _FLOOR_MILLIONTHS
        ok &= block.alive[None, :]
        ok &= block.owner[rows][:, None] != block.owner[None, :]
        ok &= block.start[rows][:, None] <= block.end[None, :]
        ok &= block.start[None, :] <= block.end[rows][:, None]
        for n in np.nonzero(block.linked[rows])[0].tolist():
            key = block.keys[int(rows[n])]
            if key is not None:
                for other in self.coordinated(key):
                    col = block.slot.get(other)
                    if col is not None:
                        ok[n, col] = False
        # One int64 per cell orders by similarity, then by key hash: no Python sort.
        rank = sim.astype(np.int64)
        rank <<= 32
        rank += block.tiebreak[None, :]
        np.copyto(rank, -1, where=~ok)
        return _Rows(rows, inter, text, sim, ok, rank)

    def _top(self, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each row's candidates, its k best eligible cells, as (row of `rank`, column) pairs."""
        k = self.max_candidates
        ok = rank >= 0
        few = ok.sum(axis=1) <= k
        # Rows with k eligible cells or fewer keep them all; only the others need a partition.
        if few.all():
            at, cols = np.nonzero(ok)
            return at, cols
        few_rows = np.nonzero(few)[0]
        at, cols = np.nonzero(ok[few_rows])
        many = np.nonzero(~few)[0]
        part = np.argpartition(-rank[many], k - 1, axis=1)[:, :k]
        return np.concatenate([few_rows[at], np.repeat(many, k)]), np.concatenate([cols, part.ravel()])

    def _chunks(self, block: _Block, rows: np.ndarray) -> Iterator[np.ndarray]:
        # Keep each dense similarity chunk around 2M cells, whatever the block size.
        size = max(1, 2_000_000 // max(1, len(block.keys)))
        for s in range(0, len(rows), size):
            yield rows[s : s + size]

    def candidates(self, key: str) -> list[tuple[str, float]]:
        """The tracks a track is compared with, best first, at most `max_candidates`."""
        block_name = self._block_of.get(key)
        if block_name is None:
            return []
        block = self.blocks[block_name]
        s = self._similar(block, np.array([block.slot[key]]))
        _, top = self._top(s.rank)
        top = top[np.argsort(-s.rank[0, top], kind="stable")]
        return [(str(block.keys[int(c)]), float(s.sim[0, c]) / 1e6) for c in top]

    def _pairs_in_block(self, block: _Block, focus_rows: np.ndarray | None) -> _Found:
        """Slot pairs where either side has the other among its candidates, with their dot products."""
        found = _Found()
        if focus_rows is None:
            for chunk in self._chunks(block, np.nonzero(block.alive)[0]):
                s = self._similar(block, chunk)
                found.add(block, s, *self._top(s.rank))
            return found.done()
        # For a focus track: its own candidates, plus every track above the floor that
        # has the focus track among its own candidates (the reverse direction).
        for chunk in self._chunks(block, focus_rows):
            s = self._similar(block, chunk)
            tops, cols = self._top(s.rank)
            for at, row in enumerate(chunk.tolist()):
                top = cols[tops == at]
                found.add(block, s, np.full(len(top), at), top)
                rest = np.setdiff1d(np.nonzero(s.ok[at])[0], top)
                if len(rest):
                    # `row` is among a row's candidates when fewer than k eligible cells
                    # of that row outrank it: one comparison per row, no sort.
                    s2 = self._similar(block, rest)
                    mine = s2.rank[:, row]
                    above = (s2.rank > mine[:, None]).sum(axis=1)
                    hit = np.nonzero((mine >= 0) & (above < self.max_candidates))[0]
                    found.add(block, s2, hit, np.full(len(hit), row))
        return found.done(directed_once=False)

    def _score_parts(
        self,
        block: _Block,
        i: np.ndarray,
        j: np.ndarray,
        inter: np.ndarray,
        text: np.ndarray,
        aims: np.ndarray,
    ) -> np.ndarray:
        """Scores of slot pairs from their dot products, with their parts as columns:
        score, party, aims, text, time, kind."""
        smaller = np.minimum(block.npart[i], block.npart[j])
        # A track with no parties recorded can't be compared on parties: count it as half.
        party = np.where(smaller > 0, inter / np.maximum(smaller, 1.0), 0.5)
        both_aims = block.has_aims[i] & block.has_aims[j]
        content = np.where(both_aims, 0.5 * aims + 0.5 * text, text)
        s1, e1 = np.clip(block.start[i], self._lo, self._hi), np.clip(block.end[i], self._lo, self._hi)
        s2, e2 = np.clip(block.start[j], self._lo, self._hi), np.clip(block.end[j], self._lo, self._hi)
        shorter = np.maximum(np.minimum(e1 - s1, e2 - s2) + 1.0, 1.0)
        time = np.clip((np.minimum(e1, e2) - np.maximum(s1, s2) + 1.0) / shorter, 0.0, 1.0)
        kind = _kind_factor(block.kind[i], block.kind[j])
        # A product, not a sum: the same parties with other aims, or the same aims with
        # other parties, is a near miss; only both together make one process.
        base = (0.85 + 0.15 * time) * party**0.4 * np.maximum(content, 0.0) ** 0.6
        score = np.round(kind * base, 6)
        return np.stack([score, party, aims, text, time, kind], axis=1)

    def _score_slots(self, block: _Block, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Scores of any slot pairs of a block (as `_score_parts`), dot products computed here."""
        out = np.zeros((len(i), 6))
        for s in range(0, len(i), 200_000):
            ii, jj = i[s : s + 200_000], j[s : s + 200_000]
            rows, at = np.unique(ii, return_inverse=True)
            for chunk_start in range(0, len(rows), 2000):
                chunk = rows[chunk_start : chunk_start + 2000]
                sel = np.nonzero((at >= chunk_start) & (at < chunk_start + len(chunk)))[0]
                r = at[sel] - chunk_start
                c = jj[sel]
                inter = block.dots("P", chunk)[r, c]
                text = block.dots("T", chunk)[r, c]
                aims = block.dots("A", chunk)[r, c]
                out[s + sel] = self._score_parts(block, ii[sel], c, inter, text, aims)
        return out

    def _emit(self, block: _Block, found: _Found, floor: float) -> list[PairScore]:
        if not len(found.i):
            return []
        scores = self._score_parts(block, found.i, found.j, found.inter, found.text, found.aims)
        keep = np.nonzero(scores[:, 0] >= floor)[0]
        out: list[PairScore] = []
        for n in keep.tolist():
            a, b = sorted((str(block.keys[int(found.i[n])]), str(block.keys[int(found.j[n])])))
            out.append(PairScore(a, b, *scores[n].tolist()))
        return out

    def pairs(self, focus: Iterable[str] | None = None, floor: float = THRESHOLD) -> list[PairScore]:
        """Overlapping pairs with a score of at least `floor`: all, or those touching `focus`."""
        out: list[PairScore] = []
        if focus is None:
            for block in self.blocks.values():
                out.extend(self._emit(block, self._pairs_in_block(block, None), floor))
        else:
            by_block: dict[str, list[int]] = defaultdict(list)
            for key in set(focus):
                name = self._block_of.get(key)
                if name is not None:
                    by_block[name].append(self.blocks[name].slot[key])
            for name, rows in by_block.items():
                block = self.blocks[name]
                out.extend(self._emit(block, self._pairs_in_block(block, np.array(sorted(rows))), floor))
        return sorted(out, key=lambda p: (p.a, p.b))

    def score(self, a: str, b: str) -> PairScore | None:
        """The score of any two running tracks of one block, eligible or not (for tests and tools)."""
        name = self._block_of.get(a)
        if name is None or self._block_of.get(b) != name:
            return None
        block = self.blocks[name]
        i, j = sorted((block.slot[a], block.slot[b]))
        row = self._score_slots(block, np.array([i]), np.array([j]))[0]
        x, y = sorted((a, b))
        return PairScore(x, y, *row.tolist())

    # ---------------------------------------------------------------- forum shopping

    def forum_groups(self, min_tracks: int = 3, focus: Iterable[str] | None = None) -> list[ForumGroup]:
        """Parties engaged at once by `min_tracks` or more mutually uncoordinated tracks of different owners."""
        if focus is None:
            parties: Iterable[str] = sorted(self._by_party)
        else:
            fset = set(focus)
            parties = sorted({p for k in fset if k in self._block_of for p in self.records[k].parties})
        out: list[ForumGroup] = []
        for p in parties:
            tracks = self._forum_tracks(p, min_tracks)
            if tracks and (focus is None or fset.intersection(tracks)):
                out.append(ForumGroup(p, tracks))
        return out

    def _forum_tracks(self, party: str, min_tracks: int) -> tuple[str, ...]:
        """The party's tracks that belong to some group of `min_tracks` that all clash.

        Two tracks clash when their owners differ, they are not coordinated, and their
        dates overlap. Dates are intervals, so tracks that clash pairwise are all running
        at one same moment (Helly): a group is a clique of the clash graph.
        """
        keys = sorted(self._by_party.get(party, ()))
        if len(keys) < min_tracks:
            return ()
        recs = [self.records[k] for k in keys]
        owner = np.array([self.owner_id(r.owner) for r in recs])
        if len(set(owner.tolist())) < min_tracks:
            return ()
        start = np.array([_day(r.start, -_INF) for r in recs])
        end = np.array([_day(r.end, _INF) for r in recs])
        clash = (
            (owner[:, None] != owner[None, :])
            & (start[:, None] <= end[None, :])
            & (start[None, :] <= end[:, None])
        )
        pos = {k: n for n, k in enumerate(keys)}
        for n, k in enumerate(keys):
            for other in self.coordinated(k):
                m = pos.get(other)
                if m is not None:
                    clash[n, m] = clash[m, n] = False
        if min_tracks <= 2:
            on = clash.any(axis=1)
            return tuple(k for k, flag in zip(keys, on, strict=True) if flag)
        if min_tracks == 3:
            # Nodes on a triangle: A² counts the paths of length two closing an edge.
            a = clash.astype(np.float32)
            on = ((a @ a) * a).sum(axis=1) > 0
            return tuple(k for k, flag in zip(keys, on, strict=True) if flag)
        return self._in_cliques(keys, clash, min_tracks)

    @staticmethod
    def _in_cliques(keys: list[str], clash: np.ndarray, size: int) -> tuple[str, ...]:
        """Nodes in some clique of `size` (a plain search: settings above three are rare)."""
        nbrs = [set(np.nonzero(row)[0].tolist()) for row in clash]

        def extend(clique: list[int], cand: set[int]) -> list[int] | None:
            if len(clique) >= size:
                return clique
            for u in sorted(cand):
                found = extend([*clique, u], {w for w in cand & nbrs[u] if w > u})
                if found:
                    return found
            return None

        on: set[int] = set()
        for v in range(len(keys)):
            if v not in on:
                clique = extend([v], nbrs[v])
                if clique:
                    on.update(clique)
        return tuple(keys[v] for v in sorted(on))

    # ---------------------------------------------------------------- explanation

    def _words(self, key: str) -> _Words:
        """A track's terms for explanations, kept for the tracks explained lately."""
        w = self._explained.pop(key, None)
        if w is None:
            r = self.records[key]
            first: dict[str, str] = {}
            aims: list[tuple[str, frozenset[str]]] = []
            # Inline `terms`: this runs for every track of every pair a full run words.
            for n, part in enumerate((r.title, r.description, *r.aims)):
                seen: list[str] = []
                for word in _WORD.findall(part):
                    t = _TERMS.get(word, "")
                    if t == "":
                        t = _term(word)
                    if t is not None:
                        seen.append(t)
                        if t not in first:
                            first[t] = word
                if n >= 2:
                    aims.append((part, frozenset(seen)))
            w = _Words(first, tuple(aims))
            if len(self._explained) >= _EXPLAINED:
                # Forget the oldest half: a full run explains each track's pairs close together.
                for old in list(self._explained)[: _EXPLAINED // 2]:
                    del self._explained[old]
        self._explained[key] = w
        return w

    def matched_phrases(self, a: str, b: str, limit: int = 6) -> list[str]:
        """Words the two tracks share (as each wrote them), and their closest pair of aims."""
        wa, wb = self._words(a), self._words(b)
        out: list[str] = []
        for t, w in wa.first.items():
            other = wb.first.get(t)
            if other is not None:
                out.append(f"“{w}”" if w.lower() == other.lower() else f"“{w}” / “{other}”")
                if len(out) == limit:
                    break
        best: tuple[float, str, str] | None = None
        for x, vx in wa.aims:
            for y, vy in wb.aims:
                if vx and vy:
                    j = len(vx & vy) / len(vx | vy)
                    if best is None or j > best[0]:
                        best = (j, x, y)
        if best is not None and best[0] > 0:
            out.append(f"aims “{best[1]}” and “{best[2]}”")
        return out

    def overlap_dates(self, a: str, b: str) -> tuple[dt.date | None, dt.date | None]:
        """The span both tracks run in (None for an open side)."""
        ra, rb = self.records[a], self.records[b]
        starts = [d for d in (ra.start, rb.start) if d is not None]
        ends = [d for d in (ra.end, rb.end) if d is not None]
        return (max(starts) if starts else None, min(ends) if ends else None)
