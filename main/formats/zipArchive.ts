// A minimal, read-only ZIP reader for archives whose members are stored uncompressed (PyTorch's torch.save
// format): the end-of-central-directory record (and its ZIP64 form, which large archives need), the central
// directory's entries, and where a stored member's bytes lie in the file — so a member can be read with
// positioned reads without ever reading the archive whole. Compressed, encrypted and multi-disk archives are
// refused. Every offset and length comes from an untrusted file and is checked against the file's size before
// it is used; a problem is a ZipFormatError naming the file and the offset.
// Format: PKWARE's APPNOTE.TXT (sections 4.3.7 local file header, 4.3.12 central directory header, 4.3.14–4.3.16
// ZIP64 and end-of-central-directory records, 4.5.3 ZIP64 extended information extra field).
import { readAt } from './positionedRead';

/** The file is not a ZIP archive this reader accepts; the message names the file (and an offset where known). */
export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

export interface ZipEntry {
  name: string;
  /** Compression method: 0 = stored (the only one read here), 8 = deflate, ... */
  method: number;
  compressedSize: number;
  /** Uncompressed size in bytes. */
  size: number;
  localHeaderOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Where the central directory starts: every member's data lies before it. */
  centralDirectoryOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_BYTES = 56;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_BYTES = 46;
const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_BYTES = 30;
const ZIP64_EXTRA_ID = 0x0001;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
/** A central directory larger than this is refused (a one-tensor archive's is a few hundred bytes). */
const MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024;

const METHOD_NAMES: Record<number, string> = { 8: 'deflate', 9: 'deflate64', 12: 'bzip2', 14: 'lzma', 93: 'zstandard', 95: 'xz' };

function uint64(buffer: Buffer, at: number, file: string, what: string): number {
  const value = buffer.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError(file, `${what} ${value} is too large`);
  return Number(value);
}

/** The end-of-central-directory record: the last signature whose comment length reaches exactly to the end. */
function findEndRecord(fd: number, file: string, fileSize: number): { at: number; record: Buffer } {
  if (fileSize < EOCD_BYTES) throw new ZipFormatError(file, `not a ZIP archive: ${fileSize} bytes, shorter than an end-of-central-directory record`);
  const tailBytes = Math.min(fileSize, EOCD_BYTES + MAX_COMMENT_BYTES);
  const tailStart = fileSize - tailBytes;
  const tail = readAt(fd, tailBytes, tailStart);
  if (tail.length < tailBytes) throw new ZipFormatError(file, `file ended while reading its last ${tailBytes} bytes`);
  for (let i = tail.length - EOCD_BYTES; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_BYTES + tail.readUInt16LE(i + 20) === tail.length) {
      return { at: tailStart + i, record: tail.subarray(i, i + EOCD_BYTES) };
    }
  }
  throw new ZipFormatError(file, 'not a ZIP archive: no end-of-central-directory record in its last 64 KiB');
}

function centralDirectoryBounds(fd: number, file: string, fileSize: number): { offset: number; size: number; entries: number } {
  const { at, record } = findEndRecord(fd, file, fileSize);
  const disk = record.readUInt16LE(4);
  const directoryDisk = record.readUInt16LE(6);
  let entries = record.readUInt16LE(10);
  let size = record.readUInt32LE(12);
  let offset = record.readUInt32LE(16);
  const zip64 = entries === 0xffff || size === 0xffffffff || offset === 0xffffffff || record.readUInt16LE(8) === 0xffff;
  if (zip64) {
    const locatorAt = at - ZIP64_LOCATOR_BYTES;
    const locator = locatorAt >= 0 ? readAt(fd, ZIP64_LOCATOR_BYTES, locatorAt) : Buffer.alloc(0);
    if (locator.length < ZIP64_LOCATOR_BYTES || locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) {
      throw new ZipFormatError(file, `end-of-central-directory record at byte ${at} asks for ZIP64 but no ZIP64 locator precedes it`);
    }
    const recordAt = uint64(locator, 8, file, `ZIP64 end record offset (at byte ${locatorAt + 8})`);
    if (recordAt + ZIP64_EOCD_BYTES > locatorAt) {
      throw new ZipFormatError(file, `ZIP64 end record offset ${recordAt} (at byte ${locatorAt + 8}) is past the locator at byte ${locatorAt}`);
    }
    const zip64Record = readAt(fd, ZIP64_EOCD_BYTES, recordAt);
    if (zip64Record.length < ZIP64_EOCD_BYTES || zip64Record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) {
      throw new ZipFormatError(file, `no ZIP64 end-of-central-directory record at byte ${recordAt}`);
    }
    if (zip64Record.readUInt32LE(16) !== 0 || zip64Record.readUInt32LE(20) !== 0) {
      throw new ZipFormatError(file, 'multi-disk ZIP archives are not supported');
    }
    entries = uint64(zip64Record, 32, file, `entry count (at byte ${recordAt + 32})`);
    size = uint64(zip64Record, 40, file, `central directory size (at byte ${recordAt + 40})`);
    offset = uint64(zip64Record, 48, file, `central directory offset (at byte ${recordAt + 48})`);
    if (offset + size > recordAt) {
      throw new ZipFormatError(file, `central directory [${offset}, ${offset + size}) overlaps the ZIP64 end record at byte ${recordAt}`);
    }
  } else {
    if (disk !== 0 || directoryDisk !== 0) throw new ZipFormatError(file, 'multi-disk ZIP archives are not supported');
    if (offset + size > at) {
      throw new ZipFormatError(file, `central directory [${offset}, ${offset + size}) (end record at byte ${at}) runs past the end record`);
    }
  }
  if (size > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw new ZipFormatError(file, `central directory of ${size} bytes is larger than the ${MAX_CENTRAL_DIRECTORY_BYTES} bytes accepted`);
  }
  if (entries * CENTRAL_BYTES > size) {
    throw new ZipFormatError(file, `${entries} entries cannot fit in a central directory of ${size} bytes`);
  }
  return { offset, size, entries };
}

/** Sizes and offset from the ZIP64 extra field, for each of the fixed fields that holds the 0xFFFFFFFF marker. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer, file: string, at: number): void {
  let i = 0;
  while (i + 4 <= extra.length) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    const end = i + 4 + length;
    if (end > extra.length) throw new ZipFormatError(file, `entry ${entry.name} (at byte ${at}): extra field runs past its end`);
    if (id === ZIP64_EXTRA_ID) {
      let field = i + 4;
      const next = (what: string): number => {
        if (field + 8 > end) throw new ZipFormatError(file, `entry ${entry.name} (at byte ${at}): ZIP64 extra field lacks its ${what}`);
        const value = uint64(extra, field, file, `entry ${entry.name} ${what}`);
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next('size');
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next('compressed size');
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next('local header offset');
      return;
    }
    i = end;
  }
  if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localHeaderOffset === 0xffffffff) {
    throw new ZipFormatError(file, `entry ${entry.name} (at byte ${at}): sizes need a ZIP64 extra field, which is missing`);
  }
}

/** Reads the central directory of the archive open as `fd` (`fileSize` bytes): its entries, in directory order. */
export function readZipDirectory(fd: number, file: string, fileSize: number): ZipDirectory {
  const bounds = centralDirectoryBounds(fd, file, fileSize);
  const directory = readAt(fd, bounds.size, bounds.offset);
  if (directory.length < bounds.size) throw new ZipFormatError(file, `file ended inside the central directory at byte ${bounds.offset + directory.length}`);
  const entries: ZipEntry[] = [];
  let i = 0;
  for (let n = 0; n < bounds.entries; n++) {
    const at = bounds.offset + i;
    if (i + CENTRAL_BYTES > directory.length || directory.readUInt32LE(i) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError(file, `expected central directory entry ${n} of ${bounds.entries} at byte ${at}`);
    }
    const flags = directory.readUInt16LE(i + 8);
    const nameBytes = directory.readUInt16LE(i + 28);
    const extraBytes = directory.readUInt16LE(i + 30);
    const commentBytes = directory.readUInt16LE(i + 32);
    const end = i + CENTRAL_BYTES + nameBytes + extraBytes + commentBytes;
    if (end > directory.length) throw new ZipFormatError(file, `central directory entry at byte ${at} runs past the directory's end`);
    const name = directory.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1', i + CENTRAL_BYTES, i + CENTRAL_BYTES + nameBytes);
    if (flags & FLAG_ENCRYPTED) throw new ZipFormatError(file, `entry ${name} is encrypted`);
    if (directory.readUInt16LE(i + 34) !== 0) throw new ZipFormatError(file, 'multi-disk ZIP archives are not supported');
    const entry: ZipEntry = {
      name,
      method: directory.readUInt16LE(i + 10),
      compressedSize: directory.readUInt32LE(i + 20),
      size: directory.readUInt32LE(i + 24),
      localHeaderOffset: directory.readUInt32LE(i + 42),
    };
    applyZip64Extra(entry, directory.subarray(i + CENTRAL_BYTES + nameBytes, i + CENTRAL_BYTES + nameBytes + extraBytes), file, at);
    if (entry.localHeaderOffset + LOCAL_BYTES > bounds.offset) {
      throw new ZipFormatError(file, `entry ${name}: local header offset ${entry.localHeaderOffset} is not before the central directory at byte ${bounds.offset}`);
    }
    entries.push(entry);
    i = end;
  }
  return { entries, centralDirectoryOffset: bounds.offset };
}

/** Where a stored (uncompressed) member's bytes are: [offset, offset + size), checked to lie inside the file. */
export function storedEntryData(fd: number, file: string, directory: ZipDirectory, entry: ZipEntry): { offset: number; size: number } {
  if (entry.method !== 0) {
    const method = METHOD_NAMES[entry.method] ? `${entry.method}, ${METHOD_NAMES[entry.method]}` : String(entry.method);
    throw new ZipFormatError(
      file,
      `entry ${entry.name} is compressed (method ${method}); only stored (uncompressed) entries are read, as torch.save writes them — ` +
        'was the file re-zipped? Save it again with torch.save',
    );
  }
  if (entry.compressedSize !== entry.size) {
    throw new ZipFormatError(file, `stored entry ${entry.name}: compressed size ${entry.compressedSize} differs from its size ${entry.size}`);
  }
  const header = readAt(fd, LOCAL_BYTES, entry.localHeaderOffset);
  if (header.length < LOCAL_BYTES || header.readUInt32LE(0) !== LOCAL_SIGNATURE) {
    throw new ZipFormatError(file, `entry ${entry.name}: no local file header at byte ${entry.localHeaderOffset}`);
  }
  const nameBytes = header.readUInt16LE(26);
  const offset = entry.localHeaderOffset + LOCAL_BYTES + nameBytes + header.readUInt16LE(28);
  const localName = readAt(fd, nameBytes, entry.localHeaderOffset + LOCAL_BYTES);
  if (localName.toString('utf8') !== entry.name && localName.toString('latin1') !== entry.name) {
    throw new ZipFormatError(file, `entry ${entry.name}: the local header at byte ${entry.localHeaderOffset} names another file`);
  }
  if (offset + entry.size > directory.centralDirectoryOffset) {
    throw new ZipFormatError(
      file,
      `entry ${entry.name}: its ${entry.size} bytes at byte ${offset} run past the central directory at byte ${directory.centralDirectoryOffset}`,
    );
  }
  return { offset, size: entry.size };
}

/** A stored member's bytes, read whole; refused when it is larger than `maxBytes`. */
export function readStoredEntry(fd: number, file: string, directory: ZipDirectory, entry: ZipEntry, maxBytes: number): Buffer {
  const { offset, size } = storedEntryData(fd, file, directory, entry);
  if (size > maxBytes) throw new ZipFormatError(file, `entry ${entry.name} is ${size} bytes, more than the ${maxBytes} expected`);
  const bytes = readAt(fd, size, offset);
  if (bytes.length < size) throw new ZipFormatError(file, `file ended inside entry ${entry.name} at byte ${offset + bytes.length}`);
  return bytes;
}
