// Serves createApi over the in-memory rpc pair for tests: the client, every event it received, and a way to
// call a method by name with arguments the types would refuse (to test the main side's checks).
import type { ApiEvents } from '../../../contract/api';
import { connect, memoryPair, serve, type Client } from '../../../contract/rpc';
import { createApi, type ApiContext } from '../../../main/api/createApi';
import type { Catalog } from '../../../main/catalog/Catalog';

export interface ServedApi {
  client: Client;
  events: ApiEvents['catalog.changed'][];
  /** Calls `method` with `args` unchecked by the types; resolves to the result or the error it was refused with. */
  outcome(method: string, args: unknown): Promise<unknown>;
  /**
   * Resolves once every event the main side has sent so far has arrived: it makes a call, and the transport delivers
   * messages in the order they were sent, so the answer comes after them (no timer involved).
   */
  settle(): Promise<void>;
}

export function serveApi(catalog: Catalog, dataDir: string, extra: Pick<ApiContext, 'runs' | 'loadBackend'> = {}): ServedApi {
  const [serverEnd, clientEnd] = memoryPair();
  const served = serve(
    createApi({ catalog, dataDir, transport: 'memory', emit: (event, payload) => served.emit(event, payload), ...extra }),
    serverEnd,
  );
  const client = connect(clientEnd);
  const events: ApiEvents['catalog.changed'][] = [];
  client.on('catalog.changed', (payload) => events.push(payload));
  return {
    client,
    events,
    outcome: (method, args) =>
      (client.api as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method]!(args).then(
        (value) => value,
        (error: unknown) => error,
      ),
    settle: async () => {
      await client.api.appInfo({});
    },
  };
}
