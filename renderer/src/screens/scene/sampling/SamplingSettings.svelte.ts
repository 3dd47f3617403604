// The sampling settings of the open scene's dataset, shared by the Sampling panel (the form and its counts) and
// the timeline's window layer (the clip windows): the form, its problems in words, the preset the defaults came
// from, and the latest samplingPreview answer, asked again ~300 ms after each change.
import type { PresetInfo, SamplingPreview, SamplingSettingsInput, SceneDetail, ViewInfo } from '../../../../../contract/api';
import { describeError, type StudioState } from '../../../lib/StudioState.svelte';
import { DebouncedQuery } from './DebouncedQuery';
import { checkSampling, samplingConfig, samplingDefaults, type FieldProblem, type PresetChoice, type SamplingNumbers } from './samplingForm';

const PREVIEW_DELAY_MS = 300;
/** Catalog changes that cannot change the counts or the windows. */
const unrelatedChanges = new Set(['segments', 'vocabulary', 'samplingConfig']);

interface PreviewQuestion {
  datasetId: number;
  sceneId: number;
  settings: SamplingSettingsInput;
}

export class SamplingSettings {
  numbers = $state<SamplingNumbers>({
    window: null,
    stride: null,
    scaleMin: null,
    scaleMax: null,
    clipsPerSet: null,
    batchPairs: null,
    batchGroups: null,
  });
  /** Names of the views that take part. */
  chosenViews = $state<string[]>([]);
  views = $state.raw<ViewInfo[]>([]);
  preset = $state<PresetChoice | null>(null);
  presetReason = $state<string | null>(null);
  preview = $state.raw<SamplingPreview | null>(null);
  /** Why the last preview could not be computed, in words. */
  previewError = $state<string | null>(null);
  counting = $state(false);
  sceneId = $state<number | null>(null);
  datasetId = $state<number | null>(null);
  /** The id of the last saved sampling config, to confirm the save. */
  savedConfig = $state<{ id: number; name: string } | null>(null);

  readonly #studio: StudioState;
  #presets: PresetInfo[] | null = null;
  readonly #query: DebouncedQuery<PreviewQuestion, SamplingPreview>;

  constructor(studio: StudioState) {
    this.#studio = studio;
    this.#query = new DebouncedQuery({
      delayMs: PREVIEW_DELAY_MS,
      query: ({ datasetId, sceneId, settings }) => studio.client.api.samplingPreview({ datasetId, sceneId, settings }),
      onAnswer: (preview) => {
        this.preview = preview;
        this.previewError = null;
      },
      onError: (error) => {
        this.preview = null;
        this.previewError = describeError(error);
      },
      onBusy: (busy) => (this.counting = busy),
    });
    // Windows start where every view has frames, so a changed sync offset moves them; annotations do not.
    studio.client.on('catalog.changed', ({ datasetId, what }) => {
      if ((datasetId === null || datasetId === this.datasetId) && !unrelatedChanges.has(what)) this.refresh();
    });
  }

  /** The form checked: settings to send, or the problems in words. */
  get checked(): { settings: SamplingSettingsInput | null; problems: FieldProblem[] } {
    return checkSampling(this.numbers, this.views, this.chosenViews);
  }

  problemsOf(field: keyof SamplingNumbers | 'views'): string[] {
    return this.checked.problems.filter((p) => p.field === field).map((p) => p.message);
  }

  /** Shows `scene`'s dataset and views; the defaults are loaded the first time a dataset is shown. */
  async open(scene: SceneDetail): Promise<void> {
    if (scene.scene.id === this.sceneId) return;
    const sameDataset = scene.scene.datasetId === this.datasetId;
    this.sceneId = scene.scene.id;
    this.datasetId = scene.scene.datasetId;
    this.views = scene.views;
    this.chosenViews = sameDataset ? scene.views.map((v) => v.name).filter((n) => this.chosenViews.includes(n)) : scene.views.map((v) => v.name);
    if (this.chosenViews.length === 0) this.chosenViews = scene.views.map((v) => v.name);
    this.preview = null;
    if (!sameDataset || this.preset === null) await this.resetToDefaults(scene.datasetName);
    else this.refresh();
  }

  /** Puts the preset's numbers back (the publication's, or the demo's for the demo dataset). */
  async resetToDefaults(datasetName: string): Promise<void> {
    try {
      this.#presets ??= await this.#studio.client.api.listPresets({});
      const defaults = samplingDefaults(this.#presets, datasetName);
      this.numbers = defaults.numbers;
      this.preset = defaults.preset;
      this.presetReason = defaults.reason;
      this.chosenViews = this.views.map((v) => v.name);
      this.refresh();
    } catch (error) {
      this.#studio.report('Could not load the sampling defaults', error);
    }
  }

  setNumber(field: keyof SamplingNumbers, value: number | null): void {
    this.numbers[field] = value;
    this.refresh();
  }

  setView(name: string, on: boolean): void {
    const others = this.chosenViews.filter((n) => n !== name);
    this.chosenViews = on ? this.views.map((v) => v.name).filter((n) => n === name || others.includes(n)) : others;
    this.refresh();
  }

  /** Asks for new counts if the form is usable; otherwise the problems stand and the old windows go away. */
  refresh(): void {
    const { settings } = this.checked;
    if (this.datasetId === null || this.sceneId === null) return;
    if (!settings) {
      this.#query.cancel();
      this.preview = null;
      this.previewError = null;
      return;
    }
    this.#query.ask({ datasetId: this.datasetId, sceneId: this.sceneId, settings });
  }

  async saveConfig(name: string): Promise<boolean> {
    const { settings, problems } = this.checked;
    const trimmed = name.trim();
    try {
      if (this.datasetId === null || this.preset === null) throw new Error('no dataset is open');
      if (!settings) throw new Error(problems.map((p) => p.message).join('; '));
      if (trimmed === '') throw new Error('expected a name for the sampling config, got an empty one');
      const { id } = await this.#studio.client.api.saveSamplingConfig({
        datasetId: this.datasetId,
        name: trimmed,
        config: samplingConfig(settings, this.preset),
      });
      this.savedConfig = { id, name: trimmed };
      return true;
    } catch (error) {
      this.#studio.report(`Could not save the sampling config “${trimmed}”`, error);
      return false;
    }
  }
}

const settingsByStudio = new WeakMap<StudioState, SamplingSettings>();

/** The page's one sampling state (the panel and the timeline layer are not nested, so no context). */
export function samplingSettingsOf(studio: StudioState): SamplingSettings {
  let settings = settingsByStudio.get(studio);
  if (!settings) {
    settings = new SamplingSettings(studio);
    settingsByStudio.set(studio, settings);
  }
  return settings;
}
