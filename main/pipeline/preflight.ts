// Checks before a run: everything a pre-training step or the pipeline would stumble over in its datasets, found
// up front from the catalog (no feature file is opened), so that a run is refused before anything is written or
// trained, with ALL the problems listed at once and each one's fix where there is one. Used by the API's checkRun,
// by RunService before it starts a worker, by runPipeline's plan and by `evgap pipeline` / `evgap pretrain`.
// Errors refuse the run; warnings are what the run works around (a view left out, a later segment winning).
import { DEFAULT_UNLABELED_CLASS, type RunProblem, type SceneDetail } from '../../contract/api';
import { ArgumentError, NotFoundError } from '../../contract/errors';
import type { Catalog } from '../catalog/Catalog';
import { pairOnlyFormats } from '../engine/training/trainingData';
import { sceneSourceFromDetail } from '../engine/sampling/sources';
import { sharedSceneFrames } from '../eval/frameFeatures/sceneFrames';

export type PreflightCatalog = Pick<Catalog, 'findDatasetByName' | 'listScenes' | 'getScene'>;

/** What a pre-training run reads: its step and datasets (step 1's extra datasets are mixed in every batch). */
export type PretrainCheck = { step: 1 | 2; dataset: string; extraDatasets?: readonly string[] };

/** What the pipeline reads: the evaluated dataset, step 1's datasets, and the class that fills annotation gaps. */
export type PipelineCheck = { dataset: string; pretrainDatasets?: readonly string[]; unlabeledClass?: string; pretrains?: boolean };

/** Frame spans are listed up to this many per problem, then counted. */
const MAX_LISTED_SPANS = 5;

/** The problems of a pre-training run (step 1 on its datasets, or step 2 on one dataset's groups). */
export function pretrainProblems(catalog: PreflightCatalog, check: PretrainCheck): RunProblem[] {
  const names = [check.dataset, ...(check.extraDatasets ?? [])];
  const datasets = names.map((name) => loadDataset(catalog, name));
  const problems: RunProblem[] = [];
  for (const dataset of datasets) problems.push(...viewProblems(dataset, check.step === 1 ? 'step 1' : 'step 2', trainingScenes(dataset)));
  if (check.step === 2) problems.push(...groupProblems(datasets[0]!));
  else for (const dataset of datasets) problems.push(...pairProblems(dataset));
  problems.push(...dimProblems(datasets, check.step === 1 && datasets.length > 1 ? 'step 1 on several datasets' : `step ${check.step}`));
  return problems;
}

/** The problems of the pipeline: its pre-training steps (unless it evaluates given runs) and its evaluation. */
export function pipelineProblems(catalog: PreflightCatalog, check: PipelineCheck): RunProblem[] {
  const evaluated = loadDataset(catalog, check.dataset);
  const problems: RunProblem[] = [];
  const split = (name: 'train' | 'test') => evaluated.scenes.filter((s) => s.detail.scene.split === name);
  for (const name of ['train', 'test'] as const) {
    if (split(name).length === 0) {
      problems.push(
        problem('error', evaluated.name, null, `the pipeline needs 'train' and 'test' scenes, it has no '${name}' scene`, {
          text: `give some scenes the split '${name}' (the import spec's split) and import the dataset again`,
        }),
      );
    }
  }
  const scenes = [...split('train'), ...split('test')];
  if (check.pretrains !== false) {
    const step1 = check.pretrainDatasets && check.pretrainDatasets.length > 0 ? check.pretrainDatasets : [check.dataset];
    const step1Datasets = step1.map((name) => (name === evaluated.name ? evaluated : loadDataset(catalog, name)));
    for (const dataset of step1Datasets) if (dataset !== evaluated) problems.push(...viewProblems(dataset, 'step 1', trainingScenes(dataset)), ...pairProblems(dataset));
    problems.push(...groupProblems(evaluated));
    const involved = [...new Set([evaluated, ...step1Datasets])];
    if (involved.length > 1) problems.push(...dimProblems(involved, 'step 1 and the evaluation'));
  }
  problems.push(...viewProblems(evaluated, 'the pipeline', [...new Set([...trainingScenes(evaluated), ...scenes])]));
  problems.push(...dimProblems([{ ...evaluated, scenes }], 'the evaluation'));
  for (const role of ['ego', 'exo'] as const) {
    if (scenes.length > 0 && !scenes.some((s) => s.detail.views.some((v) => v.role === role && hasTrack(v)))) {
      problems.push(problem('error', evaluated.name, null, `the pipeline needs ${role} views with feature tracks in its train and test scenes, it has none`, null));
    }
  }
  if (evaluated.pairOnly) {
    problems.push(problem('error', evaluated.name, null, `its scenes are pair-only (format '${evaluated.format}': one ego and one exo video, not frame-synchronized); the pipeline evaluates frame by frame`, { text: 'evaluate a dataset of synchronized multi-view scenes; this one can take part in step 1 only (pretrainDatasets)' }));
  } else {
    for (const scene of scenes) problems.push(...annotationProblems(evaluated.name, scene.detail, check.unlabeledClass));
  }
  return problems;
}

/** One line per problem: "dataset D, scene S: message (fix: …)". */
export function formatProblem(p: RunProblem): string {
  const where = p.scene === null ? `dataset ${p.dataset}` : `dataset ${p.dataset}, scene ${p.scene}`;
  return `${p.severity === 'warning' ? 'warning: ' : ''}${where}: ${p.message}${p.fix ? ` (fix: ${p.fix.text})` : ''}`;
}

/** Throws an ArgumentError listing every error (and the warnings after them) when there is any error. */
export function refuseOnErrors(problems: readonly RunProblem[], what: string): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const warnings = problems.filter((p) => p.severity === 'warning');
  const lines = [...errors, ...warnings].map((p) => `- ${formatProblem(p)}`);
  throw new ArgumentError(`${what} cannot start: ${errors.length} problem${errors.length === 1 ? '' : 's'} in its datasets\n${lines.join('\n')}`);
}

type CheckedScene = { detail: SceneDetail };
type CheckedDataset = { name: string; format: string; pairOnly: boolean; scenes: CheckedScene[] };

function loadDataset(catalog: PreflightCatalog, name: string): CheckedDataset {
  const dataset = catalog.findDatasetByName(name);
  if (dataset === undefined) throw new NotFoundError(`no dataset named ${JSON.stringify(name)} in the catalog`);
  const scenes = catalog.listScenes(dataset.id).map((summary) => ({ detail: catalog.getScene(summary.id) }));
  return { name: dataset.name, format: dataset.format, pairOnly: pairOnlyFormats.has(dataset.format), scenes };
}

function problem(severity: RunProblem['severity'], dataset: string, scene: string | null, message: string, fix: RunProblem['fix']): RunProblem {
  return { severity, dataset, scene, message, fix };
}

/** Pre-training samples the training split and scenes without a split. */
function trainingScenes(dataset: CheckedDataset): CheckedScene[] {
  return dataset.scenes.filter((s) => s.detail.scene.split === 'train' || s.detail.scene.split === null);
}

const hasTrack = (view: SceneDetail['views'][number]) =>
  view.track !== null && view.track.featurePath !== null && view.track.frameCount !== null && view.track.featureDim !== null;

/** Views without a feature track (left out), and scenes lacking an ego or an exo view with one. */
function viewProblems(dataset: CheckedDataset, user: string, scenes: readonly CheckedScene[]): RunProblem[] {
  const problems: RunProblem[] = [];
  for (const { detail } of scenes) {
    const scene = detail.scene.name;
    const missing = detail.views.filter((v) => !hasTrack(v)).map((v) => v.name);
    if (missing.length > 0) {
      problems.push(
        problem('warning', dataset.name, scene, `view${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ha${missing.length === 1 ? 's' : 've'} no feature track with known frames and dimension: left out of ${user}`, {
          text: 'extract features for the view (evgap embed, or the dataset\'s feature files) and import the dataset again',
        }),
      );
    }
    const roles = (['ego', 'exo'] as const).filter((role) => !detail.views.some((v) => v.role === role && hasTrack(v)));
    if (roles.length > 0) {
      problems.push(problem('warning', dataset.name, scene, `no ${roles.join(' or ')} view with a feature track: the scene gives no ego-exo pairs or groups to ${user}`, null));
    }
  }
  return problems;
}

const isTrainingScene = (s: CheckedScene) => s.detail.scene.split === 'train' || s.detail.scene.split === null;
const pairs = (s: CheckedScene) => (['ego', 'exo'] as const).every((role) => s.detail.views.some((v) => v.role === role && hasTrack(v)));

/** Step 1 needs a training scene with an ego and an exo view. */
function pairProblems(dataset: CheckedDataset): RunProblem[] {
  if (dataset.scenes.some((s) => isTrainingScene(s) && pairs(s))) return [];
  return [problem('error', dataset.name, null, 'step 1 needs a training scene (split \'train\' or none) with an ego and an exo view with feature tracks, the dataset has none', null)];
}

/** Step 2 needs synchronized multi-view training scenes (ego-exo groups). */
function groupProblems(dataset: CheckedDataset): RunProblem[] {
  if (dataset.pairOnly) {
    return [
      problem('error', dataset.name, null, `step 2 needs ego-exo groups; the dataset's scenes are pair-only (format '${dataset.format}': one ego and one exo video, not frame-synchronized)`, {
        text: 'train step 2 on a dataset of synchronized multi-view scenes; this one can take part in step 1 only',
      }),
    ];
  }
  if (dataset.scenes.some((s) => isTrainingScene(s) && pairs(s))) return [];
  return [problem('error', dataset.name, null, 'step 2 needs groups: a training scene (split \'train\' or none) with ego and exo views with feature tracks, the dataset has none', null)];
}

/** One feature dimension across the views of the datasets a run reads (the encoder takes one input size). */
function dimProblems(datasets: readonly CheckedDataset[], user: string): RunProblem[] {
  const byDim = new Map<number, string[]>();
  for (const dataset of datasets) {
    for (const { detail } of dataset.scenes) {
      for (const view of detail.views) {
        if (!hasTrack(view)) continue;
        const where = datasets.length > 1 ? `${dataset.name}/${detail.scene.name}/${view.name}` : `${detail.scene.name}/${view.name}`;
        byDim.set(view.track!.featureDim!, [...(byDim.get(view.track!.featureDim!) ?? []), where]);
      }
    }
  }
  if (byDim.size <= 1) return [];
  const listed = [...byDim].sort(([a], [b]) => a - b).map(([dim, views]) => `${dim}-d: ${views.slice(0, 3).join(', ')}${views.length > 3 ? ` and ${views.length - 3} more` : ''}`);
  return [
    problem('error', datasets.map((d) => d.name).join(', '), null, `${user} needs features of one dimension, the views have ${listed.join('; ')}`, {
      text: 'extract every view\'s features with the same feature extractor',
    }),
  ];
}

/**
 * Gaps (frames of the annotated range, where every view has features, that no segment covers) and overlaps in a
 * scene the segmentation and anticipation stages use. A gap is an error unless `unlabeled` names the class that
 * fills it; an overlap is a warning (the later segment wins).
 */
export function annotationProblems(dataset: string, detail: SceneDetail, unlabeled: string | undefined): RunProblem[] {
  const scene = detail.scene.name;
  const segments = [...detail.segments].sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame);
  const { source } = sceneSourceFromDetail(detail);
  if (segments.length === 0 || source.views.length === 0) return [];
  const shared = sharedSceneFrames(source.views);
  const start = Math.max(shared.start, segments[0]!.startFrame);
  const end = Math.min(shared.end, Math.max(...segments.map((s) => s.endFrame)));
  const problems: RunProblem[] = [];
  const gaps: [number, number][] = [];
  const overlaps: string[] = [];
  let covered = start;
  let last: (typeof segments)[number] | undefined;
  for (const segment of segments) {
    if (segment.startFrame > covered && covered < end) gaps.push([covered, Math.min(segment.startFrame, end)]);
    if (last !== undefined && segment.startFrame < last.endFrame) {
      overlaps.push(`'${last.label}' [${last.startFrame}, ${last.endFrame}) and '${segment.label}' [${segment.startFrame}, ${segment.endFrame})`);
    }
    if (last === undefined || segment.endFrame > last.endFrame) last = segment;
    covered = Math.max(covered, segment.endFrame);
  }
  if (gaps.length > 0) {
    const frames = gaps.reduce((sum, [a, b]) => sum + b - a, 0);
    const spans = gaps.slice(0, MAX_LISTED_SPANS).map(([a, b]) => (b - a === 1 ? `frame ${a}` : `frames ${a}–${b - 1}`));
    const more = gaps.length > MAX_LISTED_SPANS ? ` and ${gaps.length - MAX_LISTED_SPANS} more gaps` : '';
    const what = `${frames} frame${frames === 1 ? '' : 's'} of the annotated range [${start}, ${end}) in no segment: ${spans.join(', ')}${more}`;
    if (unlabeled === undefined) {
      problems.push(problem('error', dataset, scene, what, { text: `fill gaps with class '${DEFAULT_UNLABELED_CLASS}'`, unlabeledClass: DEFAULT_UNLABELED_CLASS }));
    } else {
      problems.push(problem('warning', dataset, scene, `${what}: they take class '${unlabeled}'`, null));
    }
  }
  if (overlaps.length > 0) {
    const listed = overlaps.slice(0, MAX_LISTED_SPANS).join('; ');
    const more = overlaps.length > MAX_LISTED_SPANS ? ` and ${overlaps.length - MAX_LISTED_SPANS} more` : '';
    problems.push(
      problem('warning', dataset, scene, `segments overlap (the later one labels the shared frames): ${listed}${more}`, {
        text: 'edit the scene\'s segments in its Annotate panel so that they do not overlap',
      }),
    );
  }
  return problems;
}
