// Argument checks shared by the catalog's write methods and the import validator. Each throws ArgumentError
// saying which field was wrong, what was expected and what came.
import { ArgumentError } from '../../contract/errors';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

export function fail(field: string, expected: string, value: unknown): never {
  throw new ArgumentError(`${field}: expected ${expected}, got ${show(value)}`);
}

export function name(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'a non-empty name', value);
  return value;
}

export function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(field, 'a string or null', value);
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) fail(field, allowed.map((a) => `'${a}'`).join(' or '), value);
  return value as T;
}

export function integer(value: unknown, field: string, min?: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || (min !== undefined && value < min)) {
    fail(field, min === undefined ? 'an integer' : `an integer >= ${min}`, value);
  }
  return value;
}

export function optionalInteger(value: unknown, field: string, min?: number): number | null {
  return value === undefined || value === null ? null : integer(value, field, min);
}

/** Any number, NaN included (a diverged loss is worth recording). */
export function number(value: unknown, field: string): number {
  if (typeof value !== 'number') fail(field, 'a number', value);
  return value;
}
