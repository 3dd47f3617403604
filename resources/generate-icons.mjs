#!/usr/bin/env node
// Draws EVGAP Studio's icon (two overlapping rings, the ego and the exo view, on a dark rounded square) and writes
// the set electron-builder wants, offline and without image tools: icon.png (512×512), icons/<n>x<n>.png for
// Linux, icon.ico (PNG-compressed entries, 16–256) for Windows and icon.icns (PNG entries, 16–1024) for macOS.
// Usage: node resources/generate-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const folder = dirname(fileURLToPath(import.meta.url));

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG file of `size`×`size` RGBA pixels. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const clamp01 = (value) => Math.min(1, Math.max(0, value));

/** Coverage of a shape from its signed distance (negative inside), anti-aliased over one pixel. */
const coverage = (distance, pixel) => clamp01(0.5 - distance / pixel);

/** The icon at `size` pixels, drawn in unit coordinates from signed distances. */
function drawIcon(size) {
  const rgba = new Uint8Array(size * size * 4);
  const pixel = 1 / size;
  const rings = [
    { cx: 0.4, cy: 0.5, color: [64, 196, 200] },
    { cx: 0.6, cy: 0.5, color: [246, 158, 72] },
  ];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      // Rounded square, margin 6%, corner radius 18%.
      const half = 0.44;
      const radius = 0.18;
      const qx = Math.abs(u - 0.5) - (half - radius);
      const qy = Math.abs(v - 0.5) - (half - radius);
      const square = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
      const alpha = coverage(square, pixel);
      const shade = 1 - 0.25 * v;
      let color = [30 * shade, 34 * shade, 44 * shade];
      for (const ring of rings) {
        const distance = Math.abs(Math.hypot(u - ring.cx, v - ring.cy) - 0.2) - 0.045;
        const ink = coverage(distance, pixel) * 0.9;
        color = color.map((channel, index) => channel + (ring.color[index] - channel) * ink);
      }
      const offset = (y * size + x) * 4;
      rgba.set([...color.map((channel) => Math.round(channel)), Math.round(alpha * 255)], offset);
    }
  }
  return encodePng(size, rgba);
}

/** A Windows .ico whose entries are PNG images (supported since Windows Vista). */
function encodeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map(({ png }) => png)]);
}

/** A macOS .icns whose entries are PNG images, by OSType (icp4 16 … ic10 1024). */
function encodeIcns(entries) {
  const blocks = entries.map(({ type, png }) => {
    const block = Buffer.alloc(8 + png.length);
    block.write(type, 0, 'ascii');
    block.writeUInt32BE(block.length, 4);
    png.copy(block, 8);
    return block;
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + blocks.reduce((total, block) => total + block.length, 0), 4);
  return Buffer.concat([header, ...blocks]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const png = new Map(sizes.map((size) => [size, drawIcon(size)]));
const at = (size) => png.get(size);

mkdirSync(join(folder, 'icons'), { recursive: true });
for (const size of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(folder, 'icons', `${size}x${size}.png`), at(size));
writeFileSync(join(folder, 'icon.png'), at(512));
writeFileSync(join(folder, 'icon.ico'), encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: at(size) }))));
const icnsTypes = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];
writeFileSync(join(folder, 'icon.icns'), encodeIcns(icnsTypes.map(([type, size]) => ({ type, png: at(size) }))));
console.log(`wrote icon.png, icon.ico, icon.icns and icons/ in ${folder}`);
