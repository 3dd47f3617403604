// electron-builder.yml: it passes electron-builder's own schema check (offline), names every installer target
// with an icon that exists, and keeps the app's native parts out of the archive.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DebugLogger } from 'builder-util/out/DebugLogger';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';
import { describe, expect, it } from 'vitest';

const projectDir = join(import.meta.dirname, '..', '..');
const load = () => getConfig(projectDir, join(projectDir, 'electron-builder.yml'), null);

function targetNames(target: unknown): string[] {
  const list = Array.isArray(target) ? target : [target];
  return list.map((entry) => (typeof entry === 'string' ? entry : (entry as { target: string }).target));
}

describe('electron-builder configuration', () => {
  it('passes electron-builder’s schema validation', async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is rejected by the same validation when an option is misspelled, so the check can fail', async () => {
    const config = { ...(await load()), asarUnpak: ['**/*.node'] } as Configuration;
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/asarUnpak/);
  });

  it('builds AppImage and .deb on Linux, NSIS on Windows and .dmg on macOS', async () => {
    const config = await load();
    expect(config.appId).toBe('org.evgap.studio');
    expect(config.productName).toBe('EVGAP Studio');
    expect(targetNames(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
  });

  it('points every platform at an icon file that exists in resources/', async () => {
    const config = await load();
    const icons = [config.linux?.icon, config.win?.icon, config.mac?.icon];
    for (const icon of icons) {
      expect(typeof icon).toBe('string');
      expect(existsSync(join(projectDir, icon as string)), `${icon} is missing`).toBe(true);
    }
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(existsSync(join(projectDir, 'resources', 'icons', `${size}x${size}.png`)), `${size}x${size}.png`).toBe(true);
    }
  });

  it('rebuilds native modules for Electron in real builds and unpacks addons, ffmpeg and the wasm binaries', async () => {
    const config = await load();
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    const unpack = config.asarUnpack as string[];
    expect(unpack).toContain('**/*.node');
    expect(unpack.some((pattern) => pattern.includes('@ffmpeg-installer'))).toBe(true);
    expect(unpack.some((pattern) => pattern.includes('@ffprobe-installer'))).toBe(true);
    expect(unpack.some((pattern) => pattern.includes('tfjs-backend-wasm') && pattern.endsWith('.wasm'))).toBe(true);
  });
});
