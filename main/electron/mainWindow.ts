// The app's window: isolated, sandboxed renderer with only the preload's `window.api` (securityPolicy.ts's web
// preferences), showing the built renderer (or the dev server in `electron-vite dev`), opened where it was last
// closed (windowState.ts) and remembering its bounds when it closes.
import { BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import { APP_NAME } from '../paths';
import { secureWebPreferences, type AppRenderer } from './securityPolicy';
import { fitWindowState, MIN_WINDOW_SIZE, readWindowState, windowStateFile, windowStateOf, writeWindowState } from './windowState';

export function createMainWindow(outDir: string, renderer: AppRenderer, dataDir: string): BrowserWindow {
  const stateFile = windowStateFile(dataDir);
  const state = fitWindowState(
    readWindowState(stateFile),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: APP_NAME,
    backgroundColor: '#15171a',
    show: false,
    webPreferences: secureWebPreferences(join(outDir, 'preload', 'index.cjs')),
  });
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    try {
      writeWindowState(stateFile, windowStateOf(window.getNormalBounds(), window.isMaximized()));
    } catch (error) {
      console.error(`EVGAP Studio: could not remember the window's position in ${stateFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  if (renderer.devServerUrl) void window.loadURL(renderer.devServerUrl);
  else void window.loadFile(join(renderer.rendererDir, 'index.html'));
  return window;
}
