// The export formats and their options, apart from the writers (which load citation-js), so that listing them is cheap.

import { oneOf, resolveOptions } from '../options.js';

/** The formats an export can be written in. */
export const EXPORT_FORMATS = ['bibtex', 'ris', 'csl-json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File name ending and media type of each format (for `--out` suggestions and the map page's downloads). */
export const EXPORT_FILES: Record<ExportFormat, { extension: string; mediaType: string }> = {
  bibtex: { extension: 'bib', mediaType: 'application/x-bibtex' },
  ris: { extension: 'ris', mediaType: 'application/x-research-info-systems' },
  'csl-json': { extension: 'json', mediaType: 'application/vnd.citationstyles.csl+json' },
  csv: { extension: 'csv', mediaType: 'text/csv' },
};

/** Options of exportPapers. */
export interface ExportOptions {
  /** Output format. Default 'bibtex'. */
  format: ExportFormat;
}

export const EXPORT_DEFAULTS: ExportOptions = { format: 'bibtex' };

/** Merges and checks export options; an unknown format throws BAD_OPTION. */
export function resolveExportOptions(options?: Partial<ExportOptions>): Readonly<ExportOptions> {
  return resolveOptions(EXPORT_DEFAULTS, options, { format: oneOf(...EXPORT_FORMATS) });
}
