// The catalog's migrations, oldest first. Each file is numbered in tens and exports `up(db)`; its version is the
// number in its name. Never edit a released migration: add the next one.
import type { SqliteDatabase } from '../../../native/sqlite';
import * as catalog from './0010-catalog';
import * as annotations from './0020-annotations';
import * as runs from './0030-runs';

export interface Migration {
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}

export const migrations: readonly Migration[] = [
  { version: 10, name: '0010-catalog', up: catalog.up },
  { version: 20, name: '0020-annotations', up: annotations.up },
  { version: 30, name: '0030-runs', up: runs.up },
];
