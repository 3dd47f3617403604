// Test helper for the browser tests: runs the built `evgap` CLI (demo data, the headless host) as real child
// processes, launches Debian's Chromium through playwright-core, and opens the studio's pages (recording console and
// page errors), the demo scene and its videos' state. `useStudio` is every test file's set-up and tear-down.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

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

/** Generates the small demo dataset the browser tests use (3 scenes of 4 ego + 8 exo views, 32-d features) into
 * `dataDir`, without running the pre-train-and-evaluate pipeline; `videos: false` skips rendering the videos. */
export async function createDemoData(dataDir: string, options: { videos?: boolean } = {}): Promise<void> {
  await runCli(['demo', '--data', dataDir, '--scenes', '3', '--dim', '32', '--no-pipeline', ...(options.videos === false ? ['--no-videos'] : [])]);
}

export interface RunningHost {
  url: string;
  stop(): Promise<void>;
}

/** Starts `evgap serve` (on a free port unless `port` names one) and resolves with the URL it prints (token included). */
export function startHost(dataDir: string, options: { port?: number } = {}): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, [evgap, 'serve', '--data', dataDir, '--port', String(options.port ?? 0)], {
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

/** Where a browser test's screenshot goes (test-output/screenshots/<name>.png, ignored by git). */
export function screenshotFile(name: string): string {
  const folder = join(root, 'test-output', 'screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, `${name}.png`);
}

/** The two window sizes every screen is looked at in. */
export const screenshotSizes = [
  { width: 1600, height: 1000 },
  { width: 1280, height: 720 },
] as const;

/** Screenshots of the page at both sizes: test-output/screenshots/<name>-1600x1000.png and <name>-1280x720.png. */
export async function screenshotsAtBothSizes(page: Page, name: string): Promise<void> {
  for (const size of screenshotSizes) {
    await page.setViewportSize(size);
    await page.screenshot({ path: screenshotFile(`${name}-${size.width}x${size.height}`) });
  }
}

export interface StudioPage {
  page: Page;
  /** Console errors, and any console line about the Content-Security-Policy. */
  consoleErrors: string[];
  pageErrors: string[];
}

/** Opens the host's page, recording console errors (CSP violations among them) and uncaught page errors. */
export async function openStudioPage(context: BrowserContext, url: string): Promise<StudioPage> {
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  return { page, consoleErrors, pageErrors };
}

export interface VideoState {
  view: string;
  /** The view's sync offset as the viewer applies it (data-offset of its tile). */
  offset: number;
  readyState: number;
  error: number | null;
  videoWidth: number;
  videoHeight: number;
  currentTime: number;
  paused: boolean;
  seeking: boolean;
}

/** Every video of the open scene, in grid order (ego views first). */
export function videoStates(page: Page): Promise<VideoState[]> {
  return page.$$eval('video', (videos) =>
    videos.map((v) => {
      const tile = v.closest('[data-view]');
      return {
        view: tile?.getAttribute('data-view') ?? '',
        offset: Number(tile?.getAttribute('data-offset')),
        readyState: v.readyState,
        error: v.error?.code ?? null,
        videoWidth: v.videoWidth,
        videoHeight: v.videoHeight,
        currentTime: v.currentTime,
        paused: v.paused,
        seeking: v.seeking,
      };
    }),
  );
}

/** Opens scene `sceneName` from the Library and waits until all `videoCount` videos can show a frame. */
export async function openScene(page: Page, sceneName: string, videoCount: number): Promise<void> {
  await page.locator('[data-tab="library"]').click();
  await page.locator(`[data-scene="${sceneName}"]`).click({ timeout: 20_000 });
  await page.locator('[data-scene-screen]').waitFor({ timeout: 20_000 });
  await page.waitForFunction(
    (count) => {
      const videos = [...document.querySelectorAll('video')];
      return videos.length === count && videos.every((v) => (v.readyState >= 2 && !v.seeking) || v.error !== null);
    },
    videoCount,
    { timeout: 30_000, polling: 100 },
  );
}

/** The master clock's whole frame as the transport bar shows it. */
export async function clockFrame(page: Page): Promise<number> {
  return Number(await page.locator('.position').getAttribute('data-frame'));
}

export interface StudioOptions {
  /** Render the demo's videos (default true; the tests that never play one leave them out, which is faster). */
  videos?: boolean;
  /** Runs on the data folder after the demo is made and before the host opens it (extra runs, catalog edits). */
  prepare?: (dataDir: string) => Promise<void> | void;
  /** Start the host on the data folder (default true; a test that starts its own hosts says false). */
  host?: boolean;
  /** beforeAll's time limit, for a `prepare` that trains. */
  setupTimeoutMs?: number;
}

/** What `useStudio` set up for a test file, readable once its beforeAll has run. */
export interface StudioSession {
  /** The file's temporary folder, removed after its tests. */
  readonly work: string;
  /** The data folder in it, holding the demo dataset (3 scenes, 32-d features). */
  readonly dataDir: string;
  readonly context: BrowserContext;
  /** The host serving dataDir (undefined while a test has stopped it, or with `host: false`). */
  host: RunningHost | undefined;
  /** The host, which the test expects to be running. */
  readonly url: string;
}

/**
 * The browser tests' set-up, registered as beforeAll/afterAll of the calling file: checks the build, makes a
 * temporary folder with the demo dataset, runs `prepare`, starts the headless host on it and Chromium; afterwards
 * closes the browser, stops whatever host the session holds then, and removes the folder.
 */
export function useStudio(name: string, options: StudioOptions = {}): StudioSession {
  let work: string | undefined;
  let context: BrowserContext | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useStudio(${name}): ${what} is not set up yet (read it inside a test or hook)`);
    return value;
  };
  const session: StudioSession = {
    get work() {
      return ready(work, 'the work folder');
    },
    get dataDir() {
      return join(ready(work, 'the work folder'), 'data');
    },
    get context() {
      return ready(context, 'the browser');
    },
    host: undefined,
    get url() {
      return ready(session.host, 'the host').url;
    },
  };
  beforeAll(async () => {
    assertBuilt();
    work = mkdtempSync(join(tmpdir(), `evgap-e2e-${name}-`));
    await createDemoData(session.dataDir, { videos: options.videos });
    await options.prepare?.(session.dataDir);
    if (options.host !== false) session.host = await startHost(session.dataDir);
    context = await launchChromium(join(work, 'profile'));
  }, options.setupTimeoutMs);
  afterAll(async () => {
    await context?.close();
    await session.host?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  return session;
}
