// The project's LMDB reader against environments written by the reference LMDB C library (python3-lmdb through
// python/write_lmdb.py), never by the reader itself: deep trees, values in overflow pages, keys that sort around a
// prefix, an empty environment, both meta pages, read-only folders, and the layouts it refuses.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB, META, PAGE_HEADER_BYTES, readU16, readU64 } from '../../../../main/formats/lmdb/layout';
import { LmdbEnvironment } from '../../../../main/formats/lmdb/LmdbEnvironment';
import { LmdbFormatError } from '../../../../main/formats/lmdb/LmdbFormatError';
import { LmdbRecords, writeReferenceLmdb } from '../../../fixtures/referenceLmdb';
import { useTempDir } from '../../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();
const opened: LmdbEnvironment[] = [];
afterEach(() => {
  for (const env of opened.splice(0)) env.close();
});

function open(path: string): LmdbEnvironment {
  const env = LmdbEnvironment.open(path);
  opened.push(env);
  return env;
}

/** A value that says which key and size it belongs to. */
function valueFor(index: number, size: number): Buffer {
  const value = Buffer.alloc(size);
  for (let i = 0; i < size; i++) value[i] = (index * 31 + i * 7 + (i >> 8)) & 0xff;
  return value;
}

/** Seeded shuffle, so insertion order (and with it the page layout) is not key order. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = items.slice();
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const sortedKeys = (keys: Buffer[]) => keys.slice().sort(Buffer.compare);

/** The meta page with the higher transaction id, read from the raw bytes (for the tests that damage a file). */
function newestMeta(bytes: Buffer): { page: 0 | 1; pageSize: number; root: number } {
  const pageSize = bytes.readUInt32LE(META.freeDb + DB.pad);
  const txnid = (page: number) => readU64(bytes, page * pageSize + META.txnid);
  const page = txnid(1) > txnid(0) ? 1 : 0;
  return { page, pageSize, root: readU64(bytes, page * pageSize + META.mainDb + DB.root) };
}

describe('LmdbEnvironment on environments written by the reference library', () => {
  it('walks, seeks and looks up 20,000 keys in a four-level tree', () => {
    const folder = join(tempDir(), 'deep');
    const keys = Array.from({ length: 20_000 }, (_, i) => Buffer.from(`${String(i).padStart(6, '0')}/${'k'.repeat(190)}`));
    const records = new LmdbRecords();
    for (const i of shuffled(keys.map((_, i) => i))) records.put(keys[i]!, valueFor(i, 16));
    const reference = writeReferenceLmdb(folder, records);
    expect(reference.depth).toBeGreaterThanOrEqual(4);

    const env = open(folder);
    expect(env.stat).toMatchObject({ depth: reference.depth, entries: 20_000, leafPages: reference.leaf_pages, branchPages: reference.branch_pages });
    let i = 0;
    for (const entry of env.entries()) {
      expect(entry.key.equals(keys[i]!)).toBe(true);
      expect(entry.value.equals(valueFor(i, 16))).toBe(true);
      i++;
    }
    expect(i).toBe(20_000);
    for (const probe of [0, 1, 17, 4_999, 10_000, 19_998, 19_999]) expect(env.get(keys[probe]!)?.equals(valueFor(probe, 16))).toBe(true);
    expect(env.get(`009999/${'k'.repeat(189)}`)).toBeUndefined();
    expect(env.get('~')).toBeUndefined();
    expect(env.get('')).toBeUndefined();
    const range = [...env.keys({ start: keys[12_345]!, end: keys[12_400]! })];
    expect(range.map((key) => key.toString())).toEqual(keys.slice(12_345, 12_400).map((key) => key.toString()));
    expect([...env.keys({ start: `019998/` })].length).toBe(2);
  });

  it('reads values inline and in overflow pages, of every size around the page and node limits', () => {
    const folder = join(tempDir(), 'sizes');
    const sizes = [0, 1, 100, 2000, 2020, 2030, 2040, 2048, 2100, 4064, 4079, 4080, 4081, 4096, 8176, 8192, 12_272, 100_000, 1_000_000];
    const records = new LmdbRecords();
    for (const [i, size] of shuffled([...sizes.entries()])) records.put(`value/${String(i).padStart(2, '0')}`, valueFor(i, size));
    const reference = writeReferenceLmdb(folder, records);
    expect(reference.overflow_pages).toBeGreaterThan(0);

    const env = open(folder);
    const cursor = env.cursor();
    const batch = env.overflowBatch();
    const together = sizes.map((size) => Buffer.alloc(size));
    let i = 0;
    for (let more = cursor.first(); more; more = cursor.next(), i++) {
      expect(cursor.keyText()).toBe(`value/${String(i).padStart(2, '0')}`);
      expect(cursor.valueSize()).toBe(sizes[i]);
      expect(cursor.value().equals(valueFor(i, sizes[i]!))).toBe(true);
      cursor.readValue(together[i]!, 0, batch);
    }
    batch.flush();
    expect(together.every((value, k) => value.equals(valueFor(k, sizes[k]!)))).toBe(true);
    expect(env.get('value/17')?.length).toBe(100_000);
  });

  it('scans exactly the keys that start with a prefix, among keys that sort just before and after it', () => {
    const folder = join(tempDir(), 'prefix');
    const neighbours = [
      'seq/C1/C1_',
      'seq/C1/C1',
      'seq/C1/C1^',
      'seq/C1/C1`',
      'seq/C1/C1_0000000001.jpg\u0000',
      'seq/C1-/C1-_0000000001.jpg',
      'seq-/C1/C1_0000000001.jpg',
      'seq0/C1/C1_0000000001.jpg',
      'seq/C10',
    ].map((key) => Buffer.from(key));
    const keys = [...neighbours, Buffer.concat([Buffer.from('seq/C1/C1_'), Buffer.from([0xff, 0x80])])];
    for (let f = 1; f <= 1500; f++) {
      keys.push(Buffer.from(`seq/C1/C1_${String(f).padStart(10, '0')}.jpg`), Buffer.from(`seq/C10/C10_${String(f).padStart(10, '0')}.jpg`));
    }
    const records = new LmdbRecords();
    for (const [i, key] of shuffled([...keys.entries()])) records.put(key, valueFor(i, 300));
    writeReferenceLmdb(folder, records);

    const env = open(folder);
    const prefix = Buffer.from('seq/C1/C1_');
    const expected = sortedKeys(keys.filter((key) => key.subarray(0, prefix.length).equals(prefix)));
    expect(expected.length).toBe(1503);
    expect([...env.keys({ prefix })].map((key) => key.toString('hex'))).toEqual(expected.map((key) => key.toString('hex')));
    expect([...env.keys({ prefix: 'seq/C10/' })].length).toBe(1500);
    expect([...env.keys({ prefix: 'seq/C1/C1_0000001500' })].map(String)).toEqual(['seq/C1/C1_0000001500.jpg']);
    expect([...env.keys({ prefix: 'seq/C1/C1_0000001501' })]).toEqual([]);
    expect([...env.keys()].map((key) => key.toString('hex'))).toEqual(sortedKeys(keys).map((key) => key.toString('hex')));
  });

  it('opens an empty environment', () => {
    const folder = join(tempDir(), 'empty');
    writeReferenceLmdb(folder, new LmdbRecords());
    const env = open(folder);
    expect(env.stat).toMatchObject({ entries: 0, depth: 0 });
    expect(env.cursor().first()).toBe(false);
    expect(env.get('anything')).toBeUndefined();
    expect([...env.entries()]).toEqual([]);
  });

  it('reads the snapshot of the newer meta page, and the older one when the newer is damaged', () => {
    const folder = join(tempDir(), 'two-transactions');
    const records = new LmdbRecords().put('a', Buffer.from('1')).put('b', Buffer.from('1')).commit().put('b', Buffer.from('2')).put('c', Buffer.from('2'));
    writeReferenceLmdb(folder, records);
    const file = join(folder, 'data.mdb');
    const entries = (env: LmdbEnvironment) => [...env.entries()].map(({ key, value }) => `${key}=${value}`);

    const newest = newestMeta(readFileSync(file));
    const env = open(folder);
    expect(env.stat.metaPage).toBe(newest.page);
    expect(entries(env)).toEqual(['a=1', 'b=2', 'c=2']);
    const olderTxnid = env.stat.txnid - 1;

    const bytes = readFileSync(file);
    bytes.writeUInt32LE(0x12345678, newest.page * newest.pageSize + META.magic);
    writeFileSync(file, bytes);
    const fallback = open(folder);
    expect(fallback.stat).toMatchObject({ metaPage: 1 - newest.page, txnid: olderTxnid });
    expect(entries(fallback)).toEqual(['a=1', 'b=1']);

    bytes.writeUInt32LE(0x12345678, (1 - newest.page) * newest.pageSize + META.magic);
    writeFileSync(file, bytes);
    expect(() => open(folder)).toThrow(/data\.mdb: meta page 0 \(byte 0\): expected the LMDB magic 0xbeefc0de at byte 16, got 0x12345678: not an LMDB data file; meta page 1 \(byte 4096\): expected the LMDB magic/);
  });

  it('reads a read-only copy of the data file alone and never creates a file in its folder', () => {
    const source = join(tempDir(), 'source');
    const records = new LmdbRecords();
    for (let i = 0; i < 300; i++) records.put(`frame/${String(i).padStart(4, '0')}`, valueFor(i, 8192));
    writeReferenceLmdb(source, records);
    const folder = join(tempDir(), 'read-only');
    mkdirSync(folder);
    copyFileSync(join(source, 'data.mdb'), join(folder, 'data.mdb'));
    chmodSync(join(folder, 'data.mdb'), 0o444);
    chmodSync(folder, 0o555);
    const modified = statSync(join(folder, 'data.mdb')).mtimeMs;
    try {
      const env = open(folder);
      expect([...env.entries()].every(({ key, value }) => value.equals(valueFor(Number(key.toString().slice(6)), 8192)))).toBe(true);
      env.close();
      expect(readdirSync(folder)).toEqual(['data.mdb']);
      expect(statSync(join(folder, 'data.mdb')).mtimeMs).toBe(modified);
    } finally {
      chmodSync(folder, 0o755);
    }
  });

  it('names a key that holds a sub-database rather than a value', () => {
    const folder = join(tempDir(), 'named');
    writeReferenceLmdb(folder, new LmdbRecords().put('plain', Buffer.from('v')).useDatabase('features', { dupsort: true }).put('k', Buffer.from('1')).put('k', Buffer.from('2')));
    const env = open(folder);
    expect([...env.keys()].map(String)).toEqual(['features', 'plain']);
    expect(env.get('plain')?.toString()).toBe('v');
    expect(() => env.get('features')).toThrow(LmdbFormatError);
    expect(() => env.get('features')).toThrow(/data\.mdb: page \d+ node 0: key "features" names a sub-database; expected one plain value per key/);
  });
});

describe('LmdbEnvironment on files it must refuse', () => {
  function dataFile(bytes: Uint8Array): string {
    const folder = tempDir();
    writeFileSync(join(folder, 'data.mdb'), bytes);
    return folder;
  }

  function validFile(values = 200, size = 8192): Buffer {
    const folder = join(tempDir(), 'valid');
    const records = new LmdbRecords();
    for (let i = 0; i < values; i++) records.put(`frame/${String(i).padStart(4, '0')}`, valueFor(i, size));
    writeReferenceLmdb(folder, records);
    return readFileSync(join(folder, 'data.mdb'));
  }

  const readAll = (folder: string) => {
    const env = open(folder);
    return [...env.entries()].length;
  };

  it('names an empty, short or foreign file', () => {
    expect(() => open(dataFile(new Uint8Array(0)))).toThrow(/data\.mdb: empty file \(0 bytes\): expected an LMDB data file/);
    expect(() => open(dataFile(new Uint8Array(100)))).toThrow(/data\.mdb: file is 100 bytes: too short for an LMDB meta page/);
    const random = Buffer.alloc(65_536);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    expect(() => open(dataFile(random))).toThrow(/data\.mdb: meta page 0 \(byte 0\): expected .*; meta page 1 \(byte \d+\): expected /);
    expect(() => open(join(tempDir(), 'absent'))).toThrow(/absent: no such file: expected an LMDB environment/);
  });

  it('names the data format version, the 32-bit and big-endian layouts and key orders it does not read', () => {
    const valid = validFile(10, 100);
    const pageSize = valid.readUInt32LE(META.freeDb + DB.pad);
    const bothMetas = (edit: (bytes: Buffer, at: number) => void) => {
      const bytes = Buffer.from(valid);
      for (const page of [0, 1]) edit(bytes, page * pageSize);
      return dataFile(bytes);
    };
    expect(() => open(bothMetas((b, at) => b.writeUInt32LE(2, at + META.version)))).toThrow(/data format version 2 \(LMDB 1\.0's format, the default of the lmdb npm package\); expected version 1/);
    expect(() => open(bothMetas((b, at) => b.writeUInt32BE(0xbeefc0de, at + META.magic)))).toThrow(/written by a big-endian machine/);
    expect(() => open(bothMetas((b, at) => (b.writeUInt32LE(0xbeefc0de, at + 12), b.writeUInt32LE(1, at + 16))))).toThrow(/written by a 32-bit build of LMDB/);
    expect(() => open(bothMetas((b, at) => b.writeUInt16LE(0x04, at + META.mainDb + DB.flags)))).toThrow(/the main database was created with DUPSORT; expected plain byte-ordered keys/);
  });

  it('names the page when the file is cut short', () => {
    const valid = validFile();
    const folder = dataFile(valid.subarray(0, Math.floor(valid.length * 0.6)));
    expect(() => readAll(folder)).toThrow(LmdbFormatError);
    expect(() => readAll(folder)).toThrow(
      /data\.mdb: (overflow run of a 8192-byte value at pages \d+\.\.\d+|page \d+): runs past the end of the file \(\d+ pages of 4096 bytes: the file is cut short/,
    );
  });

  it('stops at a cycle in the tree instead of walking it forever', () => {
    const valid = validFile(2000, 16);
    const { pageSize, root } = newestMeta(valid);
    const bytes = Buffer.from(valid);
    const rootAt = root * pageSize;
    expect(readU16(bytes, rootAt + 10) & 0x01).toBe(1);
    const node1 = readU16(bytes, rootAt + PAGE_HEADER_BYTES + 2);
    bytes.writeUInt16LE(root & 0xffff, rootAt + node1);
    bytes.writeUInt16LE(Math.floor(root / 65536) & 0xffff, rootAt + node1 + 2);
    const folder = dataFile(bytes);
    expect(() => readAll(folder)).toThrow(/data\.mdb: page \d+ is reached twice in one walk of the tree \(a cycle or a shared subtree\)/);
  });
});
