// The Electron shell's security rules as plain functions (no electron import, so they are unit-tested): the
// window's web preferences, which page may call the API, where a window may navigate, which permission requests
// are granted. They trust only the app's own renderer: files under out/renderer, or the electron-vite dev server
// during development.
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppRenderer {
  /** Absolute path of the built renderer (out/renderer). */
  rendererDir: string;
  /** The dev server's URL when running `electron-vite dev`; absent in a built app. */
  devServerUrl?: string | undefined;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Whether `url` is a page of the app itself. */
export function isAppRendererUrl(url: string, renderer: AppRenderer): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'file:') {
    if (parsed.host !== '' && parsed.host !== 'localhost') return false;
    const inside = relative(renderer.rendererDir, fileURLToPath(parsed));
    return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
  }
  const dev = renderer.devServerUrl ? parse(renderer.devServerUrl) : null;
  return dev !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === dev.origin;
}

/** The sender check of every API call: the calling frame must be showing the app's own page. */
export function isTrustedSender(frameUrl: string | null | undefined, renderer: AppRenderer): boolean {
  return typeof frameUrl === 'string' && isAppRendererUrl(frameUrl, renderer);
}

/** Windows may only (re)load the app's own page; links elsewhere are refused, not opened. */
export function mayNavigate(targetUrl: string, renderer: AppRenderer): boolean {
  return isAppRendererUrl(targetUrl, renderer);
}

/** Permissions granted: only fullscreen (for a video), and only to the app's own page. Everything else is denied. */
export function mayGrantPermission(permission: string, requestingUrl: string | null | undefined, renderer: AppRenderer): boolean {
  return permission === 'fullscreen' && isTrustedSender(requestingUrl, renderer);
}

/** The renderer's web preferences: isolated, sandboxed, no Node, web security on, no <webview>, only the preload. */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  } as const;
}
