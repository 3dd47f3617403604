// Argument checks shared by the contrastive losses: wrong shapes fail early with the loss, argument and shape named.
import type * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../../contract/errors';

export function expectRank(loss: string, name: string, tensor: tf.Tensor, rank: number): void {
  if (tensor.rank !== rank) {
    throw new ArgumentError(`${loss}: expected ${name} of rank ${rank}, got shape [${tensor.shape}]`);
  }
  if (tensor.size === 0) {
    throw new ArgumentError(`${loss}: expected ${name} to be non-empty, got shape [${tensor.shape}]`);
  }
}

export function expectScalar(loss: string, name: string, tensor: tf.Tensor): void {
  if (tensor.rank !== 0) {
    throw new ArgumentError(`${loss}: expected ${name} to be a scalar, got shape [${tensor.shape}]`);
  }
}
