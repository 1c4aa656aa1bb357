// The export step: a theme, a similar/search result, a list of ids or every paper, written by the export stage.

import { PapermapError } from '../errors.js';
import { resolveExportOptions, type ExportFormat } from '../export/formats.js';
import { freshness, readPapers } from '../project/index.js';
import type { Paper } from '../records.js';
import { openRelated, resolvePaper } from './related.js';
import { readTarget, type Target } from './session.js';
import { themeOf } from './themes.js';

/** Which papers to export: at most one selector; none exports every paper. */
export interface ExportSelection {
  /** Theme id as `papermap themes` lists it. */
  theme?: number;
  /** A paper (id, DOI, arXiv id or title fragment): its nearest papers, as `papermap similar` lists them. */
  similar?: string;
  /** Free text: the papers nearest in meaning, as `papermap search` lists them. */
  search?: string;
  /** Paper ids, DOIs or arXiv ids, in the order given. */
  ids?: readonly string[];
  /** Papers for --similar and --search. Default 20; 1–1000. */
  k?: number;
}

/** What `papermap export` produces. */
export interface ExportSummary {
  format: ExportFormat;
  /** Ids of the papers written, in order. */
  ids: string[];
  text: string;
}

/** Papers of the project's current themes with theme id `theme`, in papers.jsonl order. */
function themePapers(target: Target, theme: number): Paper[] {
  const project = readTarget(target);
  if (freshness(project, 'themes').state !== 'fresh') throw new PapermapError('PROJECT_STALE', 'the project has no up-to-date themes', undefined, 'run `papermap themes` first');
  const of = themeOf(project);
  const papers = readPapers(project).filter((p) => of.get(p.id)?.id === theme);
  if (papers.length === 0) {
    const known = [...new Set([...of.values()].map((t) => t.id))].sort((a, b) => a - b);
    throw new PapermapError('NOT_FOUND', `no theme ${theme}: the themes are ${known[0] ?? 'none'}–${known[known.length - 1] ?? 'none'}`, undefined, 'list them with `papermap themes`');
  }
  return papers;
}

/** `papermap export`: the selected papers in one format (BibTeX, RIS, CSL-JSON or CSV). */
export async function exportCommand(target: Target, selection: ExportSelection, format: string): Promise<ExportSummary> {
  const options = resolveExportOptions({ format: format as ExportFormat });
  const chosen = (['theme', 'similar', 'search', 'ids'] as const).filter((key) => selection[key] !== undefined);
  if (chosen.length > 1) throw new PapermapError('BAD_OPTION', `give at most one of --theme, --similar, --search, --ids (got ${chosen.map((c) => `--${c}`).join(', ')})`);
  const k = selection.k ?? 20;
  if (!(Number.isInteger(k) && k >= 1 && k <= 1000)) throw new PapermapError('BAD_OPTION', `option 'k' is ${k}: expected an integer from 1 to 1000`);
  let papers: Paper[];
  if (selection.theme !== undefined) papers = themePapers(target, selection.theme);
  else if (selection.similar !== undefined) papers = (await openRelated(readTarget(target)).similar(selection.similar, k)).neighbours.map((h) => h.paper);
  else if (selection.search !== undefined) papers = (await openRelated(readTarget(target)).search(selection.search, k)).map((h) => h.paper);
  else if (selection.ids !== undefined) {
    const all = new Map(readPapers(readTarget(target)).map((p) => [p.id, p]));
    papers = selection.ids.map((ref) => resolvePaper(all, ref));
  } else papers = readPapers(readTarget(target));
  return { format: options.format, ids: papers.map((p) => p.id), text: (await import('../export/index.js')).exportPapers(papers, options) };
}
