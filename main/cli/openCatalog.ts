// Opens the catalog of a data folder for one CLI command (creating the folder and an empty catalog on first use)
// and closes it when the command is done, also when it fails.
import { mkdirSync } from 'node:fs';
import { Catalog } from '../catalog/Catalog';
import { catalogFile } from '../paths';

export function openCatalog(dataDir: string): Catalog {
  mkdirSync(dataDir, { recursive: true });
  return Catalog.open(catalogFile(dataDir));
}

export async function withCatalog<T>(dataDir: string, use: (catalog: Catalog) => T | Promise<T>): Promise<T> {
  const catalog = openCatalog(dataDir);
  try {
    return await use(catalog);
  } finally {
    catalog.close();
  }
}
