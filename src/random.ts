// Seeded randomness shared by every stage, bench and test that needs it: one PRNG, so "same seed" means one thing.

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
