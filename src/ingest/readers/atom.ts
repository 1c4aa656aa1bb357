// Reader for Atom XML feeds as the arXiv API returns them (export.arxiv.org/api/query), via fast-xml-parser.

import { lazyModule } from '../../lazy.js';
import { PapermapError } from '../../errors.js';
import { lineIndex, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

const fastXml = lazyModule<typeof import('fast-xml-parser')>('fast-xml-parser');

let madeParser: import('fast-xml-parser').XMLParser | undefined;
/** The feed parser, made on the first Atom file. */
function parser(): import('fast-xml-parser').XMLParser {
  madeParser ??= new (fastXml().XMLParser)({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    trimValues: true,
    parseTagValue: false,
    processEntities: true,
    htmlEntities: true,
    isArray: (name) => name === 'entry' || name === 'author' || name === 'link' || name === 'category',
    // Summaries may hold XHTML (<div>…<b>…</b>…</div>); kept raw so its text comes out in order (see markupText).
    stopNodes: ['*.summary', '*.content'],
  });
  return madeParser;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”' };

/** XML (or XHTML) content as text, in document order: CDATA kept, tags dropped, entities and character references decoded. */
function markupText(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[')
        ? part.slice(9, -3)
        : part
            .replace(/<[^>]*>/g, ' ')
            .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
              if (name[0] === '#') {
                const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
                return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
              }
              return ENTITIES[name.toLowerCase()] ?? whole;
            }),
    )
    .join('');
}

type Node = Record<string, unknown>;

/**
 * The text of an element: its own text, or (for XHTML content such as <summary type="xhtml"><div>…</div></summary>) the
 * text of its children joined by spaces; attributes are not text. Nesting deeper than 20 levels is not followed.
 */
function textOf(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && depth < 20) {
    const parts = value.map((v) => textOf(v, depth + 1)).filter((t): t is string => t !== undefined && t !== '');
    return parts.length > 0 ? parts.join(' ') : undefined;
  }
  if (typeof value === 'object' && value !== null && depth < 20) {
    const parts = Object.entries(value as Node)
      .filter(([key]) => !key.startsWith('@'))
      .map(([, v]) => textOf(v, depth + 1))
      .filter((t): t is string => t !== undefined && t !== '');
    return parts.length > 0 ? parts.join(' ') : undefined;
  }
  return undefined;
}

/** The text of a summary or content element, which the parser leaves as raw markup. */
function rawText(value: unknown): string | undefined {
  const raw = textOf(value);
  return raw === undefined ? undefined : markupText(raw);
}

function toRecord(entry: Node, line: number): RawRecord {
  const links = Array.isArray(entry.link) ? (entry.link as Node[]) : [];
  const doiLink = links.find((l) => l['@title'] === 'doi' || /doi\.org\//.test(String(l['@href'] ?? '')));
  const page = links.find((l) => l['@rel'] === 'alternate') ?? links[0];
  const id = textOf(entry.id);
  const authors = Array.isArray(entry.author) ? (entry.author as unknown[]).map((a) => (typeof a === 'object' && a !== null ? textOf((a as Node).name) : textOf(a))) : [];
  return {
    line,
    title: textOf(entry.title),
    abstract: rawText(entry.summary) ?? rawText(entry.content),
    authors: authors.filter((a): a is string => a !== undefined),
    date: textOf(entry.published) ?? textOf(entry.updated),
    doi: textOf(entry.doi) ?? (doiLink ? String(doiLink['@href']) : undefined),
    arxivId: id && /arxiv\.org/i.test(id) ? id : undefined,
    url: (page ? String(page['@href'] ?? '') : undefined) || (id && /^https?:\/\//.test(id) ? id : undefined),
  };
}

function entries(xml: string): Node[] {
  const doc = parser().parse(xml) as Node;
  const feed = (doc.feed ?? doc) as Node;
  return Array.isArray(feed.entry) ? (feed.entry as Node[]) : [];
}

/** Finds each <entry> element's start and end offsets (end undefined when the text stops, or the next entry starts, inside it). */
function entrySpans(text: string): { start: number; end?: number }[] {
  const opens = [...text.matchAll(/<(?:[A-Za-z_][\w.-]*:)?entry[\s>]/g)].map((m) => m.index);
  const closes = [...text.matchAll(/<\/(?:[A-Za-z_][\w.-]*:)?entry\s*>/g)].map((m) => ({ at: m.index, end: m.index + m[0].length }));
  const spans: { start: number; end?: number }[] = [];
  let c = 0;
  opens.forEach((start, i) => {
    const nextStart = opens[i + 1] ?? Infinity;
    while (c < closes.length && (closes[c]?.at ?? 0) < start) c++;
    const close = closes[c];
    if (close && close.at < nextStart) {
      spans.push({ start, end: close.end });
      c++;
    } else spans.push({ start });
  });
  return spans;
}

/**
 * Reads every <entry> (title, summary, authors, published, arXiv id from <id>, DOI from <arxiv:doi> or a doi link).
 * When the XML is not well formed (a truncated download, say), each complete entry is still read on its own and the
 * broken one goes to the skip report with its line.
 */
export const atomReader: Reader = {
  format: 'atom',
  extensions: ['xml', 'atom'],
  sniff(text) {
    const head = text.slice(0, 5_000);
    if (!/^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?feed\b/.test(head)) return /<entry[\s>]/.test(head) && /^\s*</.test(head) ? 0.5 : 0;
    return 0.95;
  },
  read(text) {
    const toLine = lineIndex(text);
    const spans = entrySpans(text);
    const valid = fastXml().XMLValidator.validate(text);
    if (valid === true) {
      let parsed: Node[];
      try {
        parsed = entries(text);
      } catch (error) {
        throw new PapermapError('INPUT_PARSE', `XML could not be read: ${(error as Error).message}`);
      }
      const records = parsed.map((entry, i) => toRecord(entry, spans.length === parsed.length ? toLine(spans[i]?.start ?? 0) : 1));
      return { records, skipped: [] };
    }
    const records: RawRecord[] = [];
    const skipped: ReaderSkip[] = [];
    const problem = `${valid.err.msg} (line ${valid.err.line})`;
    if (spans.length === 0) {
      throw new PapermapError('INPUT_PARSE', `XML is not well formed and holds no <entry>: ${problem}`, { file: '', line: valid.err.line }, 'download or export the feed again');
    }
    for (const span of spans) {
      const line = toLine(span.start);
      if (span.end === undefined) {
        skipped.push({ line, reason: 'entry is cut off: the XML ends (or the next entry starts) before </entry>' });
        continue;
      }
      const chunk = text.slice(span.start, span.end);
      const check = fastXml().XMLValidator.validate(chunk);
      if (check !== true) {
        skipped.push({ line: line + check.err.line - 1, reason: `entry is not well-formed XML: ${check.err.msg}` });
        continue;
      }
      try {
        const [entry] = entries(`<feed>${chunk}</feed>`);
        if (entry) records.push(toRecord(entry, line));
      } catch (error) {
        skipped.push({ line, reason: `entry could not be read: ${(error as Error).message}` });
      }
    }
    return { records, skipped };
  },
};
