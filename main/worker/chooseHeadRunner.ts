// Which HeadRunner a pipeline run trains its heads with: the head pool on worker threads, one per core, where the
// built worker entry (out/main/heads.js) is found and there is more than one core; otherwise one after another in
// this thread, saying why (the runner's description goes into the stages' notes and progress). EVGAP_HEAD_WORKERS=N
// caps the workers (1: in this thread), e.g. to compare both on one build.
import { availableParallelism } from 'node:os';
import type { EvaluationData } from '../pipeline/evaluationData';
import { inProcessHeadRunner, type HeadRunner } from '../pipeline/headRunner';
import type { HeadWorkerOpen } from './headContract';
import { builtHeadPool } from './headPool';
import { builtHeadWorkerFile, headWorkerFileName } from './headWorkerFile';

export const headWorkersVariable = 'EVGAP_HEAD_WORKERS';

export function chooseHeadRunner(data: EvaluationData, open: HeadWorkerOpen): HeadRunner {
  const configured = process.env[headWorkersVariable];
  const cap = configured === undefined || configured === '' ? Infinity : Number(configured);
  if (!(Number.isInteger(cap) && cap >= 1) && cap !== Infinity) {
    throw new Error(`${headWorkersVariable}: expected a whole number of at least 1, got ${JSON.stringify(configured)}`);
  }
  const size = Math.min(cap, availableParallelism());
  if (size < 2) return inProcessHeadRunner(data, cap < 2 ? `${headWorkersVariable}=${configured}` : 'one core');
  const file = builtHeadWorkerFile();
  if (file === undefined) return inProcessHeadRunner(data, `no built head worker ${headWorkerFileName} beside this code: running from sources`);
  return builtHeadPool(file, open, size);
}
