"""One block of the overlap index: the live tracks of a crisis (or region) as dense arrays.

Each track is a row: its meaning vector, quantised to whole numbers (int16, the unit
vector times `SCALE`), its parties as a 0/1 row over the block's own party columns,
and its owner, dates, kind and link flag. Dot products are taken in float64 over those
whole numbers, so they are exact, and the same whichever rows they are computed with:
a full run and an incremental one agree to the last digit.

An update appends the new row and marks the old one dead; dead rows are dropped once
they are a quarter of the block. Nothing is computed again but the track that changed.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from server.domain.overlap.records import KINDS, TrackRecord, day

if TYPE_CHECKING:
    from server.domain.overlap.index import OverlapIndex

# Unit vectors times SCALE, rounded: 128 products of at most 2^20 sum exactly in float64.
SCALE = 1024
_INF = float("inf")
_COLUMNS = ("alive", "owner", "start", "end", "kind", "npart", "tiebreak", "linked", "fields", "sitemask")


class Block:
    """The live tracks of one crisis (or region), searchable by dense products."""

    def __init__(
        self,
        records: list[TrackRecord],
        vecs: np.ndarray,
        fields: list[int],
        sites: list[frozenset[str]],
        ids: OverlapIndex,
    ) -> None:
        self.keys: list[str | None] = [r.key for r in records]
        # Fields of work (bits) and place names, with a 64-bit mask of the names: two
        # masks that share no bit are two sets that share no name.
        self.fields = np.array(fields, np.int64)
        self.sites: list[frozenset[str] | None] = list(sites)
        self.sitemask = np.array([site_mask(x) for x in sites], np.uint64)
        self.slot: dict[str, int] = {r.key: n for n, r in enumerate(records)}
        self.party_col: dict[str, int] = {}
        for r in records:
            for p in sorted(r.parties):
                self.party_col.setdefault(p, len(self.party_col))
        self.q = quantise(vecs)
        self.pm = np.zeros((len(records), len(self.party_col)), np.uint8)
        for n, r in enumerate(records):
            self.pm[n, [self.party_col[p] for p in r.parties]] = 1
        self.alive = np.ones(len(records), bool)
        self.owner = np.array([ids.owner_id(r.owner) for r in records], np.int64)
        self.start = np.array([day(r.start, -_INF) for r in records])
        self.end = np.array([day(r.end, _INF) for r in records])
        self.kind = np.array([KINDS.index(r.kind) for r in records], np.int64)
        self.npart = np.array([len(r.parties) for r in records], np.float64)
        self.tiebreak = np.array([zlib.crc32(r.key.encode()) for r in records], np.int64)
        # Maybe linked as coordinated with some track (set when a link may exist, never cleared).
        self.linked = np.array([bool(r.coordinated_with or ids.coord_in.get(r.key)) for r in records], bool)
        self._f64: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return int(self.alive.sum())

    def add(
        self, r: TrackRecord, vec: np.ndarray, fields: int, sites: frozenset[str], ids: OverlapIndex
    ) -> None:
        self.slot[r.key] = len(self.keys)
        self.keys.append(r.key)
        self.fields = np.append(self.fields, fields)
        self.sites.append(sites)
        self.sitemask = np.append(self.sitemask, np.uint64(site_mask(sites)))
        for p in sorted(r.parties):
            if p not in self.party_col:
                self.party_col[p] = len(self.party_col)
                self.pm = np.hstack([self.pm, np.zeros((len(self.pm), 1), np.uint8)])
        row = np.zeros((1, len(self.party_col)), np.uint8)
        row[0, [self.party_col[p] for p in r.parties]] = 1
        self.pm = np.vstack([self.pm, row])
        self.q = np.vstack([self.q, quantise(vec[None, :])])
        self.alive = np.append(self.alive, True)
        self.owner = np.append(self.owner, ids.owner_id(r.owner))
        self.start = np.append(self.start, day(r.start, -_INF))
        self.end = np.append(self.end, day(r.end, _INF))
        self.kind = np.append(self.kind, KINDS.index(r.kind))
        self.npart = np.append(self.npart, float(len(r.parties)))
        self.tiebreak = np.append(self.tiebreak, zlib.crc32(r.key.encode()))
        self.linked = np.append(self.linked, bool(r.coordinated_with or ids.coord_in.get(r.key)))
        self._f64 = None

    def drop(self, key: str) -> None:
        n = self.slot.pop(key)
        self.keys[n] = None
        self.sites[n] = None
        self.alive[n] = False
        dead = len(self.keys) - len(self.slot)
        if dead > max(16, len(self.keys) // 4):
            self._compact()

    def _compact(self) -> None:
        keep = np.nonzero(self.alive)[0]
        self.keys = [self.keys[int(n)] for n in keep]
        self.sites = [self.sites[int(n)] for n in keep]
        self.slot = {k: n for n, k in enumerate(self.keys) if k is not None}
        self.q, self.pm = self.q[keep], self.pm[keep]
        for name in _COLUMNS:
            setattr(self, name, getattr(self, name)[keep])
        self._f64 = None

    def _float(self) -> tuple[np.ndarray, np.ndarray]:
        if self._f64 is None:
            self._f64 = (self.q.astype(np.float64), self.pm.astype(np.float64))
        return self._f64

    def dots(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shared parties and meaning (cosine) of `rows` with every row of the block (rows x block)."""
        q, pm = self._float()
        inter = pm[rows] @ pm.T
        meaning = q[rows] @ q.T
        meaning *= 1.0 / (SCALE * SCALE)
        return inter, meaning

    def pair_dots(self, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shared parties and meaning of slot pairs (i[n], j[n])."""
        q, pm = self._float()
        inter = np.einsum("ij,ij->i", pm[i], pm[j])
        meaning = np.einsum("ij,ij->i", q[i], q[j]) * (1.0 / (SCALE * SCALE))
        return inter, meaning

    def other_sites(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Slot pairs whose tracks each name places and share none."""
        mi, mj = self.sitemask[i], self.sitemask[j]
        both = (mi != 0) & (mj != 0)
        common = mi & mj
        out: np.ndarray = both & (common == 0)
        # Masks that share a bit may still be names that differ: look at those alone.
        for n in np.nonzero(both & (common != 0))[0].tolist():
            a, b = self.sites[int(i[n])], self.sites[int(j[n])]
            if a is not None and b is not None and a.isdisjoint(b):
                out[n] = True
        return out

    def vector(self, key: str) -> np.ndarray:
        """A track's quantised meaning vector."""
        out: np.ndarray = self.q[self.slot[key]]
        return out


def site_mask(names: frozenset[str]) -> int:
    """The bits of a set of names: one of 64 for each name, by its CRC-32."""
    out = 0
    for name in names:
        out |= 1 << (zlib.crc32(name.encode()) & 63)
    return out


def quantise(vecs: np.ndarray) -> np.ndarray:
    """Unit vectors as whole numbers (int16), the form every product is taken in."""
    out: np.ndarray = np.rint(np.asarray(vecs, np.float64) * SCALE).astype(np.int16)
    return out


@dataclass(frozen=True)
class Rows:
    """Some rows of a block against all of it: dot products, similarity, eligibility, rank."""

    rows: np.ndarray
    inter: np.ndarray  # shared parties
    meaning: np.ndarray  # cosine of the meaning vectors
    sim: np.ndarray  # candidate similarity, in millionths
    ok: np.ndarray  # eligible and above the floor
    rank: np.ndarray  # similarity then key hash, -1 where not ok


class Found:
    """Candidate pairs of one block as arrays: slots (low, high) and their dot products.

    A dot product is the same whichever side it is read from, so each pair is kept
    once, from either side. A focus run may find one directed pair twice (as a
    candidate and in reverse): `done(directed_once=False)` keeps it once.
    """

    def __init__(self) -> None:
        self._parts: list[tuple[np.ndarray, ...]] = []
        z = np.zeros(0, np.int64)
        self.i, self.j, self.inter, self.meaning = z, z, z * 1.0, z * 1.0

    def add(self, s: Rows, at: np.ndarray, cols: np.ndarray) -> None:
        """Pairs (s.rows[at], cols), reading their dot products from `s`."""
        if len(at):
            self._parts.append((s.rows[at], cols.astype(np.int64), s.inter[at, cols], s.meaning[at, cols]))

    def done(self, directed_once: bool = True) -> Found:
        """Each pair once. `directed_once`: no (row, column) was added twice."""
        if not self._parts:
            return self
        rows, cols, inter, meaning = (np.concatenate(x) for x in zip(*self._parts, strict=True))
        # Keep (r, c) when r < c, or when (c, r) was not found: a table of the block, no sort.
        size = int(max(rows.max(), cols.max())) + 1
        seen = np.zeros((size, size), bool)
        seen[rows, cols] = True
        keep = np.nonzero((rows < cols) | ~seen[cols, rows])[0]
        if not directed_once:
            _, first = np.unique(rows[keep] * size + cols[keep], return_index=True)
            keep = keep[first]
        self.i, self.j = np.minimum(rows, cols)[keep], np.maximum(rows, cols)[keep]
        self.inter, self.meaning = inter[keep], meaning[keep]
        self._parts = []
        return self
