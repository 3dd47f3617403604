// What every CLI command shares: the streams it writes to, usage errors (exit 2), the common options (--help,
// --data), and defineCommand, which does what every command does before its own work: strict parsing with
// node:util parseArgs (an unknown flag or a missing value is a usage error naming the flag), `--help` printing the
// command's help, and a missing or extra positional argument as a usage error.
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

const commonOptions = {
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
function parseCommandLine<T extends ParseArgsConfig & { strict: true }>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new UsageError(message, command);
  }
}

/** A command's own flags, as parseArgs takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

type CommandParseConfig<O extends CommandOptions> = { args: string[]; options: typeof commonOptions & O; allowPositionals: true; strict: true };

/** A command's arguments parsed: its flags (and --data), its positional arguments, and the arguments as given. */
export interface ParsedCommand<O extends CommandOptions> {
  values: ReturnType<typeof parseArgs<CommandParseConfig<O>>>['values'];
  positionals: string[];
  args: readonly string[];
}

/** What a command is, apart from what it does: its names and help, its flags, its positional arguments. */
export interface CommandDefinition<O extends CommandOptions> {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** The full help text of `evgap <name> --help`. */
  help: string;
  /** The command's own flags (--help and --data are every command's). */
  options: O;
  /**
   * The positional arguments by name, every one required (`['DATASET']`; none: `[]`), or 'own' when the command
   * checks them itself (an action word and its own arguments, an optional DATASET).
   */
  positionals: readonly string[] | 'own';
  /** Arguments the flag parser must not see (they would read as flags); the command finds them in `args`. */
  unparsed?: (arg: string, args: readonly string[]) => boolean;
}

/**
 * Parses a command's arguments against its definition. `--help` prints the command's help and gives null (nothing
 * more to do); an unknown flag, a flag without its value, and a missing or extra positional argument are
 * UsageErrors naming the command.
 */
export function readCommand<O extends CommandOptions>(
  definition: CommandDefinition<O>,
  args: string[],
  io: Pick<CliIO, 'stdout'>,
): ParsedCommand<O> | null {
  const { name, options, positionals: expected, unparsed } = definition;
  const config: CommandParseConfig<O> = {
    args: unparsed === undefined ? args : args.filter((arg) => !unparsed(arg, args)),
    options: { ...commonOptions, ...options },
    allowPositionals: true,
    strict: true,
  };
  const { values, positionals } = parseCommandLine(name, config);
  // Every command has --help (commonOptions); the generic values type cannot say so.
  if ((values as { help?: boolean }).help) {
    writeLine(io.stdout, definition.help);
    return null;
  }
  if (expected !== 'own') expectPositionals(name, positionals, expected);
  return { values, positionals, args };
}

/** A command of the CLI: its definition, and what it does with its parsed arguments (returns the exit code). */
export function defineCommand<O extends CommandOptions>(
  definition: CommandDefinition<O> & { run(command: ParsedCommand<O>, io: CliIO): Promise<number> },
): CommandSpec {
  return {
    name: definition.name,
    summary: definition.summary,
    help: definition.help,
    async run(args, io) {
      const parsed = readCommand(definition, args, io);
      return parsed === null ? 0 : definition.run(parsed, io);
    },
  };
}

/** Checks an integer flag's text: `--scenes: expected an integer from 1 to 1000000, got "x"` (no max: any safe integer). */
export function intFlag(
  command: string,
  flag: string,
  text: string | undefined,
  limits: { min: number; max?: number },
): number | undefined {
  if (text === undefined) return undefined;
  const range = { min: limits.min, max: limits.max ?? Number.MAX_SAFE_INTEGER };
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(`--${flag}: expected an integer from ${range.min} to ${range.max}, got ${JSON.stringify(text)}`, command);
  }
  return value;
}

export function expectPositionals(command: string, positionals: readonly string[], names: readonly string[]): void {
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
