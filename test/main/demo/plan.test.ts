// The demo's ground truth plan: splits with held-out scenes, contiguous scripts following each part's routine, a
// vocabulary large enough that Top-5 figures are not 100 by construction, sync offsets within range, all from the seed.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../contract/errors';
import { resolveDemoOptions } from '../../../main/demo/options';
import { demoSplits, planDemo, visibleSegments } from '../../../main/demo/plan';
import { demoObjects, demoVerbs, demoVocabulary, kindOf, partKinds, type DemoObject } from '../../../main/demo/vocabulary';

describe('demo plan', () => {
  it('holds out at least two test scenes, and one val scene from six scenes up', () => {
    expect(demoSplits(3)).toEqual(['train', 'test', 'test']);
    expect(demoSplits(8)).toEqual(['train', 'train', 'train', 'train', 'train', 'val', 'test', 'test']);
    expect(demoSplits(12).filter((s) => s === 'test')).toHaveLength(3);
  });

  it('scripts contiguous segments that cover every frame a view shows, each part handled by its kind\'s routine', () => {
    const options = resolveDemoOptions({ seed: 3, scenes: 3, sceneSeconds: 120, maxSyncOffsetFrames: 10 });
    const labels = new Set(demoVocabulary.map((a) => a.label));
    const routineOf = (object: DemoObject) => ['take', ...kindOf(object).steps.map((s) => s.verb)];
    for (const scene of planDemo(options)) {
      const { segments } = scene;
      expect(segments[0]!.startFrame).toBe(-10);
      expect(segments[0]!.verb).toBe('take');
      expect(segments.at(-1)!.endFrame).toBeGreaterThanOrEqual(scene.frameCount + 10);
      segments.forEach((segment, i) => {
        expect(labels.has(segment.label)).toBe(true);
        expect(segment.endFrame - segment.startFrame).toBeGreaterThanOrEqual(options.fps);
        const next = segments[i + 1];
        if (!next) return;
        expect(next.startFrame).toBe(segment.endFrame);
        const routine = routineOf(segment.object);
        const position = routine.indexOf(segment.verb);
        if (next.verb === 'take') {
          // A routine ends only after its last required step.
          const required = kindOf(segment.object).steps.filter((s) => s.probability >= 1).map((s) => s.verb);
          expect(position).toBeGreaterThanOrEqual(required.length === 0 ? 0 : routine.indexOf(required.at(-1)!));
        } else {
          expect(next.object).toBe(segment.object);
          expect(routine.indexOf(next.verb)).toBeGreaterThan(position);
        }
      });
      const visible = visibleSegments(scene);
      expect(visible[0]!.startFrame).toBe(0);
      expect(visible.at(-1)!.endFrame).toBe(scene.frameCount);
    }
  });

  it('uses a vocabulary of at least 12 verbs and 15 objects, most of whose actions occur in the default demo', () => {
    expect(demoVerbs.length).toBeGreaterThanOrEqual(12);
    expect(demoObjects.length).toBeGreaterThanOrEqual(15);
    // Every part belongs to exactly one kind, so only the pairs of its routine are actions.
    expect(partKinds.flatMap((k) => k.parts).sort()).toEqual([...demoObjects].sort());
    expect(new Set(demoVocabulary.map((a) => a.label)).size).toBe(demoVocabulary.length);
    expect(demoVocabulary.length).toBeLessThan(demoVerbs.length * demoObjects.length / 2);
    const plan = planDemo(resolveDemoOptions({}));
    const seen = (split: string) => new Set(plan.filter((s) => s.split === split).flatMap((s) => visibleSegments(s).map((g) => g.label)));
    const train = seen('train');
    expect(train.size).toBeGreaterThanOrEqual(36);
    expect(new Set(plan.flatMap((s) => visibleSegments(s).map((g) => g.verb))).size).toBe(demoVerbs.length);
    expect(new Set(plan.flatMap((s) => visibleSegments(s).map((g) => g.object))).size).toBe(demoObjects.length);
    // The test scenes' actions are mostly ones the training scenes show.
    const test = [...seen('test')];
    expect(test.filter((label) => train.has(label)).length).toBeGreaterThanOrEqual(0.8 * test.length);
  });

  it('names views e1..eM and v1..vN with offsets in [-max, max] and per-camera seeds shared across scenes', () => {
    const options = resolveDemoOptions({ scenes: 4, maxSyncOffsetFrames: 5 });
    const plan = planDemo(options);
    expect(plan[0]!.views.map((v) => v.name)).toEqual(['e1', 'e2', 'e3', 'e4', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    expect(plan[0]!.views.map((v) => v.role)).toEqual([...Array(4).fill('ego'), ...Array(8).fill('exo')]);
    const offsets = plan.flatMap((s) => s.views.map((v) => v.syncOffsetFrames));
    expect(offsets.every((o) => Number.isInteger(o) && Math.abs(o) <= 5)).toBe(true);
    expect(new Set(offsets).size).toBeGreaterThan(3);
    expect(plan[1]!.views.map((v) => v.paramsSeed)).toEqual(plan[0]!.views.map((v) => v.paramsSeed));
    expect(planDemo(options)).toEqual(plan);
    expect(planDemo({ ...options, seed: 2 })).not.toEqual(plan);
  });

  it('rejects options out of range, naming them', () => {
    expect(() => resolveDemoOptions({ scenes: 2 })).toThrow(new ArgumentError('demo option scenes: expected an integer in [3, 1000], got 2'));
    expect(() => resolveDemoOptions({ videoWidth: 161 })).toThrow(/videoWidth\/videoHeight: expected even sizes/);
    expect(() => resolveDemoOptions({ featureDtype: 'float64' as never })).toThrow(/featureDtype/);
    expect(() => resolveDemoOptions({ colour: 1 } as never)).toThrow(/demo option colour: unknown option/);
  });
});
