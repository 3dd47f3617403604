// A seeded synthetic segmentation dataset: videos of runs of classes, each frame a class prototype plus noise,
// so clear segments exist but single frames are ambiguous.
import { SeededRandom } from '../../../../main/random/seededRandom';
import type { SegmentationVideo } from '../../../../main/eval/segmentationHead/trainSegmentation';

export interface SyntheticOptions {
  videos: number;
  frames: number;
  dim: number;
  classes: number;
  noise: number;
  seed: number;
}

export function syntheticVideos({ videos, frames, dim, classes, noise, seed }: SyntheticOptions): SegmentationVideo[] {
  const random = new SeededRandom(seed);
  const prototypes = Array.from({ length: classes }, () => random.normalArray(dim, 1));
  return Array.from({ length: videos }, (_, v) => {
    const labels = new Int32Array(frames);
    let t = 0;
    let previous = -1;
    while (t < frames) {
      const length = Math.floor(frames / 8 + random.uniform() * (frames / 4));
      let label = Math.floor(random.uniform() * classes);
      if (label === previous) label = (label + 1) % classes;
      labels.fill(label, t, Math.min(frames, t + length));
      previous = label;
      t += length;
    }
    const features = new Float32Array(frames * dim);
    for (let f = 0; f < frames; f++) {
      const prototype = prototypes[labels[f]!]!;
      for (let c = 0; c < dim; c++) features[f * dim + c] = prototype[c]! + noise * random.normal();
    }
    return { name: `video${v}`, features, labels };
  });
}
