// Every escape the map needs lives here: HTML text, JSON inside <script>, the inline client, and the page around them.

import { createHash } from 'node:crypto';
import { PapermapError } from '../errors.js';
import { DATA_ELEMENT_ID, SEARCH_ELEMENT_ID } from './client/data.js';
import { MAP_CSS } from './styles.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * Serialises a value as JSON that is safe inside a <script> element: `<`, `>` and `&` become \u003c, \u003e, \u0026,
 * so no `</script>` or `<!--` can end or bend the element, and U+2028/U+2029 are escaped for any JavaScript parser.
 * JSON.parse reads the result back to the identical value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Checks that bundled JavaScript cannot close or comment out its own <script> element. */
export function scriptSafe(js: string): string {
  if (/<\/script|<!--/i.test(js)) throw new PapermapError('BAD_OPTION', 'the map client script contains "</script" or "<!--" and cannot be inlined');
  return js;
}

/** The CSP source for an inline script: its sha256, so only that exact script (and no injected handler) may run. */
export function scriptHash(js: string): string {
  return `'sha256-${createHash('sha256').update(js, 'utf8').digest('base64')}'`;
}

/** What goes into the page. */
export interface PageParts {
  title: string;
  /** The map data, serialised with jsonForScript. */
  dataJson: string;
  /** The bundled client script. */
  clientJs: string;
  /** The export stage's browser script (window.papermapExport); '' leaves the page without downloads. */
  exportJs: string;
  /** The offline search's table, serialised with jsonForScript; '' leaves the page without search by meaning offline. */
  searchJson: string;
  /** The offline search script (window.papermapSearch); inlined only with a table. */
  searchJs: string;
}

/**
 * The whole map page. A Content-Security-Policy allows only the inline client (by hash), inline styles, and fetches
 * to the page's own origin (the live search of `papermap serve`), as a second wall behind the escaping.
 */
export function mapPage(parts: PageParts): string {
  const client = scriptSafe(parts.clientJs);
  const exporter = parts.exportJs ? scriptSafe(parts.exportJs) : '';
  const searcher = parts.searchJson && parts.searchJs ? scriptSafe(parts.searchJs) : '';
  const scripts = [exporter, searcher, client].filter(Boolean).map(scriptHash).join(' ');
  const csp = `default-src 'none'; script-src ${scripts}; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="generator" content="papermap">
<title>${escapeHtml(parts.title)}</title>
<style>${MAP_CSS}</style>
</head>
<body>
<canvas id="map-canvas" aria-label="Map of papers: drag to pan, scroll to zoom, click a point for details"></canvas>
<header id="bar">
<h1>${escapeHtml(parts.title)}</h1>
<div class="search-row">
<input id="search" type="search" placeholder="Search titles and abstracts" autocomplete="off" spellcheck="false" maxlength="500" aria-label="Search papers">
<span id="search-status" aria-live="polite"></span>
</div>
<div class="filter-row" role="group" aria-label="Years">
<label>Years <input id="year-from" type="number" inputmode="numeric" aria-label="From year"></label>
<label>to <input id="year-to" type="number" inputmode="numeric" aria-label="To year"></label>
<label class="check"><input id="colour-year" type="checkbox"> colour by year</label>
</div>
</header>
<nav id="legend" aria-label="Themes">
<div class="legend-head"><span>Themes</span><button id="legend-all" type="button" title="Show or hide every theme">all / none</button></div>
<ol id="legend-list"></ol>
</nav>
<div id="zoom" role="group" aria-label="Zoom">
<button id="zoom-in" type="button" aria-label="Zoom in">+</button>
<button id="zoom-out" type="button" aria-label="Zoom out">−</button>
<button id="zoom-reset" type="button" aria-label="Show the whole map">⤢</button>
<span class="tool-sep"></span>
<button id="tool-pan" class="tool" type="button" aria-pressed="true" title="Drag to pan">Pan</button>
<button id="tool-box" class="tool" type="button" aria-pressed="false" title="Drag a box to select papers (or shift-drag)">Box</button>
<button id="tool-lasso" class="tool" type="button" aria-pressed="false" title="Draw around papers to select them (or alt-drag)">Lasso</button>
<button id="chart-toggle" type="button" aria-pressed="false" title="Papers per theme per year">Chart</button>
</div>
<section id="chart" hidden aria-label="Themes over time"></section>
<aside id="panel" hidden></aside>
<div id="tooltip" role="tooltip" hidden></div>
<script type="application/json" id="${DATA_ELEMENT_ID}">${parts.dataJson}</script>
${searcher ? `<script type="application/json" id="${SEARCH_ELEMENT_ID}">${parts.searchJson}</script>\n<script>${searcher}</script>\n` : ''}${exporter ? `<script>${exporter}</script>\n` : ''}<script>${client}</script>
</body>
</html>
`;
}
