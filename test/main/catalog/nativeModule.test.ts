// When better-sqlite3's compiled addon cannot load (built for another Node/Electron ABI), opening the catalog
// says so and how to rebuild, instead of a bare dlopen error.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import { NativeModuleError } from '../../../native/sqlite';
import { useTempDir } from './fixtures/catalogFixtures';

const tempDir = useTempDir();

vi.mock('better-sqlite3', () => ({
  default: function Database() {
    const error = new Error(
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using NODE_MODULE_VERSION 145.",
    ) as NodeJS.ErrnoException;
    error.code = 'ERR_DLOPEN_FAILED';
    throw error;
  },
}));

describe('opening the catalog without a loadable SQLite module', () => {
  it('throws NativeModuleError naming the runtime and the rebuild command', () => {
    let thrown: unknown;
    try {
      Catalog.open(join(tempDir(), 'catalog.sqlite'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NativeModuleError);
    const message = (thrown as Error).message;
    expect(message).toContain('the SQLite native module (better-sqlite3) could not be loaded in Node');
    expect(message).toContain(`module ABI ${process.versions.modules}`);
    expect(message).toContain('NODE_MODULE_VERSION 145');
    expect(message).toContain('npm rebuild better-sqlite3');
  });
});
