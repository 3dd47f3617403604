// The Sync panel's state: the scene's sync estimate and the chosen ego/exo pair's heat map, which come from one
// request (the profile carries the estimate it belongs to), so the pair panel, the heat map and the table always
// show the same suggestion. Each request supersedes the previous one; the person's rejections hold while the
// estimate suggests the same offset. Accepting applies the offset through ViewOffsets (shown at once, saved,
// undoable).
import type { Api, SceneDetail, SyncEstimate, SyncProfile, SyncSuggestion, ViewInfo } from '../../../../../contract/api';
import type { ViewOffsets } from '../../../lib/ViewOffsets.svelte';

export type SuggestionStatus = 'in-sync' | 'pending' | 'rejected';

/** Below this probability a suggestion is shown as weak. */
export const weakConfidence = 0.8;

export class SyncCheck {
  egoViewId = $state<number | null>(null);
  exoViewId = $state<number | null>(null);
  /** Candidate offsets run from −maxOffset to +maxOffset frames around each view's current offset. */
  maxOffset = $state(30);
  profile = $state.raw<SyncProfile | null>(null);
  estimate = $state.raw<SyncEstimate | null>(null);
  loading = $state(false);
  /** Rejected suggestions, by `${viewId}:${suggestedOffset}`. */
  #rejected = $state<Record<string, true>>({});

  readonly #api: Pick<Api, 'syncProfile' | 'suggestSyncOffsets'>;
  readonly #offsets: ViewOffsets;
  readonly #report: (title: string, error: unknown) => void;
  #request = 0;

  constructor(
    api: Pick<Api, 'syncProfile' | 'suggestSyncOffsets'>,
    offsets: ViewOffsets,
    report: (title: string, error: unknown) => void,
    maxOffset: number,
  ) {
    this.#api = api;
    this.#offsets = offsets;
    this.#report = report;
    this.maxOffset = maxOffset;
  }

  /** Picks the first ego and first exo view when none (or a view no longer in the scene) is chosen. */
  choosePair(views: ViewInfo[]): void {
    if (!views.some((v) => v.id === this.egoViewId)) this.egoViewId = views.find((v) => v.role === 'ego')?.id ?? null;
    if (!views.some((v) => v.id === this.exoViewId)) this.exoViewId = views.find((v) => v.role === 'exo')?.id ?? null;
  }

  /** Asks for the scene's estimate (with the chosen pair's heat map when there is a pair) at the catalog's offsets. */
  async load(detail: SceneDetail): Promise<void> {
    const request = ++this.#request;
    const ego = detail.views.find((v) => v.id === this.egoViewId);
    const exo = detail.views.find((v) => v.id === this.exoViewId);
    this.loading = true;
    try {
      const maxOffset = this.maxOffset;
      if (ego && exo) {
        const profile = await this.#api.syncProfile({ egoViewId: ego.id, exoViewId: exo.id, maxOffset });
        if (request !== this.#request) return;
        this.profile = profile;
        this.estimate = profile.estimate;
      } else {
        const estimate = await this.#api.suggestSyncOffsets({ sceneId: detail.scene.id, maxOffset });
        if (request !== this.#request) return;
        this.profile = null;
        this.estimate = estimate;
      }
    } catch (error) {
      if (request !== this.#request) return;
      this.profile = null;
      this.estimate = null;
      this.#report(`Could not estimate the sync offsets of scene ${detail.scene.name} (±${this.maxOffset} frames)`, error);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  get suggestions(): SyncSuggestion[] {
    return this.estimate?.suggestions ?? [];
  }

  /** The estimate's suggestion for a view, if the estimate has one. */
  suggestionFor(viewId: number): SyncSuggestion | undefined {
    return this.suggestions.find((s) => s.viewId === viewId);
  }

  /** In sync: the view stands at its suggested offset; rejected: the person said no to this suggestion. */
  status(suggestion: SyncSuggestion): SuggestionStatus {
    if (suggestion.suggestedOffset === this.#offsets.of(suggestion.viewId)) return 'in-sync';
    return this.#rejected[`${suggestion.viewId}:${suggestion.suggestedOffset}`] ? 'rejected' : 'pending';
  }

  accept(suggestion: SyncSuggestion): Promise<void> {
    return this.#offsets.set({ id: suggestion.viewId, name: suggestion.viewName }, suggestion.suggestedOffset);
  }

  reject(suggestion: SyncSuggestion): void {
    this.#rejected[`${suggestion.viewId}:${suggestion.suggestedOffset}`] = true;
  }

  /** Suggestions that would change something and are still undecided. */
  get pending(): SyncSuggestion[] {
    return this.suggestions.filter((s) => this.status(s) === 'pending');
  }

  async acceptAll(): Promise<void> {
    await Promise.all(this.pending.map((s) => this.accept(s)));
  }
}
