import * as tf from '@tensorflow/tfjs';
import { pairLoss } from '../main/engine/losses/pairLoss';
import { withAuxiliary } from '../main/engine/losses/auxiliary';
import { l2Normalize } from '../main/engine/encoder/ops';
import { loadBackend } from '../native/tfBackend';
await loadBackend();
const z = Array.from({ length: 6 }, () => tf.variable(tf.randomNormal([64, 512])));
const s = tf.variable(tf.scalar(1.0));
const run = () => {
  const { value, grads } = tf.variableGrads(() => {
    const per = z.map((v) => { const e = l2Normalize(v as tf.Tensor2D); const [a, b] = tf.split(e, [32, 32], 0); return pairLoss(a!, b!, s); });
    return withAuxiliary(per, [0.2, 0.2, 0.2, 0.2, 0.2]).total;
  }, [...z, s]);
  value.dataSync(); tf.dispose([value, ...Object.values(grads)]);
};
for (let i = 0; i < 20; i++) run();
const times: number[] = [];
for (let i = 0; i < 30; i++) { const t = performance.now(); run(); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
console.log('6-layer loss fwd+bwd: fastest', times[0]!.toFixed(2), 'median', times[15]!.toFixed(2), 'ms');
