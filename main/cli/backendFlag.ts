// The `--backend NAME` flag that every command running TF.js takes, and the one line it prints about the backend
// that runs and why the faster ones were skipped.
import { loadBackend, type BackendName, type BackendReport } from '../../native/tfBackend';
import { oneOfFlag, writeLine, type CliIO } from './commandLine';

export const backendNames: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export function backendFlag(command: string, value: string | undefined): BackendName | undefined {
  return oneOfFlag(command, 'backend', value, backendNames);
}

/** "wasm (…details…); skipped tensorflow-gpu: not installed; …" */
export function describeBackend(report: BackendReport): string {
  const skipped = report.tried.filter((attempt) => !attempt.ok).map((attempt) => `${attempt.name}: ${attempt.reason}`);
  return skipped.length === 0 ? report.details : `${report.details}; skipped ${skipped.join('; ')}`;
}

/** Loads the backend the flag asks for (default: the fastest that loads) and says which runs, on stderr. */
export async function activateBackend(io: CliIO, command: string, value: string | undefined): Promise<BackendReport> {
  const force = backendFlag(command, value);
  const report = await loadBackend(force === undefined ? {} : { force });
  writeLine(io.stderr, `Backend: ${describeBackend(report)}`);
  return report;
}
