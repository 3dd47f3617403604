// Test helper for the browser tests: runs the built `evgap` CLI (demo data, the headless host) as real child
// processes, and launches Debian's Chromium through playwright-core.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
const evgap = join(root, 'bin', 'evgap.js');
export const chromiumPath = '/usr/bin/chromium';

/** The browser tests run on the build (`npm test` builds first); say so when it is missing. */
export function assertBuilt(): void {
  for (const file of ['out/main/cli.js', 'out/renderer/index.html']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` before the browser tests`);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's Chromium (apt-get install -y chromium)`);
  }
}

export async function runCli(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [evgap, ...args], { cwd: root, timeout: 300_000 });
  return stdout;
}

export interface RunningHost {
  url: string;
  stop(): Promise<void>;
}

/** Starts `evgap serve` on a free port and resolves with the URL it prints (token included). */
export function startHost(dataDir: string): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, [evgap, 'serve', '--data', dataDir, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`evgap serve printed no URL within 60 s; output:\n${output}`));
    }, 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /EVGAP Studio host: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ url: match[1]!, stop });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`evgap serve exited with ${code} before printing its URL; output:\n${output}`));
    });
  });
}

export function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}
