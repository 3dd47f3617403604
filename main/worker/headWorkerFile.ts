// Where the built head worker entry (out/main/heads.js) is, or undefined when this code runs from its sources
// (vitest) and none was built beside it. From the app's bundles it lies beside them (or one folder up when the
// bundler put this code in a shared chunk, out/main/chunks/); from another bundle of the project, such as the
// pipeline bench (out/bench/pipeline/pipeline.js), it is found as out/main/heads.js in a folder above. A source
// tree never looks upwards: a build lying there may be older than the sources.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const headWorkerFileName = 'heads.js';

export function builtHeadWorkerFile(moduleUrl: string = import.meta.url): string | undefined {
  const modulePath = fileURLToPath(moduleUrl);
  const here = dirname(modulePath);
  const candidates = [join(here, headWorkerFileName), join(here, '..', headWorkerFileName)];
  if (modulePath.endsWith('.js')) {
    for (let folder = here, up = 0; up < 4; up++, folder = dirname(folder)) candidates.push(join(folder, 'out', 'main', headWorkerFileName));
  }
  return candidates.find((file) => existsSync(file));
}
