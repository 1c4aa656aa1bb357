// Real outside data for benches: paper abstracts of the ACL Anthology, read from the XML of a local git mirror of an
// ACL Anthology repository (data/xml/*.xml, one file per volume collection). Writes them in the arXiv-snapshot JSON
// Lines layout papermap ingests (title, abstract, authors, doi, year), with the venue collection as a label.
//
//   npx tsx bench/corpora/acl.ts [--mirror <git dir>] [--ref <commit>] [--out DIR]
//
// The upstream github.com/acl-org/acl-anthology is larger than the mirror tool brings (≈620 MB), so the default is the
// fork github.com/Bhavyashah20/acl-anthology at ACL_XML_COMMIT (2025-11, 1,537 XML files; its five largest 2023–2025
// collections are absent from that snapshot), which holds 58,959 abstracts.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg } from '../lib.js';
import { CORPORA_DIR } from './arxiv.js';

/** Commit of the ACL Anthology fork these abstracts were read from. */
export const ACL_XML_COMMIT = '3920f0a5457262f661c0db69dceb5ca0d7ce37dc';
/** Where the `fetch` tool puts that fork's git directory. */
export const ACL_MIRROR = '/work/.mirror/Bhavyashah20+acl-anthology/repo';

/** One ACL Anthology paper with an abstract. */
export interface AclPaper {
  /** Anthology id, e.g. 2020.acl-main.3 or P19-1001. */
  id: string;
  title: string;
  abstract: string;
  authors: string;
  doi?: string;
  year: number;
  /** The XML collection the paper is in (e.g. 2020.acl), a rough venue label. */
  collection: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Inline markup (<fixed-case>, <i>, <tex-math>, <url>) dropped, entities decoded, white space collapsed. */
function plain(xml: string): string {
  return xml
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m)))
    .replace(/\s+/g, ' ')
    .trim();
}

function tag(block: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(block);
  return m ? (m[1] as string) : undefined;
}

/** Papers with an abstract of at least 100 characters in one collection's XML text. */
export function parseCollection(xml: string, collection: string): AclPaper[] {
  const out: AclPaper[] = [];
  // Volumes carry the id prefix (new-style ids: <collection>-<volume>.<paper>; old-style: the volume's <url>).
  for (const vol of xml.matchAll(/<volume id="([^"]+)"[^>]*>([\s\S]*?)<\/volume>/g)) {
    const volId = vol[1] as string;
    const body = vol[2] as string;
    const year = Number(tag(tag(body, 'meta') ?? '', 'year') ?? NaN);
    for (const p of body.matchAll(/<paper id="([^"]+)"[^>]*>([\s\S]*?)<\/paper>/g)) {
      const block = p[2] as string;
      const abstractXml = tag(block, 'abstract');
      const titleXml = tag(block, 'title');
      if (!abstractXml || !titleXml) continue;
      const abstract = plain(abstractXml);
      const title = plain(titleXml);
      if (abstract.length < 100 || !title) continue;
      const url = tag(block, 'url');
      const id = url && !/^https?:/.test(url) ? plain(url) : `${collection}-${volId}.${p[1]}`;
      const authors = [...block.matchAll(/<author[^>]*>([\s\S]*?)<\/author>/g)].map((a) => `${plain(tag(a[1] as string, 'first') ?? '')} ${plain(tag(a[1] as string, 'last') ?? '')}`.trim());
      const doi = tag(block, 'doi');
      out.push({ id, title, abstract, authors: authors.join(' and '), ...(doi ? { doi: plain(doi) } : {}), year: Number.isFinite(year) ? year : 0, collection });
    }
  }
  return out;
}

/** Every paper with an abstract in the mirror at `ref`, in id order; a repeated abstract keeps its first paper. */
export function readAclPapers(mirror: string = ACL_MIRROR, ref: string = ACL_XML_COMMIT): AclPaper[] {
  const files = execFileSync('git', ['--git-dir', mirror, 'ls-tree', '-r', '--name-only', ref, 'data/xml/'], { encoding: 'utf8', maxBuffer: 1 << 26 })
    .split('\n')
    .filter((f) => /^data\/xml\/[^/]+\.xml$/.test(f))
    .sort();
  const byId = new Map<string, AclPaper>();
  const abstracts = new Set<string>();
  for (const file of files) {
    let xml: string;
    try {
      xml = execFileSync('git', ['--git-dir', mirror, 'show', `${ref}:${file}`], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      continue; // listed but not in the snapshot (the fork's largest files)
    }
    for (const p of parseCollection(xml, file.slice('data/xml/'.length, -'.xml'.length))) {
      if (byId.has(p.id) || abstracts.has(p.abstract)) continue;
      byId.set(p.id, p);
      abstracts.add(p.abstract);
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** One line of the arXiv-snapshot JSONL layout papermap's JSON reader takes. */
export function aclJsonLine(p: AclPaper): string {
  return JSON.stringify({ title: p.title, abstract: p.abstract, authors: p.authors, ...(p.doi ? { doi: p.doi } : {}), year: p.year, url: `https://aclanthology.org/${p.id}` });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mirror = arg('mirror', ACL_MIRROR);
  const ref = arg('ref', ACL_XML_COMMIT);
  const out = arg('out', CORPORA_DIR);
  const papers = readAclPapers(mirror, ref);
  mkdirSync(out, { recursive: true });
  const file = join(out, 'acl-all.jsonl');
  writeFileSync(file, papers.map(aclJsonLine).join('\n') + '\n');
  process.stdout.write(`${papers.length} ACL Anthology abstracts at ${ref.slice(0, 12)} in ${new Set(papers.map((p) => p.collection)).size} collections; wrote ${file}\n`);
}
