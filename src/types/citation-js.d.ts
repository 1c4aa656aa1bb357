// Type declarations for the parts of citation-js (no published types) that src/export/ uses.

declare module '@citation-js/core' {
  /** A list of CSL-JSON items and their formatters. */
  export class Cite {
    constructor(data: unknown, options?: Record<string, unknown>);
    format(format: string, options?: Record<string, unknown>): unknown;
  }
  export const plugins: {
    config: { get(name: string): Record<string, Record<string, unknown>> };
  };
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
