// Measures reading one feature track of Assembly101's shape — 10,000 frames × 2048 float32 — on a warm page cache:
// (a) from an LMDB environment written by the reference LMDB library (python3-lmdb, keys as Assembly101's TSM
// features) through the project's own reader: one range read of the whole track, and FeatureStore's 64-frame
// blocks; (b) from a frame-major .npy file through the project's npy reader; beside, in the same run, (c) Python's
// `lmdb` cursor scan of the same environment and (d) Python's `lmdb` with one `get` per frame (skipped, with the
// reason, where python3-lmdb cannot be imported). Prints frames per second of wall-clock time and of CPU time (best
// and median of the repeats) and ratios ours / Python of both: on a shared machine the CPU-time ratio is the steadier.
// Run: `npm run bench:features [-- --frames N --repeats R]`.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BLOCK_FRAMES } from '../main/features/FeatureStore';
import { describeFeatureTrack, readTrackFrames } from '../main/features/FeatureTrackFile';
import { LMDB_FIRST_KEY_FRAME, lmdbFrameKey, lmdbKeyPrefix, LmdbTrackReader, type LmdbTrackLocation } from '../main/features/lmdbTrack';
import { NpyWriter } from '../main/formats/npy';
import { LmdbRecords, REFERENCE_PYTHON, referenceLmdbProblem, repositoryFile, writeReferenceLmdb } from '../test/fixtures/referenceLmdb';

const DIM = 2048;
const SEQUENCE = 'nusar-2021_action_both_9044-a08_9044_user_id_2021-02-19_083738';
const VIEW = 'C10095_rgb';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected ${name} to be a positive integer, got ${process.argv[at + 1]}`);
  return value;
}

/** Frame t's features: distinct per frame and component, so a misread shows. */
function frame(t: number): Float32Array {
  const values = new Float32Array(DIM);
  for (let d = 0; d < DIM; d++) values[d] = t + d / DIM;
  return values;
}

/** Seconds of each repeat: wall-clock, and CPU (user + system) of the process, which a busy machine disturbs less. */
type Seconds = { wall: number[]; cpu: number[] };
type Timing = { name: string } & Seconds;

/** Seconds of each of `repeats` runs of `run`, after one warm-up run (whose result `check` looks at). */
function time(repeats: number, run: () => Float32Array, check: (out: Float32Array) => void = () => undefined): Seconds {
  check(run());
  const seconds: Seconds = { wall: [], cpu: [] };
  for (let r = 0; r < repeats; r++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    run();
    seconds.wall.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpu);
    seconds.cpu.push((used.user + used.system) / 1e6);
  }
  return seconds;
}

const best = (seconds: number[]) => Math.min(...seconds);
const median = (seconds: number[]) => seconds.slice().sort((a, b) => a - b)[Math.floor(seconds.length / 2)]!;

function pythonTimings(environment: string, keyPrefix: string, frames: number, repeats: number): Timing[] | string {
  const problem = referenceLmdbProblem();
  if (problem) return problem;
  const script = repositoryFile('python/read_lmdb_bench.py');
  const result = spawnSync(REFERENCE_PYTHON, [script, environment, keyPrefix, String(frames), String(repeats + 1)], { encoding: 'utf8' });
  if (result.status !== 0) return `python/read_lmdb_bench.py failed: ${result.stderr.trim().split('\n').pop() || result.error?.message}`;
  const timings = JSON.parse(result.stdout) as Record<'scan' | 'scanIntoArray' | 'get', Seconds>;
  // The first repeat of each is its warm-up, as for ours.
  const measured = (seconds: Seconds): Seconds => ({ wall: seconds.wall.slice(1), cpu: seconds.cpu.slice(1) });
  return [
    { name: 'python lmdb: cursor scan', ...measured(timings.scan) },
    { name: 'python lmdb: cursor scan into a numpy array', ...measured(timings.scanIntoArray) },
    { name: 'python lmdb: one get per frame', ...measured(timings.get) },
  ];
}

function main(): void {
  const frames = option('--frames', 10_000);
  const repeats = option('--repeats', 7);
  const problem = referenceLmdbProblem();
  if (problem) throw new Error(`the LMDB environment is written by the reference library, which is not usable here: ${problem}`);
  const dir = mkdtempSync(join(tmpdir(), 'evgap-bench-features-'));
  try {
    const environment = join(dir, 'TSM_features', VIEW);
    const keyPrefix = lmdbKeyPrefix(SEQUENCE, VIEW);
    const records = new LmdbRecords();
    for (let t = 0; t < frames; t++) records.put(lmdbFrameKey(keyPrefix, t + LMDB_FIRST_KEY_FRAME), new Uint8Array(frame(t).buffer));
    const stat = writeReferenceLmdb(environment, records, 2 ** 32);
    const npyFile = join(dir, 'features.npy');
    const writer = NpyWriter.create(npyFile, { dtype: 'float32', rows: frames, cols: DIM });
    for (let t = 0; t < frames; t++) writer.writeRows(frame(t));
    writer.close();

    /** Throws unless `out` holds frames [start, start + out.length / DIM) as written. */
    const check = (out: Float32Array, start = 0) => {
      const count = out.length / DIM;
      for (const t of [0, count >> 1, count - 1]) {
        const expected = frame(start + t)[DIM - 1]!;
        if (out[t * DIM + DIM - 1] !== expected) throw new Error(`frame ${start + t} read wrong: ${out[t * DIM + DIM - 1]}, expected ${expected}`);
      }
    };
    const track: LmdbTrackLocation = { environment, keyPrefix, dim: DIM, frames };
    const lmdb = new LmdbTrackReader();
    const npyTrack = describeFeatureTrack(0, npyFile, 'TF');
    const fd = openSync(npyFile, 'r');
    /** The track as FeatureStore reads it: block after block (each checked). */
    const blocks = (read: (start: number, end: number) => Float32Array) => () => {
      let block: Float32Array = new Float32Array(0);
      for (let start = 0; start < frames; start += DEFAULT_BLOCK_FRAMES) {
        block = read(start, Math.min(frames, start + DEFAULT_BLOCK_FRAMES));
        check(block, start);
      }
      return block;
    };
    const reused = new Float32Array(frames * DIM);
    const reusedBlock = new Float32Array(DEFAULT_BLOCK_FRAMES * DIM);
    const intoBlock = (start: number, end: number) => {
      const block = reusedBlock.subarray(0, (end - start) * DIM);
      lmdb.readFramesInto(track, start, end, block);
      return block;
    };
    const ours: Timing[] = [
      { name: 'ours: LMDB, range read into a reused array', ...time(repeats, () => (lmdb.readFramesInto(track, 0, frames, reused), reused), check) },
      { name: 'ours: LMDB, range read into a new array', ...time(repeats, () => lmdb.readFrames(track, 0, frames), check) },
      { name: `ours: LMDB, ${DEFAULT_BLOCK_FRAMES}-frame blocks into new arrays (FeatureStore)`, ...time(repeats, blocks((s, e) => lmdb.readFrames(track, s, e))) },
      { name: `ours: LMDB, ${DEFAULT_BLOCK_FRAMES}-frame blocks into one reused block`, ...time(repeats, blocks(intoBlock)) },
      { name: 'ours: .npy (frame-major), read into a new array', ...time(repeats, () => readTrackFrames(npyTrack, fd, 0, frames), check) },
    ];
    closeSync(fd);
    lmdb.close();
    const python = pythonTimings(environment, keyPrefix, frames, repeats);

    console.log(
      `one track: ${frames.toLocaleString('en')} frames × ${DIM} float32 (${((frames * DIM * 4) / 2 ** 20).toFixed(0)} MiB of values); ` +
        `LMDB environment written by liblmdb through python3-lmdb: page ${stat.psize} B, depth ${stat.depth}, ${stat.leaf_pages} leaf and ${stat.overflow_pages} overflow pages`,
    );
    console.log(
      `warm page cache, best and median of ${repeats} repeats after a warm-up, per second of wall-clock time and per second of ` +
        `the process's CPU time (user + system); load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`,
    );
    const rows = [...ours, ...(typeof python === 'string' ? [] : python)];
    const width = Math.max(...rows.map((row) => row.name.length));
    const columns = ['best frames/s', 'median frames/s', 'best frames/CPU-s', 'median frames/CPU-s'];
    console.log([''.padEnd(width), ...columns.map((c) => c.padStart(19))].join('  '));
    for (const row of rows) {
      const cells = [best(row.wall), median(row.wall), best(row.cpu), median(row.cpu)].map((s) => Math.round(frames / s).toLocaleString('en').padStart(19));
      console.log([row.name.padEnd(width), ...cells].join('  '));
    }
    if (typeof python === 'string') {
      console.log(`python lmdb: skipped — ${python}`);
      return;
    }
    const ratio = (a: Timing, b: Timing) =>
      `${(best(b.wall) / best(a.wall)).toFixed(2)}× wall (median ${(median(b.wall) / median(a.wall)).toFixed(2)}×), ` +
      `${(best(b.cpu) / best(a.cpu)).toFixed(2)}× CPU (median ${(median(b.cpu) / median(a.cpu)).toFixed(2)}×)`;
    const [intoReused, intoNew, blocksNew, blocksReused, npy] = ours as [Timing, Timing, Timing, Timing, Timing];
    const [scan, scanIntoArray, get] = python as [Timing, Timing, Timing];
    console.log(`ours range read into a reused array / python cursor scan into a numpy array: ${ratio(intoReused, scanIntoArray)}`);
    console.log(`ours range read into a reused array / python cursor scan: ${ratio(intoReused, scan)}`);
    console.log(`ours ${DEFAULT_BLOCK_FRAMES}-frame blocks into one reused block / python cursor scan: ${ratio(blocksReused, scan)}`);
    console.log(`ours range read into a reused array / python get per frame: ${ratio(intoReused, get)}`);
    console.log(`ours ${DEFAULT_BLOCK_FRAMES}-frame blocks into new arrays / python cursor scan: ${ratio(blocksNew, scan)}`);
    console.log(`ours range read into a new array / ours .npy read into a new array: ${ratio(intoNew, npy)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
