// LaTeX field text to plain Unicode in one linear pass: accents, symbols, logos, markup commands, math kept readable.

/** Accent commands written with a symbol (\'e, \"{o}) and the combining mark each one adds. */
const SYMBOL_ACCENTS: Record<string, string> = { "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307' };
/** Accent commands written with a letter (\c{c}, \v{s}) and their combining marks. */
const LETTER_ACCENTS: Record<string, string> = { c: '\u0327', v: '\u030c', u: '\u0306', H: '\u030b', k: '\u0328', r: '\u030a', d: '\u0323', b: '\u0331', t: '\u0361' };
/** Commands that stand for a character or a word. */
const SYMBOLS: Record<string, string> = {
  ss: 'ß', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', o: 'ø', O: 'Ø', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ',
  ldots: '…', dots: '…', textellipsis: '…', textendash: '–', textemdash: '—', textbackslash: '\\', textless: '<', textgreater: '>', textasciitilde: '~', textasciicircum: '^',
  textquotedbl: '"', textquotesingle: "'", textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“', textquotedblright: '”', textunderscore: '_', textbar: '|',
  S: '§', P: '¶', copyright: '©', textcopyright: '©', textregistered: '®', texttrademark: '™', pounds: '£', euro: '€', texteuro: '€', textdegree: '°', textbullet: '•', dag: '†', ddag: '‡',
  TeX: 'TeX', LaTeX: 'LaTeX', LaTeXe: 'LaTeX2e', BibTeX: 'BibTeX', XeTeX: 'XeTeX', LuaTeX: 'LuaTeX', AmS: 'AMS', slash: '/', quad: ' ', qquad: ' ', newline: ' ', par: ' ', noindent: '', relax: '', protect: '', hfill: ' ', break: ' ',
  // math mode
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', varpi: 'ϖ',
  rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ',
  Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', infty: '∞', times: '×', cdot: '·', cdots: '⋯', pm: '±', mp: '∓', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡',
  propto: '∝', rightarrow: '→', to: '→', leftarrow: '←', Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', mapsto: '↦', in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩', forall: '∀',
  exists: '∃', partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', sqrt: '√', ell: 'ℓ', log: 'log', exp: 'exp', sin: 'sin', cos: 'cos', max: 'max', min: 'min', arg: 'arg', lim: 'lim', ln: 'ln',
  langle: '⟨', rangle: '⟩', lfloor: '⌊', rfloor: '⌋', lceil: '⌈', rceil: '⌉', vert: '|', mid: '|', Vert: '‖', star: '⋆', ast: '∗', circ: '∘', bullet: '•', emptyset: '∅', varnothing: '∅', neg: '¬', wedge: '∧', vee: '∨',
  left: '', right: '', big: '', Big: '', bigl: '', bigr: '', displaystyle: '', textstyle: '', limits: '',
};
/** Font switches written as declarations ({\em text}, {\bf text}): dropped, their scope's text kept. */
const DECLARATIONS = new Set(['em', 'it', 'bf', 'sc', 'rm', 'tt', 'sl', 'sf', 'up', 'md', 'normalfont', 'itshape', 'bfseries', 'scshape', 'upshape', 'ttfamily', 'sffamily', 'rmfamily', 'small', 'large', 'Large', 'tiny', 'footnotesize', 'normalsize', 'huge', 'Huge']);
/** Commands whose argument is taken verbatim (URLs keep their ~, _ and %). */
const VERBATIM = new Set(['url', 'path', 'nolinkurl', 'doi']);
/** Commands whose arguments are dropped with them (labels, references, spacing). */
const DROPPED = new Set(['label', 'ref', 'cite', 'citep', 'citet', 'footnote', 'vspace', 'hspace', 'index', 'pagebreak', 'linebreak', 'nocite']);
const SUPERSCRIPTS: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', n: 'ⁿ', i: 'ⁱ', '(': '⁽', ')': '⁾', '=': '⁼' };
const SUBSCRIPTS: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋', '(': '₍', ')': '₎', '=': '₌' };

function isLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/** A cursor over one field's text; every step moves forward, so converting is linear in the text. */
class Converter {
  private i = 0;
  private math = false;

  constructor(private readonly s: string) {}

  /** Converts until the end, or (when `stopAtClose`) the `}` closing the current group. */
  run(stopAtClose = false): string {
    const out: string[] = [];
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === '}') {
        this.i++;
        if (stopAtClose) return out.join('');
        continue;
      }
      if (c === '{') {
        this.i++;
        out.push(this.run(true));
        continue;
      }
      if (c === '\\') {
        out.push(this.command());
        continue;
      }
      if (c === '$') {
        this.math = !this.math;
        this.i += s[this.i + 1] === '$' ? 2 : 1;
        continue;
      }
      if (this.math && (c === '^' || c === '_')) {
        this.i++;
        out.push(this.script(c === '^' ? SUPERSCRIPTS : SUBSCRIPTS, c));
        continue;
      }
      if (c === '~') {
        out.push(' ');
        this.i++;
        continue;
      }
      if (!this.math && c === '-' && s[this.i + 1] === '-') {
        const em = s[this.i + 2] === '-';
        out.push(em ? '—' : '–');
        this.i += em ? 3 : 2;
        continue;
      }
      if (!this.math && c === '`') {
        const double = s[this.i + 1] === '`';
        out.push(double ? '“' : '‘');
        this.i += double ? 2 : 1;
        continue;
      }
      if (!this.math && c === "'" && s[this.i + 1] === "'") {
        out.push('”');
        this.i += 2;
        continue;
      }
      // Copy a run of plain characters at once.
      let j = this.i + 1;
      while (j < s.length && !'{}\\$~-`\'^_'.includes(s[j] as string)) j++;
      out.push(s.slice(this.i, j));
      this.i = j;
    }
    return out.join('');
  }

  /** One argument: a {group} converted, or the next single character (skipping spaces), or '' at the end. */
  private argument(): string {
    const s = this.s;
    while (s[this.i] === ' ') this.i++;
    if (s[this.i] === '{') {
      this.i++;
      return this.run(true);
    }
    if (s[this.i] === '\\') return this.command();
    const c = s[this.i];
    if (c === undefined || c === '}') return '';
    this.i++;
    return c;
  }

  /** A {group} taken as it is, braces balanced, without conversion. */
  private verbatim(): string {
    const s = this.s;
    while (s[this.i] === ' ') this.i++;
    if (s[this.i] !== '{') return '';
    let depth = 0;
    const start = this.i + 1;
    for (; this.i < s.length; this.i++) {
      if (s[this.i] === '{') depth++;
      else if (s[this.i] === '}' && --depth === 0) break;
    }
    const text = s.slice(start, this.i);
    this.i++;
    return text;
  }

  private script(table: Record<string, string>, mark: string): string {
    const arg = this.argument();
    if (mark === '^' && (arg === '∘' || arg === '\\circ')) return '°';
    const mapped = [...arg].map((ch) => table[ch]);
    // Scripts Unicode has no character for are written inline, as most renderings of a title do (Cu_{CUS} → CuCUS).
    return mapped.every((m) => m !== undefined) && arg !== '' ? mapped.join('') : arg;
  }

  private command(): string {
    const s = this.s;
    this.i++; // the backslash
    const next = s[this.i];
    if (next === undefined) return '';
    if (!isLetter(next)) {
      this.i++;
      const accent = SYMBOL_ACCENTS[next];
      if (accent !== undefined && !(this.math && next === '.')) return combine(this.argument(), accent);
      if (next === '\\') return ' ';
      if (next === ',' || next === ';' || next === ':' || next === ' ' || next === '\n' || next === '!') return ' ';
      if (next === '-' || next === '/' || next === '@') return '';
      return next; // \& \% \$ \# \_ \{ \}
    }
    let j = this.i;
    while (isLetter(s[j])) j++;
    const name = s.slice(this.i, j);
    this.i = j;
    const accent = LETTER_ACCENTS[name];
    if (accent !== undefined && (s[this.i] === '{' || s[this.i] === ' ')) return combine(this.argument(), accent);
    // A control word swallows the spaces after it ("\ss ome" is "ßome"); a symbol keeps a following {} group empty.
    while (s[this.i] === ' ' && (SYMBOLS[name] !== undefined || DECLARATIONS.has(name))) this.i++;
    if (SYMBOLS[name] !== undefined) {
      if (s[this.i] === '{' && s[this.i + 1] === '}') this.i += 2;
      return SYMBOLS[name];
    }
    if (DECLARATIONS.has(name)) return '';
    if (VERBATIM.has(name)) return this.verbatim();
    if (name === 'href') {
      this.verbatim();
      return this.argument();
    }
    if (DROPPED.has(name)) {
      if (s[this.i] === '[') this.skipOptional();
      this.verbatim();
      return '';
    }
    // Any other command (\emph, \textbf, \mathrm, \mathcal, unknown macros): dropped, its arguments kept as text.
    if (s[this.i] === '[') this.skipOptional();
    return '';
  }

  private skipOptional(): void {
    const end = this.s.indexOf(']', this.i);
    this.i = end < 0 ? this.s.length : end + 1;
  }
}

/** A base character (or text) with an accent: combining mark after the first character, then NFC. */
function combine(base: string, mark: string): string {
  if (base === '') return '';
  const first = base === 'ı' ? 'i' : base === 'ȷ' ? 'j' : (base[0] as string);
  return `${first}${mark}${base.slice(1)}`.normalize('NFC');
}

/**
 * Turns the text of a BibTeX field (braces and LaTeX as written) into plain text: accents (\'e, {\"o}, \c{c}) become
 * precomposed letters, \ss and friends their characters, \emph{x} and {\bf x} become x, \url{…} stays verbatim,
 * `--`/`---` become dashes, `~` a space, math keeps its symbols (α, ≤, x²). Case-protecting braces are dropped.
 * One pass over the text: cost grows linearly with its length.
 */
export function latexToText(text: string): string {
  if (!/[\\{}$~`'-]/.test(text)) return text;
  return new Converter(text).run();
}
