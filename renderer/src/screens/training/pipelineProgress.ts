// The one-click pipeline's progress as the Training screen shows it: the stages seen so far (done, current),
// the current stage's message and fraction, and the whole pipeline's fraction, from pipeline.progress events.
import type { ApiEvents } from '../../../../contract/api';

export type PipelineEvent = ApiEvents['pipeline.progress'];

export interface PipelineStage {
  name: string;
  index: number;
  state: 'done' | 'current';
}

export interface PipelineProgress {
  runId: number;
  stages: PipelineStage[];
  stageCount: number;
  current: string;
  message: string;
  /** Fraction of the current stage done, 0..1. */
  stageFraction: number;
  /** Fraction of the whole pipeline done, 0..1. */
  overall: number;
}

const clamp01 = (value: number): number => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/** The progress after one event (events of another pipeline run start a new progress). */
export function applyPipelineEvent(previous: PipelineProgress | null, event: PipelineEvent): PipelineProgress {
  const seen = previous !== null && previous.runId === event.runId ? previous.stages : [];
  const stages: PipelineStage[] = seen
    .filter((stage) => stage.name !== event.stage)
    .map((stage) => ({ ...stage, state: stage.index < event.stageIndex ? 'done' : stage.state }));
  stages.push({ name: event.stage, index: event.stageIndex, state: 'current' });
  stages.sort((a, b) => a.index - b.index);
  const stageCount = Math.max(1, event.stages);
  // stageIndex counts from 0: stages before it are done, this one is `fraction` done.
  const overall = clamp01((Math.max(0, event.stageIndex) + clamp01(event.fraction)) / stageCount);
  return {
    runId: event.runId,
    stages,
    stageCount,
    current: event.stage,
    message: event.message,
    stageFraction: clamp01(event.fraction),
    overall,
  };
}
