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

/**
 * The other side cannot be reached: a call made while disconnected was not sent (nothing happened), or the
 * connection was lost before the call was answered (it may or may not have happened). Raised on the calling side
 * by `connect()` and the transports; it never crosses the wire.
 */
export class DisconnectedError extends Error {
  override name = 'DisconnectedError';
}

/** Plain titles for the error classes of the contract, for people (the class names are for code and logs). */
export const errorTitles: Readonly<Record<string, string>> = {
  ArgumentError: 'Not a valid value',
  NotFoundError: 'Not found',
  ConflictError: 'In conflict with the catalog',
  RemoteError: 'The EVGAP host could not do it',
  DisconnectedError: 'Not connected to the EVGAP host',
};

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
