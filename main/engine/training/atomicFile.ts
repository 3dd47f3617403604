// Crash-safe file replacement for checkpoints: the bytes go to a temporary file in the same folder, are flushed to
// disk (fsync), and the temporary file is renamed over the target, so a reader (or a resume after `kill -9` or a
// power cut) sees either the old file or the whole new one, never a torn one. The folder is fsynced after the
// rename so the new name itself survives a crash, where the platform allows opening a folder (not on Windows).
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Suffix of the temporary files; a leftover one is the trace of a write interrupted by a crash. */
export const temporarySuffix = '.partial';

export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${randomBytes(4).toString('hex')}${temporarySuffix}`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Removes the temporary files that interrupted writes left in `folder`; returns their names. */
export async function removeInterruptedWrites(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).filter((name) => name.startsWith('.') && name.endsWith(temporarySuffix));
  await Promise.all(names.map((name) => rm(join(folder, name), { force: true })));
  return names;
}

async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return; // folders cannot be opened for fsync there; NTFS journals renames
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
