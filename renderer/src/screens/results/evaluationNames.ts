// How the names in evaluation rows (task, view, variant, metric; see EvaluationRow in contract/api.ts) map onto
// the publication's tables. The pipeline writes (main/pipeline/resultRows.ts) tasks retrieval / segmentation /
// anticipation / ablation; variants raw, step1, step2 (retrieval) or base, random, step1, step2, step1+step2,
// evgap; metrics like `ego2exo.R@1`, `ego2exo.medianRank`, `f1_10`, `edit`, `verb`; segmentation views
// "single-view" / "two-view" or a held-out view's name (novel view). Other spellings (`F1@10`, `recall@5`,
// `egoToExo.chance_R@1`) are read too, in this one place, and anything unknown is shown under its own name.

export type TaskKind = 'retrieval' | 'segmentation' | 'anticipation' | 'novelView' | 'ablation' | 'other';

const taskOrder: readonly TaskKind[] = ['retrieval', 'segmentation', 'anticipation', 'novelView', 'ablation', 'other'];

export const taskTitles: Readonly<Record<TaskKind, string>> = {
  retrieval: 'Cross-view retrieval',
  segmentation: 'Temporal action segmentation',
  anticipation: 'Action anticipation (Top-5 recall)',
  novelView: 'Novel view (segmentation on a held-out view)',
  ablation: 'Ablation (Table 1): segmentation by pre-training variant',
  other: 'Other results',
};

const squash = (text: string): string => text.toLowerCase().replace(/[^a-z0-9+*]/g, '');

export function taskKind(task: string): TaskKind {
  const name = squash(task);
  if (/novel|heldout/.test(name)) return 'novelView';
  if (name.includes('ablat')) return 'ablation';
  if (name.includes('retriev')) return 'retrieval';
  if (name.includes('anticip')) return 'anticipation';
  if (name.includes('segment') || /^tas/.test(name)) return 'segmentation';
  return 'other';
}

export const taskRank = (kind: TaskKind): number => taskOrder.indexOf(kind);

/** A metric name split into its parts: `egoToExo.chance_R@1` → direction ego→exo, chance, R@1. */
export interface MetricName {
  /** Retrieval direction, when the name carries one. */
  direction: 'ego→exo' | 'exo→ego' | null;
  /** A chance-level value (shown as its own row). */
  chance: boolean;
  /** The canonical label (F1@10, Edit, Acc, Avg, R@5, MedR, Verb, ...) or the name itself when unknown. */
  label: string;
  /** Ordering within a table: known metrics in the publication's order, unknown ones after. */
  order: number;
  /** Smaller is better (ranks, losses, errors). */
  lowerIsBetter: boolean;
}

const knownMetrics: readonly { label: string; test: (key: string) => boolean; lowerIsBetter?: boolean }[] = [
  { label: 'F1@10', test: (k) => /^f1(at)?10$/.test(k) },
  { label: 'F1@25', test: (k) => /^f1(at)?25$/.test(k) },
  { label: 'F1@50', test: (k) => /^f1(at)?50$/.test(k) },
  { label: 'Edit', test: (k) => k === 'edit' || k === 'editscore' },
  { label: 'Acc', test: (k) => k === 'acc' || k === 'accuracy' || k === 'mof' },
  { label: 'Verb', test: (k) => k.includes('verb') },
  { label: 'Object', test: (k) => k.includes('object') || k.includes('noun') },
  { label: 'Action', test: (k) => k.includes('action') },
  { label: 'R@1', test: (k) => /^(r|recall)(at)?1$/.test(k) },
  { label: 'R@5', test: (k) => /^(r|recall)(at)?5$/.test(k) },
  { label: 'R@10', test: (k) => /^(r|recall)(at)?10$/.test(k) },
  { label: 'MedR', test: (k) => /^(medr|medianrank|medrank|median)$/.test(k), lowerIsBetter: true },
  { label: 'Avg', test: (k) => k === 'avg' || k === 'average' || k === 'mean' },
];

export function parseMetric(metric: string): MetricName {
  let rest = metric.toLowerCase().replace(/@/g, 'at');
  let direction: MetricName['direction'] = null;
  const ego = /ego[^a-z0-9]*(?:→|->|>|2|to)[^a-z0-9]*exo/;
  const exo = /exo[^a-z0-9]*(?:→|->|>|2|to)[^a-z0-9]*ego/;
  if (ego.test(rest)) {
    direction = 'ego→exo';
    rest = rest.replace(ego, '');
  } else if (exo.test(rest)) {
    direction = 'exo→ego';
    rest = rest.replace(exo, '');
  }
  const chance = rest.includes('chance');
  const key = rest.replace('chance', '').replace(/[^a-z0-9]/g, '');
  const index = knownMetrics.findIndex((known) => known.test(key));
  const known = knownMetrics[index];
  return {
    direction,
    chance,
    label: known ? known.label : metric,
    order: known ? index : knownMetrics.length,
    lowerIsBetter: known?.lowerIsBetter ?? /rank|loss|error/.test(key),
  };
}

/** Whether a variant is the baseline the others are compared with (raw features: "Base"). */
export function isBaseVariant(variant: string | null): boolean {
  return variant !== null && ['base', 'baseline', 'raw', 'rawfeatures', 'features'].includes(squash(variant));
}

export const isChanceVariant = (variant: string | null): boolean => variant !== null && squash(variant) === 'chance';

/** The publication's row order: Base, +random, +step1, +step2, +step1+step2, EVGAP*, EVGAP; unknown after; chance last. */
export function variantRank(variant: string | null): number {
  if (variant === null) return 0;
  const name = squash(variant);
  if (isBaseVariant(variant)) return 0;
  if (name === 'chance') return 9;
  if (name.includes('random')) return 1;
  if (name.includes('step1') && name.includes('step2')) return 4;
  if (name.includes('step1')) return 2;
  if (name.includes('step2')) return 3;
  if (name.includes('evgap') && name.includes('*')) return 5;
  if (name.includes('frozen')) return 5;
  if (name.includes('evgap')) return 6;
  return 7;
}

/** Segmentation views that name an input protocol rather than a held-out view. */
export const isProtocolView = (view: string | null): boolean => view !== null && /^(single|two|multi)[-\s_]?views?$/i.test(view.trim());

/** A variant as the tables name it: Base, +random, +step1, +step2, +step1+step2, +EVGAP; retrieval's step2 is both steps. */
export function variantLabel(variant: string, kind: TaskKind): string {
  const name = squash(variant);
  if (isBaseVariant(variant)) return 'Base';
  if (name === 'chance') return 'chance';
  if (name === 'evgap') return '+EVGAP';
  if (kind === 'retrieval' && name === 'step2') return '+EVGAP (step 1+2)';
  if (kind === 'retrieval' && name === 'step1') return '+EVGAP (step 1)';
  if (['random', 'step1', 'step2', 'step1+step2'].includes(name)) return `+${name}`;
  return variant;
}

/** Views that hold a summary over all views (shown first, the per-view rows folded away). */
export const isSummaryView = (view: string | null): boolean => view === null || /^(mean|all|avg|average|overall)$/i.test(view.trim());
