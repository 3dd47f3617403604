// @vitest-environment jsdom
// What the Training screen shows of checks and failures: the pipeline's progress box puts a failed run's reason in
// place of its last (stale) progress line, and the check panel lists every problem with its scene, message and
// fix, errors first, with one button per fix the app can apply.
import { flushSync, mount, unmount, type Component } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunProblem } from '../../../contract/api';
import PipelineStatus from '../../../renderer/src/screens/training/PipelineStatus.svelte';
import RunCheckPanel from '../../../renderer/src/screens/training/RunCheckPanel.svelte';
import { applyPipelineEvent, type PipelineProgress } from '../../../renderer/src/screens/training/pipelineProgress';

let mounted: Record<string, unknown> | undefined;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = undefined;
  document.body.innerHTML = '';
});

function render<Props extends Record<string, unknown>>(component: Component<Props>, props: Props): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  mounted = mount(component, { target, props });
  flushSync();
  return target;
}

const progress: PipelineProgress = applyPipelineEvent(null, { runId: 7, stage: 'segmentation', stageIndex: 3, stages: 7, message: 'C2F-TCN, single-view: Base', fraction: 0.5 });

describe('PipelineStatus', () => {
  const props = { progress, onresults: () => {}, oncontrol: () => {} };

  it('shows the current stage’s message while the pipeline runs', () => {
    const root = render(PipelineStatus, { ...props, status: 'running', error: null });
    expect(root.querySelector('[data-pipeline-message]')?.textContent).toBe('C2F-TCN, single-view: Base');
    expect(root.querySelector('[data-pipeline-error]')).toBeNull();
  });

  it('replaces the stale progress line with the reason once it failed', () => {
    const reason = 'segmentation: ArgumentError: scene s1: frame 60 is in no segment and no unlabeled class was given';
    const root = render(PipelineStatus, { ...props, status: 'failed', error: reason });
    expect(root.querySelector('[data-pipeline-message]')).toBeNull();
    // In words for people: the stage and the message, without the error's class name.
    expect(root.querySelector('[data-pipeline-error]')?.textContent).toBe(
      'Failed: segmentation: scene s1: frame 60 is in no segment and no unlabeled class was given',
    );
    expect(root.querySelector('[data-pipeline-error]')?.getAttribute('role')).toBe('alert');
  });
});

describe('RunCheckPanel', () => {
  const fix = { text: "fill gaps with class 'unlabeled'", unlabeledClass: 'unlabeled' };
  const problems: RunProblem[] = [
    { severity: 'warning', dataset: 'demo', scene: 's3', message: 'view v9 has no feature track', fix: null },
    { severity: 'error', dataset: 'demo', scene: 's1', message: '20 frames … in no segment: frames 60–79', fix },
    { severity: 'error', dataset: 'demo', scene: 's2', message: '1 frame … in no segment: frame 30', fix },
  ];

  it('lists errors first with scene, message and fix, and offers each applicable fix once', () => {
    const onfix = vi.fn();
    const root = render(RunCheckPanel, { check: { what: 'pipeline', problems, refused: true }, busy: false, onfix, onrecheck: () => {}, ondismiss: () => {} });
    expect(root.querySelector('h3')?.textContent?.trim()).toBe('Pretrain & evaluate did not start: 2 problems to fix (and 1 warning)');
    expect([...root.querySelectorAll('li')].map((li) => [li.getAttribute('data-problem'), li.getAttribute('data-problem-scene')])).toEqual([
      ['error', 's1'],
      ['error', 's2'],
      ['warning', 's3'],
    ]);
    expect(root.querySelector('li [data-problem-fix]')?.textContent).toBe("Fix: fill gaps with class 'unlabeled'");
    const buttons = root.querySelectorAll<HTMLButtonElement>('[data-action="apply-fix"]');
    expect([...buttons].map((b) => b.textContent)).toEqual(["Fill gaps with class 'unlabeled'"]);
    buttons[0]!.click();
    expect(onfix).toHaveBeenCalledWith(fix);
  });

  it('says warnings do not stop the run', () => {
    const root = render(RunCheckPanel, { check: { what: 'step1', problems: [problems[0]!], refused: false }, busy: false, onfix: () => {}, onrecheck: () => {}, ondismiss: () => {} });
    expect(root.querySelector('h3')?.textContent?.trim()).toBe('Pretrain step 1: 1 warning, nothing that stops it');
    expect(root.querySelector('[data-action="apply-fix"]')).toBeNull();
  });
});
