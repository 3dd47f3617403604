// The demo videos: view frame f shows scene frame f - syncOffsetFrames, ego views are monochrome, exo views are
// in colour, and the picture moves over time.
import { describe, expect, it } from 'vitest';
import type { VideoEncoder } from '../../../native/ffmpeg';
import { resolveDemoOptions } from '../../../main/demo/options';
import { planDemo, type DemoViewPlan } from '../../../main/demo/plan';
import { renderViewVideo } from '../../../main/demo/render';

/** An encoder that keeps the frames it is given. */
function recorder(): VideoEncoder & { frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  return {
    frames,
    async writeFrame(rgb) {
      frames.push(rgb.slice());
    },
    async finish() {},
    abort() {},
  };
}

const options = resolveDemoOptions({ scenes: 3, sceneSeconds: 4, egoViews: 2, exoViews: 2, maxSyncOffsetFrames: 5, videoWidth: 64, videoHeight: 48 });
const scene = planDemo(options)[0]!;
const size = { width: 64, height: 48, fps: options.fps };

async function render(view: DemoViewPlan, index: number) {
  const encoder = recorder();
  await renderViewVideo(encoder, scene, view, { index, count: 2 }, size);
  return encoder.frames;
}

const equalFrames = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('renderViewVideo', () => {
  it('shows scene frame f - syncOffsetFrames at video frame f', async () => {
    for (const [index, view] of [[0, scene.views[0]!], [1, scene.views[3]!]] as const) {
      const shifted = await render({ ...view, syncOffsetFrames: 4 }, index);
      const unshifted = await render({ ...view, syncOffsetFrames: 0 }, index);
      expect(shifted).toHaveLength(scene.frameCount);
      for (let f = 4; f < scene.frameCount; f++) expect(equalFrames(shifted[f]!, unshifted[f - 4]!), `${view.name} frame ${f}`).toBe(true);
      expect(equalFrames(shifted[10]!, unshifted[10]!)).toBe(false);
    }
  });

  it('renders ego views in monochrome and exo views in colour, changing over time', async () => {
    const isGrey = (frame: Uint8Array) => {
      for (let i = 0; i < frame.length; i += 3) {
        // The tint keeps channels in a fixed ratio: blue is never below red.
        if (frame[i + 2]! < frame[i]!) return false;
      }
      return true;
    };
    const ego = await render(scene.views[0]!, 0);
    const exo = await render(scene.views[2]!, 0);
    expect(ego.every(isGrey)).toBe(true);
    expect(exo.some(isGrey)).toBe(false);
    expect(equalFrames(exo[0]!, exo[30]!)).toBe(false);
  });
});
