// What an importer returns (the whole catalog spec, its validation report, and how the import checks apply to
// its format) and how it lands in the catalog: one importDataset transaction, after a last cancellation check, so a
// failed or cancelled import leaves nothing.
import type { Catalog } from '../../catalog/Catalog';
import type { DatasetImportSpec } from '../../catalog/importSpec';
import type { DatasetChecks } from './datasetChecks';
import { throwIfCancelled } from './progress';
import type { ValidationReport } from './validationReport';

export interface ImportResult {
  spec: DatasetImportSpec;
  report: ValidationReport;
  /** How datasetChecks applies to this format (defaults where absent). */
  checks?: DatasetChecks;
  /** The file (or folder) that describes the dataset, e.g. its manifest.json: named by the checks' errors. */
  source?: string;
}

/** Writes the import in one transaction; returns the new dataset's id. */
export function commitImport(catalog: Catalog, result: ImportResult, signal?: AbortSignal): number {
  throwIfCancelled(signal, 'writing the catalog');
  return catalog.importDataset(result.spec);
}
