// Real papers for the scale bench: the union of every unique arXiv listing (bench/corpora/arxiv.ts) and the ACL
// Anthology abstracts (bench/corpora/acl.ts), read by papermap's own ingest, ranked by a seeded hash of the paper id;
// the first 10,000 and 100,000 of that order are the nested 10k and 100k samples. Their vectors are embedded once, in
// that order and in chunks that survive a restart, and cached beside the papers.
//
//   npx tsx bench/scale-corpus.ts [--size 100000] [--max-chars 0] [--dir /work/wt/shared-corpora/scale-real]
//
// Files in DIR: papers.jsonl (the ranked Paper records, the largest size), sources.json (commits, counts),
// vectors-<variant>.f32 (+ .ids.json when complete). `--max-chars N` cuts each embedded text (title. abstract) to N
// characters at a word boundary — only to fit the embedding into a bench's time; the row notes say so.

import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedTexts, paperText } from '../src/embed/index.js';
import { ingest } from '../src/ingest/index.js';
import { seededGaussian } from '../src/random.js';
import type { Embeddings, Paper } from '../src/records.js';
import { ACL_MIRROR, ACL_XML_COMMIT, aclJsonLine, readAclPapers } from './corpora/acl.js';
import { ARXIV_DATA_COMMIT, readListings, writeSample } from './corpora/arxiv.js';

/** Default folder of the real scale corpus (outside the repository, shared between worktrees). */
export const SCALE_DIR = '/work/wt/shared-corpora/scale-real';
/** Seed of the hash order that draws the samples. */
export const SCALE_SEED = 42;
const ARXIV_MIRROR = '/work/.mirror/dw-dengwei+daily-arXiv-ai-enhanced/repo';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

function rank(id: string): string {
  return createHash('sha256').update(`${SCALE_SEED}:${id}`).digest('hex');
}

/** Writes the source files, ingests them with papermap and keeps the first `size` papers in seeded-hash order. */
async function buildPapers(dir: string, size: number): Promise<Paper[]> {
  const arxiv = readListings(ARXIV_MIRROR, ARXIV_DATA_COMMIT);
  const arxivFile = writeSample(arxiv, 'arxiv-all', ARXIV_DATA_COMMIT, dir).papers;
  const acl = readAclPapers(ACL_MIRROR, ACL_XML_COMMIT);
  const aclFile = join(dir, 'acl-all.jsonl');
  writeFileSync(aclFile, acl.map(aclJsonLine).join('\n') + '\n');
  const { papers } = await ingest([arxivFile, aclFile], { keepGoing: true });
  const ranked = papers.map((p) => ({ p, r: rank(p.id) })).sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0)).map((x) => x.p);
  const chosen = ranked.slice(0, size);
  writeFileSync(join(dir, 'papers.jsonl'), chosen.map((p) => JSON.stringify(p)).join('\n') + '\n');
  const fromAcl = chosen.filter((p) => p.sources[0]?.file === aclFile).length;
  writeFileSync(
    join(dir, 'sources.json'),
    `${JSON.stringify({ seed: SCALE_SEED, arxiv: { repo: 'github.com/dw-dengwei/daily-arXiv-ai-enhanced', branch: 'data', commit: ARXIV_DATA_COMMIT, listings: arxiv.length }, acl: { repo: 'github.com/Bhavyashah20/acl-anthology (fork of acl-org/acl-anthology)', commit: ACL_XML_COMMIT, abstracts: acl.length }, ingested: papers.length, size: chosen.length, fromArxiv: chosen.length - fromAcl, fromAcl }, null, 1)}\n`,
  );
  return chosen;
}

/** The ranked papers of the real scale corpus (the first `n`). */
export function scalePapers(n: number, dir: string = SCALE_DIR): Paper[] {
  const lines = readFileSync(join(dir, 'papers.jsonl'), 'utf8').split('\n').filter(Boolean);
  if (lines.length < n) throw new Error(`${dir}/papers.jsonl holds ${lines.length} papers, ${n} asked: run bench/scale-corpus.ts`);
  return lines.slice(0, n).map((l) => JSON.parse(l) as Paper);
}

/** Cached vectors of the first `n` papers of the real scale corpus, or undefined when not embedded that far. */
export function scaleEmbeddings(n: number, variant: string, dir: string = SCALE_DIR): (Embeddings & { note: string }) | undefined {
  const file = join(dir, `vectors-${variant}.f32`);
  const metaFile = join(dir, `vectors-${variant}.json`);
  if (!existsSync(file) || !existsSync(metaFile)) return undefined;
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { modelId: string; dims: number; note: string };
  const rows = statSync(file).size / 4 / meta.dims;
  if (rows < n) return undefined;
  const buf = readFileSync(file);
  const vectors = new Float32Array(buf.buffer, buf.byteOffset, n * meta.dims).slice();
  return { modelId: meta.modelId, dims: meta.dims, ids: scalePapers(n, dir).map((p) => p.id), vectors, note: meta.note };
}

/**
 * Real-text vectors without the model, for sizes the shared CPUs cannot embed in a bench's time: TF-IDF of the paper
 * text (words of 3+ letters, sublinear tf 1 + ln tf, idf ln(N / df), terms in at least 3 papers) projected to `dims`
 * dimensions by a seeded Gaussian random projection (Johnson–Lindenstrauss: cosines kept to about ±1/√dims), unit
 * length. Topics and near-duplicates of the real corpus survive; the model's finer semantics do not.
 */
export function tfidfProjection(papers: readonly Paper[], dims: number, seed: number): Float32Array {
  const docs = papers.map((p) => {
    const counts = new Map<string, number>();
    for (const w of paperText(p).toLowerCase().match(/[a-z][a-z-]{2,}/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
    return counts;
  });
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const terms = [...df.entries()].filter(([, c]) => c >= 3).map(([t]) => t).sort();
  const column = new Map(terms.map((t, i) => [t, i]));
  const g = seededGaussian(seed);
  const projection = new Float32Array(terms.length * dims);
  for (let i = 0; i < projection.length; i++) projection[i] = g();
  const out = new Float32Array(papers.length * dims);
  docs.forEach((d, row) => {
    const o = row * dims;
    for (const [t, tf] of d) {
      const c = column.get(t);
      if (c === undefined) continue;
      const w = (1 + Math.log(tf)) * Math.log(papers.length / (df.get(t) as number));
      const r = c * dims;
      for (let k = 0; k < dims; k++) out[o + k] = (out[o + k] as number) + w * (projection[r + k] as number);
    }
    let norm = 0;
    for (let k = 0; k < dims; k++) norm += (out[o + k] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < dims; k++) out[o + k] = (out[o + k] as number) / norm;
  });
  return out;
}

/** paperText cut to at most `maxChars` characters at a word boundary (0: whole text). */
export function cutText(text: string, maxChars: number): string {
  if (maxChars <= 0 || text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return space > maxChars / 2 ? cut.slice(0, space) : cut;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = arg('dir', SCALE_DIR);
  const size = Number(arg('size', '100000'));
  const maxChars = Number(arg('max-chars', '0'));
  const chunk = Number(arg('chunk', '1000'));
  mkdirSync(dir, { recursive: true });
  const papers = existsSync(join(dir, 'papers.jsonl')) ? scalePapers(size, dir) : await buildPapers(dir, size);
  process.stderr.write(`scale-corpus: ${papers.length} papers in ${dir}\n`);
  if (process.argv.includes('--tfidf')) {
    const t0 = Date.now();
    const vectors = tfidfProjection(papers, 384, SCALE_SEED);
    writeFileSync(join(dir, 'vectors-tfidf384.f32'), new Uint8Array(vectors.buffer));
    writeFileSync(join(dir, 'vectors-tfidf384.json'), `${JSON.stringify({ modelId: 'tfidf-random-projection/384', dims: 384, rows: papers.length, note: 'TF-IDF of title + abstract, seeded Gaussian projection to 384-d (no model: MiniLM could not embed 100k texts on the shared cores in time)' })}\n`);
    process.stderr.write(`scale-corpus: TF-IDF projection of ${papers.length} papers in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    process.exit(0);
  }
  const variant = maxChars > 0 ? `minilm-int8-cut${maxChars}` : 'minilm-int8';
  const file = join(dir, `vectors-${variant}.f32`);
  let done = existsSync(file) ? statSync(file).size / 4 / 384 : 0;
  const started = Date.now();
  let dims = 384;
  let modelId = '';
  while (done < papers.length) {
    const part = papers.slice(done, done + chunk).map((p) => cutText(paperText(p), maxChars));
    const r = await embedTexts(part, { model: 'all-MiniLM-L6-v2', threads: Number(arg('threads', '0')) });
    dims = r.dims;
    modelId = r.modelId;
    appendFileSync(file, new Uint8Array(r.vectors.buffer, r.vectors.byteOffset, r.vectors.byteLength));
    done += part.length;
    process.stderr.write(`scale-corpus: embedded ${done}/${papers.length} (${((Date.now() - started) / 1000).toFixed(0)} s this run)\n`);
  }
  const note = maxChars > 0 ? `embedded texts cut to ${maxChars} characters (bench only)` : 'whole title + abstract embedded';
  writeFileSync(join(dir, `vectors-${variant}.json`), `${JSON.stringify({ modelId: modelId || 'all-MiniLM-L6-v2/int8', dims, rows: done, note })}\n`);
  process.stderr.write('scale-corpus: done\n');
}
