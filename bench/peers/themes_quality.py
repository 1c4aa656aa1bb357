"""Agreement with known categories for bench/themes.ts: the k-means peer and one AMI for every system, in one process.

Input (argv[1], JSON, or {"argsFile": path of a file holding that JSON}, as 15,000-row lists exceed the kernel's
128 KiB limit on one argument): {"vectors": path of float32 rows, "dims": int, "truth": [category per row], "k": int,
"trueK": int (optional), "wordsK": int (optional), "seed": int, "systems": {name: [cluster per row, -1 = outlier]}, "labels": {name: [label words, ...]}}
Output (stdout, JSON): {"ami": {name: float}, "kmeansMs": float, "sklearn": version,
"stopWordHits": {name: [words found in scikit-learn's English stop list]}}

- k-means peer: scikit-learn KMeans(n_clusters=k, n_init=10, random_state=seed) on the L2-normalised vectors, the
  usual baseline "k-means on the same embeddings at the same k"; its AMI is reported as system "kmeans", and with
  trueK (the number of categories, which the peer is then told) as system "kmeansTrueK", and with wordsK (the k
  `papermap themes --words` chose) as system "kmeansWordsK".
- AMI: sklearn.metrics.adjusted_mutual_info_score (Vinh, Epps & Bailey 2010, arithmetic normalisation); outliers (-1)
  count as one more cluster, as BERTopic's own evaluations do.
- Stop words: label words (lower case, split on spaces and the '·' between terms) found in scikit-learn's
  ENGLISH_STOP_WORDS, a published list; "stopWordPartHits" also splits hyphenated compounds ("few-shot" gives "few"),
  reported apart because such a compound is one term, not a stop word.
"""

import json
import re
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.metrics import adjusted_mutual_info_score


def main():
    args = json.loads(sys.argv[1])
    if "argsFile" in args:
        with open(args["argsFile"], encoding="utf8") as f:
            args = json.load(f)
    truth = args["truth"]
    vectors = np.fromfile(args["vectors"], dtype=np.float32).reshape(len(truth), args["dims"])
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    systems = dict(args.get("systems", {}))
    kmeans_ms = None
    if args.get("k"):
        started = time.perf_counter()
        km = KMeans(n_clusters=args["k"], n_init=10, random_state=args["seed"]).fit(vectors)
        kmeans_ms = (time.perf_counter() - started) * 1000
        systems["kmeans"] = km.labels_.tolist()
    if args.get("trueK") and args["trueK"] != args.get("k"):
        systems["kmeansTrueK"] = KMeans(n_clusters=args["trueK"], n_init=10, random_state=args["seed"]).fit(vectors).labels_.tolist()
    elif args.get("trueK"):
        systems["kmeansTrueK"] = systems["kmeans"]
    if args.get("wordsK"):
        same = {args.get("k"): "kmeans", args.get("trueK"): "kmeansTrueK"}.get(args["wordsK"])
        systems["kmeansWordsK"] = systems[same] if same else KMeans(n_clusters=args["wordsK"], n_init=10, random_state=args["seed"]).fit(vectors).labels_.tolist()
    ami = {name: round(float(adjusted_mutual_info_score(truth, labels)), 4) for name, labels in systems.items()}
    hits = {}
    part_hits = {}
    for name, labels in args.get("labels", {}).items():
        words = [w for label in labels for w in re.split(r"[\s·]+", label.lower()) if w]
        hits[name] = sorted({w for w in words if w in ENGLISH_STOP_WORDS})
        parts = [p for w in words for p in w.split("-") if p]
        part_hits[name] = sorted({p for p in parts if p in ENGLISH_STOP_WORDS})
    json.dump({"ami": ami, "kmeansMs": kmeans_ms, "sklearn": sklearn.__version__, "stopWordHits": hits, "stopWordPartHits": part_hits}, sys.stdout)


if __name__ == "__main__":
    main()
