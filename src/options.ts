// Option handling shared by every stage: merge with defaults once, validate, freeze.

import { PapermapError } from './errors.js';

/** A check for one option: returns an error text (what was expected) or undefined when the value is fine. */
export type OptionCheck<T> = { [K in keyof T]?: (value: T[K]) => string | undefined };

/**
 * Merges `given` over `defaults`, rejects unknown keys and values that fail their check, and freezes the result.
 * Undefined values in `given` fall back to the default, so callers can pass CLI flags straight through.
 */
export function resolveOptions<T extends object>(defaults: T, given: Partial<T> | undefined, checks: OptionCheck<T> = {}): Readonly<T> {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!(key in defaults)) throw new PapermapError('BAD_OPTION', `unknown option '${key}'`, undefined, `known options: ${Object.keys(defaults).join(', ')}`);
    if (value !== undefined) merged[key] = value;
  }
  for (const [key, check] of Object.entries(checks) as [string, ((v: unknown) => string | undefined) | undefined][]) {
    const problem = check?.(merged[key]);
    if (problem !== undefined) throw new PapermapError('BAD_OPTION', `option '${key}' is ${JSON.stringify(merged[key])}: expected ${problem}`);
  }
  return Object.freeze(merged as T);
}

/** Check: an integer in [min, max]. */
export function intIn(min: number, max: number): (value: unknown) => string | undefined {
  return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? undefined : `an integer from ${min} to ${max}`);
}

/** Check: a finite number in [min, max]. */
export function numberIn(min: number, max: number): (value: unknown) => string | undefined {
  return (value) => (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? undefined : `a number from ${min} to ${max}`);
}

/** Check: one of the listed strings. */
export function oneOf(...allowed: readonly string[]): (value: unknown) => string | undefined {
  return (value) => (typeof value === 'string' && allowed.includes(value) ? undefined : `one of ${allowed.join(', ')}`);
}

/** Check: true or false. */
export function isBoolean(value: unknown): string | undefined {
  return typeof value === 'boolean' ? undefined : 'true or false';
}
