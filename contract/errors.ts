// Errors that cross the API boundary. They travel as {name, message} and are re-thrown on the other side as the
// same subclass, so the renderer can tell a bad argument from a missing record from a failure of the main side.

export { ArgumentError } from './schema';
import { ArgumentError } from './schema';

/** A record the caller named (dataset, scene, view, file) does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The request is well-formed but conflicts with the catalog's state (e.g. a duplicate name). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** Anything else that went wrong on the main side. */
export class RemoteError extends Error {
  override name = 'RemoteError';
}

export type WireError = { name: string; message: string };

const known: Record<string, new (message: string) => Error> = {
  ArgumentError,
  NotFoundError,
  ConflictError,
};

export function toWire(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name in known ? error.name : 'RemoteError', message: error.message };
  return { name: 'RemoteError', message: String(error) };
}

export function fromWire(wire: WireError): Error {
  const Ctor = known[wire.name] ?? RemoteError;
  return new Ctor(wire.message);
}
