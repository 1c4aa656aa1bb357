// BibTeX reading bench: papermap's own linear reader against @retorquere/bibtex-parser (the reader it replaced) and
// citation-js's BibTeX plugin (@citation-js/plugin-bibtex, already a dependency for export), in the same run.
//
// Files: the largest real .bib exports among the test fixtures of retorquere/zotero-better-bibtex (user libraries from
// Zotero, JabRef and Mendeley bug reports), read from its git mirror at BIB_COMMIT (fetch it with the `fetch` tool:
// github:retorquere/zotero-better-bibtex); rows for files that are missing are left out. Plus two hostile shapes from
// issue 13: one entry with a 100,000-word abstract, and 20,000 tiny entries.
// Each row: median wall time of papermap's bibtex reader (`readText(…, {format: 'bibtex'})`: scan, LaTeX to text,
// normalised papers) and of the old parser's `parse` alone (without our mapping), repeats alternating; citation-js is
// timed from text to its records (its grammar, LaTeX to Unicode, then its mapping to CSL-JSON: what our reader does).
// Run alone: npx tsx bench/ingest.ts [--quick]

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parse } from '@retorquere/bibtex-parser';
// @ts-expect-error no published types; the plugin's own input steps (text -> entries -> CSL-JSON)
import { parse as citationParseFile } from '@citation-js/plugin-bibtex/lib/input/file.js';
// @ts-expect-error as above
import { parseBibtex as citationToCsl } from '@citation-js/plugin-bibtex/lib/input/entries.js';
import { readText } from '../src/ingest/index.js';
import { median, row, type BenchResult, type BenchRow } from './lib.js';

/** The mirror and commit the real files come from. */
export const BIB_MIRROR = '/work/.mirror/retorquere+zotero-better-bibtex/repo';
export const BIB_COMMIT = '73dd6799831d1c11f0186bd44bbb26c43b95e521';
const BIB_FILES = [
  'test/fixtures/export/Bulk performance test.bib',
  'test/fixtures/import/web_page and other mendeley idiocy.bib',
  'test/fixtures/import/Some bibtex entries quietly discarded on import from bib file #873.bib',
  'test/fixtures/import/Maintain the JabRef group and subgroup structure when importing a BibTeX db #97.bib',
  'test/fixtures/import/Unabbreviate on import #1436-3.bib',
  'test/fixtures/export/Cache does not seem to fill #1296.bibtex',
];

function realFile(path: string): string | undefined {
  if (!existsSync(BIB_MIRROR)) return undefined;
  try {
    return execFileSync('git', ['-C', BIB_MIRROR, 'show', `${BIB_COMMIT}:${path}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

const OLD_OPTIONS = { sentenceCase: false, english: false, caseProtection: false } as const;

function words(count: number): string {
  return Array.from({ length: count }, (_, i) => `word${i % 997}`).join(' ');
}

export async function run(opts: { quick?: boolean } = {}): Promise<BenchResult> {
  const repeats = opts.quick ? 3 : 5;
  const longWords = opts.quick ? 20_000 : 100_000;
  const inputs: { name: string; text: string; oldRepeats?: number }[] = [];
  for (const path of BIB_FILES) {
    const text = realFile(path);
    // The old parser takes about 30 s per MB here: one run of it on the largest files.
    if (text !== undefined) inputs.push({ name: path.split('/').pop() as string, text, ...(text.length > 1_000_000 ? { oldRepeats: 1 } : {}) });
  }
  inputs.push({ name: `one entry, ${longWords.toLocaleString('en')}-word abstract (issue 13)`, text: `@article{long,\n  title = {Long},\n  year = {2020},\n  abstract = {${words(longWords)}}\n}\n`, oldRepeats: 1 });
  inputs.push({
    name: '20,000 tiny entries',
    text: Array.from({ length: 20_000 }, (_, i) => `@misc{k${i}, title = {T ${i}}, year = 2020}\n`).join(''),
    oldRepeats: 1,
  });
  const rows: BenchRow[] = [];
  const details: Record<string, unknown>[] = [];
  for (const input of inputs) {
    const ours: number[] = [];
    const old: number[] = [];
    const cite: number[] = [];
    let entriesOld = 0;
    let recordsCite = 0;
    let citeError: string | undefined;
    let recordsOurs = 0;
    let papersOurs = 0;
    for (let r = 0; r < repeats; r++) {
      let t0 = performance.now();
      const read = readText(input.text, 'bench.bib', { format: 'bibtex' });
      ours.push(performance.now() - t0);
      recordsOurs = read.records;
      papersOurs = read.papers.length;
      if (r < (input.oldRepeats ?? repeats)) {
        t0 = performance.now();
        const lib = parse(input.text, OLD_OPTIONS);
        old.push(performance.now() - t0);
        entriesOld = lib.entries.length;
      }
      if (r < (input.oldRepeats ?? repeats) && citeError === undefined) {
        t0 = performance.now();
        try {
          const csl = (citationToCsl as (entries: unknown) => unknown[])((citationParseFile as (text: string) => unknown)(input.text));
          cite.push(performance.now() - t0);
          recordsCite = csl.length;
        } catch (error) {
          // citation-js refuses a whole file for one malformed entry: no time, and the reason in the row
          citeError = String((error as Error).message ?? error).split('\n')[0]?.slice(0, 120);
        }
      }
    }
    const kb = Math.round(Buffer.byteLength(input.text) / 1024);
    const oursMs = Math.round(median(ours) * 10) / 10;
    const oldMs = Math.round(median(old) * 10) / 10;
    rows.push(
      row({
        bench: 'ingest',
        metric: `BibTeX read: ${input.name} (${kb} KB)`,
        unit: 'ms',
        papermap: oursMs,
        peer: '@retorquere/bibtex-parser 9.0.29 parse',
        peerValue: oldMs,
        higherIsBetter: false,
        note: `papermap ${recordsOurs} records (${papersOurs} papers with an abstract), old parser ${entriesOld} entries; medians of ${ours.length} and ${old.length} runs`,
      }),
    );
    const citeMs = cite.length ? Math.round(median(cite) * 10) / 10 : undefined;
    rows.push(
      row({
        bench: 'ingest',
        metric: `BibTeX read: ${input.name} (${kb} KB), vs citation-js`,
        unit: 'ms',
        papermap: oursMs,
        peer: '@citation-js/plugin-bibtex 0.8.2 (text to CSL-JSON)',
        ...(citeMs === undefined ? {} : { peerValue: citeMs }),
        higherIsBetter: false,
        note: citeError
          ? `papermap ${recordsOurs} records (${papersOurs} papers with an abstract); citation-js read nothing: it threw "${citeError}"`
          : `papermap ${recordsOurs} records, citation-js ${recordsCite} records; medians of ${ours.length} and ${cite.length} runs`,
      }),
    );
    details.push({ name: input.name, bytes: Buffer.byteLength(input.text), oursMs: ours, oldMs: old, citeMs: cite, recordsOurs, papersOurs, entriesOld, recordsCite, ...(citeError ? { citeError } : {}) });
    process.stderr.write(`  ${input.name}: papermap ${oursMs} ms, old ${oldMs} ms, citation-js ${citeMs ?? citeError} ms\n`);
  }
  return { rows, details: { source: `${BIB_MIRROR} at ${BIB_COMMIT}`, inputs: details } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  for (const r of result.rows) console.log(`${r.metric}: ${r.papermap} ms vs ${r.peerValue} ms (×${r.ratio})  ${r.note}`);
}
