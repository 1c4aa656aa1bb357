// Shared records that flow between the stages: papers, skips, embeddings, neighbours, themes, map points.

/** Where a record came from: the file and the 1-based line its record starts on. */
export interface SourceRef {
  file: string;
  line: number;
  /** Reader that produced it, e.g. 'bibtex', 'abstract-lines'. */
  format: string;
}

/** One paper after ingest and de-duplication. Plain JSON: safe to write to papers.jsonl. */
export interface Paper {
  /** Stable id: `doi:<doi>`, else `arxiv:<id>`, else `title:<hash>`, else `abstract:<hash>`. */
  id: string;
  title?: string;
  abstract: string;
  authors: string[];
  /** Number of authors when only a count is known (the listing pages give "N authors"). */
  authorCount?: number;
  year?: number;
  /** ISO date (YYYY-MM-DD or YYYY-MM) when the source gives one. */
  date?: string;
  doi?: string;
  arxivId?: string;
  url?: string;
  /** Every place this paper was read from, duplicates included. */
  sources: SourceRef[];
}

/** A record that was not taken, with the reason. */
export interface Skip {
  file: string;
  /** 1-based line; 0 when the whole file was skipped. */
  line: number;
  reason: string;
  format?: string;
}

/** Unit-length vectors in one flat array, row i belonging to ids[i]. */
export interface Embeddings {
  modelId: string;
  dims: number;
  ids: string[];
  vectors: Float32Array;
}

/** One answer to a nearest-neighbour query. Score is cosine similarity (higher is closer). */
export interface Neighbour {
  id: string;
  score: number;
}

/**
 * A k-nearest-neighbour graph over rows of an Embeddings: row i lists its nearest other rows (self excluded), nearest
 * first, and their cosine distances (1 − cos). The index builds it; UMAP takes it as a precomputed graph.
 */
export interface NeighbourGraph {
  indices: number[][];
  distances: number[][];
}

/** A cluster of papers with a human-readable name. */
export interface Theme {
  /** 0-based theme number; -1 is reserved for outliers. */
  id: number;
  /** Short name built from the top terms, e.g. "model merging · task arithmetic". */
  label: string;
  /** Most distinctive terms, best first, with their c-TF-IDF weight. */
  terms: { term: string; weight: number }[];
  size: number;
  paperIds: string[];
  /** The papers closest to the theme's centre, closest first. */
  representativeIds: string[];
  /** Display colour (#rrggbb), kept with the id when the themes are updated. */
  colour?: string;
  /** True when the theme formed since the previous themes; `formedBy` are the new papers that formed it. */
  emerging?: boolean;
  formedBy?: string[];
}

/** A paper's position on the 2-D map. */
export interface MapPoint {
  id: string;
  x: number;
  y: number;
  /** Theme id, -1 when the paper has none. */
  theme: number;
}
