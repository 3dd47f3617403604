// JSON columns: what goes in must serialize (the caller hears which field did not), what comes out is parsed.
import { ArgumentError } from '../../contract/errors';

export function toJson(value: unknown, field: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ArgumentError(`${field}: expected a JSON-serializable value (${(error as Error).message})`);
  }
  if (text === undefined) throw new ArgumentError(`${field}: expected a JSON-serializable value, got ${typeof value}`);
  return text;
}

export function fromJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}
