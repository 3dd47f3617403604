// The Electron shell's web preferences follow Electron's security checklist; its sender check, navigation rule
// and permission rule trust only the app's own renderer.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppRendererUrl, isTrustedSender, mayGrantPermission, mayNavigate, secureWebPreferences } from '../../../main/electron/securityPolicy';

const rendererDir = join('/opt', 'evgap', 'out', 'renderer');
const built = { rendererDir };
const dev = { rendererDir, devServerUrl: 'http://localhost:5173/' };
const page = pathToFileURL(join(rendererDir, 'index.html')).href;

describe('isAppRendererUrl', () => {
  it('accepts the built page, with a query or hash', () => {
    expect(isAppRendererUrl(page, built)).toBe(true);
    expect(isAppRendererUrl(`${page}?scene=3#views`, built)).toBe(true);
  });

  it('refuses files outside out/renderer, including ones reached through ..', () => {
    expect(isAppRendererUrl(pathToFileURL(join('/opt', 'evgap', 'out', 'main', 'index.js')).href, built)).toBe(false);
    expect(isAppRendererUrl('file:///opt/evgap/out/renderer/../main/index.js', built)).toBe(false);
    expect(isAppRendererUrl(pathToFileURL('/etc/passwd').href, built)).toBe(false);
    expect(isAppRendererUrl(pathToFileURL(join('/opt', 'evgap', 'out', 'renderer-evil', 'x.html')).href, built)).toBe(false);
    expect(isAppRendererUrl(pathToFileURL(rendererDir).href, built)).toBe(false);
  });

  it('refuses file URLs on another host', () => {
    expect(isAppRendererUrl(`file://attacker${join(rendererDir, 'index.html')}`, built)).toBe(false);
  });

  it('accepts the dev server only when one is configured, and only its origin', () => {
    expect(isAppRendererUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppRendererUrl('http://localhost:5173/index.html', built)).toBe(false);
    expect(isAppRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppRendererUrl('https://example.com/', dev)).toBe(false);
  });

  it('refuses what is not a URL', () => {
    expect(isAppRendererUrl('', built)).toBe(false);
    expect(isAppRendererUrl('index.html', built)).toBe(false);
    expect(isAppRendererUrl('about:blank', built)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts only frames showing the app page', () => {
    expect(isTrustedSender(page, built)).toBe(true);
    expect(isTrustedSender('https://example.com/', built)).toBe(false);
    expect(isTrustedSender(undefined, built)).toBe(false);
    expect(isTrustedSender(null, built)).toBe(false);
  });
});

describe('mayNavigate', () => {
  it('allows reloading the app page and nothing else', () => {
    expect(mayNavigate(page, built)).toBe(true);
    expect(mayNavigate('https://example.com/', built)).toBe(false);
    expect(mayNavigate('evgap-media://track/1/video', built)).toBe(false);
    expect(mayNavigate(pathToFileURL('/tmp/downloaded.html').href, built)).toBe(false);
  });
});

describe('mayGrantPermission', () => {
  it('grants fullscreen to the app page only', () => {
    expect(mayGrantPermission('fullscreen', page, built)).toBe(true);
    expect(mayGrantPermission('fullscreen', 'https://example.com/', built)).toBe(false);
  });

  it('denies every other permission, even to the app page', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'serial']) {
      expect(mayGrantPermission(permission, page, built)).toBe(false);
    }
  });
});

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer, without Node, webviews or insecure content', () => {
    const preferences = secureWebPreferences('/opt/evgap/out/preload/index.cjs');
    expect(preferences).toMatchObject({
      preload: '/opt/evgap/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});
