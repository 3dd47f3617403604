// File → Import dataset… without the dialogs: the formats the shell offers and reading a chosen folder into the
// catalog as `evgap import` does (the format's reader, then probing the videos it names, then one catalog
// transaction), with progress and cancellation. Plain Node, so it is tested without Electron.
import type { Catalog } from '../catalog/Catalog';
import { readAssembly101 } from '../importers/assembly101/readAssembly101';
import { readCharadesEgo } from '../importers/charadesEgo/readCharadesEgo';
import { commitImport, type ImportResult } from '../importers/common/importResult';
import type { ImportControl } from '../importers/common/progress';
import { summarizeReport } from '../importers/common/validationReport';
import { readEgoExo4d } from '../importers/egoExo4d/readEgoExo4d';
import { readFolderDataset } from '../importers/folder/readFolderDataset';
import { probeSpecVideos } from '../importers/video/probeSpecVideos';

export const importFormats = [
  { id: 'folder', label: 'EVGAP folder (manifest.json)' },
  { id: 'assembly101', label: 'Assembly101' },
  { id: 'charades-ego', label: 'Charades-Ego' },
  { id: 'egoexo4d', label: 'Ego-Exo4D' },
] as const;

export type ImportFormat = (typeof importFormats)[number]['id'];

export interface DatasetImportOutcome {
  datasetId: number;
  /** One line: how many issues of which kind the validation found. */
  validation: string;
  /** Videos that need a playable proxy (`evgap import … --transcode` writes them). */
  transcodeOffers: number;
}

function readDataset(format: ImportFormat, root: string, control: ImportControl): Promise<ImportResult> {
  switch (format) {
    case 'assembly101':
      return readAssembly101({ root, ...control });
    case 'charades-ego':
      return readCharadesEgo({ root, ...control });
    case 'egoexo4d':
      return readEgoExo4d({ root, ...control });
    case 'folder':
      return Promise.resolve({ spec: readFolderDataset(root), report: { issues: [], counts: {} } });
  }
}

/** Reads the dataset folder `root` in `format` and registers it in the catalog. */
export async function importDatasetFolder(catalog: Catalog, format: ImportFormat, root: string, control: ImportControl = {}): Promise<DatasetImportOutcome> {
  if (!importFormats.some((entry) => entry.id === format)) {
    throw new TypeError(`expected an import format (${importFormats.map((entry) => entry.id).join(', ')}), got ${String(format)}`);
  }
  const read = await readDataset(format, root, control);
  const probed = format === 'folder' ? { ...read, offers: [] } : await probeSpecVideos(read, control);
  const datasetId = commitImport(catalog, probed, control.signal);
  return { datasetId, validation: summarizeReport(probed.report), transcodeOffers: probed.offers.length };
}
