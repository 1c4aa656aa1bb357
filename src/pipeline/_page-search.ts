// The offline search as the map page gets it: window.papermapSearch, ranking with the served search's own code.

import { offlineSearch, openOfflineSearch, openOfflineSearchInSteps } from './offline.js';

/** What the page script finds on window.papermapSearch. */
export interface BrowserSearch {
  openOfflineSearch: typeof openOfflineSearch;
  openOfflineSearchInSteps: typeof openOfflineSearchInSteps;
  offlineSearch: typeof offlineSearch;
}

(globalThis as unknown as { papermapSearch: BrowserSearch }).papermapSearch = { openOfflineSearch, openOfflineSearchInSteps, offlineSearch };
