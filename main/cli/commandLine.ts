// What every CLI command shares: the streams it writes to, usage errors (exit 2), the common options (--help,
// --data) and strict parsing with node:util parseArgs, whose errors become usage errors naming the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ProgressStream } from './progress';

export interface CliIO {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  /** Resolves with the signal's name when the user asks a long-running command to stop (SIGINT/SIGTERM). */
  untilStopped(): Promise<string>;
}

/** The command line itself is wrong: unknown command or flag, missing or malformed value. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose help explains the right usage, if any. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  data: { type: 'string' },
} as const;

export interface CommandSpec {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** The full help text of `evgap <name> --help`. */
  help: string;
  /** Returns the exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** parseArgs (callers pass strict: true); its errors (unknown flag, missing value) become UsageErrors for `command`. */
export function parseCommandLine<T extends ParseArgsConfig & { strict: true }>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new UsageError(message, command);
  }
}

/** Checks an integer flag's text: `--scenes: expected an integer >= 1, got "x"`. */
export function intFlag(
  command: string,
  flag: string,
  text: string | undefined,
  range: { min: number; max: number },
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(`--${flag}: expected an integer from ${range.min} to ${range.max}, got ${JSON.stringify(text)}`, command);
  }
  return value;
}

export function expectPositionals(command: string, positionals: string[], names: string[]): void {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).join(', ')}`, command);
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`, command);
  }
}

export function writeLine(stream: ProgressStream, text = ''): void {
  stream.write(text + '\n');
}

/** The flag's value when it is one of `allowed`; undefined when absent; a UsageError naming the flag otherwise. */
export function oneOfFlag<T extends string>(command: string, flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, command);
  }
  return value as T;
}

/** A `RUN` or `RUN:STEP` flag (a run id >= 1 and optionally a checkpoint step); undefined when absent. */
export function runFlag(command: string, flag: string, text: string | undefined): { runId: number; checkpointStep?: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(?::(\d+))?$/.exec(text.trim());
  if (match === null || Number(match[1]) < 1) {
    throw new UsageError(`--${flag}: expected RUN or RUN:STEP (integers, RUN >= 1), got ${JSON.stringify(text)}`, command);
  }
  return { runId: Number(match[1]), ...(match[2] !== undefined && { checkpointStep: Number(match[2]) }) };
}
