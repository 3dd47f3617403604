// `evgap pipeline`: the one-click pre-train-and-evaluate pipeline on a catalog dataset in this process (step 1 →
// step 2 → retrieval → segmentation with novel views → anticipation → ablation → report), with one progress line
// per stage and the training progress on stderr, and where the report is on stdout. The datasets' problems are
// listed first; with any error it exits 1 before starting. Ctrl-C stops it cleanly
// (the current training run writes a checkpoint; the pipeline run ends 'cancelled').
import { MAX_CLASS_NAME_LENGTH, MAX_PIPELINE_SEEDS, segmentationHeadNames } from '../../../contract/api';
import { loadBackend, type BackendName } from '../../../native/tfBackend';
import { precisions, presetNames, type PresetName } from '../../engine/config';
import { seedLimit } from '../../../contract/evgapConfig';
import { TrainingControl } from '../../engine/training/trainingControl';
import { pipelineProblems } from '../../pipeline/preflight';
import { reportRunProblems } from '../runProblems';
import { runPipeline, type GivenRuns, type PipelineEvent, type PipelineOutcome, type PipelineRequest } from '../../pipeline/runPipeline';
import { REPORT_HTML } from '../../report/writeReport';
import { resolveDataDir } from '../../paths';
import type { Catalog } from '../../catalog/Catalog';
import { defineCommand, intFlag, oneOfFlag, UsageError, writeLine, type CliIO } from '../commandLine';
import { mixFlag } from '../mixFlag';
import { withCatalog } from '../openCatalog';
import { progressPrinter, type Progress } from '../progress';
import { formatDuration } from './pretrain';
import { backendFlag, describeBackend } from '../backendFlag';
import { samplingConfigFlag } from '../samplingConfigFlag';
import { join } from 'node:path';


const help = `Usage: evgap pipeline --dataset NAME [--preset demo|paper] [--quick] [--held-out VIEW ...] [--seed N]
       [--seeds N [--seeds-pretrain]] [--step1-run R --step2-run R [--step2-random-run R]]
       [--seg-head c2f-tcn|asformer|ltcontext ...] [--pretrain-dataset NAME ... [--mix A=P,B=P]]
       [--unlabeled-class NAME] [--precision fp32|bf16] [--sampling-config NAME] [--backend tensorflow-gpu|tensorflow|wasm|cpu] [--json] [--data DIR]

Pre-train and evaluate in one go: EVGAP step 1 (pairs), step 2 (groups, from step 1), cross-view retrieval on the
test scenes (raw features vs step 1 vs step 2), temporal action segmentation with novel views (Base vs +EVGAP per
held-out view) and single- vs two-view inputs (Base, +EVGAP*, +EVGAP for each chosen head), anticipation (Ego, Exo, Ego+Exo), the ablation (Base / +random /
+step1 / +step2 / +step1+step2) and a report (HTML, JSON, CSV) in <data>/runs/<id>/report/.

The datasets are checked first: every problem (annotation gaps and overlaps, views without ego, exo or feature
tracks, differing feature sizes, missing train or test scenes) is listed with its fix, and with any error the
command exits 1 before anything is written or trained.

Options:
  --dataset NAME    Dataset to use (train and test scenes with ego and exo views and labelled segments): step 2,
                    every evaluation and, without --pretrain-dataset, step 1
  --pretrain-dataset NAME
                    Step 1 trains on this dataset (repeatable: their pairs are mixed in every batch, e.g.
                    Assembly101 and Charades-Ego); list --dataset too if its pairs should take part
  --mix A=P,B=P     Shares of step 1's pairs per --pretrain-dataset (default: in proportion to pair counts)
  --preset NAME     demo (default; about 15 minutes for the default demo on 2 CPU cores) or paper
  --quick           Tiny settings (a few steps and epochs): checks the pipeline end to end in a minute or two
  --held-out VIEW   A view to hold out in the novel-view evaluation (repeatable; default: the first two ego
                    and the first two exo views by name)
  --seed N          Seed of pre-training and every head (default: the preset's)
  --seeds N         Repeat the downstream heads (segmentation, novel view, anticipation, ablation) with N seeds:
                    seed, seed + 1, … (1 to ${MAX_PIPELINE_SEEDS}; default 1). The report shows mean ± std and N, and
                    marks each Δ significant or not (paired t-test at 95 % over the seeds)
  --seeds-pretrain  With --seeds: repeat pre-training (and so retrieval) with every seed too
  --step1-run R     Evaluate this completed step-1 run (e.g. imported with \`evgap import run\`) instead of
  --step2-run R       pre-training; both are needed; nothing is pre-trained again
  --step2-random-run R  With given runs: the step-2-from-random-init run of the ablation's +step2 row (left out
                    without it)
  --seg-head NAME   A segmentation head to train and compare: c2f-tcn, asformer or ltcontext (repeatable; the
                    first also runs the novel-view and ablation stages; default: the preset's — demo c2f-tcn,
                    paper all three)
  --unlabeled-class NAME
                    The class of frames that no segment covers in the train and test scenes (e.g. unlabeled or
                    background; added to the segmentation classes). Without it such annotation gaps refuse the run
  --precision P     fp32 (default) or bf16 mixed precision for the pre-training runs (see evgap pretrain --help)
  --sampling-config NAME
                    One of the dataset's saved sampling configs for pre-training: its window, stride, scale range,
                    clips per set and views, and its batch sizes unless --quick sets its own
  --backend NAME    Use exactly this TF.js backend (default: the fastest that loads)
  --json            Print one JSON object per event on stdout, then the outcome
  --data DIR        Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help        Show this help`;

/** The runs --step1-run / --step2-run / --step2-random-run name (both of the first two, or none). */
export function givenRuns(values: { 'step1-run'?: string; 'step2-run'?: string; 'step2-random-run'?: string }): GivenRuns | undefined {
  const id = (flag: 'step1-run' | 'step2-run' | 'step2-random-run') => intFlag('pipeline', flag, values[flag], { min: 1, max: Number.MAX_SAFE_INTEGER });
  const [step1, step2, step2FromRandom] = [id('step1-run'), id('step2-run'), id('step2-random-run')];
  if (step1 === undefined && step2 === undefined) {
    if (step2FromRandom !== undefined) throw new UsageError('--step2-random-run goes with --step1-run and --step2-run', 'pipeline');
    return undefined;
  }
  if (step1 === undefined || step2 === undefined) throw new UsageError('give both --step1-run and --step2-run (the runs to evaluate)', 'pipeline');
  return { step1, step2, ...(step2FromRandom !== undefined && { step2FromRandom }) };
}

/** Prints stage changes, training progress (a progress bar per training run) and nothing else on stderr. */
export function pipelineReporter(io: CliIO, json: boolean): { onEvent: (event: PipelineEvent) => void; finish(): void } {
  if (json) return { onEvent: (event) => writeLine(io.stdout, JSON.stringify(event)), finish() {} };
  let progress: Progress | undefined;
  let stage = '';
  let message = '';
  return {
    onEvent(event) {
      if (event.type === 'stage') {
        if (event.stage !== stage) {
          progress?.finish();
          progress = undefined;
          stage = event.stage;
          writeLine(io.stderr, `[${event.stageIndex + 1}/${event.stages}] ${event.stage}: ${event.message}`);
        } else if (!event.message.startsWith('step ') && event.message !== message && !/: step \d+\//.test(event.message)) {
          writeLine(io.stderr, `      ${event.message}`);
        }
        message = event.message;
        return;
      }
      const training = event.event;
      if (training.type === 'started') {
        writeLine(io.stderr, `      run ${training.runId} (${training.kind}): ${training.totalSteps} steps, ${training.precision.note}`);
        progress = progressPrinter(io.stderr, `      run ${training.runId}`);
      } else if (training.type === 'progress') {
        const what = `step ${training.step}/${training.totalSteps} loss ${training.loss.toFixed(4)} ETA ${formatDuration(training.etaSeconds)}`;
        progress?.update(training.step, training.totalSteps, what);
      } else if (training.type === 'status' && training.status !== 'running') {
        progress?.finish();
        progress = undefined;
      }
    },
    finish: () => progress?.finish(),
  };
}

/** Runs the pipeline against an open catalog, printing progress; returns the outcome. */
export async function runPipelineCommand(
  catalog: Catalog,
  dataDir: string,
  request: PipelineRequest,
  io: CliIO,
  options: { backend?: BackendName; json?: boolean } = {},
): Promise<PipelineOutcome> {
  const backend = await loadBackend(options.backend === undefined ? {} : { force: options.backend });
  if (!options.json) writeLine(io.stderr, `Backend: ${describeBackend(backend)}`);
  const control = new TrainingControl();
  void io.untilStopped().then((signal) => {
    writeLine(io.stderr, `\n${signal}: stopping the pipeline…`);
    control.cancel();
  });
  const reporter = pipelineReporter(io, options.json === true);
  try {
    return await runPipeline(request, { catalog, dataDir, backend, onEvent: reporter.onEvent, control });
  } finally {
    reporter.finish();
  }
}

/** The closing lines: where the report is, or why there is none. */
export function printOutcome(io: CliIO, outcome: PipelineOutcome, json: boolean): number {
  if (json) writeLine(io.stdout, JSON.stringify({ type: 'outcome', ...outcome, ...(outcome.reportWritten && { report: join(outcome.reportDir, REPORT_HTML) }) }));
  else if (outcome.status === 'completed') {
    writeLine(io.stdout, `Pipeline run ${outcome.runId} completed.`);
    writeLine(io.stdout, `Report: ${join(outcome.reportDir, REPORT_HTML)}`);
    writeLine(io.stdout, `  (report.json and CSV files beside it)`);
  } else {
    writeLine(io.stderr, `Pipeline run ${outcome.runId} ${outcome.status}: ${outcome.error ?? ''}`);
    if (outcome.reportWritten) writeLine(io.stderr, `Partial report (what was finished): ${join(outcome.reportDir, REPORT_HTML)}`);
  }
  if (outcome.status === 'failed') return 1;
  return outcome.status === 'cancelled' ? 130 : 0;
}

export const pipelineCommand = defineCommand({
  name: 'pipeline',
  summary: 'Pre-train (steps 1 and 2) and evaluate, writing an HTML/JSON/CSV report',
  help,
  options: {
    dataset: { type: 'string' },
    preset: { type: 'string' },
    quick: { type: 'boolean' },
    'held-out': { type: 'string', multiple: true },
    'seg-head': { type: 'string', multiple: true },
    'pretrain-dataset': { type: 'string', multiple: true },
    mix: { type: 'string' },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    'seeds-pretrain': { type: 'boolean' },
    'step1-run': { type: 'string' },
    'step2-run': { type: 'string' },
    'step2-random-run': { type: 'string' },
    precision: { type: 'string' },
    'sampling-config': { type: 'string' },
    'unlabeled-class': { type: 'string' },
    backend: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  async run({ values }, io) {
    const unlabeledClass = values['unlabeled-class']?.trim();
    if (unlabeledClass !== undefined && (unlabeledClass === '' || unlabeledClass.length > MAX_CLASS_NAME_LENGTH)) {
      throw new UsageError(`--unlabeled-class: expected a class name of 1 to ${MAX_CLASS_NAME_LENGTH} characters, got ${JSON.stringify(values['unlabeled-class'])}`, 'pipeline');
    }
    if (values.dataset === undefined) throw new UsageError('missing --dataset NAME', 'pipeline');
    const preset: PresetName = oneOfFlag('pipeline', 'preset', values.preset, presetNames) ?? 'demo';
    const seed = intFlag('pipeline', 'seed', values.seed, seedLimit);
    const seeds = intFlag('pipeline', 'seeds', values.seeds, { min: 1, max: MAX_PIPELINE_SEEDS });
    if (values['seeds-pretrain'] && seeds === undefined) throw new UsageError('--seeds-pretrain goes with --seeds N', 'pipeline');
    const backend = backendFlag('pipeline', values.backend);
    const runs = givenRuns(values);
    const heads = values['seg-head']?.map((head) => oneOfFlag('pipeline', 'seg-head', head, segmentationHeadNames)!);
    if (heads && new Set(heads).size !== heads.length) throw new UsageError(`--seg-head: expected each head once, got ${heads.join(', ')}`, 'pipeline');
    const mix = mixFlag('pipeline', values.mix);
    if (mix !== undefined && (values['pretrain-dataset'] ?? []).length < 2) {
      throw new UsageError('--mix needs step 1 on several datasets (repeat --pretrain-dataset)', 'pipeline');
    }
    const precision = oneOfFlag('pipeline', 'precision', values.precision, precisions);
    const request: PipelineRequest = {
      dataset: values.dataset,
      ...(values['pretrain-dataset'] && { pretrainDatasets: values['pretrain-dataset'] }),
      ...(mix && { mix }),
      preset,
      ...(values.quick && { quick: true }),
      ...(values['held-out'] && { heldOutViews: values['held-out'] }),
      ...(seed !== undefined && { seed }),
      ...(seeds !== undefined && { seeds }),
      ...(values['seeds-pretrain'] && { seedsPretrain: true }),
      ...(runs && { runs }),
      ...(heads && { settings: { segmentation: { heads } } }),
      ...(precision !== undefined && { precision }),
      ...(unlabeledClass !== undefined && { unlabeledClass }),
    };
    const dataDir = resolveDataDir(values.data, io.env);
    const json = values.json === true;
    const outcome = await withCatalog(dataDir, (catalog) => {
      const savedName = values['sampling-config'];
      if (savedName !== undefined) request.samplingConfig = samplingConfigFlag(catalog, request.dataset, savedName);
      const problems = pipelineProblems(catalog, {
        dataset: request.dataset,
        ...(request.pretrainDatasets && { pretrainDatasets: request.pretrainDatasets }),
        ...(unlabeledClass !== undefined && { unlabeledClass }),
        pretrains: runs === undefined,
      });
      if (reportRunProblems(io, problems, 'The pipeline', json)) return null;
      return runPipelineCommand(catalog, dataDir, request, io, { ...(backend && { backend }), json });
    });
    return outcome === null ? 1 : printOutcome(io, outcome, json);
  },
});
