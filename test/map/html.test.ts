import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { browserScript } from '../../src/browser-script.js';
import { buildMapData, escapeHtml, jsonForScript, renderMap } from '../../src/map/index.js';
import type { Neighbour, Paper } from '../../src/records.js';
import { MAP_PAPERS } from './fixture-project.js';

const papers = new Map(MAP_PAPERS.map((p) => [p.id, p]));
const points = MAP_PAPERS.map((p, i) => ({ id: p.id, x: Math.cos(i), y: Math.sin(i) * 3, theme: i % 3 }));
const themes = [0, 1, 2].map((id) => ({ id, label: `<i>theme</i> ${id}` }));
const related = new Map<string, Neighbour[]>(MAP_PAPERS.map((p, i) => [p.id, [{ id: MAP_PAPERS[(i + 1) % MAP_PAPERS.length]!.id, score: 0.81234 }]]));

describe('escaping', () => {
  it('escapes HTML text and attribute characters', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });

  it('JSON for <script> never holds <, >, &, U+2028 or U+2029 and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (strings) => {
        const text = jsonForScript({ strings });
        expect(text).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(text)).toEqual({ strings });
      }),
      { seed: 7, numRuns: 300 },
    );
    expect(jsonForScript('</script><!--\u2028')).toBe('"\\u003c/script\\u003e\\u003c!--\\u2028"');
  });
});

describe('renderMap', () => {
  const html = renderMap({ points, papers, themes, related }, { title: 'Papers <&> "map"' });

  it('writes one self-contained page: no external script, style, link or fetch outside its own origin', () => {
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link /i);
    // The SVG namespace is a name, not an address: nothing is fetched from it.
    expect(html).not.toMatch(/https?:\/\/(?!doi\.org|arxiv\.org|www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('script-src &#39;sha256-');
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('inlines the export script when given, and allows exactly it and the client by hash', () => {
    const withExport = renderMap({ points, papers, themes, related }, { title: 't', exportJs: browserScript('export') });
    expect(withExport.match(/<script/g)).toHaveLength(3);
    expect(withExport.match(/&#39;sha256-/g)).toHaveLength(2);
    expect(withExport).toContain('papermapExport');
  });

  it('inlines the offline search table and its script when given, and allows the script by hash', () => {
    const withSearch = renderMap({ points, papers, themes, related }, { title: 't', offlineSearch: { table: { format: 'x', note: '</script>' }, script: 'window.papermapSearch = {};' } });
    expect(withSearch.match(/<script/g)).toHaveLength(4);
    expect(withSearch.match(/&#39;sha256-/g)).toHaveLength(2);
    expect(withSearch).toContain('<script type="application/json" id="papermap-search">{"format":"x","note":"\\u003c/script\\u003e"}</script>');
  });

  it('places areas and sub-themes on their papers; a theme not split stands for itself among the sub-themes', () => {
    const areas = [{ label: 'area one', themeIds: [0, 2] }, { label: 'area two', themeIds: [1] }];
    const members = points.filter((p) => p.theme === 0).map((p) => p.id);
    const subThemes = [{ parentId: 0, label: 'first half', paperIds: members.slice(0, 3) }, { parentId: 0, label: 'second half', paperIds: members.slice(3) }];
    const data = buildMapData({ points, papers, themes, related, areas, subThemes }, { title: 't', relatedK: 1 });
    expect(data.areas.map((a) => [a.label, a.themes, a.size])).toEqual([['area one', [0, 2], points.filter((p) => p.theme !== 1).length], ['area two', [1], points.filter((p) => p.theme === 1).length]]);
    expect(data.subThemes.map((s) => s.label)).toEqual(['first half', 'second half', '<i>theme</i> 1', '<i>theme</i> 2']);
    const at = (id: string) => [data.x[data.ids.indexOf(id)], data.y[data.ids.indexOf(id)]];
    expect(members.slice(0, 3).map(at)).toContainEqual([data.subThemes[0]!.x, data.subThemes[0]!.y]);
    // One area is no level: the themes are named from the widest zoom.
    expect(buildMapData({ points, papers, themes, related, areas: [{ label: 'all', themeIds: [0, 1, 2] }] }, { title: 't', relatedK: 1 }).areas).toEqual([]);
  });

  it('escapes the title and every paper string', () => {
    expect(html).toContain('<title>Papers &lt;&amp;&gt; &quot;map&quot;</title>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<i>theme');
    expect(html).not.toContain('<b>Mallory');
  });

  it('is deterministic', () => {
    expect(renderMap({ points, papers, themes, related }, { title: 'Papers <&> "map"' })).toBe(html);
  });

  it('scales positions into the unit square and places each theme name on one of its papers', () => {
    const data = buildMapData({ points, papers, themes, related }, { title: 't', relatedK: 3 });
    expect(Math.min(...data.x, ...data.y)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...data.x, ...data.y)).toBeLessThanOrEqual(1);
    expect(Math.max(...data.y) - Math.min(...data.y)).toBeCloseTo(1, 3);
    for (const [t, theme] of data.themes.entries()) {
      const members = data.theme.flatMap((ti, i) => (ti === t ? [[data.x[i], data.y[i]]] : []));
      expect(members).toContainEqual([theme.x, theme.y]);
      expect(theme.size).toBe(members.length);
    }
  });

  it('keeps related papers as indices with scores, padded with -1', () => {
    const data = buildMapData({ points, papers, themes, related }, { title: 't', relatedK: 3 });
    expect(data.related.slice(0, 3)).toEqual([1, -1, -1]);
    expect(data.relatedScore.slice(0, 3)).toEqual([0.812, 0, 0]);
  });

  it('keeps DOIs and arXiv ids apart from https URLs (the panel links each), and counts authors when only a count is known', () => {
    const data = buildMapData({ points, papers, themes, related }, { title: 't', relatedK: 1 });
    const i = data.ids.indexOf('doi:10.1000/xyz 1');
    expect(data.dois[i]).toBe('10.1000/xyz 1');
    expect(data.urls[i]).toBe('');
    expect(data.authors[i]).toBe('6 authors');
    expect(data.urls.every((u) => u === '' || u.startsWith('https://'))).toBe(true);
  });

  it('rejects a bad relatedK', () => {
    expect(() => renderMap({ points, papers, themes, related }, { relatedK: 99 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it('draws papers with no theme and themes with no papers', () => {
    const none = points.map((p) => ({ ...p, theme: -1 }));
    const data = buildMapData({ points: none, papers: new Map<string, Paper>(), themes, related: new Map() }, { title: 't', relatedK: 2 });
    expect(data.theme.every((t) => t === -1)).toBe(true);
    expect(data.titles.every((t) => t === '')).toBe(true);
  });
});
