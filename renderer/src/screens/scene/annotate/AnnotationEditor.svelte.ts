// The annotation editor of the open scene, shared by the timeline's segment layer and the Annotate panel: the
// segment list with undo/redo, the selection, the dataset's label vocabulary and the labels' colours, the scene's
// gaps, autosave to the catalog (a save refused while the host is disconnected stays pending and goes out when the
// connection is back) and import/export (an import that replaces segments is read first, so it can be confirmed).
// The edits themselves are the pure functions of segmentList.ts; this class keeps them reactive, records each as a
// command and reports what fails in words.
import type { AnnotationFile, AnnotationFormat, SceneDetail, VocabularyLabel } from '../../../../../contract/api';
import { describeError, type StudioState } from '../../../lib/StudioState.svelte';
import { Autosave, type SaveStatus } from './Autosave';
import { EditHistory } from './EditHistory';
import { labelColours } from './labelColours';
import {
  createSegment,
  describeSegment,
  dragEdge,
  fillGaps,
  fromCatalog,
  gapsOf,
  mergeWithNext,
  neighbourKey,
  removeSegment,
  segmentAt,
  SegmentEditError,
  splitAt,
  toDrafts,
  updateSegment,
  type EditSegment,
  type LabelFields,
} from './segmentList';

/** Quiet time after the last edit before it is saved. */
const AUTOSAVE_DELAY_MS = 500;
/** The label of new segments when the dataset has no vocabulary yet. */
const FALLBACK_LABEL = 'action';
/** The class offered for frames no segment covers (a vocabulary's own 'background' is offered first when it has one). */
const UNLABELED_CLASS = 'unlabeled';
const BACKGROUND_CLASS = 'background';

export const formatNames: Record<AnnotationFormat, string> = {
  'assembly101-coarse': 'Assembly101 coarse labels',
  mstcn: 'MS-TCN per-frame labels',
};

type SegmentChanges = Partial<Pick<EditSegment, 'startFrame' | 'endFrame' | 'label' | 'verb' | 'object'>>;

/** A file read for import, waiting for the user to confirm that it replaces the scene's segments. */
export interface ImportPlan {
  format: AnnotationFormat;
  fileName: string;
  text: string;
  /** Segments the scene has now (they would be replaced). */
  replaces: number;
  /** Segments in the file. */
  segments: number;
}

export class AnnotationEditor {
  sceneId = $state<number | null>(null);
  datasetId = $state<number | null>(null);
  totalFrames = $state(1);
  segments = $state.raw<EditSegment[]>([]);
  /** A drag in progress: what the layer draws instead of `segments` until the drag ends. */
  preview = $state.raw<EditSegment[] | null>(null);
  selectedKey = $state<number | null>(null);
  /** Start frame marked with the S key, waiting for E. */
  markedStart = $state<number | null>(null);
  vocabulary = $state.raw<VocabularyLabel[]>([]);
  /** The label new segments get (the last one chosen). */
  currentLabel = $state<string | null>(null);
  saveStatus = $state.raw<SaveStatus>({ state: 'saved' });
  undoDescription = $state<string | null>(null);
  redoDescription = $state<string | null>(null);
  /** Whether the label picker is open (L, double-click). */
  pickingLabel = $state(false);
  /** What the last edit did that the user may not expect (an edge that stopped at its neighbour); null when nothing. */
  notice = $state<string | null>(null);

  /** A distinct colour for each label the scene uses. */
  readonly colourOf = $derived(labelColours(this.segments.map((s) => s.label), this.vocabulary));
  /** The frames no segment covers; only counted once the scene has a segment (an unannotated scene is not "gaps"). */
  readonly gaps = $derived(this.segments.length === 0 ? [] : gapsOf(this.segments, this.totalFrames));

  readonly #studio: StudioState;
  readonly #history = new EditHistory<EditSegment[]>([]);
  #autosave: Autosave<{ sceneId: number; segments: EditSegment[] }>;

  constructor(studio: StudioState) {
    this.#studio = studio;
    this.#autosave = this.#newAutosave();
    // Edits that could not be saved while the host was away go out as soon as it is back.
    studio.client.onConnection((state) => {
      if (state === 'open' && this.saveStatus.state === 'failed') void this.retrySave();
    });
  }

  get shown(): EditSegment[] {
    return this.preview ?? this.segments;
  }

  get selected(): EditSegment | null {
    return this.segments.find((s) => s.key === this.selectedKey) ?? null;
  }

  get dirty(): boolean {
    return this.#autosave.dirty;
  }

  /** The label offered for the gaps: the vocabulary's 'background' when it has one, else 'unlabeled'. */
  get gapLabel(): string {
    return this.vocabulary.some((l) => l.label === BACKGROUND_CLASS) ? BACKGROUND_CLASS : UNLABELED_CLASS;
  }

  /** Labels offered by the picker: the vocabulary, plus labels in use that it lacks. */
  get labels(): VocabularyLabel[] {
    const labels = [...this.vocabulary];
    const known = new Set(labels.map((l) => l.label));
    for (const { label, verb, object } of this.segments) {
      if (known.has(label)) continue;
      known.add(label);
      labels.push({ label, verb, object });
    }
    return labels;
  }

  /**
   * Shows `scene` (a no-op when it is already shown, so a refreshed SceneDetail never overwrites edits); a previous
   * scene's waiting edits are still saved, to that scene. Segments may reach the end of the longest feature track
   * (the catalog's limit), or of the timeline's `clockFrames` when no track says its length.
   */
  open(scene: SceneDetail, clockFrames: number): void {
    const trackFrames = scene.views.map((v) => v.track?.frameCount ?? 0);
    this.totalFrames = Math.max(1, Math.round(Math.max(...trackFrames, 0) || clockFrames));
    if (scene.scene.id === this.sceneId) return;
    void this.#autosave.flush();
    this.#autosave = this.#newAutosave();
    this.sceneId = scene.scene.id;
    this.datasetId = scene.scene.datasetId;
    this.saveStatus = { state: 'saved' };
    this.notice = null;
    this.selectedKey = null;
    this.markedStart = null;
    this.preview = null;
    this.#history.reset(fromCatalog(scene.segments));
    this.#show(this.#history.present);
    void this.loadVocabulary(scene.scene.datasetId);
  }

  async loadVocabulary(datasetId: number): Promise<void> {
    try {
      const vocabulary = await this.#studio.client.api.listVocabulary({ datasetId });
      if (datasetId !== this.datasetId) return;
      this.vocabulary = vocabulary;
      if (this.currentLabel === null || !this.labels.some((l) => l.label === this.currentLabel)) {
        this.currentLabel = vocabulary[0]?.label ?? null;
      }
    } catch (error) {
      this.#studio.report('Could not load the label vocabulary', error);
    }
  }

  select(key: number | null): void {
    this.selectedKey = key;
  }

  selectNeighbour(direction: -1 | 1): void {
    this.selectedKey = neighbourKey(this.segments, this.selectedKey, direction);
  }

  /** The selected segment, else the one under `frame`. */
  target(frame: number): EditSegment | null {
    return this.selected ?? segmentAt(this.segments, Math.floor(frame)) ?? null;
  }

  // Edits: each is one command in the history.

  create(anchor: number, other: number): void {
    this.#edit('Could not create a segment', 'create', () => {
      const { list, key } = createSegment(this.segments, anchor, other, this.#newLabel(), this.totalFrames);
      this.selectedKey = key;
      return list;
    });
  }

  /** S: remembers the playhead as the start of the next segment. */
  markStart(frame: number): void {
    const at = Math.floor(frame);
    const inside = segmentAt(this.segments, at);
    if (inside) {
      this.#studio.report('Could not mark a segment start', new SegmentEditError(`frame ${at} is already inside “${inside.label}”`));
      return;
    }
    this.markedStart = at;
  }

  /** E: ends the segment marked with S at the playhead (the playhead's frame is included). */
  markEnd(frame: number): void {
    const start = this.markedStart;
    if (start === null) {
      this.#studio.report('Could not end a segment', new SegmentEditError('no start is marked: press S at the first frame of the action'));
      return;
    }
    const end = Math.floor(frame);
    this.markedStart = null;
    this.create(start, end >= start ? end + 1 : end);
  }

  /**
   * Moves an edge of a segment to `frame`. 'boundary' (a mouse drag) moves a boundary shared with the neighbour on
   * that side; 'edge' (the keys, a Shift-drag) moves this segment's edge alone. An edge that stops at its neighbour
   * says so in `notice`.
   */
  resize(key: number, edge: 'start' | 'end', frame: number, mode: 'boundary' | 'edge' = 'edge'): void {
    this.#edit('Could not resize the segment', `resize ${edge}`, () => {
      const moved = dragEdge(this.segments, key, edge, frame, this.totalFrames, mode);
      this.notice = edgeNotice(edge, moved.stoppedAt);
      return moved.list;
    });
  }

  /** Covers every gap with a segment of `label` (one command). */
  fillGaps(label: string = this.gapLabel): void {
    const entry = this.labels.find((l) => l.label === label);
    this.#edit('Could not fill the gaps', `fill gaps with ${label}`, () =>
      fillGaps(this.segments, { label, verb: entry?.verb ?? null, object: entry?.object ?? null }, this.totalFrames),
    );
  }

  update(key: number, changes: SegmentChanges): void {
    this.#edit('Could not change the segment', 'edit', () => updateSegment(this.segments, key, changes, this.totalFrames));
  }

  split(key: number, frame: number): void {
    this.#edit('Could not split the segment', 'split', () => {
      const result = splitAt(this.segments, key, frame);
      this.selectedKey = result.key;
      return result.list;
    });
  }

  mergeWithNext(key: number): void {
    this.#edit('Could not merge the segments', 'merge', () => mergeWithNext(this.segments, key));
  }

  remove(key: number): void {
    this.#edit('Could not delete the segment', 'delete', () => {
      const list = removeSegment(this.segments, key);
      if (this.selectedKey === key) this.selectedKey = null;
      return list;
    });
  }

  relabel(key: number, label: string): void {
    const entry = this.labels.find((l) => l.label === label);
    this.currentLabel = label;
    this.#edit('Could not relabel the segment', 'relabel', () =>
      updateSegment(this.segments, key, { label, verb: entry?.verb ?? null, object: entry?.object ?? null }, this.totalFrames),
    );
  }

  undo(): void {
    const list = this.#history.undo();
    if (list) this.#commit(list);
  }

  redo(): void {
    const list = this.#history.redo();
    if (list) this.#commit(list);
  }

  /** Adds a label to the dataset's vocabulary (kept if already there) and makes it the label of new segments. */
  async addLabel(label: string, verb: string | null = null, object: string | null = null): Promise<boolean> {
    const datasetId = this.datasetId;
    const trimmed = label.trim();
    if (datasetId === null) return false;
    if (trimmed === '') {
      this.#studio.report('Could not add the label', new SegmentEditError('expected a label, got an empty one'));
      return false;
    }
    try {
      const vocabulary = await this.#studio.client.api.addVocabularyLabel({
        datasetId,
        label: trimmed,
        ...(verb ? { verb } : {}),
        ...(object ? { object } : {}),
      });
      if (datasetId === this.datasetId) this.vocabulary = vocabulary;
      this.currentLabel = trimmed;
      return true;
    } catch (error) {
      this.#studio.report(`Could not add the label “${trimmed}” to the vocabulary`, error);
      return false;
    }
  }

  /** Saves waiting edits now; resolves when the catalog has them (or the save failed, shown in the status). */
  flush(): Promise<void> {
    return this.#autosave.flush();
  }

  retrySave(): Promise<void> {
    const sceneId = this.sceneId;
    if (sceneId === null) return Promise.resolve();
    return this.#autosave.retry({ sceneId, segments: this.segments });
  }

  /** The scene's segments as a file in `format`, from the catalog after saving waiting edits. */
  async exportFile(format: AnnotationFormat): Promise<AnnotationFile | null> {
    const sceneId = this.sceneId;
    if (sceneId === null) return null;
    try {
      await this.#autosave.flush();
      if (this.saveStatus.state === 'failed') throw new Error(`the latest edits are not saved: ${this.saveStatus.reason}`);
      return await this.#studio.client.api.exportAnnotations({ sceneId, format });
    } catch (error) {
      this.#studio.report(`Could not export the segments as ${formatNames[format]}`, error);
      return null;
    }
  }

  /** Reads and checks a file without saving it, to say what importing it would replace; null when it is refused (reported). */
  async readImport(format: AnnotationFormat, text: string, fileName: string): Promise<ImportPlan | null> {
    const sceneId = this.sceneId;
    if (sceneId === null) return null;
    try {
      const read = await this.#studio.client.api.importAnnotations({ sceneId, format, text, dryRun: true });
      if (sceneId !== this.sceneId) return null;
      return { format, fileName, text, replaces: this.segments.length, segments: read.length };
    } catch (error) {
      this.#studio.report(`Could not import ${fileName} as ${formatNames[format]}`, error);
      return null;
    }
  }

  /** Replaces the scene's segments with those of a file (one command: undo brings the previous ones back). */
  async importText(format: AnnotationFormat, text: string, fileName: string): Promise<boolean> {
    const sceneId = this.sceneId;
    if (sceneId === null) return false;
    try {
      await this.#autosave.flush();
      const saved = await this.#studio.client.api.importAnnotations({ sceneId, format, text });
      if (sceneId !== this.sceneId) return false;
      this.#autosave.cancel();
      this.#history.apply(fromCatalog(saved), `import ${fileName}`);
      this.selectedKey = null;
      this.#show(this.#history.present);
      // The catalog adds an imported file's new labels to the vocabulary.
      if (this.datasetId !== null) void this.loadVocabulary(this.datasetId);
      return true;
    } catch (error) {
      this.#studio.report(`Could not import ${fileName} as ${formatNames[format]}`, error);
      return false;
    }
  }

  #newLabel(): LabelFields {
    const label = this.currentLabel ?? this.vocabulary[0]?.label ?? FALLBACK_LABEL;
    const entry = this.labels.find((l) => l.label === label);
    return { label, verb: entry?.verb ?? null, object: entry?.object ?? null };
  }

  #edit(title: string, description: string, change: () => EditSegment[]): void {
    this.preview = null;
    this.notice = null;
    let list: EditSegment[];
    try {
      list = change();
    } catch (error) {
      this.#studio.report(title, error);
      return;
    }
    // An edit that changed nothing (an edge dragged against its neighbour) is no command to undo.
    if (sameSegments(list, this.segments)) return;
    this.#history.apply(list, description);
    this.#commit(list);
  }

  #commit(list: EditSegment[]): void {
    this.#show(list);
    if (this.selectedKey !== null && !list.some((s) => s.key === this.selectedKey)) this.selectedKey = null;
    if (this.sceneId !== null) this.#autosave.schedule({ sceneId: this.sceneId, segments: list });
  }

  #show(list: EditSegment[]): void {
    this.segments = list;
    this.undoDescription = this.#history.undoDescription;
    this.redoDescription = this.#history.redoDescription;
  }

  #newAutosave(): Autosave<{ sceneId: number; segments: EditSegment[] }> {
    const autosave: Autosave<{ sceneId: number; segments: EditSegment[] }> = new Autosave({
      delayMs: AUTOSAVE_DELAY_MS,
      save: async ({ sceneId, segments }) => {
        await this.#studio.client.api.saveSegments({ sceneId, segments: toDrafts(segments) });
      },
      onStatus: (status) => {
        if (autosave === this.#autosave) this.saveStatus = status;
        // Another scene is open by now: its status line is gone, so the failure goes to the banner.
        else if (status.state === 'failed') this.#studio.report('The last edits of the previous scene were not saved', new Error(status.reason));
      },
      describeError,
    });
    return autosave;
  }
}

function sameSegments(a: readonly EditSegment[], b: readonly EditSegment[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => {
      const t = b[i]!;
      return s.key === t.key && s.startFrame === t.startFrame && s.endFrame === t.endFrame && s.label === t.label && s.verb === t.verb && s.object === t.object;
    })
  );
}

/** Why an edge went no further than its neighbour, or null when it went where asked. */
export function edgeNotice(edge: 'start' | 'end', stoppedAt: EditSegment | null): string | null {
  if (stoppedAt === null) return null;
  const frame = edge === 'start' ? stoppedAt.endFrame : stoppedAt.startFrame;
  return `The ${edge} stopped at frame ${frame}, where ${describeSegment(stoppedAt)} ${edge === 'start' ? 'ends' : 'begins'}; drag the shared edge to move both.`;
}

const editors = new WeakMap<StudioState, AnnotationEditor>();

/**
 * The page's one annotation editor (the segment layer and the Annotate panel are not nested, so no context). Made
 * in its own effect root: its deriveds (colours, gaps) must outlive the component that first asked for it.
 */
export function annotationEditorOf(studio: StudioState): AnnotationEditor {
  let editor = editors.get(studio);
  if (!editor) {
    $effect.root(() => {
      editor = new AnnotationEditor(studio);
    });
    editors.set(studio, editor!);
  }
  return editor!;
}
