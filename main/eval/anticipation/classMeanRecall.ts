// Class-mean Top-k recall, the anticipation metric of EPIC-Kitchens and Assembly101 (Furnari et al., "Leveraging
// Uncertainty to Rethink Loss Functions and Evaluation Measures for Egocentric Action Anticipation", 2018): for
// each class c present in the ground truth, recall_c = |{samples of class c whose k highest scores include c}| /
// |{samples of class c}|, averaged over those classes, in percent. Classes absent from the ground truth are left
// out of the mean (their recall is undefined). Ties: the k highest scores are the first k of a stable
// descending sort, so among equal scores the lower class index ranks first.
import { ArgumentError } from '../../../contract/errors';

export interface ClassMeanRecall {
  /** Mean of the per-class recalls, percent; NaN when there are no samples. */
  recall: number;
  /** Per class, percent; NaN for classes without samples. */
  perClass: Float64Array;
  /** Classes with at least one sample (those averaged). */
  classesEvaluated: number;
}

/** Whether `label` is among the k best of one sample's scores (stable descending order). */
export function inTopK(scores: Float32Array | Float64Array, offset: number, classes: number, label: number, k: number): boolean {
  const own = scores[offset + label]!;
  let ahead = 0;
  for (let c = 0; c < classes; c++) {
    const score = scores[offset + c]!;
    if (score > own || (score === own && c < label)) {
      ahead++;
      if (ahead >= k) return false;
    }
  }
  return true;
}

/** Class-mean Top-k recall of scores [n, classes] row-major against labels [n]. */
export function classMeanTopKRecall(scores: Float32Array | Float64Array, labels: Int32Array, classes: number, k = 5): ClassMeanRecall {
  const n = labels.length;
  if (!Number.isInteger(classes) || classes < 1) throw new ArgumentError(`expected classes >= 1, got ${classes}`);
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`expected k >= 1, got ${k}`);
  if (scores.length !== n * classes) throw new ArgumentError(`expected ${n} × ${classes} scores, got ${scores.length}`);
  const hits = new Float64Array(classes);
  const counts = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    if (!(label >= 0 && label < classes)) throw new ArgumentError(`expected labels in [0, ${classes}), got ${label} at sample ${i}`);
    counts[label]! += 1;
    if (inTopK(scores, i * classes, classes, label, k)) hits[label]! += 1;
  }
  const perClass = new Float64Array(classes);
  let sum = 0;
  let classesEvaluated = 0;
  for (let c = 0; c < classes; c++) {
    if (counts[c] === 0) {
      perClass[c] = NaN;
      continue;
    }
    perClass[c] = (100 * hits[c]!) / counts[c]!;
    sum += perClass[c]!;
    classesEvaluated++;
  }
  return { recall: classesEvaluated === 0 ? NaN : sum / classesEvaluated, perClass, classesEvaluated };
}
