// The export stage as the map page gets it: exportPapers on window.papermapExport, so downloads match `papermap export`.

import { EXPORT_FILES, EXPORT_FORMATS, exportPapers } from './index.js';

/** What the page script finds on window.papermapExport. */
export interface BrowserExport {
  exportPapers: typeof exportPapers;
  EXPORT_FILES: typeof EXPORT_FILES;
  EXPORT_FORMATS: typeof EXPORT_FORMATS;
}

(globalThis as unknown as { papermapExport: BrowserExport }).papermapExport = { exportPapers, EXPORT_FILES, EXPORT_FORMATS };
