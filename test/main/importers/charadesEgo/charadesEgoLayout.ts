// Writes a small synthetic dataset in Charades-Ego's on-disk layout (what readCharadesEgo reads): the four
// CharadesEgo_v1_{train,test}_only{1st,3rd}.csv files with the real columns, and one .npy of [T, F] features per
// video under features/. Each pair `X` / `XEGO` shares a smooth latent signal, seen by each camera through its own
// linear map plus noise, and the ego video is a little shorter or longer than the third-person one (the importer
// rescales time), so step 1 can learn from it. Deterministic for a seed. For tests, and for trying step 1 on
// several datasets by hand (charadesEgoLayoutCli.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NpyWriter } from '../../../../main/formats/npy';
import { SeededRandom } from '../../../../main/random/seededRandom';

export interface CharadesEgoLayoutOptions {
  /** Pairs in the train split (and max(1, pairs / 4) more in the test split). */
  pairs: number;
  featureDim: number;
  /** Frames of each third-person video; the ego partner has 80–120 % of them. */
  frames: number;
  seed: number;
}

const HEADER = 'id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length,egocentric,charades_video';
const FPS = 24;
const LATENT_DIM = 6;

/** Writes the layout into `root` (created). Returns the third-person video ids by split. */
export function writeCharadesEgoLayout(root: string, options: CharadesEgoLayoutOptions): { train: string[]; test: string[] } {
  const random = new SeededRandom(options.seed);
  const features = join(root, 'features');
  mkdirSync(features, { recursive: true });
  const egoMap = random.normalArray(options.featureDim * LATENT_DIM, 1); // [F, k]
  const exoMap = random.normalArray(options.featureDim * LATENT_DIM, 1); // [F, k]
  const ids = { train: [] as string[], test: [] as string[] };
  const rows = { train: { first: [] as string[], third: [] as string[] }, test: { first: [] as string[], third: [] as string[] } };
  const testPairs = Math.max(1, Math.floor(options.pairs / 4));
  for (let p = 0; p < options.pairs + testPairs; p++) {
    const split = p < options.pairs ? 'train' : 'test';
    const id = `S${String(p).padStart(4, '0')}`;
    ids[split].push(id);
    const exoFrames = options.frames;
    const egoFrames = Math.round(exoFrames * random.uniformIn(0.8, 1.2));
    const latent = smoothLatent(random.fork('latent', p), exoFrames);
    writeTrack(join(features, `${id}.npy`), latent, exoFrames, exoFrames, exoMap, options.featureDim, random.fork('exo', p));
    writeTrack(join(features, `${id}EGO.npy`), latent, exoFrames, egoFrames, egoMap, options.featureDim, random.fork('ego', p));
    const lengthS = (exoFrames / FPS).toFixed(2);
    const action = `c${String(random.int(157)).padStart(3, '0')} 0.00 ${(exoFrames / FPS / 2).toFixed(2)}`;
    rows[split].third.push(row(id, action, lengthS, false, id));
    rows[split].first.push(row(`${id}EGO`, '', (egoFrames / FPS).toFixed(2), true, id));
  }
  for (const split of ['train', 'test'] as const) {
    writeFileSync(join(root, `CharadesEgo_v1_${split}_only3rd.csv`), [HEADER, ...rows[split].third].join('\n') + '\n');
    writeFileSync(join(root, `CharadesEgo_v1_${split}_only1st.csv`), [HEADER, ...rows[split].first].join('\n') + '\n');
  }
  return ids;
}

function row(id: string, actions: string, length: string, egocentric: boolean, thirdPerson: string): string {
  return [id, 'P01', 'Kitchen', '6', '7', 'Yes', '"A person opens a cupboard, takes a cup."', 'cup;cupboard', '"The person takes a cup."', actions, length, egocentric ? 'Yes' : 'No', thirdPerson].join(',');
}

/** [frames, LATENT_DIM]: a few slow random sinusoids per dimension, so neighbouring frames are alike. */
function smoothLatent(random: SeededRandom, frames: number): Float32Array {
  const values = new Float32Array(frames * LATENT_DIM);
  for (let d = 0; d < LATENT_DIM; d++) {
    for (let w = 0; w < 3; w++) {
      const omega = (2 * Math.PI) / (FPS * random.uniformIn(1, 6));
      const phase = random.uniformIn(0, 2 * Math.PI);
      for (let t = 0; t < frames; t++) values[t * LATENT_DIM + d]! += Math.sin(omega * t + phase);
    }
  }
  return values;
}

/** A camera's [frames, F] track: its map of the latent at the same relative time, plus noise. */
function writeTrack(path: string, latent: Float32Array, latentFrames: number, frames: number, map: Float32Array, dim: number, random: SeededRandom): void {
  const writer = NpyWriter.create(path, { dtype: 'float32', rows: frames, cols: dim });
  const row = new Float32Array(dim);
  for (let t = 0; t < frames; t++) {
    const source = Math.min(latentFrames - 1, Math.floor(((t + 0.5) * latentFrames) / frames));
    for (let f = 0; f < dim; f++) {
      let value = 0.3 * random.normal();
      for (let k = 0; k < LATENT_DIM; k++) value += map[f * LATENT_DIM + k]! * latent[source * LATENT_DIM + k]!;
      row[f] = value;
    }
    writer.writeRows(row);
  }
  writer.close();
}
