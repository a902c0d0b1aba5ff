"""A track's meaning as one vector: what its title, aims and objectives say, not whom or where.

Each sentence (the title, every aim and objective; the description only when there is
neither aim nor objective) is embedded by the static sentence model
(`server.domain.embedding`), and the track's vector is the normalised sum of its
sentences' unit vectors. Names are left out first: two departments working on the
same town or with the same party write its name in every sentence, and a sentence
model counts a shared name as shared meaning. Parties and crises are compared as
structure (the index's party sets and blocks), so the vector keeps only the question:
what is to be released, repaired, delivered or allowed.

A name, here, is a capitalised word after a sentence's first word, or a first word
that the model's vocabulary does not know as a lower-case word ("Brask", "Ostra").
The vector depends on the track's own text alone, so it is computed once, stored with
the track, and the same in a full build and an incremental update.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

import numpy as np

from server.domain.embedding import DIMS, MODEL_ID, model

__all__ = ["DIMS", "MODEL_ID", "digest", "from_bytes", "sentences", "vector_bytes", "vectors"]

_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)


def _plain(text: str) -> str:
    """The sentence without its names."""
    known = model().knows
    out: list[str] = []
    for n, w in enumerate(_WORD.findall(text)):
        base = re.split(r"['’]", w, maxsplit=1)[0]
        if base[:1].isupper() and (n > 0 or not known(base.lower())):
            continue
        out.append(w)
    return " ".join(out)


def sentences(
    title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = ""
) -> list[str]:
    """The sentences a track's vector is made of, names removed, each once."""
    said = [s for s in dict.fromkeys(s.strip() for s in (*aims, *objectives)) if s]
    if not said and description.strip():
        said = [description]
    out = [_plain(s) for s in (title, *said)]
    return [s for s in out if s]


def vectors(texts: Sequence[Sequence[str]]) -> np.ndarray:
    """Unit vectors (float32, one row per track) for tracks given as their `sentences`."""
    flat = [s for ss in texts for s in ss]
    out = np.zeros((len(texts), DIMS), np.float32)
    if not flat:
        return out
    emb = model().encode(flat)
    lengths = np.array([len(ss) for ss in texts])
    has = np.nonzero(lengths)[0]
    starts = (np.cumsum(lengths) - lengths)[has]
    out[has] = np.add.reduceat(emb, starts, axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def vector_bytes(v: np.ndarray) -> bytes:
    """A track vector as stored: float16, little-endian."""
    return np.asarray(v, dtype="<f2").tobytes()


def from_bytes(b: bytes) -> np.ndarray:
    """A stored track vector back as float32 (zeros if it is not one of this model's)."""
    if len(b) != DIMS * 2:
        return np.zeros(DIMS, np.float32)
    return np.frombuffer(b, dtype="<f2").astype(np.float32)


def digest(ss: Sequence[str]) -> str:
    """Names the text a vector was made from, with the model: equal digests, equal vectors."""
    return hashlib.sha256("\n".join([MODEL_ID, *ss]).encode()).hexdigest()
