// Reader for RIS (.ris), the tagged format of EndNote, Zotero, Mendeley, Scopus and Web of Science exports.

import { excerpt, splitLines, type RawRecord, type Reader, type ReaderSkip } from './_reader.js';

// RIS is a line format ("TY  - JOUR" … "ER  - "), simple enough that no npm parser is needed.
const TAG_LINE = /^([A-Z][A-Z0-9])\s{1,2}-(?: (.*)|\s*)$/;

/** Reads TY … ER records; an unterminated last record is still read, stray lines outside records are reported. */
export const risReader: Reader = {
  format: 'ris',
  extensions: ['ris', 'enw', 'nbib'],
  sniff(text) {
    return /^\s*TY {2}- /m.test(text.slice(0, 100_000)) ? 0.95 : 0;
  },
  read(text) {
    const records: RawRecord[] = [];
    const skipped: ReaderSkip[] = [];
    let current: { line: number; type: string; tags: Map<string, string[]> } | undefined;
    let lastTag: string | undefined;
    const finish = (): void => {
      if (!current) return;
      const tags = current.tags;
      const one = (...names: string[]): string | undefined => {
        for (const n of names) {
          const v = tags.get(n);
          if (v?.length) return v.join(' ');
        }
        return undefined;
      };
      const all = (...names: string[]): string[] => names.flatMap((n) => tags.get(n) ?? []);
      const date = one('DA', 'PY', 'Y1');
      const type = (tags.get('TY') ?? [])[0] ?? current.type;
      const fields: Record<string, string> = {};
      const put = (name: string, value: string | undefined) => {
        if (value) fields[name] = value;
      };
      const inBook = /^(CHAP|CONF|CPAPER)$/.test(type);
      put(inBook ? 'booktitle' : 'journal', one('T2', 'JF', 'JO', 'JA'));
      put('volume', one('VL'));
      put('number', one('IS'));
      const sp = one('SP');
      const ep = one('EP');
      put('pages', sp && ep ? `${sp}--${ep}` : sp);
      put('publisher', one('PB'));
      put('address', one('CY'));
      put(/^(BOOK|CHAP|EBOOK|EDBOOK)$/.test(type) ? 'isbn' : 'issn', one('SN'));
      put('keywords', all('KW').join(', '));
      records.push({
        line: current.line,
        title: one('TI', 'T1', 'CT', 'BT'),
        abstract: one('AB', 'N2'),
        authors: all('AU', 'A1'),
        year: one('PY', 'Y1'),
        date: date?.replace(/\/+$/, '').replace(/\//g, '-'),
        doi: one('DO', 'M3'),
        arxivId: all('UR', 'L1', 'L2', 'N1').find((v) => /arxiv\.org|arxiv:/i.test(v)),
        url: all('UR', 'L1').find((v) => /^https?:\/\//i.test(v)),
        citationKey: one('ID'),
        entryType: type,
        fields,
      });
      current = undefined;
      lastTag = undefined;
    };
    splitLines(text).forEach((raw, i) => {
      const line = i + 1;
      if (raw.trim() === '') return;
      const m = TAG_LINE.exec(raw.replace(/^\ufeff/, ''));
      if (!m) {
        if (current && lastTag) {
          const values = current.tags.get(lastTag);
          if (values && values.length) values[values.length - 1] += ` ${raw.trim()}`;
        } else skipped.push({ line, reason: `line outside a TY … ER record: "${excerpt(raw)}"` });
        return;
      }
      const tag = m[1] ?? '';
      const value = (m[2] ?? '').trim();
      if (tag === 'TY') {
        finish();
        current = { line, type: value, tags: new Map() };
        lastTag = undefined;
        return;
      }
      if (tag === 'ER') {
        if (current) finish();
        else skipped.push({ line, reason: 'ER line without a TY line before it' });
        return;
      }
      if (!current) {
        skipped.push({ line, reason: `${tag} line outside a TY … ER record` });
        return;
      }
      const values = current.tags.get(tag) ?? [];
      values.push(value);
      current.tags.set(tag, values);
      lastTag = tag;
    });
    finish();
    return { records, skipped };
  },
};
