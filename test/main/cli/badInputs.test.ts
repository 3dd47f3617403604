// Bad files through the CLI, each generated here: corrupt, truncated, empty, foreign, hostile and inconsistent
// .npy, .safetensors, manifest JSON, CSV, label files and videos. Every one ends with exit 1 (never a crash), a
// message naming the file (and field, line, offset, key, tensor or clip) and what was expected, and a catalog
// exactly as it was. Most run in-process (runCli, the CLI without its entry file); a few run the built `evgap`
// as a child process. The table of what each printed is logged at the end (the README and reports quote it).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../main/catalog/Catalog';
import { encodeEncoderSafetensors } from '../../../main/engine/weights/encoderWeights';
import { readSafetensors, writeSafetensors } from '../../../main/engine/weights/safetensors';
import { createEncoder } from '../../../main/engine/encoder/encoder';
import { formatNpyHeader } from '../../../main/formats/npy';
import { catalogFile } from '../../../main/paths';
import { FFPROBE_ENV } from '../../../native/ffmpeg';
import { assembly101Npy, folderDataset, makeVideo, writeMatrix } from './badInputFixtures';
import { runCaptured } from './cliHarness';
import { assertBuilt, runEvgap } from './processHarness';

let work: string;
let data: string;
let longVideo: string;
let seq = 0;
const table: { input: string; code: number | null; message: string }[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'evgap-bad-inputs-'));
  data = join(work, 'data');
  longVideo = makeVideo(join(work, 'long.mp4'), 48);
  // The catalog holds a dataset already, so "unchanged" is a real comparison.
  const good = folderDataset(join(work, 'good'), { name: 'good', frames: 60 });
  const imported = await runCaptured(['import', 'folder', good, '--data', data], { stop: new Promise(() => undefined) });
  expect(imported.code, imported.stderr).toBe(0);
}, 60_000);

afterAll(() => {
  console.log(['| bad input | exit | message |', '| --- | --- | --- |', ...table.map((r) => `| ${r.input} | ${r.code} | ${r.message.replaceAll('|', '\\|')} |`)].join('\n'));
  rmSync(work, { recursive: true, force: true });
});

/** Everything the catalog holds, as plain data. */
function snapshot(): unknown {
  const catalog = Catalog.open(catalogFile(data));
  try {
    return catalog.listDatasets().map((dataset) => ({ ...dataset, scenes: catalog.getDataset(dataset.id).scenes }));
  } finally {
    catalog.close();
  }
}

function fresh(name: string): string {
  const dir = join(work, `${++seq}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface Case {
  input: string;
  /** Writes the bad input under `dir`; returns the command line (without --data). */
  setup(dir: string): string[];
  env?: (dir: string) => Record<string, string>;
  message: RegExp;
  /** Run the built CLI as a child process instead of in-process. */
  process?: boolean;
}

async function check(c: Case): Promise<void> {
  const dir = fresh(c.input.replace(/\W+/g, '-').slice(0, 40));
  const argv = [...c.setup(dir), '--data', data];
  const before = snapshot();
  const env = c.env?.(dir) ?? {};
  let result: { code: number | null; stdout: string; stderr: string };
  if (c.process) {
    assertBuilt();
    result = runEvgap(argv, env);
  } else {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      result = await runCaptured(argv, { env: { ...process.env }, stop: new Promise(() => undefined) });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('evgap: ') || line.startsWith('  '));
  table.push({ input: c.input, code: result.code, message: lines.join(' ⏎ ').replaceAll(work, '…') });
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(c.message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(snapshot()).toEqual(before);
}

function bytes(file: string, content: Uint8Array | string): string {
  writeFileSync(file, content);
  return file;
}

/** The folder dataset with `edit` applied; the command line importing it. */
function folder(edit: (manifest: any, root: string) => void, options = {}): (dir: string) => string[] {
  return (dir) => ['import', 'folder', folderDataset(join(dir, 'ds'), options, edit)];
}

const view = (root: string, name: string) => join(root, 'scene1', `${name}.npy`);

const folderCases: Case[] = [
  {
    input: 'folder: one view with 32-d features among 16-d views',
    setup: folder((_m, root) => writeMatrix(view(root, 'v2'), 720, 32)),
    message: /featureDimMismatch scene1 \/ v2: .*scene1\/v2\.npy holds 32-d features, 2 other views 16-d/,
  },
  {
    input: 'folder: a [720, 16] array declared FT among TF views',
    setup: folder((m) => (m.scenes[0].views[1].features.layout = 'FT')),
    message: /v1\.npy holds 720-d features, 2 other views 16-d: .*is its layout "TF" rather than "FT"\?/,
  },
  {
    input: 'folder: a [720, 16] array declared FT beside its 48 s video at 15 fps',
    setup: folder(
      (m, root) => {
        m.scenes[0].views[0].features.layout = 'FT';
        m.scenes[0].views[0].video = { file: 'scene1/e1.mp4' };
        writeFileSync(join(root, 'scene1', 'e1.mp4'), readFileSync(longVideo));
      },
      { views: 1 },
    ),
    message: /layoutSwapped scene1 \/ e1: .*e1\.npy: declared layout "FT" reads 16 frames of 720-d features, but its video scene1\/e1\.mp4 lasts 48\.00 s/,
  },
  {
    input: 'folder: a segment ending at frame 99999 in a 720-frame scene',
    setup: folder((m) => (m.scenes[0].segments[1].endFrame = 99_999)),
    message: /segmentOutsideScene scene1: .*manifest\.json: scenes\[0\]\.segments\[1\]: segment \[360, 99999\) "put" ends after the scene's last frame \(720 frames/,
  },
  {
    input: 'folder: overlapping segments',
    setup: folder((m) => (m.scenes[0].segments[0].endFrame = 400)),
    message: /segmentOverlap scene1: .*segments\[1\]: segment \[360, 720\) "put" overlaps .*segments\[0\] \[0, 400\) "take"/,
  },
  {
    input: 'folder: a sync offset of 1e9 frames',
    setup: folder((m) => (m.scenes[0].views[2].syncOffsetFrames = 1e9)),
    message: /syncOffsetTooLarge scene1 \/ v2: sync offset 1000000000 frames is as large as the scene \(720 frames\) or larger/,
  },
  {
    input: 'folder: .npy of random bytes',
    setup: folder((_m, root) => bytes(view(root, 'v1'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)))),
    message: /manifest\.json: scenes\[0\]\.views\[1\]\.features\.file: .*v1\.npy: not an \.npy file \(bad magic bytes/,
  },
  {
    input: 'folder: .npy cut short',
    setup: folder((_m, root) => truncateSync(view(root, 'v1'), 5000)),
    message: /v1\.npy: truncated: header says shape \(720, 16\) = 46208 bytes, file has 5000/,
  },
  {
    input: 'folder: empty .npy',
    setup: folder((_m, root) => bytes(view(root, 'v1'), '')),
    message: /v1\.npy: not an \.npy file/,
  },
  {
    input: 'folder: .npy whose header length field is 4 GB',
    setup: folder((_m, root) => {
      const header = formatNpyHeader('float32', [720, 16]);
      const v2 = Buffer.concat([header.subarray(0, 8), Buffer.from([0xff, 0xff, 0xff, 0xff]), header.subarray(10)]);
      v2[6] = 2;
      bytes(view(root, 'v1'), v2);
    }),
    message: /v1\.npy: header length 4294967295 bytes: expected at most 1048576/,
  },
  {
    input: 'folder: .npy of int64 values',
    setup: folder((_m, root) => {
      const header = formatNpyHeader('float32', [720, 16]).toString('latin1').replace("'<f4'", "'<i8'");
      bytes(view(root, 'v1'), Buffer.concat([Buffer.from(header, 'latin1'), Buffer.alloc(720 * 16 * 8)]));
    }),
    message: /v1\.npy: unsupported dtype '<i8' \(int64\): expected '<f4' \(float32\) or '<f2' \(float16\)/,
  },
  {
    input: 'folder: .npy with 0 frames',
    setup: folder((_m, root) => writeMatrix(view(root, 'v1'), 0, 16)),
    message: /emptyTrack scene1 \/ v1: .*v1\.npy holds 0 frames of 16-d features: expected at least one of each/,
  },
  {
    input: 'folder: empty manifest.json',
    setup: (dir) => {
      const root = folderDataset(join(dir, 'ds'));
      bytes(join(root, 'manifest.json'), '');
      return ['import', 'folder', root];
    },
    message: /ds\/manifest\.json: not valid JSON \(Unexpected end of JSON input\)/,
  },
  {
    input: 'folder: manifest.json of binary data',
    setup: (dir) => {
      const root = folderDataset(join(dir, 'ds'));
      bytes(join(root, 'manifest.json'), Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x7d]));
      return ['import', 'folder', root];
    },
    message: /manifest\.json: not valid JSON/,
  },
  {
    input: 'folder: manifest.json that is not UTF-8',
    setup: (dir) => {
      const root = folderDataset(join(dir, 'ds'));
      bytes(join(root, 'manifest.json'), Buffer.concat([Buffer.from('{"name": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]));
      return ['import', 'folder', root];
    },
    message: /manifest\.json: not UTF-8 text: expected a JSON file/,
  },
  {
    input: 'folder: manifest.json holding an array',
    setup: (dir) => {
      const root = folderDataset(join(dir, 'ds'));
      bytes(join(root, 'manifest.json'), '[1, 2, 3]');
      return ['import', 'folder', root];
    },
    message: /manifest\.json: \(top level\): expected an object, got an array/,
  },
  {
    input: 'folder: manifest.json nested 100,000 deep',
    setup: (dir) => {
      const root = folderDataset(join(dir, 'ds'));
      bytes(join(root, 'manifest.json'), '['.repeat(100_000) + ']'.repeat(100_000));
      return ['import', 'folder', root];
    },
    message: /manifest\.json: (\(top level\): expected an object|not valid JSON)/,
  },
  {
    input: 'folder: manifest naming ../../etc/passwd as features',
    setup: folder((m) => (m.scenes[0].views[0].features.file = '../../etc/passwd')),
    message: /manifest\.json: scenes\[0\]\.views\[0\]\.features\.file: expected a relative path inside the dataset folder/,
  },
  {
    input: 'folder: a video that is not a video (ffprobe)',
    setup: folder((m, root) => {
      m.scenes[0].views[0].video = { file: 'scene1/e1.mp4' };
      bytes(join(root, 'scene1', 'e1.mp4'), 'this is text, not a video');
    }),
    message: /^evgap: ffprobe could not read .*scene1\/e1\.mp4: .*(moov atom not found|Invalid data found)/m,
  },
  {
    input: 'folder: ffprobe crashes (SIGSEGV) on the video (child process)',
    setup: folder((m, root) => {
      m.scenes[0].views[0].video = { file: 'scene1/e1.mp4' };
      bytes(join(root, 'scene1', 'e1.mp4'), 'hostile');
    }),
    env: (dir) => {
      const probe = join(dir, 'ffprobe');
      writeFileSync(probe, '#!/bin/sh\nkill -SEGV $$\n');
      chmodSync(probe, 0o755);
      return { [FFPROBE_ENV]: probe };
    },
    process: true,
    message: /^evgap: ffprobe crashed \(killed by SIGSEGV\) while reading .*scene1\/e1\.mp4; the file may be corrupt$/m,
  },
];

const assembly101 = (options: Parameters<typeof assembly101Npy>[1], edit?: (root: string) => void) => (dir: string) => {
  const root = assembly101Npy(join(dir, 'a101'), options);
  edit?.(root);
  return ['import', 'assembly101', root, '--feature-dim', '8'];
};
const coarseFile = (root: string, part: string) => join(root, 'coarse_labels', `${part}_nusar-2021_action_both_9010-a01_9010_user_id_2021-02-01_100000.txt`);

const assemblyCases: Case[] = [
  {
    input: 'assembly101: a coarse segment past the end of its tracks',
    setup: assembly101({ frames: 40, labelEnd: 50 }),
    message: /segmentOutsideScene .*disassembly_.*\.txt:1: segment \[25, 50\) "detach cabin" ends after the scene's last frame \(40 frames/,
  },
  {
    input: 'assembly101: coarse label file of binary data',
    setup: assembly101({}, (root) => bytes(coarseFile(root, 'assembly'), Buffer.from([0x30, 0x20, 0x35, 0x00, 0xff, 0x0a]))),
    message: /assembly_.*\.txt:1: binary data \(a NUL byte\): expected a text file \(byte offset 3\)/,
  },
  {
    input: 'assembly101: coarse label naming an unknown action',
    setup: assembly101({}, (root) => bytes(coarseFile(root, 'assembly'), '0 10 juggle toy\n')),
    message: /assembly_.*\.txt:1: action "juggle toy" is not in the coarse action list/,
  },
  {
    input: 'assembly101: coarse_actions.csv without its action_cls column',
    setup: assembly101({}, (root) => bytes(join(root, 'coarse_actions.csv'), 'action_id,verb_id,noun_id,verb_cls,noun_cls\n0,1,2,a,b\n')),
    message: /coarse_actions\.csv:1: missing column action_cls/,
  },
];

const CHARADES_HEADER = 'id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length,egocentric,charades_video';
const charades = (csv: string | Buffer) => (dir: string) => {
  const root = join(dir, 'charades');
  mkdirSync(join(root, 'features'), { recursive: true });
  writeMatrix(join(root, 'features', 'AB12C.npy'), 48, 4);
  writeMatrix(join(root, 'features', 'AB12CEGO.npy'), 48, 4);
  bytes(join(root, 'CharadesEgo_v1_train.csv'), csv);
  return ['import', 'charades-ego', root];
};
const charadesRow = 'AB12C,P1,Kitchen,5,5,Yes,s,o,d,c001 0.1 0.5,2,No,AB12C\nAB12CEGO,P1,Kitchen,5,5,Yes,s,o,d,,2,Yes,AB12C\n';

const csvCases: Case[] = [
  {
    input: 'charades-ego: CSV with a NUL byte',
    setup: charades(Buffer.from(`${CHARADES_HEADER}\nAB12C,P1,Kit\u0000chen\n`)),
    message: /CharadesEgo_v1_train\.csv:2: binary data \(a NUL byte\): expected a text file \(byte offset \d+\)/,
  },
  {
    input: 'charades-ego: CSV with an unclosed quote',
    setup: charades(`${CHARADES_HEADER}\n${charadesRow}AB13C,P1,"Kitchen,5\n`),
    message: /CharadesEgo_v1_train\.csv:4: a quoted field is not closed before the end of the file/,
  },
  {
    input: 'charades-ego: CSV with a 2 MB line',
    setup: charades(`${CHARADES_HEADER}\n${'x'.repeat(2 << 20)}\n`),
    message: /CharadesEgo_v1_train\.csv:2: line longer than 1048576 bytes: expected a text file with short lines/,
  },
  {
    input: 'charades-ego: actions cell malformed',
    setup: charades(`${CHARADES_HEADER}\n${charadesRow.replace('c001 0.1 0.5', 'c001 zero one')}`),
    message: /CharadesEgo_v1_train\.csv:2: actions: expected "c092 11\.90 21\.20" entries/,
  },
];

const labels = (content: (file: string) => void) => (dir: string) => {
  for (const sub of ['gt', 'pred']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'pred', 'v.txt'), 'a\na\n');
  content(join(dir, 'gt', 'v.txt'));
  return ['segmentation-metrics', '--gt', join(dir, 'gt'), '--pred', join(dir, 'pred')];
};

const labelCases: Case[] = [
  {
    input: 'segmentation-metrics: a 1 GB label file of NUL bytes (sparse) (child process)',
    setup: labels((file) => {
      writeFileSync(file, 'a\n');
      truncateSync(file, 1 << 30);
    }),
    process: true,
    message: /^evgap: .*gt\/v\.txt:2: binary data \(a NUL byte\): expected a text file \(byte offset 2\)$/m,
  },
  {
    input: 'segmentation-metrics: a label file with a 2 MB line',
    setup: labels((file) => writeFileSync(file, `a\n${'b'.repeat(2 << 20)}\n`)),
    message: /gt\/v\.txt:2: line longer than 1048576 bytes/,
  },
  {
    input: 'segmentation-metrics: a label file that is not UTF-8',
    setup: labels((file) => writeFileSync(file, Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a]))),
    message: /gt\/v\.txt:2: not UTF-8 text \(byte offset 2\)/,
  },
];

const config = { inputDim: 6, modelDim: 8, layers: 1, heads: 2, ffDim: 16, tokens: 4, layerNormEps: 1e-5, posEmbed: 'learned' as const };
let weights: Uint8Array;
const embed = (prepare: (dir: string) => { weights?: string; features?: string; out?: string; extra?: string[] }) => (dir: string) => {
  weights ??= encodeEncoderSafetensors(createEncoder(config, 3));
  const good = { weights: bytes(join(dir, 'w.safetensors'), weights), features: join(dir, 'clips.npy'), out: join(dir, 'out.npy') };
  bytes(good.features, Buffer.concat([formatNpyHeader('float32', [3, 4, 6]), Buffer.from(new Float32Array(72).fill(0.5).buffer)]));
  const chosen = { ...good, ...prepare(dir) };
  return ['embed', '--weights', chosen.weights, '--features', chosen.features, '--out', chosen.out, '--backend', 'cpu', ...(chosen.extra ?? [])];
};

const weightsCases: Case[] = [
  {
    input: 'embed: weights file of random bytes',
    setup: embed((dir) => ({ weights: bytes(join(dir, 'r.safetensors'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 97 + 13) % 256))) })),
    message: /r\.safetensors: header length \d+ exceeds the file \(512 bytes\)/,
  },
  {
    input: 'embed: weights file cut short',
    setup: embed((dir) => ({ weights: bytes(join(dir, 'cut.safetensors'), weights.subarray(0, weights.length - 100)) })),
    message: /cut\.safetensors: .*data_offsets end \d+ is past the data/,
  },
  {
    input: 'embed: empty weights file',
    setup: embed((dir) => ({ weights: bytes(join(dir, 'empty.safetensors'), '') })),
    message: /empty\.safetensors: expected at least 8 bytes, got 0/,
  },
  {
    input: 'embed: weights header that is not JSON',
    setup: embed((dir) => {
      const header = Buffer.from('{"input_proj.weight": [}   ');
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(header.length));
      return { weights: bytes(join(dir, 'json.safetensors'), Buffer.concat([length, header])) };
    }),
    message: /json\.safetensors: header is not valid UTF-8 JSON/,
  },
  {
    input: 'embed: PyTorch-named weights without __metadata__, no --heads',
    setup: embed((dir) => ({ weights: bytes(join(dir, 'plain.safetensors'), writeSafetensors(readSafetensors(weights).tensors)) })),
    message: /plain\.safetensors: the number of attention heads is not recorded .* give --heads N \(1, 2, 4, 8; the paper's encoder has 8\)/,
  },
  {
    input: 'embed: weights holding a NaN',
    setup: embed((dir) => {
      const { tensors, metadata } = readSafetensors(weights);
      tensors.get('layers.0.self_attn.in_proj_weight')!.data[7] = Number.NaN;
      return { weights: bytes(join(dir, 'nan.safetensors'), writeSafetensors(tensors, metadata)) };
    }),
    message: /nan\.safetensors: tensor layers\.0\.self_attn\.in_proj_weight: holds NaN at index 7 \(shape \[24, 8\]\): expected finite values/,
  },
  {
    input: 'embed: features holding an infinity',
    setup: embed((dir) => {
      const values = new Float32Array(72).fill(0.5);
      values[2 * 24 + 3 * 6 + 5] = Number.POSITIVE_INFINITY;
      return { features: bytes(join(dir, 'inf.npy'), Buffer.concat([formatNpyHeader('float32', [3, 4, 6]), Buffer.from(values.buffer)])) };
    }),
    message: /inf\.npy: clip 2 holds Infinity at frame 3, feature 5: expected finite features/,
  },
  {
    input: 'embed: --out equal to --weights',
    setup: embed((dir) => ({ out: join(dir, 'w.safetensors') })),
    message: /w\.safetensors: --out is the --weights file .*w\.safetensors; write the embeddings to another file/,
  },
  {
    input: 'embed: features .npy cut short',
    setup: embed((dir) => ({ features: bytes(join(dir, 'short.npy'), Buffer.concat([formatNpyHeader('float32', [3, 4, 6]), Buffer.alloc(100)])) })),
    message: /short\.npy: truncated: header says shape \(3, 4, 6\) = 416 bytes, file has 228/,
  },
];

describe('evgap on bad input: exit 1, a message naming the file, the catalog unchanged', () => {
  it.each(folderCases.map((c) => [c.input, c] as const))('%s', (_name, c) => check(c), 60_000);
  it.each(assemblyCases.map((c) => [c.input, c] as const))('%s', (_name, c) => check(c), 60_000);
  it.each(csvCases.map((c) => [c.input, c] as const))('%s', (_name, c) => check(c), 60_000);
  it.each(labelCases.map((c) => [c.input, c] as const))('%s', (_name, c) => check(c), 60_000);
  it.each(weightsCases.map((c) => [c.input, c] as const))('%s', (_name, c) => check(c), 60_000);
});
