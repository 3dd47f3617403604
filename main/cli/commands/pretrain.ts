// `evgap pretrain`: runs EVGAP pre-training step 1 (pairs) or step 2 (groups) on a catalog dataset in this
// process, with a progress line (step, loss, clips/s, ETA) on stderr, the TF.js backend chosen and why, and a
// clean stop on Ctrl-C (a checkpoint, then status 'cancelled', resumable with --resume). A new run's datasets are
// checked first (main/pipeline/preflight.ts): their problems are listed, and with any error it exits 1.
import { loadBackend } from '../../../native/tfBackend';
import { configFieldLimits } from '../../../contract/evgapConfig';
import { precisions, presetNames, type ConfigOverrides } from '../../engine/config';
import type { TrainingRequest } from '../../engine/training/prepareTraining';
import { runTraining } from '../../engine/training/runTraining';
import { TrainingControl } from '../../engine/training/trainingControl';
import type { TrainingEvent, TrainingOutcome } from '../../engine/training/trainingEvents';
import { resolveDataDir } from '../../paths';
import { defineCommand, intFlag, oneOfFlag, UsageError, writeLine, type CliIO } from '../commandLine';
import { describeMix } from '../../engine/training/datasetMix';
import { mixFlag } from '../mixFlag';
import { withCatalog } from '../openCatalog';
import { pretrainProblems } from '../../pipeline/preflight';
import { reportRunProblems } from '../runProblems';
import { progressPrinter } from '../progress';
import { backendFlag, describeBackend } from '../backendFlag';
import { samplingConfigFlag } from '../samplingConfigFlag';


const help = `Usage: evgap pretrain --step 1|2 --dataset NAME [--preset demo|paper] [--init RUN[:STEP]] [--steps N]
       evgap pretrain --step 1 --dataset A --dataset B [--mix A=0.5,B=0.5] [...]
       [--precision fp32|bf16] [--sampling-config NAME]
       evgap pretrain --resume RUN
       [--backend tensorflow-gpu|tensorflow|wasm|cpu] [--json] [--data DIR]

Pre-train the EVGAP encoder on a dataset of the catalog: step 1 on ego-exo clip pairs, step 2 on ego-exo clip
groups. Each run is recorded in the catalog with its config, metrics and checkpoints (<data>/runs/<id>/).
Ctrl-C stops after the current step, writes a checkpoint and marks the run cancelled. A new run's datasets are
checked first (views without ego, exo or feature tracks, differing feature sizes, no groups for step 2): every
problem is listed with its fix, and with any error the command exits 1 before the run starts.

Options:
  --step 1|2        Pre-training step
  --dataset NAME    Dataset to train on (needs ego and exo views with feature tracks). Step 1 takes several
                    (repeat the flag): every batch mixes their pairs; their features must have one dimension.
                    The run belongs to the first. Pair-only datasets (Charades-Ego) take part in step 1 only
  --mix A=P,B=P     Step 1 on several datasets: each one's share of the pairs (any positive scale; default:
                    in proportion to each dataset's pair count)
  --preset NAME     Settings preset: demo (small, CPU-friendly; default) or paper (the published settings)
  --init RUN[:STEP] Step 2: start from this completed step-1 run's last checkpoint (or the one at STEP)
  --steps N         Number of optimizer steps (default: the preset's)
  --precision P     fp32 (default) or bf16: the encoder's matrix products take bf16 operands and sum in float32
                    (weights, gradients, optimizer and losses stay float32); where the CPU has no AVX512_BF16
                    kernel the run says so and multiplies in fp32
  --sampling-config NAME
                    One of the dataset's saved sampling configs (the Sampling panel saves them): its window,
                    stride, scale range, clips per set, batch sizes and views; the run stores it with its name
  --resume RUN      Continue an interrupted run from its latest checkpoint, with its stored settings
  --backend NAME    Use exactly this TF.js backend (default: the fastest that loads)
  --json            Print one JSON object per event on stdout instead of a progress line
  --data DIR        Data folder (default: $EVGAP_DATA_DIR, else the per-user data folder)
  -h, --help        Show this help`;

type Values = {
  precision?: string;
  step?: string;
  dataset?: string[];
  mix?: string;
  preset?: string;
  init?: string;
  steps?: string;
  resume?: string;
  backend?: string;
  'sampling-config'?: string;
};

/** The training request the flags describe; usage errors for flags that do not fit together. */
export function pretrainRequest(values: Values): TrainingRequest {
  const preset = oneOfFlag('pretrain', 'preset', values.preset, presetNames);
  const steps = intFlag('pretrain', 'steps', values.steps, configFieldLimits.step1.steps);
  const resume = intFlag('pretrain', 'resume', values.resume, { min: 1, max: Number.MAX_SAFE_INTEGER });
  const precision = oneOfFlag('pretrain', 'precision', values.precision, precisions);
  if (resume !== undefined) {
    for (const flag of ['step', 'dataset', 'init', 'mix', 'sampling-config'] as const) {
      if (values[flag] !== undefined) {
        throw new UsageError(`--resume continues a run with its stored settings; leave out --${flag}`, 'pretrain');
      }
    }
    const overrides: ConfigOverrides | undefined =
      steps === undefined && precision === undefined
        ? undefined
        : { ...(steps !== undefined && { step1: { steps }, step2: { steps } }), ...(precision && { training: { precision } }) };
    return { mode: 'resume', runId: resume, ...(preset && { preset }), ...(overrides && { overrides }) };
  }
  const step = values.step === '1' ? 1 : values.step === '2' ? 2 : undefined;
  if (step === undefined) {
    const given = values.step === undefined ? 'nothing' : JSON.stringify(values.step);
    throw new UsageError(`--step: expected 1 or 2, got ${given}`, 'pretrain');
  }
  const [dataset, ...extraDatasets] = values.dataset ?? [];
  if (dataset === undefined) throw new UsageError('missing --dataset NAME', 'pretrain');
  if (extraDatasets.length > 0 && step !== 1) {
    throw new UsageError('several --dataset flags: only step 1 trains on several datasets; step 2 trains on one dataset\'s groups', 'pretrain');
  }
  const mix = mixFlag('pretrain', values.mix);
  if (mix !== undefined && extraDatasets.length === 0) throw new UsageError('--mix needs step 1 on several datasets (repeat --dataset)', 'pretrain');
  const request: TrainingRequest = {
    mode: 'new',
    step,
    dataset,
    ...(extraDatasets.length > 0 && { extraDatasets }),
    ...(mix && { mix }),
    ...(preset && { preset }),
  };
  if (steps !== undefined) request.overrides = step === 1 ? { step1: { steps } } : { step2: { steps } };
  if (precision !== undefined) request.overrides = { ...request.overrides, training: { precision } };
  if (values.init !== undefined) {
    const match = /^(\d+)(?::(\d+))?$/.exec(values.init.trim());
    if (match === null) {
      throw new UsageError(`--init: expected RUN or RUN:STEP (integers), got ${JSON.stringify(values.init)}`, 'pretrain');
    }
    request.init = { runId: Number(match[1]), ...(match[2] !== undefined && { checkpointStep: Number(match[2]) }) };
  }
  return request;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function reporter(io: CliIO, json: boolean): { onEvent: (event: TrainingEvent) => void; finish(): void } {
  if (json) return { onEvent: (event) => writeLine(io.stdout, JSON.stringify(event)), finish() {} };
  let progress: ReturnType<typeof progressPrinter> | undefined;
  return {
    onEvent(event) {
      if (event.type === 'started') {
        const from = event.resumed ? `, resuming at step ${event.startStep}` : '';
        writeLine(io.stderr, `Run ${event.runId} (${event.kind}): ${event.totalSteps} steps${from}`);
        if (event.mix) for (const line of describeMix(event.mix)) writeLine(io.stderr, `  mix: ${line}`);
        writeLine(io.stderr, `Precision: ${event.precision.note}`);
        for (const warning of event.warnings) writeLine(io.stderr, `warning: ${warning}`);
        progress = progressPrinter(io.stderr, `Run ${event.runId}`);
      } else if (event.type === 'progress') {
        const rate = `${event.clipsPerSecond.toFixed(0)} clips/s`;
        const what = `step ${event.step}/${event.totalSteps} loss ${event.loss.toFixed(4)} ${rate} ETA ${formatDuration(event.etaSeconds)}`;
        progress?.update(event.step, event.totalSteps, what);
      }
    },
    finish: () => progress?.finish(),
  };
}

function summary(outcome: TrainingOutcome): string {
  const where = outcome.checkpoint === null ? '' : `; last checkpoint ${outcome.checkpoint}`;
  if (outcome.status === 'completed') return `Run ${outcome.runId} completed ${outcome.step} steps${where}`;
  const resume = `continue with \`evgap pretrain --resume ${outcome.runId}\``;
  if (outcome.status === 'cancelled') return `Run ${outcome.runId} cancelled at step ${outcome.step}${where}; ${resume}`;
  return `Run ${outcome.runId} failed at step ${outcome.step}: ${outcome.error}${where}; ${resume}`;
}

export const pretrainCommand = defineCommand({
  name: 'pretrain',
  summary: 'Pre-train the EVGAP encoder (step 1: pairs, step 2: groups)',
  help,
  options: {
    step: { type: 'string' },
    dataset: { type: 'string', multiple: true },
    mix: { type: 'string' },
    preset: { type: 'string' },
    init: { type: 'string' },
    steps: { type: 'string' },
    precision: { type: 'string' },
    resume: { type: 'string' },
    backend: { type: 'string' },
    'sampling-config': { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  async run({ values }, io) {
    const request = pretrainRequest(values);
    const force = backendFlag('pretrain', values.backend);
    const dataDir = resolveDataDir(values.data, io.env);
    if (request.mode === 'new') {
      const check = { step: request.step, dataset: request.dataset, ...(request.extraDatasets && { extraDatasets: request.extraDatasets }) };
      const refused = await withCatalog(dataDir, (catalog) => reportRunProblems(io, pretrainProblems(catalog, check), `Step-${request.step} pre-training`, values.json === true));
      if (refused) return 1;
    }
    const backend = await loadBackend(force === undefined ? {} : { force });
    writeLine(io.stderr, `Backend: ${describeBackend(backend)}`);
    const control = new TrainingControl();
    void io.untilStopped().then((signal) => {
      writeLine(io.stderr, `\n${signal}: stopping after the current step…`);
      control.cancel();
    });
    const report = reporter(io, values.json === true);
    const outcome = await withCatalog(dataDir, async (catalog) => {
      const savedName = values['sampling-config'];
      if (savedName !== undefined && request.mode === 'new') request.samplingConfig = samplingConfigFlag(catalog, request.dataset, savedName);
      try {
        return await runTraining(request, { catalog, dataDir, backend, onEvent: report.onEvent }, control);
      } finally {
        report.finish();
      }
    });
    if (values.json) writeLine(io.stdout, JSON.stringify({ type: 'outcome', ...outcome }));
    else writeLine(io.stderr, summary(outcome));
    if (outcome.status === 'failed') return 1;
    return outcome.status === 'cancelled' ? 130 : 0;
  },
});
