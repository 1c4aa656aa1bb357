// The side panel: one paper (title, year, authors, theme, abstract, related papers) or the search results.

import type { MapData } from './data.js';
import { el } from './dom.js';
import type { RelatedHit } from './search.js';

/** A search-by-meaning answer (the server's, or the page's offline one), as a paper index and cosine similarity. */
export interface SemanticHit {
  index: number;
  score: number;
}

/** The title to show for paper i: its title, else the start of its abstract. */
export function titleOf(data: MapData, i: number): string {
  const title = data.titles[i] ?? '';
  if (title) return title;
  const abstract = data.abstracts[i] ?? '';
  return abstract.length > 90 ? `${abstract.slice(0, 89)}…` : abstract;
}

function themeChip(data: MapData, i: number): HTMLElement {
  const chip = el('span', 'chip');
  const t = data.theme[i] as number;
  const theme = t >= 0 ? data.themes[t] : undefined;
  const swatch = el('span', 'swatch');
  swatch.style.background = theme?.color ?? '#8a8a8a';
  const label = el('span', 'chip-label', theme?.label ?? 'no theme');
  label.title = theme?.label ?? 'no theme';
  chip.append(swatch, label);
  return chip;
}

function paperButton(data: MapData, i: number, detail: string, onSelect: (i: number) => void): HTMLElement {
  const item = el('li');
  const button = el('button', 'paper-link');
  button.type = 'button';
  button.dataset.index = String(i);
  button.append(el('span', 'paper-link-title', titleOf(data, i)), el('span', 'paper-link-detail', detail));
  button.addEventListener('click', () => onSelect(i));
  item.append(button);
  return item;
}

function yearOf(data: MapData, i: number): string {
  const year = data.years[i] ?? 0;
  return year > 0 ? String(year) : '';
}

/** Paper i's related papers stored with the map (the dense neighbours), best first. */
export function storedRelated(data: MapData, i: number): RelatedHit[] {
  const out: RelatedHit[] = [];
  for (let k = 0; k < data.relatedK; k++) {
    const j = data.related[i * data.relatedK + k] as number;
    if (j >= 0) out.push({ index: j, score: data.relatedScore[i * data.relatedK + k] ?? 0 });
  }
  return out;
}

/** "similarity 0.81 · shares: gradient conflict, task weighting" */
function relatedDetail(hit: RelatedHit): string {
  const phrases = hit.why?.phrases ?? [];
  return `similarity ${hit.score.toFixed(2)}${phrases.length ? ` · shares: ${phrases.join(', ')}` : ''}`;
}

/** Fills the panel with paper i and its related papers (with why, when the page could rank them itself). */
export function showPaper(panel: HTMLElement, data: MapData, i: number, relatedHits: readonly RelatedHit[], onSelect: (i: number) => void, onClose: () => void): void {
  const body = el('div', 'panel-body');
  body.dataset.paper = data.ids[i] ?? '';
  const head = el('div', 'panel-head');
  const close = el('button', 'close', '×');
  close.type = 'button';
  close.title = 'Close';
  close.setAttribute('aria-label', 'Close');
  close.addEventListener('click', onClose);
  head.append(themeChip(data, i), close);
  const title = el('h2', 'paper-title', titleOf(data, i));
  const meta = [yearOf(data, i), data.authors[i] ?? ''].filter(Boolean).join(' · ');
  body.append(head, title);
  if (meta) body.append(el('p', 'paper-meta', meta));
  const links = el('p', 'paper-links');
  const doi = data.dois[i] ?? '';
  const arxiv = data.arxivIds[i] ?? '';
  const url = data.urls[i] ?? '';
  const addLink = (label: string, href: string, text: string) => {
    const link = el('a', 'paper-url', `${label} ${text}`);
    link.href = href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    links.append(link);
  };
  if (doi) addLink('DOI', `https://doi.org/${encodeURI(doi)}`, doi);
  if (arxiv) addLink('arXiv', `https://arxiv.org/abs/${encodeURI(arxiv)}`, arxiv);
  if (/^https:\/\//.test(url)) addLink('URL', url, url);
  if (links.childElementCount) body.append(links);
  const related = el('ol', 'related');
  related.id = 'related-list';
  for (const hit of relatedHits) {
    const item = paperButton(data, hit.index, relatedDetail(hit), onSelect);
    const pair = hit.why?.sentences;
    if (pair) item.title = pair.query ? `This paper: ${pair.query}\nRelated: ${pair.hit}` : pair.hit;
    related.append(item);
  }
  // Related papers come before the abstract: they are what one clicks on, and an abstract can run to a screen.
  body.append(el('h3', '', 'Related papers'), related.childElementCount ? related : el('p', 'empty', 'No related papers.'));
  body.append(el('h3', '', 'Abstract'), el('p', 'paper-abstract', data.abstracts[i] ?? ''));
  panel.replaceChildren(body);
  panel.hidden = false;
  panel.scrollTop = 0;
}

/** Fills the panel with search results: text matches and the papers closest in meaning (offline or served). */
export function showResults(panel: HTMLElement, data: MapData, query: string, matches: readonly number[], semantic: readonly SemanticHit[] | null, onSelect: (i: number) => void, onClose: () => void): void {
  const body = el('div', 'panel-body');
  const head = el('div', 'panel-head');
  head.append(el('span', 'panel-kicker', `Search: ${query}`));
  const close = el('button', 'close', '×');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close');
  close.addEventListener('click', onClose);
  head.append(close);
  body.append(head);
  if (semantic) {
    const list = el('ol', 'related');
    list.id = 'semantic-list';
    for (const hit of semantic) list.append(paperButton(data, hit.index, `similarity ${hit.score.toFixed(2)}`, onSelect));
    body.append(el('h3', '', 'Closest in meaning'), list.childElementCount ? list : el('p', 'empty', 'Nothing close.'));
  }
  const list = el('ol', 'related');
  list.id = 'match-list';
  const shown = matches.slice(0, 50);
  for (const i of shown) list.append(paperButton(data, i, yearOf(data, i), onSelect));
  const heading = matches.length > shown.length ? `Text matches (first ${shown.length} of ${matches.length})` : `Text matches (${matches.length})`;
  body.append(el('h3', '', heading), list.childElementCount ? list : el('p', 'empty', 'No title or abstract contains this text.'));
  panel.replaceChildren(body);
  panel.hidden = false;
  panel.scrollTop = 0;
}

/**
 * Fills the panel with a selection (a box, a lasso or a theme): how many papers, download buttons for each format the
 * page can write, and the first 200 titles.
 */
export function showSelection(panel: HTMLElement, data: MapData, heading: string, indices: readonly number[], formats: readonly string[], onDownload: (format: string) => void, onSelect: (i: number) => void, onClose: () => void): void {
  const body = el('div', 'panel-body');
  body.dataset.selection = String(indices.length);
  const head = el('div', 'panel-head');
  head.append(el('span', 'panel-kicker', heading));
  const close = el('button', 'close', '×');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close');
  close.addEventListener('click', onClose);
  head.append(close);
  body.append(head, el('h2', 'paper-title', `${indices.length} paper${indices.length === 1 ? '' : 's'} selected`));
  if (formats.length && indices.length) {
    const row = el('div', 'download-row');
    row.append(el('span', 'panel-kicker', 'Download:'));
    for (const format of formats) {
      const button = el('button', 'download', format === 'csl-json' ? 'CSL-JSON' : format === 'bibtex' ? 'BibTeX' : format.toUpperCase());
      button.type = 'button';
      button.dataset.format = format;
      button.addEventListener('click', () => onDownload(format));
      row.append(button);
    }
    body.append(row);
  }
  const list = el('ol', 'related');
  list.id = 'selection-list';
  const shown = indices.slice(0, 200);
  for (const i of shown) list.append(paperButton(data, i, yearOf(data, i), onSelect));
  if (indices.length > shown.length) body.append(el('p', 'empty', `Showing the first ${shown.length}.`));
  body.append(list);
  panel.replaceChildren(body);
  panel.hidden = false;
  panel.scrollTop = 0;
}
