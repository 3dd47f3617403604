// The main window's size, position and maximized state, remembered between sessions in a small JSON file in the
// data folder. Plain functions (no electron import): reading tolerates a missing or damaged file, and a stored
// position is used only where the window would still be on one of the current displays' work areas.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent when the window manager should place the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;

/** How much of the window (in pixels each way) must lie on a display for a stored position to be kept. */
const VISIBLE_MARGIN = 64;

export const windowStateFile = (dataDir: string): string => join(dataDir, 'window-state.json');

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/** A stored state if `value` is one (sizes at least the minimum), else null. */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { x, y, width, height, maximized } = value as Record<string, unknown>;
  if (!isInteger(width) || !isInteger(height) || width < MIN_WINDOW_SIZE.width || height < MIN_WINDOW_SIZE.height) return null;
  const state: WindowState = { width, height, maximized: maximized === true };
  if (isInteger(x) && isInteger(y)) Object.assign(state, { x, y });
  return state;
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The state to open the window with on these displays: sizes shrunk to the largest work area, and the stored
 * position dropped when too little of the window would be visible on any display (a monitor was unplugged).
 */
export function fitWindowState(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const widest = Math.max(...workAreas.map((area) => area.width));
  const tallest = Math.max(...workAreas.map((area) => area.height));
  const width = Math.max(Math.min(state.width, widest), Math.min(MIN_WINDOW_SIZE.width, widest));
  const height = Math.max(Math.min(state.height, tallest), Math.min(MIN_WINDOW_SIZE.height, tallest));
  const fitted: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return fitted;
  const bounds = { x: state.x, y: state.y, width, height };
  const visible = workAreas.some((area) => {
    const shared = overlap(bounds, area);
    return shared.width >= Math.min(VISIBLE_MARGIN, width) && shared.height >= Math.min(VISIBLE_MARGIN, height);
  });
  return visible ? { ...fitted, x: state.x, y: state.y } : fitted;
}

/** The state stored in `file`, or the default when there is none or it is unreadable. */
export function readWindowState(file: string): WindowState {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8'))) ?? DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

/** Writes `state` to `file` through a temporary file, so a crash mid-write leaves the previous state. */
export function writeWindowState(file: string, state: WindowState): void {
  const parsed = parseWindowState(state);
  if (parsed === null) throw new TypeError(`expected a window state of at least ${MIN_WINDOW_SIZE.width}x${MIN_WINDOW_SIZE.height}, got ${JSON.stringify(state)}`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  writeFileSync(partial, `${JSON.stringify(parsed, null, 2)}\n`);
  renameSync(partial, file);
}

/** What to remember of a window: its normal (unmaximized) bounds and whether it is maximized. */
export function windowStateOf(normalBounds: Rectangle, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.max(MIN_WINDOW_SIZE.width, Math.round(normalBounds.width)),
    height: Math.max(MIN_WINDOW_SIZE.height, Math.round(normalBounds.height)),
    maximized,
  };
}
