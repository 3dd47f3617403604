// Runs the built `evgap` (bin/evgap.js → out/main/cli.js) as a real process, for end-to-end tests of the CLI and
// of the headless host it starts. Building is the test script's job (`npm test` builds first).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../../..');
export const evgapBin = join(repoRoot, 'bin', 'evgap.js');

export function assertBuilt(): void {
  if (!existsSync(join(repoRoot, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npx electron-vite build` before these tests');
  }
}

export function runEvgap(args: string[], env: NodeJS.ProcessEnv = {}, bin = evgapBin) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, EVGAP_DATA_DIR: '', ...env },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: URL;
  port: number;
  token: string;
  output: () => string;
}

/** Starts `evgap serve` and resolves once it printed its address. */
export function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [evgapBin, 'serve', '--port', '0', ...args], { cwd: repoRoot, env: process.env });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^EVGAP Studio host: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})$/m.exec(output);
      if (match) {
        const url = new URL(match[1]!);
        resolve({ child, url, port: Number(url.port), token: url.searchParams.get('token')!, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`evgap serve exited with ${code}:\n${output}`)));
  });
}

export function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
