// The report's tables laid out once, in the publication's layout, for every renderer: the HTML report
// (main/report/htmlReport.ts) and the Results screen (renderer/src/screens/results/) draw these rows and cells as
// they are, so both show the same table. Retrieval (mean over view pairs, with chance; the pairs folded away);
// Table 2 (a block per head: Base, +EVGAP* and Δ, +EVGAP and Δ; single and two views side by side); novel views
// (Base, +EVGAP, Δ per held-out view); anticipation (Ego, Exo, Ego+Exo); Table 1 (the ablation with Δ Avg).
// Also the text of a number: mean ± std (no ± for one seed), a Δ with its sign, its tone (better or worse than
// Base at the shown precision) and whether it is significant by the report's rule.
import {
  anticipationMetricLabels,
  anticipationMetricNames,
  segmentationMetricLabels,
  segmentationMetricNames,
  type AnticipationDeltas,
  type AnticipationNumbers,
  type DeltaStat,
  type ReportData,
  type RetrievalChanceNumbers,
  type RetrievalNumbers,
  type ScoreDeltas,
  type Scores,
  type SeedStat,
  type SegmentationHeadBlock,
} from './report';

export type TableCell =
  /** A column header: over row names (left), over a group of columns (centred), or over numbers (right). */
  | { kind: 'header'; text: string; align: 'left' | 'center' | 'right'; colspan?: number; title?: string }
  /** A row's name; `group` marks the name of a group of rows (a head, a held-out view, an input). */
  | { kind: 'label'; text: string; rowspan?: number; group?: boolean }
  | { kind: 'stat'; stat: SeedStat }
  /** A plain number (chance levels: the same for every seed). */
  | { kind: 'number'; value: number | null }
  /** A difference against Base over paired seeds. */
  | { kind: 'delta'; delta: DeltaStat; lowerIsBetter: boolean }
  | { kind: 'empty' };

export type TableRow = {
  kind: 'base' | 'variant' | 'delta' | 'chance';
  /** What the row is (variant, head, view…): data attributes for styling and tests. */
  tags: Record<string, string>;
  cells: TableCell[];
};

export type ReportTableKind = 'retrieval' | 'retrieval-pairs' | 'segmentation' | 'novel-view' | 'anticipation' | 'ablation';

export type ReportTable = {
  kind: ReportTableKind;
  title: string;
  /** The seeds the table's numbers are over (N = seeds.length). */
  seeds: number[];
  notes: string[];
  /** Header rows; cells span columns. */
  header: TableCell[][];
  rows: TableRow[];
  /** Whether the table has Δ cells (so the significance rule applies to it). */
  hasDeltas: boolean;
  /** Shown folded (a detail of the table before it). */
  folded: boolean;
};

const DIGITS = 1;
const MINUS = '−';

/** A number at the report's precision with a typographic minus; '–' when there is none. */
export function formatNumber(value: number | null | undefined, digits = DIGITS): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace('-', MINUS);
}

/** A number over seeds: its mean, and "± std" when at least two seeds gave a value. */
export function statText(stat: SeedStat, digits = DIGITS): { mean: string; spread: string | null } {
  return { mean: formatNumber(stat.mean, digits), spread: stat.n >= 2 && stat.std !== null ? `± ${formatNumber(stat.std, digits)}` : null };
}

/** A Δ with an explicit sign, and "± std" of the per-seed differences when there are two or more. */
export function deltaText(delta: DeltaStat, digits = DIGITS): { mean: string; spread: string | null } {
  const { mean, spread } = statText(delta, digits);
  const signed = delta.mean === null || Number(delta.mean.toFixed(digits)) === 0 ? mean : delta.mean > 0 ? `+${mean}` : mean;
  return { mean: signed, spread };
}

/** Better or worse than Base at the shown precision ('same' when it rounds to zero or is missing). */
export function deltaTone(delta: DeltaStat, lowerIsBetter: boolean, digits = DIGITS): 'better' | 'worse' | 'same' {
  if (delta.mean === null) return 'same';
  const rounded = Number(delta.mean.toFixed(digits));
  if (rounded === 0) return 'same';
  return rounded > 0 !== lowerIsBetter ? 'better' : 'worse';
}

/** 'untested' with fewer than two seeds (no spread); otherwise whether the report's rule finds the Δ significant. */
export function deltaSignificance(delta: DeltaStat): 'significant' | 'not-significant' | 'untested' {
  return delta.significant === null ? 'untested' : delta.significant ? 'significant' : 'not-significant';
}

/** "N = 3 seeds (1, 2, 3)" or "N = 1 (seed 1): no spread". */
export function seedsText(seeds: readonly number[]): string {
  return seeds.length === 1 ? `N = 1 (seed ${seeds[0]}): no spread` : `N = ${seeds.length} seeds (${seeds.join(', ')})`;
}

const stat = (s: SeedStat): TableCell => ({ kind: 'stat', stat: s });
const delta = (d: DeltaStat): TableCell => ({ kind: 'delta', delta: d, lowerIsBetter: false });
const label = (text: string, rowspan?: number): TableCell => ({ kind: 'label', text, ...(rowspan !== undefined && { rowspan, group: true }) });
/** A header over numbers (right-aligned), or over a group of `colspan` columns (centred). */
const header = (text: string, colspan?: number, title?: string): TableCell => ({
  kind: 'header',
  text,
  align: colspan !== undefined && colspan > 1 ? 'center' : 'right',
  ...(colspan !== undefined && { colspan }),
  ...(title && { title }),
});
/** A header over a column of row names. */
const nameHeader = (text: string): TableCell => ({ kind: 'header', text, align: 'left' });
const scoreCells = (scores: Scores): TableCell[] => segmentationMetricNames.map((m) => stat(scores[m]));
const deltaCells = (deltas: ScoreDeltas | null): TableCell[] => segmentationMetricNames.map((m) => (deltas ? delta(deltas[m]) : { kind: 'empty' }));
const metricHeaders = (): TableCell[] => segmentationMetricNames.map((m) => header(segmentationMetricLabels[m]));

/** Every table of the report that has numbers, in the report's order. */
export function reportTables(data: ReportData): ReportTable[] {
  return [
    ...retrievalTables(data),
    ...segmentationTables(data),
    ...novelViewTables(data),
    ...anticipationTables(data),
    ...ablationTables(data),
  ];
}

function retrievalTables(data: ReportData): ReportTable[] {
  const r = data.retrieval;
  if (r === null) return [];
  const recall = (n: RetrievalNumbers): TableCell[] => [...r.ks.map((k) => stat(n.recallAt[String(k)] ?? missing)), stat(n.medianRank)];
  const chance = (n: RetrievalChanceNumbers): TableCell[] => [
    ...r.ks.map((k): TableCell => ({ kind: 'number', value: n.recallAt[String(k)] ?? null })),
    { kind: 'number', value: n.medianRank },
  ];
  const columns = (): TableCell[] => [...r.ks.map((k) => header(`R@${k}`)), header('MedR ↓', undefined, 'median rank: lower is better')];
  const directions = (before: number): TableCell[] => [
    ...Array.from({ length: before }, () => nameHeader('')),
    header('Ego → Exo', r.ks.length + 1),
    header('Exo → Ego', r.ks.length + 1),
  ];
  const pairs = r.mean.length === 0 ? 0 : r.pairs.length / r.mean.length;
  const common = { seeds: r.seeds, hasDeltas: false };
  return [
    {
      kind: 'retrieval',
      title: 'Cross-view retrieval (test scenes)',
      ...common,
      folded: false,
      notes: [
        `${r.scenes} test scene(s); clips of ${r.window} frames every ${r.stride} frames; the gallery of a query is the other view's clips of the same scene. Mean over ${pairs} (ego view, exo view) pairs.`,
        'Retrieval depends only on the pre-trained encoders: its seeds are the pre-training seeds.',
      ],
      header: [directions(1), [nameHeader('Embedding'), ...columns(), ...columns()]],
      rows: [
        ...r.mean.map((row): TableRow => ({
          kind: row.variant === 'raw' ? 'base' : 'variant',
          tags: { variant: row.variant },
          cells: [label(row.label), ...recall(row.egoToExo), ...recall(row.exoToEgo)],
        })),
        { kind: 'chance', tags: { variant: 'chance' }, cells: [label('Chance'), ...chance(r.chance.egoToExo), ...chance(r.chance.exoToEgo)] },
      ],
    },
    {
      kind: 'retrieval-pairs',
      title: 'Cross-view retrieval per (ego view, exo view) pair',
      ...common,
      folded: true,
      notes: [],
      header: [directions(2), [nameHeader('Pair'), nameHeader('Embedding'), ...columns(), ...columns()]],
      rows: r.pairs.map((p) => ({
        kind: p.variant === 'raw' ? 'base' : 'variant',
        tags: { variant: p.variant, pair: `${p.egoView}-${p.exoView}` },
        cells: [label(`${p.egoView} – ${p.exoView}`), label(p.label), ...recall(p.egoToExo), ...recall(p.exoToEgo)],
      })),
    },
  ];
}

const missing: SeedStat = { mean: null, std: null, n: 0, values: [] };

/** One head's block of Table 2: Base, then each EVGAP input and its Δ against Base; single and two views side by side. */
function segmentationBlock(block: SegmentationHeadBlock): TableRow[] {
  const twoViewOf = (input: string) => block.twoView.find((row) => row.input === input);
  const lines = block.singleView.flatMap((single): TableRow[] => {
    const two = twoViewOf(single.input);
    const tags = { head: block.head, variant: single.input };
    const twoScores = two ? scoreCells(two.scores) : segmentationMetricNames.map((): TableCell => ({ kind: 'empty' }));
    const line: TableRow = { kind: single.input === 'base' ? 'base' : 'variant', tags, cells: [label(single.label), ...scoreCells(single.scores), ...twoScores] };
    if (single.delta === null) return [line];
    return [line, { kind: 'delta', tags: { head: block.head, variant: single.input }, cells: [label('Δ'), ...deltaCells(single.delta), ...deltaCells(two?.delta ?? null)] }];
  });
  if (lines.length > 0) lines[0]!.cells.unshift(label(block.label, lines.length));
  return lines;
}

function segmentationTables(data: ReportData): ReportTable[] {
  const s = data.segmentation;
  if (s === null) return [];
  const columns = segmentationMetricNames.length;
  return [
    {
      kind: 'segmentation',
      title: 'Temporal action segmentation (Table 2)',
      seeds: s.seeds,
      hasDeltas: true,
      folded: false,
      notes: [
        ...s.notes,
        '+EVGAP*: the frozen step-2 encoder\'s features; +EVGAP: the encoder fine-tuned with the head. Metrics as MS-TCN\'s evaluation computes them, in percent.',
      ],
      header: [
        [nameHeader(''), nameHeader(''), header('Single view', columns), header('Two views (ego + exo per frame)', columns)],
        [nameHeader('Head'), nameHeader('Input'), ...metricHeaders(), ...metricHeaders()],
      ],
      rows: s.heads.flatMap(segmentationBlock),
    },
  ];
}

function novelViewTables(data: ReportData): ReportTable[] {
  const n = data.novelView;
  if (n === null) return [];
  return [
    {
      kind: 'novel-view',
      title: 'Novel views (Tables 4/5)',
      seeds: n.seeds,
      hasDeltas: true,
      folded: false,
      notes: [`Each held-out view is left out of the heads' training and is the only view they are tested on. Head: ${n.head}; +EVGAP: ${data.encoderMode}.`],
      header: [[nameHeader('Held-out view'), nameHeader('Input'), ...metricHeaders()]],
      rows: n.rows.flatMap((row): TableRow[] => [
        { kind: 'base', tags: { view: row.view, variant: 'base' }, cells: [label(`${row.view} (${row.role})`, 3), label('Base'), ...scoreCells(row.base)] },
        { kind: 'variant', tags: { view: row.view, variant: 'evgap' }, cells: [label('+EVGAP'), ...scoreCells(row.evgap)] },
        { kind: 'delta', tags: { view: row.view, variant: 'evgap' }, cells: [label('Δ'), ...deltaCells(row.delta)] },
      ]),
    },
  ];
}

function anticipationTables(data: ReportData): ReportTable[] {
  const a = data.anticipation;
  if (a === null) return [];
  const inputLabel = { ego: 'Ego', exo: 'Exo', 'ego+exo': 'Ego+Exo' } as const;
  const numbers = (n: AnticipationNumbers) => anticipationMetricNames.map((m) => stat(n[m]));
  const deltas = (d: AnticipationDeltas) => anticipationMetricNames.map((m) => delta(d[m]));
  return [
    {
      kind: 'anticipation',
      title: 'Action anticipation (Top-5 recall)',
      seeds: a.seeds,
      hasDeltas: true,
      folded: false,
      notes: a.notes,
      header: [[nameHeader('Views'), nameHeader('Input'), ...anticipationMetricNames.map((m) => header(anticipationMetricLabels[m]))]],
      rows: a.rows.flatMap((row): TableRow[] => [
        { kind: 'base', tags: { input: row.input, variant: 'base' }, cells: [label(inputLabel[row.input], 3), label('Base'), ...numbers(row.base)] },
        { kind: 'variant', tags: { input: row.input, variant: 'evgap' }, cells: [label('+EVGAP'), ...numbers(row.evgap)] },
        { kind: 'delta', tags: { input: row.input, variant: 'evgap' }, cells: [label('Δ'), ...deltas(row.delta)] },
      ]),
    },
  ];
}

function ablationTables(data: ReportData): ReportTable[] {
  const a = data.ablation;
  if (a === null) return [];
  const columns = segmentationMetricNames.length + 1;
  const avgDelta = (d: ScoreDeltas | null): TableCell => (d ? delta(d.avg) : { kind: 'empty' });
  const group = (): TableCell[] => [...metricHeaders(), header('Δ Avg', undefined, 'Avg against Base')];
  return [
    {
      kind: 'ablation',
      title: 'Ablation (Table 1)',
      seeds: a.seeds,
      hasDeltas: true,
      folded: false,
      notes: a.notes,
      header: [
        [nameHeader(''), header('Single view', columns), header('Two views', columns)],
        [nameHeader('Variant'), ...group(), ...group()],
      ],
      rows: a.rows.map((row): TableRow => ({
        kind: row.variant === 'base' ? 'base' : 'variant',
        tags: { variant: row.variant },
        cells: [label(row.label), ...scoreCells(row.singleView), avgDelta(row.singleViewDelta), ...scoreCells(row.twoView), avgDelta(row.twoViewDelta)],
      })),
    },
  ];
}
