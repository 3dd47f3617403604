// defineCommand: what every command shares before its own work. --help prints the command's help and runs nothing;
// an unknown flag, a flag without its value and a missing or extra positional argument are usage errors naming the
// command; --data reaches every command; arguments the command keeps from the flag parser reach it as given.
import { describe, expect, it } from 'vitest';
import { defineCommand, UsageError, type CliIO, type ParsedCommand } from '../../../main/cli/commandLine';

function capturedIO(): CliIO & { out: () => string } {
  let stdout = '';
  return {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: () => true, isTTY: false },
    env: {},
    untilStopped: () => Promise.resolve('SIGTERM'),
    out: () => stdout,
  };
}

const options = { json: { type: 'boolean' }, name: { type: 'string' } } as const;

function exampleCommand(positionals: readonly string[] | 'own', unparsed?: (arg: string, args: readonly string[]) => boolean) {
  const seen: ParsedCommand<typeof options>[] = [];
  const command = defineCommand({
    name: 'example',
    summary: 'An example',
    help: 'Usage: evgap example DATASET',
    options,
    positionals,
    ...(unparsed && { unparsed }),
    async run(parsed) {
      seen.push(parsed);
      return 7;
    },
  });
  return { command, seen };
}

describe('defineCommand', () => {
  it('hands the parsed flags, --data and the positionals to the command and returns its exit code', async () => {
    const { command, seen } = exampleCommand(['DATASET']);
    expect(command).toMatchObject({ name: 'example', summary: 'An example', help: 'Usage: evgap example DATASET' });
    expect(await command.run(['kitchen', '--json', '--name=x', '--data', '/tmp/d'], capturedIO())).toBe(7);
    expect(seen[0]!.values).toEqual({ json: true, name: 'x', data: '/tmp/d' });
    expect(seen[0]!.positionals).toEqual(['kitchen']);
  });

  it('prints the help for --help or -h and runs nothing', async () => {
    for (const flag of ['--help', '-h']) {
      const { command, seen } = exampleCommand(['DATASET']);
      const io = capturedIO();
      expect(await command.run([flag], io)).toBe(0);
      expect(io.out()).toBe('Usage: evgap example DATASET\n');
      expect(seen).toEqual([]);
    }
  });

  it('refuses an unknown flag and a flag without its value, naming the command', async () => {
    const { command } = exampleCommand(['DATASET']);
    await expect(command.run(['kitchen', '--colour'], capturedIO())).rejects.toThrow(new UsageError("Unknown option '--colour'", 'example'));
    await expect(command.run(['kitchen', '--name'], capturedIO())).rejects.toMatchObject({
      name: 'UsageError',
      command: 'example',
      message: expect.stringContaining("'--name"),
    });
  });

  it('refuses a missing or an extra positional argument', async () => {
    const { command } = exampleCommand(['DATASET']);
    await expect(command.run([], capturedIO())).rejects.toMatchObject({ message: 'missing DATASET', command: 'example' });
    await expect(command.run(['a', 'b'], capturedIO())).rejects.toMatchObject({ message: 'unexpected argument "b"', command: 'example' });
  });

  it('leaves the positionals to a command that checks its own', async () => {
    const { command, seen } = exampleCommand('own');
    await command.run([], capturedIO());
    await command.run(['a', 'b', 'c'], capturedIO());
    expect(seen.map((parsed) => parsed.positionals)).toEqual([[], ['a', 'b', 'c']]);
  });

  it('keeps the arguments the command reads itself from the flag parser', async () => {
    const { command, seen } = exampleCommand('own', (arg) => arg.startsWith('-') && arg !== '--json');
    await command.run(['tag', '3', '-old', '--json'], capturedIO());
    expect(seen[0]!.positionals).toEqual(['tag', '3']);
    expect(seen[0]!.values).toEqual({ json: true });
    expect(seen[0]!.args).toEqual(['tag', '3', '-old', '--json']);
  });
});
