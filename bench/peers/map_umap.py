"""Peer for bench/map.ts: umap-learn on the same vectors and parameters as papermap's map (cosine, 15 neighbours,
min_dist 0.1, seed 42). Reads float32 rows from args["vectors"], writes the 2-D layout as float32 to args["out"], and
prints one JSON document with the wall time. umap-learn finds its own neighbours (NN-descent), as it would in use;
a fixed random_state makes it single-threaded, like umap-js. Numba's compilation is done first on a small warm-up set
and reported apart, so the timing is the steady state."""

import json
import sys
import time

import numpy as np


def main() -> None:
    args = json.loads(sys.argv[1])
    x = np.fromfile(args["vectors"], dtype=np.float32).reshape(-1, args["dims"])
    t0 = time.perf_counter()
    import umap  # noqa: PLC0415 (import time is part of the warm-up)

    warm = umap.UMAP(n_neighbors=args["nNeighbors"], min_dist=args["minDist"], metric="cosine", random_state=args["seed"])
    warm.fit_transform(x[: min(len(x), 300)])
    warmup_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    model = umap.UMAP(n_neighbors=args["nNeighbors"], min_dist=args["minDist"], metric="cosine", random_state=args["seed"])
    y = model.fit_transform(x)
    seconds = time.perf_counter() - t1
    y.astype(np.float32).tofile(args["out"])
    print(json.dumps({"seconds": seconds, "warmupSeconds": warmup_s, "n": int(len(x)), "umapVersion": umap.__version__, "nEpochs": int(model.n_epochs) if model.n_epochs else None}))


if __name__ == "__main__":
    main()
