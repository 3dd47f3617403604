// The `--mix NAME=P,NAME=P…` flag of step 1 on several datasets (`evgap pretrain`, `evgap pipeline`): each
// dataset's share of the pairs, any positive scale (0.5,0.5 and 1,1 mean the same).
import type { MixShare } from '../engine/training/datasetMix';
import { UsageError } from './commandLine';

export function mixFlag(command: string, text: string | undefined): MixShare[] | undefined {
  if (text === undefined) return undefined;
  const shares = text.split(',').map((part) => {
    const match = /^\s*(.+?)\s*=\s*([0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?)\s*$/.exec(part);
    const proportion = match ? Number(match[2]) : NaN;
    if (match === null || !(proportion > 0) || !Number.isFinite(proportion)) {
      throw new UsageError(`--mix: expected NAME=PROPORTION pairs with positive proportions, separated by commas (e.g. demo=0.5,charades=0.5), got ${JSON.stringify(part)}`, command);
    }
    return { dataset: match[1]!, proportion };
  });
  return shares;
}
