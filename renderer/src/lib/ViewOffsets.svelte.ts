// The scene's per-view sync offsets as the viewer applies them: a change shows at once (the clock re-places the
// video), is saved to the catalog, and is undone with an error in words if the save fails. Every change made here
// can be undone and redone (offsetHistory.ts).
import { untrack } from 'svelte';
import { syncLimits, type Api, type ViewInfo } from '../../../contract/api';
import type { MasterClock } from './MasterClock.svelte';
import { describeChange, OffsetHistory, type OffsetChange } from './offsetHistory';

export class SyncOffsetError extends Error {
  override name = 'SyncOffsetError';
}

type NamedView = Pick<ViewInfo, 'id' | 'name'>;

export class ViewOffsets {
  #offsets = $state<Record<number, number>>({});
  /** Saves in flight per view: a catalog refresh must not put an old value back meanwhile. */
  #saving = new Map<number, number>();
  readonly #history = new OffsetHistory();
  /** Bumped whenever the history changes, so the Undo / Redo descriptions are reactive. */
  #historyVersion = $state(0);
  readonly #api: Pick<Api, 'setSyncOffset'>;
  readonly #clock: MasterClock;
  readonly #report: (title: string, error: unknown) => void;

  constructor(api: Pick<Api, 'setSyncOffset'>, clock: MasterClock, report: (title: string, error: unknown) => void) {
    this.#api = api;
    this.#clock = clock;
    this.#report = report;
  }

  /** The offset of view `viewId` as currently applied. */
  of(viewId: number): number {
    return this.#offsets[viewId] ?? 0;
  }

  /** What Undo would take back ("v2 +3 → +5"), or null. */
  get undoDescription(): string | null {
    void this.#historyVersion;
    const change = this.#history.nextUndo;
    return change ? describeChange(change) : null;
  }

  get redoDescription(): string | null {
    void this.#historyVersion;
    const change = this.#history.nextRedo;
    return change ? describeChange(change) : null;
  }

  /** Takes the catalog's offsets (first load, or after a catalog change); re-places the videos if any moved. */
  load(views: ViewInfo[]): void {
    untrack(() => this.#load(views));
  }

  #load(views: ViewInfo[]): void {
    let changed = false;
    for (const view of views) {
      if (this.#saving.has(view.id) || this.#offsets[view.id] === view.syncOffsetFrames) continue;
      this.#offsets[view.id] = view.syncOffsetFrames;
      changed = true;
    }
    if (changed) this.#clock.resync();
  }

  /** Applies and saves `offsetFrames` for `view`, as a change Undo can take back. */
  async set(view: NamedView, offsetFrames: number): Promise<void> {
    const from = this.of(view.id);
    if (offsetFrames === from) return;
    if (!this.#valid(view, offsetFrames)) return;
    const change: OffsetChange = { viewId: view.id, viewName: view.name, from, to: offsetFrames };
    this.#history.record(change);
    this.#historyVersion++;
    if (!(await this.#apply(view, offsetFrames))) {
      this.#history.forget(change);
      this.#historyVersion++;
    }
  }

  /** Moves view `view`'s offset by `frames`. */
  nudge(view: NamedView, frames: number): Promise<void> {
    return this.set(view, this.of(view.id) + frames);
  }

  /** Puts back the offset the last change replaced. */
  async undo(): Promise<void> {
    const change = this.#history.undo();
    if (!change) return;
    this.#historyVersion++;
    if (!(await this.#apply({ id: change.viewId, name: change.viewName }, change.from))) {
      this.#history.restore(change, 'undo');
      this.#historyVersion++;
    }
  }

  async redo(): Promise<void> {
    const change = this.#history.redo();
    if (!change) return;
    this.#historyVersion++;
    if (!(await this.#apply({ id: change.viewId, name: change.viewName }, change.to))) {
      this.#history.restore(change, 'redo');
      this.#historyVersion++;
    }
  }

  #valid(view: NamedView, offsetFrames: number): boolean {
    if (Number.isInteger(offsetFrames) && Math.abs(offsetFrames) <= syncLimits.offsetFrames) return true;
    this.#report(
      `Sync offset of view ${view.name} not changed`,
      new SyncOffsetError(`expected a whole number of frames within ±${syncLimits.offsetFrames}, got ${offsetFrames}`),
    );
    return false;
  }

  /** Shows `offsetFrames` at once and saves it; puts the old value back (and says why) when the save fails. */
  async #apply(view: NamedView, offsetFrames: number): Promise<boolean> {
    const previous = this.of(view.id);
    if (offsetFrames === previous) return true;
    this.#offsets[view.id] = offsetFrames;
    this.#clock.resync();
    this.#saving.set(view.id, (this.#saving.get(view.id) ?? 0) + 1);
    try {
      await this.#api.setSyncOffset({ viewId: view.id, offsetFrames });
      return true;
    } catch (error) {
      if (this.#offsets[view.id] === offsetFrames) {
        this.#offsets[view.id] = previous;
        this.#clock.resync();
      }
      this.#report(`Could not save the sync offset ${offsetFrames} of view ${view.name}`, error);
      return false;
    } finally {
      const left = (this.#saving.get(view.id) ?? 1) - 1;
      if (left > 0) this.#saving.set(view.id, left);
      else this.#saving.delete(view.id);
    }
  }
}
