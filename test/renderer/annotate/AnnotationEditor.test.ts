// @vitest-environment jsdom
// The annotation editor's state: edits become commands saved by autosave; a save refused while the host is away
// stays pending and goes out when the connection is back (never shown as saved); distinct colours for the labels in
// use; gaps counted and filled in one undoable command; an edge dragged against its neighbour stops there and says
// why, a shared edge moves both; an import is read first and replaces the segments as one undoable command.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SceneDetail, SegmentInfo } from '../../../contract/api';
import { DisconnectedError } from '../../../contract/errors';
import { StudioState } from '../../../renderer/src/lib/StudioState.svelte';
import { AnnotationEditor } from '../../../renderer/src/screens/scene/annotate/AnnotationEditor.svelte';
import { fakeStudioClient } from '../fakeStudioClient';

const segment = (id: number, startFrame: number, endFrame: number, label: string): SegmentInfo => ({
  id,
  startFrame,
  endFrame,
  label,
  verb: null,
  object: null,
  source: 'imported',
});

const scene: SceneDetail = {
  scene: { id: 3, datasetId: 1, name: 'scene03', split: 'train', egoCount: 0, exoCount: 0, durationS: 10, segmentCount: 2, runCount: 0 },
  datasetName: 'demo',
  views: [],
  segments: [segment(1, 0, 40, 'take cup'), segment(2, 40, 70, 'pour water')],
};

function editorWith() {
  const client = fakeStudioClient({
    listVocabulary: async () => [
      { label: 'take cup', verb: 'take', object: 'cup' },
      { label: 'pour water', verb: 'pour', object: 'water' },
    ],
    saveSegments: async ({ segments }) => segments.map((s, i) => ({ id: i + 1, verb: null, object: null, source: 'manual', ...s })),
    importAnnotations: async ({ text, dryRun }) => {
      const read = text
        .trim()
        .split('\n')
        .map((line, i) => {
          const [start, end, ...label] = line.split(' ');
          return segment(dryRun ? 0 : i + 1, Number(start), Number(end), label.join(' '));
        });
      return read;
    },
    exportAnnotations: async () => ({ fileName: 'scene03.coarse.txt', text: '' }),
  });
  const studio = new StudioState(client);
  const editor = new AnnotationEditor(studio);
  editor.open(scene, 100);
  return { client, studio, editor };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('AnnotationEditor', () => {
  it('saves an edit after the quiet time, as one undoable command', async () => {
    const { editor, client } = editorWith();
    editor.create(80, 90);
    expect(editor.saveStatus.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(600);
    expect(client.api.saveSegments).toHaveBeenCalledTimes(1);
    expect(client.api.saveSegments.mock.calls[0]![0].segments.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 40], [40, 70], [80, 90]]);
    expect(editor.saveStatus.state).toBe('saved');
    editor.undo();
    expect(editor.segments).toHaveLength(2);
  });

  it('never calls an edit saved while the host is away, and saves it once the connection is back', async () => {
    const { editor, client } = editorWith();
    client.connection('open');
    client.api.saveSegments.mockRejectedValueOnce(new DisconnectedError('not sent: the connection to the EVGAP host is lost (reconnecting)'));
    client.connection('reconnecting');
    editor.update(2, { label: 'take cup' });
    await vi.advanceTimersByTimeAsync(600);
    expect(editor.saveStatus).toEqual({ state: 'failed', reason: 'not sent: the connection to the EVGAP host is lost (reconnecting)' });
    expect(editor.dirty).toBe(true);
    client.connection('open');
    await vi.advanceTimersByTimeAsync(0);
    expect(client.api.saveSegments).toHaveBeenCalledTimes(2);
    expect(client.api.saveSegments.mock.calls[1]![0].segments.map((s) => s.label)).toEqual(['take cup', 'take cup']);
    expect(editor.saveStatus.state).toBe('saved');
    expect(editor.dirty).toBe(false);
  });

  it('gives each label in use its own colour', async () => {
    const { editor } = editorWith();
    await vi.advanceTimersByTimeAsync(0);
    expect(editor.colourOf('take cup').fill).not.toBe(editor.colourOf('pour water').fill);
  });

  it('counts the gaps and fills them with one command that undo takes back', () => {
    const { editor } = editorWith();
    expect(editor.gaps).toEqual([{ start: 70, end: 100 }]);
    expect(editor.gapLabel).toBe('unlabeled');
    editor.fillGaps();
    expect(editor.gaps).toEqual([]);
    expect(editor.segments.at(-1)).toMatchObject({ startFrame: 70, endFrame: 100, label: 'unlabeled' });
    expect(editor.undoDescription).toBe('fill gaps with unlabeled');
    editor.undo();
    expect(editor.gaps).toHaveLength(1);
  });

  it('moves a shared edge with both segments, and stops a lone edge at its neighbour saying why', () => {
    const { editor } = editorWith();
    editor.resize(1, 'end', 50, 'boundary');
    expect(editor.segments.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 50], [50, 70]]);
    expect(editor.notice).toBeNull();
    editor.resize(1, 'end', 60, 'edge');
    expect(editor.segments.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 50], [50, 70]]);
    expect(editor.notice).toBe('The end stopped at frame 50, where “pour water” (frames 50–70) begins; drag the shared edge to move both.');
    // Nothing changed: no command to undo but the boundary move.
    expect(editor.undoDescription).toBe('resize end');
    editor.undo();
    expect(editor.segments.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 40], [40, 70]]);
  });

  it('reads an import first without saving, then replaces the segments as one undoable command', async () => {
    const { editor, client } = editorWith();
    const plan = await editor.readImport('assembly101-coarse', '0 10 take cup\n10 20 pour water\n20 30 take cup\n', 'other.txt');
    expect(plan).toMatchObject({ fileName: 'other.txt', replaces: 2, segments: 3 });
    expect(client.api.importAnnotations).toHaveBeenCalledWith(expect.objectContaining({ dryRun: true }));
    expect(editor.segments).toHaveLength(2);
    expect(await editor.importText(plan!.format, plan!.text, plan!.fileName)).toBe(true);
    expect(editor.segments.map((s) => s.endFrame)).toEqual([10, 20, 30]);
    expect(editor.undoDescription).toBe('import other.txt');
    editor.undo();
    expect(editor.segments.map((s) => s.endFrame)).toEqual([40, 70]);
  });

  it('refuses to export edits that are not saved, saying so', async () => {
    const { editor, client, studio } = editorWith();
    client.api.saveSegments.mockRejectedValueOnce(new DisconnectedError('not sent: the EVGAP host does not answer'));
    editor.remove(2);
    const exported = editor.exportFile('assembly101-coarse');
    await vi.advanceTimersByTimeAsync(0);
    expect(await exported).toBeNull();
    expect(client.api.exportAnnotations).not.toHaveBeenCalled();
    expect(studio.error?.message).toBe('the latest edits are not saved: not sent: the EVGAP host does not answer');
  });
});
