"""Topic quality metrics for bench/themes.ts, computed the same way for every system (papermap and BERTopic).

Input (argv[1], JSON): {"docs": path of a JSON list of texts, "vectors": path of float32 rows, "dims": int,
"systems": {name: {"topics": [[term, ...], ...], "assignment": [topic per doc, -1 = outlier]}}}
Output (stdout, JSON): {name: {"npmi", "diversity", "silhouette", "topics", "coverage"}}

- Tokenisation (docs and topic terms alike): BERTopic's preprocessing (keep letters, digits, spaces), then
  scikit-learn's CountVectorizer token pattern, lower case, English stop words removed, so a phrase from either system
  matches the same token sequence in the corpus.
- NPMI coherence (Bouma 2009; Lau et al. 2014) over the corpus with documents as the co-occurrence window:
  NPMI(a, b) = log(p(a,b) / (p(a) p(b))) / -log p(a,b), and -1 when a and b never co-occur. A topic's coherence is the
  mean over pairs of its top-10 terms; a system's is the mean over its topics (outliers are not a topic).
- Topic diversity (Dieng et al. 2020): unique terms among all topics' top-10 terms / all those terms.
- Silhouette: cosine silhouette of the assignment on the same embeddings, outliers left out; coverage says how many
  documents were assigned at all.
"""

import json
import math
import re
import sys
from itertools import combinations

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.metrics import silhouette_score

TOKEN = re.compile(r"(?u)\b\w\w+\b")
NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
TOP_N = 10


def tokens(text):
    # BERTopic's own preprocessing first (it drops every character but letters, digits and spaces, so "multi-task"
    # becomes "multitask"), applied to both systems' terms and to the corpus, so neither loses matches to spelling.
    plain = NON_ALNUM.sub("", text.lower().replace("\n", " "))
    return [t for t in TOKEN.findall(plain) if t not in ENGLISH_STOP_WORDS]


def doc_index(docs):
    """Each document as ' tok tok … ' so a phrase is found with one substring test."""
    return [" " + " ".join(tokens(d)) + " " for d in docs]


def occurrences(term, padded):
    key = " " + " ".join(tokens(term)) + " "
    if key.strip() == "":
        return frozenset()
    return frozenset(i for i, d in enumerate(padded) if key in d)


def npmi(topics, padded):
    n = len(padded)
    cache = {}
    scores = []
    for topic in topics:
        terms = topic[:TOP_N]
        for t in terms:
            if t not in cache:
                cache[t] = occurrences(t, padded)
        pairs = []
        for a, b in combinations(terms, 2):
            da, db = cache[a], cache[b]
            joint = len(da & db)
            if joint == 0 or not da or not db:
                pairs.append(-1.0)
                continue
            pab, pa, pb = joint / n, len(da) / n, len(db) / n
            pairs.append(1.0 if pab == 1 else math.log(pab / (pa * pb)) / -math.log(pab))
        if pairs:
            scores.append(sum(pairs) / len(pairs))
    return sum(scores) / len(scores) if scores else 0.0


def diversity(topics):
    terms = [" ".join(tokens(t)) for topic in topics for t in topic[:TOP_N]]
    return len(set(terms)) / len(terms) if terms else 0.0


def silhouette(vectors, assignment):
    labels = np.asarray(assignment)
    mask = labels >= 0
    if len(set(labels[mask].tolist())) < 2:
        return 0.0
    return float(silhouette_score(vectors[mask], labels[mask], metric="cosine"))


def main():
    args = json.loads(sys.argv[1])
    with open(args["docs"], encoding="utf8") as f:
        docs = json.load(f)
    vectors = np.fromfile(args["vectors"], dtype=np.float32).reshape(len(docs), args["dims"])
    padded = doc_index(docs)
    out = {}
    for name, system in args["systems"].items():
        topics = [t for t in system["topics"] if t]
        assignment = system["assignment"]
        out[name] = {
            "npmi": round(npmi(topics, padded), 4),
            "diversity": round(diversity(topics), 4),
            "silhouette": round(silhouette(vectors, assignment), 4),
            "topics": len(topics),
            "coverage": round(sum(1 for a in assignment if a >= 0) / len(assignment), 4),
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
