// The checks before a run on the command line (`evgap pipeline`, `evgap pretrain`): prints every problem of the
// run's datasets (main/pipeline/preflight.ts) on stderr, one line each with its fix, or as one JSON line on stdout
// with --json, and says whether errors refuse the run (the command then exits 1 before anything starts).
import type { RunProblem } from '../../contract/api';
import { formatProblem } from '../pipeline/preflight';
import { writeLine, type CliIO } from './commandLine';

/** Prints the problems; returns true when an error among them refuses the run. */
export function reportRunProblems(io: CliIO, problems: readonly RunProblem[], what: string, json: boolean): boolean {
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (json) {
    if (problems.length > 0) writeLine(io.stdout, JSON.stringify({ type: 'problems', problems }));
  } else {
    if (errors > 0) writeLine(io.stderr, `${what} cannot start: ${errors} problem${errors === 1 ? '' : 's'} in its datasets:`);
    for (const problem of problems) writeLine(io.stderr, `  ${formatProblem(problem)}`);
  }
  return errors > 0;
}
