// Seeded mutations of a valid file for the format fuzz tests: bit flips, truncations, length-like fields set to
// extremes, repeated and deleted blocks, and random overwrites; for text formats also text-shaped ones (characters
// that mean something to a parser, whole lines repeated, dropped or swapped, numbers set to extremes), which reach
// past the first check far more often than binary noise. Each mutation is a pure function of the input and the
// generator, so a failing case reproduces from (seed, iteration) alone.
import { SeededRandom } from '../../main/random/seededRandom';

export type MutationName =
  | 'bitFlips'
  | 'truncate'
  | 'extremeField'
  | 'repeatBlock'
  | 'deleteBlock'
  | 'overwrite'
  | 'empty'
  | 'textChars'
  | 'textLines'
  | 'textNumber';

export type Mutation = { name: MutationName; detail: string; bytes: Uint8Array };

const extremes32 = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

/** One mutation of `input`, chosen and parameterized by `random`. */
export function mutate(input: Uint8Array, random: SeededRandom): Mutation {
  const kinds: MutationName[] = ['bitFlips', 'truncate', 'extremeField', 'extremeField', 'repeatBlock', 'deleteBlock', 'overwrite'];
  if (input.length === 0) return { name: 'empty', detail: 'empty input', bytes: new Uint8Array(0) };
  const name = kinds[random.int(kinds.length)]!;
  // A copy even when `input` is a Buffer (whose slice() is a view): the valid file must stay unmutated.
  const bytes = new Uint8Array(input);
  switch (name) {
    case 'bitFlips': {
      const flips = 1 + random.int(8);
      const at: number[] = [];
      for (let i = 0; i < flips; i++) {
        const offset = random.int(bytes.length);
        bytes[offset]! ^= 1 << random.int(8);
        at.push(offset);
      }
      return { name, detail: `bits flipped at ${at.join(',')}`, bytes };
    }
    case 'truncate': {
      const length = random.uniform() < 0.1 ? 0 : random.int(bytes.length);
      return { name, detail: `cut to ${length} of ${input.length} bytes`, bytes: bytes.slice(0, length) };
    }
    case 'extremeField': {
      // Length and offset fields are little-endian 2-, 4- or 8-byte integers in every format fuzzed here; aligned
      // offsets hit them more often than arbitrary ones.
      const width = [2, 4, 4, 8][random.int(4)]!;
      if (bytes.length < width) return { name, detail: 'too short for a field', bytes };
      const offset = Math.min(bytes.length - width, random.int(bytes.length) & ~(random.uniform() < 0.7 ? width - 1 : 0));
      const value = extremes32[random.int(extremes32.length)]!;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (width === 2) view.setUint16(offset, value & 0xffff, true);
      else if (width === 4) view.setUint32(offset, value >>> 0, true);
      else view.setBigUint64(offset, random.uniform() < 0.5 ? BigInt(value >>> 0) : 0xffffffffffffffffn, true);
      return { name, detail: `${width}-byte field at ${offset} set to ${value}`, bytes };
    }
    case 'repeatBlock': {
      const start = random.int(bytes.length);
      const length = 1 + random.int(Math.min(4096, bytes.length - start));
      const times = 1 + random.int(4);
      const block = bytes.slice(start, start + length);
      const out = new Uint8Array(bytes.length + block.length * times);
      out.set(bytes.subarray(0, start + length), 0);
      for (let i = 0; i < times; i++) out.set(block, start + length * (i + 1));
      out.set(bytes.subarray(start + length), start + length * (times + 1));
      return { name, detail: `${length} bytes at ${start} repeated ${times}×`, bytes: out };
    }
    case 'deleteBlock': {
      const start = random.int(bytes.length);
      const length = 1 + random.int(Math.min(4096, bytes.length - start));
      const out = new Uint8Array(bytes.length - length);
      out.set(bytes.subarray(0, start), 0);
      out.set(bytes.subarray(start + length), start);
      return { name, detail: `${length} bytes deleted at ${start}`, bytes: out };
    }
    case 'overwrite': {
      const start = random.int(bytes.length);
      const length = 1 + random.int(Math.min(64, bytes.length - start));
      for (let i = 0; i < length; i++) bytes[start + i] = random.int(256);
      return { name, detail: `${length} random bytes at ${start}`, bytes };
    }
    default:
      return { name: 'empty', detail: 'empty input', bytes: new Uint8Array(0) };
  }
}

/** Characters that separate, quote or end things in CSV, label, list and JSON text. */
const SIGNIFICANT = ['0', '7', '-', '.', ',', '"', '\n', '\r', '\t', ' ', ';', ':', '{', '}', '[', ']', 'a', 'é', '\u0000'];
const EXTREME_NUMBERS = ['0', '-1', '1e309', '99999999999999999999', '4294967296', '-0', 'NaN', '1.5', ''];

/** One text-shaped mutation of `input` (UTF-8 text): characters, whole lines, or a number. */
export function mutateText(input: Uint8Array, random: SeededRandom): Mutation {
  const text = Buffer.from(input).toString('utf8');
  const kind = (['textChars', 'textLines', 'textNumber'] as const)[random.int(3)]!;
  if (kind === 'textChars') {
    const chars = [...text];
    const edits = 1 + random.int(4);
    const at: number[] = [];
    for (let i = 0; i < edits && chars.length > 0; i++) {
      const offset = random.int(chars.length);
      const replacement = SIGNIFICANT[random.int(SIGNIFICANT.length)]!;
      if (random.uniform() < 0.5) chars[offset] = replacement;
      else chars.splice(offset, 0, replacement);
      at.push(offset);
    }
    return { name: kind, detail: `significant characters at ${at.join(',')}`, bytes: Buffer.from(chars.join('')) };
  }
  if (kind === 'textLines') {
    const lines = text.split('\n');
    const a = random.int(lines.length);
    const b = random.int(lines.length);
    const how = random.int(3);
    if (how === 0) lines.splice(a, 0, ...Array.from({ length: 1 + random.int(3) }, () => lines[a]!));
    else if (how === 1) lines.splice(a, 1);
    else [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    return { name: kind, detail: `line ${a} ${['repeated', 'dropped', `swapped with ${b}`][how]}`, bytes: Buffer.from(lines.join('\n')) };
  }
  const numbers = [...text.matchAll(/\d+(?:\.\d+)?/g)];
  if (numbers.length === 0) return { name: kind, detail: 'no number', bytes: input.slice() };
  const match = numbers[random.int(numbers.length)]!;
  const value = EXTREME_NUMBERS[random.int(EXTREME_NUMBERS.length)]!;
  const out = text.slice(0, match.index) + value + text.slice(match.index! + match[0].length);
  return { name: kind, detail: `number at ${match.index} set to ${JSON.stringify(value)}`, bytes: Buffer.from(out) };
}
