// The desktop app's data folder is the CLI's (so both see one catalog) and Electron's userData, with Chromium's
// session data in a subfolder of it.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataFlag, electronDataPaths } from '../../../main/electron/dataLocation';
import { defaultDataDir } from '../../../main/paths';

describe('dataFlag', () => {
  it('reads --data DIR and --data=DIR', () => {
    expect(dataFlag(['/opt/evgap/evgap-studio', '--data', '/tmp/d'])).toBe('/tmp/d');
    expect(dataFlag(['/opt/evgap/evgap-studio', '--data=/tmp/e'])).toBe('/tmp/e');
    expect(dataFlag(['/opt/evgap/evgap-studio'])).toBeUndefined();
  });
});

describe('electronDataPaths', () => {
  it('uses the platform data folder of main/paths.ts as userData by default', () => {
    const paths = electronDataPaths(['evgap-studio'], {});
    expect(paths.dataDir).toBe(defaultDataDir(process.platform, {}));
    expect(paths.userData).toBe(paths.dataDir);
    expect(paths.sessionData).toBe(join(paths.dataDir, 'electron-session'));
  });

  it('lets --data win over EVGAP_DATA_DIR', () => {
    expect(electronDataPaths(['x', '--data', 'here'], { EVGAP_DATA_DIR: '/env/dir' }).dataDir).toBe(resolve('here'));
    expect(electronDataPaths(['x'], { EVGAP_DATA_DIR: '/env/dir' }).userData).toBe(resolve('/env/dir'));
  });
});
