"""Candidate search and scoring for overlapping tracks (the paper's don't #4).

The check `server.domain.checks.n4_parallel_tracks` turns what this package finds into
findings; the worker keeps one `OverlapIndex` and updates it one track at a time, and
gets the same pairs as a full run over the same tracks.

How the search works, and why this way (figures from `bench/overlap_bench.py`):

* Blocking by crisis, or by region when crises share one: tracks on different crises
  never overlap, so a block is the natural first cut and costs nothing to maintain.
* Inside a block, each track is its parties (a 0/1 row) and one meaning vector: what
  its title, aims and objectives say, names and kinds of place (airport, bridge,
  camp) left out, embedded by a static distillation of a pretrained sentence model
  (`text`, `server.domain.embedding`). Two desks that describe one process in their
  own words share few words but land close in meaning; two desks that work on the
  same town or bridge with different aims share the town's name and the word
  "bridge", which the vector leaves out. Two tracks that each name places and share
  none (the Kavelor mill, the Dosta dam) score lower (`index.OTHER_SITE_FACTOR`). A vector depends on its track alone,
  so it is computed once, stored with the track, and an incremental update gives the
  same scores as a full build.
* A track's candidates are its nearest eligible neighbours (different owner, live,
  overlapping dates, not coordinated) by a blend of party overlap and meaning, above a
  floor, at most 50. A pair is scored when either side has the other among its
  candidates, so the result does not depend on which track was edited last. The score
  multiplies the party overlap by the meaning (either alone is a near miss), eased by
  the time overlap and the kinds (`index`). Two tracks that name the same question by
  the lexicon of fields of work (a truce, the release of detainees; access at one named
  bridge) need less closeness of words: a static model puts some paraphrases apart.
* Forum shopping counts only tracks parallel with one another on a party (`forum`).

Modules: `records` (the plain values and thresholds), `text` (a track's vector),
`block` (one crisis's arrays), `index` (search and scores), `forum`, `explain`.
"""

from server.domain.overlap.index import OverlapIndex
from server.domain.overlap.records import (
    CANDIDATE_FLOOR,
    HIGH_SCORE,
    KINDS,
    MAX_CANDIDATES,
    PARTY_WEIGHT,
    SAME_QUESTION,
    THRESHOLD,
    ForumGroup,
    Names,
    PairScore,
    TrackRecord,
    bulk,
)

__all__ = [
    "CANDIDATE_FLOOR",
    "HIGH_SCORE",
    "KINDS",
    "MAX_CANDIDATES",
    "PARTY_WEIGHT",
    "SAME_QUESTION",
    "THRESHOLD",
    "ForumGroup",
    "Names",
    "OverlapIndex",
    "PairScore",
    "TrackRecord",
    "bulk",
]
