// Seeded randomness shared by every stage, bench and test that needs it: one PRNG, so "same seed" means one thing.
// No Node module: the map page bundles it.

/** 32-bit FNV-1a of a string's UTF-16 code units: fast and well spread, for buckets and samples, not for integrity. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state PRNG, uniform in [0, 1). Stages hand it to libraries
 * that take a `random` function (umap-js), so their output is a pure function of inputs and seed.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box–Muller: √(−2 ln u₁) · cos 2πu₂). */
export function seededGaussian(seed: number): () => number {
  const rand = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/**
 * `take` of the rows, ascending: those whose ids have the smallest 32-bit FNV-1a hashes (bottom-k sampling, ties by
 * row). The same papers whatever the seed or the order of the rows, and adding papers changes the sample only where a
 * new id hashes lower than the sample's largest, so a corpus that grows by 1 % keeps about 99 % of its sample.
 */
export function idSample(ids: readonly string[], take: number): number[] {
  if (take >= ids.length) return ids.map((_, i) => i);
  const hashes = Uint32Array.from(ids, fnv1a);
  const order = Array.from({ length: ids.length }, (_, i) => i).sort((a, b) => (hashes[a] as number) - (hashes[b] as number) || a - b);
  return order.slice(0, take).sort((a, b) => a - b);
}

/** `take` distinct row numbers out of n, ascending, by a seeded partial Fisher–Yates shuffle. */
export function seededSubsample(n: number, take: number, seed: number): number[] {
  const picked = Array.from({ length: n }, (_, i) => i);
  if (take >= n) return picked;
  const random = seededRandom(seed);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (n - i));
    [picked[i], picked[j]] = [picked[j] as number, picked[i] as number];
  }
  return picked.slice(0, take).sort((a, b) => a - b);
}
