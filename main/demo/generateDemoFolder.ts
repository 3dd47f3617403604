// Generates the demo into a sibling `<folder>.partial-<pid>` and swaps it in only when complete, so an interrupted
// generation never leaves a half-written demo where the catalog or a later run would find it.
import { renameSync, rmSync } from 'node:fs';
import { generateDemo, type DemoProgress } from './generateDemo';
import type { DemoOptions } from './options';

export async function generateDemoFolder(
  folder: string,
  options: Partial<DemoOptions>,
  onProgress: (progress: DemoProgress) => void = () => undefined,
): Promise<void> {
  const partial = `${folder}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    await generateDemo(partial, options, onProgress);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  rmSync(folder, { recursive: true, force: true });
  renameSync(partial, folder);
}
