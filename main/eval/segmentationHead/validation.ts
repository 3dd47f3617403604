// Field checks shared by the segmentation heads' settings: each throws ArgumentError naming the field, what was
// expected and what came.
import { ArgumentError } from '../../../contract/errors';

export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export function integer(name: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ArgumentError(`expected ${name} to be an integer >= ${min}, got ${show(value)}`);
  }
}

export function positive(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(Number.isFinite(value) && value > 0)) throw new ArgumentError(`expected ${name} > 0, got ${show(value)}`);
}

export function nonNegative(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(Number.isFinite(value) && value >= 0)) throw new ArgumentError(`expected ${name} >= 0, got ${show(value)}`);
}

export function probability(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new ArgumentError(`expected ${name} in [0, 1), got ${show(value)}`);
}
