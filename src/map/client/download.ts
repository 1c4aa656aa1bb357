// Downloads from the page: papers rebuilt from the map's data and written by the export stage's own code (offline).

import type { Paper } from '../../records.js';
import type { MapData } from './data.js';

/** The export stage as src/export/browser.ts puts it on the page. */
interface PageExport {
  exportPapers(papers: readonly Paper[], options: { format: string }): string;
  EXPORT_FILES: Record<string, { extension: string; mediaType: string }>;
  EXPORT_FORMATS: readonly string[];
}

function pageExport(): PageExport | undefined {
  return (window as unknown as { papermapExport?: PageExport }).papermapExport;
}

/** The formats the page can write; empty when the page was rendered without the export script. */
export function downloadFormats(): readonly string[] {
  return pageExport()?.EXPORT_FORMATS ?? [];
}

/** Paper i as a record, as papers.jsonl had it (sources left out: an export does not write them). */
export function paperAt(data: MapData, i: number): Paper {
  const cite = data.cite[i] ?? {};
  const paper: Paper = { id: data.ids[i] ?? '', abstract: data.abstracts[i] ?? '', authors: cite.authors ?? [], sources: [] };
  if (data.titles[i]) paper.title = data.titles[i];
  if (data.years[i]) paper.year = data.years[i];
  if (cite.date) paper.date = cite.date;
  if (data.dois[i]) paper.doi = data.dois[i];
  if (data.arxivIds[i]) paper.arxivId = data.arxivIds[i];
  if (data.urls[i]) paper.url = data.urls[i];
  if (cite.citationKey) paper.citationKey = cite.citationKey;
  if (cite.entryType) paper.entryType = cite.entryType;
  if (cite.fields) paper.fields = cite.fields;
  return paper;
}

/** The export text of papers `indices` in `format` (the same bytes `papermap export` writes for them). */
export function exportText(data: MapData, indices: readonly number[], format: string): string {
  const exporter = pageExport();
  if (!exporter) throw new Error('papermap map: this page has no export script');
  return exporter.exportPapers(indices.map((i) => paperAt(data, i)), { format });
}

/** Saves papers `indices` as `<name>.<ext>` through a Blob link (no server, works from file://). */
export function downloadPapers(data: MapData, indices: readonly number[], format: string, name: string): void {
  const exporter = pageExport();
  if (!exporter) return;
  const file = exporter.EXPORT_FILES[format];
  const blob = new Blob([exportText(data, indices, format)], { type: `${file?.mediaType ?? 'text/plain'};charset=utf-8` });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `${name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'papers'}.${file?.extension ?? 'txt'}`;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
