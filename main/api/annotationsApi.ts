// The annotation editor's methods: the dataset's action vocabulary, saving a scene's segment list, and reading and
// writing it as an annotation file (Assembly101 coarse labels or MS-TCN per-frame labels).
import type { AnnotationFormat, ApiImpl, SceneDetail, SegmentInfo } from '../../contract/api';
import { formatCoarseLabels, parseCoarseLabels } from '../annotations/coarseLabels';
import { formatMstcnLabels, parseMstcnLabels } from '../annotations/mstcnLabels';
import { checkSegments, sceneFrameCount, type LocatedSegment } from '../annotations/segmentRules';
import type { ApiContext } from './apiContext';

type AnnotationMethods = Pick<ApiImpl, 'listVocabulary' | 'addVocabularyLabel' | 'saveSegments' | 'importAnnotations' | 'exportAnnotations'>;

const parsers: Record<AnnotationFormat, (text: string, where: string) => LocatedSegment[]> = {
  'assembly101-coarse': parseCoarseLabels,
  mstcn: parseMstcnLabels,
};

/** Exports of the two formats get different names (both are .txt files named after the video in their datasets). */
const fileSuffixes: Record<AnnotationFormat, string> = { 'assembly101-coarse': 'coarse', mstcn: 'mstcn' };

const segmentKey = (s: { startFrame: number; endFrame: number; label: string }) => `${s.startFrame}:${s.endFrame}:${s.label}`;

export function annotationsApi(ctx: ApiContext): AnnotationMethods {
  const { catalog } = ctx;

  const replace = (detail: SceneDetail, segments: readonly LocatedSegment[]): SegmentInfo[] => {
    const checked = checkSegments(segments, sceneFrameCount(detail));
    const saved = catalog.replaceSegments(detail.scene.id, checked);
    ctx.emit('catalog.changed', { datasetId: detail.scene.datasetId, sceneId: detail.scene.id, what: 'segments' });
    return saved;
  };

  return {
    listVocabulary: ({ datasetId }) => catalog.listVocabulary(datasetId),
    addVocabularyLabel: ({ datasetId, label, verb, object }) => {
      const before = catalog.listVocabulary(datasetId);
      if (before.some((entry) => entry.label === label)) return before;
      const labels = catalog.addVocabularyLabel(datasetId, { label, verb: verb ?? null, object: object ?? null });
      ctx.emit('catalog.changed', { datasetId, sceneId: null, what: 'vocabulary' });
      return labels;
    },
    saveSegments: ({ sceneId, segments }) => {
      const detail = catalog.getScene(sceneId);
      // A draft without a source keeps the source of the stored segment it repeats (same frames and label); new ones are manual.
      const existingSource = new Map(detail.segments.map((s) => [segmentKey(s), s.source]));
      return replace(
        detail,
        segments.map((draft, i) => ({
          where: `arguments.segments[${i}]`,
          segment: {
            startFrame: draft.startFrame,
            endFrame: draft.endFrame,
            label: draft.label,
            verb: draft.verb ?? null,
            object: draft.object ?? null,
            source: draft.source ?? existingSource.get(segmentKey(draft)) ?? 'manual',
          },
        })),
      );
    },
    importAnnotations: ({ sceneId, format, text, dryRun }) => {
      const detail = catalog.getScene(sceneId);
      // Files carry labels only: verb and object come from the dataset's vocabulary where it knows the label.
      const vocabulary = new Map(catalog.listVocabulary(detail.scene.datasetId).map((entry) => [entry.label, entry]));
      const parsed = parsers[format](text, 'arguments.text').map(({ where, segment }) => {
        const known = vocabulary.get(segment.label);
        return { where, segment: { ...segment, verb: known?.verb ?? null, object: known?.object ?? null } };
      });
      if (dryRun) return checkSegments(parsed, sceneFrameCount(detail)).map((segment) => ({ id: 0, ...segment }));
      return replace(detail, parsed);
    },
    exportAnnotations: ({ sceneId, format }) => {
      const detail = catalog.getScene(sceneId);
      const text = format === 'mstcn' ? formatMstcnLabels(detail.segments, sceneFrameCount(detail)) : formatCoarseLabels(detail.segments);
      return { fileName: `${detail.scene.name}.${fileSuffixes[format]}.txt`, text };
    },
  };
}
