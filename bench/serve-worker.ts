// The served cluster for the load benchmark, in its own thread, so the load generator does not share its event loop.
import { parentPort } from 'node:worker_threads';
import { Cluster } from '../src/cluster/index.js';
import { serve } from '../src/server/http-server.js';

const cluster = Cluster.create({ seed: 'bench-load', nodes: 3 }, { epochMs: Date.now() });
for (let i = 0; i < 100; i++) {
  cluster.request({ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: { metadata: { name: `cm-${i}` }, data: { n: '0' } } });
}
const server = await serve({ cluster });
parentPort!.postMessage({ url: server.url, ca: server.caPem });
parentPort!.on('message', () => void server.close().then(() => process.exit(0)));
