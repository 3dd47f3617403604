// Runs as the CLI prints them (`evgap runs`, the runs of `evgap info`, `evgap run show`): one line per run — id,
// kind, status, quick, name, tags, seed, backend, start — with a pipeline's runs indented under it, and one run's
// full resolved config in sections (contract/runConfig.ts, the same sections the Training screen shows).
import type { RunSummary } from '../../contract/api';
import { configSections, formatConfigValue } from '../../contract/runConfig';
import type { JsonValue } from '../../contract/schema';

/** `#13 pretrain-step1 completed quick “lr sweep” [baseline, sweep] seed 1, backend wasm, started …`. */
export function runLine(run: RunSummary): string {
  const parts = [`#${run.id} ${run.kind} ${run.status}`];
  if (run.quick) parts.push('quick');
  if (run.name !== null) parts.push(`“${run.name}”`);
  if (run.tags.length > 0) parts.push(`[${run.tags.join(', ')}]`);
  const details = [
    run.seed !== null ? `seed ${run.seed}` : null,
    run.backend ? `backend ${run.backend}` : null,
    run.startedAt ? `started ${run.startedAt}` : null,
  ].filter((detail) => detail !== null);
  return parts.join(' ') + (details.length > 0 ? `, ${details.join(', ')}` : '');
}

/**
 * The runs, newest first, each pipeline followed by the runs it started (oldest first, indented). A run whose
 * pipeline is not in the list stands alone, saying which pipeline started it.
 */
export function formatRunList(runs: readonly RunSummary[], indent = ''): string[] {
  const listed = new Set(runs.map((run) => run.id));
  const children = new Map<number, RunSummary[]>();
  for (const run of runs) {
    if (run.parentRunId !== null && listed.has(run.parentRunId)) children.set(run.parentRunId, [...(children.get(run.parentRunId) ?? []), run]);
  }
  return runs.flatMap((run) => {
    if (run.parentRunId !== null && listed.has(run.parentRunId)) return [];
    const own = `${indent}${runLine(run)}${run.parentRunId !== null ? ` (started by pipeline #${run.parentRunId})` : ''}`;
    const under = [...(children.get(run.id) ?? [])].sort((a, b) => a.id - b.id).map((child) => `${indent}  └ ${runLine(child)}`);
    return [own, ...under];
  });
}

/** A stored config as `section` headings with `key  value` lines under them. */
export function formatConfig(config: JsonValue, indent = '  '): string[] {
  return configSections(config).flatMap((section) => {
    const width = Math.max(...section.fields.map((field) => field.key.length));
    return [`${indent}${section.title}`, ...section.fields.map((field) => `${indent}  ${field.key.padEnd(width)}  ${formatConfigValue(field.value)}`)];
  });
}
