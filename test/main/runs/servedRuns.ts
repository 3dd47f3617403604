// Serves createApi with a RunService over the in-memory rpc pair (memoryPair + serve + connect), recording every
// event the client receives, so tests see runs exactly as a window or browser tab does.
import { apiEvents, type ApiEvent, type ApiEvents } from '../../../contract/api';
import { connect, memoryPair, serve, type Client, type Server } from '../../../contract/rpc';
import type { Emit } from '../../../main/api/apiContext';
import { createApi } from '../../../main/api/createApi';
import type { Catalog } from '../../../main/catalog/Catalog';
import { createRunService, type RunService, type RunServiceOptions } from '../../../main/runs/RunService';

export type ReceivedEvent = { [E in ApiEvent]: { name: E; payload: ApiEvents[E] } }[ApiEvent];

export interface ServedRuns {
  client: Client;
  runs: RunService;
  events: ReceivedEvent[];
  /** The payloads of one event, in arrival order (optionally of one run). */
  received<E extends ApiEvent>(name: E, runId?: number): ApiEvents[E][];
  close(): Promise<void>;
}

export function serveRuns(
  catalog: Catalog,
  dataDir: string,
  options: Omit<RunServiceOptions, 'catalog' | 'dataDir' | 'emit'> = {},
): ServedRuns {
  const [serverEnd, clientEnd] = memoryPair();
  let served: Server | undefined;
  const emit: Emit = (event, payload) => served?.emit(event, payload);
  const runs = createRunService({ catalog, dataDir, emit, ...options });
  served = serve(createApi({ catalog, dataDir, transport: 'memory', emit, runs }), serverEnd);
  const client = connect(clientEnd);
  const events: ReceivedEvent[] = [];
  for (const name of apiEvents) client.on(name, (payload) => events.push({ name, payload } as ReceivedEvent));
  return {
    client,
    runs,
    events,
    received<E extends ApiEvent>(name: E, runId?: number) {
      return events
        .filter((event) => event.name === name)
        .map((event) => event.payload as ApiEvents[E])
        .filter((payload) => runId === undefined || (payload as { runId?: number }).runId === runId);
    },
    async close() {
      client.close();
      served?.stop();
      await runs.shutdown();
    },
  };
}
