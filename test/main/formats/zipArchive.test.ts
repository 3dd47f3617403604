// The stored-entry ZIP reader on archives built here byte by byte (APPNOTE 4.3): the plain and the ZIP64 forms
// of the directory (what torch.save writes past 4 GiB) give the same entries and data offsets; a trailing comment
// is skipped; compressed entries, overlapping or out-of-file offsets and a local header naming another file are
// refused with a ZipFormatError naming the file.
import { closeSync, fstatSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStoredEntry, readZipDirectory, storedEntryData, ZipFormatError } from '../../../main/formats/zipArchive';
import { useTempDir } from '../catalog/fixtures/catalogFixtures';

const tempDir = useTempDir();

interface Member {
  name: string;
  data: Buffer;
  method?: number;
  /** Name written in the local header (default: the same). */
  localName?: string;
}

/** A ZIP archive of stored members; `zip64` puts sizes and offsets in ZIP64 extra fields and end records. */
function buildZip(members: Member[], options: { zip64?: boolean; comment?: string } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const name = Buffer.from(member.name);
    const localName = Buffer.from(member.localName ?? member.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(member.method ?? 0, 8);
    local.writeUInt16LE(localName.length, 26);
    parts.push(local, localName, member.data);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(member.method ?? 0, 10);
    const big = options.zip64 ? 0xffffffff : undefined;
    header.writeUInt32LE(big ?? member.data.length, 20);
    header.writeUInt32LE(big ?? member.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(big ?? offset, 42);
    let extra = Buffer.alloc(0);
    if (options.zip64) {
      extra = Buffer.alloc(4 + 24);
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(member.data.length), 4);
      extra.writeBigUInt64LE(BigInt(member.data.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    header.writeUInt16LE(extra.length, 30);
    central.push(header, name, extra);
    offset += local.length + localName.length + member.data.length;
  }
  const directory = Buffer.concat(central);
  const tail: Buffer[] = [];
  if (options.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(BigInt(members.length), 24);
    record.writeBigUInt64LE(BigInt(members.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const comment = Buffer.from(options.comment ?? '');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64 ? 0xffff : members.length, 8);
  end.writeUInt16LE(options.zip64 ? 0xffff : members.length, 10);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : directory.length, 12);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...parts, directory, ...tail, end, comment]);
}

function withArchive<T>(bytes: Buffer, read: (fd: number, file: string, size: number) => T): T {
  const file = join(tempDir(), 'archive.zip');
  writeFileSync(file, bytes);
  const fd = openSync(file, 'r');
  try {
    return read(fd, file, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

const members: Member[] = [
  { name: 'model/data.pkl', data: Buffer.from('pickle bytes') },
  { name: 'model/data/0', data: Buffer.from(new Float32Array([1, 2, 3, 4]).buffer) },
  { name: 'model/version', data: Buffer.from('3\n') },
];

describe('readZipDirectory', () => {
  it.each([
    ['plain', {}],
    ['ZIP64', { zip64: true }],
    ['commented', { comment: 'written by hand' }],
  ])('lists the entries of a %s archive and finds each stored member\'s bytes', (_, options) => {
    withArchive(buildZip(members, options), (fd, file, size) => {
      const directory = readZipDirectory(fd, file, size);
      expect(directory.entries.map((e) => [e.name, e.method, e.size])).toEqual(members.map((m) => [m.name, 0, m.data.length]));
      for (const [i, entry] of directory.entries.entries()) {
        expect(readStoredEntry(fd, file, directory, entry, 1024)).toEqual(members[i]!.data);
      }
      const data = storedEntryData(fd, file, directory, directory.entries[1]!);
      expect(data).toEqual({ offset: 30 + 14 + 12 + 30 + 12, size: 16 });
    });
  });

  it('refuses compressed entries, a member larger than asked for and a local header naming another file', () => {
    const bytes = buildZip([{ name: 'a/data.pkl', data: Buffer.from('xyz'), method: 8 }, { name: 'a/data/0', data: Buffer.alloc(8), localName: 'a/data/1' }]);
    withArchive(bytes, (fd, file, size) => {
      const directory = readZipDirectory(fd, file, size);
      expect(() => storedEntryData(fd, file, directory, directory.entries[0]!)).toThrow(/archive\.zip: entry a\/data\.pkl is compressed \(method 8, deflate\)/);
      expect(() => storedEntryData(fd, file, directory, directory.entries[1]!)).toThrow(/entry a\/data\/0: the local header at byte \d+ names another file/);
    });
    withArchive(buildZip(members), (fd, file, size) => {
      const directory = readZipDirectory(fd, file, size);
      expect(() => readStoredEntry(fd, file, directory, directory.entries[1]!, 8)).toThrow(/entry model\/data\/0 is 16 bytes, more than the 8 expected/);
    });
  });

  it('refuses offsets and sizes that point outside the file or into the directory, naming the file', () => {
    const bytes = buildZip(members);
    const end = bytes.length - 22;
    const cases: [string, (b: Buffer) => void, RegExp][] = [
      ['no end record', (b) => b.writeUInt32LE(0, end), /not a ZIP archive: no end-of-central-directory record/],
      ['directory past the end record', (b) => b.writeUInt32LE(end, end + 16), /central directory \[\d+, \d+\) .* runs past the end record/],
      ['more entries than fit', (b) => b.writeUInt16LE(60000, end + 10), /60000 entries cannot fit in a central directory/],
      ['ZIP64 without a locator', (b) => b.writeUInt32LE(0xffffffff, end + 16), /asks for ZIP64 but no ZIP64 locator precedes it/],
    ];
    for (const [, corrupt, message] of cases) {
      const copy = Buffer.from(bytes);
      corrupt(copy);
      withArchive(copy, (fd, file, size) => {
        expect(() => readZipDirectory(fd, file, size)).toThrow(ZipFormatError);
        expect(() => readZipDirectory(fd, file, size)).toThrow(message);
      });
    }
    const grown = buildZip([{ name: 'x', data: Buffer.alloc(10) }]);
    grown.writeUInt32LE(4000, 30 + 1 + 10 + 24); // the entry's size, read from the central directory
    grown.writeUInt32LE(4000, 30 + 1 + 10 + 20);
    withArchive(grown, (fd, file, size) => {
      const directory = readZipDirectory(fd, file, size);
      expect(() => storedEntryData(fd, file, directory, directory.entries[0]!)).toThrow(/entry x: its 4000 bytes at byte 31 run past the central directory/);
    });
    withArchive(Buffer.from('PK'), (fd, file, size) => {
      expect(() => readZipDirectory(fd, file, size)).toThrow(/archive\.zip: not a ZIP archive: 2 bytes/);
    });
  });
});
