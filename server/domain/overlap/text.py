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
Words that only say what kind of place a track works at (airport, bridge, camp,
station, warehouse: `SITE_WORDS`) are left out for the same reason: two departments on
the same bridge with other aims share "bridge", and one flight route told as "landing
at the airport" and "landing at the airfield" does not need it. Words of a place that
carry the question itself (hospital, school, prison, checkpoint) stay.
The vector depends on the track's own text alone, so it is computed once, stored with
the track, and the same in a full build and an incremental update.

The names themselves are kept apart (`names`): two tracks that each name places and
share none work on different sites ("repair of the Kavelor mill", "repair of the Dosta
dam"), and the index scales their score down (`index.OTHER_SITE_FACTOR`).

Beside the vector, `fields` reads which fields of humanitarian work the same text names
(health, education, water, detention, access ...: `fieldwork`). A sentence model puts
"floating clinics" and "school boats" close; two tracks that each name a field and share
none are on different questions, and the index scales their score down
(`index.OTHER_QUESTION_FACTOR`). Above the fields it keeps what the track asks within
them (`asks`: people freed or visited, relief let in or people let out).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from server.domain.embedding import DIMS, MODEL_ID, model
from server.domain.overlap.asks import ASK_BITS, ASK_GROUPS, FIELD_MASK, asks, asks_of
from server.domain.overlap.fieldwork import FIELD_BITS, GENERIC, NOT_ACCESS, fields_of

__all__ = [
    "ASK_BITS",
    "ASK_GROUPS",
    "DIMS",
    "FIELD_BITS",
    "FIELD_MASK",
    "GENERIC",
    "MODEL_ID",
    "NOT_ACCESS",
    "Stored",
    "aim_vectors",
    "aims_of",
    "asks",
    "digest",
    "fields",
    "from_bytes",
    "is_stored",
    "names",
    "sentences",
    "stored",
    "stored_aim_vectors",
    "unpack",
    "vector_bytes",
    "vectors",
]

_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
# Kinds of place that say where a track works, not what it seeks (singular and plural).
SITE_WORDS = frozenset(
    """airport airports airfield airfields airstrip airstrips port ports harbour harbours harbor
    harbors dock docks quay quays bridge bridges camp camps station stations plant plants works
    dam dams mill mills warehouse warehouses depot depots compound compounds building buildings
    village villages town towns city cities district districts neighbourhood neighbourhoods
    neighborhood neighborhoods quarter quarters base bases barracks terminal terminals site sites
    facility facilities premises""".split()
)


# Capitalised words that are no names of places: months and days.
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)


def _split(text: str, common: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """A sentence's words without names and site words, and its place names (lower case).

    `common`: the words the track writes in lower case somewhere; a first word among them
    ("Vaccination access", beside "vaccination teams allowed") is no name. A word in
    capitals (NGO, UN) is left out of the vector like a name but is no place.
    """
    known = model().knows
    kept: list[str] = []
    found: list[str] = []
    for n, w in enumerate(_WORD.findall(text)):
        base = re.split(r"['’]", w, maxsplit=1)[0]
        low = base.lower()
        if base[:1].isupper() and (n > 0 or not (known(low) or low in common)):
            # A first word may be a name or a word the vocabulary splits ("Vacating"):
            # only a capitalised word inside a sentence is taken for a place.
            if n > 0 and not (len(base) > 1 and base.rstrip("s").isupper()) and low not in _NOT_NAMES:
                found += [part.lower() for part in base.split("-") if part[:1].isupper()]
            continue
        if low in SITE_WORDS:
            continue
        kept.append(w)
    return kept, found


def _common(texts: Iterable[str]) -> frozenset[str]:
    """The words written in lower case in these texts."""
    return frozenset(w for t in texts for w in _WORD.findall(t) if w[:1].islower())


def _said(aims: Iterable[str], objectives: Iterable[str], description: str) -> list[str]:
    said = [s for s in dict.fromkeys(s.strip() for s in (*aims, *objectives)) if s]
    if not said and description.strip():
        said = [description]
    return said


def sentences(
    title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = ""
) -> list[str]:
    """The sentences a track's vector is made of, names and site words removed, each once."""
    texts = (title, *_said(aims, objectives, description))
    common = _common(texts)
    out = [" ".join(_split(s, common)[0]) for s in texts]
    return [s for s in out if s]


def names(
    title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = ""
) -> frozenset[str]:
    """The names a track's title and aims use (lower case): places, and parties or
    organisations, which the index sets apart (`OverlapIndex.sites`)."""
    texts = (title, *_said(aims, objectives, description))
    common = _common(texts)
    return frozenset(n for s in texts for n in _split(s, common)[1])


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


# --------------------------------------------------------------------------- stored form

_FIELDS_AT = DIMS * 2
_AIMS_AT = _FIELDS_AT + 8
_NAMES_LEN_AT = _AIMS_AT + 2
_HEAD = _NAMES_LEN_AT + 4
# Aim vectors are stored as unit vectors times this, in int8: they only choose and show
# the closest pair of aims (to two decimals), so a byte a dimension is enough.
AIM_SCALE = 127


@dataclass(frozen=True)
class Stored:
    """What is stored for a track: its vector, fields of work (and asks) and names, all from its text alone."""

    vector: np.ndarray
    fields: int
    names: frozenset[str]


def aims_of(aims: Iterable[str], objectives: Iterable[str] = ()) -> tuple[str, ...]:
    """The aims and objectives a finding quotes, each once, in order."""
    return tuple(dict.fromkeys(s for s in (*aims, *objectives) if s.strip()))


def aim_vectors(aims: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """Each track's aims (`aims_of`) as unit vectors (float32, aims x dims), in one batch."""
    vecs = vectors([sentences(a, ()) for ab in aims for a in ab])
    out: list[np.ndarray] = []
    at = 0
    for ab in aims:
        out.append(vecs[at : at + len(ab)])
        at += len(ab)
    return out


def stored(tracks: Sequence[tuple[str, Sequence[str], Sequence[str], str]]) -> list[bytes]:
    """The stored form of tracks given as (title, aims, objectives, description), in one batch:
    the vector (float16), the fields and asks (uint64), the number of aims (uint16), the length of the
    names (uint32), each aim's vector (int8, `AIM_SCALE`) and the names (UTF-8, one a line).

    A full build reads these instead of the text, and the wording of its findings reads
    the aims' vectors: no sentence model, no word lists.
    """
    vecs = vectors([sentences(*t) for t in tracks])
    aims = aim_vectors([aims_of(t[1], t[2]) for t in tracks])
    out: list[bytes] = []
    for v, av, t in zip(vecs, aims, tracks, strict=True):
        said = "\n".join(sorted(names(*t))).encode()
        q = np.rint(av * AIM_SCALE).astype(np.int8)
        out.append(
            vector_bytes(v)
            + int(fields(*t)).to_bytes(8, "little")
            + len(av).to_bytes(2, "little")
            + len(said).to_bytes(4, "little")
            + said
            + q.tobytes()
        )
    return out


def is_stored(b: bytes | None) -> bool:
    """Whether this is a track's stored form (else it is made from the text)."""
    return b is not None and len(b) >= _HEAD


def unpack(b: bytes | None) -> Stored | None:
    """A stored track back (None if it is not in this form: then it is made from the text)."""
    if b is None or len(b) < _HEAD:
        return None
    vec = np.frombuffer(b, dtype="<f2", count=DIMS).astype(np.float32)
    size = int.from_bytes(b[_NAMES_LEN_AT:_HEAD], "little")
    said = b[_HEAD : _HEAD + size]
    return Stored(
        vec,
        int.from_bytes(b[_FIELDS_AT:_AIMS_AT], "little"),
        frozenset(said.decode().split("\n")) if said else frozenset(),
    )


def unpack_many(blobs: Sequence[bytes]) -> tuple[np.ndarray, list[int], list[frozenset[str]]]:
    """Tracks' stored forms (each in the stored form: see `unpack`) back at once: their
    vectors (float32, tracks x dims), fields and names."""
    vecs = np.frombuffer(b"".join(b[:_FIELDS_AT] for b in blobs), dtype="<f2").reshape(len(blobs), DIMS)
    fields = [int.from_bytes(b[_FIELDS_AT:_AIMS_AT], "little") for b in blobs]
    said: list[frozenset[str]] = []
    for b in blobs:
        size = int.from_bytes(b[_NAMES_LEN_AT:_HEAD], "little")
        said.append(frozenset(b[_HEAD : _HEAD + size].decode().split("\n")) if size else frozenset())
    return vecs.astype(np.float32), fields, said


def stored_aim_vectors(b: bytes | None) -> np.ndarray | None:
    """The aims' vectors of a stored track (float32, aims x dims; None if it is not in the stored form)."""
    if b is None or len(b) < _HEAD:
        return None
    count = int.from_bytes(b[_AIMS_AT:_NAMES_LEN_AT], "little")
    at = _HEAD + int.from_bytes(b[_NAMES_LEN_AT:_HEAD], "little")
    if len(b) != at + count * DIMS:
        return None
    q = np.frombuffer(b, dtype=np.int8, count=count * DIMS, offset=at).reshape(count, DIMS)
    return q.astype(np.float32) * (1.0 / AIM_SCALE)


# --------------------------------------------------------------------------- the question


def fields(title: str, aims: Iterable[str], objectives: Iterable[str] = (), description: str = "") -> int:
    """The fields of humanitarian work a track's title and aims name, as bits (0: none named),
    and above them (`FIELD_MASK`) what it asks within those fields (`asks`).

    Read from the same text as the meaning vector (the description only when there is
    neither aim nor objective).
    """
    said = [s for s in (*aims, *objectives) if s.strip()]
    if not said:
        said = [description]
    return fields_of(" ".join([title, *said])) | asks_of((title, *said))
