"""Peer for bench/embed.ts: a raw Python onnxruntime session on the same ONNX file papermap runs, fed by the Rust
`tokenizers` library (truncation at 256, [SEP] kept), pooled with numpy as the model card says, at the same thread count.
It is the floor of what any wrapper around the same runtime and model can reach.

argv[1]: JSON {"model": folder under models/, "file": onnx file name, "pooling": "cls"|"mean", "textsFile": path,
               "batchSizes": [...], "repeats": n, "threads": n}
stdout: JSON {"version": ..., "results": [{"batchSize": b, "seconds": [..]}]}
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

args = json.loads(sys.argv[1])
root = Path(__file__).resolve().parents[2] / "models" / args["model"]
opts = ort.SessionOptions()
opts.intra_op_num_threads = args["threads"]
opts.inter_op_num_threads = 1
session = ort.InferenceSession(str(root / "onnx" / args["file"]), opts, providers=["CPUExecutionProvider"])
tok = Tokenizer.from_file(str(root / "tokenizer.json"))
tok.enable_truncation(256)
tok.enable_padding(pad_id=0, pad_token="[PAD]")
texts = json.load(open(args["textsFile"]))
order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))


def encode(batch_size):
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        enc = tok.encode_batch([texts[i] for i in idx])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        if args["pooling"] == "cls":
            v = hidden[:, 0, :]
        else:
            m = mask[:, :, None].astype(np.float32)
            v = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        out[idx] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


encode(8)  # warm-up
results = []
for batch in args["batchSizes"]:
    seconds = []
    for _ in range(args["repeats"]):
        t0 = time.perf_counter()
        encode(batch)
        seconds.append(time.perf_counter() - t0)
    results.append({"batchSize": batch, "seconds": seconds})
print(json.dumps({"version": f"onnxruntime {ort.__version__} (Python)", "results": results}))
