"""What an overlap finding shows as its evidence: shared words, the closest aims, the common dates.

A finding says why two tracks look like one process. The score is computed from
meaning vectors, which a reader cannot check, so the evidence quotes the text: the
words both tracks use (as each wrote them), and the pair of aims, one from each, whose
meanings are closest, with their similarity. The aims' vectors are stored with the
track (`text.stored`); only a track without its stored form runs the sentence model here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from server.domain.overlap import text
from server.domain.overlap.records import TrackRecord

if TYPE_CHECKING:
    from server.domain.overlap.index import OverlapIndex

_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
# Function words, and words every track in Accord uses: sharing them says nothing.
_STOP = frozenset(
    """a an and are as at be been but by for from has have in into is it its of on or our
    that the their them these this those to was were will with within without would which
    who whose we us also all any both each other such than then there via per upon over
    under about after before during while new more most very can could should may might
    initiative initiatives track tracks process processes effort efforts engagement engage
    engaging work working aim aims goal goals objective objectives seek seeks seeking ensure
    ensuring support supporting towards toward including part led lead leading take taking
    make making set out one two three through between among government ministry department
    state states side sides party parties allowed allow""".split()
)
# How many tracks' explanation data an index keeps.
_KEPT = 20_000


@dataclass(frozen=True)
class Words:
    """A track's words for explanations (each stem with the first word that gave it) and its aims."""

    first: dict[str, str]
    aims: tuple[str, ...]
    aim_vectors: np.ndarray


class Cache:
    """Explanation data of the tracks explained lately: a full run words each pair once."""

    def __init__(self) -> None:
        self._kept: dict[str, Words] = {}

    def drop(self, key: str) -> None:
        self._kept.pop(key, None)

    def get(self, r: TrackRecord) -> Words:
        w = self._kept.pop(r.key, None)
        if w is None:
            w = _words(r)
            if len(self._kept) >= _KEPT:
                # Forget the oldest half: a full run explains each track's pairs close together.
                for old in list(self._kept)[: _KEPT // 2]:
                    del self._kept[old]
        self._kept[r.key] = w
        return w

    def prefetch(self, records: list[TrackRecord]) -> None:
        """Compute the data of these tracks in one batch (a full run words thousands of pairs):
        stored aims' vectors are read, the others computed together."""
        todo = list({r.key: r for r in records if r.key not in self._kept}.values())[: _KEPT // 2]
        if not todo:
            return
        aims = [_aims(r) for r in todo]
        got = [_stored(r, ab) for r, ab in zip(todo, aims, strict=True)]
        missing = [n for n, v in enumerate(got) if v is None]
        if missing:
            for n, v in zip(missing, text.aim_vectors([aims[n] for n in missing]), strict=True):
                got[n] = v
        for r, ab, vecs in zip(todo, aims, got, strict=True):
            if len(self._kept) >= _KEPT:
                for old in list(self._kept)[: _KEPT // 2]:
                    del self._kept[old]
            assert vecs is not None
            self._kept[r.key] = Words(_first(r), ab, vecs)


def _stored(r: TrackRecord, aims: tuple[str, ...]) -> np.ndarray | None:
    """The aims' vectors stored with the track, if it has them (for these aims)."""
    vecs = text.stored_aim_vectors(r.vector)
    return vecs if vecs is not None and len(vecs) == len(aims) else None


def _aims(r: TrackRecord) -> tuple[str, ...]:
    return text.aims_of(r.aims, r.objectives)


def _first(r: TrackRecord) -> dict[str, str]:
    first: dict[str, str] = {}
    keep = first.setdefault
    # One pass over all the text (a line break ends a word as a space does).
    for word in _WORD.findall("\n".join((r.title, r.description, *r.aims, *r.objectives))):
        w = word.lower().strip("'’-")
        if len(w) >= 3 and w not in _STOP:
            keep(w[:5], word)
    return first


def _words(r: TrackRecord) -> Words:
    aims = _aims(r)
    vecs = _stored(r, aims)
    return Words(_first(r), aims, text.aim_vectors([aims])[0] if vecs is None else vecs)


def matched_phrases(index: OverlapIndex, a: str, b: str, limit: int = 6) -> list[str]:
    """Words the two tracks share (as each wrote them), and their closest pair of aims."""
    wa, wb = index.explained.get(index.records[a]), index.explained.get(index.records[b])
    out: list[str] = []
    for stem, w in wa.first.items():
        other = wb.first.get(stem)
        if other is not None:
            out.append(f"“{w}”" if w.lower() == other.lower() else f"“{w}” / “{other}”")
            if len(out) == limit:
                break
    if len(wa.aims) and len(wb.aims):
        sims = wa.aim_vectors @ wb.aim_vectors.T
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        out.append(f"closest aims “{wa.aims[int(i)]}” and “{wb.aims[int(j)]}” ({float(sims[i, j]):.2f})")
    return out


def overlap_dates(ra: TrackRecord, rb: TrackRecord) -> tuple[dt.date | None, dt.date | None]:
    """The span both tracks run in (None for an open side)."""
    starts = [d for d in (ra.start, rb.start) if d is not None]
    ends = [d for d in (ra.end, rb.end) if d is not None]
    return (max(starts) if starts else None, min(ends) if ends else None)
