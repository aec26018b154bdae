// Cluster creation: a 3-node cluster with a ready control plane, as `Cluster.create` builds it
// (kind takes about 33 s, k3d about 20 s). Issue 6's aim: under 50 ms.
import { Cluster } from '../src/cluster/index.js';
import { bestOf, figure, timeMs } from './report.js';

export const name = 'cluster';

export function run(): void {
  // The first creation pays for loading and JIT; report it, then the best of several.
  figure('cluster create 3 nodes first (cold)', timeMs(() => void Cluster.create({ seed: 'bench-cold' })), 'ms');
  let i = 0;
  figure('cluster create 3 nodes ready', bestOf(10, () => void Cluster.create({ seed: `bench-${i++}` })), 'ms');
  figure('cluster create 3 control-plane hosts (etcd) + 3 nodes ready', bestOf(5, () => void Cluster.create({ seed: `bench-ha-${i++}`, controlPlane: 3 })), 'ms');
  let c: Cluster | undefined;
  const applyMs = timeMs(() => {
    c = Cluster.create({ seed: 'bench-deploy' });
    c.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } });
    c.waitForCondition('deployment', 'web', 'Available');
  });
  figure('cluster create + 3-replica Deployment Available', applyMs, 'ms');
  figure('cluster virtual time to Deployment Available', c!.now, 'ms');
}
