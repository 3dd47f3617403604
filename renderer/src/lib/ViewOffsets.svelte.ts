// The scene's per-view sync offsets as the viewer applies them: a nudge shows at once (the clock re-places the
// video), is saved to the catalog, and is undone with an error in words if the save fails.
import { untrack } from 'svelte';
import type { Api, ViewInfo } from '../../../contract/api';
import type { MasterClock } from './MasterClock.svelte';

export class SyncOffsetError extends Error {
  override name = 'SyncOffsetError';
}

export class ViewOffsets {
  #offsets = $state<Record<number, number>>({});
  /** Saves in flight per view: a catalog refresh must not put an old value back meanwhile. */
  #saving = new Map<number, number>();
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

  /** Applies and saves `offsetFrames` for `view`. */
  async set(view: Pick<ViewInfo, 'id' | 'name'>, offsetFrames: number): Promise<void> {
    if (!Number.isInteger(offsetFrames)) {
      this.#report(`Sync offset of view ${view.name} not changed`, new SyncOffsetError(`expected a whole number of frames, got ${offsetFrames}`));
      return;
    }
    const previous = this.of(view.id);
    if (offsetFrames === previous) return;
    this.#offsets[view.id] = offsetFrames;
    this.#clock.resync();
    this.#saving.set(view.id, (this.#saving.get(view.id) ?? 0) + 1);
    try {
      await this.#api.setSyncOffset({ viewId: view.id, offsetFrames });
    } catch (error) {
      if (this.#offsets[view.id] === offsetFrames) {
        this.#offsets[view.id] = previous;
        this.#clock.resync();
      }
      this.#report(`Could not save the sync offset ${offsetFrames} of view ${view.name}`, error);
    } finally {
      const left = (this.#saving.get(view.id) ?? 1) - 1;
      if (left > 0) this.#saving.set(view.id, left);
      else this.#saving.delete(view.id);
    }
  }

  /** Moves view `view`'s offset by `frames`. */
  nudge(view: Pick<ViewInfo, 'id' | 'name'>, frames: number): Promise<void> {
    return this.set(view, this.of(view.id) + frames);
  }
}
