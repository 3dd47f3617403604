// What a training run reports while it runs (for progress bars, the UI's live charts and the worker's messages)
// and how it ended. Plain, structured-clonable data only: these cross the worker boundary as they are.
import type { DatasetMix, RunStatus } from '../../../contract/api';
import type { BackendReport, PrecisionInUse } from '../../../native/tfBackend';

export type TrainingEvent =
  | {
      type: 'started';
      runId: number;
      kind: string;
      /** Steps already done (the checkpoint a resumed run continues from; 0 for a new run). */
      startStep: number;
      totalSteps: number;
      resumed: boolean;
      backend: BackendReport;
      /** The precision of the encoder's products: asked for in the config, and what runs here (with why). */
      precision: PrecisionInUse;
      /** Scenes or views the sampler left out, and why. */
      warnings: string[];
      /** Step 1 on several datasets: how its batches mix them; null for one dataset. */
      mix: DatasetMix | null;
    }
  | {
      type: 'progress';
      runId: number;
      step: number;
      totalSteps: number;
      loss: number;
      /** Every metric logged for this step, by catalog name (see metricRows). */
      metrics: Record<string, number>;
      /** Clips encoded per second, averaged over recent steps. */
      clipsPerSecond: number;
      /** Seconds left at the recent pace. */
      etaSeconds: number;
    }
  | { type: 'checkpoint'; runId: number; step: number; path: string }
  | { type: 'status'; runId: number; status: RunStatus };

export type TrainingOutcome = {
  runId: number;
  status: 'completed' | 'cancelled' | 'failed';
  /** Optimizer steps done when the run ended. */
  step: number;
  /** The latest checkpoint's weights file, or null if none was written. */
  checkpoint: string | null;
  /** Why a failed run failed. */
  error?: string;
};

/** A smoothed pace (exponential moving average of step durations) for clips/s and the ETA. */
export class Pace {
  #secondsPerStep: number | null = null;
  #clipsPerStep = 0;
  readonly #smoothing: number;

  constructor(smoothing = 0.2) {
    this.#smoothing = smoothing;
  }

  record(seconds: number, clips: number): void {
    const s = this.#smoothing;
    this.#secondsPerStep = this.#secondsPerStep === null ? seconds : (1 - s) * this.#secondsPerStep + s * seconds;
    this.#clipsPerStep = clips;
  }

  get clipsPerSecond(): number {
    return this.#secondsPerStep === null || this.#secondsPerStep <= 0 ? 0 : this.#clipsPerStep / this.#secondsPerStep;
  }

  etaSeconds(stepsLeft: number): number {
    return this.#secondsPerStep === null ? 0 : stepsLeft * this.#secondsPerStep;
  }
}
