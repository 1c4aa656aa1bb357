// The map page's stylesheet: a full-window canvas with a search bar, a legend, zoom buttons and a side panel over it.

/** CSS inlined into map.html. */
export const MAP_CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #e3e0d8; --paper: #fffefb; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; overflow: hidden; background: #fbfaf7; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
#map-canvas { position: fixed; inset: 0; display: block; cursor: crosshair; touch-action: none; }
#map-canvas.dragging { cursor: grabbing; }
#map-canvas.selecting { cursor: cell; }
.filter-row { display: flex; align-items: center; gap: 8px; margin-top: 6px; font-size: 12px; color: var(--muted); flex-wrap: wrap; }
.filter-row input[type=number] { width: 64px; padding: 2px 4px; font: inherit; border: 1px solid #cfcac0; border-radius: 5px; }
.filter-row .check { display: inline-flex; align-items: center; gap: 4px; }
#bar.year-colours .filter-row .check::after { content: ''; width: 60px; height: 8px; border-radius: 4px; background: var(--year-ramp); }
#bar { position: fixed; top: 12px; left: 12px; width: 300px; padding: 10px 12px; background: var(--paper);
  border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 2px 10px rgba(0,0,0,.06); }
#bar h1 { margin: 0 0 6px; font-size: 15px; font-weight: 650; }
.search-row { display: flex; flex-direction: column; gap: 4px; }
#search { width: 100%; padding: 6px 9px; font: inherit; border: 1px solid #cfcac0; border-radius: 7px; background: #fff; }
#search:focus { outline: 2px solid #4e79a7; outline-offset: 0; }
#search-status { color: var(--muted); font-size: 12px; min-height: 1em; }
#legend { position: fixed; top: 176px; left: 12px; bottom: 12px; width: 300px; display: flex; flex-direction: column;
  background: var(--paper); border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 2px 10px rgba(0,0,0,.06); }
.legend-head { display: flex; justify-content: space-between; align-items: center; padding: 8px 12px 4px; font-weight: 650; }
.legend-head button { font: inherit; font-size: 12px; color: var(--muted); background: none; border: 0; cursor: pointer; }
#legend-list { list-style: none; margin: 0; padding: 0 6px 8px; overflow-y: auto; }
.legend-row { display: flex; align-items: center; gap: 8px; width: 100%; padding: 3px 6px; font: inherit; font-size: 13px;
  text-align: left; color: var(--ink); background: none; border: 0; border-radius: 6px; cursor: pointer; }
.legend-row:hover { background: #f1efe9; }
.legend-row[aria-pressed="false"] { opacity: .38; }
.legend-label { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.legend-size { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 12px; }
.swatch { flex: none; width: 11px; height: 11px; border-radius: 50%; display: inline-block; }
#zoom { position: fixed; left: 324px; bottom: 12px; display: flex; gap: 4px; }
#zoom .tool-sep { width: 8px; }
#zoom button[aria-pressed="true"] { background: #e6eef8; border-color: #9bb4d6; }
#zoom button.tool, #zoom #chart-toggle { width: auto; padding: 0 9px; font-size: 13px; }
#zoom button { width: 34px; height: 34px; font-size: 18px; background: var(--paper); border: 1px solid var(--line);
  border-radius: 8px; cursor: pointer; }
#panel { position: fixed; top: 12px; right: 12px; bottom: 12px; width: 400px; overflow-y: auto; background: var(--paper);
  border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 2px 14px rgba(0,0,0,.08); }
#panel[hidden], #tooltip[hidden] { display: none; }
.panel-body { padding: 12px 16px 16px; }
.panel-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.panel-kicker { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.close { font-size: 20px; line-height: 1; background: none; border: 0; cursor: pointer; color: var(--muted); }
.chip { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); }
.paper-title { margin: 8px 0 4px; font-size: 17px; line-height: 1.3; overflow-wrap: anywhere; }
.paper-meta { margin: 0 0 6px; color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
.paper-url { display: block; margin-bottom: 6px; font-size: 12px; overflow-wrap: anywhere; }
.paper-abstract { margin: 8px 0 12px; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
#panel h3 { margin: 14px 0 6px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.related { margin: 0; padding-left: 20px; }
.related li { margin: 2px 0; }
.paper-link { display: block; width: 100%; padding: 3px 4px; font: inherit; text-align: left; color: var(--ink);
  background: none; border: 0; border-radius: 5px; cursor: pointer; }
.paper-link:hover { background: #f1efe9; }
.paper-link-title { display: block; font-size: 13px; overflow-wrap: anywhere; }
.paper-link-detail { display: block; font-size: 11px; color: var(--muted); }
.empty { color: var(--muted); font-size: 13px; }
#chart { position: fixed; left: 324px; bottom: 56px; padding: 8px 10px; background: var(--paper); border: 1px solid var(--line);
  border-radius: 10px; box-shadow: 0 2px 10px rgba(0,0,0,.06); max-width: 560px; }
#chart[hidden] { display: none; }
.chart-head { font-size: 12px; font-weight: 650; margin-bottom: 4px; }
.chart-themes { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; max-width: 520px; }
.chart-theme { display: inline-flex; align-items: center; gap: 4px; font: inherit; font-size: 11px; padding: 1px 6px; color: var(--ink);
  background: none; border: 1px solid var(--line); border-radius: 10px; cursor: pointer; }
.chart-theme[aria-pressed="true"] { background: #e6eef8; border-color: #9bb4d6; }
.paper-links { margin: 0 0 6px; }
.download-row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 6px 0 10px; }
.download { font: inherit; font-size: 12px; padding: 3px 9px; background: #fff; border: 1px solid #cfcac0; border-radius: 6px; cursor: pointer; }
.download:hover { background: #f1efe9; }
#tooltip { position: fixed; max-width: 360px; padding: 5px 8px; font-size: 12.5px; pointer-events: none; color: #fff;
  background: rgba(29, 29, 31, .92); border-radius: 6px; overflow-wrap: anywhere; }
@media (max-width: 900px) { #legend { display: none; } #zoom { left: auto; right: 12px; } #panel { width: auto; left: 12px; top: auto; height: 55%; } }
`;
