"""Forum shopping: a party engaged at once, on one question, by several uncoordinated tracks.

The README defines it over parallel tracks: the tracks that engage the party must be
parallel with one another on it, that is of different owners, running at the same
time, not linked as coordinated, and on the same question (their meaning vectors at
least `SAME_QUESTION` apart, not on different fields of work or at different sites).
Three owners who each engage a party on a different
question are three separate processes, not a party playing forums against each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from server.domain.overlap.block import SCALE
from server.domain.overlap.records import SAME_QUESTION, ForumGroup, other_questions

if TYPE_CHECKING:
    from server.domain.overlap.index import OverlapIndex


def groups(index: OverlapIndex, min_tracks: int = 3, focus: Iterable[str] | None = None) -> list[ForumGroup]:
    """One group per party that `min_tracks` or more mutually parallel tracks engage (touching `focus`)."""
    fset: set[str] = set()
    if focus is None:
        parties: Iterable[str] = sorted(index.by_party)
    else:
        fset = set(focus)
        parties = sorted({p for k in fset if k in index.block_of for p in index.records[k].parties})
    out: list[ForumGroup] = []
    # A full run asks about every party: the parallel pairs of each block, once.
    edges: dict[str, np.ndarray] | None = {} if focus is None else None
    for p in parties:
        tracks = parallel_on(index, p, min_tracks, edges)
        if tracks and (focus is None or fset.intersection(tracks)):
            out.append(ForumGroup(p, tracks))
    return out


def _parallel(
    owner: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    q: np.ndarray,
    fields: np.ndarray,
    mask: np.ndarray,
) -> np.ndarray:
    """Which of these tracks are parallel with one another, but for sites named by
    colliding masks and coordination links (the caller's): different owners, dates that
    meet, the same question, not on other fields of work, not at other sites."""
    edge: np.ndarray = owner[:, None] != owner[None, :]
    edge &= start[:, None] <= end[None, :]
    edge &= start[None, :] <= end[:, None]
    vecs = q.astype(np.float64)
    edge &= (vecs @ vecs.T) * (1.0 / (SCALE * SCALE)) >= SAME_QUESTION
    edge &= ~other_questions(fields[:, None], fields[None, :])
    # Each names places and they share none (masks that share a bit: the names themselves).
    named = mask != 0
    edge &= ~(named[:, None] & named[None, :] & ((mask[:, None] & mask[None, :]) == 0))
    return edge


def _block_edges(index: OverlapIndex, name: str, edges: dict[str, np.ndarray]) -> np.ndarray:
    """The parallel pairs of one block's slots (`_parallel`), computed once per full run."""
    got = edges.get(name)
    if got is None:
        b = index.blocks[name]
        got = _parallel(b.owner, b.start, b.end, b.q, b.fields, b.sitemask)
        edges[name] = got
    return got


def _columns(index: OverlapIndex, keys: list[str]) -> tuple[np.ndarray, ...] | None:
    """Owner, start, end, vector, fields, site mask and link flag of live tracks, read from
    their blocks' columns (most of a party's tracks are in one block); None if one is not live."""
    where: dict[str, list[int]] = defaultdict(list)
    slots = np.empty(len(keys), np.int64)
    for n, k in enumerate(keys):
        name = index.block_of.get(k)
        if name is None:
            return None
        block = index.blocks[name]
        slots[n] = block.slot[k]
        where[name].append(n)
    parts: list[tuple[np.ndarray, ...]] = []
    order: list[np.ndarray] = []
    for name, at in where.items():
        block, s = index.blocks[name], slots[at]
        parts.append(
            (
                block.owner[s],
                block.start[s],
                block.end[s],
                block.q[s],
                block.fields[s],
                block.sitemask[s],
                block.linked[s],
            )
        )
        order.append(np.array(at))
    if len(parts) == 1:
        return parts[0]
    back = np.argsort(np.concatenate(order), kind="stable")
    return tuple(np.concatenate(cols)[back] for cols in zip(*parts, strict=True))


def _one_block(index: OverlapIndex, keys: list[str]) -> tuple[str, np.ndarray] | None:
    """The block all these live tracks are in, and their slots (None if in several or not live)."""
    name = index.block_of.get(keys[0])
    if name is None:
        return None
    block = index.blocks[name]
    slots = np.empty(len(keys), np.int64)
    for n, k in enumerate(keys):
        if index.block_of.get(k) != name:
            return None
        slots[n] = block.slot[k]
    return name, slots


def parallel_on(
    index: OverlapIndex, party: str, min_tracks: int, edges: dict[str, np.ndarray] | None = None
) -> tuple[str, ...]:
    """The party's tracks that belong to some group of `min_tracks` that are all parallel.

    Dates are intervals, so tracks whose dates overlap pairwise all run at one same
    moment (Helly): a group is a clique of the graph of parallel pairs. `edges`: the
    blocks' parallel pairs kept across the parties of one full run.
    """
    keys = sorted(index.by_party.get(party, ()))
    if len(keys) < min_tracks or len({index.records[k].owner for k in keys}) < min_tracks:
        return ()
    one = _one_block(index, keys) if edges is not None else None
    if one is not None and edges is not None:
        name, slots = one
        block = index.blocks[name]
        edge = _block_edges(index, name, edges)[np.ix_(slots, slots)]
        mask, linked = block.sitemask[slots], block.linked[slots]
    else:
        cols = _columns(index, keys)
        if cols is None:
            return ()
        owner, start, end, q, fields, mask, linked = cols
        edge = _parallel(owner, start, end, q, fields, mask)
    named = mask != 0
    for n, m in zip(*np.nonzero(np.triu(edge, 1) & named[:, None] & named[None, :]), strict=True):
        if index.other_sites(keys[int(n)], keys[int(m)]):
            edge[n, m] = edge[m, n] = False
    pos = {k: n for n, k in enumerate(keys)}
    # `linked` is set for every track that a link may name, on either side.
    for n in np.nonzero(linked)[0].tolist():
        for other in index.coordinated(keys[n]):
            m = pos.get(other)
            if m is not None:
                edge[n, m] = edge[m, n] = False
    if min_tracks <= 2:
        on = edge.any(axis=1)
        return tuple(k for k, flag in zip(keys, on, strict=True) if flag)
    if min_tracks == 3:
        # Nodes on a triangle: A² counts the paths of length two closing an edge.
        a = edge.astype(np.float32)
        on = ((a @ a) * a).sum(axis=1) > 0
        return tuple(k for k, flag in zip(keys, on, strict=True) if flag)
    return _in_cliques(keys, edge, min_tracks)


def _in_cliques(keys: list[str], edge: np.ndarray, size: int) -> tuple[str, ...]:
    """Nodes in some clique of `size` (a plain search: settings above three are rare)."""
    nbrs = [set(np.nonzero(row)[0].tolist()) for row in edge]

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
