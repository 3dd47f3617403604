// `evgap serve`: runs the headless host (EVGAP Studio in a browser), with training in worker threads, until
// SIGINT/SIGTERM, then closes cleanly (runs still training stop and resume later from their latest checkpoint).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startHost } from '../../host/startHost';
import type { Emit } from '../../api/apiContext';
import { packageRoot } from '../../api/packageInfo';
import { resolveDataDir } from '../../paths';
import { createRunService } from '../../runs/RunService';
import { defineCommand, intFlag, writeLine, type CliIO } from '../commandLine';
import { openCatalog } from '../openCatalog';

const help = `Usage: evgap serve [--port N] [--open] [--data DIR]

Run EVGAP Studio's headless host on 127.0.0.1 and print its address. The address carries a secret token that is
new at every start: only someone who has it can use the host. Stop with Ctrl+C.

Options:
  --port N     Port to listen on (default: 0, a free port)
  --open       Open the address in the default browser
  --data DIR   Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help   Show this help`;

function openInBrowser(url: string, io: CliIO): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['explorer', [url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', (error) => writeLine(io.stderr, `evgap: could not open a browser (${error.message}); open the address above`));
  child.unref();
}

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Run the headless host: EVGAP Studio in your browser',
  help,
  options: { port: { type: 'string' }, open: { type: 'boolean' } },
  positionals: [],
  async run({ values }, io) {
    const port = intFlag('serve', 'port', values.port, { min: 0, max: 65535 }) ?? 0;
    const dataDir = resolveDataDir(values.data, io.env);
    const rendererDir = join(packageRoot(), 'out', 'renderer');
    if (!existsSync(join(rendererDir, 'index.html'))) {
      writeLine(io.stderr, `evgap: warning: no built renderer in ${rendererDir}; run \`npm run build\` for the page`);
    }
    const catalog = openCatalog(dataDir);
    try {
      const runs = (emit: Emit) => createRunService({ catalog, dataDir, emit });
      const host = await startHost({ catalog, dataDir, port, rendererDir, runs });
      writeLine(io.stdout, `EVGAP Studio host: ${host.url}`);
      writeLine(io.stdout, `Data: ${dataDir}`);
      writeLine(io.stdout, 'Press Ctrl+C to stop.');
      if (values.open) openInBrowser(host.url, io);
      const signal = await io.untilStopped();
      await host.close();
      writeLine(io.stdout, `Stopped (${signal}).`);
    } finally {
      catalog.close();
    }
    return 0;
  },
});
