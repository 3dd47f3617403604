// Entry of the `evgap` command (bundled to out/main/cli.js, started by bin/evgap.js): runs the command line with
// the process's streams and signals and sets the exit code.
import { runCli } from './runCli';

function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, untilStopped }).then(
  (code) => {
    process.exitCode = code;
  },
);
