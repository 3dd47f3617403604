// Typed context helpers shared by every screen and panel: the page's state (App), the scene's master clock and
// per-view sync offsets (SceneScreen), the timeline's geometry (inside the timeline's layer rows) and the keyboard
// shortcuts (App).
import { getContext, hasContext, setContext } from 'svelte';
import type { MasterClock } from './MasterClock.svelte';
import type { ShortcutRegistry } from './ShortcutRegistry.svelte';
import type { StudioState } from './StudioState.svelte';
import type { TimelineGeometry } from './TimelineGeometry.svelte';
import type { ViewOffsets } from './ViewOffsets.svelte';

const studioKey = Symbol('studio');
const clockKey = Symbol('clock');
const offsetsKey = Symbol('offsets');
const timelineKey = Symbol('timeline');
const shortcutsKey = Symbol('shortcuts');

export class MissingContextError extends Error {
  override name = 'MissingContextError';
}

function required<T>(key: symbol, what: string, where: string): T {
  if (!hasContext(key)) throw new MissingContextError(`no ${what} in context: this component must be placed inside ${where}`);
  return getContext<T>(key);
}

export const setStudio = (studio: StudioState): StudioState => setContext(studioKey, studio);
export const getStudio = (): StudioState => required(studioKey, 'StudioState', 'App');

export const setClock = (clock: MasterClock): MasterClock => setContext(clockKey, clock);
export const getClock = (): MasterClock => required(clockKey, 'MasterClock', 'the Scene tab (SceneScreen)');

export const setOffsets = (offsets: ViewOffsets): ViewOffsets => setContext(offsetsKey, offsets);
export const getOffsets = (): ViewOffsets => required(offsetsKey, 'ViewOffsets', 'the Scene tab (SceneScreen)');

export const setTimeline = (timeline: TimelineGeometry): TimelineGeometry => setContext(timelineKey, timeline);
export const getTimeline = (): TimelineGeometry => required(timelineKey, 'TimelineGeometry', "a timeline's layer row");

export const setShortcuts = (shortcuts: ShortcutRegistry): ShortcutRegistry => setContext(shortcutsKey, shortcuts);
export const getShortcuts = (): ShortcutRegistry => required(shortcutsKey, 'ShortcutRegistry', 'App');
