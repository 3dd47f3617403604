// The app's window: isolated, sandboxed renderer with only the preload's `window.api`, showing the built
// renderer (or the dev server in `electron-vite dev`).
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { AppRenderer } from './securityPolicy';

export function createMainWindow(outDir: string, renderer: AppRenderer): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'EVGAP Studio',
    backgroundColor: '#15171a',
    show: false,
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (renderer.devServerUrl) void window.loadURL(renderer.devServerUrl);
  else void window.loadFile(join(renderer.rendererDir, 'index.html'));
  return window;
}
