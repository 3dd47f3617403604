// The training side's methods when this process has none (a read-only host, or before the lead wires the worker
// in): each call fails with TrainingUnavailableError, which reaches the client as a RemoteError saying so.
import { RemoteError } from '../../contract/errors';
import { RUN_METHODS, type RunMethods } from './apiContext';

export class TrainingUnavailableError extends RemoteError {
  override name = 'TrainingUnavailableError';
}

export function trainingUnavailable(): RunMethods {
  const refuse = (method: string) => () => {
    throw new TrainingUnavailableError(`${method}: training is not available in this process`);
  };
  return Object.fromEntries(RUN_METHODS.map((method) => [method, refuse(method)])) as unknown as RunMethods;
}
