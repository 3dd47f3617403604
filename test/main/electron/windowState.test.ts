// The main window reopens where it was closed: stored bounds are validated, shrunk to the displays, and a
// position that would leave the window off every display is dropped; the file survives damage.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  fitWindowState,
  parseWindowState,
  readWindowState,
  windowStateFile,
  windowStateOf,
  writeWindowState,
} from '../../../main/electron/windowState';

const laptop = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1400 };

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('parseWindowState', () => {
  it('accepts a complete state and one without a position', () => {
    expect(parseWindowState({ x: 10, y: 20, width: 1300, height: 900, maximized: true })).toEqual({ x: 10, y: 20, width: 1300, height: 900, maximized: true });
    expect(parseWindowState({ width: 1300, height: 900 })).toEqual({ width: 1300, height: 900, maximized: false });
  });

  it('refuses sizes below the minimum, non-integers and non-objects', () => {
    expect(parseWindowState({ width: 200, height: 900 })).toBeNull();
    expect(parseWindowState({ width: 1300.5, height: 900 })).toBeNull();
    expect(parseWindowState({ width: '1300', height: 900 })).toBeNull();
    expect(parseWindowState(null)).toBeNull();
    expect(parseWindowState([1300, 900])).toBeNull();
  });
});

describe('fitWindowState', () => {
  it('keeps a position on a connected display', () => {
    const state = { x: 2100, y: 100, width: 1400, height: 900, maximized: false };
    expect(fitWindowState(state, [laptop, rightMonitor])).toEqual(state);
  });

  it('drops the position when the display it was on is gone', () => {
    const state = { x: 2100, y: 100, width: 1400, height: 900, maximized: true };
    expect(fitWindowState(state, [laptop])).toEqual({ width: 1400, height: 900, maximized: true });
  });

  it('shrinks a window larger than every display', () => {
    const fitted = fitWindowState({ width: 3000, height: 2000, maximized: false }, [laptop]);
    expect(fitted).toEqual({ width: 1920, height: 1050, maximized: false });
  });

  it('leaves the state alone when no display is known', () => {
    const state = { x: 5, y: 5, width: 1000, height: 700, maximized: false };
    expect(fitWindowState(state, [])).toEqual(state);
  });
});

describe('readWindowState / writeWindowState', () => {
  it('round-trips through window-state.json in the data folder', () => {
    dir = mkdtempSync(join(tmpdir(), 'evgap-window-'));
    const file = windowStateFile(dir);
    expect(file).toBe(join(dir, 'window-state.json'));
    const state = windowStateOf({ x: 40.4, y: 30.6, width: 1500, height: 950 }, true);
    writeWindowState(file, state);
    expect(readWindowState(file)).toEqual({ x: 40, y: 31, width: 1500, height: 950, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
  });

  it('falls back to the default for a missing or damaged file', () => {
    dir = mkdtempSync(join(tmpdir(), 'evgap-window-'));
    expect(readWindowState(join(dir, 'missing.json'))).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(join(dir, 'broken.json'), '{"width": 1300, "hei');
    expect(readWindowState(join(dir, 'broken.json'))).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('refuses to store a state below the minimum size', () => {
    dir = mkdtempSync(join(tmpdir(), 'evgap-window-'));
    expect(() => writeWindowState(join(dir!, 'w.json'), { width: 100, height: 100, maximized: false })).toThrow(/at least 960x600/);
  });
});
