// The reader contract: every input format turns text into raw records and line-numbered skips, the same way.

/** One record as a reader found it, before cleaning, validation and de-duplication. Fields are raw text. */
export interface RawRecord {
  /** 1-based line where the record starts. */
  line: number;
  title?: string;
  abstract?: string;
  authors?: string[];
  authorCount?: number;
  /** Year as text or number; validated later. */
  year?: string | number;
  /** Date in any common spelling; parsed later. */
  date?: string;
  doi?: string;
  arxivId?: string;
  url?: string;
  /** The record's own citation key (BibTeX key, RIS ID, CSL-JSON citation-key). */
  citationKey?: string;
  /** The record's type in its format (BibTeX entry type, RIS TY, CSL type). */
  entryType?: string;
  /** Other bibliographic fields by BibTeX name (journal, volume, number, pages, publisher, …), raw text. */
  fields?: Record<string, string>;
  /** Set when a field could not be read; the record goes to the skip report with this reason. */
  problem?: string;
}

/** A record (or stretch of input) a reader could not take, with the 1-based line and the reason. */
export interface ReaderSkip {
  line: number;
  reason: string;
}

/** What a reader returns for one text. */
export interface ReaderOutput {
  records: RawRecord[];
  skipped: ReaderSkip[];
}

/**
 * One input format. `read` returns records and skips for any text; it throws only a PapermapError
 * (INPUT_PARSE) when the text as a whole cannot be read in this format.
 */
export interface Reader {
  /** Name used in reports and source refs, e.g. 'bibtex'. */
  readonly format: string;
  /** File name endings (lower case, no dot) that suggest this format. */
  readonly extensions: readonly string[];
  /** How sure the reader is, from the text alone, that it is in this format: 0 (not at all) to 1. */
  sniff(text: string): number;
  read(text: string): ReaderOutput;
}

/** Splits text into lines on LF, CRLF or CR. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Maps offsets to lines quickly when many offsets of one text are needed, in any order. */
export function lineIndex(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Short one-line excerpt of a text for skip reasons. */
export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
