// Smooth random signals for the demo generator: sums of a few random sinusoids, drawn from a seeded stream.
import type { SeededRandom } from '../random/seededRandom';

/** A smooth unit-variance signal of the frame index: `waves` random sinusoids with periods in [minS, maxS] seconds. */
export function smoothWaves(random: SeededRandom, waves: number, minS: number, maxS: number, fps: number): (frame: number) => number {
  const omegas = Array.from({ length: waves }, () => (2 * Math.PI) / (random.uniformIn(minS, maxS) * fps));
  const phases = Array.from({ length: waves }, () => random.uniformIn(0, 2 * Math.PI));
  const amplitude = Math.sqrt(2 / waves);
  return (frame) => {
    let value = 0;
    for (let w = 0; w < waves; w++) value += amplitude * Math.sin(omegas[w]! * frame + phases[w]!);
    return value;
  };
}
