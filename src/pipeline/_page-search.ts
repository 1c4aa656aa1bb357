// The map page's script for search by meaning and related papers without a server: window.papermapSearch, ranking
// with the served search's own code (index/) and explaining with explain/'s. Bundled by browserScript('search') (browser-script.ts).

import { buildPhraseStats, explainSimilar } from '../explain/index.js';
import { offlineSearch, offlineSimilar, openOfflineSearch, openOfflineSearchInSteps } from '../index/offline.js';

/** What the page script finds on window.papermapSearch. */
export interface BrowserSearch {
  openOfflineSearch: typeof openOfflineSearch;
  openOfflineSearchInSteps: typeof openOfflineSearchInSteps;
  offlineSearch: typeof offlineSearch;
  offlineSimilar: typeof offlineSimilar;
  /** explain/'s own code, so the page says why two papers are related as `papermap similar` does. */
  buildPhraseStats: typeof buildPhraseStats;
  explainSimilar: typeof explainSimilar;
}

(globalThis as unknown as { papermapSearch: BrowserSearch }).papermapSearch = { openOfflineSearch, openOfflineSearchInSteps, offlineSearch, offlineSimilar, buildPhraseStats, explainSimilar };
