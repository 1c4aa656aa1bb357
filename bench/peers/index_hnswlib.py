"""Peer for bench/index.ts: Python hnswlib with the same vectors, parameters and thread count.

argv[1]: JSON {"base": f32 file, "queries": f32 file, "dims": d, "m", "efConstruction", "efSearch", "seed", "k", "threads", "truth": json file of exact top-k ids per query, "indexFile": path}
stdout: JSON {"version", "buildSeconds", "querySeconds", "recall", "indexBytes"}
"""
import json
import os
import sys
import time

import hnswlib
import numpy as np
from importlib.metadata import version

a = json.loads(sys.argv[1])
base = np.fromfile(a["base"], dtype=np.float32).reshape(-1, a["dims"])
queries = np.fromfile(a["queries"], dtype=np.float32).reshape(-1, a["dims"])
truth = json.load(open(a["truth"]))
index = hnswlib.Index(space="cosine", dim=a["dims"])
index.init_index(max_elements=len(base), M=a["m"], ef_construction=a["efConstruction"], random_seed=a["seed"])
index.set_num_threads(a["threads"])
t0 = time.perf_counter()
index.add_items(base, np.arange(len(base)))
build = time.perf_counter() - t0
index.set_ef(a["efSearch"])
t0 = time.perf_counter()
labels = [index.knn_query(q, k=a["k"])[0][0] for q in queries]  # one query at a time, as papermap answers them
query = time.perf_counter() - t0
recall = float(np.mean([len(set(map(int, l)) & set(t)) / a["k"] for l, t in zip(labels, truth)]))
index.save_index(a["indexFile"])
print(json.dumps({"version": f"hnswlib {version('hnswlib')}", "buildSeconds": build, "querySeconds": query, "recall": recall, "indexBytes": os.path.getsize(a["indexFile"])}))
