// Argument schemas for the API contract: a tiny validator shared by both sides, so the main side can re-check
// every argument that crosses a process boundary and say exactly which argument was wrong and what was expected.

export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

export type Schema<T> = {
  readonly describe: string;
  /** Returns the value if valid, throws ArgumentError naming `path` otherwise. */
  check(value: unknown, path: string): T;
};

export type Infer<S> = S extends Schema<infer T> ? T : never;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'object') return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

function fail(path: string, expected: string, value: unknown): never {
  throw new ArgumentError(`${path}: expected ${expected}, got ${show(value)}`);
}

export function int(range: { min?: number; max?: number } = {}): Schema<number> {
  const { min, max } = range;
  const describe =
    'an integer' + (min !== undefined ? ` >= ${min}` : '') + (max !== undefined ? ` <= ${max}` : '');
  return {
    describe,
    check(value, path) {
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, describe, value);
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) fail(path, describe, value);
      return value;
    },
  };
}

export function num(range: { min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number } = {}): Schema<number> {
  const { min, max, exclusiveMin, exclusiveMax } = range;
  const describe =
    'a finite number' +
    (min !== undefined ? ` >= ${min}` : '') +
    (exclusiveMin !== undefined ? ` > ${exclusiveMin}` : '') +
    (max !== undefined ? ` <= ${max}` : '') +
    (exclusiveMax !== undefined ? ` < ${exclusiveMax}` : '');
  return {
    describe,
    check(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, describe, value);
      if (
        (min !== undefined && value < min) ||
        (exclusiveMin !== undefined && value <= exclusiveMin) ||
        (max !== undefined && value > max) ||
        (exclusiveMax !== undefined && value >= exclusiveMax)
      )
        fail(path, describe, value);
      return value;
    },
  };
}

export function str(opts: { minLength?: number; maxLength?: number } = {}): Schema<string> {
  const minLength = opts.minLength ?? 0;
  const maxLength = opts.maxLength ?? 10_000;
  const describe = minLength > 0 ? `a non-empty string of at most ${maxLength} characters` : `a string`;
  return {
    describe,
    check(value, path) {
      if (typeof value !== 'string' || value.length < minLength || value.length > maxLength) fail(path, describe, value);
      return value;
    },
  };
}

export function bool(): Schema<boolean> {
  return {
    describe: 'true or false',
    check(value, path) {
      if (typeof value !== 'boolean') fail(path, 'true or false', value);
      return value;
    },
  };
}

export function oneOf<const T extends readonly string[]>(...choices: T): Schema<T[number]> {
  const describe = `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`;
  return {
    describe,
    check(value, path) {
      if (typeof value !== 'string' || !choices.includes(value)) fail(path, describe, value);
      return value as T[number];
    },
  };
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return {
    describe: `${inner.describe} (optional)`,
    check(value, path) {
      return value === undefined ? undefined : inner.check(value, path);
    },
  };
}

export function array<T>(inner: Schema<T>, opts: { maxLength?: number } = {}): Schema<T[]> {
  const maxLength = opts.maxLength ?? 100_000;
  const describe = `an array of ${inner.describe}`;
  return {
    describe,
    check(value, path) {
      if (!Array.isArray(value) || value.length > maxLength) fail(path, describe, value);
      return value.map((item, i) => inner.check(item, `${path}[${i}]`));
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type ObjectOf<S extends Shape> = {
  [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]>;
} & {
  [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]>;
};

export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const describe = `an object with ${Object.keys(shape).join(', ') || 'no fields'}`;
  return {
    describe,
    check(value, path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, describe, value);
      const input = value as Record<string, unknown>;
      for (const key of Object.keys(input)) {
        if (!(key in shape)) throw new ArgumentError(`${path}.${key}: unexpected argument (expected only ${Object.keys(shape).join(', ') || 'none'})`);
      }
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const checked = schema.check(input[key], path ? `${path}.${key}` : key);
        if (checked !== undefined) out[key] = checked;
      }
      return out as ObjectOf<S>;
    },
  };
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Any plain JSON value (bounded depth and size); the receiving module validates its meaning. */
export function json(opts: { maxDepth?: number; maxKeys?: number } = {}): Schema<JsonValue> {
  const maxDepth = opts.maxDepth ?? 6;
  const maxKeys = opts.maxKeys ?? 2_000;
  const describe = 'plain JSON data';
  return {
    describe,
    check(value, path) {
      let keys = 0;
      const walk = (v: unknown, depth: number, at: string): void => {
        if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
        if (typeof v === 'number') {
          if (!Number.isFinite(v)) fail(at, 'a finite number', v);
          return;
        }
        if (depth >= maxDepth) fail(at, `JSON nested at most ${maxDepth} deep`, v);
        if (Array.isArray(v)) return v.forEach((item, i) => walk(item, depth + 1, `${at}[${i}]`));
        if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
          for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
            if (++keys > maxKeys) fail(path, `JSON with at most ${maxKeys} keys`, value);
            walk(item, depth + 1, `${at}.${k}`);
          }
          return;
        }
        fail(at, describe, v);
      };
      walk(value, 0, path);
      return value as JsonValue;
    },
  };
}
