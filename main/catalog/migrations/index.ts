// The catalog's migrations, oldest first. Each file is numbered in tens and exports `up(db)`; its version is the
// number in its name. Never edit a released migration: add the next one.
import type { SqliteDatabase } from '../../../native/sqlite';
import * as catalog from './0010-catalog';
import * as annotations from './0020-annotations';
import * as runs from './0030-runs';
import * as featureWindows from './0040-feature-windows';
import * as resultSeeds from './0050-result-seeds';
import * as runProvenance from './0060-run-provenance';

export interface Migration {
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}

export const migrations: readonly Migration[] = [
  { version: 10, name: '0010-catalog', up: catalog.up },
  { version: 20, name: '0020-annotations', up: annotations.up },
  { version: 30, name: '0030-runs', up: runs.up },
  { version: 40, name: '0040-feature-windows', up: featureWindows.up },
  { version: 50, name: '0050-result-seeds', up: resultSeeds.up },
  { version: 60, name: '0060-run-provenance', up: runProvenance.up },
];
