// File → Import dataset… without the dialogs: the formats the shell offers and reading a chosen folder into the
// catalog as `evgap import` does (importers/readDataset.ts: the format's reader, the videos it names, the import
// checks, then one catalog transaction), with progress and cancellation (the dialog's Cancel aborts the signal).
// Plain Node, so it is tested without Electron.
import type { Catalog } from '../catalog/Catalog';
import { commitImport } from '../importers/common/importResult';
import type { ImportControl } from '../importers/common/progress';
import { summarizeReport } from '../importers/common/validationReport';
import { readDataset, type ImportFormat } from '../importers/readDataset';

export type { ImportFormat };

export const importFormats: readonly { id: ImportFormat; label: string }[] = [
  { id: 'folder', label: 'EVGAP folder (manifest.json)' },
  { id: 'assembly101', label: 'Assembly101' },
  { id: 'charades-ego', label: 'Charades-Ego' },
  { id: 'egoexo4d', label: 'Ego-Exo4D' },
];

export interface DatasetImportOutcome {
  datasetId: number;
  /** One line: how many issues of which kind the validation found. */
  validation: string;
  /** Videos that need a playable proxy (`evgap import … --transcode` writes them). */
  transcodeOffers: number;
}

/** Reads the dataset folder `root` in `format` and registers it in the catalog. */
export async function importDatasetFolder(catalog: Catalog, format: ImportFormat, root: string, control: ImportControl = {}): Promise<DatasetImportOutcome> {
  const result = await readDataset({ format, root }, control);
  const datasetId = commitImport(catalog, result, control.signal);
  return { datasetId, validation: summarizeReport(result.report), transcodeOffers: result.offers.length };
}
