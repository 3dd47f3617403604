// What a packaged app holds: every file of its app.asar (from the archive's header: path, size, whether it is
// unpacked beside the archive) and the sizes that matter for the size budget, grouped by contributor (a
// node_modules package, or the app's own top-level folder).
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getRawHeader } from '@electron/asar';

export interface ArchivedFile {
  /** Path inside the archive, '/'-separated, without a leading slash: 'out/main/index.js'. */
  path: string;
  size: number;
  unpacked: boolean;
  executable: boolean;
}

interface HeaderNode {
  files?: Record<string, HeaderNode>;
  size?: number;
  unpacked?: boolean;
  executable?: boolean;
  link?: string;
}

/** Every file (not folder or link) recorded in the archive's header. */
export function archivedFiles(asarFile: string): ArchivedFile[] {
  const files: ArchivedFile[] = [];
  const visit = (node: HeaderNode, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const path = prefix === '' ? name : `${prefix}/${name}`;
      if (child.files !== undefined) visit(child, path);
      else if (child.link === undefined) {
        files.push({ path, size: child.size ?? 0, unpacked: child.unpacked === true, executable: child.executable === true });
      }
    }
  };
  visit(getRawHeader(asarFile).header as HeaderNode, '');
  return files;
}

/** Total size in bytes of the files under `folder` (links not followed). */
export function folderSize(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) total += folderSize(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

/** Who a file counts towards: 'node_modules/<package>' (scoped names kept whole) or the top-level folder. */
export function contributorOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] !== 'node_modules' || parts.length < 2) return parts.length > 1 ? (parts[0] as string) : path;
  return parts[1]!.startsWith('@') ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
}

/** Bytes per contributor, biggest first. */
export function biggestContributors(files: readonly ArchivedFile[], count: number): Array<{ contributor: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const file of files) totals.set(contributorOf(file.path), (totals.get(contributorOf(file.path)) ?? 0) + file.size);
  return [...totals].map(([contributor, bytes]) => ({ contributor, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, count);
}

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
