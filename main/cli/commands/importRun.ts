// `evgap import run DIR [--dataset NAME]`: what it prints after bringing a trained job folder into the catalog
// (the new run, its status, checkpoints and metrics, where it ran, and what to do with it next).
import { importRun } from '../../jobs/importRun';
import { resolveDataDir } from '../../paths';
import { writeLine, type CliIO } from '../commandLine';
import { withCatalog } from '../openCatalog';

export async function runRunImport(folder: string, values: { dataset?: string; data?: string; json?: boolean }, io: CliIO): Promise<number> {
  const dataDir = resolveDataDir(values.data, io.env);
  const imported = await withCatalog(dataDir, (catalog) => importRun(catalog, dataDir, { folder, ...(values.dataset !== undefined && { dataset: values.dataset }) }));
  if (values.json) {
    writeLine(io.stdout, JSON.stringify(imported, null, 2));
    return 0;
  }
  const steps = imported.checkpoints;
  writeLine(io.stdout, `Imported run ${imported.runId} (${imported.kind}, ${imported.status}) on dataset ${imported.dataset}`);
  writeLine(io.stdout, `  ran on: ${imported.ranOn}`);
  writeLine(io.stdout, `  ${steps.length} checkpoint${steps.length === 1 ? '' : 's'} (steps ${steps.join(', ')}), metrics for ${imported.metricSteps} steps`);
  const use = imported.kind === 'pretrain-step1' ? `evgap export job --step 2 --init ${imported.runId} …, evgap pretrain --step 2 --init ${imported.runId}` : `evgap pipeline --step2-run ${imported.runId} …`;
  writeLine(io.stdout, `  use it: evgap retrieval --dataset ${imported.dataset} --run ${imported.runId}; ${use}`);
  return 0;
}
