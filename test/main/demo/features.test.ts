// What the demo's feature tracks are designed for: raw cross-view retrieval near chance, strong temporal structure
// within a view, alignment learnable by one shared linear map (also for a view left out of fitting), and each
// view's track shifted by its sync offset.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../../main/demo/generateDemo';
import { DemoFeatureModel, OBSERVED_DIM } from '../../../main/demo/features';
import { DemoLatentModel, latentAt, type SceneLatent } from '../../../main/demo/latent';
import { resolveDemoOptions } from '../../../main/demo/options';
import { planDemo, type DemoScenePlan } from '../../../main/demo/plan';
import { readNpyRows } from '../../../main/formats/npy';
import { LinearMap, recallAt1, row, timeMatched, type Matrix } from './alignmentProbe';

const options = resolveDemoOptions({ seed: 7, featureDim: 64, scenes: 4, sceneSeconds: 20, videos: false, featureDtype: 'float32' });
const plan = planDemo(options);
const trainScenes = plan.filter((s) => s.split === 'train');
const testScenes = plan.filter((s) => s.split === 'test');
const latentModel = new DemoLatentModel(options.seed);
const featureModel = new DemoFeatureModel(options.seed, options.featureDim);
const latents = new Map<string, SceneLatent>();

let dir: string;
const tracks = new Map<string, Matrix>();
const track = (scene: DemoScenePlan, view: string) => tracks.get(`${scene.name}/${view}`)!;

/** g(z) at each frame of `view`, i.e. at scene frame j - offset: the target a shared encoder should recover. */
function observedState(scene: DemoScenePlan, view: string, shift = scene.views.find((v) => v.name === view)!.syncOffsetFrames): Matrix {
  const latent = latents.get(scene.name) ?? latentModel.sceneLatent(scene, options.fps);
  latents.set(scene.name, latent);
  const values = new Float32Array(scene.frameCount * OBSERVED_DIM);
  for (let j = 0; j < scene.frameCount; j++) featureModel.observe(latentAt(latent, j - shift), values.subarray(j * OBSERVED_DIM, (j + 1) * OBSERVED_DIM));
  return { rows: scene.frameCount, dim: OBSERVED_DIM, values };
}

/** Ridge map from features to g(z) minus its mean (centred, so cosine similarity compares moments). */
function fitSharedMap(excludedView: string | null): { map: LinearMap; mean: number[] } {
  const inputs: number[][] = [];
  const targets: number[][] = [];
  for (const scene of trainScenes) {
    for (const view of scene.views) {
      if (view.name === excludedView) continue;
      const x = track(scene, view.name);
      const y = observedState(scene, view.name);
      for (let j = 0; j < scene.frameCount; j++) {
        inputs.push([...row(x, j)]);
        targets.push([...row(y, j)]);
      }
    }
  }
  const mean = Array.from({ length: OBSERVED_DIM }, (_, k) => targets.reduce((s, t) => s + t[k]!, 0) / targets.length);
  return { map: LinearMap.fit(inputs, targets.map((t) => t.map((v, k) => v - mean[k]!)), 1), mean };
}

/** Mean R@1 and mean chance over pairs (query view, candidate view) of the test scenes. */
function meanRecall(pairs: [string, string][], transform: (m: Matrix) => Matrix = (m) => m) {
  let recall = 0;
  let chance = 0;
  let count = 0;
  for (const scene of testScenes) {
    for (const [a, b] of pairs) {
      const [qa, qb] = timeMatched(scene, a, b, transform(track(scene, a)), transform(track(scene, b)));
      recall += recallAt1(qa, qb);
      chance += 1 / qb.rows;
      count++;
    }
  }
  return { recall: recall / count, chance: chance / count };
}

const egoNames = plan[0]!.views.filter((v) => v.role === 'ego').map((v) => v.name);
const exoNames = plan[0]!.views.filter((v) => v.role === 'exo').map((v) => v.name);
const egoExoPairs = egoNames.flatMap((e) => exoNames.map((x): [string, string] => [e, x]));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evgap-demo-features-'));
  await generateDemo(dir, options);
  for (const scene of plan) {
    for (const view of scene.views) {
      const values = readNpyRows(join(dir, scene.name, `${view.name}.npy`), 0, scene.frameCount);
      tracks.set(`${scene.name}/${view.name}`, { rows: scene.frameCount, dim: options.featureDim, values });
    }
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo feature tracks', () => {
  it('make raw cross-view retrieval of the same moment near chance', () => {
    const { recall, chance } = meanRecall(egoExoPairs);
    console.info(`raw ego->exo R@1 ${recall.toFixed(4)} (chance ${chance.toFixed(4)})`);
    expect(recall).toBeLessThan(3 * chance);
  });

  it('keep neighbouring frames of a view far closer than random pairs', () => {
    for (const name of ['e1', 'v1']) {
      const x = track(testScenes[0]!, name);
      let adjacent = 0;
      let random = 0;
      for (let j = 0; j + 1 < x.rows; j++) {
        const [here, next, other] = [row(x, j), row(x, j + 1), row(x, (j * 7919 + 13) % x.rows)];
        for (let k = 0; k < x.dim; k++) {
          adjacent += (here[k]! - next[k]!) ** 2;
          random += (here[k]! - other[k]!) ** 2;
        }
      }
      expect(adjacent / random).toBeLessThan(0.1);
    }
  });

  it('let one linear map fitted on the other views align a view it never saw', () => {
    for (const heldOut of ['e1', 'v1']) {
      const { map } = fitSharedMap(heldOut);
      const partners = heldOut.startsWith('e') ? exoNames : egoNames;
      const pairs = partners.map((p): [string, string] => [heldOut, p]);
      const raw = meanRecall(pairs);
      const aligned = meanRecall(pairs, (m) => map.apply(m));
      console.info(`held-out ${heldOut}: linear-map R@1 ${aligned.recall.toFixed(4)} vs raw ${raw.recall.toFixed(4)} (chance ${raw.chance.toFixed(4)})`);
      expect(aligned.recall).toBeGreaterThan(10 * raw.chance);
      expect(aligned.recall).toBeGreaterThan(5 * raw.recall);
    }
  });

  it('show scene frame j - syncOffsetFrames at frame j of each view', () => {
    const { map, mean } = fitSharedMap(null);
    const scene = testScenes[0]!;
    const limit = 2 * options.maxSyncOffsetFrames;
    for (const view of scene.views) {
      const projected = map.apply(track(scene, view.name));
      let bestShift = NaN;
      let bestError = Infinity;
      for (let shift = -limit; shift <= limit; shift++) {
        const target = observedState(scene, view.name, shift);
        let error = 0;
        for (let j = limit; j < scene.frameCount - limit; j++) {
          const p = row(projected, j);
          const q = row(target, j);
          for (let k = 0; k < OBSERVED_DIM; k++) error += (p[k]! - (q[k]! - mean[k]!)) ** 2;
        }
        if (error < bestError) {
          bestError = error;
          bestShift = shift;
        }
      }
      expect(bestShift, view.name).toBe(view.syncOffsetFrames);
    }
  });
});
