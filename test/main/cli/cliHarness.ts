// Runs the CLI in-process with captured output, for tests of what each command prints and how it exits.
import type { CliIO } from '../../../main/cli/commandLine';
import { runCli } from '../../../main/cli/runCli';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCaptured(argv: string[], options: { env?: NodeJS.ProcessEnv; stop?: Promise<string> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: options.env ?? {},
    untilStopped: () => options.stop ?? Promise.resolve('SIGTERM'),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
