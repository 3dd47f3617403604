// The Sync panel's state: the chosen ego/exo pair's similarity profile and the scene's offset suggestions, each
// request superseding the previous one, with the person's Accept / Reject decisions. Accepting applies the offset
// through ViewOffsets (shown at once, saved to the catalog).
import type { Api, SceneDetail, SyncProfile, SyncSuggestion, ViewInfo } from '../../../../../contract/api';
import type { ViewOffsets } from '../../../lib/ViewOffsets.svelte';

export type Decision = 'accepted' | 'rejected';

export class SyncCheck {
  egoViewId = $state<number | null>(null);
  exoViewId = $state<number | null>(null);
  /** Candidate offsets run from −maxOffset to +maxOffset frames around the exo view's current offset. */
  maxOffset = $state(30);
  profile = $state.raw<SyncProfile | null>(null);
  /** The exo view's catalog offset the profile was computed at (relative offset 0). */
  profileBase = $state(0);
  profileLoading = $state(false);
  suggestions = $state.raw<SyncSuggestion[] | null>(null);
  suggestionsLoading = $state(false);
  decisions = $state<Record<number, Decision>>({});

  readonly #api: Pick<Api, 'syncProfile' | 'suggestSyncOffsets'>;
  readonly #offsets: ViewOffsets;
  readonly #report: (title: string, error: unknown) => void;
  #profileRequest = 0;
  #suggestionRequest = 0;

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

  /** Asks for the chosen pair's profile; `detail` gives the catalog offsets the main side will use. */
  async loadProfile(detail: SceneDetail): Promise<void> {
    const request = ++this.#profileRequest;
    const ego = detail.views.find((v) => v.id === this.egoViewId);
    const exo = detail.views.find((v) => v.id === this.exoViewId);
    if (!ego || !exo) {
      this.profile = null;
      return;
    }
    this.profileLoading = true;
    try {
      const profile = await this.#api.syncProfile({ egoViewId: ego.id, exoViewId: exo.id, maxOffset: this.maxOffset });
      if (request !== this.#profileRequest) return;
      this.profile = profile;
      this.profileBase = exo.syncOffsetFrames;
    } catch (error) {
      if (request !== this.#profileRequest) return;
      this.profile = null;
      this.#report(`Could not compute the sync profile of ${ego.name} and ${exo.name} (±${this.maxOffset} frames)`, error);
    } finally {
      if (request === this.#profileRequest) this.profileLoading = false;
    }
  }

  /** Asks for an offset suggestion for every view of the scene; clears earlier decisions. */
  async loadSuggestions(detail: SceneDetail): Promise<void> {
    const request = ++this.#suggestionRequest;
    this.suggestionsLoading = true;
    try {
      const suggestions = await this.#api.suggestSyncOffsets({ sceneId: detail.scene.id, maxOffset: this.maxOffset });
      if (request !== this.#suggestionRequest) return;
      this.suggestions = suggestions;
      this.decisions = {};
    } catch (error) {
      if (request !== this.#suggestionRequest) return;
      this.#report(`Could not suggest sync offsets for scene ${detail.scene.name} (±${this.maxOffset} frames)`, error);
    } finally {
      if (request === this.#suggestionRequest) this.suggestionsLoading = false;
    }
  }

  async accept(suggestion: SyncSuggestion): Promise<void> {
    this.decisions[suggestion.viewId] = 'accepted';
    await this.#offsets.set({ id: suggestion.viewId, name: suggestion.viewName }, suggestion.suggestedOffset);
    if (this.#offsets.of(suggestion.viewId) !== suggestion.suggestedOffset) delete this.decisions[suggestion.viewId];
  }

  reject(suggestion: SyncSuggestion): void {
    this.decisions[suggestion.viewId] = 'rejected';
  }

  /** Suggestions that would change something and are still undecided. */
  get pending(): SyncSuggestion[] {
    return (this.suggestions ?? []).filter((s) => !this.decisions[s.viewId] && s.suggestedOffset !== this.#offsets.of(s.viewId));
  }

  async acceptAll(): Promise<void> {
    await Promise.all(this.pending.map((s) => this.accept(s)));
  }
}
