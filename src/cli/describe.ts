// Text output of the pipeline's summaries, shared by the commands that print them.

import { skipLocation, type EmbedSummary, type HitRow, type IndexSummary, type IngestSummary, type MapSummary, type ThemesSummary } from '../pipeline/index.js';
import { clip, plural } from './shared.js';

/** Most duplicate groups and skips listed in text output; --json and the skip report hold them all. */
const TEXT_LIST_LIMIT = 30;

/** Text lines describing an ingest summary. */
export function describeIngest(s: IngestSummary): string[] {
  const lines: string[] = [];
  const width = Math.max(0, ...s.files.map((f) => f.file.length));
  for (const f of s.files) {
    const encoding = f.encoding && f.encoding !== 'utf-8' ? ` (read as ${f.encoding})` : '';
    lines.push(`${f.file.padEnd(width)}  ${f.format.padEnd(20)} ${plural(f.records, 'record')}: ${f.kept} kept, ${f.skipped} skipped${encoding}`);
  }
  for (const f of s.failedFiles) lines.push(`${f.file.padEnd(width)}  FAILED: ${f.message}`);
  for (const p of s.forgotten) lines.push(`${p}: no longer exists, forgotten`);
  lines.push(`${plural(s.records, 'record')} in ${plural(s.files.length, 'file')}, ${s.kept} kept -> ${plural(s.papers, 'unique paper')} (${plural(s.duplicateGroups, 'duplicate group')} merged)`);
  if (s.duplicates.length) {
    lines.push('', `duplicates merged (${s.duplicates.length}):`);
    for (const d of s.duplicates.slice(0, TEXT_LIST_LIMIT)) {
      lines.push(`  [${d.reason}] ${d.title ? clip(d.title, 60) : d.id}: ${d.sources.map((r) => `${r.file}:${r.line}`).join(', ')}`);
    }
    if (s.duplicates.length > TEXT_LIST_LIMIT) lines.push(`  … and ${s.duplicates.length - TEXT_LIST_LIMIT} more (--json lists them all)`);
  }
  lines.push('', `skipped (${s.skipped.length}):`);
  for (const k of s.skipped.slice(0, TEXT_LIST_LIMIT)) lines.push(`  ${skipLocation(k)}: ${k.reason}`);
  if (s.skipped.length > TEXT_LIST_LIMIT) lines.push(`  … and ${s.skipped.length - TEXT_LIST_LIMIT} more (--json lists them all)`);
  return lines;
}

/** One line describing an embed summary. */
export function describeEmbed(s: EmbedSummary): string {
  if (s.upToDate) return `vectors up to date (${plural(s.papers, 'paper')}, ${s.model})`;
  return `embedded ${plural(s.embedded, 'paper')} with ${s.model} (${s.cacheHits} cache hits) in ${(s.elapsedMs / 1000).toFixed(1)} s`;
}

/** One line describing an index summary. */
export function describeIndex(s: IndexSummary): string {
  const where = s.store === 'local' ? '' : ` in ${s.store}`;
  if (s.upToDate) return `index up to date (${plural(s.papers, 'paper')})${where}`;
  if (s.rebuilt) return `built the index over ${plural(s.papers, 'paper')}${where} in ${(s.elapsedMs / 1000).toFixed(1)} s`;
  return `updated the index${where}: ${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.unchanged} unchanged (${plural(s.papers, 'paper')})`;
}

/** The themes summary as text: areas, then themes with three representative titles, then (level 'sub') sub-themes. */
export function describeThemes(s: ThemesSummary, level: 'areas' | 'themes' | 'sub' = 'themes'): string[] {
  const lines: string[] = [];
  const how = s.origin.mode === 'update' ? 'updated from the previous themes' : s.kScores.length ? `k chosen by stability over k=${s.kScores[0]?.k}..${s.kScores.at(-1)?.k}` : 'k given';
  const by = s.words ? '; grouped by shared words as well as meaning' : '';
  // An update chooses no k, so it has no stability of k to report.
  const stable = s.stability.seeds.length ? `; stability of k: mean ARI ${s.stability.meanAri.toFixed(2)} over ${s.stability.seeds.length} seeded subsamples` : '';
  lines.push(`${plural(s.themes.length, 'theme')} (${how}${by}; silhouette ${s.silhouette.toFixed(3)}${stable})`);
  if (s.origin.mode !== 'fit') lines.push(`${(s.origin.keptShare * 100).toFixed(1)} % of the earlier papers kept their theme`);
  for (const id of s.origin.emerging) lines.push(`emerging: #${id} ${s.themes.find((t) => t.id === id)?.label ?? ''}`);
  for (const v of s.origin.vanished) lines.push(`vanished: #${v.id} ${v.label} (had ${plural(v.size, 'paper')})`);
  if (s.outliers) lines.push(`${plural(s.outliers, 'paper')} fit no theme (outliers)`);
  lines.push('', 'Areas');
  for (const a of s.areas) lines.push(`  ${a.label} (${plural(a.size, 'paper')}): themes ${a.themeIds.join(', ')}`);
  if (level === 'areas') return lines;
  lines.push('', 'Themes');
  for (const t of s.themes) {
    lines.push(`  #${t.id}  ${String(t.size).padStart(4)} papers  ${t.label}${t.emerging ? '  (emerging)' : ''}`);
    for (const r of t.representatives) lines.push(`        - ${clip(r.title, 100)}`);
    const subs = s.subThemes.filter((x) => x.parentId === t.id);
    if (subs.length) lines.push(`        sub-themes: ${subs.map((x) => `${x.label} (${x.size})`).join('; ')}`);
    if (level === 'sub') for (const x of subs) for (const r of x.representatives.slice(0, 1)) lines.push(`          ${t.id}.${x.id} ${x.label}: ${clip(r.title, 80)}`);
  }
  if (s.byYear.length) {
    lines.push('', `Papers per theme and year (dated papers only; columns are themes 0..${s.themes.length - 1})`);
    for (const y of s.byYear) lines.push(`  ${y.year}  ${y.sizes.map((n) => String(n).padStart(3)).join(' ')}`);
  }
  return lines;
}

/** One line describing a map summary: the path comes last so scripts can take the last word. */
export function describeMap(s: MapSummary): string {
  const kept = s.keptPlaces > 0 ? ` (${s.keptPlaces} kept their places)` : '';
  const what = s.upToDate ? 'map is up to date' : `mapped ${plural(s.papers, 'paper')} in ${plural(s.themes, 'theme')} in ${(s.elapsedMs / 1000).toFixed(1)} s${kept}`;
  return `${what}: ${s.out}`;
}

/** Hits as aligned text lines: rank, score, year, title, theme, id. */
export function hitLines(rows: readonly HitRow[]): string[] {
  return rows.flatMap((r) => {
    const title = r.title ?? '(untitled abstract)';
    const theme = r.theme ? `  [${r.theme.label}]` : '';
    const line = `${String(r.rank).padStart(3)}  ${r.score.toFixed(3)}  ${r.year ?? '    '}  ${clip(title, 90)}${theme}  ${r.id}`;
    return r.why?.phrases.length ? [line, `                  shares: ${clip(r.why.phrases.join(' · '), 100)}`] : [line];
  });
}
