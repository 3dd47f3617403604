// The heads' learning-rate schedules (config.ts: LearningRateSchedule), stepped once per epoch as the authors
// step theirs: PyTorch's ReduceLROnPlateau (mode 'min', relative threshold 1e-4, no cooldown) on the epoch's
// training loss, and LTContext's constant-then-cosine SequentialLR (CosineAnnealingLR's closed form).
import type { LearningRateSchedule } from './config';

/** PyTorch's default relative threshold of ReduceLROnPlateau: a loss counts as lower below best·(1 − 1e-4). */
const plateauThreshold = 1e-4;

export class LearningRateScheduler {
  readonly #schedule: LearningRateSchedule;
  readonly #baseLr: number;
  #lr: number;
  #epoch = 0;
  #best = Infinity;
  #badEpochs = 0;

  constructor(schedule: LearningRateSchedule, baseLr: number) {
    this.#schedule = schedule;
    this.#baseLr = baseLr;
    this.#lr = baseLr;
  }

  /** The learning rate of the current epoch. */
  get lr(): number {
    return this.#lr;
  }

  /** Ends an epoch whose mean training loss was `loss`; returns the next epoch's learning rate. */
  endEpoch(loss: number): number {
    this.#epoch++;
    const schedule = this.#schedule;
    if (schedule.kind === 'plateau') {
      if (loss < this.#best * (1 - plateauThreshold)) {
        this.#best = loss;
        this.#badEpochs = 0;
      } else if (++this.#badEpochs > schedule.patience) {
        this.#lr *= schedule.factor;
        this.#badEpochs = 0;
      }
    } else if (schedule.kind === 'constant-cosine' && this.#epoch >= schedule.constantEpochs) {
      const { minLr, cosineEpochs, constantEpochs } = schedule;
      const progress = (this.#epoch - constantEpochs) / cosineEpochs;
      this.#lr = minLr + ((this.#baseLr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
    return this.#lr;
  }
}
