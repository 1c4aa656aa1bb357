// BibTeX structure in one linear pass: entries, fields, @string macros and # concatenation, with recovery per entry.

/** One entry as written: lower-case type and field names, field values as raw LaTeX text (outer delimiters removed). */
export interface BibEntry {
  type: string;
  key: string;
  /** Offset of the entry's '@'. */
  offset: number;
  fields: Map<string, string>;
  /** Set when a field uses an @string that is not defined; the entry is still complete. */
  problem?: string;
}

/** A stretch of the file that is not a usable entry (unterminated, malformed), at the offset of its '@'. */
export interface BibError {
  offset: number;
  reason: string;
}

/** Everything in a .bib text. */
export interface BibScan {
  entries: BibEntry[];
  errors: BibError[];
}

/** Month macros every BibTeX style predefines. */
const MONTHS: Record<string, string> = {
  jan: 'January', feb: 'February', mar: 'March', apr: 'April', may: 'May', jun: 'June',
  jul: 'July', aug: 'August', sep: 'September', oct: 'October', nov: 'November', dec: 'December',
};

/** A line that starts a new entry (`@article{`): where an unterminated value is taken to end. */
const ENTRY_LINE = /[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]/y;
function isSpaceCode(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 0xa0 || c === 0xfeff;
}
function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
/** Characters of an entry type after its first letter: letters, digits, '_' and '-' (Mendeley writes @book_section). */
function isTypeCode(c: number): boolean {
  return isLetterCode(c) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}
/** Characters that end a bare word (a number or @string name): space and , # { } ( ) " = */
function isWordEnd(c: number): boolean {
  return isSpaceCode(c) || c === 44 || c === 35 || c === 123 || c === 125 || c === 40 || c === 41 || c === 34 || c === 61;
}

class EntryError extends Error {
  /** Offset to resume scanning at; undefined for the end of the text. */
  constructor(
    message: string,
    readonly resumeAt: number | undefined,
  ) {
    super(message);
  }
}

/**
 * Splits a .bib text into entries and errors. Text outside entries is a comment (as in BibTeX); @comment and @preamble
 * are skipped; @string defines macros for the entries after it. A value whose braces or quotes do not close is cut at
 * the next line that starts an entry, so one bad entry costs only itself. Every character is looked at a bounded
 * number of times: cost is linear in the text.
 */
export function scanBibtex(text: string): BibScan {
  const entries: BibEntry[] = [];
  const errors: BibError[] = [];
  const macros = new Map<string, string>(Object.entries(MONTHS));
  const n = text.length;
  let i = 0;

  const skipSpace = (at: number): number => {
    let j = at;
    for (let c = text.charCodeAt(j); c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 0xa0 || c === 0xfeff; c = text.charCodeAt(++j));
    return j;
  };
  /** True when a line starting at `at` (just after a newline) opens a new entry. */
  const entryStartsAt = (at: number): boolean => {
    ENTRY_LINE.lastIndex = at;
    return ENTRY_LINE.test(text);
  };
  const nextEntryLine = (from: number): number | undefined => {
    for (let j = text.indexOf('\n', from); j >= 0; j = text.indexOf('\n', j + 1)) if (entryStartsAt(j + 1)) return j + 1;
    return undefined;
  };

  /** A delimited value from `at` (on '{' or '"'); returns its inner text and the offset after it. */
  const delimited = (at: number, what: string): { value: string; end: number } => {
    const quote = text[at] === '"';
    let depth = quote ? 0 : 1;
    for (let j = at + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 92 /* \\ */) {
        j++; // an escaped brace or quote does not count
      } else if (c === 123 /* { */) depth++;
      else if (c === 125 /* } */) {
        depth--;
        if (depth === 0 && !quote) return { value: text.slice(at + 1, j), end: j + 1 };
        if (depth < 0) throw new EntryError(`Unbalanced '}' in ${what}`, nextEntryLine(j));
      } else if (c === 34 /* " */ && quote && depth === 0) return { value: text.slice(at + 1, j), end: j + 1 };
      else if (c === 10 && text.charCodeAt(j + 1) !== 10 && entryStartsAt(j + 1)) {
        throw new EntryError(`Unterminated ${quote ? 'quoted value' : 'brace-value'} in ${what}: the next entry starts before it closes`, j + 1);
      }
    }
    throw new EntryError(`Unterminated ${quote ? 'quoted value' : 'brace-value'} in ${what}: the file ends before it closes`, undefined);
  };

  /** A value: parts joined by '#', each {…}, "…", a number or an @string name. */
  const value = (at: number, what: string, onUndefined: (name: string) => void): { value: string; end: number } => {
    const parts: string[] = [];
    let j = at;
    for (;;) {
      j = skipSpace(j);
      const c = text[j];
      if (c === '{' || c === '"') {
        const part = delimited(j, what);
        parts.push(part.value);
        j = part.end;
      } else {
        let k = j;
        while (k < n && !isWordEnd(text.charCodeAt(k))) k++;
        if (k === j) throw new EntryError(c === undefined ? `file ends inside ${what}` : `expected a value for ${what}, found '${c}'`, nextEntryLine(j));
        const word = text.slice(j, k);
        if (/^\d+$/.test(word)) parts.push(word);
        else {
          const macro = macros.get(word.toLowerCase());
          if (macro === undefined) onUndefined(word);
          parts.push(macro ?? '');
        }
        j = k;
      }
      j = skipSpace(j);
      if (text[j] !== '#') return { value: parts.join(''), end: j };
      j++;
    }
  };

  while (i < n) {
    const at = text.indexOf('@', i);
    if (at < 0) break;
    let j = skipSpace(at + 1);
    const typeStart = j;
    while (j < n && (j === typeStart ? isLetterCode(text.charCodeAt(j)) : isTypeCode(text.charCodeAt(j)))) j++;
    const type = text.slice(typeStart, j).toLowerCase();
    j = skipSpace(j);
    const open = text[j];
    if (type === '' || (open !== '{' && open !== '(')) {
      i = at + 1;
      continue;
    }
    const close = open === '{' ? '}' : ')';
    j++;
    let where = `@${type}`;
    try {
      if (type === 'comment') {
        i = open === '{' ? delimited(j - 1, '@comment').end : j;
        continue;
      }
      if (type === 'preamble') {
        j = value(j, '@preamble', () => {}).end;
        j = skipSpace(j);
        if (text[j] !== close) throw new EntryError(`expected '${close}' to close @preamble`, nextEntryLine(j));
        i = j + 1;
        continue;
      }
      if (type === 'string') {
        j = skipSpace(j);
        let k = j;
        while (k < n && !isWordEnd(text.charCodeAt(k))) k++;
        const name = text.slice(j, k);
        j = skipSpace(k);
        if (name === '' || text[j] !== '=') throw new EntryError('@string must read @string{name = value}', nextEntryLine(j));
        let missing: string | undefined;
        const v = value(j + 1, `@string '${name}'`, (m) => (missing ??= m));
        j = skipSpace(v.end);
        if (text[j] !== close) throw new EntryError(`expected '${close}' to close @string '${name}'`, nextEntryLine(j));
        // A macro built from an undefined one is left undefined, so entries that use it are reported.
        if (missing === undefined) macros.set(name.toLowerCase(), v.value);
        else errors.push({ offset: at, reason: `@string '${name}' uses '${missing}', which is not defined; entries using '${name}' are skipped` });
        i = j + 1;
        continue;
      }
      j = skipSpace(j);
      const keyStart = j;
      while (j < n && text[j] !== ',' && text[j] !== close && !isSpaceCode(text.charCodeAt(j))) j++;
      const key = text.slice(keyStart, j);
      const entry: BibEntry = { type, key, offset: at, fields: new Map() };
      const problems: string[] = [];
      where = key ? `entry '${key}'` : 'entry';
      for (;;) {
        j = skipSpace(j);
        while (text[j] === ',') j = skipSpace(j + 1);
        if (text[j] === close) {
          j++;
          break;
        }
        if (j >= n) throw new EntryError(`Unterminated entry: the file ends before its closing '${close}'`, undefined);
        let k = j;
        while (k < n && !isWordEnd(text.charCodeAt(k))) k++;
        const name = text.slice(j, k).toLowerCase();
        k = skipSpace(k);
        if (name === '' || text[k] !== '=') {
          throw new EntryError(`expected 'field = value', found '${text.slice(j, j + 20).split('\n')[0]}'`, nextEntryLine(j));
        }
        const v = value(k + 1, `field '${name}'`, (m) => problems.push(`field '${name}' uses @string '${m}', which is not defined`));
        if (!entry.fields.has(name)) entry.fields.set(name, v.value);
        j = v.end;
        if (text[j] !== ',' && text[j] !== close) {
          throw new EntryError(`expected ',' or '${close}' after field '${name}', found '${text[j] ?? 'the end of the file'}'`, nextEntryLine(j));
        }
      }
      if (problems.length > 0) entry.problem = `${where}: ${problems.join('; ')}`;
      entries.push(entry);
      i = j;
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      errors.push({ offset: at, reason: where.startsWith('entry') ? `${where}: ${error.message}` : error.message });
      if (error.resumeAt === undefined) break;
      i = Math.max(error.resumeAt, at + 1);
    }
  }
  return { entries, errors };
}
