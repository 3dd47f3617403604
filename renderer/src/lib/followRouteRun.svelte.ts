// Keeps a run tab's open run (the Training tab's selected run, the Results tab's chosen run) and the route's run in
// step, both ways: a run chosen on screen goes into the address, a run the address names (reload, a link, Back) is
// opened on screen. Call it while a component initializes; it follows only while `tab` is the open tab.
import { untrack } from 'svelte';
import type { RunTab, StudioState } from './StudioState.svelte';

export interface OpenRun {
  /** The run shown now (null before one is chosen). */
  current(): number | null;
  open(runId: number): void;
}

export function followRouteRun(studio: StudioState, tab: RunTab, run: () => OpenRun): void {
  $effect(() => {
    if (studio.tab !== tab) return;
    const wanted = studio.runIds[tab];
    const screen = run();
    if (wanted !== null && wanted !== untrack(() => screen.current())) untrack(() => screen.open(wanted));
  });
  $effect(() => {
    if (studio.tab !== tab) return;
    const shown = run().current();
    if (shown !== null) untrack(() => (studio.runIds[tab] = shown));
  });
}
