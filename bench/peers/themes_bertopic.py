"""BERTopic peer for bench/themes.ts: fits BERTopic (pinned in bench/requirements.txt) on papermap's own embeddings.

Input (argv[1], JSON): {"docs": path of a JSON list of texts, "vectors": path of float32 rows, "dims": int, "seed": int,
"k": int or null}. With k null, BERTopic runs as recommended (UMAP 5-d + HDBSCAN, outliers allowed); with k, HDBSCAN is
replaced by k-means with that many clusters. The vectoriser is CountVectorizer(stop_words="english",
ngram_range=(1, 2)) so both systems label with words and two-word phrases.
Output (stdout, JSON): {"topics": [[term, ...] per topic id 0..], "assignment": [...], "fitMs": float, "version": str}
"""

import json
import sys
import time

import numpy as np


def main():
    args = json.loads(sys.argv[1])
    with open(args["docs"], encoding="utf8") as f:
        docs = json.load(f)
    vectors = np.fromfile(args["vectors"], dtype=np.float32).reshape(len(docs), args["dims"])

    import bertopic
    from bertopic import BERTopic
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    seed = args["seed"]
    started = time.perf_counter()
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    extra = {}
    if args.get("k"):
        extra["hdbscan_model"] = KMeans(n_clusters=args["k"], n_init=10, random_state=seed)
    model = BERTopic(
        umap_model=umap_model,
        vectorizer_model=CountVectorizer(stop_words="english", ngram_range=(1, 2)),
        top_n_words=10,
        calculate_probabilities=False,
        **extra,
    )
    assignment, _ = model.fit_transform(docs, embeddings=vectors)
    fit_ms = (time.perf_counter() - started) * 1000
    ids = sorted(t for t in set(assignment) if t >= 0)
    topics = [[word for word, _ in model.get_topic(t)] for t in ids]
    remap = {t: i for i, t in enumerate(ids)}
    json.dump(
        {
            "topics": topics,
            "assignment": [remap.get(int(t), -1) for t in assignment],
            "fitMs": round(fit_ms, 1),
            "version": bertopic.__version__,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
