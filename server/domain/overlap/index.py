"""The overlap index: live tracks blocked by crisis, their candidates, and the pairs' scores."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from server.domain.overlap import explain, forum, text
from server.domain.overlap.block import Block, Found, Rows
from server.domain.overlap.records import (
    CANDIDATE_FLOOR,
    MAX_CANDIDATES,
    PARTY_WEIGHT,
    THRESHOLD,
    ForumGroup,
    Names,
    PairScore,
    TrackRecord,
    access_only,
    bulk,
    one_blas_thread,
    other_questions,
    same_narrow_question,
)

if TYPE_CHECKING:
    from server.domain.snapshot import Snapshot

_FLOOR_MILLIONTHS = round(CANDIDATE_FLOOR * 1e6)
# Open-ended dates are clipped to this horizon around today for the time score only.
_HORIZON_DAYS = 730
# Below this meaning two tracks are on different questions, whatever else they share;
# the score's meaning part rises from here to 1.
MEANING_FLOOR = 0.15

# Two tracks that name the same question (`_same_question`) seek the same thing unless
# their words are far apart: their meaning part rises from this floor instead.
SAME_QUESTION_FLOOR = 0.05

# Two tracks that name different fields of work (clinics and schools) are on different
# questions unless their words are nearly the same: the score is scaled by this.
OTHER_QUESTION_FACTOR = 0.5
# Two tracks that each name places and share none work on different sites (the Kavelor
# mill and the Dosta dam): the score is scaled by this.
OTHER_SITE_FACTOR = 0.7
_NAME_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def record_features(records: list[TrackRecord]) -> tuple[np.ndarray, list[int], list[frozenset[str]]]:
    """Each record's meaning vector, fields of work and names: as stored, or made from its
    text (the vectors in one batch)."""
    out = np.zeros((len(records), text.DIMS), np.float32)
    fields: list[int] = [0] * len(records)
    names: list[frozenset[str]] = [frozenset()] * len(records)
    todo: list[int] = []
    have: list[int] = []
    for n, r in enumerate(records):
        (have if text.is_stored(r.vector) else todo).append(n)
    if have:
        vecs, got_fields, got_names = text.unpack_many([records[n].vector or b"" for n in have])
        out[have] = vecs
        for n, f, said in zip(have, got_fields, got_names, strict=True):
            fields[n], names[n] = f, said
    if todo:
        tracks = [
            (records[n].title, records[n].aims, records[n].objectives, records[n].description) for n in todo
        ]
        out[todo] = text.vectors([text.sentences(*t) for t in tracks])
        for n, t in zip(todo, tracks, strict=True):
            fields[n], names[n] = text.fields(*t), text.names(*t)
    return out, fields, names


def kind_factor(k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
    """How much a pair of kinds overlaps: two tracks of the same kind compete for the same
    concessions; a humanitarian and a political track on the same parties overlap less
    directly (the political one may carry the humanitarian one), other mixes less still."""
    same = k1 == k2
    hum_pol = ((k1 == 0) & (k2 == 1)) | ((k1 == 1) & (k2 == 0))
    out: np.ndarray = np.where(same, 1.0, np.where(hum_pol, 0.85, 0.75))
    return out


class OverlapIndex:
    """Live tracks blocked by crisis, searchable for overlaps, updatable one track at a time.

    Build it once (`from_snapshot` or `build`), then `update(record)` or `remove(key)` as
    tracks change; `pairs()` and `forum_groups()` answer for all tracks or, given
    `focus`, for the pairs and groups that touch the focus tracks. `today` fixes which
    tracks are live: build a new index when the date changes.
    """

    def __init__(self, today: dt.date, names: Names | None = None, max_candidates: int = MAX_CANDIDATES):
        self.today = today
        self.names = names or Names()
        self.max_candidates = max_candidates
        self.records: dict[str, TrackRecord] = {}
        self.blocks: dict[str, Block] = {}
        self.block_of: dict[str, str] = {}
        self.coord_in: dict[str, set[str]] = defaultdict(set)
        self.by_party: dict[str, set[str]] = defaultdict(set)
        self._owner_ids: dict[str, int] = {}
        self.explained = explain.Cache()
        # The words of parties', organisations' and crises' names are not places (every
        # track of a crisis may name its party).
        self._not_sites = frozenset(
            w.lower()
            for group in (self.names.parties, self.names.organisations, self.names.crises)
            for name in group.values()
            for w in _NAME_WORD.findall(name)
        )
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
        """An index over these tracks; vectors not stored with a record are computed in one batch."""
        index = cls(today, names, max_candidates)
        grouped: dict[str, list[TrackRecord]] = defaultdict(list)
        with bulk():
            for r in records:
                index._remember(r)
                if r.live(today):
                    grouped[r.block].append(r)
            live = [r for rs in grouped.values() for r in rs]
            vecs, fields, said = record_features(live)
            at = 0
            for name, rs in grouped.items():
                sites = [index.place_names(x) for x in said[at : at + len(rs)]]
                index.blocks[name] = Block(
                    rs, vecs[at : at + len(rs)], fields[at : at + len(rs)], sites, index
                )
                at += len(rs)
                for r in rs:
                    index.block_of[r.key] = name
                    for p in r.parties:
                        index.by_party[p].add(r.key)
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
            self.coord_in[other].add(r.key)
            name = self.block_of.get(other)
            if name is not None:
                self.blocks[name].linked[self.blocks[name].slot[other]] = True

    def _forget(self, key: str) -> None:
        self.explained.drop(key)
        old = self.records.pop(key, None)
        if old is None:
            return
        for other in old.coordinated_with:
            self.coord_in[other].discard(key)
        name = self.block_of.pop(key, None)
        if name is not None:
            self.blocks[name].drop(key)
            if not self.blocks[name].slot:
                del self.blocks[name]
            for p in old.parties:
                self.by_party[p].discard(key)
                if not self.by_party[p]:
                    del self.by_party[p]

    def update(self, record: TrackRecord) -> None:
        """Put in a new or changed track; only its own row is computed again."""
        self._forget(record.key)
        self._remember(record)
        if record.live(self.today):
            vecs, fields, names = record_features([record])
            sites = self.place_names(names[0])
            block = self.blocks.get(record.block)
            if block is None:
                self.blocks[record.block] = Block([record], vecs, fields, [sites], self)
            else:
                block.add(record, vecs[0], fields[0], sites, self)
            self.block_of[record.key] = record.block
            for p in record.parties:
                self.by_party[p].add(record.key)

    def remove(self, key: str) -> None:
        """Take a deleted track out of the index."""
        self._forget(key)

    def coordinated(self, a: str) -> set[str]:
        """The tracks linked with `a` as coordinated, whichever side recorded the link."""
        rec = self.records.get(a)
        out = set(rec.coordinated_with) if rec else set()
        return out | self.coord_in.get(a, set())

    def place_names(self, names: frozenset[str]) -> frozenset[str]:
        """The names of a track that are places: all but the words of parties', organisations'
        and crises' names."""
        return names - self._not_sites if names else names

    def fields(self, key: str) -> int:
        """A live track's fields of humanitarian work (bits, `overlap.text.fields`; 0 if none named)."""
        name = self.block_of.get(key)
        if name is None:
            return 0
        block = self.blocks[name]
        return int(block.fields[block.slot[key]])

    def sites(self, key: str) -> frozenset[str]:
        """The places a live track names (`overlap.text.names` less the words of parties,
        organisations and crises)."""
        name = self.block_of.get(key)
        if name is None:
            return frozenset()
        block = self.blocks[name]
        return block.sites[block.slot[key]] or frozenset()

    def other_sites(self, a: str, b: str) -> bool:
        """Whether two tracks each name places and share none: at different sites."""
        sa, sb = self.sites(a), self.sites(b)
        return bool(sa) and bool(sb) and sa.isdisjoint(sb)

    def pair_factor(self, block: Block, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """What slot pairs' scores are scaled by: other fields of work, other sites (1 when neither)."""
        factor = np.where(other_questions(block.fields[i], block.fields[j]), OTHER_QUESTION_FACTOR, 1.0)
        factor[block.other_sites(i, j)] *= OTHER_SITE_FACTOR
        return factor

    def vector(self, key: str) -> np.ndarray | None:
        """A live track's quantised meaning vector (None if it is not live)."""
        name = self.block_of.get(key)
        return None if name is None else self.blocks[name].vector(key)

    # ---------------------------------------------------------------- search

    def _similar(self, block: Block, rows: np.ndarray) -> Rows:
        """Dot products, candidate similarity and eligibility of `rows` against the whole block."""
        inter, meaning = block.dots(rows)
        with np.errstate(divide="ignore"):
            inv = np.where(block.npart > 0, 1.0 / np.sqrt(block.npart), 0.0)
        # Similarity in millionths, a whole number: PARTY_WEIGHT * party cosine + the rest * meaning.
        sim = np.multiply(inter, inv[rows][:, None])
        sim *= inv[None, :]
        sim *= PARTY_WEIGHT
        sim += (1.0 - PARTY_WEIGHT) * np.maximum(meaning, 0.0)
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
        return Rows(rows, inter, meaning, sim, ok, rank)

    def _top(self, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each row's candidates, its k best eligible cells, as (row of `rank`, column) pairs."""
        k = self.max_candidates
        ok = rank >= 0
        few = ok.sum(axis=1) <= k
        if few.all():
            at, cols = np.nonzero(ok)
            return at, cols
        few_rows = np.nonzero(few)[0]
        at, cols = np.nonzero(ok[few_rows])
        many = np.nonzero(~few)[0]
        part = np.argpartition(-rank[many], k - 1, axis=1)[:, :k]
        return np.concatenate([few_rows[at], np.repeat(many, k)]), np.concatenate([cols, part.ravel()])

    def _chunks(self, block: Block, rows: np.ndarray) -> Iterator[np.ndarray]:
        # Keep each dense similarity chunk around 2M cells, whatever the block size.
        size = max(1, 2_000_000 // max(1, len(block.keys)))
        for s in range(0, len(rows), size):
            yield rows[s : s + size]

    def candidates(self, key: str) -> list[tuple[str, float]]:
        """The tracks a track is compared with, best first, at most `max_candidates`."""
        name = self.block_of.get(key)
        if name is None:
            return []
        block = self.blocks[name]
        s = self._similar(block, np.array([block.slot[key]]))
        _, top = self._top(s.rank)
        top = top[np.argsort(-s.rank[0, top], kind="stable")]
        return [(str(block.keys[int(c)]), float(s.sim[0, c]) / 1e6) for c in top]

    def _pairs_in_block(self, block: Block, focus_rows: np.ndarray | None) -> Found:
        """Slot pairs where either side has the other among its candidates, with their dot products."""
        found = Found()
        if focus_rows is None:
            for chunk in self._chunks(block, np.nonzero(block.alive)[0]):
                s = self._similar(block, chunk)
                found.add(s, *self._top(s.rank))
            return found.done()
        # For a focus track: its own candidates, plus every track above the floor that
        # has the focus track among its own candidates (the reverse direction).
        for chunk in self._chunks(block, focus_rows):
            s = self._similar(block, chunk)
            tops, cols = self._top(s.rank)
            for at, row in enumerate(chunk.tolist()):
                top = cols[tops == at]
                found.add(s, np.full(len(top), at), top)
                rest = np.setdiff1d(np.nonzero(s.ok[at])[0], top)
                if len(rest):
                    # `row` is among a row's candidates when fewer than k eligible cells
                    # of that row outrank it: one comparison per row, no sort.
                    s2 = self._similar(block, rest)
                    mine = s2.rank[:, row]
                    above = (s2.rank > mine[:, None]).sum(axis=1)
                    hit = np.nonzero((mine >= 0) & (above < self.max_candidates))[0]
                    found.add(s2, hit, np.full(len(hit), row))
        return found.done(directed_once=False)

    def _score_parts(
        self, block: Block, i: np.ndarray, j: np.ndarray, inter: np.ndarray, meaning: np.ndarray
    ) -> np.ndarray:
        """Scores of slot pairs from their dot products, with their parts as columns:
        score, party, meaning, time, kind."""
        smaller = np.minimum(block.npart[i], block.npart[j])
        # A track with no parties recorded can't be compared on parties: count it as half.
        party = np.where(smaller > 0, inter / np.maximum(smaller, 1.0), 0.5)
        narrow = same_narrow_question(block.fields[i], block.fields[j])
        floor = np.where(self._same_question(block, i, j, narrow), SAME_QUESTION_FLOOR, MEANING_FLOOR)
        content = np.clip((meaning - floor) / (1.0 - floor), 0.0, 1.0)
        s1, e1 = np.clip(block.start[i], self._lo, self._hi), np.clip(block.end[i], self._lo, self._hi)
        s2, e2 = np.clip(block.start[j], self._lo, self._hi), np.clip(block.end[j], self._lo, self._hi)
        shorter = np.maximum(np.minimum(e1 - s1, e2 - s2) + 1.0, 1.0)
        time = np.clip((np.minimum(e1, e2) - np.maximum(s1, s2) + 1.0) / shorter, 0.0, 1.0)
        # Tracks of other kinds that name the same narrow question (deconfliction of convoys,
        # fuel for hospitals) seek the same thing: their kinds do not set them apart.
        kind = np.where(
            narrow,
            1.0,
            kind_factor(block.kind[i], block.kind[j]),
        )
        # A product, not a sum: the same parties with other aims, or the same aims with
        # other parties, is a near miss; only both together make one process.
        base = (0.85 + 0.15 * time) * party**0.4 * content**0.5
        score = np.round(kind * base, 6)
        return np.stack([score, party, np.round(meaning, 6), time, kind], axis=1)

    def _same_question(self, block: Block, i: np.ndarray, j: np.ndarray, narrow: np.ndarray) -> np.ndarray:
        """Slot pairs whose tracks name the same question: the same narrow fields of work
        (`records.same_narrow_question`: the release of detainees, a truce) and not at
        other sites, or access alone at a place both name (aid trucks over one bridge, in
        two writers' words).

        Two desks that write one process in their own words may share few words, but they
        name its question alike; the fields are read from a lexicon, not from the sentence
        model, so they agree where the model puts two wordings apart.
        """
        out = narrow.copy()
        mi, mj = block.sitemask[i], block.sitemask[j]
        named = np.nonzero(narrow & (mi != 0) & (mj != 0))[0]
        if len(named):
            out[named] = ~block.other_sites(i[named], j[named])
        maybe = np.nonzero(access_only(block.fields[i], block.fields[j]) & ((mi & mj) != 0))[0]
        # Masks that share a bit may still be names that differ: look at those alone.
        for n in maybe.tolist():
            a, b = block.sites[int(i[n])], block.sites[int(j[n])]
            out[n] = a is not None and b is not None and not a.isdisjoint(b)
        return out

    def _other_question(self, block: Block, i: np.ndarray, j: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Scores scaled down where the two tracks name different fields of work or sites.

        Read only for the pairs given (those that reach the floor): fields and sites lower
        a score, never raise one, so no other pair can change sides.
        """
        factor = self.pair_factor(block, i, j)
        scores[:, 0] = np.round(scores[:, 0] * factor, 6)
        return scores

    def _emit(self, block: Block, found: Found, floor: float) -> list[PairScore]:
        if not len(found.i):
            return []
        scores = self._score_parts(block, found.i, found.j, found.inter, found.meaning)
        keep = np.nonzero(scores[:, 0] >= floor)[0]
        scores[keep] = self._other_question(block, found.i[keep], found.j[keep], scores[keep])
        keep = keep[scores[keep, 0] >= floor]
        out: list[PairScore] = []
        for n in keep.tolist():
            a, b = sorted((str(block.keys[int(found.i[n])]), str(block.keys[int(found.j[n])])))
            out.append(PairScore(a, b, *scores[n].tolist()))
        return out

    def pairs(self, focus: Iterable[str] | None = None, floor: float = THRESHOLD) -> list[PairScore]:
        """Overlapping pairs with a score of at least `floor`: all, or those touching `focus`."""
        with one_blas_thread():
            return self._pairs(focus, floor)

    def _pairs(self, focus: Iterable[str] | None, floor: float) -> list[PairScore]:
        out: list[PairScore] = []
        if focus is None:
            for block in self.blocks.values():
                out.extend(self._emit(block, self._pairs_in_block(block, None), floor))
        else:
            by_block: dict[str, list[int]] = defaultdict(list)
            for key in set(focus):
                name = self.block_of.get(key)
                if name is not None:
                    by_block[name].append(self.blocks[name].slot[key])
            for name, rows in by_block.items():
                block = self.blocks[name]
                out.extend(self._emit(block, self._pairs_in_block(block, np.array(sorted(rows))), floor))
        return sorted(out, key=lambda p: (p.a, p.b))

    def score(self, a: str, b: str) -> PairScore | None:
        """The score of any two live tracks of one block, eligible or not (for tests and tools)."""
        name = self.block_of.get(a)
        if name is None or self.block_of.get(b) != name:
            return None
        block = self.blocks[name]
        i, j = np.array([block.slot[a]]), np.array([block.slot[b]])
        row = self._other_question(block, i, j, self._score_parts(block, i, j, *block.pair_dots(i, j)))[0]
        x, y = sorted((a, b))
        return PairScore(x, y, *row.tolist())

    # ---------------------------------------------------------------- forum shopping, wording

    def forum_groups(self, min_tracks: int = 3, focus: Iterable[str] | None = None) -> list[ForumGroup]:
        """Parties engaged at once, on one question, by `min_tracks` or more uncoordinated tracks of different owners."""
        with one_blas_thread():
            return forum.groups(self, min_tracks, focus)

    def matched_phrases(self, a: str, b: str, limit: int = 6) -> list[str]:
        """Words the two tracks share (as each wrote them), and their closest pair of aims."""
        return explain.matched_phrases(self, a, b, limit)

    def overlap_dates(self, a: str, b: str) -> tuple[dt.date | None, dt.date | None]:
        """The span both tracks run in (None for an open side)."""
        return explain.overlap_dates(self.records[a], self.records[b])
