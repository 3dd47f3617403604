// The segmentation heads by name: builds the network of a head from its resolved settings (config.ts).
import { createAsFormer } from './asformer';
import type { AsFormerConfig } from './asformerConfig';
import { createC2fTcn } from './c2fTcn';
import type { C2fTcnConfig } from './c2fTcnConfig';
import type { SegmentationHeadConfigs, SegmentationHeadName } from './config';
import { createLtContext } from './ltcontext';
import type { LtContextConfig } from './ltcontextConfig';
import type { SegmentationNetwork } from './network';

/** A new network of `head` with seeded PyTorch-default weights. */
export function createSegmentationNetwork<H extends SegmentationHeadName>(
  head: H,
  inputDim: number,
  classes: number,
  config: SegmentationHeadConfigs[H],
  seed: number,
): SegmentationNetwork {
  if (head === 'asformer') return createAsFormer(inputDim, classes, config as AsFormerConfig, seed);
  if (head === 'ltcontext') return createLtContext(inputDim, classes, config as LtContextConfig, seed);
  return createC2fTcn(inputDim, classes, config as C2fTcnConfig, seed);
}
