// The API machinery's MVCC store: write and read throughput, watch fan-out, big lists.
import { MVCCStore, type StoredObject } from '../src/api/store/index.js';
import { parseSelector } from '../src/api/labels/index.js';
import { bestOf, figure, timeMs } from './report.js';

export const name = 'store';

function podObject(i: number, node: string): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: `ns-${i % 50}`, labels: { app: `app-${i % 100}`, tier: i % 3 === 0 ? 'web' : 'db' }, uid: `uid-${i}` },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
    status: { phase: 'Running' },
  };
}

const nodeOf = (o: StoredObject): string => (o.spec as { nodeName: string }).nodeName;

export function run(): void {
  // Writes: 200,000 creates then 200,000 updates, compare-and-swap on each update.
  const writes = 200_000;
  let store = new MVCCStore();
  const createMs = bestOf(3, () => {
    store = new MVCCStore();
    for (let i = 0; i < writes; i++) store.create('pods', `ns-${i % 50}/pod-${i}`, podObject(i, `node-${i % 5000}`));
  });
  figure('store.creates_per_sec', Math.round((writes / createMs) * 1000), 'op/s');
  const updateMs = timeMs(() => {
    for (let i = 0; i < writes; i++) {
      const key = `ns-${i % 50}/pod-${i}`;
      const current = store.get('pods', key)!;
      store.update('pods', key, { ...current, status: { phase: 'Succeeded' } }, Number(current.metadata!.resourceVersion));
    }
  });
  figure('store.cas_updates_per_sec', Math.round((writes / updateMs) * 1000), 'op/s');
  const getMs = bestOf(3, () => {
    for (let i = 0; i < writes; i++) store.get('pods', `ns-${i % 50}/pod-${i}`);
  });
  figure('store.gets_per_sec', Math.round((writes / getMs) * 1000), 'op/s');

  // Fan-out: 5,000 kubelet-style watchers, each with the field selector spec.nodeName=<its node>.
  for (const indexed of [true, false]) {
    const s = new MVCCStore();
    s.defineIndex('pods', 'spec.nodeName', nodeOf);
    let delivered = 0;
    for (let n = 0; n < 5000; n++) {
      const node = `node-${n}`;
      s.watch('pods', indexed ? { fromRevision: 0, index: { name: 'spec.nodeName', value: node } } : { fromRevision: 0, filter: (o) => nodeOf(o) === node }, () => delivered++);
    }
    const changes = indexed ? 200_000 : 2_000;
    const ms = timeMs(() => {
      for (let i = 0; i < changes; i++) s.create('pods', `default/p-${i}`, podObject(i, `node-${i % 5000}`));
    });
    if (delivered !== changes) throw new Error(`expected ${changes} deliveries, got ${delivered}`);
    figure(`store.watch_fanout_${indexed ? 'indexed' : 'unindexed'}_changes_per_sec`, Math.round((changes / ms) * 1000), 'changes/s');
    figure(`store.watch_fanout_${indexed ? 'indexed' : 'unindexed'}_us_per_change`, (ms * 1000) / changes, 'us');
  }

  // List 150,000 pods with a label selector (1/3 match tier=web, 1/100 app=app-7).
  const big = new MVCCStore();
  for (let i = 0; i < 150_000; i++) big.create('pods', `ns-${i % 50}/pod-${i}`, podObject(i, `node-${i % 5000}`));
  big.list('pods'); // builds the sorted key cache once, as a real API server's cache is warm
  const selector = parseSelector('tier=web,app in (app-3,app-7)');
  let found = 0;
  const listMs = bestOf(3, () => {
    found = big.list('pods', { filter: (o) => selector.matches(o.metadata?.labels as Record<string, string>) }).items.length;
  });
  figure('store.list_150k_pods_label_selector', listMs, 'ms');
  figure('store.list_150k_pods_label_selector_matches', found, 'pods');
}
