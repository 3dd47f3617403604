// Finds Assembly101's annotation files in a folder as the dataset ships them (the `assembly101-annotations`
// repository: coarse-annotations/{coarse_labels,coarse_splits,actions.csv}, fine-grained-annotations/
// {train,validation,test,actions}.csv) or flattened (coarse_actions.csv, fine_actions.csv, coarse_labels/, ...).
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface Assembly101AnnotationFiles {
  coarseLabels?: string;
  coarseSplits?: string;
  coarseActions?: string;
  fineActions?: string;
  /** Fine-grained segment CSVs (train/validation/test). */
  fineSegments: string[];
  /** `{assembly,disassembly}_{sequence}/{view}.mp4` per line: which videos exist. */
  coarseSeqViews?: string;
  recordingNames?: string;
}

const SEARCH_DEPTH = 3;
const FINE_SPLIT_FILES = ['train.csv', 'validation.csv', 'val.csv', 'test.csv'];

function walk(folder: string, depth: number, visit: (path: string, isDir: boolean) => void): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    visit(path, entry.isDirectory());
    if (entry.isDirectory() && depth > 1) walk(path, depth - 1, visit);
  }
}

/** Looks up to three folders deep under `folder`; the first match of each kind (sorted by name) wins. */
export function findAnnotationFiles(folder: string): Assembly101AnnotationFiles {
  const found: Assembly101AnnotationFiles = { fineSegments: [] };
  walk(folder, SEARCH_DEPTH, (path, isDir) => {
    const name = basename(path);
    const parent = basename(join(path, '..'));
    if (isDir) {
      if (name === 'coarse_labels') found.coarseLabels ??= path;
      if (name === 'coarse_splits') found.coarseSplits ??= path;
      return;
    }
    if (name === 'coarse_actions.csv' || (name === 'actions.csv' && parent === 'coarse-annotations')) found.coarseActions ??= path;
    if (name === 'fine_actions.csv' || (name === 'actions.csv' && parent === 'fine-grained-annotations')) found.fineActions ??= path;
    if (FINE_SPLIT_FILES.includes(name) && parent === 'fine-grained-annotations') found.fineSegments.push(path);
    if (name === 'coarse_seq_views.txt') found.coarseSeqViews ??= path;
    if (name === 'recording_names.txt') found.recordingNames ??= path;
  });
  return found;
}

