"""Sentence vectors for what a track is about: a static distillation of all-MiniLM-L6-v2.

The overlap check compares tracks by meaning, so that two desks describing one process
in their own words ("release of detained aid workers", "freeing humanitarian staff held
in custody") land close together. The vectors come from a model2vec distillation of the
published all-MiniLM-L6-v2 checkpoint (`bench/distill_static_model.py` makes it, and
checks the checkpoint's SHA-256): one vector per token of the model's vocabulary, and a
sentence's vector is the mean of its tokens' vectors. It needs numpy and the
`tokenizers` package only; no torch, no download, no hub. Both files are checked
against their SHA-256 when loaded.

The domain stays pure: this module reads two files shipped with the package and keeps
the model in memory once per process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from server.domain.once import once

DATA = Path(__file__).resolve().parent / "data"
STEM = "minilm_static"
VECTORS_SHA256 = "1e19c2ad592a267f948ed580257438c0d046a8fbf8e1902288dff530e66cc365"
TOKENIZER_SHA256 = "dd33465341c98889c3338356b6200c8b232b89af5f1b7aa8e6ee1d4d7a699631"
# Names the model, and the version of the text it is given (`overlap.text.sentences`) and
# of the stored form (`overlap.text.stored`), in stored vectors: vectors made by another
# model, from other text or in another form are made again (`accord vectors refresh`).
# 3: the stored form carries each aim's vector. 4: the fields of work it carries
# (`overlap.text.fields`) tell questions inside health and access apart; 5: and inside
# livelihoods; 6: and name the questions of the fighting (truce, weapons, hotline...); 7: and
# accountability, cash, notified movements and a medical exit; 9: and commerce, and the
# names no longer take months and days for places; 10: and repair works; 11: what a track
# asks within detention and registration (`overlap.text.asks`), stored above the fields in
# 64 bits, and arrests and captured fighters are detention; 12: and so is a sentence that
# frees people held, amnesty is release; 13 to 19 read more asks and were withdrawn; 20:
# the form of 12 again; 21: attacks named by their means or target, and weapons used
# against places, are sparing civilians; customs are access; payment demanded of aid is no
# finance; vehicles or goods held or returned are neither detention nor return; 22: the pay
# of a service's staff is a field of its own, and the fields are read sentence by sentence;
# 23: the short forms officials write (MEDEVAC, EWIPA, UXO) are spelt out; 24: "unpaid"
# names livelihoods as well as pay.
TEXT_VERSION = 24
MODEL_ID = f"minilm-l6-v2-static/{VECTORS_SHA256[:12]}/text{TEXT_VERSION}"
DIMS = 128
# From this many texts on, the tokenizer encodes them as one batch, in parallel.
_BATCH = 64


class ModelFileError(RuntimeError):
    """A model file is missing or is not the one this code was written for."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class StaticModel:
    """Token vectors and the tokenizer that indexes them; `encode` gives unit sentence vectors."""

    def __init__(self, vectors: np.ndarray, tokenizer_json: str) -> None:
        from tokenizers import Tokenizer

        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dims = int(self.vectors.shape[1])
        self._tokenizer = Tokenizer.from_str(tokenizer_json)
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        unk = self._tokenizer.token_to_id("[UNK]")
        self._unk = -1 if unk is None else int(unk)

    @classmethod
    def load(cls, folder: Path = DATA, stem: str = STEM, check: bool = True) -> StaticModel:
        """The model shipped in `folder`; with `check`, refused unless both files match their SHA-256."""
        npy, tok = folder / f"{stem}.npy", folder / f"{stem}.tokenizer.json"
        for path, expected in ((npy, VECTORS_SHA256), (tok, TOKENIZER_SHA256)):
            if not path.is_file():
                raise ModelFileError(
                    f"{path}: missing (the package ships it; see bench/distill_static_model.py)"
                )
            if check and _sha256(path) != expected:
                raise ModelFileError(f"{path}: SHA-256 differs from the shipped model's")
        vectors = np.load(npy, allow_pickle=False)
        return cls(vectors, tok.read_text(encoding="utf-8"))

    def knows(self, word: str) -> bool:
        """Whether the vocabulary holds this exact string as a whole word."""
        return self._tokenizer.token_to_id(word) is not None

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids, without special or unknown tokens."""
        out: list[list[int]] = []
        # A few texts (one track's update) one by one: the batch call hands them to a
        # thread pool, whose threads wait for a core on a busy machine.
        encs = (
            self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
            if len(texts) > _BATCH
            else [self._tokenizer.encode(t, add_special_tokens=False) for t in texts]
        )
        for enc in encs:
            out.append([i for i in enc.ids if i != self._unk])
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (float32, texts x dims); a text with no known token gives zeros."""
        out = np.zeros((len(texts), self.dims), np.float32)
        if not texts:
            return out
        ids = self.token_ids(texts)
        lengths = np.array([len(x) for x in ids])
        flat = np.fromiter((i for x in ids for i in x), np.int64, count=int(lengths.sum()))
        has = np.nonzero(lengths)[0]
        if len(has):
            # Offsets of the texts that have tokens rise strictly: one reduceat sums them all.
            starts = (np.cumsum(lengths) - lengths)[has]
            out[has] = np.add.reduceat(self.vectors[flat], starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


@once
def model() -> StaticModel:
    """The shipped model, loaded (and checked) once per process."""
    return StaticModel.load()
